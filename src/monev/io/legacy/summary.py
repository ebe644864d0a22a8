"""The parts of a report around its tables: title, summary table, footer, and signatures."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from monev.io.legacy.cells import classify, clean_text, parse_number
from monev.io.legacy.model import (
    PREDIKAT,
    RATA_RATA_CAPAIAN,
    RATA_RATA_KEGIATAN,
    RATA_RATA_KEGIATAN_PROGRAM,
    RATA_RATA_PROGRAM,
    RATA_RATA_SUB_KEGIATAN,
    Place,
    Signature,
    SummaryLine,
)

_MONTHS = (
    "januari|februari|pebruari|maret|april|mei|juni|juli|agustus|september|oktober|"
    "nopember|november|desember"
)
_DATE_LINE = re.compile(rf"(?i)^[^\d,]{{2,60}},\s*(\d{{1,2}}\s+)?({_MONTHS})\s+\d{{4}}\s*$")
_NIP = re.compile(r"(?i)^nip\.?\s*:?\s*([\d\s.]*)$")
_ROLE = re.compile(r"(?i)^(disusun|dievaluasi|mengetahui|menyetujui|diperiksa)\b")
_YEAR = re.compile(r"\b(20\d\d)\b")
_TRIWULAN = re.compile(r"(?i)\btriwulan\s*(?:ke\s*-?\s*)?(iv|iii|ii|i|[1-4])\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_NARRATIVE = {
    "faktor_pendorong": ("faktor", "pendorong"),
    "faktor_penghambat": ("faktor", "penghambat"),
    "tindak_lanjut_triwulan": ("tindak", "triwulan"),
    "tindak_lanjut_renja": ("tindak", "renja"),
}


def _words(text: str) -> list[str]:
    return _NOT_WORD.sub(" ", text.lower()).split()


def summary_line_kind(label: str) -> str | None:
    """Return what a summary or footer line states, from its label; None if it is not one."""
    if not label.lstrip()[:8].lower().startswith(("rata", "predikat")):
        return None
    words = _words(label)
    if not words:
        return None
    if words[0] == "predikat":
        return PREDIKAT
    if words[:2] != ["rata", "rata"] and words[0] != "ratarata":
        return None
    text = " ".join(words)
    if "sub kegiatan" in text or "subkegiatan" in text:
        return RATA_RATA_SUB_KEGIATAN
    if "kegiatan" in words and "semua" in words:
        return RATA_RATA_KEGIATAN
    if "kegiatan" in words and "pada" in words:
        return RATA_RATA_KEGIATAN_PROGRAM
    if "program" in words:
        return RATA_RATA_PROGRAM
    if "capaian" in words or "kinerja" in words:
        return RATA_RATA_CAPAIAN
    return None


def summary_label_at(texts: Sequence[str]) -> int | None:
    """Return the column of a summary or footer line's label, None if the row is not one."""
    for position, text in enumerate(texts):
        if text and summary_line_kind(text) is not None:
            return position
    return None


def narrative_kind(texts: Sequence[str]) -> tuple[str, str] | None:
    """Return (kind, text) of a footer narrative row (`Faktor pendorong ...: text`)."""
    for position, text in enumerate(texts):
        words = _words(text)
        for key, (first, second) in _NARRATIVE.items():
            if words and words[0] == first and second in words:
                later = texts[position + 1 :]
                rest = " ".join(dict.fromkeys(t for t in later if t and t != text))
                if not rest and ":" in text:
                    rest = text.partition(":")[2]
                return key, rest.lstrip(":").strip()
    return None


def is_summary_header(texts: Sequence[str]) -> bool:
    words = [set(_words(t)) for t in texts if t]
    flat = set().union(*words) if words else set()
    first = any(_words(t)[:1] == ["indikator"] for t in texts if t)
    return first and "pagu" in flat and "persen" in flat


@dataclass(frozen=True, slots=True)
class SummaryColumns:
    """The columns of the summary table, from its header."""

    label: int
    capaian: int | None
    pagu: int | None
    realisasi: int | None
    persen: int | None
    width: int


def summary_columns(texts: Sequence[str]) -> SummaryColumns:
    found: dict[str, int] = {}
    label = next((i for i, t in enumerate(texts) if _words(t)[:1] == ["indikator"]), 0)
    for i, text in enumerate(texts):
        words = _words(text)
        if i == label or not words or text == texts[label]:
            continue
        for key in ("pagu", "realisasi", "persen"):
            if key in words and key not in found:
                found[key] = i
                break
        else:
            found.setdefault("capaian", i)
    return SummaryColumns(
        label,
        found.get("capaian"),
        found.get("pagu"),
        found.get("realisasi"),
        found.get("persen"),
        len(texts),
    )


def _value(raw: object) -> Decimal | None:
    """Return the number of a cell: a spreadsheet's own number, else Indonesian notation."""
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        cell = classify(raw, 0)[0]
        return cell.value if cell.is_number else None
    return parse_number(clean_text(raw))


def read_summary_line(
    row: Sequence[object], label_at: int, columns: SummaryColumns | None, tempat: Place
) -> SummaryLine:
    """Return a summary or footer line's printed figures (by the header, else in order)."""
    texts = [clean_text(c) for c in row]
    label = texts[label_at]
    jenis = summary_line_kind(label) or ""
    others = [i for i, t in enumerate(texts) if i != label_at and t and t != label]
    rest = [texts[i] for i in others]
    if jenis == PREDIKAT:
        words = [t for t in rest if not re.fullmatch(r"[-–—:]+", t)]
        return SummaryLine(
            jenis,
            label,
            tempat,
            predikat_k=words[0] if words else "",
            predikat_rp=words[1] if len(words) > 1 else "",
        )
    numbers = [_value(row[i]) for i in others]
    if jenis == RATA_RATA_CAPAIAN:
        given = [n for n in numbers if n is not None]
        return SummaryLine(
            jenis,
            label,
            tempat,
            capaian=given[0] if given else None,
            persen=given[1] if len(given) > 1 else None,
        )
    if columns is not None and len(texts) == columns.width and columns.label == label_at:
        wanted = (columns.capaian, columns.pagu, columns.realisasi, columns.persen)
        values = [None if i is None else _value(row[i]) for i in wanted]
    else:
        values = (numbers + [None] * 4)[:4]
    return SummaryLine(
        jenis,
        label,
        tempat,
        capaian=values[0],
        pagu=values[1],
        realisasi=values[2],
        persen=values[3],
    )


def program_name_of(line: SummaryLine) -> str:
    """Return the program named by a per-program summary line (`... pada PROGRAM X`)."""
    match = re.search(r"(?i)\bpada\b\s*(.*)$", line.label)
    return match.group(1).strip() if match else line.label


def looks_like_signature(texts: Sequence[str]) -> bool:
    """Return whether a row opens or belongs to a signature block."""
    for text in texts:
        if not text:
            continue
        if _DATE_LINE.match(text) or _NIP.match(text) or _ROLE.match(text):
            return True
        if re.match(r"(?i)^kepala\b", text):
            return True
    return False


def read_signatures(
    rows: Sequence[tuple[int, Sequence[tuple[int, str]]]], tempat: Place
) -> list[Signature]:
    """Return the signature blocks of the rows below the tables (one or two side by side)."""
    starts: list[int] = []
    cleaned: list[tuple[int, list[tuple[int, str]]]] = []
    for number, cells in rows:
        runs: list[tuple[int, str]] = []
        for column, text in cells:
            if runs and runs[-1][1] == text:
                continue  # a merged cell filled across its columns
            runs.append((column, text))
        cleaned.append((number, runs))
        starts += [c for c, _ in runs]
    if not cleaned:
        return []
    distinct = sorted(set(starts))
    split = None
    for a, b in pairwise(distinct):
        if b - a >= 3:
            split = b
            break
    blocks: list[list[tuple[int, str]]] = [[], []]
    for number, runs in cleaned:
        for column, text in runs:
            blocks[1 if split is not None and column >= split else 0].append((number, text))
    return [_signature(block, tempat) for block in blocks if block]


def _signature(lines: list[tuple[int, str]], tempat: Place) -> Signature:
    peran = tempat_tanggal = nama = nip = ""
    jabatan: list[str] = []
    rest: list[str] = []
    for _, text in lines:
        nip_match = _NIP.match(text)
        if nip_match:
            nip = re.sub(r"\D+", "", nip_match.group(1))
        elif _DATE_LINE.match(text) and not tempat_tanggal:
            tempat_tanggal = text
        elif _ROLE.match(text) and not peran:
            peran = text.rstrip(":").strip()
        else:
            rest.append(text)
    if rest:
        nama = rest[-1]
        jabatan = rest[:-1]
    return Signature(
        peran=peran,
        tempat_tanggal=tempat_tanggal,
        jabatan=" ".join(jabatan),
        nama=nama,
        nip=nip,
        tempat=tempat.at(None) if lines else tempat,
    )


def year_in(texts: Sequence[str]) -> int | None:
    for text in texts:
        match = re.search(r"(?i)periode\s+pelaksanaan\s*:?\s*(20\d\d)", text)
        if match:
            return int(match.group(1))
    for text in texts:
        match = re.search(r"(?i)tahun\s*(?:anggaran\s*)?:?\s*(20\d\d)", text)
        if match:
            return int(match.group(1))
    return None


def triwulan_in(texts: Sequence[str]) -> int | None:
    for text in texts:
        match = _TRIWULAN.search(text)
        if match:
            token = match.group(1).lower()
            return _ROMAN.get(token) or int(token)
    return None


def signature_year(signatures: Sequence[Signature]) -> int | None:
    for signature in signatures:
        match = _YEAR.search(signature.tempat_tanggal)
        if match:
            return int(match.group(1))
    return None


_PD_WORDS = re.compile(
    r"(?i)\b(dinas|badan|kantor|sekretariat|inspektorat|satuan polisi|rumah sakit|kecamatan)\b.*"
)
_PEMDA = re.compile(r"(?i)\b(kota|kabupaten|provinsi)\s+[a-z][a-z .'-]+")


def perangkat_daerah_in(texts: Sequence[str]) -> str:
    for text in texts:
        match = _PD_WORDS.search(text)
        if match and "evaluasi" not in text.lower():
            name = match.group(0).strip()
            pemda = _PEMDA.search(name)
            return name[: pemda.start()].strip() if pemda and pemda.start() > 0 else name
    return ""


def pemda_in(texts: Sequence[str]) -> str:
    for text in texts:
        match = _PEMDA.search(text)
        if match and "lingkup" not in text.lower():
            return match.group(0).strip()
    return ""
