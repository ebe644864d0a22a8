"""The five-year plan (spec §10): the realisation of the earlier years of a period (E.81 column 7),
and the evaluation of the period itself (Formulir E.80) with the checks of its targets.

Pure: the caller gives every year's target and realisation (the verified evaluation of a year held
in monev, or a figure entered by hand for a year before monev), already chosen; nothing is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from monev.core.codes import Tingkat
from monev.core.numbers import format_nilai
from monev.core.rules import (
    Agregasi,
    Pengaturan,
    Polaritas,
    capaian,
    jumlah,
    mean,
    predikat,
)

#: Units whose yearly amount cannot pass twelve: a period of n years holds at most 12 × n of them.
_BULAN = frozenset({"bulan", "bln", "bulan layanan"})


def realisasi_lalu(tahunan: Sequence[Decimal | None], agregasi: Agregasi) -> Decimal | None:
    """Return the realisation of a period's years given in year order (E.81 column 7, spec §10).

    akumulatif: the sum of the years given; progresif and rata_rata: the last level given (a
    level of last year is not added to the one before). None when no year gives a value.
    """
    if agregasi is Agregasi.AKUMULATIF:
        return jumlah(tahunan)
    for value in reversed(tahunan):
        if value is not None:
            return value
    return None


def realisasi_lalu_rp(tahunan: Sequence[Decimal | None]) -> Decimal | None:
    """Return the budget realised in a period's years: the sum of the years given."""
    return jumlah(tahunan)


class Sumber(StrEnum):
    """Where a year's realisation comes from."""

    MONEV = "monev"  # the verified evaluation of the year's Renja in monev
    MANUAL = "manual"  # entered by hand, for a year before monev was used
    BELUM_DIVERIFIKASI = "belum_diverifikasi"  # held in monev, not verified yet: not counted
    KOSONG = "kosong"  # nothing known


SUMBER_LABEL = {
    Sumber.MONEV: "terverifikasi di monev",
    Sumber.MANUAL: "dimasukkan manual",
    Sumber.BELUM_DIVERIFIKASI: "belum diverifikasi (tidak dihitung)",
    Sumber.KOSONG: "belum ada",
}


@dataclass(frozen=True, slots=True)
class NilaiTahun:
    tahun: int
    target: Decimal | None
    realisasi: Decimal | None
    sumber: Sumber = Sumber.KOSONG


@dataclass(frozen=True, slots=True)
class IndikatorPeriode:
    teks: str
    satuan: str = ""
    agregasi: Agregasi = Agregasi.PROGRESIF
    polaritas: Polaritas = Polaritas.POSITIF
    target_akhir: Decimal | None = None
    tahun: tuple[NilaiTahun, ...] = ()


@dataclass(frozen=True, slots=True)
class SimpulPeriode:
    kode: str
    tingkat: Tingkat
    nama: str = ""
    target_akhir_rp: Decimal | None = None
    tahun: tuple[NilaiTahun, ...] = ()  # Rp
    indikator: tuple[IndikatorPeriode, ...] = ()
    #: Who answers for the line (a PD, in the pemda's view by program); empty for one PD.
    penanggung_jawab: str = ""


@dataclass(frozen=True, slots=True)
class RenstraPeriode:
    """A Renstra with every year's figures, as the E.80 reads it."""

    tahun_awal: int
    tahun_akhir: int
    simpul: tuple[SimpulPeriode, ...]
    perangkat_daerah: str = ""
    pemda: str = ""

    @property
    def daftar_tahun(self) -> range:
        return range(self.tahun_awal, self.tahun_akhir + 1)


@dataclass(frozen=True, slots=True)
class KolomTahun:
    """One year of an E.80 line: target, realisation and their ratio (K and, on a node's first
    line, Rp)."""

    tahun: int
    target_k: Decimal | None
    realisasi_k: Decimal | None
    rasio_k: Decimal | None
    target_rp: Decimal | None
    realisasi_rp: Decimal | None
    rasio_rp: Decimal | None
    sumber_k: Sumber
    sumber_rp: Sumber


@dataclass(frozen=True, slots=True)
class BarisE80:
    simpul: SimpulPeriode
    indikator: IndikatorPeriode | None
    nomor_indikator: int
    tahun: tuple[KolomTahun, ...]
    realisasi_sd_k: Decimal | None  # up to the evaluated year, by the aggregation rule
    rasio_sd_k: Decimal | None  # against the end target, with the polarity rule
    realisasi_sd_rp: Decimal | None
    rasio_sd_rp: Decimal | None

    @property
    def first(self) -> bool:
        return self.nomor_indikator == 0


class JenisTemuan(StrEnum):
    TARGET_RP_TIDAK_SAMA = "target_rp_tidak_sama"
    TARGET_K_TIDAK_SAMA = "target_k_tidak_sama"
    TARGET_BULAN_MELEBIHI_PERIODE = "target_bulan_melebihi_periode"
    TAHUN_TANPA_REALISASI = "tahun_tanpa_realisasi"


@dataclass(frozen=True, slots=True)
class TemuanRenstra:
    kode: str
    jenis: JenisTemuan
    pesan: str
    indikator: str = ""


@dataclass(frozen=True, slots=True)
class EvaluasiRenstra:
    renstra: RenstraPeriode
    sampai_tahun: int
    baris: tuple[BarisE80, ...]
    temuan: tuple[TemuanRenstra, ...]
    #: The footer: the mean ratio to date over every indicator line that has one (K), and
    #: Σ realisation / Σ end target over the programs (Rp; never a mean of per cents, spec §5).
    rata_rata_rasio_k: Decimal | None = None
    predikat_k: str | None = None
    rasio_rp: Decimal | None = None
    predikat_rp: str | None = None


def _check_rp(simpul: SimpulPeriode) -> list[TemuanRenstra]:
    targets = [t.target for t in simpul.tahun]
    total = jumlah(targets)
    if simpul.target_akhir_rp is None or total is None or total == simpul.target_akhir_rp:
        return []
    return [
        TemuanRenstra(
            simpul.kode,
            JenisTemuan.TARGET_RP_TIDAK_SAMA,
            f"{simpul.kode}: jumlah target anggaran tahunan Rp {format_nilai(total)} tidak sama "
            f"dengan target akhir periode Rp {format_nilai(simpul.target_akhir_rp)} (selisih Rp "
            f"{format_nilai(total - simpul.target_akhir_rp)})",
        )
    ]


def _check_k(simpul: SimpulPeriode, item: IndikatorPeriode, years: int) -> list[TemuanRenstra]:
    found: list[TemuanRenstra] = []
    akhir = item.target_akhir
    where = f"{simpul.kode}, indikator '{item.teks}'"
    satuan = f" {item.satuan}" if item.satuan else ""
    if akhir is not None and item.satuan.strip().lower() in _BULAN and akhir > 12 * years:
        found.append(
            TemuanRenstra(
                simpul.kode,
                JenisTemuan.TARGET_BULAN_MELEBIHI_PERIODE,
                f"{where}: target akhir periode {format_nilai(akhir)}{satuan} melebihi jumlah "
                f"bulan dalam periode {years} tahun ({12 * years} bulan)",
                item.teks,
            )
        )
    targets = [t.target for t in item.tahun]
    if akhir is None or all(t is None for t in targets):
        return found
    if item.agregasi is Agregasi.AKUMULATIF:
        total = jumlah(targets)
        if total != akhir:
            found.append(
                TemuanRenstra(
                    simpul.kode,
                    JenisTemuan.TARGET_K_TIDAK_SAMA,
                    f"{where} (akumulatif): jumlah target tahunan {format_nilai(total)}{satuan} "
                    f"tidak sama dengan target akhir periode {format_nilai(akhir)}{satuan}",
                    item.teks,
                )
            )
        return found
    last = next((t for t in reversed(item.tahun) if t.target is not None), None)
    if last is not None and last.target != akhir:
        found.append(
            TemuanRenstra(
                simpul.kode,
                JenisTemuan.TARGET_K_TIDAK_SAMA,
                f"{where} ({item.agregasi.value.replace('_', '-')}): target tahun terakhir "
                f"({last.tahun}) {format_nilai(last.target)}{satuan} tidak sama dengan target "
                f"akhir periode {format_nilai(akhir)}{satuan}",
                item.teks,
            )
        )
    return found


def _missing(simpul: SimpulPeriode, item: IndikatorPeriode, sampai: int) -> list[TemuanRenstra]:
    years = [
        t for t in item.tahun if t.tahun <= sampai and t.target is not None and t.realisasi is None
    ]
    if not years:
        return []
    daftar = ", ".join(
        f"{t.tahun}" + (" (belum diverifikasi)" if t.sumber is Sumber.BELUM_DIVERIFIKASI else "")
        for t in years
    )
    return [
        TemuanRenstra(
            simpul.kode,
            JenisTemuan.TAHUN_TANPA_REALISASI,
            f"{simpul.kode}, indikator '{item.teks}': tahun tanpa realisasi: {daftar}",
            item.teks,
        )
    ]


def _by_year(values: tuple[NilaiTahun, ...], daftar: range) -> dict[int, NilaiTahun]:
    given = {v.tahun: v for v in values}
    return {y: given.get(y, NilaiTahun(y, None, None)) for y in daftar}


def evaluate_renstra(
    renstra: RenstraPeriode, sampai_tahun: int | None = None, pengaturan: Pengaturan | None = None
) -> EvaluasiRenstra:
    """Return the period's evaluation (Formulir E.80) up to a year (default: the period's end).

    Per line: each year's target, realisation and ratio (K with the polarity rule, Rp), the
    realisation to date by the aggregation rule (Rp: the sum) and its ratio to the end target;
    and every fault of the targets (spec §10) and every year without realisation.
    """
    p = pengaturan or Pengaturan()
    daftar = renstra.daftar_tahun
    sampai = renstra.tahun_akhir if sampai_tahun is None else sampai_tahun
    baris: list[BarisE80] = []
    temuan: list[TemuanRenstra] = []
    for simpul in renstra.simpul:
        rp = _by_year(simpul.tahun, daftar)
        rp_sd = realisasi_lalu_rp([rp[y].realisasi for y in daftar if y <= sampai])
        temuan += _check_rp(simpul)
        for nomor, item in enumerate(simpul.indikator or (None,)):
            k = _by_year(item.tahun, daftar) if item else {}
            first = nomor == 0
            kolom = []
            for y in daftar:
                ky = k.get(y, NilaiTahun(y, None, None))
                ry = rp[y]
                shown = y <= sampai
                realisasi_k = ky.realisasi if shown else None
                realisasi_rp = ry.realisasi if shown and first else None
                kolom.append(
                    KolomTahun(
                        tahun=y,
                        target_k=ky.target,
                        realisasi_k=realisasi_k,
                        rasio_k=capaian(ky.target, realisasi_k, _pol(item), p.rumus_negatif),
                        target_rp=ry.target if first else None,
                        realisasi_rp=realisasi_rp,
                        rasio_rp=capaian(ry.target, realisasi_rp) if first else None,
                        sumber_k=ky.sumber,
                        sumber_rp=ry.sumber if first else Sumber.KOSONG,
                    )
                )
            sd_k = None
            if item is not None:
                sd_k = realisasi_lalu(
                    [k[y].realisasi for y in daftar if y <= sampai], item.agregasi
                )
                temuan += _check_k(simpul, item, len(daftar))
                temuan += _missing(simpul, item, sampai)
            baris.append(
                BarisE80(
                    simpul=simpul,
                    indikator=item,
                    nomor_indikator=nomor,
                    tahun=tuple(kolom),
                    realisasi_sd_k=sd_k,
                    rasio_sd_k=capaian(
                        item.target_akhir if item else None, sd_k, _pol(item), p.rumus_negatif
                    ),
                    realisasi_sd_rp=rp_sd if first else None,
                    rasio_sd_rp=capaian(simpul.target_akhir_rp, rp_sd) if first else None,
                )
            )
    rata_k = mean(
        [b.rasio_sd_k for b in baris if b.indikator is not None], p.batas_capaian_rata_rata
    )
    programs = [
        b
        for b in baris
        if b.first and b.simpul.tingkat is Tingkat.PROGRAM and b.simpul.target_akhir_rp is not None
    ]
    rasio_rp = capaian(
        jumlah(b.simpul.target_akhir_rp for b in programs),
        jumlah(b.realisasi_sd_rp for b in programs),
    )
    return EvaluasiRenstra(
        renstra,
        sampai,
        tuple(baris),
        tuple(temuan),
        rata_k,
        predikat(rata_k, p.predikat_k),
        rasio_rp,
        predikat(rasio_rp, p.predikat_rp),
    )


def _pol(item: IndikatorPeriode | None) -> Polaritas:
    return item.polaritas if item is not None else Polaritas.POSITIF
