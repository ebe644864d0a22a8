"""Check a report's arithmetic: every printed figure that the recomputation does not give back.

Line-level faults come from the engine's checks (`evaluate().pemeriksaan`); this module adds the
figures only a printed report has: the realisation and Renstra columns of each line, and the
summary table and footer. Every figure compared here is computed by the engine; a printed per cent
is compared with the engine's at the two decimals the report shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from monev.core.checks import Jenis, label_jenis
from monev.core.evaluation import Baris, Evaluasi, evaluate
from monev.core.numbers import format_angka, format_nilai, round_half_up
from monev.io.legacy.cells import one_confusable_digit_apart
from monev.io.legacy.layout import SLOT_LABELS
from monev.io.legacy.model import (
    PREDIKAT,
    RATA_RATA_CAPAIAN,
    RATA_RATA_KEGIATAN,
    RATA_RATA_KEGIATAN_PROGRAM,
    RATA_RATA_PROGRAM,
    RATA_RATA_SUB_KEGIATAN,
    LegacyReport,
    Place,
    PrintedLine,
    SummaryLine,
)

REALISASI_TERCETAK_BERBEDA = "realisasi_tercetak_berbeda"
CAPAIAN_RP_TERCETAK_BERBEDA = "capaian_rp_tercetak_berbeda"
RENSTRA_TERCETAK_BERBEDA = "renstra_tercetak_berbeda"
RINGKASAN_RATA_RATA_BERBEDA = "ringkasan_rata_rata_berbeda"
RINGKASAN_PAGU_BERBEDA = "ringkasan_pagu_berbeda"
RINGKASAN_REALISASI_BERBEDA = "ringkasan_realisasi_berbeda"
RINGKASAN_PERSEN_BERBEDA = "ringkasan_persen_berbeda"
PREDIKAT_TERCETAK_BERBEDA = "predikat_tercetak_berbeda"

#: The labels of the codes of printed figures (the engine's own codes: `LABEL_JENIS`).
LABEL_TEMUAN = {
    REALISASI_TERCETAK_BERBEDA: "Realisasi tercetak berbeda dengan hasil hitung",
    CAPAIAN_RP_TERCETAK_BERBEDA: "Capaian anggaran tercetak berbeda dengan hasil hitung",
    RENSTRA_TERCETAK_BERBEDA: "Angka Renstra tercetak berbeda dengan hasil hitung",
    RINGKASAN_RATA_RATA_BERBEDA: "Rata-rata pada ringkasan berbeda dengan hasil hitung",
    RINGKASAN_PAGU_BERBEDA: "Pagu pada ringkasan berbeda dengan hasil hitung",
    RINGKASAN_REALISASI_BERBEDA: "Realisasi pada ringkasan berbeda dengan hasil hitung",
    RINGKASAN_PERSEN_BERBEDA: "Persen pada ringkasan berbeda dengan hasil hitung",
    PREDIKAT_TERCETAK_BERBEDA: "Predikat tercetak berbeda dengan hasil hitung",
}


def label_temuan(jenis: str) -> str:
    """Return the label a person reads for a finding's code (the JSON keeps the code)."""
    return LABEL_TEMUAN.get(jenis) or label_jenis(jenis)


_COLUMN_OF_CHECK = {
    Jenis.REALISASI_MELEBIHI_PAGU: "pagu",
    Jenis.PAGU_ANAK_TIDAK_SAMA: "pagu",
    Jenis.REALISASI_ANAK_TIDAK_SAMA: "realisasi_rp",
    Jenis.CAPAIAN_TERCETAK_BERBEDA: "capaian_k",
    Jenis.REALISASI_TANPA_TARGET: "target_k",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """A printed figure that disagrees with the recomputation, with its place."""

    jenis: str
    pesan: str
    tempat: Place | None
    kode: str | None = None
    indikator: str = ""
    tercetak: Decimal | None = None
    hitung: Decimal | None = None

    @property
    def label(self) -> str:
        return label_temuan(self.jenis)


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The outcome of `monev periksa`: the report as read, its evaluation, and the findings."""

    laporan: LegacyReport
    evaluasi: Evaluasi
    temuan: tuple[Finding, ...]


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_half_up(value)


def _shown_pct(value: Decimal | None) -> str:
    return "tidak terdefinisi" if value is None else format_angka(value)


def _differs_pct(printed: Decimal | None, computed: Decimal | None) -> bool:
    return printed is not None and _pct(printed) != _pct(computed)


#: A printed number with this many decimals or more is a spreadsheet's binary float.
_FLOAT_DECIMALS = 10


def _differs_amount(printed: Decimal | None, computed: Decimal | None) -> bool:
    """Return whether a printed number is not the computed one at the precision it is printed.

    `94,74` prints 94,7366… rounded; a spreadsheet holds it as a float (94.73666666666666), whose
    last digit may be off by one.
    """
    if printed is None or printed == computed:
        return False
    if computed is None:
        return True
    exponent = printed.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places >= _FLOAT_DECIMALS:
        return abs(printed - computed) > Decimal(1).scaleb(1 - places)
    return places == 0 or round_half_up(computed, places) != printed


def _engine_findings(report: LegacyReport, evaluasi: Evaluasi) -> Iterator[Finding]:
    for p in evaluasi.pemeriksaan:
        line = report.line_of(p.kode, p.indikator or None)
        slot = _COLUMN_OF_CHECK.get(p.jenis)
        tempat = None if line is None else line.tempat.at(SLOT_LABELS[slot] if slot else None)
        pesan = p.pesan
        if (
            p.jenis is Jenis.CAPAIAN_TERCETAK_BERBEDA
            and report.dipindai
            and p.tercetak is not None
            and p.hitung is not None
            and one_confusable_digit_apart(format_angka(p.tercetak), format_angka(p.hitung))
        ):
            pesan += " (beda satu angka yang mudah tertukar saat dipindai: mungkin salah baca)"
        yield Finding(p.jenis.value, pesan, tempat, p.kode, p.indikator, p.tercetak, p.hitung)


def _line_findings(report: LegacyReport, evaluasi: Evaluasi) -> Iterator[Finding]:
    """Compare the printed realisation, capaian Rp and Renstra columns of every line."""
    by_line: dict[tuple[str, int], Baris] = {}
    for baris in evaluasi.baris:
        by_line.setdefault((baris.node.kode, baris.nomor_indikator), baris)
    for (kode, nomor), line in report.indikator_baris.items():
        found = by_line.get((kode, nomor))
        if found is None:
            continue
        teks = found.indikator.teks
        amounts: list[tuple[str, Decimal | None, str, str]] = [
            ("realisasi_k", found.realisasi, REALISASI_TERCETAK_BERBEDA, teks),
            ("renstra_realisasi_k", found.renstra_realisasi, RENSTRA_TERCETAK_BERBEDA, teks),
        ]
        percents: list[tuple[str, Decimal | None, str, str]] = [
            ("renstra_capaian_k", found.renstra_capaian, RENSTRA_TERCETAK_BERBEDA, teks),
        ]
        rp = found.rp
        if nomor == 0 and rp is not None:
            amounts += [
                ("realisasi_rp", rp.realisasi, REALISASI_TERCETAK_BERBEDA, ""),
                ("renstra_realisasi_rp", rp.renstra_realisasi, RENSTRA_TERCETAK_BERBEDA, ""),
            ]
            percents += [
                ("capaian_rp", rp.capaian, CAPAIAN_RP_TERCETAK_BERBEDA, ""),
                ("renstra_capaian_rp", rp.renstra_capaian, RENSTRA_TERCETAK_BERBEDA, ""),
            ]
        for slot, computed, jenis, indikator in amounts:
            yield from _amount(line, slot, computed, jenis, kode, indikator)
        for slot, computed, jenis, indikator in percents:
            yield from _percent(line, slot, computed, jenis, kode, indikator)


def _amount(
    line: PrintedLine, slot: str, computed: Decimal | None, jenis: str, kode: str, teks: str = ""
) -> Iterator[Finding]:
    printed = line.value(slot)
    if _differs_amount(printed, computed):
        yield Finding(
            jenis,
            f"{SLOT_LABELS[slot]} tercetak {format_nilai(printed)} tidak sama dengan hasil hitung "
            f"{format_nilai(computed, 'tidak terdefinisi')}",
            line.tempat.at(SLOT_LABELS[slot]),
            kode,
            teks,
            printed,
            computed,
        )


def _percent(
    line: PrintedLine, slot: str, computed: Decimal | None, jenis: str, kode: str, teks: str = ""
) -> Iterator[Finding]:
    printed = line.value(slot)
    if _differs_pct(printed, computed):
        yield Finding(
            jenis,
            f"{SLOT_LABELS[slot]} tercetak {format_angka(printed)} tidak sama dengan hasil hitung "
            f"{_shown_pct(computed)}",
            line.tempat.at(SLOT_LABELS[slot]),
            kode,
            teks,
            printed,
            _pct(computed),
        )


def _summary_findings(report: LegacyReport, evaluasi: Evaluasi) -> Iterator[Finding]:
    r = evaluasi.ringkasan
    programs = {p.kode: p for p in r.program}
    means = {
        RATA_RATA_PROGRAM: (r.rata_rata_capaian_program, "rata-rata capaian indikator program"),
        RATA_RATA_KEGIATAN: (
            r.rata_rata_capaian_kegiatan,
            "rata-rata capaian indikator kegiatan semua program",
        ),
        RATA_RATA_SUB_KEGIATAN: (
            r.rata_rata_capaian_sub_kegiatan,
            "rata-rata capaian indikator sub kegiatan",
        ),
        RATA_RATA_CAPAIAN: (r.rata_rata_capaian_k, "rata-rata capaian kinerja (K)"),
    }
    for line in report.ringkasan:
        if line.jenis in means:
            computed, what = means[line.jenis]
            yield from _summary_pct(line, "capaian", computed, what)
        if line.jenis == RATA_RATA_CAPAIAN:
            yield from _summary_pct(
                line,
                "persen",
                r.persen_realisasi_rp,
                "rata-rata capaian anggaran (Rp)",
                RINGKASAN_PERSEN_BERBEDA,
            )
        elif line.jenis == PREDIKAT:
            yield from _predikat(line, line.predikat_k, r.predikat_k, "K")
            yield from _predikat(line, line.predikat_rp, r.predikat_rp, "Rp")
        elif line.jenis == RATA_RATA_KEGIATAN_PROGRAM and line.kode in programs:
            program = programs[line.kode]
            name = f"{program.kode} {program.nama}".strip()
            yield from _summary_pct(
                line,
                "capaian",
                program.rata_rata_capaian_kegiatan,
                f"rata-rata capaian kegiatan {name}",
            )
            yield from _summary_amount(
                line, "pagu", program.pagu, f"pagu {name}", RINGKASAN_PAGU_BERBEDA
            )
            yield from _summary_amount(
                line,
                "realisasi",
                program.realisasi_rp,
                f"realisasi Rp {name}",
                RINGKASAN_REALISASI_BERBEDA,
            )
            yield from _summary_pct(
                line,
                "persen",
                program.persen_realisasi_rp,
                f"persen realisasi Rp {name}",
                RINGKASAN_PERSEN_BERBEDA,
            )


def _summary_pct(
    line: SummaryLine,
    field: str,
    computed: Decimal | None,
    what: str,
    jenis: str = RINGKASAN_RATA_RATA_BERBEDA,
) -> Iterator[Finding]:
    printed: Decimal | None = getattr(line, field)
    if _differs_pct(printed, computed):
        yield Finding(
            jenis,
            f"{what}: tercetak {format_angka(printed)}, hasil hitung {_shown_pct(computed)}",
            line.tempat.at(field),
            line.kode,
            tercetak=printed,
            hitung=_pct(computed),
        )


def _summary_amount(
    line: SummaryLine, field: str, computed: Decimal | None, what: str, jenis: str
) -> Iterator[Finding]:
    printed: Decimal | None = getattr(line, field)
    if _differs_amount(printed, computed):
        yield Finding(
            jenis,
            f"{what}: tercetak {format_nilai(printed)}, hasil hitung (dari baris tabel) "
            f"{format_nilai(computed, 'tidak terdefinisi')}",
            line.tempat.at(field),
            line.kode,
            tercetak=printed,
            hitung=computed,
        )


def _predikat(
    line: SummaryLine, printed: str, computed: str | None, side: str
) -> Iterator[Finding]:
    if printed and printed.casefold() != (computed or "").casefold():
        yield Finding(
            PREDIKAT_TERCETAK_BERBEDA,
            f"predikat {side} tercetak '{printed}', hasil hitung '{computed or '-'}'",
            line.tempat.at(f"predikat {side}"),
        )


def _order(finding: Finding, lembar: dict[str | None, int]) -> tuple[int, int, int]:
    tempat = finding.tempat
    if tempat is None:
        return (len(lembar), 0, 0)
    return (lembar.get(tempat.lembar, len(lembar)), tempat.baris or 0, 0)


def check_report(report: LegacyReport, triwulan: int | None = None) -> CheckReport:
    """Return every figure of the report that disagrees with the recomputation, in printed order."""
    evaluasi = evaluate(report.renja, triwulan)
    found = [
        *_engine_findings(report, evaluasi),
        *_line_findings(report, evaluasi),
        *_summary_findings(report, evaluasi),
    ]
    lembar: dict[str | None, int] = {}
    for line in report.baris:
        lembar.setdefault(line.tempat.lembar, len(lembar))
    found.sort(key=lambda f: _order(f, lembar))
    return CheckReport(report, evaluasi, tuple(found))
