"""The dashboard of a pemda held here only through pulled rows (issue 17 points 2 and 3): its
province reads each pulled PD's figures, equal to the source's own dashboard, with the source and
time of the pull; nobody else reads it."""

from __future__ import annotations

import pytest

from monev.core.numbers import round_half_up
from monev.pemda import tarik
from monev.web.models import Pemda
from tests.web.tarik_helpers import ClientTransport

from .test_tarik import sumber, verified  # noqa: F401  (fixtures)


def _shown(value):
    return None if value is None else round_half_up(value, 2)


@pytest.fixture
def pulled(users, verified, sumber, client):  # noqa: F811
    """The source's TW I pulled into Kota Tertarik, a kota of the demo's province."""
    provinsi = Pemda.objects.get(pk=users["provinsi"].profil.pemda_id)
    Pemda.objects.filter(pk=sumber.pemda_id).update(provinsi=provinsi)
    tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    return sumber


def test_the_province_reads_the_pulled_pemdas_figures_equal_to_the_sources_dashboard(
    pulled, client_for
):
    page = client_for("provinsi").get(f"/pemda/?pemda={pulled.pemda_id}&tahun=2022&triwulan=1")
    assert page.status_code == 200
    dasbor = page.context["dasbor"]
    source = client_for("verifikator").get("/pemda/?tahun=2022&triwulan=1").context["dasbor"]
    theirs = {r.kode: r for r in source.semua if r.status == "diverifikasi"}
    mine = {b.kode: b for b in dasbor.baris}
    assert set(mine) == set(theirs) == {"2.07.01", "2.16.01"}
    for kode, row in theirs.items():
        assert mine[kode].nama == row.nama
        assert _shown(mine[kode].total.rata_rata_capaian_k) == _shown(row.capaian_k)
        assert _shown(mine[kode].total.persen_realisasi_rp) == _shown(row.persen_rp)
        assert mine[kode].total.pagu == row.angka.ringkasan.pagu
    assert _shown(dasbor.total.rata_rata_capaian_k) == _shown(source.total.rata_rata_capaian_k)
    html = page.content.decode()
    assert "Kota Tangerang" in html and "http://sumber.test" in html
    assert "tarikan berhasil terakhir" in html and " WIB" in html
    assert html.count("data-ditarik") == 2


def test_a_quarter_not_pulled_is_said_so_and_shows_no_figure(pulled, client_for):
    page = client_for("provinsi").get(f"/pemda/?pemda={pulled.pemda_id}&tahun=2022&triwulan=2")
    assert page.status_code == 200
    assert all(b.total is None and b.tertarik is None for b in page.context["dasbor"].baris)
    assert "TW II belum ditarik" in page.content.decode()


@pytest.mark.parametrize("username", ["kabupaten", "verifikator"])  # another kabupaten; the source
def test_a_pemda_that_does_not_hold_the_pulled_one_cannot_read_it(pulled, client_for, username):
    page = client_for(username).get(f"/pemda/?pemda={pulled.pemda_id}")
    assert page.status_code == 404


def test_an_operator_is_refused(pulled, client_for):
    page = client_for("operator").get(f"/pemda/?pemda={pulled.pemda_id}")
    assert page.status_code == 403


def test_the_pulled_pemdas_figures_per_program_come_from_its_rows(pulled, client_for, users):
    """A pulled pemda has no Renja here: its konsolidasi page leads to the region's recap of that
    one pemda per program, whose figures are its stored rows, grouped by the database."""
    from monev.pemda import angka_sql
    from monev.pemda.angka_sql import Kelompok

    c = client_for("provinsi")
    dasbor = c.get(f"/pemda/?pemda={pulled.pemda_id}&tahun=2022&triwulan=1").content.decode()
    assert f"/pemda/wilayah/?pemda={pulled.pemda_id}&amp;tahun=2022&amp;triwulan=1" in dasbor
    page = c.get(f"/pemda/konsolidasi/?pemda={pulled.pemda_id}&tahun=2022&triwulan=1")
    assert page.status_code == 302
    assert page["Location"] == (
        f"/pemda/wilayah/?pemda={pulled.pemda_id}&kelompok=program&tahun=2022&triwulan=1"
    )
    page = c.get(page["Location"])
    rekap = page.context["rekap"]
    assert rekap.satu.pk == pulled.pemda_id and rekap.jumlah_pemda == 1
    sums = angka_sql.sums([pulled.pemda_id], 2022, 1, Kelompok.PROGRAM)
    assert {b.kode for b in rekap.baris} == set(sums) and sums
    html = page.content.decode()
    assert f"Rekap wilayah: {rekap.satu.nama}" in html
    assert f'name="pemda" value="{pulled.pemda_id}"' in html  # the filters keep the one pemda
    assert f"pemda={pulled.pemda_id}" in page.context["rekap"].query()
    everyone = c.get("/pemda/wilayah/?kelompok=pemda&tahun=2022&triwulan=1").context["rekap"]
    assert everyone.satu is None and everyone.jumlah_pemda > 1
    # Another pemda's id is not a way in: the recap stays over the user's own region.
    from monev.web import access

    other = Pemda.objects.exclude(pk__in=access.visible_pemda(users["provinsi"])).first()
    assert other is not None  # the demo's second kabupaten, outside the province
    asked = c.get(f"/pemda/wilayah/?pemda={other.pk}").context["rekap"]
    assert asked.satu is None
