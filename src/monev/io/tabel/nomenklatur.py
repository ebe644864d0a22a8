"""Nodes without codes matched against a nomenclature list by name, with a similarity score.

A nomenclature list (the pemda's, or the regulation's) has a code, a level, a name, and the
regulation and year it comes from (`kode, tingkat, nama, regulasi, tahun`; more than one version
may be given). Names repeat across bidang urusan (every bidang has its `Program Penunjang
Urusan …` and its `Administrasi Keuangan Perangkat Daerah`), so a name alone often fits several
codes: a node then takes the code under its parent's matched code, and a parent with several
candidates takes the one whose children's names fit its own children best. A node that stays
ambiguous, or fits no name closely enough, keeps a provisional code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from rapidfuzz import fuzz, process

from monev.core.codes import KodeError, Tingkat, read_kode
from monev.io.flat import InputError, Masalah
from monev.io.legacy.cells import clean_text
from monev.io.legacy.grid import read_grids
from monev.io.tabel.baca import Simpul, key_of
from monev.io.tabel.tingkat import level_word

#: The lowest similarity (0–1) at which a name is taken to be a nomenclature entry's.
MATCH_FROM = 0.85


@dataclass(frozen=True, slots=True)
class Entri:
    kode: str
    tingkat: Tingkat
    nama: str
    regulasi: str = ""
    tahun: int | None = None

    @property
    def induk(self) -> str | None:
        parts = self.kode.split(".")
        if self.tingkat is Tingkat.KEGIATAN:
            return ".".join(parts[:3])
        if self.tingkat is Tingkat.SUB_KEGIATAN:
            return ".".join(parts[:-1])
        return None


@dataclass(frozen=True, slots=True)
class Cocok:
    """A node's match: the entry and how alike the names are."""

    entri: Entri
    skor: float


_HEADERS = {
    "kode": "kode",
    "tingkat": "tingkat",
    "level": "tingkat",
    "nama": "nama",
    "nomenklatur": "nama",
    "uraian": "nama",
    "regulasi": "regulasi",
    "peraturan": "regulasi",
    "dasar hukum": "regulasi",
    "tahun": "tahun",
}


def read_nomenklatur(path: Path, data: bytes | None = None) -> list[Entri]:
    """Return the entries of a nomenclature file (CSV/XLSX); raise `InputError` with every
    line that cannot be used (its sheet, line and column), so that a list is taken whole or not
    at all."""
    try:
        grids = read_grids(path, data)
    except InputError:
        raise
    except Exception as exc:  # a damaged workbook ends in a message, never a traceback
        raise InputError(
            [Masalah(f"berkas tidak dapat dibaca ({exc.__class__.__name__})", path.name)]
        ) from exc
    entries: list[Entri] = []
    problems: list[Masalah] = []
    seen: dict[tuple[str, str, str], tuple[str | None, int]] = {}
    for grid in grids:
        rows = grid.rows
        header = next(
            (i for i, r in enumerate(rows[:10]) if {"kode", "nama"} <= _names(r).keys()), None
        )
        if header is None:
            continue
        at = _names(rows[header])
        sheet = grid.lembar
        for number, row in enumerate(rows[header + 1 :], start=header + 2):
            cells = {k: clean_text(row[i]) if i < len(row) else "" for k, i in at.items()}
            if not cells.get("kode") and not cells.get("nama"):
                continue

            def refuse(
                text: str, column: str, number: int = number, sheet: str | None = sheet
            ) -> None:
                problems.append(Masalah(text, path.name, number, column, sheet))

            try:
                kode, tingkat = read_kode(cells["kode"])
            except KodeError as exc:
                refuse(f"kode tidak dapat dibaca: {exc}", "kode")
                continue
            if not cells.get("nama"):
                refuse(f"nama kosong untuk kode {kode}", "nama")
                continue
            given = level_word(cells.get("tingkat", ""))
            if given is not None and given is not tingkat:
                refuse(f"tingkat '{cells['tingkat']}' tidak sesuai dengan kode {kode}", "tingkat")
                continue
            year = cells.get("tahun", "")
            if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
                refuse(f"tahun '{year}' bukan angka tahun (misalnya 2023)", "tahun")
                continue
            version = (kode, cells.get("regulasi", ""), year)  # one code per version
            if version in seen:
                first_sheet, first_line = seen[version]
                where = f"lembar {first_sheet} " if first_sheet else ""
                refuse(f"kode {kode} sudah ada di {where}baris {first_line}", "kode")
                continue
            seen[version] = (sheet, number)
            entries.append(
                Entri(
                    kode,
                    tingkat,
                    cells["nama"],
                    cells.get("regulasi", ""),
                    int(year) if year else None,
                )
            )
    if problems:
        raise InputError(problems)
    if not entries:
        raise InputError(
            [Masalah("daftar nomenklatur tidak ditemukan: perlu kolom kode dan nama", path.name)]
        )
    return entries


def _names(row: Sequence[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        key = _HEADERS.get(clean_text(cell).lower())
        if key and key not in found:
            found[key] = index
    return found


def _score(a: str, b: str) -> float:
    return 1.0 if a == b else SequenceMatcher(None, a, b, autojunk=False).ratio()


def _score_from(a: str, b: str, floor: float) -> float:
    """Return `_score(a, b)`, or 0 when it is surely below `floor`: the two cheap upper bounds
    of difflib (lengths, then letters) are tried first."""
    if a == b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


class _Daftar:
    """A nomenclature list indexed for matching: by level and parent code, and per level by name.

    Every score is difflib's, as `_score_from` computes it. A node under a matched parent is
    compared with the entries under the parent's code only; a node at the top with the names of
    its level that RapidFuzz's `fuzz.ratio` puts at the floor or above. That ratio is
    2·LCS / (|a|+|b|) over the longest common subsequence, and difflib's matching blocks are a
    common subsequence, so difflib's ratio is never above it: a name it leaves out has a difflib
    score below the floor, which the matcher drops anyway (`bench/nomenklatur_bench.py` checks
    both give the same matches and scores)."""

    def __init__(self, entries: Sequence[Entri], floor: float) -> None:
        self.floor = floor
        self.under: dict[tuple[Tingkat, str], list[tuple[str, Entri]]] = {}
        self.level: dict[Tingkat, list[tuple[str, Entri]]] = {}
        for entry in entries:
            named = (key_of(entry.nama), entry)
            self.level.setdefault(entry.tingkat, []).append(named)
            parent = entry.induk
            if parent is not None:
                self.under.setdefault((entry.tingkat, parent), []).append(named)
        #: Per level: each distinct name once, with the places in the level's list that have it
        #: (every bidang repeats its `Program Penunjang …` names).
        self._names: dict[Tingkat, tuple[list[str], dict[str, list[int]]]] = {}
        self._scores: dict[tuple[str, str], float] = {}

    def score(self, a: str, b: str) -> float:
        pair = (a, b)
        found = self._scores.get(pair)
        if found is None:
            found = self._scores[pair] = _score_from(a, b, self.floor)
        return found

    def best(
        self, tingkat: Tingkat, key: str, parent_code: str | None
    ) -> list[tuple[float, Entri]]:
        """Return the entries whose name scores highest for `key`, at the floor or above, with
        their score, in the list's order."""
        if parent_code is not None:
            scored = [
                (self.score(key, k), e) for k, e in self.under.get((tingkat, parent_code), [])
            ]
            top = max((s for s, _ in scored), default=0.0)
            return [(s, e) for s, e in scored if s >= self.floor and s == top]
        listing = self.level.get(tingkat, [])
        if tingkat not in self._names:
            places: dict[str, list[int]] = {}
            for number, (k, _) in enumerate(listing):
                places.setdefault(k, []).append(number)
            self._names[tingkat] = (list(places), places)
        names, places = self._names[tingkat]
        if key in places:  # the same name: score 1, nothing scores higher
            return [(1.0, listing[n][1]) for n in places[key]]
        near = process.extract(
            key, names, scorer=fuzz.ratio, score_cutoff=self.floor * 100 - 1e-6, limit=None
        )  # highest bound first
        top, tied = 0.0, []
        for name, bound, _ in near:
            if bound / 100 < top - 1e-9:  # its difflib score is below the best one found
                break
            score = self.score(key, name)
            if score > top:
                top, tied = score, [name]
            elif score == top:
                tied.append(name)
        if top < self.floor:
            return []
        return [(top, listing[n][1]) for n in sorted(n for name in tied for n in places[name])]


def match(nodes: Sequence[Simpul], entries: Sequence[Entri]) -> dict[int, Cocok]:
    """Return the match of each node that has no printed code, by id of the node."""
    daftar = _Daftar(entries, MATCH_FROM)
    children: dict[int, list[Simpul]] = {}
    for node in nodes:
        if node.induk is not None:
            children.setdefault(id(node.induk), []).append(node)
    found: dict[int, Cocok] = {}
    # Both depend on the node and a code only; the parents' tie-breaks ask them again and again.
    known: dict[tuple[int, str | None], list[tuple[float, Entri]]] = {}
    fits: dict[tuple[int, str], float] = {}

    def candidates(node: Simpul, parent_code: str | None) -> list[tuple[float, Entri]]:
        memo = (id(node), parent_code)
        if memo in known:
            return known[memo]
        known[memo] = daftar.best(node.tingkat, node.kunci, parent_code)
        return known[memo]

    def fit_of_children(node: Simpul, code: str) -> float:
        """How well a node's children (and theirs) fit the entries under `code`."""
        memo = (id(node), code)
        if memo in fits:
            return fits[memo]
        kids = children.get(id(node), [])
        total = 0.0
        for kid in kids:
            options = candidates(kid, code)
            total += max((s + fit_of_children(kid, e.kode) for s, e in options), default=0.0)
        fits[memo] = total / len(kids) if kids else 0.0
        return fits[memo]

    def visit(node: Simpul, parent_code: str | None) -> None:
        # Under a parent without a code, a match would cut the node from its parent.
        if node.kode is None and (node.induk is None or parent_code is not None):
            options = candidates(node, parent_code)
            if len(options) > 1:  # the same name under several codes: its children decide
                ranked = sorted(
                    options, key=lambda o: fit_of_children(node, o[1].kode), reverse=True
                )
                if fit_of_children(node, ranked[0][1].kode) > fit_of_children(
                    node, ranked[1][1].kode
                ):
                    options = ranked[:1]
            if len(options) == 1:
                found[id(node)] = Cocok(options[0][1], options[0][0])
        code = node.kode or (found[id(node)].entri.kode if id(node) in found else None)
        for child in children.get(id(node), []):
            visit(child, code)

    for node in nodes:
        if node.induk is None:
            visit(node, None)
    return found
