"""Indicator rules: aggregation × polarity → the year's value and the capaian (spec §3), predikat (§7)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from monev.core.numbers import HUNDRED
from monev.core.predikat import DEFAULT_PITA, PitaPredikat


class Agregasi(StrEnum):
    PROGRESIF = "progresif"
    AKUMULATIF = "akumulatif"
    RATA_RATA = "rata_rata"


class Polaritas(StrEnum):
    POSITIF = "positif"
    NEGATIF = "negatif"


class RumusNegatif(StrEnum):
    DUA_T_KURANG_R = "2t_kurang_r"  # (2T − R) / T × 100, the default
    T_PER_R = "t_per_r"  # T / R × 100


@dataclass(frozen=True, slots=True)
class Pengaturan:
    """A pemda's evaluation settings (spec §3, §7)."""

    rumus_negatif: RumusNegatif = RumusNegatif.DUA_T_KURANG_R
    #: Cap each capaian at this value when taking means (None: no cap; a pemda may choose 100).
    batas_capaian_rata_rata: Decimal | None = None
    #: The predikat band sets of K (indicator capaian) and of Rp (budget realisation per cent).
    predikat_k: PitaPredikat = DEFAULT_PITA
    predikat_rp: PitaPredikat = DEFAULT_PITA
    #: A K capaian above this per cent is flagged as implausible (a warning); None: never.
    batas_capaian_wajar: Decimal | None = Decimal(150)


_ZERO = Decimal(0)


def nilai_tahun(
    values: Sequence[Decimal | None], agregasi: Agregasi, sampai_triwulan: int = 4
) -> Decimal | None:
    """Return the year's value of quarterly values up to a quarter (column 13), None if none given.

    progresif: the last value given; akumulatif: the sum; rata_rata: the mean of the values given.
    """
    if agregasi is Agregasi.PROGRESIF:
        q = sampai_triwulan
        while q > 0:
            q -= 1
            value = values[q]
            if value is not None:
                return value
        return None
    given = [v for v in values[:sampai_triwulan] if v is not None]
    if not given:
        return None
    total = sum(given, _ZERO)
    if agregasi is Agregasi.AKUMULATIF:
        return total
    return total / len(given)


def capaian(
    target: Decimal | None,
    realisasi: Decimal | None,
    polaritas: Polaritas = Polaritas.POSITIF,
    rumus_negatif: RumusNegatif = RumusNegatif.DUA_T_KURANG_R,
) -> Decimal | None:
    """Return realisasi against target in per cent at full precision; None where undefined.

    Undefined: no target, a target of 0, no realisation yet (not the same as a realisation of 0),
    and T / R with R = 0. A negative result and a result above 100 are kept as computed.
    """
    if target is None or realisasi is None or target == 0:
        return None
    if polaritas is Polaritas.POSITIF:
        return realisasi / target * HUNDRED
    if rumus_negatif is RumusNegatif.DUA_T_KURANG_R:
        return (2 * target - realisasi) / target * HUNDRED
    if realisasi == 0:
        return None
    return target / realisasi * HUNDRED


def predikat(
    value: Decimal | None, pita: PitaPredikat = DEFAULT_PITA, *, tanpa_target: bool = False
) -> str | None:
    """Return the predikat of a capaian rounded to two decimals (spec §7); None if undefined,
    or the set's no-target label when `tanpa_target` says the line has no target."""
    return pita.nilai(value, tanpa_target=tanpa_target)


def mean(values: Sequence[Decimal | None], cap: Decimal | None = None) -> Decimal | None:
    """Return the mean of the defined values at full precision, capped if asked; None if none."""
    given = [v if cap is None else min(v, cap) for v in values if v is not None]
    if not given:
        return None
    return sum(given, _ZERO) / len(given)


def jumlah(values: Iterable[Decimal | None]) -> Decimal | None:
    """Return the sum of the defined values; None if none is defined (spec §5)."""
    given = [v for v in values if v is not None]
    return sum(given, _ZERO) if given else None


@dataclass(frozen=True, slots=True)
class Total:
    """The footer figures of a set of programs: a PD's form, a bidang urusan, an urusan, a pemda."""

    rata_rata_capaian_k: Decimal | None
    predikat_k: str | None
    pagu: Decimal | None
    realisasi_rp: Decimal | None
    persen_realisasi_rp: Decimal | None
    predikat_rp: str | None


def total(
    kegiatan_capaian: Iterable[Decimal | None],
    budgets: Iterable[tuple[Decimal | None, Decimal | None]],
    pengaturan: Pengaturan,
) -> Total:
    """Return the footer rule (spec §5, §6): K is the mean capaian of the kegiatan indicator lines,
    Rp is Σ realisasi / Σ pagu of the programs (never a mean of per cents), each with its predikat.

    `budgets` holds (pagu, realisasi) pairs; an undefined value is left out of its sum.
    """
    rata = mean(list(kegiatan_capaian), pengaturan.batas_capaian_rata_rata)
    pairs = list(budgets)
    pagu = jumlah(p for p, _ in pairs)
    realisasi = jumlah(r for _, r in pairs)
    persen = capaian(pagu, realisasi)
    return Total(
        rata_rata_capaian_k=rata,
        predikat_k=predikat(rata, pengaturan.predikat_k),
        pagu=pagu,
        realisasi_rp=realisasi,
        persen_realisasi_rp=persen,
        predikat_rp=predikat(persen, pengaturan.predikat_rp),
    )
