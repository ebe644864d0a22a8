"""The regional summary (`pemda:wilayah`): the figures of every pemda the user may read as a
whole, read from the stored rows, equal the engine's; each user sees only the pemda it may read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from monev.io.excel_csv import persen
from monev.pemda import angka
from monev.pemda.models import AngkaTanda
from monev.web.models import Pemda, Profil

from .angka_helpers import generated_pemda
from .test_angka_jumlah import _save
from .test_pemda_angka import _core, _shown
from .test_snapshot import accept


def _client(username: str, peran: str, pemda: Pemda | None) -> Client:
    user = get_user_model().objects.create(username=username)
    Profil.objects.create(user=user, peran=peran, pemda=pemda)
    client = Client()
    client.force_login(user)
    return client


def _names(response) -> list[str]:
    return [b.nama for b in response.context["rekap"].baris]


@pytest.fixture
def wilayah(users):
    """A province over two generated kabupaten, their rows stored."""
    provinsi = Pemda.objects.create(nama="Provinsi Uji Wilayah", jenis=Pemda.Jenis.PROVINSI)
    found = []
    for seed, nama in ((4, "Kabupaten Uji Satu"), (5, "Kabupaten Uji Dua")):
        pemda, renja = generated_pemda(users["admin"], nama, seed=seed)
        Pemda.objects.filter(pk=pemda.pk).update(jenis=Pemda.Jenis.KABUPATEN, provinsi=provinsi)
        angka.refresh(renja)
        found.append((pemda, renja))
    return provinsi, found


@pytest.mark.parametrize("triwulan", [1, 2, 3, 4])
def test_the_table_equals_the_engines_figures(wilayah, triwulan):
    provinsi, found = wilayah
    client = _client("prov_uji", Profil.Peran.VERIFIKATOR, provinsi)
    query = f"?tahun=2022&triwulan={triwulan}"
    rekap = client.get(f"/pemda/wilayah/{query}").context["rekap"]
    rows = {b.pemda_id: b for b in rekap.baris}
    assert set(rows) == {provinsi.pk, *(p.pk for p, _ in found)}
    assert rows[provinsi.pk].jumlah_pd == 0
    for pemda, renja in found:
        hasil, _ = _core(renja, triwulan)
        assert _shown(rows[pemda.pk].total) == _shown(hasil.total)
        assert rows[pemda.pk].jumlah_pd == 3
    every = [r for _, renja in found for r in renja]
    hasil, _ = _core(every, triwulan)
    assert _shown(rekap.total) == _shown(hasil.total)
    assert rekap.jumlah_pd == 6
    assert (rekap.renja_berlaku, rekap.renja_berangka, rekap.renja_basi) == (6, 6, 0)

    by_urusan = client.get(f"/pemda/wilayah/{query}&kelompok=urusan").context["rekap"]
    assert [b.kode for b in by_urusan.baris] == [u.kode for u in hasil.urusan]
    for b, u in zip(by_urusan.baris, hasil.urusan, strict=True):
        assert _shown(b.total) == _shown(u.total)

    csv = client.get(f"/pemda/wilayah.csv{query}").content.decode("utf-8-sig").splitlines()
    assert csv[0].startswith("Kode;Uraian;Jenis;Jumlah Perangkat Daerah;")
    last = csv[-1].split(";")
    assert last[1:4] == ["Jumlah", "", "6"]
    assert last[4] == persen(hasil.total.rata_rata_capaian_k)
    assert last[8] == persen(hasil.total.persen_realisasi_rp)
    assert len(csv) == 1 + 3 + 1


def test_a_kabupaten_user_sees_only_its_own(client_for):
    response = client_for("kabupaten").get("/pemda/wilayah/")
    assert response.status_code == 200
    assert _names(response) == ["Kabupaten Contoh"]


def test_a_province_user_sees_its_kota_and_not_another_kabupaten(client_for):
    response = client_for("provinsi").get("/pemda/wilayah/")
    assert sorted(_names(response)) == ["Kota Tangerang", "Provinsi Contoh"]
    assert "Kabupaten Contoh" not in response.content.decode()
    assert "Rekap wilayah" in response.content.decode()  # the menu shows the page


def test_the_ministry_sees_every_pemda_grouped_by_province(wilayah):
    client = _client("menteri", Profil.Peran.KEMENTERIAN, None)
    response = client.get("/pemda/wilayah/?tahun=2022&triwulan=4")
    names = _names(response)
    assert set(Pemda.objects.values_list("nama", flat=True)) <= set(names)
    subtotal = names.index("Jumlah Provinsi Uji Wilayah beserta kabupaten/kota")
    assert names[subtotal - 3 : subtotal] == [
        "Provinsi Uji Wilayah",
        "Kabupaten Uji Dua",
        "Kabupaten Uji Satu",
    ]
    line = response.context["rekap"].baris[subtotal]
    hasil, _ = _core([r for _, renja in wilayah[1] for r in renja], 4)
    assert _shown(line.total) == _shown(hasil.total)


def test_an_operator_is_refused_and_a_visitor_sent_to_sign_in(client_for, client):
    assert client_for("operator").get("/pemda/wilayah/").status_code == 403
    response = client.get("/pemda/wilayah/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]
    assert client.get("/pemda/wilayah.csv").status_code == 302


def test_pulled_rows_count_and_their_server_is_named(users, disnaker, wilayah):
    provinsi, _ = wilayah
    angka.refresh([disnaker])
    accept(users, disnaker, 1)
    doc = angka.export_rows(disnaker, 1)
    pulled = Pemda.objects.create(
        nama="Kabupaten Tarikan Wilayah", jenis=Pemda.Jenis.KABUPATEN, provinsi=provinsi
    )
    angka.import_rows(doc, pemda=pulled, sumber="server-kabupaten")
    client = _client("prov_tarik", Profil.Peran.PIMPINAN, provinsi)
    response = client.get("/pemda/wilayah/?tahun=2022&triwulan=1")
    rows = {b.pemda_id: b for b in response.context["rekap"].baris}
    assert rows[pulled.pk].jumlah_pd == 1
    hasil, _ = _core([disnaker], 1)
    assert _shown(rows[pulled.pk].total) == _shown(hasil.total)
    assert "server-kabupaten" in response.content.decode()


def test_a_change_not_yet_refreshed_is_counted_stale_and_not_refreshed_by_the_page(wilayah):
    provinsi, found = wilayah
    client = _client("prov_basi", Profil.Peran.VERIFIKATOR, provinsi)
    before = client.get("/pemda/wilayah/?tahun=2022&triwulan=2").context["rekap"]
    _save(get_user_model().objects.get(username="admin_server"), found[0][1][0], "123.5")
    for _ in range(2):  # the page reads the stored rows as they are, and refreshes nothing
        response = client.get("/pemda/wilayah/?tahun=2022&triwulan=2")
        assert response.context["rekap"].renja_basi == 1
        assert _shown(response.context["rekap"].total) == _shown(before.total)
    assert "1 Renja berlaku belum mutakhir" in response.content.decode()


def test_the_last_computation_is_shown_in_wib_with_its_zone_written(wilayah):
    provinsi, _ = wilayah
    moment = datetime(2022, 10, 3, 17, 5, tzinfo=UTC)  # 4 Oktober 00:05 in Jakarta
    AngkaTanda.objects.update(dihitung=moment)
    client = _client("prov_waktu", Profil.Peran.VERIFIKATOR, provinsi)
    page = client.get("/pemda/wilayah/?tahun=2022").content.decode()
    assert "Terakhir dihitung: 4 Oktober 2022 00:05 WIB" in page
