"""The lines of the evaluation table (spec §4): what `evaluation` builds and `checks` reads.

They live apart from both so that neither module imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from monev.core.model import Indikator, Node, Quarters


@dataclass(frozen=True, slots=True)
class Rp:
    """A node's budget columns of the table (shown on the node's first line)."""

    target_renstra: Decimal | None  # col 6
    realisasi_lalu: Decimal | None  # col 7
    pagu: Decimal | None  # col 8
    triwulan: Quarters  # cols 9–12, up to the evaluated quarter
    realisasi: Decimal | None  # col 13
    capaian: Decimal | None  # 13 / 8 × 100
    predikat: str | None
    renstra_realisasi: Decimal | None  # col 14 = 7 + 13
    renstra_capaian: Decimal | None  # col 15 = 14 / 6 × 100


@dataclass(frozen=True, slots=True)
class Baris:
    """One line of the evaluation table: an indicator of a node (or a node without indicators)."""

    node: Node
    indikator: Indikator
    nomor_indikator: int  # 0 for the node's first line
    triwulan: Quarters  # cols 9–12 (K), up to the evaluated quarter
    realisasi: Decimal | None  # col 13 (K)
    capaian: Decimal | None  # 13 / 8 × 100 with the polarity rule
    predikat: str | None
    renstra_realisasi: Decimal | None  # col 14 (K)
    renstra_capaian: Decimal | None  # col 15 (K)
    rp: Rp | None  # the node's budget, on its first line only

    @property
    def first(self) -> bool:
        return self.nomor_indikator == 0
