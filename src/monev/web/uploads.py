"""Uploaded import files, kept no longer than the import needs.

The first step (check and preview) reads the upload in memory and writes it to the data folder
only once it has been read without a problem, for the confirm step to find it by a random
token. The confirm step reads the bytes and removes the file before it saves anything, so a
server killed during the save (kill -9) leaves nothing behind. Whatever is left by a process
killed in between (and Django's own temporary upload files, which settings put in the same
folder) is removed at start and by every import once it is older than MONEV_UPLOAD_MAX_AGE.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "impor"
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep(data: bytes, suffix: str) -> str:
    """Write checked upload bytes for the confirm step (owner only); return their token."""
    token = f"{uuid.uuid4().hex}{suffix}"
    fd = os.open(folder() / token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return token


def _path(token: str) -> Path | None:
    name = Path(token).name  # never a path from the client
    stem = name.partition(".")[0]
    if len(stem) != 32 or not all(c in "0123456789abcdef" for c in stem):
        return None
    return folder() / name


def read(token: str) -> bytes | None:
    """Return the bytes kept under `token`, or None when they are gone or too old."""
    path = _path(token)
    if path is None:
        return None
    try:
        if time.time() - path.stat().st_mtime > settings.MONEV_UPLOAD_MAX_AGE_SECONDS:
            path.unlink(missing_ok=True)
            return None
        return path.read_bytes()
    except FileNotFoundError:
        return None


def discard(token: str) -> None:
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def sweep(max_age: float | None = None) -> int:
    """Remove every file of the upload folder older than `max_age` seconds; return how many."""
    limit = settings.MONEV_UPLOAD_MAX_AGE_SECONDS if max_age is None else max_age
    path = Path(settings.DATA_DIR) / "impor"
    if not path.is_dir():
        return 0
    removed = 0
    now = time.time()
    for entry in path.iterdir():
        with contextlib.suppress(FileNotFoundError):
            if entry.is_file() and now - entry.stat().st_mtime > limit:
                entry.unlink()
                removed += 1
    return removed


def received(
    request: HttpRequest, problems: list[str], *, suffixes: tuple[str, ...], pilih: str, harus: str
) -> tuple[str, bytes] | None:
    """Return the name and bytes of the form's file (`berkas`), or None after adding what is
    wrong with it to `problems`: none chosen (`pilih`), too large, or not one of these kinds
    (`harus`). The one first check of every upload form."""
    upload = request.FILES.get("berkas")
    if upload is None:
        problems.append(pilih)
        return None
    if upload.size and upload.size > settings.MONEV_UPLOAD_MAX_BYTES:
        problems.append("Berkas terlalu besar.")
        return None
    name = upload.name or ""
    if Path(name).suffix.lower() not in suffixes:
        problems.append(harus)
        return None
    return name, upload.read()
