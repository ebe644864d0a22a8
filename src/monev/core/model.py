"""The Renja as the engine reads it: nodes (program, kegiatan, sub kegiatan) with their indicators.

Every input the engine needs is here, explicitly; the flat reader and the web application both
build these frozen objects and hand them to `monev.core.evaluation.evaluate`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from monev.core.codes import Tingkat
from monev.core.rules import Agregasi, Polaritas

Quarters = tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]
NO_QUARTERS: Quarters = (None, None, None, None)


@dataclass(frozen=True, slots=True)
class Indikator:
    """One performance indicator of a node, with its K figures."""

    teks: str = ""
    satuan: str = ""
    target_renstra: Decimal | None = None
    realisasi_lalu: Decimal | None = None
    target: Decimal | None = None
    target_volume: str = ""
    triwulan: Quarters = NO_QUARTERS
    polaritas: Polaritas = Polaritas.POSITIF
    agregasi: Agregasi = Agregasi.PROGRESIF
    #: The capaian a legacy report printed, for checking only (never an input of a computation).
    capaian_tercetak: Decimal | None = None
    #: Where the indicator came from (e.g. a line of a file), for messages; None if not known.
    asal: str | None = None
    #: An identifier of the caller's own (a database id), carried through to the evaluation lines.
    ref: int | None = None


@dataclass(frozen=True, slots=True)
class Node:
    """A program, kegiatan or sub kegiatan with its budget figures as stated (Rp)."""

    kode: str
    tingkat: Tingkat
    nama: str = ""
    indikator: tuple[Indikator, ...] = ()
    #: The node's own figures; None where the node states none (they then roll up from children).
    pagu: Decimal | None = None
    triwulan_rp: Quarters = NO_QUARTERS
    target_renstra_rp: Decimal | None = None
    realisasi_lalu_rp: Decimal | None = None
    agregasi_rp: Agregasi = Agregasi.PROGRESIF
    unit: str = ""
    sasaran: str = ""
    keterangan: str = ""
    ref: int | None = None


@dataclass(frozen=True, slots=True)
class Renja:
    """A PD's plan for one year: its nodes in the order they are printed."""

    nodes: tuple[Node, ...]
    perangkat_daerah: str = ""
    pemda: str = ""
    tahun: int | None = None
    _by_kode: dict[str, Node] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for node in self.nodes:
            self._by_kode.setdefault(node.kode, node)

    def node(self, kode: str) -> Node | None:
        return self._by_kode.get(kode)

    def indikator_lines(self) -> Iterator[tuple[Node, Indikator]]:
        for node in self.nodes:
            for indikator in node.indikator:
                yield node, indikator

    def last_triwulan(self) -> int:
        """Return the last quarter with any realisation (K or Rp), or 1 if there is none yet."""
        last = 0
        for node in self.nodes:
            for q in range(4, last, -1):
                if node.triwulan_rp[q - 1] is not None or any(
                    i.triwulan[q - 1] is not None for i in node.indikator
                ):
                    last = q
                    break
            if last == 4:
                break
        return max(last, 1)
