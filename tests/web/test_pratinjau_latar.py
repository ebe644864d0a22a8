"""The mapping preview of a large table is read as a background job (issue 14 point 3): the
upload goes to a page with a progress bar that htmx polls, then the preview; a read of the same
file with the same mapping is not repeated; a refused file lists its messages with their place;
the import of such a file is an import job too; nothing is written before the import."""

from __future__ import annotations

import re

import pytest

from monev.web import pratinjau_tugas, tugas_impor
from monev.web.models import Renja, TugasImpor
from tests.web.test_pemetaan import form_of, table_bytes, unescape, upload

pytestmark = pytest.mark.django_db

BAD_ROWS = [
    ["1", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", "Persentase", "100", "40", "80", "", ""],
    ["", "Sub Kegiatan Penyediaan Gaji", "Jumlah bulan", "12\x00", "3", "6", "", ""],
]  # fmt: skip


@pytest.fixture
def latar(settings, tmp_path):
    """Every upload is 'large'; jobs run inside the request (no process to wait for)."""
    settings.DATA_DIR = tmp_path
    settings.MONEV_PRATINJAU_LATAR_BYTES = 1
    settings.MONEV_IMPOR_LATAR = "langsung"
    return tmp_path


@pytest.fixture
def admin(client_for):
    return client_for("admin")


@pytest.fixture
def pd(disnaker):
    return disnaker.perangkat_daerah


def _job_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert re.fullmatch(r"/impor/tabel/pratinjau/\d+/", response["Location"])
    return response["Location"]


@pytest.mark.parametrize(
    ("ukuran", "batas", "latar"), [(199_999, 200_000, False), (200_000, 200_000, True)]
)
def test_a_file_from_the_threshold_on_is_read_in_the_background(settings, ukuran, batas, latar):
    settings.MONEV_PRATINJAU_LATAR_BYTES = batas
    assert pratinjau_tugas.latar(ukuran) is latar


def test_a_large_upload_goes_to_its_job_page_which_shows_the_preview_once_read(admin, pd, latar):
    url = _job_url(upload(admin, pd, table_bytes()))
    tugas = TugasImpor.objects.get()
    assert (tugas.jenis, tugas.status, tugas.renja_id) == ("pratinjau", "selesai", None)
    response = admin.get(url)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    # The same preview as a small file gets inside the request.
    assert 'name="kolom:uraian"' in html and "Sub Kegiatan Pengadaan Sarana Lain" in html
    assert html.count('class="badge sementara"') == 4
    assert "mencetak tahun 2022, sedangkan yang dipilih tahun 2023" in html
    assert not Renja.objects.filter(perangkat_daerah=pd, tahun=2023).exists()


def test_while_the_read_runs_the_page_shows_a_progress_bar_that_htmx_polls(
    admin, pd, latar, settings, monkeypatch
):
    monkeypatch.setattr(tugas_impor, "tugas_mulai", lambda tugas: None)  # stays queued
    url = _job_url(upload(admin, pd, table_bytes()))
    page = admin.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>" in html
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 1s"' in html and "<progress" in html
    assert "dibaca di latar belakang" in html
    polled = admin.get(url, HTTP_HX_REQUEST="true")
    assert polled.status_code == 202 and "<h1>" not in polled.content.decode()
    # The job runs (the runner process): the next poll swaps the preview in.
    tugas_impor.tugas_jalankan(TugasImpor.objects.get().pk)
    done = admin.get(url, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and 'id="form-pemetaan"' in done.content.decode()


def test_a_changed_field_is_read_again_and_the_same_mapping_is_not(admin, pd, latar):
    first = admin.get(_job_url(upload(admin, pd, table_bytes())))
    fields = form_of(first)
    fields.update({"kolom:realisasi keuangan": "abaikan", "aksi": "baca"})
    changed = admin.post("/impor/tabel/pratinjau/", fields, HTTP_HX_REQUEST="true")
    assert changed.status_code == 200
    assert '"realisasi keuangan": "abaikan"' in unescape(changed.content.decode())
    assert TugasImpor.objects.filter(jenis="pratinjau").count() == 2
    again = admin.post("/impor/tabel/pratinjau/", fields, HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    assert TugasImpor.objects.filter(jenis="pratinjau").count() == 2  # read once, shown twice
    fields["aksi"] = "unduh"
    downloaded = admin.post("/impor/tabel/pratinjau/", fields)
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert TugasImpor.objects.filter(jenis="pratinjau").count() == 2


def test_a_refused_cell_of_a_large_file_is_named_with_its_line_and_column(admin, pd, latar):
    url = _job_url(upload(admin, pd, table_bytes(rows=BAD_ROWS)))
    tugas = TugasImpor.objects.get()
    assert tugas.status == "gagal"
    response = admin.get(url)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "tabel.csv, baris 4, kolom ke-4: sel memuat karakter NUL" in html
    assert admin.get(url, HTTP_HX_REQUEST="true").status_code == 422  # swapped in by htmx


def test_a_file_without_a_table_fails_its_job_with_the_reason(admin, pd, latar):
    url = _job_url(upload(admin, pd, b"hanya teks biasa\ntanpa tabel\n"))
    tugas = TugasImpor.objects.get()
    assert tugas.status == "gagal" and tugas.galat
    response = admin.get(url)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert all(pesan in html for pesan in tugas.galat)
    assert admin.get(url, HTTP_HX_REQUEST="true").status_code == 422  # swapped in by htmx


def test_a_large_file_is_imported_as_a_job_whose_page_links_the_renja(admin, pd, latar):
    from monev.web.models import Simpul

    fields = form_of(admin.get(_job_url(upload(admin, pd, table_bytes(), tahun=2022))))
    fields["aksi"] = "impor"
    response = admin.post("/impor/tabel/pratinjau/", fields)
    assert response.status_code == 302
    assert re.fullmatch(r"/impor/tugas/\d+/", response["Location"])
    tugas = TugasImpor.objects.get(jenis="tabel")
    assert tugas.status == "selesai", tugas.galat
    renja = Renja.objects.get(perangkat_daerah=pd, tahun=2022, versi="murni")
    assert tugas.renja_id == renja.pk
    assert Simpul.objects.filter(renja=renja).count() == 4
    page = admin.get(response["Location"]).content.decode()
    assert f'href="/renja/{renja.pk}/"' in page


@pytest.mark.parametrize(("pengguna", "status"), [("kabupaten", 404), ("operator", 403)])
def test_a_preview_job_is_not_shown_to_other_users(client_for, admin, pd, latar, pengguna, status):
    url = _job_url(upload(admin, pd, table_bytes()))
    assert client_for(pengguna).get(url).status_code == status


def test_an_import_job_is_not_a_preview_page(admin, pd, latar, users):
    tugas = tugas_impor.tugas_buat(
        user=users["admin"], perangkat_daerah=pd, tahun=2031, versi="murni", jenis="datar",
        nama_berkas="renja.csv", data=b"kode;nama\n",
    )  # fmt: skip
    assert admin.get(f"/impor/tabel/pratinjau/{tugas.pk}/").status_code == 404
