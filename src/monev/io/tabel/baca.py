"""Read the data rows of the tables found: numbers in each column's notation, levels, indicators,
account lines summed per sub kegiatan, totals kept for checking. Every problem is collected with
its place; nothing is built here (see `bangun`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from monev.core.codes import TINGKAT_RENJA, KodeError, Tingkat, parse_kode
from monev.core.numbers import AngkaError
from monev.io.legacy.cells import clean_text
from monev.io.legacy.grid import Grid
from monev.io.legacy.model import Place
from monev.io.tabel import notasi
from monev.io.tabel.model import NUMBER_FIELDS, Kolom, Pemetaan, Pertanyaan, Temuan
from monev.io.tabel.periode import quarter_of
from monev.io.tabel.sejajar import realign
from monev.io.tabel.temukan import Tabel
from monev.io.tabel.tingkat import Levels, Penanda, highest, level_word, mark

_TOTAL = re.compile(r"(?i)^\s*(jumlah|total|grand\s*total|sub\s*total|jml)\b")
_REKENING = re.compile(r"^\s*[4-6]\.\d\.\d")
_URUSAN = re.compile(r"(?i)^\s*(urusan|bidang\s+urusan|unsur)\b")
_TARGET = re.compile(r"^\s*\(?\s*(-?[\d.,]*\d)\s*%?\s*\)?\s*(.*?)\s*$", re.S)
_LETTERS = re.compile(r"[A-Za-z]")
#: A nomenclature code (a bidang of two digits, three parts or more) before a name.
_CODE_AND_NAME = re.compile(r"^\s*(\d{1,2}\.\d{2}(?:\.\d+){1,4}\.?)\s+(\S.*)$", re.S)
#: Lines under a table that are not its data: means, ratings, narrative, signatures.
_SUMMARY = re.compile(
    r"(?i)^\s*(rata-?\s*rata|rerata|predikat|faktor|tindak\s+lanjut|mengetahui|disusun|"
    r"dievaluasi|kepala\b|nip\b|catatan\s*:)"
)
#: A capaian printed with its formula (`(75,00%) - Formula Progresif`).
_CAPAIAN_CELL = re.compile(r"^\(\s*(-?[\d.,]+)\s*%\s*\)\s*-?\s*(.*)$")
_DASHES = re.compile(r"[-–—.\s]*")


@dataclass
class Indikator:
    teks: str
    tempat: Place
    satuan: str = ""
    volume: str = ""
    angka: dict[str, Decimal | None] = field(default_factory=dict)
    formula: str = ""
    #: Where each figure was printed, by field (for the findings).
    sel: dict[str, Place] = field(default_factory=dict)


@dataclass
class Simpul:
    """A node as read from the tables (one or two: K and Rp), before it is built."""

    tingkat: Tingkat
    nama: str
    tempat: Place
    tabel: int
    kode: str | None = None
    kode_asli: str = ""
    induk: Simpul | None = None
    indikator: list[Indikator] = field(default_factory=list)
    #: The Rp figures: pagu, target_renstra_rp, realisasi_lalu_rp, capaian_rp and each period.
    rp: dict[str, Decimal | None] = field(default_factory=dict)
    rp_sel: dict[str, Place] = field(default_factory=dict)
    #: The Rp figures the node's own line printed, when account lines were summed under it.
    rp_tercetak: dict[str, Decimal | None] = field(default_factory=dict)
    rekening: int = 0
    unit: str = ""
    sasaran: str = ""
    keterangan: str = ""
    catatan: list[str] = field(default_factory=list)

    @property
    def kunci(self) -> str:
        return key_of(self.nama)


def key_of(name: str) -> str:
    """Return a node name for matching: lower case, letters and digits only, single spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name.casefold()).split())


@dataclass
class Jumlah:
    """A printed total row (`JUMLAH`, `TOTAL`) with its figures, checked against the lines."""

    tabel: int
    tempat: Place
    rp: dict[str, Decimal | None]
    sel: dict[str, Place]


@dataclass
class Bacaan:
    """What the rows of the tables hold."""

    simpul: list[Simpul] = field(default_factory=list)
    jumlah: list[Jumlah] = field(default_factory=list)
    masalah: list[tuple[Place, str]] = field(default_factory=list)
    pertanyaan: list[Pertanyaan] = field(default_factory=list)
    temuan: list[Temuan] = field(default_factory=list)
    #: The notation used per table and column index.
    notasi: dict[tuple[int, int], str | None] = field(default_factory=dict)
    #: The quarter a table's single to-date column is for (from its header or title).
    triwulan: dict[int, int | None] = field(default_factory=dict)


def _is_number_field(name: str | None) -> bool:
    return bool(name) and (name in NUMBER_FIELDS or ":" in name)  # type: ignore[operator]


def _decide_notations(tables: Sequence[Tabel], pemetaan: Pemetaan, out: Bacaan) -> None:
    decided: dict[tuple[int, int], str | None] = {}
    open_columns: list[tuple[Tabel, Kolom, list[str]]] = []
    for table in tables:
        for kolom in table.kolom:
            if not _is_number_field(kolom.isi):
                continue
            texts = [
                t
                for grid, row in table.baris
                if kolom.indeks < len(grid.rows[row])
                and isinstance(cell := grid.rows[row][kolom.indeks], str)
                and (t := clean_text(cell))
            ]
            given = pemetaan.notasi.get(kolom.judul and _key(kolom.judul))
            if given:
                decided[(table.nomor, kolom.indeks)] = given
                continue
            notation, unsure = notasi.decide(texts)
            decided[(table.nomor, kolom.indeks)] = notation
            if unsure:
                open_columns.append((table, kolom, texts))
    for table, kolom, texts in open_columns:
        others = {
            n
            for (t, i), n in decided.items()
            if n and (t, i) not in {(o.nomor, k.indeks) for o, k, _ in open_columns}
        }
        mixed = {notasi.vote(t) for t in texts} >= {notasi.ID, notasi.EN}
        if len(others) == 1 and not mixed:
            decided[(table.nomor, kolom.indeks)] = others.pop()
            continue
        examples = ", ".join(f"'{t}'" for t in texts if notasi.vote(t) is not None)[:120]
        why = (
            "memuat angka dalam dua notasi"
            if mixed
            else "hanya memuat angka yang dapat dibaca dua cara (1.234 = 1234 atau 1,234)"
        )
        out.pertanyaan.append(
            Pertanyaan(
                f"kolom '{kolom.judul}' {why}: {examples}",
                Place(table.grid.berkas, table.grid.lembar, table.nomor, None, None, kolom.judul),
                f'"notasi": {{"{_key(kolom.judul)}": "id"}} (Indonesia) atau "en" (Inggris)',
            )
        )
    out.notasi.update(decided)


def _key(judul: str) -> str:
    from monev.io.tabel.model import normal_header

    return normal_header(judul)


class _TableReader:
    def __init__(self, table: Tabel, pemetaan: Pemetaan, out: Bacaan) -> None:
        self.t = table
        self.p = pemetaan
        self.out = out
        self.at = table.field_at()
        self.finance = "kode_rekening" in self.at or "nama_rekening" in self.at
        self.current: Simpul | None = None
        self.stack: dict[Tingkat, Simpul] = {}
        self.by_key: dict[tuple[int, str], Simpul] = {}

    def text(self, row: Sequence[object], name: str) -> str:
        index = self.at.get(name)
        if index is None or index >= len(row):
            return ""
        raw = row[index]
        if isinstance(raw, str):
            return raw.replace("\u00a0", " ").rstrip()  # leading spaces are indentation
        return clean_text(raw)

    def number(
        self,
        grid: Grid,
        row_index: int,
        name: str,
        values: dict[str, Decimal | None],
        cells: dict[str, Place],
    ) -> str:
        """Read one figure; return the text left after it (a target's volume)."""
        index = self.at.get(name)
        row = grid.rows[row_index]
        if index is None or index >= len(row):
            return ""
        raw = row[index]
        place = self.t.place(grid, row_index, index)
        if isinstance(raw, bool) or raw is None:
            return ""
        rest = ""
        try:
            if isinstance(raw, int | float | Decimal):
                from monev.core.numbers import parse_angka
                from monev.io.guards import number_value_problem

                if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
                    raw = int(raw)  # a whole number typed in a spreadsheet, not `100.0`
                value = parse_angka(raw)
                problem = number_value_problem(raw, value)
                if problem:
                    raise AngkaError(problem)
            else:
                text = clean_text(raw)
                if not text:
                    return ""
                printed = _CAPAIAN_CELL.match(text) if name.startswith("realisasi_k") else None
                if printed:  # the reference layout prints the capaian in the realisation column
                    capaian = notasi.parse(
                        printed.group(1), self.out.notasi.get((self.t.nomor, index))
                    )
                    values.setdefault("capaian_k", capaian)
                    cells.setdefault("capaian_k", place)
                    return f"formula:{printed.group(2)}"
                if name == "target_k" or (name.endswith("_k") and _LETTERS.search(text)):
                    match = _TARGET.match(text)
                    if match and match.group(2) and _LETTERS.search(match.group(2)):
                        text, rest = match.group(1), match.group(2)
                value = notasi.parse(text, self.out.notasi.get((self.t.nomor, index)))
        except AngkaError as exc:
            self.out.masalah.append((place, str(exc)))
            return ""
        values[name] = value
        cells[name] = place
        if (row_index, index) in grid.ragu:
            self.out.temuan.append(
                Temuan(
                    f"angka '{clean_text(raw)}' terbaca OCR dengan keyakinan rendah; cocokkan "
                    "dengan dokumen aslinya",
                    place,
                    "ragu",
                )
            )
        return rest

    def run(self) -> None:
        labels = []
        for grid, index in self.t.baris:
            name = self.text(grid.rows[index], "nama")
            label = mark(name).tingkat if name else None
            word = level_word(self.text(grid.rows[index], "tingkat"))
            labels += [lv for lv in (label, word) if lv]
        top = Tingkat(self.p.tingkat_teratas) if self.p.tingkat_teratas else highest(labels)
        if top is None and self.finance:
            top = Tingkat.SUB_KEGIATAN
        self.levels = Levels(top)
        for grid, index in self.t.baris:
            self.row(grid, index)

    def row(self, grid: Grid, index: int) -> None:
        row = grid.rows[index]
        place = self.t.place(grid, index)
        nama = self.text(row, "nama")
        nama = "" if _DASHES.fullmatch(nama) else nama
        kode_text = self.text(row, "kode").strip()
        kode_text = "" if _DASHES.fullmatch(kode_text) else kode_text
        rekening = self.text(row, "kode_rekening").strip()
        own_column = bool(rekening or self.text(row, "nama_rekening").strip())
        if kode_text and _REKENING.match(kode_text):
            rekening, kode_text = kode_text, ""
        if _SUMMARY.match(nama or kode_text or _first_text(row)):
            return  # a summary, footer or signature line under the table: not a node
        values: dict[str, Decimal | None] = {}
        cells: dict[str, Place] = {}
        volume = formula = ""
        before = len(self.out.masalah)
        for kolom in self.t.kolom:
            if _is_number_field(kolom.isi):
                rest = self.number(grid, index, kolom.isi, values, cells)  # type: ignore[arg-type]
                if rest.startswith("formula:"):
                    formula = rest.partition(":")[2]
                elif kolom.isi == "target_k":
                    volume = rest
        if len(self.out.masalah) > before and not values and not kode_text:
            # Only text where the figures go (notes, a narrative, a signature): not a data line.
            del self.out.masalah[before:]
            self.out.temuan.append(Temuan("baris teks tanpa angka; diabaikan", place, "catatan"))
            return
        if _TOTAL.match(nama or kode_text or self.text(row, "nomor")) and (
            not kode_text or _TOTAL.match(kode_text)
        ):
            self.out.jumlah.append(Jumlah(self.t.nomor, place, _rp_of(values), cells))
            return
        if (_URUSAN.match(nama) and not values) or self._heading_code(kode_text):
            return
        indikator_text = self.text(row, "indikator").strip()
        if rekening or own_column:
            # In its own column, the line's name is its sub kegiatan's; in the code column (a
            # SIPD export), the name is the account's and the sub kegiatan is the line above.
            named = own_column and "nama" in self.at
            self._account(place, nama if named else "", kode_text, rekening, values, cells)
            return
        if not kode_text and "kode" not in self.at:
            joined = _CODE_AND_NAME.match(nama)
            if joined:  # the code printed in the name's cell (`2.07.01 Program Penunjang …`)
                kode_text, nama = joined.group(1), joined.group(2)
        if nama.strip() or kode_text:
            node = self._node(place, nama, kode_text, self.text(row, "nomor"), row)
            if node is None:
                return
            self._rp(node, values, cells)
        elif indikator_text or any(k.endswith("_k") or "_k:" in k for k in values):
            node = self.current
            if node is None:
                self.out.masalah.append(
                    (place, "baris indikator tanpa program/kegiatan/sub kegiatan di atasnya")
                )
                return
            self._rp_extra(node, values, cells, place)
        else:
            if values:
                self.out.temuan.append(
                    Temuan("baris tanpa nama dan tanpa indikator; diabaikan", place, "catatan")
                )
            return
        k_values = {k: v for k, v in values.items() if k.endswith("_k") or "_k:" in k}
        if indikator_text or k_values:
            node.indikator.append(
                Indikator(
                    indikator_text,
                    place,
                    satuan=self.text(row, "satuan").strip(),
                    volume=volume,
                    angka=k_values,
                    formula=self.text(row, "formula").strip() or formula,
                    sel={k: c for k, c in cells.items() if k in k_values},
                )
            )

    def _heading_code(self, kode_text: str) -> bool:
        if not kode_text:
            return False
        try:
            return parse_kode(kode_text).tingkat not in TINGKAT_RENJA
        except KodeError:
            return False

    def _node(
        self, place: Place, nama: str, kode_text: str, nomor: str, row: Sequence[object]
    ) -> Simpul | None:
        kode: str | None = None
        tingkat: Tingkat | None = None
        if kode_text:
            try:
                parsed = parse_kode(kode_text)
                kode, tingkat = str(parsed), parsed.tingkat
            except KodeError as exc:
                self.out.temuan.append(
                    Temuan(
                        f"kode '{kode_text}' tidak dapat dibaca ({exc}); tingkat dari nama",
                        place.at(self._judul("kode")),
                        "ragu",
                    )
                )
        penanda = mark(nama, nomor) if nama else Penanda("", None, ("plain", 0))
        if tingkat is None:
            word = level_word(self.text(row, "tingkat"))
            if word is not None:
                penanda = Penanda(penanda.nama, word)
            tingkat = self.levels.assign(penanda)
        else:
            self.levels.previous = tingkat
        name = self.p.nama.get(penanda.nama.strip(), penanda.nama.strip())
        parent = None
        for level in reversed(TINGKAT_RENJA[: TINGKAT_RENJA.index(tingkat)]):
            if level in self.stack:
                parent = self.stack[level]
                break
        node = Simpul(tingkat, name, place, self.t.nomor, kode, kode_text, parent)
        if name != penanda.nama.strip():
            node.catatan.append(f"nama tercetak '{penanda.nama.strip()}'")
        node.unit = self.text(row, "unit").strip()
        node.sasaran = self.text(row, "sasaran").strip()
        node.keterangan = self.text(row, "keterangan").strip()
        self.stack[tingkat] = node
        for lower in TINGKAT_RENJA[TINGKAT_RENJA.index(tingkat) + 1 :]:
            self.stack.pop(lower, None)
        self.out.simpul.append(node)
        self.current = node
        self.by_key[(id(parent), kode or node.kunci)] = node
        return node

    def _judul(self, name: str) -> str | None:
        index = self.at.get(name)
        return self.t.kolom[index].judul if index is not None else None

    def _rp(self, node: Simpul, values: dict[str, Decimal | None], cells: dict[str, Place]) -> None:
        for key, value in _rp_of(values).items():
            node.rp[key] = value
            node.rp_sel[key] = cells[key]

    def _rp_extra(
        self, node: Simpul, values: dict[str, Decimal | None], cells: dict[str, Place], place: Place
    ) -> None:
        """Rp figures on a line that continues a node: the same as the node's, or a problem."""
        for key, value in _rp_of(values).items():
            if key not in node.rp:
                node.rp[key] = value
                node.rp_sel[key] = cells[key]
            elif node.rp[key] != value and value is not None:
                self.out.temuan.append(
                    Temuan(
                        f"angka Rp baris lanjutan berbeda dengan baris {node.tempat.baris}; "
                        "dipakai angka baris pertama",
                        cells[key],
                        "ragu",
                    )
                )

    def _account(
        self,
        place: Place,
        nama: str,
        kode_text: str,
        rekening: str,
        values: dict[str, Decimal | None],
        cells: dict[str, Place],
    ) -> None:
        """An account line (kode rekening): its Rp figures are added to its sub kegiatan."""
        node = self.current
        if nama.strip() or kode_text:  # each line names its sub kegiatan
            penanda = mark(nama) if nama else Penanda("", None, ("plain", 0))
            parent = node.induk if node is not None else None
            key = (id(parent), (kode_text and _safe_kode(kode_text)) or key_of(penanda.nama))
            node = self.by_key.get(key)
            if node is None:
                node = self._node(place, nama, kode_text, "", [])
        if node is None:
            self.out.masalah.append((place, f"rekening '{rekening}' tanpa sub kegiatan di atasnya"))
            return
        if node.rekening == 0:
            node.rp_tercetak = dict(node.rp)
            node.rp = {}
        node.rekening += 1
        for name, value in _rp_of(values).items():
            if name == "capaian_rp" or value is None:
                continue
            node.rp[name] = (node.rp.get(name) or Decimal(0)) + value
            node.rp_sel.setdefault(name, cells[name])


def _first_text(row: Sequence[object]) -> str:
    return next((t for c in row if (t := clean_text(c))), "")


def _safe_kode(text: str) -> str:
    try:
        return str(parse_kode(text))
    except KodeError:
        return text


def _rp_of(values: dict[str, Decimal | None]) -> dict[str, Decimal | None]:
    return {k: v for k, v in values.items() if k == "pagu" or "_rp" in k}


def read_rows(tables: Sequence[Tabel], pemetaan: Pemetaan) -> Bacaan:
    """Return what the data rows of the tables hold, with every problem and question."""
    out = Bacaan()
    for table in tables:
        for grid, index in table.baris:
            if grid.lembar is not None:
                continue  # a workbook's sheet or a PDF's page keeps every cell in its column
            laid = realign(grid.rows[index], table.kolom)
            if laid is None:
                continue
            grid.rows[index] = laid[0]
            if laid[1]:
                out.temuan.append(
                    Temuan(
                        "baris tanpa sel kosong (salinan dari PDF?): angkanya ditempatkan "
                        "berurutan dari kiri; periksa kolomnya",
                        table.place(grid, index),
                        "ragu",
                    )
                )
    _decide_notations(tables, pemetaan, out)
    if out.pertanyaan:
        return out
    for table in tables:
        out.triwulan[table.nomor] = pemetaan.triwulan or _quarter(table)
        _TableReader(table, pemetaan, out).run()
    return out


_TITLE_QUARTER = re.compile(r"(?i)\b(?:triwulan|tw)\s*\.?\s*(iv|iii|ii|i|[1-4])\b")
_TITLE_SEMESTER = re.compile(r"(?i)\bsemester\s*(ii|i|[12])\b")


def _quarter(table: Tabel) -> int | None:
    """The quarter a table with one to-date realisation column is for: its header (`Realisasi
    s.d. Triwulan III`), else its title (`Triwulan III`, `Semester I`)."""
    for kolom in table.kolom:
        if kolom.isi and kolom.isi.endswith(":jumlah"):
            from monev.io.tabel.judul import period_of, words

            q = quarter_of(period_of(words(kolom.judul)))
            if q:
                return q
    roman = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
    for line in table.judul_atas:
        match = _TITLE_QUARTER.search(line)
        if match:
            token = match.group(1).lower()
            return roman.get(token) or int(token)
        match = _TITLE_SEMESTER.search(line)
        if match:
            token = match.group(1).lower()
            return 2 * (roman.get(token) or int(token))
    return None
