"""The web mapping preview (issue 14 point 3) and the pemda's nomenclature lists (point 2): upload a
table without codes, change a column's field, answer a question, correct a name, download, save
and apply a mapping, import through the import path of every file; bad files get a message."""

from __future__ import annotations

import json
import re

import pytest

from monev.io.tabel.model import Pemetaan
from tests.io import tabel_shapes as shapes

TITLE = ["EVALUASI RENJA DINAS KETENAGAKERJAAN TAHUN 2022"]
HEADER = ["No", "Uraian", "Indikator", "Target", "Realisasi TW I", "Realisasi TW II", "Pagu", "Realisasi Keuangan"]  # fmt: skip
ROWS = [
    ["1", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", "Persentase", "100", "40", "80", "", ""],
    ["", "Kegiatan : Administrasi Keuangan Perangkat Daerah", "Jumlah dokumen", "12", "3", "6", "", ""],
    ["", "Sub Kegiatan Penyediaan Gaji dan Tunjangan ASM", "Jumlah bulan", "12", "3", "6", "1.000.000", "500.000"],
    ["", "Sub Kegiatan Pengadaan Sarana Lain", "Jumlah unit", "2", "1", "1", "2.000.000,50", "750.000"],
]  # fmt: skip
NOMENKLATUR = [
    ["kode", "tingkat", "nama"],
    ["2.07.01", "program", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA"],
    ["2.07.01.2.02", "kegiatan", "Administrasi Keuangan Perangkat Daerah"],
    ["2.07.01.2.02.0001", "sub_kegiatan", "Penyediaan Gaji dan Tunjangan ASN"],
]


def table_bytes(title: str = TITLE[0], rows: list[list[str]] = ROWS) -> bytes:
    return shapes.csv_bytes([[title], HEADER, *rows])


@pytest.fixture
def admin(client_for):
    return client_for("admin")


@pytest.fixture
def pd(disnaker):
    return disnaker.perangkat_daerah


@pytest.fixture
def kept_uploads(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "impor"


def upload(client, pd, data: bytes, name: str = "tabel.csv", tahun: int = 2023, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/impor/tabel/",
        {
            "perangkat_daerah": pd.pk,
            "tahun": tahun,
            "versi": "murni",
            "berkas": SimpleUploadedFile(name, data),
            **extra,
        },
    )


def form_of(response) -> dict[str, object]:
    """Return the fields the preview form would post (selected options, hidden inputs, names)."""
    html = response.content.decode()
    form = html[html.index('id="form-pemetaan"') :]
    fields: dict[str, object] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        if name not in ("nama_asli", "csrfmiddlewaretoken"):
            fields[name] = value
    for select in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', select[1])
        if chosen and select[0] != "terapkan":
            fields[select[0]] = chosen.group(1)
    fields["nama_asli"] = re.findall(r'name="nama_asli" value="([^"]*)"', form)
    fields["nama"] = re.findall(r'name="nama" class="nama-simpul" id="[^"]+" value="([^"]*)"', form)
    return fields


def unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_operator_cannot_open_the_preview(client_for):
    assert client_for("operator").get("/impor/tabel/").status_code == 403
    assert client_for("verifikator").get("/impor/nomenklatur/").status_code == 403


def test_upload_shows_columns_rows_levels_provisional_codes_and_warnings(admin, pd, kept_uploads):
    response = upload(admin, pd, table_bytes())
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert 'name="kolom:uraian"' in html and 'name="kolom:pagu"' in html
    assert "Sub Kegiatan Pengadaan Sarana Lain" in html  # a first row as read
    assert html.count('class="badge sementara"') == 4  # no nomenclature: every code provisional
    assert "mencetak tahun 2022, sedangkan yang dipilih tahun 2023" in html
    assert list(kept_uploads.iterdir())  # kept in the private upload area, not in static


def test_pd_printed_in_the_title_that_is_not_the_chosen_one_is_warned(admin, pd, kept_uploads):
    response = upload(admin, pd, table_bytes("EVALUASI RENJA DINAS KESEHATAN TAHUN 2023"))
    html = unescape(response.content.decode())
    assert (
        "mencetak 'DINAS KESEHATAN', sedangkan Perangkat Daerah yang dipilih Dinas Ketenagakerjaan"
        in html
    )
    assert "tahun 2022, sedangkan" not in html


def test_changing_a_field_rereads_the_table(admin, pd, kept_uploads):
    fields = form_of(upload(admin, pd, table_bytes()))
    fields.update({"kolom:realisasi keuangan": "abaikan", "aksi": "baca"})
    response = admin.post("/impor/tabel/pratinjau/", fields, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" not in html  # the partial only, swapped into the page
    assert '"realisasi keuangan": "abaikan"' in unescape(html)


def test_a_name_correction_is_part_of_the_mapping_and_of_the_import(admin, pd, kept_uploads):
    from monev.web.models import Simpul

    fields = form_of(upload(admin, pd, table_bytes(), tahun=2022))
    names = list(fields["nama"])  # type: ignore[call-overload]
    names[2] = "Penyediaan Gaji dan Tunjangan ASN"
    fields.update({"nama": names, "aksi": "unduh"})
    downloaded = admin.post("/impor/tabel/pratinjau/", fields)
    assert downloaded["Content-Disposition"].startswith("attachment")
    mapping = Pemetaan.from_json(downloaded.content.decode())  # as `--pemetaan` reads it
    assert mapping.nama == {
        "Penyediaan Gaji dan Tunjangan ASM": "Penyediaan Gaji dan Tunjangan ASN"
    }
    fields["aksi"] = "impor"
    response = admin.post("/impor/tabel/pratinjau/", fields)
    assert response.status_code == 302, unescape(response.content.decode())[:3000]
    stored = Simpul.objects.filter(renja_id=int(response["Location"].strip("/").split("/")[-1]))
    assert "Penyediaan Gaji dan Tunjangan ASN" in {s.nama for s in stored}
    assert all(s.kode.startswith("0.00") for s in stored)  # provisional codes, kept as such


def test_saved_mapping_is_the_json_and_applies_to_a_second_upload(admin, pd, kept_uploads):
    from monev.web.models import PemetaanTersimpan

    fields = form_of(upload(admin, pd, table_bytes()))
    fields.update(
        {"kolom:realisasi keuangan": "abaikan", "aksi": "simpan", "nama_pemetaan": "SIPD"}
    )
    response = admin.post("/impor/tabel/pratinjau/", fields)
    assert "Pemetaan 'SIPD' tersimpan" in unescape(response.content.decode())
    saved = PemetaanTersimpan.objects.get(pemda=pd.pemda, nama="SIPD")
    assert Pemetaan.from_json(saved.isi).kolom["realisasi keuangan"] == "abaikan"
    second = upload(admin, pd, table_bytes(), name="kedua.csv", terapkan=saved.pk)
    html = unescape(second.content.decode())
    assert "Pemetaan tersimpan 'SIPD' diterapkan" in html
    assert '"realisasi keuangan": "abaikan"' in html


def test_a_saved_mapping_of_another_pemda_is_not_applied(admin, pd, kept_uploads):
    from monev.web.models import Pemda, PemetaanTersimpan

    other = Pemda.objects.create(nama="Kabupaten Lain")
    saved = PemetaanTersimpan.objects.create(pemda=other, nama="x", isi=Pemetaan().to_json())
    response = upload(admin, pd, table_bytes(), terapkan=saved.pk)
    assert response.status_code == 400
    assert "tidak ada untuk pemda" in unescape(response.content.decode())


def test_an_ambiguous_notation_is_asked_with_radio_buttons(admin, pd, kept_uploads):
    rows = [[*r[:6], p, ""] for r, p in zip(ROWS, ["1.500", "1.500", "1.250", "250"], strict=True)]
    response = upload(admin, pd, table_bytes(rows=rows))
    html = unescape(response.content.decode())
    assert 'type="radio" name="notasi:pagu" value="id"' in html
    assert "Impor menunggu pertanyaan dijawab" in html
    fields = form_of(response)
    fields.update({"notasi:pagu": "id", "aksi": "baca"})
    answered = unescape(admin.post("/impor/tabel/pratinjau/", fields).content.decode())
    assert 'type="radio"' not in answered and '"pagu": "id"' in answered


def test_import_is_refused_while_a_quarter_is_submitted(admin, pd, kept_uploads, disnaker):
    from monev.web.models import LaporanTriwulan

    LaporanTriwulan.objects.update_or_create(
        renja=disnaker, triwulan=1, defaults={"status": LaporanTriwulan.Status.DIAJUKAN}
    )
    fields = form_of(upload(admin, pd, table_bytes(), tahun=2022))
    fields["aksi"] = "impor"
    response = admin.post("/impor/tabel/pratinjau/", fields)
    assert response.status_code == 409
    assert "tidak dapat diganti dengan impor" in unescape(response.content.decode())


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("kosong.csv", b"", "berkas kosong"),
        ("rusak.xlsx", b"PK\x03\x04bukan xlsx", "rusak.xlsx: buku kerja rusak"),
        ("rusak.pdf", b"%PDF-1.4 rusak", "rusak.pdf: PDF tidak dapat dibaca"),
        ("teks.csv", b"halo;dunia\n1;2\n", "tabel tidak ditemukan"),
        ("gambar.png", b"\x89PNG", "Berkas harus CSV"),
    ],
)
def test_bad_files_get_a_message_with_their_place_never_a_500(
    admin, pd, kept_uploads, name, data, expected
):
    response = upload(admin, pd, data, name=name)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert expected in html
    assert "Traceback" not in html


def test_a_lost_upload_asks_for_a_new_one(admin, pd, kept_uploads):
    fields = form_of(upload(admin, pd, table_bytes()))
    for entry in kept_uploads.iterdir():
        entry.unlink()
    fields["aksi"] = "baca"
    response = admin.post("/impor/tabel/pratinjau/", fields)
    assert response.status_code == 400
    assert "unggah ulang" in unescape(response.content.decode())


# --- nomenclature lists -------------------------------------------------------------------


def upload_list(client, pemda, data: bytes, name: str = "nomenklatur.csv", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fields = {"pemda": pemda.pk, "nama": "Kepmendagri 2023", "aktif": "1", **extra}
    return client.post("/impor/nomenklatur/", {**fields, "berkas": SimpleUploadedFile(name, data)})


def test_active_list_matches_nodes_in_the_preview_with_their_score(admin, pd, kept_uploads):
    response = upload_list(admin, pd.pemda, shapes.csv_bytes(NOMENKLATUR, ","))
    assert response.status_code == 302
    html = unescape(upload(admin, pd, table_bytes()).content.decode())
    assert "2.07.01.2.02.0001" in html and "97%" in html  # `ASM` for `ASN`
    assert html.count('class="badge sementara"') == 1  # the sub kegiatan no entry fits


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["2.07.x", "program", "A"]], "nomenklatur.csv, baris 3, kolom kode: kode tidak dapat dibaca"),
        ([["2.07.01", "kegiatan", "A"]], "baris 3, kolom tingkat: tingkat 'kegiatan' tidak sesuai"),
        ([["2.07.01", "program", ""]], "baris 3, kolom nama: nama kosong"),
        ([["2.07.01", "program", "A"], ["2.07.01", "program", "B"]], "baris 4, kolom kode: kode 2.07.01 sudah ada di baris 3"),
    ],
)  # fmt: skip
def test_a_bad_list_line_refuses_the_whole_list_with_its_place(admin, pd, rows, expected):
    from monev.web.models import DaftarNomenklatur

    good = [["2.07.02", "program", "Program Lain"]]
    response = upload_list(admin, pd.pemda, shapes.csv_bytes([NOMENKLATUR[0], *good, *rows], ","))
    assert response.status_code == 400
    assert expected in unescape(response.content.decode())
    assert not DaftarNomenklatur.objects.exists()


def test_a_workbook_list_names_the_sheet_of_a_bad_line(admin, pd):
    data = shapes.xlsx_bytes({"Program": [NOMENKLATUR[0], ["9.x", "program", "A"]]})
    response = upload_list(admin, pd.pemda, data, name="daftar.xlsx")
    assert "daftar.xlsx, lembar Program, baris 2, kolom kode" in unescape(response.content.decode())


def test_versions_are_kept_and_one_is_active(admin, pd):
    from monev.web.models import DaftarNomenklatur

    data = shapes.csv_bytes(NOMENKLATUR, ",")
    upload_list(admin, pd.pemda, data, nama="versi 2022")
    upload_list(admin, pd.pemda, data, nama="versi 2023")
    lists = {d.nama: d for d in DaftarNomenklatur.objects.all()}
    assert [lists["versi 2022"].aktif, lists["versi 2023"].aktif] == [False, True]
    response = admin.post(f"/impor/nomenklatur/{lists['versi 2022'].pk}/aktif/", {"aktif": "1"})
    assert response.status_code == 302
    assert DaftarNomenklatur.objects.get(aktif=True).nama == "versi 2022"
    page = unescape(admin.get("/impor/nomenklatur/").content.decode())
    assert "versi 2022" in page and "versi 2023" in page and "Jadikan aktif" in page
    again = upload_list(admin, pd.pemda, data, nama="versi 2023")
    assert "sudah ada" in unescape(again.content.decode())


def test_the_web_import_of_a_table_uses_the_active_list(admin, pd, kept_uploads):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload_list(admin, pd.pemda, shapes.csv_bytes(NOMENKLATUR, ","))
    response = admin.post(
        "/impor/",
        {
            "perangkat_daerah": pd.pk,
            "tahun": 2023,
            "versi": "murni",
            "jenis": "lama",
            "berkas": SimpleUploadedFile("tabel.csv", table_bytes()),
        },
    )
    assert "Nomenklatur: 'Penyediaan Gaji dan Tunjangan ASM' → 2.07.01.2.02.0001" in unescape(
        response.content.decode()
    )


def test_download_is_the_json_monev_reads(admin, pd, kept_uploads):
    fields = form_of(upload(admin, pd, table_bytes()))
    fields["aksi"] = "unduh"
    response = admin.post("/impor/tabel/pratinjau/", fields)
    document = json.loads(response.content)
    assert document["versi"] == 1 and document["kolom"]["uraian"] == "nama"


def test_k_and_rp_tables_show_the_pairs_joined(admin, pd, kept_uploads):
    data = shapes.xlsx_bytes({"Kinerja": shapes.K_SHEET, "Anggaran": shapes.RP_SHEET})
    html = unescape(upload(admin, pd, data, name="dua.xlsx").content.decode())
    assert "Pasangan K dan Rp yang digabung" in html
    assert re.search(r"<td>\d+%</td></tr>", html)  # each pair with its name similarity


def test_the_renja_page_marks_provisional_codes(admin, pd, kept_uploads):
    fields = form_of(upload(admin, pd, table_bytes(), tahun=2024))
    fields["aksi"] = "impor"
    response = admin.post("/impor/tabel/pratinjau/", fields)
    page = unescape(admin.get(response["Location"]).content.decode())
    assert "0.00.01 (kode sementara)" in page
