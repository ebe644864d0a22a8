"""Supporting documents (bukti dukung) of a quarter: upload, list, download, remove, one zip per
report.

A file is taken for what its content is, never for its name: a PDF must start as a PDF and end
with its end-of-file mark, an image must be a whole PNG or JPEG that Pillow can read, and the
name's extension must agree with what the content is (a renamed executable is refused). Who may
add or remove evidence, and when, follows the quarter's data: the PD's operator or an admin while
the quarter can be changed (`siklus.require_entry`); whoever can read the Renja can read its
evidence. Every upload and removal is recorded in `Riwayat`.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import transaction

from monev.web import siklus
from monev.web.models import Bukti, Indikator, Renja, Riwayat, Simpul

ROMAWI = ("I", "II", "III", "IV")
#: What a name may end in, for each kind of content.
EXTENSIONS = {
    Bukti.Jenis.PDF: (".pdf",),
    Bukti.Jenis.JPG: (".jpg", ".jpeg"),
    Bukti.Jenis.PNG: (".png",),
}


class BuktiDitolak(ValueError):
    """A file refused, with the reason in Indonesian."""


def max_bytes() -> int:
    return int(getattr(settings, "MONEV_BUKTI_MAX_BYTES", 10 * 1024 * 1024))


def _image_kind(data: bytes) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()  # the whole file, not only its header
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # verify() skips the pixels; a cut file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return {"PNG": Bukti.Jenis.PNG, "JPEG": Bukti.Jenis.JPG}.get(kind or "")


def content_kind(data: bytes) -> str | None:
    """Return the kind of a file from its content (pdf, jpg, png), or None if it is none of them."""
    if data.startswith(b"%PDF-"):
        return Bukti.Jenis.PDF if b"%%EOF" in data[-2048:] else None
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        return _image_kind(data)
    return None


def check_file(name: str, data: bytes) -> str:
    """Return the kind of an uploaded file, or refuse it (`BuktiDitolak`) saying why."""
    shown = PurePath(name).name or "berkas"
    if not data:
        raise BuktiDitolak(f"{shown}: berkas kosong")
    if len(data) > max_bytes():
        raise BuktiDitolak(
            f"{shown}: berkas {len(data) // 1024} KB melebihi batas {max_bytes() // 1024} KB"
        )
    kind = content_kind(data)
    if kind is None:
        raise BuktiDitolak(f"{shown}: isi berkas bukan PDF, JPG, atau PNG yang utuh")
    suffix = PurePath(shown).suffix.lower()
    if suffix not in EXTENSIONS[Bukti.Jenis(kind)]:
        raise BuktiDitolak(
            f"{shown}: nama berakhiran '{suffix or '(tanpa akhiran)'}' tetapi isinya "
            f"{Bukti.Jenis(kind).label}; ganti nama berkas sesuai isinya"
        )
    return kind


def _safe_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name.strip()
    cleaned = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in base)
    return cleaned[:200] or "berkas"


@transaction.atomic
def bukti_upload(
    *,
    user: Any,
    renja: Renja,
    triwulan: int,
    name: str,
    data: bytes,
    simpul: Simpul | None = None,
    indikator: Indikator | None = None,
) -> Bukti:
    """Attach a file to a sub kegiatan or an indicator of the quarter (exactly one of them)."""
    if (simpul is None) == (indikator is None):
        raise BuktiDitolak("pilih satu sub kegiatan atau satu indikator")
    node = simpul if simpul is not None else indikator.simpul  # type: ignore[union-attr]
    if node.renja_id != renja.pk:
        raise BuktiDitolak("sub kegiatan atau indikator itu bukan bagian dari Renja ini")
    siklus.require_entry(user, renja, triwulan)
    kind = check_file(name, data)
    bukti = Bukti.objects.create(
        renja=renja,
        triwulan=triwulan,
        simpul=node,
        indikator=indikator,
        kode=node.kode,
        indikator_teks=indikator.teks if indikator is not None else "",
        nama_berkas=_safe_name(name),
        jenis=kind,
        ukuran=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        isi=data,
        diunggah_oleh=user,
    )
    Riwayat.objects.create(
        pengguna=user,
        renja=renja,
        simpul=node,
        indikator=indikator,
        jenis=Riwayat.Jenis.BUKTI,
        triwulan=triwulan,
        kolom="bukti",
        nilai_baru=bukti.nama_berkas,
        keterangan=f"bukti dukung diunggah ({bukti.get_jenis_display()}, {len(data)} bita)",
    )
    return bukti


@transaction.atomic
def bukti_remove(*, user: Any, bukti: Bukti) -> None:
    """Remove a file while its quarter can still be changed; the removal is recorded."""
    siklus.require_entry(user, bukti.renja, bukti.triwulan)
    Riwayat.objects.create(
        pengguna=user,
        renja=bukti.renja,
        simpul=bukti.simpul,
        indikator=bukti.indikator,
        jenis=Riwayat.Jenis.BUKTI,
        triwulan=bukti.triwulan,
        kolom="bukti",
        nilai_lama=bukti.nama_berkas,
        keterangan="bukti dukung dihapus",
    )
    bukti.delete()


@dataclass(frozen=True)
class BarisBukti:
    bukti: Bukti
    tempat: str  # "2.07.01.2.01.01" or "2.07.01.2.01.01 · <indicator>"


def bukti_list(renja: Renja, triwulan: int) -> list[BarisBukti]:
    """Return the quarter's files without their content (one query)."""
    rows = Bukti.objects.filter(renja=renja, triwulan=triwulan).defer("isi")
    return [
        BarisBukti(b, f"{b.kode} · {b.indikator_teks}" if b.indikator_teks else b.kode)
        for b in rows
    ]


def bukti_zip(renja: Renja, triwulan: int) -> bytes:
    """Return every file of the quarter in one zip, each under its node's code."""
    out = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for b in Bukti.objects.filter(renja=renja, triwulan=triwulan):
            path = f"{b.kode}/{b.nama_berkas}"
            if path in used:  # two files of one name under one node
                stem, dot, ext = b.nama_berkas.rpartition(".")
                path = f"{b.kode}/{stem or ext}-{b.pk}{dot}{ext if stem else ''}"
            used.add(path)
            archive.writestr(path, bytes(b.isi))
    return out.getvalue()


def zip_name(renja: Renja, triwulan: int) -> str:
    kode = renja.perangkat_daerah.kode.replace(".", "-")
    return f"bukti-{kode}-{renja.tahun}-tw{triwulan}.zip"
