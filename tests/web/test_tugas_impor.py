"""Imports run as background jobs (issue 14, point 6): queued by the import page, run apart,
followed on a page with a progress bar, ending in what was saved or every message that refused
it, with nothing half-written; seen only by who started it and the admins."""

from __future__ import annotations

import datetime as dt
import io
import os
import re

import pytest
from click.testing import CliRunner
from django.core.management import CommandError, call_command
from django.utils import timezone

from monev.web import tugas_impor
from monev.web.models import (
    Indikator,
    LaporanTriwulan,
    PerangkatDaerah,
    Renja,
    Riwayat,
    TugasImpor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "impor" / "tugas"


def _pd() -> PerangkatDaerah:
    return PerangkatDaerah.objects.get(kode="2.07.01")


def _queue(users, data: bytes, tahun: int = 2031, nama: str = "renja.csv") -> TugasImpor:
    return tugas_impor.tugas_buat(
        user=users["admin"],
        perangkat_daerah=_pd(),
        tahun=tahun,
        versi="murni",
        jenis="datar",
        nama_berkas=nama,
        data=data,
    )


def _bad_file(reference_csv) -> bytes:
    """The reference file with two unreadable cells (rows 3 and 5 of the file)."""
    lines = reference_csv.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("target_k")
    for number in (2, 4):
        cells = lines[number].split(",")
        cells[column] = "seratus"
        lines[number] = ",".join(cells)
    return ("\n".join(lines) + "\n").encode()


def test_a_confirmed_web_import_runs_as_a_job_whose_page_shows_what_it_saved(
    client_for, reference_csv, folder
):
    client = client_for("admin")
    berkas = io.BytesIO(reference_csv.read_bytes())
    berkas.name = "renja.csv"
    form = {"perangkat_daerah": _pd().pk, "tahun": "2031", "versi": "murni"}
    preview = client.post("/impor/", {**form, "berkas": berkas})
    done = client.post(
        "/impor/",
        {**form, "token": preview.context["token"], "nama_berkas": "renja.csv", "konfirmasi": "1"},
    )
    tugas = TugasImpor.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/impor/tugas/{tugas.pk}/"
    assert (tugas.status, tugas.pengguna.username, tugas.jenis) == ("selesai", "admin", "datar")
    assert tugas.mulai and tugas.berakhir and tugas.mulai <= tugas.berakhir
    renja = Renja.objects.get(perangkat_daerah=_pd(), tahun=2031)
    assert tugas.renja == renja
    assert Indikator.objects.filter(simpul__renja=renja).count() == 55
    assert list(folder.iterdir()) == []  # the job's copy of the file went with the job
    page = client.get(done["Location"]).content.decode()
    assert "55 indikator" in page and f'href="/renja/{renja.pk}/"' in page
    assert 'value="100"' in page and "hx-trigger" not in page  # finished: no more polling


@pytest.mark.parametrize(
    ("selesai", "jumlah", "shown"),
    [
        (45_000, 100_000, 'value="45"'),
        (0, 0, "<progress aria-labelledby"),  # not known yet: an indeterminate bar
    ],
)
def test_the_job_page_shows_its_progress_and_polls_while_it_runs(
    client_for, users, reference_csv, folder, selesai, jumlah, shown
):
    tugas = _queue(users, reference_csv.read_bytes())
    TugasImpor.objects.filter(pk=tugas.pk).update(
        status="berjalan", tahap="Memeriksa baris", selesai_baris=selesai, jumlah_baris=jumlah
    )
    client = client_for("admin")
    page = client.get(f"/impor/tugas/{tugas.pk}/").content.decode()
    assert shown in page and "Memeriksa baris" in page
    assert f'hx-get="/impor/tugas/{tugas.pk}/"' in page and 'hx-trigger="every 1s"' in page
    assert "<script>" not in page.split("</head>")[1]  # no inline script (CSP)
    if jumlah:
        assert 'aria-valuenow="45"' in page and "45.000/100.000 baris (45 %)" in page
    fragment = client.get(f"/impor/tugas/{tugas.pk}/", headers={"HX-Request": "true"})
    assert fragment.content.decode().startswith('<section id="tugas-impor"')


def test_a_job_that_fails_lists_every_message_and_writes_nothing(users, reference_csv, folder):
    before = (Renja.objects.count(), Riwayat.objects.count())
    tugas = _queue(users, _bad_file(reference_csv))
    assert (folder / tugas.berkas).exists()
    done = tugas_impor.tugas_jalankan(tugas.pk)
    assert done is not None and done.status == "gagal"
    assert len(done.galat) == 2
    assert all("renja.csv" in pesan and "target_k" in pesan for pesan in done.galat)
    assert done.tahap == "Gagal; tidak ada yang disimpan"
    assert (Renja.objects.count(), Riwayat.objects.count()) == before
    assert not (folder / tugas.berkas).exists()


def test_the_failed_job_page_shows_its_messages(client_for, users, reference_csv, folder):
    tugas = _queue(users, _bad_file(reference_csv))
    tugas_impor.tugas_jalankan(tugas.pk)
    page = client_for("admin").get(f"/impor/tugas/{tugas.pk}/").content.decode()
    assert "Gagal" in page and "tidak disimpan (2 masalah)" in page and 'role="alert"' in page
    assert page.count("target_k") >= 2


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("pemilik", 200),
        ("admin lain", 200),
        ("verifikator", 404),
        ("pimpinan", 404),
        ("operator", 404),
    ],
)
def test_a_job_is_seen_only_by_who_started_it_and_the_admins(
    client, client_for, users, reference_csv, folder, who, status
):
    from django.contrib.auth import get_user_model

    tugas = _queue(users, reference_csv.read_bytes())
    if who == "pemilik":
        viewer = client_for("admin")
    elif who == "admin lain":
        other = get_user_model().objects.create_superuser("admin2", password="x" * 12)
        client.force_login(other)
        viewer = client
    else:
        viewer = client_for(who)
    assert viewer.get(f"/impor/tugas/{tugas.pk}/").status_code == status


def test_a_signed_out_visitor_is_sent_to_sign_in(client, users, reference_csv, folder):
    tugas = _queue(users, reference_csv.read_bytes())
    response = client.get(f"/impor/tugas/{tugas.pk}/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_a_job_runs_once_whoever_asks_twice(users, reference_csv, folder):
    tugas = _queue(users, reference_csv.read_bytes())
    assert tugas_impor.tugas_jalankan(tugas.pk).status == "selesai"
    assert tugas_impor.tugas_jalankan(tugas.pk) is None
    assert Riwayat.objects.filter(jenis="impor", renja__tahun=2031).count() == 1


def test_the_job_reports_its_phases_with_the_lines_done(users, reference_csv, folder):
    seen: list[tuple[str, int, int]] = []
    tugas = _queue(users, reference_csv.read_bytes())
    tugas_impor.tugas_jalankan(tugas.pk, lambda *step: seen.append(step))
    phases = [tahap for tahap, _, _ in seen]
    assert phases[0] == "Membaca berkas"
    assert ("Memeriksa baris", 55, 55) in seen
    assert phases[-1].startswith("Menyimpan ke basis data (")


def test_a_job_queued_before_its_quarter_was_submitted_fails_with_the_reason(
    users, disnaker, reference_csv, folder
):
    tugas = _queue(users, reference_csv.read_bytes(), tahun=2022)
    LaporanTriwulan.objects.update_or_create(
        renja=disnaker, triwulan=1, defaults={"status": "diajukan"}
    )
    done = tugas_impor.tugas_jalankan(tugas.pk)
    assert done.status == "gagal"
    assert len(done.galat) == 1
    assert done.galat[0].startswith(
        "Renja ini tidak dapat diganti dengan impor: TW I sudah diajukan"
    )


def test_an_import_into_a_verified_quarter_is_refused_before_it_is_queued(
    users, disnaker, reference_csv, folder
):
    from monev.web.siklus import Ditolak

    LaporanTriwulan.objects.update_or_create(
        renja=disnaker, triwulan=1, defaults={"status": "diverifikasi"}
    )
    with pytest.raises(Ditolak, match="TW I sudah diverifikasi"):
        _queue(users, reference_csv.read_bytes(), tahun=2022)
    assert not TugasImpor.objects.exists()
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_scheduler_marks_a_dead_job_failed_and_runs_the_queued_ones(
    users, reference_csv, folder
):
    dead = _queue(users, reference_csv.read_bytes(), tahun=2032)
    long_ago = timezone.now() - dt.timedelta(hours=2)
    TugasImpor.objects.filter(pk=dead.pk).update(status="berjalan", diperbarui=long_ago)
    queued = _queue(users, reference_csv.read_bytes(), tahun=2033)
    leftover = folder / "0123456789abcdef0123456789abcdef.csv"
    leftover.write_bytes(b"x")
    os.utime(leftover, (0, 0))  # a file no job names, older than the minute's grace
    putaran = tugas_impor.tugas_jalankan_semua()
    assert (putaran.dijalankan, putaran.basi, putaran.berkas_dihapus) == (1, 1, 1)
    dead.refresh_from_db()
    queued.refresh_from_db()
    assert dead.status == "gagal" and "terhenti sebelum selesai" in dead.galat[0]
    assert queued.status == "selesai"
    assert not Renja.objects.filter(tahun=2032).exists()
    assert list(folder.iterdir()) == []


def test_jalankan_impor_runs_one_job_or_all(users, reference_csv, folder, capsys):
    first = _queue(users, reference_csv.read_bytes(), tahun=2034)
    call_command("jalankan_impor", str(first.pk))
    out = capsys.readouterr().out
    assert f"Tugas impor {first.pk}: Selesai" in out
    with pytest.raises(CommandError, match="sudah dijalankan"):
        call_command("jalankan_impor", str(first.pk))
    _queue(users, reference_csv.read_bytes(), tahun=2035)
    call_command("jalankan_impor", "--semua")
    assert "1 tugas dijalankan" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--semua"):
        call_command("jalankan_impor")


def test_the_job_runner_takes_another_kind_of_reader(users, reference_csv, folder):
    from monev.io.flat import read_flat

    calls = []

    def pratinjau(nama, data, opsi, kemajuan):
        calls.append((nama, opsi))
        kemajuan("Menerapkan pemetaan", 1, 2)
        return read_flat(reference_csv)

    tugas_impor.daftar_jenis("uji_pemetaan", pratinjau)
    try:
        tugas = tugas_impor.tugas_buat(
            user=users["admin"],
            perangkat_daerah=_pd(),
            tahun=2036,
            versi="murni",
            jenis="uji_pemetaan",
            nama_berkas="tabel.xlsx",
            data=b"...",
            opsi={"kolom": {"B": "nama"}},
        )
        assert tugas_impor.tugas_jalankan(tugas.pk).status == "selesai"
    finally:
        del tugas_impor.JENIS["uji_pemetaan"]
    # The reader gets the job's options and its pemda (for the pemda's nomenclature list).
    assert calls == [("tabel.xlsx", {"kolom": {"B": "nama"}, "pemda_id": _pd().pemda_id})]


@pytest.mark.parametrize(
    ("argumen", "terlihat"),
    [(["--kemajuan"], True), ([], False)],  # CliRunner's stderr is no terminal
)
def test_impor_prints_a_progress_line_on_request(reference_csv, argumen, terlihat):
    from monev.cli import main

    result = CliRunner().invoke(
        main, ["impor", str(reference_csv), "--pd", "2.07.01", "--tahun", "2037", *argumen]
    )
    assert result.exit_code == 0, result.output
    lines = result.stderr.replace("\r", "\n")
    assert ("Memeriksa baris… 55/55 baris (100 %)" in lines) is terlihat
    assert ("Menyimpan ke basis data (" in lines) is terlihat
    assert "Tersimpan: Renja" in result.stdout
    assert not re.search(r"\r", result.stdout)
