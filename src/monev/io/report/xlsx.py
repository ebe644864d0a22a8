"""Render a report as an XLSX workbook (XlsxWriter): the printed form, ready to print on F4 or A4.

Numbers are stored as numbers (a spreadsheet can still sum them) with number formats tagged with
the Indonesian locale (`[$-421]#,##0.00`), so that they show as `1.234.567,89`. Nothing is computed
here: every value comes from the report model, which takes it from the engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from monev.core.codes import Tingkat
from monev.io.report.context import TANDA_DRAF, Kertas
from monev.io.report.model import (
    BARIS_K_RP,
    BARIS_KEPALA,
    Angka,
    Laporan,
    Peran,
    Persen,
    Rata,
    Sel,
    Target,
    show,
)

Kemajuan = Callable[[int], None]
Keluaran = str | Path | IO[bytes]

#: XlsxWriter paper codes: 14 is Folio 8.5 × 13 in (F4), 9 is A4.
PAPER = {Kertas.F4: 14, Kertas.A4: 9}

FONT = "Arial"
FONT_SIZE = 9
LINE_HEIGHT = 12.0  # points per line of 9 pt text
#: Characters of 9 pt Arial that fit in one unit of column width (units are Calibri 11 digits).
CHARS_PER_UNIT = 1.15
CHARS_PER_UNIT_BOLD = 1.0

_LOCALE = "[$-421]"  # Indonesian: 1.234.567,89
#: A line's level: the indent of its name and its outline level (kegiatan and sub kegiatan fold).
#: Outline level and indent of each level's lines, from the top level a report holds (a PD's
#: report starts at its programs, the pemda's at its urusan).
_RANK = {t: i for i, t in enumerate(Tingkat)}
_ALIGN = {Rata.KIRI: "left", Rata.KANAN: "right", Rata.TENGAH: "center"}
_PROGRAM_FILL = "#EDEDED"  # program lines and every level above them, bold
_HEADER_FILL = "#D9E1F2"
_WORKBOOK_OPTIONS = {
    # Never turn a cell's text into a formula, a link or a number: names come from users.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
_STEP = 100  # lines between two progress reports

TITLE_ROWS = 5
HEADER_ROW = TITLE_ROWS + 1  # one empty row under the title block
DATA_ROW = HEADER_ROW + BARIS_KEPALA


def number_format(places: int) -> str:
    """Return the Indonesian number format with `places` decimals: `[$-421]#,##0.00`."""
    return _LOCALE + "#,##0" + ("." + "0" * places if places > 0 else "")


def target_format(places: int) -> str:
    """Return the format of a K target without volume: `(100)`."""
    return _LOCALE + '"("#,##0' + ("." + "0" * places if places > 0 else "") + '")"'


PERCENT_FORMAT = number_format(2)


def places_of(value: Decimal) -> int:
    """Return the decimals a number carries (`23.80` → 1, `100` → 0), at most 10."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:  # most amounts: whole rupiah
        return 0
    places, i = -exponent, len(digits) - 1
    while places and i >= 0 and digits[i] == 0:  # trailing zeros carry nothing
        places, i = places - 1, i - 1
    return min(places, 10) if i >= 0 else 0


def text_lines(text: str, width: float, bold: bool = False) -> int:
    """Return about how many lines `text` takes in a wrapped cell `width` units wide.

    Row heights are set from this estimate: LibreOffice does not fit the height of a row to its
    wrapped text when it opens a workbook, and a printed form must not cut text off.
    """
    limit = max(int(width * (CHARS_PER_UNIT_BOLD if bold else CHARS_PER_UNIT)), 1)
    if len(text) <= limit and "\n" not in text:
        return 1
    lines = 0
    for part in text.split("\n"):
        count, used = 1, 0
        for word in part.split():
            if used == 0:
                used = len(word)
            elif used + 1 + len(word) <= limit:
                used += 1 + len(word)
            else:
                count, used = count + 1, len(word)
            while used > limit:  # a word longer than the line is broken
                count, used = count + 1, used - limit
        lines += count
    return lines


class _Formats:
    """Formats made once per workbook and shared (a workbook holds a limited number)."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.cache: dict[tuple[Any, ...], Format] = {}

    def get(self, **props: Any) -> Format:
        key = tuple(sorted(props.items()))
        found = self.cache.get(key)
        if found is None:
            base: dict[str, Any] = {"font_name": FONT, "font_size": FONT_SIZE, "valign": "top"}
            base.update(props)
            found = self.cache[key] = self.workbook.add_format(base)
        return found

    def cell(
        self, kind: str, *, bold: bool, align: Rata, indent: int = 0, places: int = 0, wrap: bool
    ) -> Format:
        props: dict[str, Any] = {"border": 1, "align": _ALIGN[align]}
        if bold:
            props.update(bold=True, bg_color=_PROGRAM_FILL)
        if wrap:
            props["text_wrap"] = True
        if indent:
            props["indent"] = indent
        if kind == "number":
            props["num_format"] = number_format(places)
        elif kind == "target":
            props["num_format"] = target_format(places)
        return self.get(**props)


def _merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int, value: object, fmt: Format) -> None:
    """Write `value` over a range; strings are written as strings, never as formulas."""
    if (r1, c1) != (r2, c2):
        ws.merge_range(r1, c1, r2, c2, "", fmt)
    if value is None or value == "":
        if (r1, c1) == (r2, c2):
            ws.write_blank(r1, c1, None, fmt)
    elif isinstance(value, str):
        ws.write_string(r1, c1, value, fmt)
    elif isinstance(value, Decimal):
        ws.write_number(r1, c1, float(value), fmt)
    else:
        ws.write(r1, c1, value, fmt)


@dataclass
class _Row:
    """The formats of one table line, made once per (level, column) and reused."""

    text: list[Format]
    number: list[dict[int, Format]]
    target: list[dict[int, Format]]
    percent: list[Format]
    dash: list[Format]


class _SheetWriter:
    def __init__(self, formats: _Formats, laporan: Laporan) -> None:
        self.f = formats
        self.laporan = laporan
        self.widths = [k.lebar for k in laporan.kolom]
        self.last_col = len(laporan.kolom) - 1
        self.rows: dict[Tingkat, _Row] = {}
        self.wrapping = [c for c, k in enumerate(laporan.kolom) if k.bungkus]
        self.indented = {c for c, k in enumerate(laporan.kolom) if k.peran is Peran.URAIAN}
        top = min((_RANK[b.tingkat] for b in laporan.baris), default=_RANK[Tingkat.PROGRAM])
        self.level = {t: max(rank - top, 0) for t, rank in _RANK.items()}
        self.bold = {t for t, rank in _RANK.items() if rank <= _RANK[Tingkat.PROGRAM]}

    def _row_formats(self, tingkat: Tingkat) -> _Row:
        found = self.rows.get(tingkat)
        if found is not None:
            return found
        bold = tingkat in self.bold
        text: list[Format] = []
        number: list[dict[int, Format]] = []
        target: list[dict[int, Format]] = []
        percent: list[Format] = []
        dash: list[Format] = []
        for kolom in self.laporan.kolom:
            indent = self.level[tingkat] if kolom.peran is Peran.URAIAN else 0
            text.append(
                self.f.cell("text", bold=bold, align=kolom.rata, indent=indent, wrap=kolom.bungkus)
            )
            number.append({})
            target.append({})
            percent.append(self.f.cell("number", bold=bold, align=Rata.KANAN, places=2, wrap=False))
            dash.append(self.f.cell("text", bold=bold, align=Rata.KANAN, wrap=False))
        found = self.rows[tingkat] = _Row(text, number, target, percent, dash)
        return found

    def _write_cell(self, ws: Worksheet, r: int, c: int, sel: Sel, fm: _Row, bold: bool) -> None:
        if sel is None:
            ws.write_blank(r, c, None, fm.text[c])
        elif isinstance(sel, str):
            if sel:
                ws.write_string(r, c, sel, fm.text[c])
            else:
                ws.write_blank(r, c, None, fm.text[c])
        elif isinstance(sel, Angka):
            if sel.nilai is None:
                ws.write_string(r, c, "-", fm.dash[c])
            else:
                places = places_of(sel.nilai)
                fmt = fm.number[c].get(places)
                if fmt is None:
                    fmt = fm.number[c][places] = self.f.cell(
                        "number", bold=bold, align=Rata.KANAN, places=places, wrap=False
                    )
                ws.write_number(r, c, float(sel.nilai), fmt)
        elif isinstance(sel, Persen):
            if sel.nilai is None:
                ws.write_string(r, c, "-", fm.dash[c])
            else:
                ws.write_number(r, c, float(sel.nilai), fm.percent[c])
        elif isinstance(sel, Target) and not sel.volume and sel.nilai is not None:
            places = places_of(sel.nilai)
            fmt = fm.target[c].get(places)
            if fmt is None:
                fmt = fm.target[c][places] = self.f.cell(
                    "target", bold=bold, align=Rata.KANAN, places=places, wrap=False
                )
            ws.write_number(r, c, float(sel.nilai), fmt)
        else:  # a target with its volume, or the reference report's realisation and capaian
            ws.write_string(r, c, show(sel), fm.text[c])

    # -- the parts of the sheet, top to bottom (rows in order, so merges stay in order) ---------

    def title(self, ws: Worksheet) -> None:
        first = self.f.get(bold=True, font_size=12, align="center")
        rest = self.f.get(bold=True, font_size=10, align="center")
        for r, line in enumerate(self.laporan.judul):
            _merge(ws, r, 0, r, self.last_col, line, first if r == 0 else rest)
            ws.set_row(r, 18 if r == 0 else 15)
        if self.laporan.draf:  # in the empty row above the table, in view when the file opens
            mark = self.f.get(bold=True, font_size=11, align="center", font_color=DRAF_COLOUR)
            _merge(ws, TITLE_ROWS, 0, TITLE_ROWS, self.last_col, TANDA_DRAF, mark)
            ws.set_row(TITLE_ROWS, 16)

    def header(self, ws: Worksheet) -> None:
        text = self.f.get(
            bold=True,
            border=1,
            align="center",
            valign="vcenter",
            text_wrap=True,
            bg_color=_HEADER_FILL,
        )
        small = self.f.get(
            bold=True,
            border=1,
            align="center",
            valign="vcenter",
            font_size=8,
            bg_color=_HEADER_FILL,
        )
        needed = [0.0, LINE_HEIGHT + 4]
        for cell in self.laporan.kepala:
            width = sum(self.widths[cell.kolom : cell.kolom_akhir + 1])
            if cell.baris < 2:
                height = text_lines(cell.teks, width, bold=True) * LINE_HEIGHT + 6
                if cell.baris_akhir == 1 and cell.baris == 0:
                    height -= needed[1]
                needed[cell.baris] = max(needed[cell.baris], height)
            _merge(
                ws,
                HEADER_ROW + cell.baris,
                cell.kolom,
                HEADER_ROW + cell.baris_akhir,
                cell.kolom_akhir,
                cell.teks,
                text if cell.baris < 2 else small,
            )
        ws.set_row(HEADER_ROW, needed[0])
        ws.set_row(HEADER_ROW + 1, needed[1])
        ws.set_row(HEADER_ROW + 2, LINE_HEIGHT)
        ws.set_row(HEADER_ROW + BARIS_K_RP, LINE_HEIGHT)

    def body(self, ws: Worksheet, kemajuan: Kemajuan | None) -> int:
        r = DATA_ROW
        for i, line in enumerate(self.laporan.baris, start=1):
            fm = self._row_formats(line.tingkat)
            bold = line.tingkat in self.bold
            lines = 1
            for c in self.wrapping:
                sel = line.sel[c]
                if sel is not None and not isinstance(sel, Angka | Persen):
                    indent = 1.5 * self.level[line.tingkat] if c in self.indented else 0
                    lines = max(lines, text_lines(show(sel), self.widths[c] - indent, bold))
            ws.set_row(r, lines * LINE_HEIGHT + 3, None, {"level": self.level[line.tingkat]})
            for c, sel in enumerate(line.sel):
                self._write_cell(ws, r, c, sel, fm, bold)
            r += 1
            if kemajuan is not None and i % _STEP == 0:
                kemajuan(_STEP)
        if kemajuan is not None and len(self.laporan.baris) % _STEP:
            kemajuan(len(self.laporan.baris) % _STEP)
        return r

    def summary(self, ws: Worksheet, r: int) -> int:
        """Write the reference report's summary table (spec §6); return the next free row."""
        lap = self.laporan
        if not lap.ringkasan:
            return r
        head = self.f.get(
            bold=True,
            border=1,
            align="center",
            valign="vcenter",
            text_wrap=True,
            bg_color=_HEADER_FILL,
        )
        label = self.f.get(border=1, text_wrap=True)
        pct = self.f.get(border=1, align="right", num_format=PERCENT_FORMAT)
        rp = self.f.get(border=1, align="right", num_format=number_format(2))
        dash = self.f.get(border=1, align="right")
        spans = [(0, 3), (4, 5), (6, 7), (8, 9), (10, 11)]
        heads = ["Indikator", "Capaian Kinerja (%)", "Pagu (Rp)", "Realisasi (Rp)", "Persen (%)"]
        for (c1, c2), text in zip(spans, heads, strict=True):
            _merge(ws, r, c1, r, c2, text, head)
        ws.set_row(r, 2 * LINE_HEIGHT + 4)
        r += 1
        for line in lap.ringkasan:
            values = [line.uraian, line.capaian, line.pagu, line.realisasi, line.persen]
            formats = [label, pct, rp, rp, pct]
            width = sum(self.widths[0:4])
            ws.set_row(r, text_lines(line.uraian, width) * LINE_HEIGHT + 3)
            for (c1, c2), value, fmt in zip(spans, values, formats, strict=True):
                if value is None and fmt is not label:
                    _merge(ws, r, c1, r, c2, "-", dash)
                else:
                    _merge(ws, r, c1, r, c2, value, fmt)
            r += 1
        return r + 1

    def footer(self, ws: Worksheet, r: int) -> int:
        """Write the means, predikat and the narrative under the table; return the next free row."""
        lap = self.laporan
        kc = lap.kolom_capaian
        label = self.f.get(bold=True, border=1, text_wrap=True, valign="vcenter")
        head = self.f.get(bold=True, border=1, align="center", bg_color=_HEADER_FILL)
        pct = self.f.get(bold=True, border=1, align="right", num_format=PERCENT_FORMAT)
        text = self.f.get(bold=True, border=1, align="right")
        narrative = self.f.get(border=1, text_wrap=True)
        ws.write_string(r, kc, "K", head)
        ws.write_string(r, kc + 1, "Rp", head)
        r += 1
        for caption, k, rp in (
            ("Rata-rata capaian kinerja (%)", lap.rata_rata_capaian_k, lap.persen_realisasi_rp),
            ("Predikat kinerja", lap.predikat_k, lap.predikat_rp),
        ):
            _merge(ws, r, 0, r, kc - 1, caption, label)
            for c, value in ((kc, k), (kc + 1, rp)):
                if isinstance(value, Decimal):
                    ws.write_number(r, c, float(value), pct)
                else:
                    ws.write_string(r, c, value or "-", text)
            r += 1
        ident = lap.kolom_identitas
        text_width = sum(self.widths[ident:])
        for caption, body in lap.narasi:
            lines = max(
                text_lines(body, text_width),
                text_lines(caption, sum(self.widths[:ident]), bold=True),
            )
            ws.set_row(r, max(2, lines) * LINE_HEIGHT + 4)
            _merge(ws, r, 0, r, ident - 1, caption, label)
            _merge(ws, r, ident, r, self.last_col, body, narrative)
            r += 1
        return r + 1

    def signatures(self, ws: Worksheet, r: int) -> int:
        lap = self.laporan
        left_cols = (0, lap.kolom_identitas - 1)
        width = 0.0
        c = self.last_col
        while c > lap.kolom_identitas and width < 60:
            width += self.widths[c]
            c -= 1
        right_cols = (c + 1, self.last_col)
        plain = self.f.get(align="center", text_wrap=True)
        name = self.f.get(align="center", bold=True, underline=1)
        left, right = lap.tanda_tangan
        rows: list[tuple[str, str, Format, float]] = [
            (left.tempat_tanggal, right.tempat_tanggal, plain, LINE_HEIGHT + 3),
            (left.judul, right.judul, plain, LINE_HEIGHT + 3),
            (
                left.jabatan,
                right.jabatan,
                plain,
                max(
                    text_lines(left.jabatan, sum(self.widths[left_cols[0] : left_cols[1] + 1])),
                    text_lines(right.jabatan, width),
                )
                * LINE_HEIGHT
                + 3,
            ),
            ("", "", plain, 3 * LINE_HEIGHT + 12),  # room for the signature and the stamp
            (left.nama, right.nama, name, LINE_HEIGHT + 3),
            (left.nip, right.nip, plain, LINE_HEIGHT + 3),
        ]
        for left_text, right_text, fmt, height in rows:
            ws.set_row(r, height)
            _merge(ws, r, left_cols[0], r, left_cols[1], left_text, fmt)
            _merge(ws, r, right_cols[0], r, right_cols[1], right_text, fmt)
            r += 1
        return r

    def page_setup(self, ws: Worksheet, last_row: int) -> None:
        for c, width in enumerate(self.widths):
            ws.set_column(c, c, width)
        ws.freeze_panes(DATA_ROW, 0)
        # Codes, line numbers and column numbers are text on purpose: no green warning triangles.
        ws.ignore_errors(
            {"number_stored_as_text": f"A1:{xl_col_to_name(self.last_col)}{last_row + 1}"}
        )
        ws.outline_settings(True, False, True, False)  # program lines sit above their children
        ws.set_landscape()
        ws.set_paper(PAPER[self.laporan.kertas])
        ws.fit_to_pages(1, 0)  # the width of one page, as many pages as it takes
        ws.repeat_rows(HEADER_ROW, DATA_ROW - 1)
        ws.set_margins(left=0.3, right=0.3, top=0.4, bottom=0.5)
        set_page_marks(ws, self.laporan.draf)
        ws.print_area(0, 0, last_row, self.last_col)
        ws.center_horizontally()

    def write(self, ws: Worksheet, kemajuan: Kemajuan | None) -> None:
        self.title(ws)
        self.header(ws)
        r = self.body(ws, kemajuan)
        r = self.summary(ws, r + 1)
        r = self.footer(ws, r)
        r = self.signatures(ws, r)
        self.page_setup(ws, r - 1)


DRAF_COLOUR = "#C00000"


def set_page_marks(ws: Worksheet, draf: bool) -> None:
    """Print the page number at the foot of every page, and a draft's mark at its head and foot."""
    if draf:
        ws.set_header(f'&C&"-,Bold"&11&K{DRAF_COLOUR[1:]}{TANDA_DRAF}')
        ws.set_footer(f"&L&8&K{DRAF_COLOUR[1:]}{TANDA_DRAF}&C&8&K000000Halaman &P dari &N")
    else:
        ws.set_footer("&C&8Halaman &P dari &N")


def _workbook(target: Keluaran) -> Workbook:
    destination = str(target) if isinstance(target, Path) else target
    return xlsxwriter.Workbook(destination, _WORKBOOK_OPTIONS)


def write_report_sheet(
    workbook: Workbook,
    laporan: Laporan,
    name: str,
    formats: _Formats | None = None,
    kemajuan: Kemajuan | None = None,
) -> Worksheet:
    """Add a sheet holding the report to an open workbook and return it."""
    ws = workbook.add_worksheet(name)
    _SheetWriter(formats or _Formats(workbook), laporan).write(ws, kemajuan)
    return ws


def render_xlsx(laporan: Laporan, target: Keluaran, kemajuan: Kemajuan | None = None) -> None:
    """Write the report as a workbook of one sheet to a path or a binary file."""
    workbook = _workbook(target)
    workbook.set_properties(
        {"title": laporan.judul[0], "subject": laporan.perangkat_daerah, "author": "monev"}
    )
    write_report_sheet(workbook, laporan, "Evaluasi", kemajuan=kemajuan)
    workbook.close()


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    """Return a valid, unused sheet name for `name` (at most 31 characters, no []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub(" ", name).strip().strip("'") or "PD"
    base = re.sub(r"\s+", " ", base)[:31].strip()
    candidate, n = base, 2
    while candidate.casefold() in taken or candidate.casefold() == "history":
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    taken.add(candidate.casefold())
    return candidate
