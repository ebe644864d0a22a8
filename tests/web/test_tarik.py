"""Pulls between servers (issue 17 point 3), against this server's own open rows served through a
test client: what a pull stores, that a second pull writes nothing, that a re-verified quarter
replaces its rows, and that a broken or hostile answer writes nothing and says why."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from monev.pemda import tarik, tarik_kelola, terbuka_baris
from monev.pemda.models import AngkaSimpul
from monev.pemda.models_tarik import SumberData, TarikanData, TriwulanTertarik
from monev.pemda.tarik_http import Jawaban, SumberGagal
from monev.web.models import Pemda
from tests.web.tarik_helpers import (
    BASE,
    ClientTransport,
    accept,
    correct_and_accept_again,
    pulled_rows,
    served_rows,
)

OK, GALAT = TarikanData.Status.OK, TarikanData.Status.GALAT


@pytest.fixture
def verified(users, disnaker, contoh):
    """TW I of both demo PDs accepted."""
    accept(users["operator"], users["verifikator"], disnaker, 1)
    accept(users["operator2"], users["verifikator"], contoh, 1)
    return disnaker, contoh


@pytest.fixture
def sumber(db, disnaker):
    local = Pemda.objects.create(nama="Kota Tertarik", jenis=Pemda.Jenis.KOTA)
    return SumberData.objects.create(
        nama="Kota Tangerang",
        alamat=BASE,
        pemda_sumber=disnaker.perangkat_daerah.pemda_id,
        pemda=local,
    )


def served(client, pemda_id):
    return client.get(f"/pemda/api/terbuka/pemda/{pemda_id}/baris").json()


def test_a_pull_stores_every_verified_quarter_as_the_source_serves_it(verified, sumber, client):
    done = tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    assert (done.status, done.baru, done.berubah, done.tetap) == (OK, 2, 0, 0), done.pesan
    source = served(client, sumber.pemda_sumber)["triwulan_pd"]
    stored = TriwulanTertarik.objects.filter(sumber=sumber).order_by("kode_perangkat_daerah")
    assert [(t.kode_perangkat_daerah, t.tahun, t.triwulan) for t in stored] == [
        ("2.07.01", 2022, 1),
        ("2.16.01", 2022, 1),
    ]
    for item, row in zip(source, stored, strict=True):
        rows = pulled_rows(sumber.nama, row.kode_perangkat_daerah, 2022, 1)
        assert rows == served_rows(item) and rows["simpul"] and rows["indikator"]
        assert row.pemda == sumber.pemda and row.tanda == item["tanda"]
        assert row.jumlah_baris == len(rows["simpul"]) + len(rows["indikator"])
    assert set(AngkaSimpul.objects.filter(sumber=sumber.nama).values_list("pemda", flat=True)) == {
        sumber.pemda.pk
    }
    assert "2 triwulan PD di sumber: 2 baru" in done.pesan


def test_a_second_pull_of_an_unchanged_source_writes_nothing_and_costs_one_304(
    verified, sumber, client
):
    tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    before = list(TriwulanTertarik.objects.values_list("pk", "ditarik"))
    transport = ClientTransport(client)
    again = tarik.pull(sumber=sumber, pemicu="uji", transport=transport)
    assert (again.status, again.baru, again.berubah, again.tetap) == (OK, 0, 0, 2)
    assert transport.answers == [304]
    assert list(TriwulanTertarik.objects.values_list("pk", "ditarik")) == before


def test_without_the_etag_a_second_pull_compares_and_still_writes_nothing(verified, sumber, client):
    tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    before = list(TriwulanTertarik.objects.values_list("pk", "ditarik"))
    SumberData.objects.filter(pk=sumber.pk).update(etag="")
    sumber.refresh_from_db()
    again = tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    assert (again.baru, again.berubah, again.tetap) == (0, 0, 2)
    assert list(TriwulanTertarik.objects.values_list("pk", "ditarik")) == before


def test_a_quarter_verified_again_with_a_correction_replaces_its_rows(
    users, verified, sumber, client
):
    disnaker, _ = verified
    tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    old = TriwulanTertarik.objects.get(kode_perangkat_daerah="2.07.01")
    correct_and_accept_again(
        users["admin"], users["operator"], users["verifikator"], disnaker, Decimal("7")
    )
    done = tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    assert (done.status, done.baru, done.berubah, done.tetap) == (OK, 0, 1, 1), done.pesan
    new = TriwulanTertarik.objects.get(kode_perangkat_daerah="2.07.01")
    assert new.pk == old.pk and new.tanda != old.tanda and new.digest != old.digest
    source = served(client, sumber.pemda_sumber)["triwulan_pd"][0]
    assert pulled_rows(sumber.nama, "2.07.01", 2022, 1) == served_rows(source)
    assert Decimal(7) in {Decimal(r["realisasi"] or 0) for r in source["angka"]["indikator"]}


def test_a_quarter_no_longer_verified_at_the_source_is_removed(users, verified, sumber, client):
    from monev.web import siklus

    disnaker, _ = verified
    tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    siklus.laporan_unlock(user=users["admin"], renja=disnaker, triwulan=1, alasan="koreksi")
    done = tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    assert (done.status, done.tetap, done.dihapus) == (OK, 1, 1)
    assert list(TriwulanTertarik.objects.values_list("kode_perangkat_daerah", flat=True)) == [
        "2.16.01"
    ]
    assert pulled_rows(sumber.nama, "2.07.01", 2022, 1) == {"simpul": [], "indikator": []}
    assert pulled_rows(sumber.nama, "2.16.01", 2022, 1)["simpul"]


def test_the_listing_is_read_page_by_page_and_a_source_changing_mid_pull_stops_it(
    verified, sumber, client, monkeypatch, users
):
    monkeypatch.setattr(terbuka_baris, "PER_HALAMAN", 1)
    transport = ClientTransport(client)
    done = tarik.pull(sumber=sumber, pemicu="uji", transport=transport)
    assert (done.status, done.baru) == (OK, 2)
    assert [u.rsplit("=", 1)[1] for u, _ in transport.requests] == ["1", "2"]

    TriwulanTertarik.objects.all().delete()
    SumberData.objects.filter(pk=sumber.pk).update(etag="")
    sumber.refresh_from_db()

    def moved(url, answer):
        if url.endswith("halaman=2"):
            doc = json.loads(answer.body)
            doc["tanda"] = "lain"
            return Jawaban(200, answer.headers, json.dumps(doc).encode())
        return answer

    done = tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client, moved))
    assert done.status == GALAT and "berubah selama penarikan" in done.pesan
    assert "(sebelum berhenti: 1 baru, 0 berubah)" in done.pesan
    # The first page's quarter is whole and verified; nothing is removed on a broken listing.
    assert list(TriwulanTertarik.objects.values_list("kode_perangkat_daerah", flat=True)) == [
        "2.07.01"
    ]
    SumberData.objects.filter(pk=sumber.pk).update(etag="")
    sumber.refresh_from_db()
    done = tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    assert (done.status, done.baru, done.tetap) == (OK, 1, 1)


def _spoil(path, value):
    """Rewrite the first PD quarter's field at `path` (keys and indexes) in every answer."""

    def rewrite(url, answer):
        doc = json.loads(answer.body)
        target = doc["triwulan_pd"][0]
        for step in path[:-1]:
            target = target[step]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        text = json.dumps(doc)
        return Jawaban(200, answer.headers, text.encode())

    return rewrite


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        (("angka", "simpul", 0, "pagu"), "1" * 41, "bukan angka dalam bentuk mesin"),
        (("angka", "simpul", 0, "pagu"), "1" * 40, "terlalu besar"),
        (("angka", "simpul", 0, "pagu"), "9" * 16, "terlalu besar"),
        (("angka", "simpul", 0, "pagu"), "1e99", "terlalu besar"),
        (("angka", "simpul", 0, "pagu"), 12, "harus berupa teks"),
        (("angka", "simpul", 0, "pagu"), "NaN", "bukan angka dalam bentuk mesin"),
        (("angka", "simpul", 0, "pagu"), "١٢٣", "angka bukan ASCII"),
        (("angka", "simpul", 0, "tingkat"), "dinas", "harus salah satu dari"),
        (("angka", "simpul", 0, "kode"), KeyError, "wajib diisi"),
        (("angka", "simpul", 0, "dihitung"), "ya", "harus true atau false"),
        (("angka", "indikator", 0, "teks"), "a\x00b", "karakter NUL"),
        (("angka", "indikator", 0, "teks"), "x" * 5001, "paling banyak 5000 karakter"),
        (("angka", "indikator", 0, "bocor"), "1", "tidak dikenal"),
        (("angka", "indikator", 0, "capaian"), "1" + "0" * 9, "tidak masuk akal"),
        (("angka", "indikator", 0, "nomor"), 99_999, "paling besar 32767"),
        (("angka", "perangkat_daerah", "kode"), "9.99.99", "PD, tahun, atau triwulan lain"),
        (("angka", "pemda", "nama"), "Kota Lain", "milik pemda lain ('Kota Lain')"),
        (("triwulan",), 5, "paling besar 4"),
        (("kode_perangkat_daerah",), "../../x", "tidak sah"),
    ],
)
def test_a_malformed_pd_quarter_is_refused_with_its_reason_and_the_others_are_taken(
    verified, sumber, client, path, value, reason
):
    done = tarik.pull(
        sumber=sumber, pemicu="uji", transport=ClientTransport(client, _spoil(path, value))
    )
    assert done.status == GALAT and reason in done.pesan, done.pesan
    assert "1 triwulan PD ditolak (yang lain tersimpan)" in done.pesan
    assert list(TriwulanTertarik.objects.values_list("kode_perangkat_daerah", flat=True)) == [
        "2.16.01"
    ]
    assert not AngkaSimpul.objects.filter(sumber=sumber.nama, pd_kode="2.07.01").exists()
    assert sumber.etag == ""  # a pull with a refusal is asked in full next time


def _answer(status, body, kind="application/json"):
    return lambda url, answer: Jawaban(status, {"content-type": kind}, body)


@pytest.mark.parametrize(
    ("rewrite", "reason"),
    [
        (_answer(500, b'{"detail": "rusak"}'), "HTTP 500"),
        (_answer(200, b"<html>", "text/html"), "bukan JSON (Content-Type 'text/html')"),
        (_answer(200, b"{not json", "application/json"), "bukan JSON yang sah"),
        (_answer(200, b'{"a": 1.5}', "application/json"), "angka dikirim sebagai teks"),
        (_answer(200, b"[]", "application/json"), "bukan objek JSON"),
        (_answer(200, b'{"format": "lain/9"}', "application/json"), "jawaban, format"),
        (_answer(302, b"", "text/html"), "HTTP 302"),
    ],
)
def test_a_broken_answer_is_recorded_with_its_reason_and_nothing_is_written(
    verified, sumber, client, rewrite, reason
):
    done = tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client, rewrite))
    assert done.status == GALAT and reason in done.pesan, done.pesan
    assert not TriwulanTertarik.objects.exists()
    assert done.selesai is not None


def test_a_source_claiming_another_pemda_later_is_refused(verified, sumber, client):
    tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    Pemda.objects.filter(pk=sumber.pemda_sumber).update(nama="Kota Lain")
    SumberData.objects.filter(pk=sumber.pk).update(etag="")
    sumber.refresh_from_db()
    done = tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    assert done.status == GALAT and "kini mengaku pemda 'Kota Lain'" in done.pesan
    assert TriwulanTertarik.objects.count() == 2  # what it served before stays


def test_a_new_source_fills_a_pemda_created_from_its_identity_but_never_an_existing_one(
    verified, client, disnaker
):
    remote = disnaker.perangkat_daerah.pemda_id
    sumber = SumberData.objects.create(nama="baru", alamat=BASE, pemda_sumber=remote)
    done = tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    # "Kota Tangerang" is this server's own pemda: the source may not fill it by its name.
    assert done.status == GALAT and "sudah ada di server ini" in done.pesan
    assert not TriwulanTertarik.objects.exists()

    def renamed(url, answer):
        doc = json.loads(answer.body)
        for pemda in (doc["pemda"], *(i["angka"]["pemda"] for i in doc["triwulan_pd"])):
            pemda["nama"], pemda["jenis"] = "Kabupaten Sumber Baru", "kabupaten"
        return Jawaban(200, answer.headers, json.dumps(doc).encode())

    done = tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client, renamed))
    sumber.refresh_from_db()
    assert done.status == OK, done.pesan
    assert (sumber.pemda.nama, sumber.pemda.jenis) == ("Kabupaten Sumber Baru", "kabupaten")
    assert set(TriwulanTertarik.objects.values_list("pemda", flat=True)) == {sumber.pemda.pk}


def test_a_failing_source_is_recorded_and_does_not_stop_the_others(
    verified, sumber, client, monkeypatch
):
    SumberData.objects.create(nama="A mati", alamat="http://mati.test", pemda=sumber.pemda)
    real = ClientTransport(client)

    def transport(url, headers):
        if url.startswith("http://mati.test"):
            raise SumberGagal(
                "server sumber tidak dapat dihubungi ([Errno 111] Connection refused)"
            )
        return real(url, headers)

    done = tarik.pull_all(transport=transport)
    assert [(t.sumber.nama, t.status) for t in done] == [("A mati", GALAT), ("Kota Tangerang", OK)]
    assert "tidak dapat dihubungi" in done[0].pesan and done[1].baru == 2


def test_an_inactive_source_is_skipped_by_the_schedule(verified, sumber, client):
    SumberData.objects.filter(pk=sumber.pk).update(aktif=False)
    assert tarik.pull_all(transport=ClientTransport(client)) == []


def test_the_command_prints_a_line_per_source_and_exits_1_when_one_failed(db, capsys):
    SumberData.objects.create(nama="Mati", alamat="http://127.0.0.1:9")
    with pytest.raises(SystemExit) as exited:
        call_command("tarik_data")
    assert exited.value.code == 1
    out = capsys.readouterr()
    assert "[galat] Mati (http://127.0.0.1:9)" in out.out and "tidak dapat dihubungi" in out.out
    assert "1 dari 1 sumber gagal ditarik." in out.err


def test_the_command_refuses_a_source_it_does_not_know_with_exit_2(db, capsys):
    SumberData.objects.create(nama="Ada", alamat="http://127.0.0.1:9")
    with pytest.raises(SystemExit) as exited:
        call_command("tarik_data", sumber="Tidak")
    assert exited.value.code == 2
    assert "galat: sumber 'Tidak' tidak ada (sumber yang ada: Ada)" in capsys.readouterr().err
    assert not TarikanData.objects.exists()


def test_the_command_without_sources_says_so_and_exits_0(db, capsys):
    call_command("tarik_data")
    assert "Tidak ada sumber aktif" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("alamat", "reason"),
    [
        ("file:///etc/passwd", "harus http:// atau https://"),
        ("http://a:b@host", "nama pengguna atau kata sandi"),
        ("ftp://host", "harus http:// atau https://"),
    ],
)
def test_an_address_other_than_plain_http_is_refused(users, alamat, reason):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        tarik_kelola.sumber_create(user=users["provinsi"], nama="x", alamat=alamat)
    assert reason in " ".join(refused.value.messages)


def test_the_pulled_pemda_has_the_group_figures_of_the_source(verified, sumber, client):
    """The consolidation's selectors read pulled rows as local ones: the pulled kabupaten's
    total is the source's own, computed by the database from the rows."""
    from monev.pemda import angka_sql
    from monev.web.pengaturan import pengaturan_of

    tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client))
    source = Pemda.objects.get(pk=sumber.pemda_sumber)
    pengaturan = pengaturan_of(source)
    mine = angka_sql.total([sumber.pemda.pk], 2022, 1, pengaturan)
    theirs = angka_sql.total([source.pk], 2022, 1, pengaturan)
    assert mine == theirs and mine.pagu
