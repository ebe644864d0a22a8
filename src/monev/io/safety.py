"""Checks on an uploaded file before any reader opens it."""

from __future__ import annotations

import io
import zipfile

from monev.io.flat import InputError, Masalah

ZIP_FORMATS = (".xlsx", ".xlsm", ".ods")
MAX_ENTRIES = 10_000
MAX_RATIO = 200  # a real workbook compresses about 5–20 times; a zip bomb far more


def check_upload(data: bytes, berkas: str, *, max_bytes: int, max_unpacked_bytes: int) -> None:
    """Refuse a file too large, or a workbook (a zip) that unpacks to too much (a zip bomb)."""
    if len(data) > max_bytes:
        raise InputError(
            [
                Masalah(
                    f"berkas terlalu besar ({len(data):,} bita; batas {max_bytes:,})".replace(
                        ",", "."
                    ),
                    berkas,
                )
            ]
        )
    if not berkas.lower().endswith(ZIP_FORMATS):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise InputError([Masalah("buku kerja rusak atau bukan XLSX/ODS", berkas)]) from exc
    unpacked = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    if len(entries) > MAX_ENTRIES or unpacked > max_unpacked_bytes or unpacked / packed > MAX_RATIO:
        raise InputError(
            [
                Masalah(
                    "buku kerja terlalu besar setelah dibuka (kemungkinan berkas berbahaya); tidak diproses",
                    berkas,
                )
            ]
        )
