"""The columns of an E.81-like table, found from its header block (spec §4).

A header block is a line of header texts (`Kode`, `Indikator Kinerja ...`, `Target Renstra ...`),
often followed by a line of column numbers (`5  6  7 ...`, each over a K and an Rp cell) and a
line of `K`/`Rp`. Scanned reports damage all three (misspelt words, lost cells, texts over the
wrong column), so the meaning of the numbered columns comes from their order (the regulation's
order never changes) checked against the texts, not from fixed positions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import Enum
from functools import lru_cache

from monev.io.legacy.cells import clean_text


class SlotKind(Enum):
    K = "k"
    RP = "rp"
    TARGET = "target"  # column 8 K: the target, often with its volume
    REALISASI_K = "realisasi_k"  # column 13 K: the year's value, or the printed capaian
    PERCENT = "percent"
    TEXT = "text"


class Group(Enum):
    """The column groups of the form, in the regulation's order (spec §4)."""

    TARGET_RENSTRA = "target_renstra"  # 6
    REALISASI_LALU = "realisasi_lalu"  # 7
    TARGET = "target"  # 8
    TRIWULAN = "triwulan"  # 9–12
    REALISASI = "realisasi"  # 13
    CAPAIAN = "capaian"  # the province form's capaian column
    RENSTRA_REALISASI = "renstra_realisasi"  # 14
    RENSTRA_CAPAIAN = "renstra_capaian"  # 15
    UNIT = "unit"  # 16
    KETERANGAN = "keterangan"  # 17


class Identity(Enum):
    """The columns that name a line rather than hold its figures."""

    NO = "no"
    SASARAN = "sasaran"
    KODE = "kode"
    NAMA = "nama"
    INDIKATOR = "indikator"


#: Every slot a line can fill, in the form's order, with the kind of cell it takes.
SLOTS: dict[str, SlotKind] = {
    "target_renstra_k": SlotKind.K,
    "target_renstra_rp": SlotKind.RP,
    "realisasi_lalu_k": SlotKind.K,
    "realisasi_lalu_rp": SlotKind.RP,
    "target_k": SlotKind.TARGET,
    "pagu": SlotKind.RP,
    "tw1_k": SlotKind.K,
    "tw1_rp": SlotKind.RP,
    "tw2_k": SlotKind.K,
    "tw2_rp": SlotKind.RP,
    "tw3_k": SlotKind.K,
    "tw3_rp": SlotKind.RP,
    "tw4_k": SlotKind.K,
    "tw4_rp": SlotKind.RP,
    "realisasi_k": SlotKind.REALISASI_K,
    "realisasi_rp": SlotKind.RP,
    "capaian_k": SlotKind.PERCENT,
    "capaian_rp": SlotKind.PERCENT,
    "renstra_realisasi_k": SlotKind.K,
    "renstra_realisasi_rp": SlotKind.RP,
    "renstra_capaian_k": SlotKind.PERCENT,
    "renstra_capaian_rp": SlotKind.PERCENT,
    "unit_penanggung_jawab": SlotKind.TEXT,
    "keterangan": SlotKind.TEXT,
}

#: How a slot is named in messages.
SLOT_LABELS: dict[str, str] = {
    "target_renstra_k": "target Renstra (K)",
    "target_renstra_rp": "target Renstra (Rp)",
    "realisasi_lalu_k": "realisasi s.d. tahun lalu (K)",
    "realisasi_lalu_rp": "realisasi s.d. tahun lalu (Rp)",
    "target_k": "target (K)",
    "pagu": "pagu (Rp)",
    "tw1_k": "triwulan I (K)",
    "tw1_rp": "triwulan I (Rp)",
    "tw2_k": "triwulan II (K)",
    "tw2_rp": "triwulan II (Rp)",
    "tw3_k": "triwulan III (K)",
    "tw3_rp": "triwulan III (Rp)",
    "tw4_k": "triwulan IV (K)",
    "tw4_rp": "triwulan IV (Rp)",
    "realisasi_k": "realisasi/capaian tercetak (K)",
    "realisasi_rp": "realisasi tercetak (Rp)",
    "capaian_k": "capaian tercetak (K)",
    "capaian_rp": "capaian tercetak (Rp)",
    "renstra_realisasi_k": "realisasi Renstra s.d. tahun berjalan (K)",
    "renstra_realisasi_rp": "realisasi Renstra s.d. tahun berjalan (Rp)",
    "renstra_capaian_k": "capaian Renstra (K)",
    "renstra_capaian_rp": "capaian Renstra (Rp)",
    "unit_penanggung_jawab": "unit penanggung jawab",
    "keterangan": "keterangan",
}

_PAIRED: dict[Group, tuple[str, str]] = {
    Group.TARGET_RENSTRA: ("target_renstra_k", "target_renstra_rp"),
    Group.REALISASI_LALU: ("realisasi_lalu_k", "realisasi_lalu_rp"),
    Group.TARGET: ("target_k", "pagu"),
    Group.REALISASI: ("realisasi_k", "realisasi_rp"),
    Group.CAPAIAN: ("capaian_k", "capaian_rp"),
    Group.RENSTRA_REALISASI: ("renstra_realisasi_k", "renstra_realisasi_rp"),
    Group.RENSTRA_CAPAIAN: ("renstra_capaian_k", "renstra_capaian_rp"),
}
_SINGLE: dict[Group, str] = {
    Group.UNIT: "unit_penanggung_jawab",
    Group.KETERANGAN: "keterangan",
}
_NUMERIC = tuple(g for g in Group if g not in _SINGLE)


def quarter_slots(q: int) -> tuple[str, str]:
    return f"tw{q}_k", f"tw{q}_rp"


_NOT_WORD = re.compile(r"[^a-z0-9]+")

HeaderKind = Group | Identity


def _words(text: str) -> list[str]:
    return _NOT_WORD.sub(" ", text.lower()).split()


def _like(words: Sequence[str], stem: str, ratio: float = 0.8) -> bool:
    """Return whether a word starts with `stem` or, misspelt by OCR, nearly does."""
    for word in words:
        if word.startswith(stem):
            return True
        if (
            len(word) >= 4
            and word[0] == stem[0]
            and abs(len(word) - len(stem)) <= 3
            and SequenceMatcher(None, word[: len(stem)], stem).ratio() >= ratio
        ):
            return True
    return False


@lru_cache(maxsize=4096)
def classify_header(text: str) -> HeaderKind | None:
    """Return what a header cell names, reading through the usual OCR damage."""
    words = _words(text)
    if not words:
        return None
    if words[0] == "kode" and len(words) <= 3:
        return Identity.KODE
    if words in (["no"], ["nomor"], ["no", "urut"]):
        return Identity.NO
    if _like(words, "indikator"):
        return Identity.INDIKATOR
    if len(words) <= 2 and SequenceMatcher(None, words[0], "sasaran").ratio() >= 0.6:
        return Identity.SASARAN
    if _like(words, "penanggung") or words[0] == "unit":
        return Group.UNIT
    if words[0] in ("keterangan", "ket"):
        return Group.KETERANGAN
    if _like(words, "triwulan"):
        return Group.TRIWULAN
    if _like(words, "target"):
        return Group.TARGET_RENSTRA if "akhir" in words or "periode" in words else Group.TARGET
    if _like(words, "tingkat") and _like(words, "capaian"):
        # Column 15 is the Renstra's (up to this year); the province form's own capaian column
        # is the Renja's (the year evaluated).
        renstra = "renstra" in words or "berjalan" in words
        return Group.RENSTRA_CAPAIAN if renstra else Group.CAPAIAN
    if _like(words, "realisasi"):
        if "lalu" in words:
            return Group.REALISASI_LALU
        if "berjalan" in words:
            return Group.RENSTRA_REALISASI
        return Group.REALISASI
    if _like(words, "capaian"):
        return Group.CAPAIAN
    if any(_like(words, w) for w in ("program", "kegiatan", "urusan", "uraian")):
        return Identity.NAMA
    return None


_PARTS = {"k": "k", "rp": "rp", "(k)": "k", "(rp)": "rp"}
_ROMAN = re.compile(r"^(?:tw|triwulan)?\s*(iv|i{1,3})$")
_ROMAN_VALUE = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?$")
_YEAR = re.compile(r"\b(20\d\d)\b")
_MAX_HEADER_ROWS = 6


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a table's columns are: the naming columns and the slots of the figures."""

    identity: dict[Identity, int]
    #: The slots the header shows, in the form's order.
    slots: tuple[str, ...]
    #: The physical column of each slot, where the header places it.
    positions: dict[str, int]
    #: How many rows the header block takes.
    height: int
    #: The year named in the header (`Tahun berjalan (Tahun 2022)`), if any.
    tahun: int | None = None


def _column_number(text: str) -> int | None:
    match = _COLUMN_NUMBER.match(text)
    if match is None:
        return None
    value = int(match.group(1))
    return value if 1 <= value <= 60 else None


def _is_number_row(texts: Sequence[str]) -> bool:
    numbers = [n for n in (_column_number(t) for t in texts if t) if n is not None]
    filled = sum(1 for t in texts if t)
    return len(set(numbers)) >= 3 and len(numbers) * 2 >= filled


def is_header_start(texts: Sequence[str]) -> bool:
    """Return whether a row opens an E.81-like table (a `Kode` column and figure columns)."""
    if not any(t[:4].lower() == "kode" for t in texts):
        return False
    kinds = [classify_header(t) for t in texts if t]
    if Identity.KODE not in kinds:
        return False
    others = {k for k in kinds if k not in (Identity.KODE, Identity.NO, Identity.SASARAN, None)}
    return len(others) >= 2


def _is_header_continuation(texts: Sequence[str]) -> bool:
    """Return whether a row below a header still belongs to it (numbers, K/Rp, quarters)."""
    if not any(texts) or _is_number_row(texts):
        return any(texts)
    for text in texts:
        if not text:
            continue
        lowered = text.lower()
        if lowered in _PARTS or _ROMAN.match(lowered) or _column_number(text) is not None:
            continue
        if classify_header(text) is None:
            return False
    return True


def read_layout(rows: Sequence[Sequence[object]], start: int) -> Layout:
    """Return the layout of the table whose header starts at row `start`."""
    block = [[clean_text(c) for c in rows[start]]]
    for row in rows[start + 1 : start + _MAX_HEADER_ROWS]:
        texts = [clean_text(c) for c in row]
        if not _is_header_continuation(texts):
            break
        block.append(texts)
    return _Builder(block).build()


class _Builder:
    """Read a header block column by column: its texts, column numbers, K/Rp marks, quarters."""

    def __init__(self, block: list[list[str]]) -> None:
        self.block = block
        self.width = max(len(r) for r in block)
        self.texts: list[list[str]] = [[] for _ in range(self.width)]
        self.number: dict[int, int] = {}
        self.part: dict[int, str] = {}
        self.roman: dict[int, int] = {}
        for row in block:
            number_row = _is_number_row(row)
            for p, text in enumerate(row):
                if not text:
                    continue
                lowered = text.lower()
                n = _column_number(text)
                roman = _ROMAN.match(lowered)
                if number_row and n is not None:
                    self.number[p] = n
                elif lowered in _PARTS:
                    self.part[p] = _PARTS[lowered]
                elif roman:
                    self.roman[p] = _ROMAN_VALUE[roman.group(1)]
                elif text not in self.texts[p]:
                    self.texts[p].append(text)
        self.own: list[HeaderKind | None] = [
            classify_header(" ".join(t)) if t else None for t in self.texts
        ]

    def build(self) -> Layout:
        identity: dict[Identity, int] = {}
        for p, kind in enumerate(self.own):
            if isinstance(kind, Identity) and kind not in identity:
                identity[kind] = p
        taken = set(identity.values())
        spans = self._numbered_spans(taken) if self.number else None
        if spans is None:
            spans = self._text_spans(taken)
        positions: dict[str, int] = {}
        present: set[str] = set()
        for group, quarter, columns in spans:
            names = quarter_slots(quarter) if group is Group.TRIWULAN else _PAIRED[group]
            present.update(names)
            k_col = next((c for c in columns if self.part.get(c) == "k"), None)
            rp_col = next((c for c in columns if self.part.get(c) == "rp"), None)
            if k_col is None and rp_col is None:
                k_col = columns[0] if columns else None
                rp_col = columns[1] if len(columns) > 1 else None
            for name, column in zip(names, (k_col, rp_col), strict=True):
                if column is not None:
                    positions.setdefault(name, column)
        used = set(positions.values()) | taken
        for p, kind in enumerate(self.own):
            if isinstance(kind, Group) and kind in _SINGLE and p not in used:
                name = _SINGLE[kind]
                present.add(name)
                positions.setdefault(name, p)
        slots = tuple(s for s in SLOTS if s in present)
        return Layout(identity, slots, positions, len(self.block), self._tahun())

    def _tahun(self) -> int | None:
        for p, kind in enumerate(self.own):
            if kind is Group.TARGET:
                match = _YEAR.search(" ".join(self.texts[p]))
                if match:
                    return int(match.group(1))
        return None

    def _span(self, first: int, taken: set[int]) -> list[int]:
        """Return the columns of the numbered group starting at `first`."""
        columns = [p for p, n in self.number.items() if n == self.number[first]]
        if len(columns) > 1:
            return sorted(columns)
        kind = self.own[first]
        span = [first]
        p = first + 1
        while p < self.width and p not in self.number and p not in taken:
            own = self.own[p]
            if own is not None and own != kind:
                break
            span.append(p)
            p += 1
        return span

    def _numbered_spans(self, taken: set[int]) -> list[tuple[Group, int, list[int]]] | None:
        firsts: dict[int, int] = {}
        for p in sorted(self.number):
            firsts.setdefault(self.number[p], p)
        numbered: list[tuple[int, int]] = []  # (column number, first physical column)
        for n, p in sorted(firsts.items()):
            own = self.own[p]
            if p in taken or isinstance(own, Identity) or own in _SINGLE:
                continue
            numbered.append((n, p))
        if not numbered:
            return None
        present = [g for g in _NUMERIC if g in self.own]
        if Group.TRIWULAN not in present:  # the quarters' own header text was lost
            before = sum(1 for g in present if _NUMERIC.index(g) < _NUMERIC.index(Group.TRIWULAN))
            present.insert(before, Group.TRIWULAN)
        quarters = len(numbered) - (len(present) - 1)
        contiguous = numbered[-1][0] - numbered[0][0] + 1 == len(numbered)
        if contiguous and 1 <= quarters <= 4:
            expanded: list[tuple[Group, int]] = []
            for group in present:
                if group is Group.TRIWULAN:
                    expanded += [(Group.TRIWULAN, q) for q in range(1, quarters + 1)]
                else:
                    expanded.append((group, 0))
            return [
                (group, q, self._span(p, taken))
                for (group, q), (_, p) in zip(expanded, numbered, strict=True)
            ]
        return self._spans_by_text(numbered, taken)

    def _spans_by_text(
        self, numbered: list[tuple[int, int]], taken: set[int]
    ) -> list[tuple[Group, int, list[int]]] | None:
        """Return spans when the numbering has gaps: each numbered group named by its text."""
        kinds: dict[int, Group] = {}
        for n, p in numbered:
            own = self._kind_near(p)
            if isinstance(own, Group) and own not in _SINGLE:
                kinds[n] = own
        number_of = {g: n for n, g in kinds.items() if g is not Group.TRIWULAN}
        spans: list[tuple[Group, int, list[int]]] = []
        seen_quarters: set[int] = set()
        triwulan_numbers = sorted(n for n, g in kinds.items() if g is Group.TRIWULAN)
        for n, p in numbered:
            group = kinds.get(n)
            if group is None:
                continue
            quarter = 0
            if group is Group.TRIWULAN:
                span = self._span(p, taken)
                roman = next((self.roman[c] for c in span if c in self.roman), None)
                if roman is not None:
                    quarter = roman
                elif Group.TARGET in number_of:
                    quarter = n - number_of[Group.TARGET]
                elif Group.REALISASI in number_of:
                    quarter = n - number_of[Group.REALISASI] + 5
                else:
                    quarter = triwulan_numbers.index(n) + 1
                if not 1 <= quarter <= 4 or quarter in seen_quarters:
                    continue
                seen_quarters.add(quarter)
            spans.append((group, quarter, self._span(p, taken)))
        return spans or None

    def _kind_near(self, p: int) -> HeaderKind | None:
        """Return the header text's kind over column `p` (a merged text sits on its first column)."""
        while p >= 0:
            if self.own[p] is not None:
                return self.own[p]
            p -= 1
        return None

    def _text_spans(self, taken: set[int]) -> list[tuple[Group, int, list[int]]]:
        """Return spans from the header texts alone (no line of column numbers)."""
        runs: list[tuple[Group, list[int]]] = []
        previous: HeaderKind | None = None
        for p in range(self.width):
            if p in taken:
                previous = None
                continue
            own = self.own[p]
            # A blank header cell continues the text on its left (a merged or spanning cell);
            # the same text on the next column is a merged cell filled across its columns.
            continues = own is None or (own is previous and bool(runs) and runs[-1][1][-1] == p - 1)
            kind = previous if own is None else own
            previous = kind
            if not isinstance(kind, Group) or kind in _SINGLE:
                continue
            if continues and runs and runs[-1][0] is kind:
                runs[-1][1].append(p)
            else:
                runs.append((kind, [p]))
        spans: list[tuple[Group, int, list[int]]] = []
        for group, columns in runs:
            if group is not Group.TRIWULAN:
                spans.append((group, 0, columns))
                continue
            for quarter, part in enumerate(self._quarters(columns), start=1):
                if quarter <= 4:
                    spans.append((group, quarter, part))
        return spans

    def _quarters(self, columns: list[int]) -> list[list[int]]:
        if any(c in self.roman for c in columns):
            by_quarter: dict[int, list[int]] = {}
            current = 0
            for c in columns:
                current = self.roman.get(c, current)
                if current:
                    by_quarter.setdefault(current, []).append(c)
            return [by_quarter.get(q, []) for q in range(1, max(by_quarter) + 1)]
        if any(self.part.get(c) == "k" for c in columns):
            parts: list[list[int]] = []
            for c in columns:
                if self.part.get(c) == "k" or not parts:
                    parts.append([c])
                else:
                    parts[-1].append(c)
            return parts
        return [columns[i : i + 2] for i in range(0, len(columns), 2)]
