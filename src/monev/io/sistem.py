"""The operating system's refusals in Bahasa Indonesia.

`OSError.strerror` is the C library's English (`No such file or directory`); a message that a
user reads names the reason in Indonesian instead, and keeps the English only for a reason this
table does not know.
"""

from __future__ import annotations

import errno

ALASAN = {
    errno.ENOENT: "berkas atau folder tidak ada",
    errno.EACCES: "tidak diizinkan membacanya atau menulisnya (hak akses)",
    errno.EPERM: "tidak diizinkan (hak akses)",
    errno.EISDIR: "yang disebut adalah folder, bukan berkas",
    errno.ENOTDIR: "sebagian jalurnya bukan folder",
    errno.EEXIST: "sudah ada",
    errno.ENOSPC: "ruang disk penuh",
    errno.EROFS: "sistem berkas hanya dapat dibaca",
    errno.ENAMETOOLONG: "nama berkas terlalu panjang",
    errno.EMFILE: "terlalu banyak berkas terbuka",
    errno.EBUSY: "berkas sedang dipakai",
    errno.EIO: "galat baca/tulis perangkat",
}


def alasan_os(exc: OSError) -> str:
    """Return why the system refused, in Indonesian (`berkas atau folder tidak ada`)."""
    known = ALASAN.get(exc.errno) if exc.errno is not None else None
    if known:
        return known
    return exc.strerror or str(exc) or exc.__class__.__name__
