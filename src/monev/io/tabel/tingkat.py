"""Level detection without codes: program, kegiatan or sub kegiatan from what a row shows.

In order of trust: a code (`2.07.01.2.02`), a level column (`Tingkat`, `Jenis`), a label in the
name (`Program …`, `Kegiatan : …`, `1. Sub Kegiatan …`). A row with none of these has a style: its
numbering (`I.`, `1.`, `1.1`, `a.`, `-`), its indentation, capitals. A style keeps the level it
was first seen at; a style seen first under a row of level L is level L + 1 (order under a
heading); the first rows of a table without any of these are at the top level (program, or the
highest level that labelled rows show, or what the mapping says).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monev.core.codes import TINGKAT_RENJA, Tingkat

_LABEL = re.compile(
    r"(?i)^\s*(?:(?P<num>(?:\d+(?:\.\d+)*|[a-z]|[ivx]+)[.)])\s*)?"
    r"(?P<label>program|kegiatan|sub[\s-]*kegiatan|subkegiatan)\b\s*[:.\-–]?\s*(?P<rest>.*)$",
    re.S,
)
_NUMBERING = re.compile(
    r"^\s*(?:(?P<dotted>\d+(?:\.\d+)+)\.?|(?P<digit>\d+)[.)]|(?P<roman>[IVX]+)[.)]|"
    r"(?P<alpha>[a-z])[.)]|(?P<ALPHA>[A-Z])[.)]|(?P<bullet>[-•·*–]))\s+(?P<rest>\S.*)$",
    re.S,
)
_TINGKAT_WORDS = {
    "program": Tingkat.PROGRAM,
    "prog": Tingkat.PROGRAM,
    "kegiatan": Tingkat.KEGIATAN,
    "keg": Tingkat.KEGIATAN,
    "sub kegiatan": Tingkat.SUB_KEGIATAN,
    "subkegiatan": Tingkat.SUB_KEGIATAN,
    "sub_kegiatan": Tingkat.SUB_KEGIATAN,
    "sub": Tingkat.SUB_KEGIATAN,
    "subkeg": Tingkat.SUB_KEGIATAN,
}


def level_word(text: str) -> Tingkat | None:
    """Return the level a word names (`Program`, `Sub Kegiatan`, `sub_kegiatan`), or None."""
    key = re.sub(r"[\s_-]+", " ", text.strip().lower())
    return _TINGKAT_WORDS.get(key) or _TINGKAT_WORDS.get(key.replace(" ", ""))


@dataclass(frozen=True, slots=True)
class Penanda:
    """What a row's name shows about its level."""

    nama: str
    tingkat: Tingkat | None = None
    #: The style of a row without a label: numbering and indentation (None: nothing shown).
    gaya: tuple[str, int] | None = None
    #: For dotted numbering (`1.2.3`), its depth (3).
    kedalaman: int | None = None


def mark(name: str, nomor: str = "") -> Penanda:
    """Return what a name (and a numbering cell) shows about the row's level."""
    indent = len(name) - len(name.lstrip(" \u00a0"))
    label = _LABEL.match(name)
    if label:
        rest = label.group("rest").strip()
        level = level_word(label.group("label"))
        if rest:  # `Program` alone is a header, not a node
            # Program names begin with the word (`Program Penunjang Urusan …`): it stays, unless
            # a separator shows it is a label (`Program : …`).
            separated = bool(re.match(r"(?i)\s*(?:\S+[.)]\s*)?program\s*[:.\-–]", name))
            if level is Tingkat.PROGRAM and not separated:
                rest = name[label.start("label") :].strip()
            return Penanda(rest, level)
    text = name.strip()
    number = _NUMBERING.match(text)
    style = ""
    depth = None
    if number:
        kind = next(
            k for k in ("dotted", "digit", "roman", "alpha", "ALPHA", "bullet") if number.group(k)
        )
        if kind == "dotted":
            depth = number.group("dotted").count(".") + 1
            style = f"dotted{depth}"
        else:
            style = kind
            depth = 1 if kind == "digit" else None
        text = number.group("rest").strip()
    elif nomor.strip():
        nomor_text = nomor.strip()
        if re.fullmatch(r"\d+(\.\d+)+\.?", nomor_text):
            depth = nomor_text.rstrip(".").count(".") + 1
            style = f"dotted{depth}"
        elif re.fullmatch(r"\d+\.?", nomor_text):
            style, depth = "digit", 1
        elif re.fullmatch(r"[IVX]+\.?", nomor_text):
            style = "roman"
        elif re.fullmatch(r"[a-z][.)]?", nomor_text):
            style = "alpha"
        elif re.fullmatch(r"[A-Z][.)]?", nomor_text):
            style = "ALPHA"
    if not style and len(text) > 3 and text.upper() == text and any(c.isalpha() for c in text):
        style = "caps"
    return Penanda(text, None, (style or "plain", indent), depth)


class Levels:
    """Assigns levels to the node rows of one table, in order."""

    def __init__(self, top: Tingkat | None) -> None:
        self.top = top
        self.of_style: dict[tuple[str, int], Tingkat] = {}
        self.previous: Tingkat | None = None
        #: The depth of the first dotted numbering seen and its level.
        self.dotted: tuple[int, Tingkat] | None = None

    def assign(self, penanda: Penanda) -> Tingkat:
        if penanda.tingkat is not None:
            level = penanda.tingkat
        else:
            assert penanda.gaya is not None
            style = penanda.gaya
            if penanda.kedalaman is not None and self.dotted is not None:
                depth, base = self.dotted  # `1.2` is one below `1`, `1.2.3` two
                index = TINGKAT_RENJA.index(base) + penanda.kedalaman - depth
                level = TINGKAT_RENJA[min(max(index, 0), len(TINGKAT_RENJA) - 1)]
            elif style in self.of_style:
                level = self.of_style[style]
            else:
                top = self.top or Tingkat.PROGRAM
                level = top if self.previous is None else _at(self.previous, 1)
                self.of_style[style] = level
            if penanda.kedalaman is not None and self.dotted is None:
                self.dotted = (penanda.kedalaman, level)
        self.previous = level
        return level


def _at(level: Tingkat, below: int) -> Tingkat:
    index = TINGKAT_RENJA.index(level) + max(below, 0)
    return TINGKAT_RENJA[min(index, len(TINGKAT_RENJA) - 1)]


def highest(levels: list[Tingkat]) -> Tingkat | None:
    """Return the highest of the levels labelled rows show (the top of a table without codes)."""
    ranked = [lv for lv in TINGKAT_RENJA if lv in levels]
    return ranked[0] if ranked else None
