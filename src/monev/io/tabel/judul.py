"""Header recognition by meaning: what a column holds, from the words of its header.

Tables from E.81, E.55, E.79, the reference report and the systems pemda use (SIPD exports,
spreadsheets of their own) name the same things in many ways: `Target Kinerja`, `Realisasi TW I`,
`Tw.1`, `Triwulan I`, `Jumlah`, `Capaian (%)`, `Pagu`, `Alokasi`, `Anggaran`, `Realisasi
Keuangan`, months `1 … 12`, `Semester I/II`. A header is often two or three rows (a merged
`Realisasi Kinerja pada Triwulan` over `I II III IV` over `K Rp`); the words of every row above a
column are read together. Which side (K or Rp) a column is on comes from its last word (`K`, `Rp`),
else from its words (`anggaran`, `keuangan`, `pagu` → Rp; `kinerja`, `fisik` → K), else from the
column before it (a `%` after a realisation Rp is the Rp per cent).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from monev.io.tabel.model import ABAIKAN

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "agust": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip
_QUARTER_WORDS = {"tw", "trw", "triwulan", "twl", "q", "kuartal", "quarter"}
_SEMESTER_WORDS = {"semester", "smt", "sem", "smstr"}
_RP_WORDS = {
    "rp", "rupiah", "anggaran", "keuangan", "pagu", "alokasi", "dana", "belanja", "biaya", "apbd",
}  # fmt: skip
_K_WORDS = {"kinerja", "fisik", "volume", "output", "outcome"}
_PERCENT_WORDS = {"%", "persen", "persentase", "prosentase", "presentase"}
_NUMBER_WORDS = {
    "target", "realisasi", "capaian", "pagu", "alokasi", "anggaran", "jumlah", "total",
    *_PERCENT_WORDS, *_QUARTER_WORDS, *_SEMESTER_WORDS, "bulan",
}  # fmt: skip
_NAME_WORDS = {
    "program", "kegiatan", "subkegiatan", "uraian", "nama", "urusan", "bidang", "sub",
    "nomenklatur", "pd", "opd",
}  # fmt: skip
_SPLIT = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_WORD = re.compile(r"%|[0-9a-z]+")


def words(text: str) -> list[str]:
    """Return the words of a header (lower case; `Tw.1` → `tw 1`, `s/d` → `sd`)."""
    text = text.lower().replace("s/d", " sd ").replace("s.d.", " sd ").replace("s.d", " sd ")
    text = text.replace("sub kegiatan", "subkegiatan").replace("sub-kegiatan", "subkegiatan")
    return [_ABBREVIATIONS.get(w, w) for w in _WORD.findall(_SPLIT.sub(" ", text))]


#: Abbreviations and synonyms in the headers of real tables, as the words this module reads.
_ABBREVIATIONS = {
    "real": "realisasi",
    "rea": "realisasi",
    "realisai": "realisasi",
    "trg": "target",
    "tgt": "target",
    "rencana": "target",
    "ang": "anggaran",
    "angg": "anggaran",
    "keu": "keuangan",
    "cap": "capaian",
    "pencapaian": "capaian",
    "ind": "indikator",
    "keluaran": "indikator",
    "kinerja%": "kinerja",
    "jml": "jumlah",
    "ket": "keterangan",
    "sat": "satuan",
    "tri": "triwulan",
    "tw.": "tw",
}


def _number(token: str) -> int | None:
    if token in _ROMAN:
        return _ROMAN[token]
    return int(token) if token.isdigit() and len(token) <= 2 else None


def period_of(tokens: Sequence[str]) -> str | None:
    """Return the period a header names (`tw2`, `bln7`, `sem1`), or None."""
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token in _QUARTER_WORDS or token in _SEMESTER_WORDS:
            if following == "ke" and index + 2 < len(tokens):
                following = tokens[index + 2]
            number = _number(following)
            if token in _QUARTER_WORDS and number is not None and 1 <= number <= 4:
                return f"tw{number}"
            if token in _SEMESTER_WORDS and number is not None and 1 <= number <= 2:
                return f"sem{number}"
    for token in tokens:
        if token in _MONTHS:
            return f"bln{_MONTHS[token]}"
    if any(t in ("bulan", "bln") for t in tokens) or "realisasi" in tokens:
        numbers = [n for t in tokens if t.isdigit() and (n := int(t)) and 1 <= n <= 12]
        if numbers and not any(t in _QUARTER_WORDS or t in _SEMESTER_WORDS for t in tokens):
            return f"bln{numbers[-1]}"
    return None


def side_of(tokens: Sequence[str]) -> str | None:
    """Return "k" or "rp" for the side a header names, or None when it does not say."""
    if not tokens:
        return None
    last = tokens[-1]
    if last in ("k", "kinerja", "fisik", "f"):
        return "k"
    if last in ("rp", "rupiah", "keuangan", "anggaran", "dana"):
        return "rp"
    has_rp = any(t in _RP_WORDS for t in tokens)
    has_k = any(t in _K_WORDS for t in tokens)
    if has_rp and not has_k:
        return "rp"
    if has_k and not has_rp:
        return "k"
    return None


def classify(text: str) -> str | None:
    """Return the field a header names; `…_?` where the side is left to the neighbours; None if
    the header names nothing this importer knows."""
    tokens = words(text)
    if not tokens:
        return None
    has = set(tokens).__contains__
    phrase = " ".join(tokens)
    if has("rekening") or has("akun") or phrase.startswith("kd rek") or phrase == "rek":
        return "kode_rekening" if has("kode") or has("kd") or has("no") else "nama_rekening"
    if tokens[0] in ("kode", "kd") and not (set(tokens) & _NUMBER_WORDS):
        return "kode"
    if has("sisa") or has("selisih") or has("sumber") or has("lokasi"):
        return None  # a balance, a funding source, a place: nothing the plan keeps
    if phrase in ("no", "nomor", "no urut", "nomor urut", "urut"):
        return "nomor"
    if has("indikator") or has("tolok"):
        return "indikator"
    if has("satuan") or phrase == "sat":
        return "satuan"
    if has("sasaran") and not (set(tokens) & _NUMBER_WORDS):
        return "sasaran"
    if (has("penanggung") or has("pj") or phrase in ("unit", "unit kerja", "opd", "skpd")) and not (
        set(tokens) & _NUMBER_WORDS
    ):
        return "unit"
    if has("keterangan") or phrase in ("ket", "catatan"):
        return "keterangan"
    if has("formula") or has("agregasi") or has("sifat") or has("rumus"):
        return "formula"
    if phrase in ("tingkat", "level", "jenis", "tingkatan", "jenis baris"):
        return "tingkat"
    period = period_of(tokens)
    numbers = bool(set(tokens) & _NUMBER_WORDS) or period is not None
    if not numbers:
        if set(tokens) & _NAME_WORDS:
            return "nama"
        return None
    side = side_of(tokens) or "?"
    percent = bool(set(tokens) & _PERCENT_WORDS)
    if has("renstra") and has("capaian") and (has("tingkat") or percent):
        return ABAIKAN  # column 15: recomputed from the others
    if has("realisasi") and has("renstra") and has("berjalan"):
        return ABAIKAN  # column 14: recomputed from the others
    if has("realisasi") and has("lalu"):
        return f"realisasi_lalu_{side}"
    if has("target") and (has("renstra") or has("akhir")):
        return f"target_renstra_{side}"
    if percent or (has("capaian") and (has("tingkat") or not has("realisasi"))):
        return f"capaian_{side}"
    if has("target"):
        if period is not None and period not in ("tw4", "sem2", "bln12"):
            return ABAIKAN  # a target per period: the year's is the last period's (or a column)
        return "pagu" if side == "rp" else ("target_k" if side == "k" else "target_?")
    if (has("pagu") or has("alokasi") or has("anggaran") or has("dana")) and not has("realisasi"):
        return "pagu"
    if has("realisasi") or period is not None or has("jumlah") or has("total"):
        if has("sd") or has("sampai") or has("kumulatif"):
            period = None  # to date (`s.d. Triwulan III`): the quarter is the table's
        return f"realisasi_{side}:{period or 'jumlah'}"
    return None


def resolve_sides(fields: list[str | None]) -> list[str | None]:
    """Give each field whose side is open (`…_?`) a side, in this order: the other side when the
    table names this field on one side already (`Capaian (%)` beside `Persentase Realisasi
    Keuangan` is K); for realisation periods, the side the table has no realisation of yet
    (`Realisasi TW I … IV` beside `Realisasi Keuangan (Rp)` are K); the side of the number column
    before it, or after it; K. `target_?` on the Rp side is the pagu."""
    taken = {f for f in fields if f and "?" not in f}
    realisasi_sides = {_side(f) for f in taken if f.startswith("realisasi_") and ":" in f}
    has_k = any(f == "indikator" or f == "target_k" for f in taken)
    has_rp = "pagu" in taken
    sides: list[str | None] = [_side(f) for f in fields]
    resolved: list[str | None] = []
    for index, name in enumerate(fields):
        if name is None or "?" not in name:
            resolved.append(name)
            continue
        side: str | None = None
        k_name, rp_name = name.replace("?", "k"), name.replace("?", "rp")
        if name == "target_?":
            k_name, rp_name = "target_k", "pagu"
        if (rp_name in taken) != (k_name in taken):
            side = "k" if rp_name in taken else "rp"
        elif name.startswith("realisasi_?:") and len(realisasi_sides - {None}) == 1:
            only = (realisasi_sides - {None}).pop()
            other = "k" if only == "rp" else "rp"
            if (other == "k" and has_k) or (other == "rp" and has_rp):
                side = other
        if side is None:
            side = next((sides[i] for i in range(index - 1, -1, -1) if sides[i]), None) or next(
                (sides[i] for i in range(index + 1, len(fields)) if sides[i]), None
            )
        side = side or "k"
        sides[index] = side
        if name == "target_?":
            resolved.append("pagu" if side == "rp" else "target_k")
        else:
            resolved.append(name.replace("?", side))
    return resolved


def _side(name: str | None) -> str | None:
    if name is None or "?" in name:
        return None
    if name == "pagu" or "_rp" in name:
        return "rp"
    if name.endswith("_k") or "_k:" in name:
        return "k"
    return None


def header_like(text: str) -> bool:
    """Return whether a cell can belong to a header row: a known header, a side (`K`, `Rp`), a
    period or column number (`I`, `1`, `Jan`), or a short text with no figure in it."""
    tokens = words(text)
    if not tokens:
        return True
    if classify(text) is not None:
        return True
    if len(tokens) == 1:
        token = tokens[0]
        if token in ("k", "rp", "%") or token in _ROMAN or token in _MONTHS:
            return True
        if token in _K_WORDS or token in _RP_WORDS or token in _NUMBER_WORDS:
            return True  # `Kinerja` and `Keuangan` under a merged `Realisasi`
        if token.isdigit() and len(token) <= 2:
            return True
    return False
