"""The reference report as a PDF, made by the tests from its transcription: a text PDF (ReportLab)
with one ruled table per block of lines, and a scan of it (rendered to an image, saved as an
image-only PDF)."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

PAGE = landscape((1500, 3000))  # a large page: every column of the report fits at a legible size
_STYLE = ParagraphStyle("sel", fontName="Helvetica", fontSize=8, leading=10)
_CHAR = 4.8  # the width of a character at that size, in points (a little over the mean)


def _blocks(text: str) -> list[list[list[str]]]:
    blocks: list[list[list[str]]] = [[]]
    for line in text.splitlines():
        if not line.strip():
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(line.split("\\t") if "\\t" in line else line.split("\t"))
    return [b for b in blocks if b]


def text_pdf(text: str) -> bytes:
    """Return the report's lines as a text PDF: each block of lines one ruled table."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=PAGE, leftMargin=20, rightMargin=20, topMargin=20, bottomMargin=20
    )
    story: list[object] = []
    for block in _blocks(text):
        width = max(len(r) for r in block)
        cells = [r + [""] * (width - len(r)) for r in block]
        # A column is as wide as its longest word (numbers never wrap) and its texts up to 40
        # characters a line; the rest of the page is shared out in proportion.
        need = [
            max(
                max((len(w) for c in col for w in c.split()), default=1),
                min(max(map(len, col)), 32),
            )
            for col in zip(*cells, strict=True)
        ]
        widths = [n * _CHAR + 16 for n in need]  # the cell's padding: 6 points a side
        assert sum(widths) <= PAGE[0] - 40, "the page is too narrow for the block"
        spare = PAGE[0] - 40 - sum(widths)
        if spare > 0:
            widths = [w + spare * w / sum(widths) for w in widths]
        rows = [[Paragraph(_escape(c), _STYLE) for c in r] for r in cells]
        table = Table(rows, colWidths=widths, repeatRows=0)
        table.setStyle(
            TableStyle(
                [("GRID", (0, 0), (-1, -1), 0.6, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]
            )
        )
        story += [table, Spacer(1, 14)]
    doc.build(story)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def scanned_pdf(pdf: bytes, dpi: int = 300) -> bytes:
    """Return a PDF of images of the pages of `pdf` (what a scanner makes): no text in it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    images = [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path
