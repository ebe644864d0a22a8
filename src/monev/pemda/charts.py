"""Charts as SVG, drawn here in Python: no script, no font or library from the network.

Each function takes figures the engine has computed and returns a standalone SVG document
(white background, its own title), the same markup that the page shows inline and that is
downloaded as a file. Nothing is computed here but positions; every number is formatted with
`monev.core.numbers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from monev.core.numbers import format_angka, format_nilai
from monev.core.predikat import PitaPredikat

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
INK = "#1d2733"
MUTED = "#5f6b7a"
GRID = "#d5dbe3"
ACCENT = "#0b5cad"
PLAN = "#8a6d00"
CHAR = 6.8  # px per character of 12 px DejaVu Sans, for fitting labels

#: Fill and text colour of each predikat (spec §7); None: no capaian.
WARNA_PREDIKAT: dict[str | None, tuple[str, str]] = {
    "Sangat Tinggi": ("#1b7a3a", "#ffffff"),
    "Tinggi": ("#7cc47f", "#10321a"),
    "Sedang": ("#f3d36b", "#3d3000"),
    "Rendah": ("#f0a35e", "#3d1f00"),
    "Sangat Rendah": ("#c8403a", "#ffffff"),
    None: ("#e4e8ee", "#5f6b7a"),
}
PREDIKAT = ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah")


@dataclass(frozen=True, slots=True)
class Palet:
    """The predikat a chart shows, highest first, their colours, and the band bounds to mark."""

    urutan: tuple[str, ...]
    warna: dict[str | None, tuple[str, str]]
    batas: tuple[Decimal, ...]


BAWAAN = Palet(PREDIKAT, WARNA_PREDIKAT, (Decimal(50), Decimal(65), Decimal(75), Decimal(90)))


def palet(*sets: PitaPredikat) -> Palet:
    """Return the palette of a pemda's band sets (spec §7; K first): a default name keeps its
    colour, any other takes the colour of its rank from the highest to the lowest band; the
    bounds marked are the first set's."""
    ramp = [WARNA_PREDIKAT[p] for p in PREDIKAT]
    names: list[str] = []
    warna: dict[str | None, tuple[str, str]] = {None: WARNA_PREDIKAT[None]}
    for pita in sets:
        bands = [b.predikat for b in pita]
        for i, name in enumerate(bands):
            if name not in warna:
                rank = round(i * (len(ramp) - 1) / max(1, len(bands) - 1))
                warna[name] = WARNA_PREDIKAT.get(name) or ramp[rank]
                names.append(name)
        if pita.tanpa_target and pita.tanpa_target not in warna:
            warna[pita.tanpa_target] = WARNA_PREDIKAT[None]
            names.append(pita.tanpa_target)
    bounds = tuple(sorted({b.bawah for b in sets[0] if b.bawah is not None})) if sets else ()
    return Palet(tuple(names), warna, bounds)


@dataclass(frozen=True, slots=True)
class Grafik:
    nama: str  # the file name without extension
    judul: str
    svg: str


def _e(text: str) -> str:
    return escape(text, quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _persen(value: Decimal | None) -> str:
    return "-" if value is None else f"{format_angka(value)}%"


def _fit(text: str, width: float) -> str:
    limit = max(4, int(width / CHAR))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _document(
    nama: str, judul: str, keterangan: str, width: int, height: int, body: str, sub: str = ""
) -> str:
    subtitle = (
        f'<text x="12" y="38" font-size="11" fill="{MUTED}">{_e(_fit(sub, width - 24))}</text>'
        if sub
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafik" id="grafik-{nama}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="grafik-{nama}-judul grafik-{nama}-ket" font-family="{FONT}" '
        f'font-size="12" fill="{INK}">'
        f'<title id="grafik-{nama}-judul">{_e(judul)}</title>'
        f'<desc id="grafik-{nama}-ket">{_e(keterangan)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
        f'<text x="12" y="22" font-size="14" font-weight="bold">{_e(_fit(judul, width - 24))}</text>'
        f"{subtitle}{body}</svg>"
    )


def _legend(x: float, y: float, items: Sequence[tuple[str, str, bool]]) -> str:
    """Return a row of legend keys: (label, colour, dashed line instead of a box)."""
    out = []
    for label, colour, line in items:
        if line:
            out.append(
                f'<line x1="{_n(x)}" y1="{_n(y - 4)}" x2="{_n(x + 18)}" y2="{_n(y - 4)}" '
                f'stroke="{colour}" stroke-width="2.5" stroke-dasharray="5 3"/>'
            )
            x += 24
        else:
            out.append(
                f'<rect x="{_n(x)}" y="{_n(y - 10)}" width="12" height="12" fill="{colour}" '
                f'stroke="{MUTED}" stroke-width="0.5"/>'
            )
            x += 17
        out.append(f'<text x="{_n(x)}" y="{_n(y)}" font-size="11">{_e(label)}</text>')
        x += len(label) * 6.2 + 16
    return "".join(out)


def _ceiling(values: Sequence[Decimal | None], step: int, floor: int = 100) -> int:
    top = max([floor] + [int(v) + 1 for v in values if v is not None])
    return min(-(-top // step) * step, 400)


# -- S-curve: budget absorption per quarter against the plan ------------------------------------


def kurva_s(
    realisasi: Sequence[Decimal | None],
    rencana: Sequence[Decimal | None] | None,
    *,
    judul: str,
    keterangan: str = "",
    sub: str = "",
    nama: str = "kurva-s",
) -> Grafik:
    """Return the cumulative absorption (%) at the end of TW I–IV against the plan, from zero."""
    width, height = 560, 300
    left, right, top, bottom = 52, 40, 56, 62
    plot_w, plot_h = width - left - right, height - top - bottom
    series = list(realisasi) + list(rencana or [])
    ymax = _ceiling(series, 20)

    def x(i: int) -> float:
        return left + plot_w * i / 4

    def y(v: Decimal) -> float:
        return top + plot_h - plot_h * float(min(v, Decimal(ymax))) / ymax

    out = []
    for tick in range(0, ymax + 1, 20 if ymax <= 200 else 50):
        ty = top + plot_h - plot_h * tick / ymax
        out.append(
            f'<line x1="{left}" y1="{_n(ty)}" x2="{width - right}" y2="{_n(ty)}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{_n(ty + 4)}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{tick}%</text>'
        )
    for i, label in enumerate(("Awal", "TW I", "TW II", "TW III", "TW IV")):
        out.append(
            f'<text x="{_n(x(i))}" y="{top + plot_h + 18}" text-anchor="middle" '
            f'font-size="11">{label}</text>'
        )

    def line(values: Sequence[Decimal | None], colour: str, dashed: bool, above: bool) -> None:
        points = [(0, Decimal(0))] + [(i + 1, v) for i, v in enumerate(values) if v is not None]
        if len(points) < 2:
            return
        path = " ".join(f"{_n(x(i))},{_n(y(v))}" for i, v in points)
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>'
        )
        for i, v in points[1:]:
            ly = y(v) + (-8 if above else 16)
            out.append(
                f'<circle cx="{_n(x(i))}" cy="{_n(y(v))}" r="3.5" fill="{colour}">'
                f"<title>{_e(_persen(v))}</title></circle>"
                f'<text x="{_n(x(i))}" y="{_n(ly)}" text-anchor="middle" font-size="11" '
                f'fill="{colour}">{_e(_persen(v))}</text>'
            )

    plan_above = True
    if rencana is not None:
        last = [(a, b) for a, b in zip(realisasi, rencana, strict=False) if a is not None and b]
        plan_above = not last or last[-1][1] >= last[-1][0]
        line(rencana, PLAN, True, plan_above)
    line(realisasi, ACCENT, False, not plan_above)
    legend = [("Realisasi", ACCENT, False)]
    if rencana is not None:
        legend.append(("Rencana penarikan dana", PLAN, True))
    out.append(_legend(left, height - 16, legend))
    if rencana is None:
        out.append(
            f'<text x="{width - right}" y="{height - 16}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">Rencana penarikan dana belum diisi</text>'
        )
    if not any(v is not None for v in realisasi):
        out.append(
            f'<text x="{_n(left + plot_w / 2)}" y="{_n(top + plot_h / 2)}" text-anchor="middle" '
            f'fill="{MUTED}">Belum ada realisasi anggaran</text>'
        )
    return Grafik(nama, judul, _document(nama, judul, keterangan, width, height, "".join(out), sub))


# -- bars: capaian per program ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Batang:
    label: str
    nilai: Decimal | None
    predikat: str | None
    keterangan: str = ""


def batang(
    items: Sequence[Batang],
    *,
    judul: str,
    keterangan: str = "",
    sub: str = "",
    nama: str = "capaian-program",
    warna: Palet = BAWAAN,
) -> Grafik:
    """Return horizontal bars of capaian (%), coloured by predikat, with the band boundaries."""
    width = 640
    label_w, value_w = 250, 72
    top, row = 66, 24
    height = top + row * max(1, len(items)) + 40
    bar_x = label_w + 12
    bar_w = width - bar_x - value_w
    xmax = _ceiling([i.nilai for i in items], 25)

    def x(v: Decimal | float) -> float:
        return bar_x + bar_w * min(float(v), xmax) / xmax

    out = []
    for mark in sorted({*warna.batas, Decimal(100)}):
        if not 0 <= mark <= xmax:
            continue
        dash = "" if mark == 100 else ' stroke-dasharray="3 3"'
        out.append(
            f'<line x1="{_n(x(mark))}" y1="{top - 6}" x2="{_n(x(mark))}" '
            f'y2="{top + row * max(1, len(items))}" stroke="{GRID}"{dash}/>'
            f'<text x="{_n(x(mark))}" y="{top - 10}" text-anchor="middle" font-size="10" '
            f'fill="{MUTED}">{format_nilai(mark)}</text>'
        )
    for i, item in enumerate(items):
        ty = top + i * row
        fill, _ = warna.warna.get(item.predikat, WARNA_PREDIKAT[None])
        tip = f"{item.label}: {_persen(item.nilai)}"
        if item.predikat:
            tip += f" ({item.predikat})"
        if item.keterangan:
            tip += f" · {item.keterangan}"
        out.append(f"<g><title>{_e(tip)}</title>")
        out.append(
            f'<text x="{label_w}" y="{ty + 16}" text-anchor="end" font-size="11">'
            f"{_e(_fit(item.label, label_w - 8))}</text>"
        )
        if item.nilai is not None and item.nilai > 0:
            out.append(
                f'<rect x="{bar_x}" y="{ty + 4}" width="{_n(x(item.nilai) - bar_x)}" '
                f'height="{row - 8}" fill="{fill}"/>'
            )
        end = x(item.nilai) if item.nilai is not None and item.nilai > 0 else bar_x
        out.append(
            f'<text x="{_n(end + 5)}" y="{ty + 16}" font-size="11">{_e(_persen(item.nilai))}</text>'
            "</g>"
        )
    if not items:
        out.append(f'<text x="{bar_x}" y="{top + 16}" fill="{MUTED}">Belum ada program</text>')
    out.append(
        _legend(
            12,
            height - 12,
            [(p, warna.warna[p][0], False) for p in warna.urutan],
        )
    )
    return Grafik(nama, judul, _document(nama, judul, keterangan, width, height, "".join(out), sub))


# -- predikat distribution across PDs -----------------------------------------------------------


def distribusi(
    kinerja: dict[str | None, int],
    anggaran: dict[str | None, int],
    *,
    judul: str,
    keterangan: str = "",
    sub: str = "",
    nama: str = "distribusi-predikat",
    warna: Palet = BAWAAN,
) -> Grafik:
    """Return the number of PDs in each predikat band, for K and for Rp side by side."""
    width, height = 560, 300
    left, right, top, bottom = 40, 16, 56, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    groups: list[str | None] = [*warna.urutan, None]
    counts = [kinerja.get(g, 0) for g in groups] + [anggaran.get(g, 0) for g in groups]
    ymax = max(2, max(counts, default=0))
    step = max(1, -(-ymax // 5))
    ymax = -(-ymax // step) * step
    out = []
    for tick in range(0, ymax + 1, step):
        ty = top + plot_h - plot_h * tick / ymax
        out.append(
            f'<line x1="{left}" y1="{_n(ty)}" x2="{width - right}" y2="{_n(ty)}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{_n(ty + 4)}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{tick}</text>'
        )
    slot = plot_w / len(groups)
    bar = slot * 0.32
    series = (("Kinerja (K)", kinerja, ACCENT), ("Anggaran (Rp)", anggaran, "#5aa6a0"))
    for gi, group in enumerate(groups):
        cx = left + slot * gi + slot / 2
        for si, (label, data, colour) in enumerate(series):
            value = data.get(group, 0)
            h = plot_h * value / ymax
            bx = cx - bar - 2 + si * (bar + 4)
            name = group or "Belum ada capaian"
            out.append(
                f"<g><title>{_e(f'{label}, {name}: {value} PD')}</title>"
                f'<rect x="{_n(bx)}" y="{_n(top + plot_h - h)}" width="{_n(bar)}" '
                f'height="{_n(h)}" fill="{colour}"/>'
                f'<text x="{_n(bx + bar / 2)}" y="{_n(top + plot_h - h - 4)}" '
                f'text-anchor="middle" font-size="11">{value}</text></g>'
            )
        words = (group or "Belum ada").split(" ")
        for li, word in enumerate(words):
            out.append(
                f'<text x="{_n(cx)}" y="{_n(top + plot_h + 16 + li * 13)}" text-anchor="middle" '
                f'font-size="11">{_e(word)}</text>'
            )
    out.append(_legend(left, height - 10, [(s[0], s[2], False) for s in series]))
    return Grafik(nama, judul, _document(nama, judul, keterangan, width, height, "".join(out), sub))


# -- heat map: PD × quarter ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sel:
    nilai: Decimal | None
    predikat: str | None
    aktif: bool = True  # False: a quarter after the evaluated one


@dataclass(frozen=True, slots=True)
class BarisPeta:
    label: str
    kinerja: tuple[Sel, ...]  # TW I–IV
    anggaran: tuple[Sel, ...]


def peta_panas(
    rows: Sequence[BarisPeta],
    *,
    judul: str,
    keterangan: str = "",
    sub: str = "",
    nama: str = "peta-panas",
    warna: Palet = BAWAAN,
) -> Grafik:
    """Return a PD × quarter grid of capaian K and realisasi Rp, coloured by predikat."""
    label_w, cell_w, cell_h, gap = 300, 62, 24, 14
    top = 90
    width = label_w + 8 * cell_w + gap + 16
    height = top + cell_h * max(1, len(rows)) + 44
    romawi = ("I", "II", "III", "IV")
    out = []
    blocks = (("Capaian kinerja (K, %)", 0), ("Realisasi anggaran (Rp, %)", 1))
    for title, b in blocks:
        bx = label_w + b * (4 * cell_w + gap)
        out.append(
            f'<text x="{_n(bx + 2 * cell_w)}" y="{top - 30}" text-anchor="middle" '
            f'font-weight="bold" font-size="12">{_e(title)}</text>'
        )
        for q in range(4):
            out.append(
                f'<text x="{_n(bx + q * cell_w + cell_w / 2)}" y="{top - 10}" '
                f'text-anchor="middle" font-size="11">TW {romawi[q]}</text>'
            )
    for i, row in enumerate(rows):
        ty = top + i * cell_h
        out.append(
            f'<text x="{label_w - 8}" y="{ty + 16}" text-anchor="end" font-size="11">'
            f"<title>{_e(row.label)}</title>{_e(_fit(row.label, label_w - 16))}</text>"
        )
        for b, cells in enumerate((row.kinerja, row.anggaran)):
            bx = label_w + b * (4 * cell_w + gap)
            for q, cell in enumerate(cells):
                cx = bx + q * cell_w
                if not cell.aktif:
                    out.append(
                        f'<rect x="{cx + 1}" y="{ty + 1}" width="{cell_w - 2}" '
                        f'height="{cell_h - 2}" fill="#f6f8fa" stroke="{GRID}"/>'
                    )
                    continue
                fill, ink = warna.warna.get(cell.predikat, WARNA_PREDIKAT[None])
                side = "K" if b == 0 else "Rp"
                tip = f"{row.label} · TW {romawi[q]} · {side}: {_persen(cell.nilai)}"
                if cell.predikat:
                    tip += f" ({cell.predikat})"
                shown = "-" if cell.nilai is None else format_angka(cell.nilai)
                out.append(
                    f"<g><title>{_e(tip)}</title>"
                    f'<rect x="{cx + 1}" y="{ty + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                    f'fill="{fill}"/>'
                    f'<text x="{_n(cx + cell_w / 2)}" y="{ty + 16}" text-anchor="middle" '
                    f'font-size="11" fill="{ink}">{shown}</text></g>'
                )
    if not rows:
        out.append(f'<text x="12" y="{top + 16}" fill="{MUTED}">Belum ada Perangkat Daerah</text>')
    out.append(
        _legend(
            12,
            height - 12,
            [(p, warna.warna[p][0], False) for p in warna.urutan]
            + [("Belum ada", WARNA_PREDIKAT[None][0], False)],
        )
    )
    return Grafik(nama, judul, _document(nama, judul, keterangan, width, height, "".join(out), sub))
