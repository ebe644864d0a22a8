"""Group figures from sums and counts kept as integers: the pemda's stored rows (`monev.pemda.
angka`) are summed by the database, and this module turns the sums into the footer rule's figures
(spec §5, §6), exactly as `monev.core.rules.total` does from the values themselves.

Why integers: SQLite sums a decimal column as a float, which at a million lines is no longer
exact to the cent. A stored capaian is therefore an integer of `SKALA_CAPAIAN` (10⁻⁸ per cent,
rounded half up from the engine's full-precision value) and a stored amount an integer of sen
(Rp 0.01, the precision every amount is entered with). Integer sums are exact on both databases.

Rounding each line's capaian to 10⁻⁸ moves a mean of lines by less than 0.5 × 10⁻⁸, so a mean
shown to two decimals differs from the engine's only if the exact mean lies within 0.5 × 10⁻⁸ of
a half cent and is not itself a multiple of 10⁻⁸ (the engine's own Decimal context rounds at 28
digits too). Budget sums are exact: the ratio Σ realisasi / Σ pagu is then the engine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from monev.core.rules import Pengaturan, Total, capaian, predikat

#: Stored capaian per cent = integer / SKALA_CAPAIAN.
SKALA_CAPAIAN = 10**8
#: Stored amounts: integers of sen.
SKALA_RP = 100

_CAPAIAN_STEP = Decimal(1) / SKALA_CAPAIAN
_RP_STEP = Decimal("0.01")


def capaian_int(value: Decimal | None) -> int | None:
    """Return a capaian (per cent, full precision) as a stored integer, rounded half up."""
    if value is None:
        return None
    return int(value.quantize(_CAPAIAN_STEP, rounding=ROUND_HALF_UP) * SKALA_CAPAIAN)


def capaian_of(stored: int | None) -> Decimal | None:
    """Return the per cent a stored capaian integer stands for."""
    if stored is None:
        return None
    return Decimal(stored) / SKALA_CAPAIAN


def sen_int(value: Decimal | None) -> int | None:
    """Return an amount in Rp as an integer of sen (amounts have at most two decimals)."""
    if value is None:
        return None
    return int(value.quantize(_RP_STEP, rounding=ROUND_HALF_UP) * SKALA_RP)


def rp_of(stored: int | None) -> Decimal | None:
    """Return the amount in Rp that a stored integer of sen stands for."""
    if stored is None:
        return None
    return (Decimal(stored) / SKALA_RP).quantize(_RP_STEP)


@dataclass(frozen=True, slots=True)
class Jumlahan:
    """What a database sums over a group's stored rows.

    `capaian_sum` / `capaian_count`: the sum and number of the kegiatan lines' stored capaian
    (each already capped by the pemda's `batas_capaian_rata_rata`), lines without one left out;
    `pagu_sum` / `pagu_count` and `realisasi_sum` / `realisasi_count`: the programs' amounts in
    sen and how many of them are defined (an undefined amount is left out of its sum, spec §5).
    """

    capaian_sum: int | None = None
    capaian_count: int = 0
    pagu_sum: int | None = None
    pagu_count: int = 0
    realisasi_sum: int | None = None
    realisasi_count: int = 0

    def __add__(self, other: Jumlahan) -> Jumlahan:
        def plus(a: int | None, b: int | None) -> int | None:
            return b if a is None else a if b is None else a + b

        return Jumlahan(
            plus(self.capaian_sum, other.capaian_sum),
            self.capaian_count + other.capaian_count,
            plus(self.pagu_sum, other.pagu_sum),
            self.pagu_count + other.pagu_count,
            plus(self.realisasi_sum, other.realisasi_sum),
            self.realisasi_count + other.realisasi_count,
        )


def total_of_sums(jumlahan: Jumlahan, pengaturan: Pengaturan) -> Total:
    """Return a group's footer figures (`monev.core.rules.total`) from its stored rows' sums."""
    rata = (
        Decimal(jumlahan.capaian_sum or 0) / jumlahan.capaian_count / SKALA_CAPAIAN
        if jumlahan.capaian_count
        else None
    )
    pagu = rp_of(jumlahan.pagu_sum or 0) if jumlahan.pagu_count else None
    realisasi = rp_of(jumlahan.realisasi_sum or 0) if jumlahan.realisasi_count else None
    persen = capaian(pagu, realisasi)
    return Total(
        rata_rata_capaian_k=rata,
        predikat_k=predikat(rata, pengaturan.predikat_k),
        pagu=pagu,
        realisasi_rp=realisasi,
        persen_realisasi_rp=persen,
        predikat_rp=predikat(persen, pengaturan.predikat_rp),
    )
