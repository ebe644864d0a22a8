"""The flat format: one line per indicator, in CSV or XLSX (see the reference README).

Reading is done in three steps (read the cells, validate everything and collect every problem
with its place, then build the Renja), so that a file with problems yields all of them at once and
nothing half-read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import is_not, itemgetter
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from monev.core.codes import KodeError, Tingkat, read_kode
from monev.core.frozen import builder
from monev.core.model import Indikator, Node, Renja
from monev.core.numbers import AngkaError, parse_angka
from monev.core.rules import Agregasi, Polaritas
from monev.io.guards import csv_rows, number_text_problem, text_problem
from monev.io.sistem import alasan_os

#: The header of the flat format, in its documented order.
COLUMNS = (
    "kode",
    "kode_asli",
    "tingkat",
    "nama",
    "indikator",
    "satuan",
    "target_renstra_k",
    "target_renstra_rp",
    "realisasi_lalu_k",
    "realisasi_lalu_rp",
    "target_k",
    "target_volume",
    "pagu",
    "tw1_k",
    "tw1_rp",
    "tw2_k",
    "tw2_rp",
    "tw3_k",
    "tw3_rp",
    "tw4_k",
    "tw4_rp",
    "polaritas",
    "agregasi_k",
    "agregasi_rp",
    "unit_penanggung_jawab",
    "capaian_tercetak",
    "catatan",
)
REQUIRED = (
    "kode",
    "tingkat",
    "nama",
    "indikator",
    "target_renstra_k",
    "target_renstra_rp",
    "realisasi_lalu_k",
    "realisasi_lalu_rp",
    "target_k",
    "pagu",
    "tw1_k",
    "tw1_rp",
    "tw2_k",
    "tw2_rp",
    "tw3_k",
    "tw3_rp",
    "tw4_k",
    "tw4_rp",
)
K_NUMBERS = ("target_renstra_k", "realisasi_lalu_k", "target_k", "tw1_k", "tw2_k", "tw3_k", "tw4_k")
RP_NUMBERS = (
    "target_renstra_rp",
    "realisasi_lalu_rp",
    "pagu",
    "tw1_rp",
    "tw2_rp",
    "tw3_rp",
    "tw4_rp",
)
NUMBERS = (*K_NUMBERS, *RP_NUMBERS, "capaian_tercetak")

_TINGKAT_WORDS = {
    "program": Tingkat.PROGRAM,
    "kegiatan": Tingkat.KEGIATAN,
    "sub_kegiatan": Tingkat.SUB_KEGIATAN,
    "subkegiatan": Tingkat.SUB_KEGIATAN,
}


@dataclass(frozen=True, slots=True)
class Masalah:
    """A problem in an input file, with its place."""

    pesan: str
    berkas: str = ""
    baris: int | None = None
    kolom: str | None = None
    lembar: str | None = None

    def __str__(self) -> str:
        place = [p for p in (self.berkas, self.lembar and f"lembar {self.lembar}") if p]
        if self.baris is not None:
            place.append(f"baris {self.baris}")
        if self.kolom:
            place.append(f"kolom {self.kolom}")
        return f"{', '.join(place)}: {self.pesan}" if place else self.pesan


class InputError(Exception):
    """An input that cannot be used; carries every problem found."""

    def __init__(self, masalah: Sequence[Masalah]) -> None:
        super().__init__("\n".join(str(m) for m in masalah))
        self.masalah = list(masalah)


@dataclass
class Sheet:
    """Rows of cells as read from a file, before any validation."""

    name: str
    rows: list[list[object]]
    lembar: str | None = None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes, berkas: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv_rows(data: bytes, berkas: str) -> Sheet:
    """Return the rows of a CSV file (comma or, as Indonesian Excel writes it, semicolon)."""
    text = _decode(data, berkas)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        parsed, _, fault = csv_rows(text, delimiter)
    except csv.Error as exc:
        raise InputError([Masalah(f"berkas CSV tidak dapat dibaca ({exc})", berkas)]) from exc
    if fault is not None:
        header = parsed[0] if parsed else []
        name = header[fault.kolom] if fault.kolom < len(header) and fault.baris > 1 else None
        raise InputError(
            [Masalah(fault.pesan(), berkas, fault.baris, name or f"{fault.kolom + 1}")]
        )
    if "\x00" in text:
        raise InputError(_nul_cells(parsed, berkas))
    return Sheet(berkas, cast("list[list[object]]", parsed))


def _nul_cells(rows: Sequence[Sequence[object]], berkas: str) -> list[Masalah]:
    """Return a problem for every cell that holds a NUL byte, named by its header."""
    header = [_cell_text(c) for c in rows[0]] if rows else []
    found: list[Masalah] = []
    for number, row in enumerate(rows, start=1):
        for index, cell in enumerate(row):
            problem = text_problem(cell) if isinstance(cell, str) else None
            if problem:
                name = header[index] if index < len(header) and number > 1 else f"{index + 1}"
                found.append(Masalah(problem, berkas, number, name.replace("\x00", "")))
    return found


def read_xlsx_rows(data: bytes, berkas: str, sheet: str | None = None) -> Sheet:
    """Return the rows of the first (or the named) sheet of an XLSX/XLS/ODS workbook."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        name = sheet or workbook.sheet_names[0]
        rows: list[list[object]] = [
            list(r) for r in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        ]
    except Exception as exc:  # calamine raises its own error types for a damaged workbook
        raise InputError([Masalah(f"buku kerja tidak dapat dibaca ({exc})", berkas)]) from exc
    return Sheet(berkas, rows, lembar=name)


def read_rows(path: Path, data: bytes | None = None) -> Sheet:
    """Return the rows of a CSV or spreadsheet file, chosen by its name."""
    berkas = path.name
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(
                [Masalah(f"berkas tidak dapat dibuka ({alasan_os(exc)})", str(path))]
            ) from exc
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        return read_xlsx_rows(data, berkas)
    return read_csv_rows(data, berkas)


@dataclass(slots=True)
class _Line:
    number: int
    row: list[object]


@dataclass(slots=True)
class _NodeDraft:
    kode: str
    tingkat: Tingkat
    nama: str
    first_line: int
    indikator: list[Indikator] = field(default_factory=list)
    #: The Rp figures in `RP_NUMBERS` order, from the first line of the node that states any.
    rp: tuple[Decimal | None, ...] | None = None
    agregasi_rp: Agregasi = Agregasi.PROGRESIF
    unit: str = ""


class _Validator:
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.problems: list[Masalah] = []

    def problem(self, pesan: str, baris: int | None = None, kolom: str | None = None) -> None:
        self.problems.append(Masalah(pesan, self.sheet.name, baris, kolom, self.sheet.lembar))

    def header(self) -> tuple[int, dict[str, int]]:
        for index, row in enumerate(self.sheet.rows):
            names = [_cell_text(c).lower().replace(" ", "_") for c in row]
            if "kode" in names and "tingkat" in names:
                positions: dict[str, int] = {}
                for position, name in enumerate(names):
                    if name in COLUMNS and name not in positions:
                        positions[name] = position
                missing = [c for c in REQUIRED if c not in positions]
                for column in missing:
                    self.problem(f"kolom wajib '{column}' tidak ada di baris judul", index + 1)
                return index, positions
            if any(_cell_text(c) for c in row):
                break
        self.problem(
            "baris judul tidak ditemukan: baris pertama harus memuat nama kolom "
            f"({', '.join(COLUMNS[:5])}, …)",
            1,
        )
        return -1, {}

    def lines(self, start: int, positions: dict[str, int]) -> Iterator[_Line]:
        width = max(positions.values()) + 1
        for offset, row in enumerate(self.sheet.rows[start + 1 :], start=start + 2):
            if not any(map(_cell_text, row)):
                continue
            if len(row) < width:
                row = [*row, *([None] * (width - len(row)))]
            yield _Line(offset, row)


_AMBIGUOUS_NUMBER = re.compile(r"^-?\d{1,3}\.\d{3}$")


_E = TypeVar("_E", Polaritas, Agregasi)


def _word(text: str) -> str:
    return text.lower().replace("-", "_").replace(" ", "_")


def _picker(positions: dict[str, int], columns: Sequence[str]) -> Callable[[list[object]], Any]:
    """Return a function that picks the cells of `columns` from a row, as a tuple (None for a
    column the file does not have)."""
    wanted = [positions.get(c) for c in columns]
    if None not in wanted:
        return itemgetter(*wanted)
    return lambda row: tuple(None if p is None else row[p] for p in wanted)


def _texts(cells: tuple[object, ...]) -> tuple[str, ...]:
    """Return the trimmed text of each cell ('' where blank)."""
    try:
        return tuple(map(str.strip, cells))  # type: ignore[arg-type]
    except TypeError:  # a spreadsheet's own values (numbers, empty cells), not only text
        return tuple(map(_cell_text, cells))


#: The figures a Renja can hold: below 10^15 (more than any pemda's budget in rupiah) and, when
#: not zero, at least 10^-6. Past them the evaluation's per cents need more digits than Decimal
#: keeps (28) and its rounding fails; no real report has them, so the reader refuses them where
#: they are written.
LARGEST = Decimal("1e15")
SMALLEST = Decimal("1e-6")


def _bounded(value: Decimal | None, cell: object) -> Decimal | None:
    if value is None:
        return None
    if not value.is_finite():
        raise AngkaError(f"'{cell}' bukan angka")
    if abs(value) >= LARGEST:
        raise AngkaError(f"'{cell}' terlalu besar (paling besar 999.999.999.999.999)")
    if value and abs(value) < SMALLEST:
        raise AngkaError(f"'{cell}' terlalu kecil (angka bukan nol paling kecil 0,000001)")
    return value


class _Numbers(dict[object, Decimal | None]):
    """Number texts and their values: every distinct text of the file is parsed once.

    A Renja repeats its targets and amounts on many lines; a looked-up text not seen yet is parsed
    by `__missing__`, so a line's numbers are read by one `map` over the dictionary. A value that a
    spreadsheet holds as a number is parsed and not kept: equal numbers of different types (1, 1.0,
    True) do not read alike.
    """

    def __init__(self, v: _Validator, indonesian: bool) -> None:
        super().__init__({"": None, None: None})
        self.v = v
        self.indonesian = indonesian
        self.indonesian_seen = False
        self.ambiguous_seen = False

    def __missing__(self, cell: object) -> Decimal | None:
        """Return the value of a cell not seen yet; raise `AngkaError` if it is not a number."""
        if not isinstance(cell, str):
            return _bounded(parse_angka(cell, dot_is_thousands=self.indonesian), cell)
        if not cell.isascii():
            problem = number_text_problem(cell)
            if problem:
                raise AngkaError(problem)
        # Machine form (`-1234.5`), what a generated file is made of, is read here directly: it
        # reads as parse_angka reads it, and only a fraction of three digits can be ambiguous.
        whole, point, fraction = (cell[1:] if cell[:1] == "-" else cell).partition(".")
        if whole.isdecimal() and (not point or (fraction.isdecimal() and not self.indonesian)):
            value: Decimal | None = Decimal(cell)
            if point and len(whole) <= 3 and len(fraction) == 3:
                self.ambiguous_seen = True
        else:
            value = parse_angka(cell, dot_is_thousands=self.indonesian)
            if "," in cell or cell.count(".") > 1:
                self.indonesian_seen = True
            elif not self.indonesian and _AMBIGUOUS_NUMBER.match(cell):
                self.ambiguous_seen = True
        self[cell] = value = _bounded(value, cell)
        return value

    def line(self, cells: tuple[object, ...], number: int) -> tuple[Decimal | None, ...]:
        """Return the numbers of a line's `NUMBERS` cells (None where blank or not a number)."""
        try:
            return tuple(map(self.__getitem__, cells))
        except AngkaError:  # a text that is not a number: report each one with its column
            values: list[Decimal | None] = []
            for column, cell in zip(NUMBERS, cells, strict=True):
                try:
                    values.append(self[cell])
                except AngkaError as exc:
                    self.v.problem(str(exc), number, column)
                    values.append(None)
            return tuple(values)


class _Choice(Generic[_E]):
    """Reads a column of words from a fixed set (polaritas, agregasi), each distinct text once."""

    def __init__(self, v: _Validator, column: str, kind: type[_E], default: _E) -> None:
        self.v = v
        self.column = column
        self.kind: type[_E] = kind
        self.known: dict[str, _E] = {"": default}

    def read(self, text: str, number: int) -> _E:
        known = self.known.get(text)
        if known is not None:
            return known
        word = _word(text)
        if not word:
            return self.known[""]
        try:
            value: _E = self.kind(word.replace("ratarata", "rata_rata"))
        except ValueError:
            allowed = ", ".join(m.value for m in self.kind)
            self.v.problem(
                f"'{word}' tidak dikenal; isi salah satu dari: {allowed}", number, self.column
            )
            return self.known[""]
        self.known[text] = value
        return value


_Kemajuan = Callable[[int, int], None] | None  # told (done, total) as a file's check goes


def _read_kode(text: str) -> tuple[str, Tingkat] | KodeError:
    try:
        return read_kode(text)
    except KodeError as exc:
        return exc


def parse_flat(sheet: Sheet, kemajuan: _Kemajuan = None) -> Renja:
    """Return the Renja written in a flat sheet; raise `InputError` with every problem found.

    A number such as `1.234` means 1234 in a file written in Indonesian notation and 1,234 in one
    written in machine form; when a file holds both such a number and Indonesian notation
    elsewhere, it is read again with dots as thousands separators.
    """
    try:
        return _parse_flat(sheet, indonesian=False, kemajuan=kemajuan)
    except _ReadAgain:
        return _parse_flat(sheet, indonesian=True, kemajuan=kemajuan)


class _ReadAgain(Exception):
    pass


#: The text columns a line is read from, in the order the parser unpacks them.
_TEXT_COLUMNS = (
    "tingkat",
    "kode",
    "nama",
    "indikator",
    "satuan",
    "target_volume",
    "unit_penanggung_jawab",
    "polaritas",
    "agregasi_k",
    "agregasi_rp",
)
#: Where the K figures, the Rp figures and the printed capaian are in a line's `NUMBERS`.
_K_SLICE = slice(0, len(K_NUMBERS))
_RP_SLICE = slice(len(K_NUMBERS), len(K_NUMBERS) + len(RP_NUMBERS))
_TERCETAK = NUMBERS.index("capaian_tercetak")
_NO_RP = (None,) * len(RP_NUMBERS)
# A file has tens of thousands of each (see monev.core.frozen).
_build_indikator = builder(Indikator)
_build_node = builder(Node)


def _parse_flat(sheet: Sheet, *, indonesian: bool, kemajuan: _Kemajuan = None) -> Renja:
    v = _Validator(sheet)
    start, positions = v.header()
    if v.problems:
        raise InputError(v.problems)
    lines = list(v.lines(start, positions))
    if not lines:
        v.problem("berkas tidak memuat baris data")
        raise InputError(v.problems)

    # Each line's cells are picked in one call and every conversion is looked up by its text: a
    # file has tens of thousands of lines, so per-cell work is what its reading time is made of.
    text_cells = _picker(positions, _TEXT_COLUMNS)
    number_cells = _picker(positions, NUMBERS)
    numbers = _Numbers(v, indonesian)
    polaritas_of = _Choice(v, "polaritas", Polaritas, Polaritas.POSITIF)
    agregasi_k_of = _Choice(v, "agregasi_k", Agregasi, Agregasi.PROGRESIF)
    agregasi_rp_of = _Choice(v, "agregasi_rp", Agregasi, Agregasi.PROGRESIF)
    kode_of: dict[str, tuple[str, Tingkat] | KodeError] = {}
    drafts: dict[str, _NodeDraft] = {}
    seen_lines: dict[tuple[str, str], int] = {}
    for done, line in enumerate(lines):
        if kemajuan is not None and not done % 2000:  # progress every 2 000 lines
            kemajuan(done, len(lines))
        number = line.number
        values = numbers.line(number_cells(line.row), number)
        (
            tingkat_text,
            kode_text,
            nama,
            teks,
            satuan,
            volume,
            unit,
            polaritas_text,
            agregasi_k_text,
            agregasi_rp_text,
        ) = _texts(text_cells(line.row))
        tingkat = _TINGKAT_WORDS.get(tingkat_text) or _TINGKAT_WORDS.get(_word(tingkat_text))
        if tingkat is None:
            word = _word(tingkat_text)
            shown = f"'{word}'" if word else "kosong"
            v.problem(
                f"tingkat {shown} tidak dikenal; isi program, kegiatan, atau sub_kegiatan",
                number,
                "tingkat",
            )
        kode: str | None = None
        parsed = kode_of.get(kode_text)
        if parsed is None:
            parsed = kode_of[kode_text] = _read_kode(kode_text)
        if isinstance(parsed, KodeError):
            v.problem(f"kode tidak dapat dibaca: {parsed}", number, "kode")
        elif tingkat is not None and parsed[1] is not tingkat:
            v.problem(
                f"kode '{kode_text}' adalah kode {parsed[1].value.replace('_', ' ')}, "
                f"bukan {tingkat.value.replace('_', ' ')}",
                number,
                "kode",
            )
        else:
            kode = parsed[0]
        # A word seen before is a lookup; `read` checks a new one.
        polaritas = polaritas_of.known.get(polaritas_text) or polaritas_of.read(
            polaritas_text, number
        )
        agregasi_k = agregasi_k_of.known.get(agregasi_k_text) or agregasi_k_of.read(
            agregasi_k_text, number
        )
        agregasi_rp = agregasi_rp_of.known.get(agregasi_rp_text) or agregasi_rp_of.read(
            agregasi_rp_text, number
        )
        if kode is None or tingkat is None:
            continue

        key = (kode, teks.casefold())
        if key in seen_lines:
            v.problem(
                f"baris ini sama dengan baris {seen_lines[key]} (kode {kode}, indikator "
                f"'{teks or '-'}')",
                number,
                "indikator",
            )
            continue
        seen_lines[key] = number

        draft = drafts.get(kode)
        if draft is None:
            draft = drafts[kode] = _NodeDraft(kode, tingkat, nama, number)
        elif nama and not draft.nama:
            draft.nama = nama
        rp = values[_RP_SLICE]
        # Any figure given? (By identity: `Decimal == None` costs an abstract-class isinstance.)
        if any(map(is_not, rp, _NO_RP)):
            if draft.rp is None:
                draft.rp = rp
                draft.agregasi_rp = agregasi_rp
            elif draft.rp != rp:
                v.problem(
                    f"angka Rp untuk kode {kode} sudah diisi di baris {draft.first_line} dengan "
                    "nilai lain; isi Rp hanya pada baris pertama simpul itu",
                    number,
                )
        if unit and not draft.unit:
            draft.unit = unit
        target_renstra, realisasi_lalu, target, tw1, tw2, tw3, tw4 = values[_K_SLICE]
        draft.indikator.append(
            _build_indikator(
                teks=teks,
                satuan=satuan,
                target_renstra=target_renstra,
                realisasi_lalu=realisasi_lalu,
                target=target,
                target_volume=volume,
                triwulan=(tw1, tw2, tw3, tw4),
                polaritas=polaritas,
                agregasi=agregasi_k,
                capaian_tercetak=values[_TERCETAK],
                asal=f"{sheet.name}:{number}",
            )
        )

    if kemajuan is not None:
        kemajuan(len(lines), len(lines))
    if numbers.indonesian_seen and numbers.ambiguous_seen:
        raise _ReadAgain
    if v.problems:
        v.problems.sort(key=lambda m: m.baris or 0)
        raise InputError(v.problems)
    return Renja(tuple(_node(d) for d in drafts.values()))


def _node(draft: _NodeDraft) -> Node:
    target_renstra, realisasi_lalu, pagu, tw1, tw2, tw3, tw4 = draft.rp or _NO_RP
    return _build_node(
        kode=draft.kode,
        tingkat=draft.tingkat,
        nama=draft.nama,
        indikator=tuple(draft.indikator),
        pagu=pagu,
        triwulan_rp=(tw1, tw2, tw3, tw4),
        target_renstra_rp=target_renstra,
        realisasi_lalu_rp=realisasi_lalu,
        agregasi_rp=draft.agregasi_rp,
        unit=draft.unit,
    )


def read_flat(path: Path, data: bytes | None = None) -> Renja:
    """Return the Renja in a flat CSV or XLSX file; raise `InputError` with every problem found."""
    return parse_flat(read_rows(path, data))
