"""Render a report as PDF (ReportLab): landscape F4 or A4, the table header on every page.

ReportLab rather than WeasyPrint: WeasyPrint took about 20 s to lay out a table of 600 lines (the
target is under 5 s); ReportLab takes about 2 s. Fonts are TrueType and embedded (subset); a table
line is never split across two pages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from html import escape
from pathlib import Path
from typing import IO, Any

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from monev.core.codes import Tingkat
from monev.core.numbers import format_angka
from monev.io.report.context import TANDA_DRAF, Kertas, TataLetak
from monev.io.report.model import (
    BARIS_KEPALA,
    ROMAWI,
    Laporan,
    Peran,
    Rata,
    show,
)

Kemajuan = Callable[[int], None]
Keluaran = str | Path | IO[bytes]

#: Landscape page sizes: F4 is 215 × 330 mm.
PAGE = {Kertas.F4: (330 * mm, 215 * mm), Kertas.A4: (297 * mm, 210 * mm)}
MARGIN_X = 8 * mm
MARGIN_TOP = 10 * mm
MARGIN_BOTTOM = 12 * mm
PAD = 1.5  # cell padding left and right, points
TOP_PAD = 1.0
BOTTOM_PAD = 1.5
LEADING = 1.18  # line height in body sizes
BODY_SIZES = (6.0, 5.5, 5.0, 4.5, 4.0)  # tried in turn until the table fits the page width
CUT = "… (terpotong; teks lengkap di XLSX)"

REGULAR = "MonevSans"
BOLD = "MonevSans-Bold"

_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/liberation"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
_FONT_FILES = (
    ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    ("LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf"),
    ("arialn.ttf", "arialnb.ttf"),
)

_HEADER_FILL = colors.HexColor("#D9E1F2")
_PROGRAM_FILL = colors.HexColor("#EDEDED")
_DRAF_COLOUR = colors.HexColor("#C00000")
_ALIGN = {Rata.KIRI: TA_LEFT, Rata.KANAN: TA_RIGHT, Rata.TENGAH: TA_CENTER}
_RANK = {t: i for i, t in enumerate(Tingkat)}
_BOLD = frozenset(t for t, rank in _RANK.items() if rank <= _RANK[Tingkat.PROGRAM])


@cache
def register_fonts() -> tuple[str, str]:
    """Register the narrow sans-serif of the system (or ReportLab's own Vera) and return its
    regular and bold names."""
    found: tuple[Path, Path] | None = None
    for regular, bold in _FONT_FILES:
        for folder in _FONT_DIRS:
            if (folder / regular).exists() and (folder / bold).exists():
                found = (folder / regular, folder / bold)
                break
        if found:
            break
    if found is None:  # always there: ReportLab ships Bitstream Vera
        bundled = Path(reportlab.__file__).parent / "fonts"
        found = (bundled / "Vera.ttf", bundled / "VeraBd.ttf")
    pdfmetrics.registerFont(TTFont(REGULAR, str(found[0])))
    pdfmetrics.registerFont(TTFont(BOLD, str(found[1])))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    return REGULAR, BOLD


def _para(text: str) -> str:
    return escape(text, quote=False).replace("\n", "<br/>")


class _Measures:
    """Widths at a body size of 1 pt (a width grows in proportion to the size), per column."""

    def __init__(self, laporan: Laporan, texts: list[list[str]]) -> None:
        self.cache: dict[str, float] = {}
        n = len(laporan.kolom)
        #: The widest line of a cell.
        self.content = [max((self.width(row[c]) for row in texts), default=0.0) for c in range(n)]
        #: The longest word of a cell (text columns only).
        self.longest_word = [0.0] * n
        for c, kolom in enumerate(laporan.kolom):
            if kolom.bungkus:
                words = {w for row in texts for w in row[c].split()}
                self.longest_word[c] = max((self.width(w) for w in words), default=0.0)
        #: What the column's own header needs: its longest word, or `Rp`.
        self.header = [self.width("Rp")] * n
        for cell in laporan.kepala:
            if cell.kolom == cell.kolom_akhir:
                longest = max((self.width(w) for w in cell.teks.split()), default=0.0)
                self.header[cell.kolom] = max(self.header[cell.kolom], longest)
        self.char = pdfmetrics.stringWidth("0", REGULAR, 1)

    def width(self, text: str) -> float:
        """Return the width of the widest line of `text` in bold at 1 pt (cached)."""
        found = self.cache.get(text)
        if found is None:
            if "\n" in text:
                found = max(self.width(part) for part in text.split("\n"))
            else:
                found = pdfmetrics.stringWidth(text, BOLD, 1)
            self.cache[text] = found
        return found


def _column_widths(laporan: Laporan, m: _Measures, size: float, avail: float) -> list[float] | None:
    """Return widths that fit `avail` at body size `size`, or None if the table cannot fit.

    Numbers and codes never wrap: their column is as wide as their widest cell. A text column is
    never wider than its widest cell; the text columns that wrap share what is left over, in
    proportion to their nominal widths, and may give up to a third of it before the font shrinks.
    """
    minimum = [h * size for h in m.header]
    widths: list[float] = []
    flexible: list[int] = []
    for c, kolom in enumerate(laporan.kolom):
        content = m.content[c] * size
        width = max(content, minimum[c])
        if kolom.bungkus:
            nominal = kolom.lebar * m.char * size
            if content > nominal:
                # Room for the longest word, so that no word is cut in two (up to the nominal width).
                minimum[c] = max(minimum[c], min(m.longest_word[c] * size, nominal))
                width = max(nominal, minimum[c])
                if kolom.peran is not Peran.K:
                    flexible.append(c)
        widths.append(width + 2 * PAD)
    spare = avail - sum(widths)
    if not flexible:
        flexible = [c for c, k in enumerate(laporan.kolom) if k.bungkus] or list(range(len(widths)))
    if spare < 0:
        # Each column gives in proportion to what it can give (down to its floor).
        give = {
            c: max(widths[c] - max(widths[c] * 2 / 3, minimum[c] + 2 * PAD), 0) for c in flexible
        }
        total = sum(give.values())
        if -spare > total:
            return None
        for c in flexible:
            widths[c] += spare * give[c] / total
        return widths
    weight = sum(widths[c] for c in flexible)
    for c in flexible:
        widths[c] += spare * widths[c] / weight
    return widths


class _Progress:
    """Counts the table lines drawn (a split table's parts are new tables of the same class)."""

    def __init__(self, kemajuan: Kemajuan | None) -> None:
        self.kemajuan = kemajuan

    def table_class(self) -> type[Table]:
        progress = self

        class _Tabel(Table):  # type: ignore[misc]  # ReportLab has no type hints
            def draw(self) -> None:
                super().draw()
                if progress.kemajuan is not None:
                    progress.kemajuan(len(self._cellvalues) - self.repeatRows)

        return _Tabel


def _numbered_canvas(laporan: Laporan) -> type[Canvas]:
    footer_left = " · ".join(
        x
        for x in (
            "Evaluasi Hasil RKPD"
            if laporan.tata_letak is TataLetak.E79
            else "Evaluasi Hasil Renja",
            laporan.perangkat_daerah,
            f"s.d. TW {ROMAWI[laporan.triwulan - 1]}",
        )
        if x
    )

    class _NumberedCanvas(Canvas):  # type: ignore[misc]
        """Holds every page until the end, to print `Halaman x dari y`."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                width, _ = self._pagesize
                self.setFont(REGULAR, 7)
                self.drawCentredString(
                    width / 2, 6 * mm, f"Halaman {self._pageNumber} dari {total}"
                )
                self.drawString(MARGIN_X, 6 * mm, footer_left)
                if laporan.draf:  # at the head and the foot of every page
                    height = self._pagesize[1]
                    self.setFillColor(_DRAF_COLOUR)
                    self.setFont(BOLD, 9)
                    self.drawCentredString(width / 2, height - 6 * mm, TANDA_DRAF)
                    self.drawRightString(width - MARGIN_X, 6 * mm, TANDA_DRAF)
                    self.setFillColor(colors.black)
                super().showPage()
            super().save()

    return _NumberedCanvas


_ALIGN_COMMAND = {Rata.KIRI: "LEFT", Rata.KANAN: "RIGHT", Rata.TENGAH: "CENTER"}
_BASE_COMMANDS: list[tuple[Any, ...]] = [
    ("GRID", (0, 0), (-1, -1), 0.3, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), PAD),
    ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
    ("TOPPADDING", (0, 0), (-1, -1), TOP_PAD),
    ("BOTTOMPADDING", (0, 0), (-1, -1), BOTTOM_PAD),
]


def _fit(laporan: Laporan, m: _Measures, avail: float) -> tuple[float, list[float]]:
    """Return the largest body size at which the table fits the page width, and the widths."""
    for size in BODY_SIZES:
        widths = _column_widths(laporan, m, size, avail)
        if widths is not None:
            return size, widths
    # Nothing fits: take the smallest size and scale every column down alike.
    size = BODY_SIZES[-1]
    raw = [
        (k.lebar * m.char * 0.6 if k.bungkus else m.content[c]) * size + 2 * PAD
        for c, k in enumerate(laporan.kolom)
    ]
    scale = avail / sum(raw)
    return size, [w * scale for w in raw]


def _main_tables(
    laporan: Laporan,
    texts: list[list[str]],
    measures: _Measures,
    size: float,
    widths: list[float],
    table_class: type[Table],
    frame_height: float,
    first_room: float,
) -> list[Table]:
    """Return the evaluation table cut into pages, each a table with the header on top.

    Every line's height is known here, so the table is cut into pages here, in one pass: left to
    ReportLab, each page's split measures the header's spans over all the remaining lines again,
    which made a table of some thousand lines (a pemda's E.79) quadratic. `first_room` is the
    height left on the first page under the title; a page that is cut a line short of full is
    still right, and ReportLab splits a page that would not fit, so a rounding slip costs no line.
    """
    header_style = ParagraphStyle(
        "kepala", fontName=BOLD, fontSize=size, leading=size * LEADING, alignment=TA_CENTER
    )
    n = len(laporan.kolom)
    header: list[list[Any]] = [[""] * n for _ in range(BARIS_KEPALA)]
    commands: list[tuple[Any, ...]] = [
        *_BASE_COMMANDS,
        ("FONT", (0, 0), (-1, -1), REGULAR, size, size * LEADING),
        ("FONT", (0, 0), (-1, BARIS_KEPALA - 1), BOLD, size, size * LEADING),
        ("BACKGROUND", (0, 0), (-1, BARIS_KEPALA - 1), _HEADER_FILL),
        ("ALIGN", (0, 0), (-1, BARIS_KEPALA - 1), "CENTER"),
        ("VALIGN", (0, 0), (-1, BARIS_KEPALA - 1), "MIDDLE"),
    ]
    for cell in laporan.kepala:
        text = cell.teks
        header[cell.baris][cell.kolom] = (
            Paragraph(_para(text), header_style) if cell.baris < 2 else text
        )
        if cell.gabung:
            commands.append(
                ("SPAN", (cell.kolom, cell.baris), (cell.kolom_akhir, cell.baris_akhir))
            )
    header_height = Table(header, colWidths=widths, style=TableStyle(commands)).wrap(
        sum(widths), frame_height
    )[1]
    # A line is never split across pages; one taller than a page is cut, and says so.
    leading = size * LEADING
    max_lines = max(int((frame_height - header_height - TOP_PAD - BOTTOM_PAD) / leading) - 1, 1)
    kolom = laporan.kolom
    for c, k in enumerate(kolom):
        if k.rata is not Rata.KIRI:
            commands.append(("ALIGN", (c, BARIS_KEPALA), (c, -1), _ALIGN_COMMAND[k.rata]))

    data: list[list[Any]] = list(header)
    room = [w - 2 * PAD for w in widths]
    # Heights are measured here once: a table split over pages measures its remaining lines again
    # on every page, which makes a long table quadratic.
    heights: list[float | None] = [None] * BARIS_KEPALA
    wrapping = [c for c, k in enumerate(kolom) if k.bungkus]
    # A name is indented by its level below the top level of the report (a PD's programs, or the
    # pemda's urusan), three spaces a level.
    top = min((_RANK[b.tingkat] for b in laporan.baris), default=_RANK[Tingkat.PROGRAM])
    indents = {t: "   " * max(rank - top, 0) for t, rank in _RANK.items()}
    for line, row_texts in zip(laporan.baris, texts, strict=True):
        row: list[Any] = list(row_texts)
        font = BOLD if line.tingkat in _BOLD else REGULAR
        for c in wrapping:
            text = row_texts[c]
            if not text:
                continue
            # Wrapped here into a plain multi-line string: a Paragraph per cell took most of the
            # time of a long report. A name is indented by its level with spaces.
            indent = indents[line.tingkat] if kolom[c].peran is Peran.URAIAN else ""
            if indent or measures.width(text) * size > room[c]:
                width = room[c] - (measures.width(indent) * size if indent else 0)
                lines = simpleSplit(text, font, size, width)
                row[c] = "\n".join(indent + part for part in lines)
        lines = max(cell.count("\n") + 1 for cell in row)
        if lines > max_lines:
            for c, cell in enumerate(row):
                parts = cell.split("\n")
                if len(parts) > max_lines:
                    row[c] = "\n".join([*parts[: max_lines - 1], CUT])
            lines = max_lines
        height = lines * leading
        heights.append(height + TOP_PAD + BOTTOM_PAD)
        data.append(row)

    tables = []
    body = data[BARIS_KEPALA:]
    body_heights = [h or 0.0 for h in heights[BARIS_KEPALA:]]
    slack = 2.0  # points kept free on every page against rounding
    for start, end in _pages(
        body_heights, first_room - header_height - slack, frame_height - header_height - slack
    ):
        page_commands = list(commands)
        for i in range(start, end):
            if laporan.baris[i].tingkat in _BOLD:
                r = BARIS_KEPALA + i - start
                page_commands.append(("BACKGROUND", (0, r), (-1, r), _PROGRAM_FILL))
                page_commands.append(("FONT", (0, r), (-1, r), BOLD, size, size * LEADING))
        tables.append(
            table_class(
                header + body[start:end],
                colWidths=widths,
                rowHeights=[None] * BARIS_KEPALA + body_heights[start:end],
                repeatRows=BARIS_KEPALA,
                style=TableStyle(page_commands),
            )
        )
    return tables


def _pages(heights: list[float], first: float, rest: float) -> list[tuple[int, int]]:
    """Return the (start, end) lines of each page: as many lines as fit, at least one a page.

    When not even the first line fits under the title, the first page's lines are counted as
    for a whole page: ReportLab then moves that table to the next page, as it would any table.
    """
    pages = []
    start, used, room = 0, 0.0, first
    for i, h in enumerate(heights):
        if used + h > room:
            if i > start:
                pages.append((start, i))
                start = i
            used, room = 0.0, rest
        used += h
    pages.append((start, len(heights)))
    return pages


def _summary_table(laporan: Laporan, avail: float) -> Table:
    size = 7.0
    label = ParagraphStyle("ringkasan", fontName=REGULAR, fontSize=size, leading=size * 1.2)
    head = ParagraphStyle("ringkasan-kepala", parent=label, fontName=BOLD, alignment=TA_CENTER)
    data: list[list[Any]] = [
        [
            Paragraph(text, head)
            for text in (
                "Indikator",
                "Capaian Kinerja (%)",
                "Pagu (Rp)",
                "Realisasi (Rp)",
                "Persen (%)",
            )
        ]
    ]
    for line in laporan.ringkasan:
        data.append(
            [
                Paragraph(_para(line.uraian), label),
                format_angka(line.capaian),
                format_angka(line.pagu),
                format_angka(line.realisasi),
                format_angka(line.persen),
            ]
        )
    widths = [min(avail * 0.4, 120 * mm), 24 * mm, 32 * mm, 32 * mm, 20 * mm]
    return Table(
        data,
        colWidths=widths,
        repeatRows=1,
        hAlign="LEFT",
        style=TableStyle(
            [
                *_BASE_COMMANDS,
                ("FONT", (0, 0), (-1, -1), REGULAR, size),
                ("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        ),
    )


def _footer_tables(laporan: Laporan, avail: float) -> list[Flowable]:
    size = 7.0
    label = ParagraphStyle("kaki", fontName=BOLD, fontSize=size, leading=size * 1.2)
    body = ParagraphStyle("kaki-isi", fontName=REGULAR, fontSize=size, leading=size * 1.2)
    means = Table(
        [
            ["", "K", "Rp"],
            [
                Paragraph("Rata-rata capaian kinerja (%)", label),
                format_angka(laporan.rata_rata_capaian_k),
                format_angka(laporan.persen_realisasi_rp),
            ],
            [
                Paragraph("Predikat kinerja", label),
                laporan.predikat_k or "-",
                laporan.predikat_rp or "-",
            ],
        ],
        colWidths=[70 * mm, 28 * mm, 28 * mm],
        hAlign="LEFT",
        style=TableStyle(
            [
                *_BASE_COMMANDS,
                ("FONT", (0, 0), (-1, -1), BOLD, size),
                ("ALIGN", (1, 0), (-1, 0), "CENTER"),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("BACKGROUND", (1, 0), (-1, 0), _HEADER_FILL),
            ]
        ),
    )
    narrative = Table(
        [
            [Paragraph(_para(caption), label), Paragraph(_para(text), body)]
            for caption, text in laporan.narasi
        ],
        colWidths=[70 * mm, avail - 70 * mm],
        hAlign="LEFT",
        splitInRow=1,  # free text may run over a page
        style=TableStyle([*_BASE_COMMANDS, ("FONT", (0, 0), (-1, -1), REGULAR, size)]),
    )
    return [means, Spacer(1, 3 * mm), narrative]


def _signature_table(laporan: Laporan, avail: float) -> Table:
    size = 8.0
    plain = ParagraphStyle(
        "ttd", fontName=REGULAR, fontSize=size, leading=size * 1.25, alignment=TA_CENTER
    )
    name = ParagraphStyle("ttd-nama", parent=plain, fontName=BOLD)
    left, right = laporan.tanda_tangan
    rows = [
        [
            Paragraph(_para(left.tempat_tanggal), plain),
            Paragraph(_para(right.tempat_tanggal), plain),
        ],
        [Paragraph(_para(left.judul), plain), Paragraph(_para(right.judul), plain)],
        [Paragraph(_para(left.jabatan), plain), Paragraph(_para(right.jabatan), plain)],
        ["", ""],
        [
            Paragraph(f"<u>{_para(left.nama)}</u>", name),
            Paragraph(f"<u>{_para(right.nama)}</u>", name),
        ],
        [Paragraph(_para(left.nip), plain), Paragraph(_para(right.nip), plain)],
    ]
    return Table(
        rows,
        colWidths=[avail / 2, avail / 2],
        rowHeights=[None, None, None, 18 * mm, None, None],
        style=TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), REGULAR, size)]
        ),
    )


def render_pdf(laporan: Laporan, target: Keluaran, kemajuan: Kemajuan | None = None) -> None:
    """Write the report as a PDF to a path or a binary file; `kemajuan(n)` hears of lines drawn."""
    register_fonts()
    page_width, page_height = PAGE[laporan.kertas]
    avail = page_width - 2 * MARGIN_X
    texts = [[show(sel) for sel in line.sel] for line in laporan.baris]
    measures = _Measures(laporan, texts)
    size, widths = _fit(laporan, measures, avail)

    title = ParagraphStyle("judul", fontName=BOLD, fontSize=11, leading=14, alignment=TA_CENTER)
    subtitle = ParagraphStyle(
        "sub-judul", fontName=BOLD, fontSize=9, leading=11.5, alignment=TA_CENTER
    )
    story: list[Flowable] = [
        Paragraph(_para(line), title if i == 0 else subtitle)
        for i, line in enumerate(laporan.judul)
    ]
    story.append(Spacer(1, 4 * mm))
    table_class = _Progress(kemajuan).table_class()
    frame_height = page_height - MARGIN_TOP - MARGIN_BOTTOM - 12  # a frame pads 6 pt each side
    first_room = frame_height - sum(f.wrap(avail, frame_height)[1] for f in story)
    story += _main_tables(
        laporan, texts, measures, size, widths, table_class, frame_height, first_room
    )
    story.append(Spacer(1, 5 * mm))
    if laporan.ringkasan:
        story += [_summary_table(laporan, avail), Spacer(1, 5 * mm)]
    story += _footer_tables(laporan, avail)
    story += [Spacer(1, 6 * mm), KeepTogether([_signature_table(laporan, avail)])]

    destination = str(target) if isinstance(target, Path) else target
    doc = SimpleDocTemplate(
        destination,
        pagesize=(page_width, page_height),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=laporan.judul[0],
        author="monev",
        subject=laporan.perangkat_daerah,
        creator="monev",
        initialFontName=REGULAR,  # else every page names Helvetica, a font not embedded
        initialFontSize=7,
    )
    doc.build(story, canvasmaker=_numbered_canvas(laporan))
