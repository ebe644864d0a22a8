"""Uploaded import files are kept no longer than the import needs: nothing is written for a
file that cannot be read, the confirm step removes the file before it saves, a refused save
leaves nothing, and leftovers (a process killed in between) go at start and with the next
import once they are older than MONEV_UPLOAD_MAX_AGE_SECONDS."""

from __future__ import annotations

import io
import os
import stat
import time

import pytest
from django.apps import apps

from monev.web import services, uploads
from monev.web.models import LaporanTriwulan, PerangkatDaerah, Renja


@pytest.fixture
def folder(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "impor"


def _files(folder) -> list[str]:
    """The upload files (the import jobs' own folder, `tugas`, is apart)."""
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.exists() else []


def _preview(client, content: bytes, tahun: str = "2030", name: str = "renja.csv"):
    berkas = io.BytesIO(content)
    berkas.name = name
    pd = PerangkatDaerah.objects.get(kode="2.07.01")
    return client.post(
        "/impor/", {"perangkat_daerah": pd.pk, "tahun": tahun, "versi": "murni", "berkas": berkas}
    )


def _confirm(client, token: str, tahun: str = "2030"):
    pd = PerangkatDaerah.objects.get(kode="2.07.01")
    return client.post(
        "/impor/",
        {
            "token": token,
            "nama_berkas": "renja.csv",
            "perangkat_daerah": pd.pk,
            "tahun": tahun,
            "versi": "murni",
            "konfirmasi": "1",
        },
    )


def test_a_file_that_cannot_be_read_is_never_written(client_for, folder):
    response = _preview(client_for("admin"), b"kode,tingkat\n\x00\x00,rusak\n")
    assert response.status_code == 400
    assert _files(folder) == []


def test_the_confirm_step_removes_the_file_before_it_saves(
    client_for, folder, reference_csv, monkeypatch
):
    client = client_for("admin")
    preview = _preview(client, reference_csv.read_bytes())
    assert preview.status_code == 200
    token = preview.context["token"]
    assert _files(folder) == [token]
    assert stat.S_IMODE((folder / token).stat().st_mode) == 0o600
    seen_during_save = []
    real_import = services.renja_import

    def watching(**kwargs):
        seen_during_save.append(_files(folder))
        return real_import(**kwargs)

    monkeypatch.setattr(services, "renja_import", watching)
    assert _confirm(client, token).status_code == 302
    assert seen_during_save == [[]]
    assert _files(folder) == []
    assert _files(folder / "tugas") == []  # the job's copy goes once the job has ended
    assert Renja.objects.filter(perangkat_daerah__kode="2.07.01", tahun=2030).exists()


def test_a_refused_save_leaves_no_file_and_says_why(client_for, folder, reference_csv, disnaker):
    LaporanTriwulan.objects.update_or_create(
        renja=disnaker, triwulan=1, defaults={"status": LaporanTriwulan.Status.DIAJUKAN}
    )
    client = client_for("admin")
    preview = _preview(client, reference_csv.read_bytes(), tahun="2022")
    response = _confirm(client, preview.context["token"], tahun="2022")
    assert response.status_code == 409  # refused by the state of the quarter, not by the file
    assert "tidak dapat diganti dengan impor" in response.content.decode()
    assert _files(folder) == []


def test_an_upload_older_than_the_limit_is_refused_and_removed(
    client_for, folder, reference_csv, settings
):
    client = client_for("admin")
    token = _preview(client, reference_csv.read_bytes()).context["token"]
    old = time.time() - settings.MONEV_UPLOAD_MAX_AGE_SECONDS - 60
    os.utime(folder / token, (old, old))
    response = _confirm(client, token)
    assert response.status_code == 400
    assert "Berkas unggahan sudah tidak ada; unggah ulang." in response.content.decode()
    assert _files(folder) == []
    assert not Renja.objects.filter(perangkat_daerah__kode="2.07.01", tahun=2030).exists()


def test_leftovers_go_at_start_and_with_the_next_import(client_for, folder, settings):
    folder.mkdir(parents=True, exist_ok=True)
    old = time.time() - settings.MONEV_UPLOAD_MAX_AGE_SECONDS - 60
    for name in ("a" * 32 + ".csv", "tmpabcd.upload"):
        (folder / name).write_bytes(b"sisa")
        os.utime(folder / name, (old, old))
    young = uploads.keep(b"baru", ".csv")
    apps.get_app_config("monev").ready()
    assert _files(folder) == [young]
    (folder / ("b" * 32 + ".xlsx")).write_bytes(b"sisa")
    os.utime(folder / ("b" * 32 + ".xlsx"), (old, old))
    client_for("admin").get("/impor/")  # a page view does not sweep; an import does
    _preview(client_for("admin"), b"bukan,csv\n")
    assert _files(folder) == [young]


@pytest.mark.parametrize("token", ["../secret_key", "a" * 31 + ".csv", "/etc/passwd", ""])
def test_a_token_never_names_another_file(folder, token):
    assert uploads.read(token) is None
