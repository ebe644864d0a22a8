"""Nomenclature codes: urusan → bidang urusan → program → kegiatan → sub kegiatan (spec §2).

Normalised shapes:

    urusan        2
    bidang_urusan 2.07
    program       2.07.03
    kegiatan      2.07.03.2.01
    sub_kegiatan  2.07.03.2.01.01      (Permendagri 90/2019)
                  2.07.03.2.01.0001    (Kepmendagri 050-5889/2021)

Printed reports add shapes of their own (compact kegiatan `201`, an organisation prefix, trailing
dots, a leading `-`, kegiatan `02.01`); `parse_kode` reads them all and returns the normal shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Tingkat(StrEnum):
    URUSAN = "urusan"
    BIDANG_URUSAN = "bidang_urusan"
    PROGRAM = "program"
    KEGIATAN = "kegiatan"
    SUB_KEGIATAN = "sub_kegiatan"


#: The levels a Renja holds, top down.
TINGKAT_RENJA = (Tingkat.PROGRAM, Tingkat.KEGIATAN, Tingkat.SUB_KEGIATAN)

_PARTS_BY_TINGKAT = {
    Tingkat.URUSAN: 1,
    Tingkat.BIDANG_URUSAN: 2,
    Tingkat.PROGRAM: 3,
    Tingkat.KEGIATAN: 5,
    Tingkat.SUB_KEGIATAN: 6,
}
_TINGKAT_BY_PARTS = {n: t for t, n in _PARTS_BY_TINGKAT.items()}

_COMPACT_KEGIATAN = re.compile(r"^[12]\d\d$")
_DIGITS = re.compile(r"^\d+$")
_URUSAN = re.compile(r"^(\d|[A-Za-z])$")


class KodeError(ValueError):
    """A code that cannot be read."""


@dataclass(frozen=True, slots=True)
class Kode:
    """A normalised nomenclature code."""

    parts: tuple[str, ...]

    @property
    def tingkat(self) -> Tingkat:
        return _TINGKAT_BY_PARTS[len(self.parts)]

    @property
    def parent(self) -> Kode | None:
        if len(self.parts) == 1:
            return None
        if len(self.parts) == 5:  # kegiatan: 2.07.03.2.01 → program 2.07.03
            return Kode(self.parts[:3])
        return Kode(self.parts[:-1])

    def __str__(self) -> str:
        return ".".join(self.parts)


def _pad(token: str, width: int, text: str) -> str:
    if not _DIGITS.match(token):
        raise KodeError(f"bagian '{token}' bukan angka dalam kode '{text}'")
    if len(token) > width:
        stripped = token.lstrip("0")
        if len(stripped) > width:
            raise KodeError(f"bagian '{token}' terlalu panjang dalam kode '{text}'")
        token = stripped
    return token.zfill(width)


def _sub_kegiatan(token: str, text: str) -> str:
    if not _DIGITS.match(token):
        raise KodeError(f"bagian '{token}' bukan angka dalam kode '{text}'")
    if len(token) <= 2:
        return token.zfill(2)
    if len(token) <= 4:
        return token.zfill(4)
    raise KodeError(f"nomor sub kegiatan '{token}' terlalu panjang dalam kode '{text}'")


def _kegiatan_first(token: str, text: str) -> str:
    # Kegiatan numbers start with 1 (province) or 2 (kabupaten/kota); some reports print `02`.
    digit = token.lstrip("0") or "0"
    if digit not in ("1", "2"):
        raise KodeError(
            f"nomor kegiatan harus diawali 1 atau 2, bukan '{token}', dalam kode '{text}'"
        )
    return digit


def _tokens(text: str) -> list[str]:
    cleaned = re.sub(r"\s+", "", text)
    cleaned = cleaned.lstrip("-–").strip(".")
    if not cleaned:
        raise KodeError("kode kosong")
    tokens = cleaned.split(".")
    if any(t == "" for t in tokens):
        raise KodeError(f"kode '{text}' memuat titik ganda")
    return tokens


def _from_plain(tokens: list[str], text: str) -> tuple[str, ...]:
    urusan = tokens[0]
    if not _URUSAN.match(urusan):
        raise KodeError(f"urusan '{urusan}' tidak dikenal dalam kode '{text}'")
    out = [urusan.upper()]
    if len(tokens) >= 2:
        out.append(_pad(tokens[1], 2, text))
    if len(tokens) >= 3:
        out.append(_pad(tokens[2], 2, text))
    rest = tokens[3:]
    if not rest:
        return tuple(out)
    if _COMPACT_KEGIATAN.match(rest[0]):
        out += [rest[0][0], rest[0][1:]]
        rest = rest[1:]
    elif len(rest) >= 2:
        out += [_kegiatan_first(rest[0], text), _pad(rest[1], 2, text)]
        rest = rest[2:]
    else:
        raise KodeError(f"kode '{text}' tidak lengkap: nomor kegiatan kurang")
    if len(rest) > 1:
        raise KodeError(f"kode '{text}' terlalu panjang")
    if rest and rest[0].strip("0"):
        out.append(_sub_kegiatan(rest[0], text))
    return tuple(out)


def _from_prefixed(tokens: list[str], text: str) -> tuple[str, ...]:
    """Read a code carrying the PD's organisation code, from the right.

    `2.07.2-7.0-0-0.01.03.201.01` = bidang 2.07, organisation 2-7.0-0-0, PD 01, program 03,
    kegiatan 201 (= 2.01), sub kegiatan 01. OCR damages the organisation part, so only the first
    two tokens and the tail after it are trusted.
    """
    head = [tokens[0], tokens[1]]
    last_dash = max(i for i, t in enumerate(tokens) if "-" in t)
    tail = tokens[last_dash + 1 :]
    compact = [i for i, t in enumerate(tokens) if i > 2 and _COMPACT_KEGIATAN.match(t)]
    if compact:
        k = compact[-1]
        program = tokens[k - 1]
        after = tokens[k + 1 :]
        if len(after) > 1:
            raise KodeError(f"kode '{text}' terlalu panjang setelah nomor kegiatan")
        return _from_plain([*head, program, tokens[k], *after], text)
    if len(tail) < 2:
        raise KodeError(f"kode '{text}' tidak memuat nomor program setelah kode organisasi")
    return _from_plain([*head, tail[-1]], text)


_NORMAL = re.compile(r"^\d\.\d\d(\.\d\d(\.[12]\.\d\d(\.\d\d|\.\d{4})?)?)?$")


def parse_kode(text: str) -> Kode:
    """Return the normalised code of any printed shape (spec §2); raise `KodeError` if unreadable."""
    if _NORMAL.match(text):  # already normal: the common case in flat files
        return Kode(tuple(text.split(".")))
    tokens = _tokens(str(text))
    if any("-" in t for t in tokens):
        if len(tokens) < 4:
            raise KodeError(f"kode '{text}' tidak dapat dibaca")
        parts = _from_prefixed(tokens, str(text))
    else:
        parts = _from_plain(tokens, str(text))
    return Kode(parts)


def normalise_kode(text: str) -> str:
    """Return the normalised text of a code."""
    return str(parse_kode(text))


def program_of(kode: str) -> str:
    """Return the program code of a normalised program, kegiatan or sub kegiatan code
    (`2.07.03.2.01.0001` → `2.07.03`)."""
    return ".".join(kode.split(".")[:3])


def read_kode(text: str) -> tuple[str, Tingkat]:
    """Return the normalised text and the level of a code; raise `KodeError` if unreadable.

    The same as `parse_kode` without building a `Kode`, for readers that see thousands of codes.
    """
    if _NORMAL.match(text):  # already normal: the text is its own normal shape
        return text, _TINGKAT_BY_PARTS[text.count(".") + 1]
    kode = parse_kode(text)
    return str(kode), kode.tingkat


#: How a provisional code is marked wherever a code is shown (reports, CSV, pages).
TANDA_SEMENTARA = "(kode sementara)"


def kode_sementara(kode: str) -> bool:
    """Return whether a normalised code is a provisional one, given to a node that had none.

    The table importer gives provisional codes that no nomenclature has: urusan `0` (`0.00.01`,
    `0.00.01.2.01`), or under a printed parent a kegiatan numbered from 90 (`2.07.01.2.91`) or a
    sub kegiatan numbered from 9000 (`2.07.01.2.01.9001`); a node under a provisional parent is
    provisional too."""
    parts = kode.split(".")
    if parts[0] == "0":
        return True
    if len(parts) >= 5 and parts[4].isdigit() and int(parts[4]) >= 90:
        return True
    return len(parts) == 6 and len(parts[5]) == 4 and parts[5] >= "9000"


def kode_tampil(kode: str) -> str:
    """Return a code as shown to a reader: a provisional one carries its mark."""
    return f"{kode} {TANDA_SEMENTARA}" if kode_sementara(kode) else kode
