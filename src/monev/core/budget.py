"""Budget roll-up (spec §5): a node's own figures when it states them, else its children's.

The one rule, for every consumer (the evaluation table, its checks, the entry page, the pemda's
figures): a node that states no Rp figure of its own takes

- as pagu, Σ of its children's pagu in force;
- as realisation up to quarter N, Σ of its children's **year values** up to N, each child's taken
  by that child's own aggregation (`akumulatif`: the sum of its quarters; `progresif`: its last
  value given; `rata_rata`: the mean of the values given). A child that is itself rolled up
  brings its own rolled-up year value, so the rule holds at every level.

Summing the children's quarters and then applying the parent's aggregation is wrong: with
`akumulatif` children under a `progresif` parent it keeps only the last quarter. A rolled-up node's
own `agregasi_rp` is therefore not used for its realisation.

The rolled-up per-quarter figures (columns 9–12, the charts) are the sums of the children's
**contributions** to their year values: a child's contribution in quarter q is its year value up
to q minus its year value up to the quarter before (0 before any value), and nothing (None) in a
quarter where the child states nothing. For an `akumulatif` child that is the amount it entered;
for a `progresif` child it is value(q) − value(previous quarter given), the growth of the level
(negative when the level falls). The contributions telescope: their sum up to N is the child's
year value up to N, so the parent's quarters, added up, give the parent's realisation — the
parent's quarters behave as `akumulatif` amounts whatever the children's rules.

The check figures compare the same year values: a node that states its own realisation keeps it,
and `realisasi_anak` holds Σ of its children's year values for the checker.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from monev.core.codes import Tingkat, program_of
from monev.core.frozen import builder
from monev.core.model import NO_QUARTERS, Node, Quarters, Renja
from monev.core.rules import Agregasi, jumlah


@dataclass(frozen=True, slots=True)
class Anggaran:
    """A node's budget figures in force (own or rolled up), for every quarter."""

    pagu: Decimal | None
    #: Columns 9–12: the node's own quarterly figures as entered, or (rolled up) the sums of its
    #: children's contributions to their year values (see the module's docstring).
    triwulan: Quarters
    #: The year value up to each quarter: `realisasi[q - 1]` is the realisation s.d. triwulan q.
    realisasi: Quarters
    #: The sum of the children's pagu in force (None if no child states any), for the checks.
    pagu_anak: Decimal | None
    #: Σ of the children's year values up to each quarter (all None without children), for checks.
    realisasi_anak: Quarters
    pagu_sendiri: bool
    realisasi_sendiri: bool

    def realisasi_sampai(self, triwulan: int) -> Decimal | None:
        """Return the realisation up to quarter `triwulan` (column 13), None if none yet."""
        return self.realisasi[triwulan - 1]


_build_anggaran = builder(Anggaran)
_ZERO = Decimal(0)


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


def nilai_sampai(values: Quarters, agregasi: Agregasi) -> Quarters:
    """Return the year value up to each quarter (`monev.core.rules.nilai_tahun` at q = 1…4)."""
    # Runs for every node that states a realisation: one plain pass, no call per quarter.
    v1, v2, v3, v4 = values
    if agregasi is Agregasi.PROGRESIF:
        y2 = v1 if v2 is None else v2
        y3 = y2 if v3 is None else v3
        return (v1, y2, y3, y3 if v4 is None else v4)
    out: list[Decimal | None] = []
    last: Decimal | None = None
    total = _ZERO
    count = 0
    for value in values:
        if value is not None:
            total += value
            count += 1
            last = total if agregasi is Agregasi.AKUMULATIF else total / count
        out.append(last)
    return (out[0], out[1], out[2], out[3])


def kontribusi(triwulan: Quarters, sampai: Quarters, agregasi: Agregasi) -> Quarters:
    """Return a node's contribution in each quarter to its year value (see the module docstring):
    the year value up to q minus the one up to the quarter before, None where nothing is stated."""
    if agregasi is Agregasi.AKUMULATIF:  # the amounts entered are the contributions
        return triwulan
    v1, v2, v3, v4 = triwulan
    y1, y2, y3, y4 = sampai
    # Unrolled: it runs for every child of a rolled-up node. A quarter with a value has a year
    # value; the one before may have none yet (then the contribution is the whole year value).
    return (
        y1 if v1 is not None else None,
        None if v2 is None or y2 is None else (y2 if y1 is None else y2 - y1),
        None if v3 is None or y3 is None else (y3 if y2 is None else y3 - y2),
        None if v4 is None or y4 is None else (y4 if y3 is None else y4 - y3),
    )


def _sums(rows: list[Quarters]) -> Quarters:
    """Return the quarter-by-quarter sums (`jumlah`: None where no row has a value)."""
    s1 = s2 = s3 = s4 = None
    for a, b, c, d in rows:
        if a is not None:
            s1 = a if s1 is None else s1 + a
        if b is not None:
            s2 = b if s2 is None else s2 + b
        if c is not None:
            s3 = c if s3 is None else s3 + c
        if d is not None:
            s4 = d if s4 is None else s4 + d
    return (s1, s2, s3, s4)


def roll_up(renja: Renja) -> dict[str, Anggaran]:
    """Return every node's budget in force, keyed by code (the module's one rule)."""
    children = children_of(renja)
    result: dict[str, Anggaran] = {}

    def visit(node: Node) -> Anggaran:
        done = result.get(node.kode)
        if done is not None:
            return done
        own = node.triwulan_rp
        own_realisasi = (  # any quarter given
            own[0] is not None or own[1] is not None or own[2] is not None or own[3] is not None
        )
        pagu_anak: Decimal | None = None
        realisasi_anak: Quarters = NO_QUARTERS
        triwulan: Quarters = NO_QUARTERS
        nodes = children.get(node.kode)
        if nodes:  # most nodes are sub kegiatan, with nothing to add up
            kids = [visit(child) for child in nodes]
            pagu_anak = jumlah([k.pagu for k in kids])
            realisasi_anak = _sums([k.realisasi for k in kids])
            if not own_realisasi:  # the contributions are shown only where nothing is stated
                triwulan = _sums(
                    [
                        kontribusi(k.triwulan, k.realisasi, c.agregasi_rp)
                        if k.realisasi_sendiri
                        else k.triwulan
                        for k, c in zip(kids, nodes, strict=True)
                    ]
                )
        if own_realisasi:
            triwulan, realisasi = own, nilai_sampai(own, node.agregasi_rp)
        else:
            realisasi = realisasi_anak
        pagu = node.pagu
        anggaran = _build_anggaran(  # positional: it runs for every node
            pagu if pagu is not None else pagu_anak,
            triwulan,
            realisasi,
            pagu_anak,
            realisasi_anak,
            pagu is not None,
            own_realisasi,
        )
        result[node.kode] = anggaran
        return anggaran

    for node in renja.nodes:
        visit(node)
    return result
