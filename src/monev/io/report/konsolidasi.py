"""The pemda's consolidated evaluation (Formulir E.79 style) laid out as a printed form: each urusan
and bidang urusan with its group figures (`monev.core.consolidation`), then every PD's programs and
kegiatan exactly as its own E.81 shows them. Nothing is computed here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from monev.core.codes import Tingkat, program_of
from monev.core.consolidation import Kelompok, Konsolidasi
from monev.core.evaluation import Baris, Evaluasi
from monev.io.report.context import (
    KonteksLaporan,
    TataLetak,
)
from monev.io.report.model import (
    BARIS_NOMOR,
    ROMAWI,
    Angka,
    BarisLaporan,
    Laporan,
    Persen,
    Sel,
    block,
    header_e81,
    narasi,
    place_and_date,
    row_e81,
)

JUDUL_RKPD = "EVALUASI TERHADAP HASIL RKPD"


def _group_row(
    kelompok: Kelompok, nomor: int, lebar: int, kolom_pagu: int, kolom_capaian: int
) -> tuple[Sel, ...]:
    """An urusan or bidang urusan line: Σ pagu, Σ realisasi, and the group's figures (spec §5)."""
    t = kelompok.total
    cells: list[Sel] = [None] * lebar
    cells[0] = str(nomor)
    cells[2] = kelompok.kode
    cells[3] = kelompok.nama
    cells[4] = "Rata-rata capaian indikator kegiatan; Σ realisasi / Σ pagu"
    cells[kolom_pagu] = Angka(t.pagu)  # col 8, Rp
    cells[kolom_capaian - 1] = Angka(t.realisasi_rp)  # col 13, Rp
    cells[kolom_capaian] = Persen(t.rata_rata_capaian_k)
    cells[kolom_capaian + 1] = Persen(t.persen_realisasi_rp)
    cells[-1] = (
        f"Predikat kinerja: {t.predikat_k or '-'}; predikat anggaran: {t.predikat_rp or '-'}"
    )
    return tuple(cells)


def _program_lines(baris: Iterable[Baris]) -> dict[str, list[Baris]]:
    """Return the program and kegiatan lines of an evaluation by program code, in table order."""
    found: dict[str, list[Baris]] = {}
    for line in baris:
        tingkat = line.node.tingkat
        if tingkat is Tingkat.PROGRAM or tingkat is Tingkat.KEGIATAN:
            found.setdefault(program_of(line.node.kode), []).append(line)
    return found


def build_konsolidasi_report(
    konsolidasi: Konsolidasi,
    evaluasi: Mapping[int | None, Evaluasi],
    triwulan: int,
    konteks: KonteksLaporan | None = None,
) -> Laporan:
    """Return the pemda's consolidated evaluation (Formulir E.79 style) as a report.

    Lines: each urusan and bidang urusan with its group figures, then each PD's programs and their
    kegiatan as that PD's evaluation shows them (sub kegiatan stay in the PD's own E.81), with the
    PD as the one responsible. `evaluasi` maps each program's `ref` to its PD's evaluation at
    `triwulan`. The footer is the pemda's total; every figure is the engine's.
    """
    if any(e.triwulan != triwulan for e in evaluasi.values()):
        raise ValueError(f"setiap evaluasi Perangkat Daerah harus sampai triwulan {triwulan}")
    return build_konsolidasi_from_lines(
        konsolidasi, {ref: e.baris for ref, e in evaluasi.items()}, triwulan, konteks
    )


def build_konsolidasi_from_lines(
    konsolidasi: Konsolidasi,
    baris_pd: Mapping[int | None, Iterable[Baris]],
    triwulan: int,
    konteks: KonteksLaporan | None = None,
) -> Laporan:
    """Return the same report from each PD's lines at `triwulan` (its program and kegiatan lines
    at least, in table order; other levels are left out), keyed by the programs' `ref`: the
    pemda's stored rows give them without evaluating any PD (`monev.pemda.baris_tersimpan`)."""
    konteks = konteks or KonteksLaporan()
    tahun = konteks.tahun
    pemda = konteks.pemda
    header, kolom_capaian = header_e81(tahun, with_capaian=True, rkpd=True)
    lebar = len(header.kolom)
    # The Rp column of the year's target (numbered 8), right of its K column.
    kolom_pagu = next(s.kolom for s in header.sel if s.baris == BARIS_NOMOR and s.teks == "8") + 1
    lines_of = {ref: _program_lines(lines) for ref, lines in baris_pd.items()}
    baris: list[BarisLaporan] = []
    nomor = 0
    for urusan in konsolidasi.urusan:
        for kelompok in (urusan, *urusan.bidang):
            nomor += 1
            row = _group_row(kelompok, nomor, lebar, kolom_pagu, kolom_capaian)
            baris.append(BarisLaporan(kelompok.tingkat, True, row))
            for item in kelompok.program:
                for line in lines_of[item.ref].get(item.program.kode, ()):
                    if line.first:
                        nomor += 1
                    cells = row_e81(line, nomor, triwulan, True, item.perangkat_daerah)
                    baris.append(BarisLaporan(line.node.tingkat, line.first, cells))
    jumlah_pd = len(baris_pd)
    t = konsolidasi.total
    kepala_daerah = f"Kepala Daerah {pemda}" if pemda else "Kepala Daerah"
    bappeda = f"Kepala Bappeda {pemda}" if pemda else "Kepala Bappeda"
    return Laporan(
        tata_letak=TataLetak.E79,
        kertas=konteks.kertas,
        judul=(
            konteks.judul or JUDUL_RKPD,
            f"Pemerintah Daerah: {pemda or '-'}",
            f"Konsolidasi Renja {jumlah_pd} Perangkat Daerah menurut urusan, bidang urusan, dan "
            "program",
            f"Periode Pelaksanaan: {tahun if tahun is not None else '-'}",
            f"Evaluasi sampai dengan TW {ROMAWI[triwulan - 1]}",
        ),
        kolom=tuple(header.kolom),
        kepala=header.cells_in_row_order(),
        baris=tuple(baris),
        kolom_capaian=kolom_capaian,
        kolom_identitas=5,
        ringkasan=(),
        rata_rata_capaian_k=t.rata_rata_capaian_k,
        predikat_k=t.predikat_k,
        persen_realisasi_rp=t.persen_realisasi_rp,
        predikat_rp=t.predikat_rp,
        narasi=narasi(konteks, "RKPD"),
        tanda_tangan=(
            block("Mengetahui", "", konteks.kepala_pd, kepala_daerah),
            block("Disusun", place_and_date(konteks), konteks.kepala_bappeda, bappeda),
        ),
        perangkat_daerah=pemda,
        triwulan=triwulan,
        draf=konteks.draf,
    )
