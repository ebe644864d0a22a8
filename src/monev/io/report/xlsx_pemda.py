"""The workbook of a whole pemda: a summary sheet of every PD, then each PD's report on its own
sheet (`monev.io.report.xlsx` writes those).

The summary names each PD in full (a sheet's name is cut at 31 characters, so the link shows
the PD's name and points to its sheet), in a column as wide as the longest name up to a limit,
beyond which the name wraps on as many lines as it needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from xlsxwriter.format import Format

from monev.core.evaluation import Evaluasi
from monev.io.report.context import TANDA_DRAF, Kertas, KonteksLaporan, TataLetak
from monev.io.report.model import ROMAWI, build_report
from monev.io.report.xlsx import (
    _HEADER_FILL,
    DRAF_COLOUR,
    LINE_HEIGHT,
    PAPER,
    PERCENT_FORMAT,
    Keluaran,
    Kemajuan,
    _Formats,
    _merge,
    _workbook,
    number_format,
    set_page_marks,
    sheet_name,
    text_lines,
    write_report_sheet,
)

_SUMMARY_COLUMNS: tuple[tuple[str, float], ...] = (
    ("No", 5),
    ("Perangkat Daerah", 40),
    ("s.d. Triwulan", 9),
    ("Rata-rata Capaian Kinerja (%)", 13),
    ("Predikat Kinerja", 14),
    ("Pagu (Rp)", 20),
    ("Realisasi (Rp)", 20),
    ("Realisasi Anggaran (%)", 13),
    ("Predikat Anggaran", 14),
    ("Temuan Pemeriksaan", 11),
    ("Status Verifikasi", 14),
)
#: The PD column grows with the longest name up to this width, then names wrap.
LEBAR_NAMA_MAKS = 60
_KOLOM_NAMA = 1


def render_pemda_xlsx(
    items: Sequence[tuple[KonteksLaporan, Evaluasi]],
    target: Keluaran,
    tata_letak: TataLetak | str = TataLetak.E81,
    kemajuan: Kemajuan | None = None,
    jumlah_pemeriksaan: Sequence[int] | None = None,
) -> None:
    """Write a workbook for a whole pemda: a summary sheet of every PD, then one sheet per PD.

    The summary holds each PD's mean capaian (K), budget absorption (Rp %) and their predikat, as
    the engine computed them for that PD; nothing is added up across PDs here. The number of each
    PD's check findings is its evaluation's, or `jumlah_pemeriksaan` (one per item) when the
    evaluations were read back from stored figures without their checks.
    """
    if jumlah_pemeriksaan is None:
        jumlah_pemeriksaan = [len(e.pemeriksaan) for _, e in items]
    workbook = _workbook(target)
    formats = _Formats(workbook)
    pemda = next((k.pemda or e.renja.pemda for k, e in items if k.pemda or e.renja.pemda), "")
    years = [k.tahun if k.tahun is not None else e.renja.tahun for k, e in items]
    tahun = next((t for t in years if t is not None), None)
    workbook.set_properties({"title": "Rekapitulasi Evaluasi Hasil Renja", "subject": pemda})
    summary = workbook.add_worksheet("Rekapitulasi")
    taken = {"rekapitulasi"}
    names = [
        sheet_name(k.perangkat_daerah or e.renja.perangkat_daerah or f"PD {i}", taken)
        for i, (k, e) in enumerate(items, start=1)
    ]

    last = len(_SUMMARY_COLUMNS) - 1
    title = formats.get(bold=True, font_size=12, align="center")
    sub = formats.get(bold=True, font_size=10, align="center")
    head = formats.get(
        bold=True, border=1, align="center", valign="vcenter", text_wrap=True, bg_color=_HEADER_FILL
    )
    _merge(
        summary, 0, 0, 0, last, "REKAPITULASI EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH", title
    )
    _merge(summary, 1, 0, 1, last, f"Pemerintah Daerah: {pemda or '-'}", sub)
    _merge(
        summary, 2, 0, 2, last, f"Periode Pelaksanaan: {tahun if tahun is not None else '-'}", sub
    )
    full_names = [
        k.perangkat_daerah or e.renja.perangkat_daerah or n
        for (k, e), n in zip(items, names, strict=True)
    ]
    name_width = min(
        LEBAR_NAMA_MAKS,
        max([_SUMMARY_COLUMNS[_KOLOM_NAMA][1], *(len(n) * 1.1 + 2 for n in full_names)]),
    )
    for c, (caption, width) in enumerate(_SUMMARY_COLUMNS):
        summary.write_string(4, c, caption, head)
        summary.set_column(c, c, name_width if c == _KOLOM_NAMA else width)
    summary.set_row(4, 3 * LINE_HEIGHT + 4)
    if any(k.draf for k, _ in items):
        mark = formats.get(bold=True, font_size=11, align="center", font_color=DRAF_COLOUR)
        _merge(summary, 3, 0, 3, last, f"{TANDA_DRAF}: laporan sebagian Perangkat Daerah", mark)
    link = formats.get(border=1, text_wrap=True, font_color="blue", underline=1)
    center = formats.get(border=1, align="center")
    pct = formats.get(border=1, align="right", num_format=PERCENT_FORMAT)
    rp = formats.get(border=1, align="right", num_format=number_format(0))
    dash = formats.get(border=1, align="right")
    for i, ((konteks, evaluasi), name, full, temuan) in enumerate(
        zip(items, names, full_names, jumlah_pemeriksaan, strict=True)
    ):
        r = 5 + i
        ringkasan = evaluasi.ringkasan
        summary.write_number(r, 0, i + 1, center)
        quoted = name.replace("'", "''")
        # The PD's whole name; its sheet's name may be cut at 31 characters.
        summary.write_url(r, _KOLOM_NAMA, f"internal:'{quoted}'!A1", link, string=full)
        lines = text_lines(full, name_width)
        if lines > 1:
            summary.set_row(r, lines * LINE_HEIGHT + 3)
        summary.write_string(
            r, 10, "belum diverifikasi" if konteks.draf else "diverifikasi", center
        )
        summary.write_string(r, 2, ROMAWI[evaluasi.triwulan - 1], center)
        values: list[tuple[Decimal | str | None, Format]] = [
            (ringkasan.rata_rata_capaian_k, pct),
            (ringkasan.predikat_k, center),
            (ringkasan.pagu, rp),
            (ringkasan.realisasi_rp, rp),
            (ringkasan.persen_realisasi_rp, pct),
            (ringkasan.predikat_rp, center),
        ]
        for c, (value, fmt) in enumerate(values, start=3):
            if value is None:
                summary.write_string(r, c, "-", dash)
            elif isinstance(value, Decimal):
                summary.write_number(r, c, float(value), fmt)
            else:
                summary.write_string(r, c, value, fmt)
        summary.write_number(r, 9, temuan, center)
    summary.freeze_panes(5, 0)
    summary.set_landscape()
    summary.set_paper(PAPER[Kertas.F4])
    summary.fit_to_pages(1, 0)
    summary.repeat_rows(4)
    set_page_marks(summary, any(k.draf for k, _ in items))

    for (konteks, evaluasi), name in zip(items, names, strict=True):
        laporan = build_report(evaluasi, konteks, tata_letak)
        write_report_sheet(workbook, laporan, name, formats, kemajuan)
    workbook.close()
