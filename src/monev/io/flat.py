"""The flat format: one line per indicator, in CSV or XLSX (see the reference README).

Reading is done in three steps (read the cells, validate everything and collect every problem
with its place, then build the Renja), so that a file with problems yields all of them at once and
nothing half-read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from monev.core.codes import Kode, KodeError, Tingkat, parse_kode
from monev.core.model import Indikator, Node, Quarters, Renja
from monev.core.numbers import AngkaError, parse_angka
from monev.core.rules import Agregasi, Polaritas

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
        rows: list[list[object]] = [
            list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise InputError([Masalah(f"berkas CSV tidak dapat dibaca ({exc})", berkas)]) from exc
    return Sheet(berkas, rows)


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
                [Masalah(f"berkas tidak dapat dibuka ({exc.strerror})", str(path))]
            ) from exc
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        return read_xlsx_rows(data, berkas)
    return read_csv_rows(data, berkas)


@dataclass
class _Line:
    number: int
    row: list[object]


@dataclass
class _NodeDraft:
    kode: str
    tingkat: Tingkat
    nama: str
    first_line: int
    indikator: list[Indikator] = field(default_factory=list)
    rp: dict[str, Decimal | None] = field(default_factory=dict)
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
            if not any(_cell_text(c) for c in row):
                continue
            if len(row) < width:
                row = [*row, *([None] * (width - len(row)))]
            yield _Line(offset, row)


_AMBIGUOUS_NUMBER = re.compile(r"^-?\d{1,3}\.\d{3}$")


_E = TypeVar("_E", Polaritas, Agregasi)
_MISSING = object()


def _word(value: object) -> str:
    return _cell_text(value).lower().replace("-", "_").replace(" ", "_")


class _Cells:
    """Typed, cached access to the cells of one line (codes, words and numbers repeat a lot)."""

    def __init__(self, v: _Validator, positions: dict[str, int], indonesian: bool) -> None:
        self.v = v
        self.positions = positions
        self.indonesian = indonesian
        self.numbers: dict[object, Decimal | None] = {"": None, None: None}
        self.indonesian_seen = False
        self.ambiguous_seen = False
        self.number_positions = [(c, positions.get(c)) for c in NUMBERS]
        self.kode: dict[str, Kode | KodeError] = {}
        self.choices: dict[tuple[str, object], Polaritas | Agregasi] = {}

    def text(self, line: _Line, column: str) -> str:
        position = self.positions.get(column)
        return "" if position is None else _cell_text(line.row[position])

    def numbers_of(self, line: _Line) -> dict[str, Decimal | None]:
        """Return every number column of a line (None where blank or not a number)."""
        cache = self.numbers
        row = line.row
        out: dict[str, Decimal | None] = {}
        for column, position in self.number_positions:
            if position is None:
                out[column] = None
                continue
            cell = row[position]
            value = cache.get(cell, _MISSING)
            if value is _MISSING:
                value = self._parse_number(cell, line, column)
            out[column] = value  # type: ignore[assignment]
        return out

    def _parse_number(self, cell: object, line: _Line, column: str) -> Decimal | None:
        try:
            value = parse_angka(cell, dot_is_thousands=self.indonesian)
        except AngkaError as exc:
            self.v.problem(str(exc), line.number, column)
            return None
        if isinstance(cell, str):
            self.numbers[cell] = value
            if "," in cell or cell.count(".") > 1:
                self.indonesian_seen = True
            elif not self.indonesian and _AMBIGUOUS_NUMBER.match(cell):
                self.ambiguous_seen = True
        return value

    def choice(self, line: _Line, column: str, kind: type[_E], default: _E) -> _E:
        position = self.positions.get(column)
        if position is None:
            return default
        cell = line.row[position]
        key = (column, cell)
        known = self.choices.get(key)
        if known is not None:
            return known  # type: ignore[return-value]
        text = _word(cell)
        if not text:
            return default
        try:
            value = kind(text.replace("ratarata", "rata_rata"))
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            self.v.problem(
                f"'{text}' tidak dikenal; isi salah satu dari: {allowed}", line.number, column
            )
            return default
        self.choices[key] = value
        return value

    def parse_kode(self, text: str) -> Kode:
        known = self.kode.get(text)
        if known is None:
            try:
                known = parse_kode(text)
            except KodeError as exc:
                known = exc
            self.kode[text] = known
        if isinstance(known, KodeError):
            raise known
        return known


def parse_flat(sheet: Sheet) -> Renja:
    """Return the Renja written in a flat sheet; raise `InputError` with every problem found.

    A number such as `1.234` means 1234 in a file written in Indonesian notation and 1,234 in one
    written in machine form; when a file holds both such a number and Indonesian notation
    elsewhere, it is read again with dots as thousands separators.
    """
    try:
        return _parse_flat(sheet, indonesian=False)
    except _ReadAgain:
        return _parse_flat(sheet, indonesian=True)


class _ReadAgain(Exception):
    pass


def _parse_flat(sheet: Sheet, *, indonesian: bool) -> Renja:
    v = _Validator(sheet)
    start, positions = v.header()
    if v.problems:
        raise InputError(v.problems)
    lines = list(v.lines(start, positions))
    if not lines:
        v.problem("berkas tidak memuat baris data")
        raise InputError(v.problems)
    cells = _Cells(v, positions, indonesian)

    drafts: dict[str, _NodeDraft] = {}
    seen_lines: dict[tuple[str, str], int] = {}
    present: set[str] = set()  # codes seen, even on a line with other problems (no cascades)
    for line in lines:
        numbers = cells.numbers_of(line)
        tingkat_text = _word(line.row[positions["tingkat"]])
        tingkat = _TINGKAT_WORDS.get(tingkat_text)
        if tingkat is None:
            shown = f"'{tingkat_text}'" if tingkat_text else "kosong"
            v.problem(
                f"tingkat {shown} tidak dikenal; isi program, kegiatan, atau sub_kegiatan",
                line.number,
                "tingkat",
            )
        kode_text = cells.text(line, "kode")
        kode: str | None = None
        try:
            parsed = cells.parse_kode(kode_text)
            kode = str(parsed)
            if tingkat is not None and parsed.tingkat is not tingkat:
                v.problem(
                    f"kode '{kode_text}' adalah kode {parsed.tingkat.value.replace('_', ' ')}, "
                    f"bukan {tingkat.value.replace('_', ' ')}",
                    line.number,
                    "kode",
                )
                kode = None
        except KodeError as exc:
            v.problem(f"kode tidak dapat dibaca: {exc}", line.number, "kode")
        polaritas = cells.choice(line, "polaritas", Polaritas, Polaritas.POSITIF)
        agregasi_k = cells.choice(line, "agregasi_k", Agregasi, Agregasi.PROGRESIF)
        agregasi_rp = cells.choice(line, "agregasi_rp", Agregasi, Agregasi.PROGRESIF)
        if kode is not None:
            present.add(kode)
        if kode is None or tingkat is None:
            continue

        teks = cells.text(line, "indikator")
        key = (kode, teks.casefold())
        if key in seen_lines:
            v.problem(
                f"baris ini sama dengan baris {seen_lines[key]} (kode {kode}, indikator "
                f"'{teks or '-'}')",
                line.number,
                "indikator",
            )
            continue
        seen_lines[key] = line.number

        draft = drafts.get(kode)
        nama = cells.text(line, "nama")
        if draft is None:
            draft = drafts[kode] = _NodeDraft(kode, tingkat, nama, line.number)
        elif nama and not draft.nama:
            draft.nama = nama
        rp = {c: numbers[c] for c in RP_NUMBERS}
        if any(x is not None for x in rp.values()):
            if not draft.rp:
                draft.rp = rp
                draft.agregasi_rp = agregasi_rp
            elif draft.rp != rp:
                v.problem(
                    f"angka Rp untuk kode {kode} sudah diisi di baris {draft.first_line} dengan "
                    "nilai lain; isi Rp hanya pada baris pertama simpul itu",
                    line.number,
                )
        unit = cells.text(line, "unit_penanggung_jawab")
        if unit and not draft.unit:
            draft.unit = unit
        quarters: Quarters = (
            numbers["tw1_k"],
            numbers["tw2_k"],
            numbers["tw3_k"],
            numbers["tw4_k"],
        )
        draft.indikator.append(
            Indikator(
                teks=teks,
                satuan=cells.text(line, "satuan"),
                target_renstra=numbers["target_renstra_k"],
                realisasi_lalu=numbers["realisasi_lalu_k"],
                target=numbers["target_k"],
                target_volume=cells.text(line, "target_volume"),
                triwulan=quarters,
                polaritas=polaritas,
                agregasi=agregasi_k,
                capaian_tercetak=numbers["capaian_tercetak"],
                asal=f"{sheet.name}:{line.number}",
            )
        )

    if cells.indonesian_seen and cells.ambiguous_seen:
        raise _ReadAgain
    for kode, draft in drafts.items():
        parts = kode.split(".")
        if draft.tingkat is Tingkat.KEGIATAN and ".".join(parts[:3]) not in present:
            v.problem(
                f"kegiatan {kode} berada di bawah program {'.'.join(parts[:3])} yang tidak ada "
                "di berkas",
                draft.first_line,
                "kode",
            )
        if draft.tingkat is Tingkat.SUB_KEGIATAN and ".".join(parts[:5]) not in present:
            v.problem(
                f"sub kegiatan {kode} berada di bawah kegiatan {'.'.join(parts[:5])} yang tidak "
                "ada di berkas",
                draft.first_line,
                "kode",
            )
    if v.problems:
        v.problems.sort(key=lambda m: m.baris or 0)
        raise InputError(v.problems)
    return Renja(tuple(_node(d) for d in drafts.values()))


def _node(draft: _NodeDraft) -> Node:
    rp = draft.rp
    return Node(
        kode=draft.kode,
        tingkat=draft.tingkat,
        nama=draft.nama,
        indikator=tuple(draft.indikator),
        pagu=rp.get("pagu"),
        triwulan_rp=(rp.get("tw1_rp"), rp.get("tw2_rp"), rp.get("tw3_rp"), rp.get("tw4_rp")),
        target_renstra_rp=rp.get("target_renstra_rp"),
        realisasi_lalu_rp=rp.get("realisasi_lalu_rp"),
        agregasi_rp=draft.agregasi_rp,
        unit=draft.unit,
    )


def read_flat(path: Path, data: bytes | None = None) -> Renja:
    """Return the Renja in a flat CSV or XLSX file; raise `InputError` with every problem found."""
    return parse_flat(read_rows(path, data))
