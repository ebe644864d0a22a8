"""Supporting documents: taken for what their content is, seen by the roles that read the Renja,
changed only while the quarter can change, every upload and removal recorded."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from monev.web import bukti
from monev.web.models import Bukti, Indikator, LaporanTriwulan, Riwayat, Simpul

pytestmark = pytest.mark.django_db


def _png(size=(4, 3)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _jpg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (5, 5), (0, 90, 200)).save(out, "JPEG")
    return out.getvalue()


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Berita acara serah terima")
    page.save()
    return out.getvalue()


EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 200
    + b"This program cannot be run in DOS mode"
)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("foto.png", _png(), "png"),
        ("FOTO.PNG", _png(), "png"),
        ("foto.jpg", _jpg(), "jpg"),
        ("foto.jpeg", _jpg(), "jpg"),
        ("berita-acara.pdf", _pdf(), "pdf"),
    ],
)
def test_a_file_is_taken_for_what_its_content_is(name, data, kind) -> None:
    assert bukti.check_file(name, data) == kind


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("laporan.pdf", EXE, "bukan PDF, JPG, atau PNG"),  # a renamed executable
        ("foto.png", EXE, "bukan PDF, JPG, atau PNG"),
        ("foto.pdf", _png(), "isinya PNG"),  # right content, wrong name
        ("dokumen.png", _pdf(), "isinya PDF"),
        ("foto.png", _png()[:40], "bukan PDF, JPG, atau PNG"),  # cut off
        ("dokumen.pdf", _pdf()[:200], "bukan PDF, JPG, atau PNG"),  # no end-of-file mark
        ("kosong.pdf", b"", "berkas kosong"),
        ("tanpa-akhiran", _png(), "(tanpa akhiran)"),
        ("x.svg", b"<svg onload=alert(1)>", "bukan PDF, JPG, atau PNG"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(name, data, says) -> None:
    with pytest.raises(bukti.BuktiDitolak, match=says.replace("(", r"\(").replace(")", r"\)")):
        bukti.check_file(name, data)


def test_a_file_over_the_limit_is_refused(settings) -> None:
    settings.MONEV_BUKTI_MAX_BYTES = 1024
    with pytest.raises(bukti.BuktiDitolak, match="melebihi batas 1 KB"):
        bukti.check_file("besar.png", _png((400, 400)) + b"\x00" * 2048)


def _upload(client, renja, name, data, tempat, triwulan=3):
    berkas = io.BytesIO(data)
    berkas.name = name
    return client.post(f"/renja/{renja.pk}/bukti/{triwulan}/", {"tempat": tempat, "berkas": berkas})


def test_operator_attaches_a_photo_to_an_indicator_and_it_is_recorded(client_for, disnaker) -> None:
    indikator = Indikator.objects.filter(simpul__renja=disnaker).exclude(teks="").first()
    data = _png()
    response = _upload(client_for("operator"), disnaker, "kegiatan.png", data, f"i-{indikator.pk}")
    assert response.status_code == 302
    saved = Bukti.objects.get(renja=disnaker)
    assert (saved.indikator_id, saved.kode, saved.jenis, bytes(saved.isi)) == (
        indikator.pk,
        indikator.simpul.kode,
        "png",
        data,
    )
    entry = Riwayat.objects.filter(renja=disnaker, jenis=Riwayat.Jenis.BUKTI).get()
    assert (entry.nilai_baru, entry.triwulan, entry.indikator_id) == (
        "kegiatan.png",
        3,
        indikator.pk,
    )
    page = client_for("verifikator").get(f"/renja/{disnaker.pk}/bukti/3/").content.decode()
    assert "kegiatan.png" in page and indikator.teks in page


def test_a_renamed_executable_is_refused_and_nothing_is_kept(client_for, disnaker) -> None:
    simpul = Simpul.objects.filter(renja=disnaker, tingkat="sub_kegiatan").first()
    response = _upload(client_for("operator"), disnaker, "laporan.pdf", EXE, f"s-{simpul.pk}")
    assert response.status_code == 400
    assert "laporan.pdf: isi berkas bukan PDF, JPG, atau PNG yang utuh" in response.content.decode()
    assert not Bukti.objects.exists()
    assert not Riwayat.objects.filter(jenis=Riwayat.Jenis.BUKTI).exists()


def test_a_node_of_another_renja_is_refused(client_for, disnaker, contoh) -> None:
    other = Simpul.objects.filter(renja=contoh).first()
    response = _upload(client_for("admin"), disnaker, "foto.png", _png(), f"s-{other.pk}")
    assert response.status_code == 400
    assert "tidak ada di Renja ini" in response.content.decode()


def test_a_submitted_quarter_takes_no_evidence(client_for, disnaker) -> None:
    LaporanTriwulan.objects.update_or_create(
        renja=disnaker, triwulan=3, defaults={"status": LaporanTriwulan.Status.DIAJUKAN}
    )
    simpul = Simpul.objects.filter(renja=disnaker, tingkat="sub_kegiatan").first()
    response = _upload(client_for("operator"), disnaker, "foto.png", _png(), f"s-{simpul.pk}")
    assert response.status_code == 409
    assert "sudah diajukan" in response.content.decode()
    assert not Bukti.objects.exists()


@pytest.fixture
def stored(users, disnaker):
    simpul = Simpul.objects.filter(renja=disnaker, tingkat="sub_kegiatan").first()
    first = bukti.bukti_upload(
        user=users["operator"], renja=disnaker, triwulan=3, name="a.png", data=_png(), simpul=simpul
    )
    second = bukti.bukti_upload(
        user=users["operator"],
        renja=disnaker,
        triwulan=3,
        name="a.png",
        data=_png((2, 2)),
        simpul=simpul,
    )
    return first, second


def test_download_gives_the_same_bytes_as_an_attachment(client_for, disnaker, stored) -> None:
    first, _ = stored
    response = client_for("pimpinan").get(f"/renja/{disnaker.pk}/bukti/berkas/{first.pk}/")
    assert response.status_code == 200
    assert response.content == bytes(first.isi)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="a.png"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_pds_operator_gets_404_on_the_file_and_the_zip(
    client_for, disnaker, stored
) -> None:
    first, _ = stored
    client = client_for("operator2")
    assert client.get(f"/renja/{disnaker.pk}/bukti/berkas/{first.pk}/").status_code == 404
    assert client.get(f"/renja/{disnaker.pk}/bukti/3/semua.zip").status_code == 404
    assert client.get(f"/renja/{disnaker.pk}/bukti/3/").status_code == 404


def test_one_zip_per_report_holds_every_file_under_its_code(client_for, disnaker, stored) -> None:
    first, second = stored
    response = client_for("verifikator").get(f"/renja/{disnaker.pk}/bukti/3/semua.zip")
    assert response["Content-Disposition"] == 'attachment; filename="bukti-2-07-01-2022-tw3.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names == [f"{first.kode}/a.png", f"{first.kode}/a-{second.pk}.png"]
    assert archive.read(names[0]) == bytes(first.isi)


def test_removal_is_recorded_and_only_while_the_quarter_is_open(
    client_for, disnaker, stored
) -> None:
    first, second = stored
    client = client_for("operator")
    assert client.post(f"/renja/{disnaker.pk}/bukti/berkas/{first.pk}/hapus/").status_code == 302
    assert not Bukti.objects.filter(pk=first.pk).exists()
    assert Riwayat.objects.filter(jenis=Riwayat.Jenis.BUKTI, nilai_lama="a.png").count() == 1
    LaporanTriwulan.objects.update_or_create(
        renja=disnaker, triwulan=3, defaults={"status": LaporanTriwulan.Status.DIVERIFIKASI}
    )
    client.post(f"/renja/{disnaker.pk}/bukti/berkas/{second.pk}/hapus/")
    assert Bukti.objects.filter(pk=second.pk).exists()


def test_evidence_survives_a_new_import_of_the_plan(users, disnaker, stored, reference_csv) -> None:
    from monev.io.flat import read_flat
    from monev.web import services

    services.renja_import(
        user=users["admin"],
        perangkat_daerah=disnaker.perangkat_daerah,
        tahun=2022,
        renja=read_flat(reference_csv),
    )
    first, _ = stored
    kept = Bukti.objects.get(pk=first.pk)
    assert (kept.simpul_id, kept.kode) == (None, first.kode)
