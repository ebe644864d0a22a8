"""Placing the cells of a printed line into the form's slots when the line lost or gained cells.

The cells keep their order on the page, and each has a recognisable shape (cells.CellKind); the
slots have the form's order and each takes one shape (layout.SlotKind). An edit-distance alignment
finds the cheapest placement: a cell of the wrong shape, a slot left without a cell (a lost cell),
and a cell placed nowhere (a gained cell) each cost something. Every cheapest placement is kept, so
that a caller can tell a certain line from an uncertain one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from monev.io.legacy.cells import Cell, CellKind
from monev.io.legacy.layout import SLOTS, SlotKind

#: Costs are whole numbers so that ties are exact.
FORBIDDEN = 50
LOST = 10
LOST_HABITUAL = 4
LOST_TEXT = 3
GAINED = 10
GAINED_BLANK = 3
FLOATED = 15
_MAX_PLACEMENTS = 64

_K, _RP, _T, _RK, _P, _X = (
    SlotKind.K,
    SlotKind.RP,
    SlotKind.TARGET,
    SlotKind.REALISASI_K,
    SlotKind.PERCENT,
    SlotKind.TEXT,
)
_F = FORBIDDEN
_COSTS: dict[CellKind, dict[SlotKind, int]] = {
    CellKind.BLANK: {_K: 0, _RP: 0, _T: 0, _RK: 0, _P: 0, _X: 0},
    CellKind.ZERO: {_K: 0, _RP: 0, _T: 0, _RK: 0, _P: 0, _X: _F},
    CellKind.SMALL: {_K: 0, _RP: 9, _T: 0, _RK: 0, _P: 0, _X: _F},
    CellKind.AMOUNT: {_K: 9, _RP: 0, _T: 9, _RK: 9, _P: 15, _X: _F},
    CellKind.TARGET: {_K: _F, _RP: _F, _T: 0, _RK: _F, _P: _F, _X: _F},
    CellKind.TARGET_LOOSE: {_K: 3, _RP: 9, _T: 0, _RK: 3, _P: 3, _X: _F},
    CellKind.CAPAIAN: {_K: _F, _RP: _F, _T: 15, _RK: 0, _P: 0, _X: _F},
    CellKind.TEXT: {_K: _F, _RP: _F, _T: _F, _RK: _F, _P: _F, _X: 0},
}


_KIND_INDEX = {kind: i for i, kind in enumerate(SlotKind)}
_COST_ROWS = {cell: tuple(row[kind] for kind in SlotKind) for cell, row in _COSTS.items()}


def cost(cell: Cell, slot: str) -> int:
    """Return how badly a cell fits a slot (0: it is the shape the slot takes)."""
    kind = SLOTS[slot]
    if cell.kind is CellKind.CAPAIAN and cell.bare_percent and kind is SlotKind.TARGET:
        return 3  # `(100%)` alone may be a target as well as a capaian
    return _COSTS[cell.kind][kind]


@dataclass(frozen=True, slots=True)
class Placement:
    """One way of placing a line's cells into the slots."""

    cells: dict[str, Cell]
    #: Slots left without a cell (lost cells, or columns not printed on this line).
    lost: tuple[str, ...]
    #: Cells placed in no slot.
    extra: tuple[Cell, ...]
    #: Slots whose cell was found out of its order on the line.
    floated: tuple[str, ...] = ()
    cost: int = 0
    #: The part of the cost due to cells of the wrong shape.
    mismatch: int = 0
    key: tuple[tuple[str, str | None], ...] = field(default=(), compare=False)


def _value_key(cells: dict[str, Cell], slots: Sequence[str]) -> tuple[tuple[str, str | None], ...]:
    out: list[tuple[str, str | None]] = []
    for slot in slots:
        cell = cells.get(slot)
        if cell is None or cell.kind is CellKind.BLANK:
            out.append((slot, None))
        else:
            out.append((slot, cell.text if cell.value is None else f"{cell.value}|{cell.text}"))
    return tuple(out)


class _Aligner:
    def __init__(self, cells: Sequence[Cell], slots: Sequence[str], habit: frozenset[str]) -> None:
        self.cells = cells
        self.slots = slots
        self.habit = habit
        n, m = len(cells), len(slots)
        kinds = [_KIND_INDEX[SLOTS[slot]] for slot in slots]
        self.costs = [
            [cost(cell, slot) for slot in slots] if cell.bare_percent else [row[k] for k in kinds]
            for cell in cells
            for row in (_COST_ROWS[cell.kind],)
        ]
        self.lost_costs = lost = [self.lost(j) for j in range(m)]
        gained = [GAINED_BLANK if c.kind is CellKind.BLANK else GAINED for c in cells]
        inf = 10**9
        table = [[inf] * (m + 1) for _ in range(n + 1)]
        row = table[0]
        row[0] = 0
        for j in range(1, m + 1):
            row[j] = row[j - 1] + lost[j - 1]
        for i in range(1, n + 1):
            above, row, costs = table[i - 1], table[i], self.costs[i - 1]
            extra = gained[i - 1]
            row[0] = above[0] + extra
            for j in range(1, m + 1):
                best = above[j - 1] + costs[j - 1]
                candidate = row[j - 1] + lost[j - 1]
                if candidate < best:
                    best = candidate
                candidate = above[j] + (0 if j == m and extra == GAINED_BLANK else extra)
                if candidate < best:
                    best = candidate
                row[j] = best
        self.table = table

    def lost(self, j: int) -> int:
        slot = self.slots[j]
        if SLOTS[slot] is SlotKind.TEXT:
            return LOST_TEXT
        return LOST_HABITUAL if slot in self.habit else LOST

    def gained(self, i: int, j: int) -> int:
        if self.cells[i].kind is CellKind.BLANK:
            return 0 if j == len(self.slots) else GAINED_BLANK
        return GAINED

    @property
    def best(self) -> int:
        return self.table[len(self.cells)][len(self.slots)]

    def paths(self) -> list[tuple[dict[str, Cell], list[str], list[Cell], int]]:
        """Return every cheapest alignment (up to a limit) as (cells, lost, extra, mismatch)."""
        found: list[tuple[dict[str, Cell], list[str], list[Cell], int]] = []

        def walk(
            i: int, j: int, cells: dict[str, Cell], lost: list[str], extra: list[Cell], bad: int
        ) -> None:
            if len(found) >= _MAX_PLACEMENTS:
                return
            if i == 0 and j == 0:
                found.append((dict(cells), lost[::-1], extra[::-1], bad))
                return
            here = self.table[i][j]
            if i and j:
                c = self.costs[i - 1][j - 1]
                if self.table[i - 1][j - 1] + c == here:
                    cells[self.slots[j - 1]] = self.cells[i - 1]
                    walk(i - 1, j - 1, cells, lost, extra, bad + c)
                    del cells[self.slots[j - 1]]
            if j and self.table[i][j - 1] + self.lost_costs[j - 1] == here:
                lost.append(self.slots[j - 1])
                walk(i, j - 1, cells, lost, extra, bad)
                lost.pop()
            if i and self.table[i - 1][j] + self.gained(i - 1, j) == here:
                extra.append(self.cells[i - 1])
                walk(i - 1, j, cells, lost, extra, bad)
                extra.pop()

        walk(len(self.cells), len(self.slots), {}, [], [], 0)
        return found


def _anchor(cells: Sequence[Cell], slots: Sequence[str], kind: CellKind, slot: str) -> int | None:
    """Return the index of the only cell of `kind` when `slot` may take it out of order."""
    if slot not in slots:
        return None
    found = [i for i, c in enumerate(cells) if c.kind is kind]
    return found[0] if len(found) == 1 else None


def align(
    cells: Sequence[Cell], slots: Sequence[str], habit: frozenset[str] = frozenset()
) -> list[Placement]:
    """Return every cheapest placement of a line's cells into `slots`, distinct in their values.

    `habit` names the slots that the document's lines usually leave out (a column printed empty
    on every line): leaving them out costs less. An anchor cell (the target, the printed capaian)
    that landed out of its order may be taken to its slot at a price.
    """
    plain = _Aligner(cells, slots, habit)
    variants: list[tuple[int, list[tuple[str, int]], _Aligner]] = [(0, [], plain)]
    if plain.best >= FLOATED:  # taking a cell out of order can only pay off on a costly line
        target = _anchor(cells, slots, CellKind.TARGET, "target_k")
        capaian_slot = "realisasi_k" if "realisasi_k" in slots else "capaian_k"
        capaian = _anchor(cells, slots, CellKind.CAPAIAN, capaian_slot)
        for slot, index in (("target_k", target), (capaian_slot, capaian)):
            if index is not None:
                rest_cells = [c for i, c in enumerate(cells) if i != index]
                rest_slots = [s for s in slots if s != slot]
                variants.append((FLOATED, [(slot, index)], _Aligner(rest_cells, rest_slots, habit)))
    results: list[Placement] = []
    for price, floated, aligner in variants:
        total = aligner.best + price
        if total > min(v[2].best + v[0] for v in variants):
            continue
        for placed, lost, extra, bad in aligner.paths():
            for slot, index in floated:
                placed[slot] = cells[index]
            results.append(
                Placement(
                    cells=placed,
                    lost=tuple(lost),
                    extra=tuple(extra),
                    floated=tuple(s for s, _ in floated),
                    cost=total,
                    mismatch=bad,
                    key=_value_key(placed, slots),
                )
            )
    if not results:
        return []
    best = min(p.cost for p in results)
    distinct: dict[tuple[tuple[str, str | None], ...], Placement] = {}
    for placement in results:
        if placement.cost == best:
            distinct.setdefault(placement.key, placement)
    return list(distinct.values())


def place_by_position(
    row_cells: dict[int, list[Cell]], positions: dict[str, int], slots: Sequence[str]
) -> Placement:
    """Return the placement the header's positions give, with its cost on the same scale."""
    placed: dict[str, Cell] = {}
    lost: list[str] = []
    total = mismatch = 0
    used: set[int] = set()
    for slot in slots:
        column = positions.get(slot)
        found = row_cells.get(column, []) if column is not None else []
        if not found:
            lost.append(slot)
            total += LOST_TEXT if SLOTS[slot] is SlotKind.TEXT else LOST
            continue
        used.add(column)  # type: ignore[arg-type]
        placed[slot] = found[0]
        mismatch += cost(found[0], slot)
        for more in found[1:]:
            total += GAINED_BLANK if more.kind is CellKind.BLANK else GAINED
    extra = [
        c
        for column, found in row_cells.items()
        if column not in used
        for c in found
        if c.kind is not CellKind.BLANK
    ]
    total += GAINED * len(extra) + mismatch
    return Placement(placed, tuple(lost), tuple(extra), cost=total, mismatch=mismatch)
