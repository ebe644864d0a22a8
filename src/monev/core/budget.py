"""Budget roll-up (spec §5): a node's own figures when it states them, else the sum of its children."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from operator import is_not

from monev.core.codes import Tingkat, program_of
from monev.core.frozen import builder
from monev.core.model import NO_QUARTERS, Node, Quarters, Renja
from monev.core.rules import jumlah


@dataclass(frozen=True, slots=True)
class Anggaran:
    """A node's budget figures in force (own or rolled up), before any cut by quarter."""

    pagu: Decimal | None
    triwulan: Quarters
    #: The sum of the children's figures (None if no child states any), for the checks.
    pagu_anak: Decimal | None
    triwulan_anak: Quarters
    pagu_sendiri: bool
    realisasi_sendiri: bool


_build_anggaran = builder(Anggaran)


def parent_kode(node: Node) -> str | None:
    if node.tingkat is Tingkat.SUB_KEGIATAN:
        return node.kode.rpartition(".")[0]
    if node.tingkat is Tingkat.KEGIATAN:
        return program_of(node.kode)
    return None


def children_of(renja: Renja) -> dict[str, list[Node]]:
    """Return the children of every node code, in printed order (a code printed twice counts once)."""
    children: dict[str, list[Node]] = {}
    seen: set[str] = set()
    for node in renja.nodes:
        if node.kode in seen:
            continue
        seen.add(node.kode)
        parent = parent_kode(node)
        if parent is not None and renja.node(parent) is not None:
            children.setdefault(parent, []).append(node)
    return children


def roll_up(renja: Renja) -> dict[str, Anggaran]:
    """Return every node's budget in force, keyed by code."""
    children = children_of(renja)
    result: dict[str, Anggaran] = {}

    def visit(node: Node) -> Anggaran:
        done = result.get(node.kode)
        if done is not None:
            return done
        pagu_anak: Decimal | None = None
        triwulan_anak: Quarters = NO_QUARTERS
        nodes = children.get(node.kode)
        if nodes:  # most nodes are sub kegiatan, with nothing to add up
            kids = [visit(child) for child in nodes]
            pagu_anak = jumlah([k.pagu for k in kids])
            q1, q2, q3, q4 = zip(*(k.triwulan for k in kids), strict=True)
            triwulan_anak = (jumlah(q1), jumlah(q2), jumlah(q3), jumlah(q4))
        own_realisasi = any(map(is_not, node.triwulan_rp, NO_QUARTERS))  # any quarter given
        anggaran = _build_anggaran(
            pagu=node.pagu if node.pagu is not None else pagu_anak,
            triwulan=node.triwulan_rp if own_realisasi else triwulan_anak,
            pagu_anak=pagu_anak,
            triwulan_anak=triwulan_anak,
            pagu_sendiri=node.pagu is not None,
            realisasi_sendiri=own_realisasi,
        )
        result[node.kode] = anggaran
        return anggaran

    for node in renja.nodes:
        visit(node)
    return result
