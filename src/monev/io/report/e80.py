"""Formulir E.80 (Permendagri 86/2017, *Evaluasi terhadap hasil Renstra Perangkat Daerah*) laid out
as a printed form, in the report model every renderer (XLSX, PDF) draws: per program, kegiatan and
indicator, the end target, each year's target, realisation and ratio (K, Rp), the realisation and
ratio to date, and the faults the check names for the line. Nothing is computed here: every figure
is `monev.core.renstra.evaluate_renstra`'s."""

from __future__ import annotations

from monev.core.codes import kode_tampil
from monev.core.renstra import SUMBER_LABEL, BarisE80, EvaluasiRenstra, Sumber
from monev.io.report.context import KonteksLaporan, TataLetak
from monev.io.report.model import (
    BARIS_K_RP,
    BARIS_NOMOR,
    Angka,
    BarisLaporan,
    Kolom,
    Laporan,
    Peran,
    Persen,
    Sel,
    SelKepala,
    block,
    place_and_date,
)

JUDUL_E80 = "EVALUASI TERHADAP HASIL RENSTRA PERANGKAT DAERAH"

_K = Kolom(Peran.K, 8)
_RP = Kolom(Peran.RP, 13)
_PERSEN = Kolom(Peran.PERSEN, 7)


class _Header:
    def __init__(self) -> None:
        self.kolom: list[Kolom] = []
        self.sel: list[SelKepala] = []
        self.nomor = 0

    def _number(self, c1: int, c2: int) -> None:
        self.nomor += 1
        self.sel.append(SelKepala(BARIS_NOMOR, c1, BARIS_NOMOR, c2, str(self.nomor)))

    def single(self, judul: str, kolom: Kolom) -> None:
        c = len(self.kolom)
        self.kolom.append(kolom)
        self.sel += [SelKepala(0, c, 1, c, judul), SelKepala(BARIS_K_RP, c, BARIS_K_RP, c, "")]
        self._number(c, c)

    def _pair_cells(self, c: int, k: Kolom, rp: Kolom) -> None:
        self.kolom += [k, rp]
        self.sel += [
            SelKepala(BARIS_K_RP, c, BARIS_K_RP, c, "K"),
            SelKepala(BARIS_K_RP, c + 1, BARIS_K_RP, c + 1, "Rp"),
        ]

    def pair(self, judul: str, k: Kolom = _K, rp: Kolom = _RP) -> int:
        c = len(self.kolom)
        self.sel.append(SelKepala(0, c, 1, c + 1, judul))
        self._pair_cells(c, k, rp)
        self._number(c, c + 1)
        return c

    def years(self, judul: str, tahun: range, k: Kolom = _K, rp: Kolom = _RP) -> None:
        c = len(self.kolom)
        self.sel.append(SelKepala(0, c, 0, c + 2 * len(tahun) - 1, judul))
        for i, y in enumerate(tahun):
            col = c + 2 * i
            self.sel.append(SelKepala(1, col, 1, col + 1, f"{y}"))
            self._pair_cells(col, k, rp)
            self._number(col, col + 1)


def _keterangan(line: BarisE80, faults: dict[tuple[str, str], list[str]]) -> str:
    parts = list(faults.get((line.simpul.kode, line.indikator.teks if line.indikator else ""), []))
    if line.first:
        parts = faults.get((line.simpul.kode, ""), []) + parts
    manual = [
        str(c.tahun)
        for c in line.tahun
        if c.sumber_k is Sumber.MANUAL or (line.first and c.sumber_rp is Sumber.MANUAL)
    ]
    if manual:
        parts.append(f"Realisasi {', '.join(manual)}: {SUMBER_LABEL[Sumber.MANUAL]}")
    waiting = [str(c.tahun) for c in line.tahun if c.sumber_k is Sumber.BELUM_DIVERIFIKASI]
    if waiting:
        parts.append(f"Realisasi {', '.join(waiting)}: {SUMBER_LABEL[Sumber.BELUM_DIVERIFIKASI]}")
    return "\n".join(parts)


def _row(line: BarisE80, nomor: int, faults: dict[tuple[str, str], list[str]]) -> tuple[Sel, ...]:
    s, item, first = line.simpul, line.indikator, line.first
    cells: list[Sel] = [
        str(nomor) if first else None,
        kode_tampil(s.kode) if first else None,
        s.nama if first else None,
        item.teks if item else "",
        Angka(item.target_akhir) if item else None,
        Angka(s.target_akhir_rp) if first else None,
    ]
    for c in line.tahun:
        cells += [Angka(c.target_k) if item else None, Angka(c.target_rp) if first else None]
    for c in line.tahun:
        cells += [Angka(c.realisasi_k) if item else None, Angka(c.realisasi_rp) if first else None]
    for c in line.tahun:
        cells += [Persen(c.rasio_k) if item else None, Persen(c.rasio_rp) if first else None]
    cells += [
        Angka(line.realisasi_sd_k) if item else None,
        Angka(line.realisasi_sd_rp) if first else None,
        Persen(line.rasio_sd_k) if item else None,
        Persen(line.rasio_sd_rp) if first else None,
        s.penanggung_jawab,
        _keterangan(line, faults),
    ]
    return tuple(cells)


def build_e80_report(evaluasi: EvaluasiRenstra, konteks: KonteksLaporan | None = None) -> Laporan:
    """Return the period's evaluation (Formulir E.80) as a report for the renderers."""
    konteks = konteks or KonteksLaporan()
    r = evaluasi.renstra
    tahun = r.daftar_tahun
    sampai = evaluasi.sampai_tahun
    perangkat_daerah = konteks.perangkat_daerah or r.perangkat_daerah
    pemda = konteks.pemda or r.pemda
    h = _Header()
    h.single("No", Kolom(Peran.NOMOR, 4))
    h.single("Kode", Kolom(Peran.KODE, 16))
    h.single(
        "Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan", Kolom(Peran.URAIAN, 28)
    )
    h.single("Indikator Kinerja Program (outcome)/Kegiatan (output)", Kolom(Peran.TEKS, 24))
    h.pair("Target Renstra Perangkat Daerah pada Akhir Periode")
    h.years("Target Kinerja dan Anggaran Renstra Perangkat Daerah per Tahun", tahun)
    h.years("Realisasi Capaian Kinerja dan Anggaran Renstra Perangkat Daerah per Tahun", tahun)
    h.years("Rasio Capaian pada Tahun ke- (%)", tahun, _PERSEN, _PERSEN)
    h.pair(f"Realisasi Kinerja dan Anggaran Renstra Perangkat Daerah s/d Tahun {sampai}")
    kolom_capaian = h.pair(
        f"Rasio Capaian Kinerja dan Anggaran Renstra Perangkat Daerah s/d Tahun {sampai} (%)",
        _PERSEN,
        _PERSEN,
    )
    h.single("Unit Perangkat Daerah Penanggung Jawab", Kolom(Peran.TEKS, 14))
    h.single("Keterangan (hasil pemeriksaan)", Kolom(Peran.TEKS, 30))
    faults: dict[tuple[str, str], list[str]] = {}
    for t in evaluasi.temuan:
        faults.setdefault((t.kode, t.indikator), []).append(t.pesan)
    baris: list[BarisLaporan] = []
    nomor = 0
    for line in evaluasi.baris:
        if line.first:
            nomor += 1
        baris.append(BarisLaporan(line.simpul.tingkat, line.first, _row(line, nomor, faults)))
    kepala_pd = f"Kepala {perangkat_daerah}" if perangkat_daerah else "Kepala Perangkat Daerah"
    bappeda = f"Kepala Bappeda {pemda}" if pemda else "Kepala Bappeda"
    return Laporan(
        tata_letak=TataLetak.E80,
        kertas=konteks.kertas,
        judul=(
            konteks.judul or JUDUL_E80,
            f"Perangkat Daerah: {perangkat_daerah or '-'}",
            f"Pemerintah Daerah: {pemda or '-'}",
            f"Periode Renstra: {r.tahun_awal}–{r.tahun_akhir}",
            f"Evaluasi sampai dengan Tahun {sampai}",
        ),
        kolom=tuple(h.kolom),
        kepala=tuple(sorted(h.sel, key=lambda s: (s.baris, s.kolom))),
        baris=tuple(baris),
        kolom_capaian=kolom_capaian,
        kolom_identitas=4,
        ringkasan=(),
        rata_rata_capaian_k=evaluasi.rata_rata_rasio_k,
        predikat_k=evaluasi.predikat_k,
        persen_realisasi_rp=evaluasi.rasio_rp,
        predikat_rp=evaluasi.predikat_rp,
        narasi=(
            ("Faktor pendorong keberhasilan pencapaian", konteks.faktor_pendorong),
            ("Faktor penghambat pencapaian kinerja", konteks.faktor_penghambat),
            (
                "Tindak lanjut yang diperlukan dalam Renstra Perangkat Daerah berikutnya",
                konteks.tindak_lanjut_renja,
            ),
        ),
        tanda_tangan=(
            block("Dievaluasi", "", konteks.kepala_bappeda, bappeda),
            block("Disusun", place_and_date(konteks), konteks.kepala_pd, kepala_pd),
        ),
        perangkat_daerah=perangkat_daerah,
        triwulan=4,
    )
