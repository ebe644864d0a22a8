"""The lines of many Renja at a quarter, as the reports print them, read from stored rows: no Renja
is evaluated. The pemda's consolidated evaluation (Formulir E.79 style) reads the program and
kegiatan lines (`TINGKAT_E79`), the pemda's workbook of E.81 every line.

Every figure the engine computed is read back from the rows it was stored as
(`monev.pemda.angka`): a line's year value, capaian, predikat and Renstra columns from its
`AngkaIndikator` row, a node's pagu, realisasi, capaian, predikat and Renstra columns from its
`AngkaSimpul` row. What the rows do not keep is what the plan states (texts, targets, last year's
realisation, the K values entered per quarter): read from the plan's own tables, for program and
the levels read. One figure is neither: a rolled-up node's Rp per quarter (columns 9–12),
which the rows keep only as the year value up to each quarter; it is taken from
`monev.core.budget.roll_up` (the one rule) over the nodes read and the nodes below them that
their Rp columns roll up from (for the E.79: the sub kegiatan of a kegiatan that states no Rp
entry of its own), with their Rp entries, without their indicators.

A stored K value keeps 12 decimals (`NILAI_DIGITS`); a mean of quarters (`rata_rata`) may carry
more, and a report prints every digit a value carries. Such a value is shown with the engine's
digits: the year value `monev.core.rules.nilai_tahun` gives over the same quarters, used only
where it rounds to the stored one.

Rows are read as stored: refresh them first (`monev.pemda.angka.refresh`, as
`monev.pemda.selectors.figures_of` does). A Renja whose rows no longer match its plan (changed
since the refresh, no rows) is left out of the result, for the caller to evaluate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from monev.core import model as core
from monev.core.aggregate import capaian_of, rp_of
from monev.core.baris import Baris, Rp
from monev.core.budget import roll_up
from monev.core.codes import Tingkat
from monev.core.model import Quarters
from monev.core.rules import Agregasi, nilai_tahun
from monev.pemda.models import NILAI_DIGITS, AngkaIndikator, AngkaSimpul
from monev.pemda.muat import INDIKATOR_KOLOM, SIMPUL_KOLOM, indikator_of, node_of
from monev.web.models import Indikator, RealisasiK, RealisasiRp, Simpul

#: The levels the consolidated evaluation prints (sub kegiatan stay in each PD's E.81).
TINGKAT_E79 = (str(Tingkat.PROGRAM), str(Tingkat.KEGIATAN))
#: Every level of a plan (a PD's E.81).
SEMUA_TINGKAT = (*TINGKAT_E79, str(Tingkat.SUB_KEGIATAN))

_NO_INDIKATOR = core.Indikator()


class _RowsOutOfDate(LookupError):
    """A Renja's stored rows do not match its plan."""


def _cut(values: Quarters, triwulan: int) -> Quarters:
    """Return the quarters up to `triwulan` (later ones not due yet), as the engine keeps them."""
    return values[:triwulan] + (None,) * (4 - triwulan)  # type: ignore[return-value]


def _text(value: str) -> str | None:
    return value or None


def _plans(ids: list[int], tingkat: tuple[str, ...]) -> dict[int, core.Renja]:
    """Return each Renja's nodes (every level, with their Rp entries) and the indicators of its
    nodes of these levels, built as `monev.pemda.muat.load_renja` builds them."""
    simpul = list(
        Simpul.objects.filter(renja_id__in=ids)
        .order_by("renja_id", "urutan")
        .values_list(*SIMPUL_KOLOM)
    )
    realisasi_rp = _rp_entries(ids, simpul, tingkat)
    shown = {"simpul__renja_id__in": ids, "simpul__tingkat__in": tingkat}
    realisasi_k: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for indikator_id, triwulan, nilai in RealisasiK.objects.filter(
        **{f"indikator__{k}": v for k, v in shown.items()}
    ).values_list("indikator_id", "triwulan", "nilai"):
        realisasi_k[indikator_id][triwulan] = nilai
    indikator: dict[int, list[core.Indikator]] = defaultdict(list)
    for row in (
        Indikator.objects.filter(**shown)
        .order_by("simpul_id", "urutan", "id")
        .values_list(*INDIKATOR_KOLOM)
    ):
        indikator[row[1]].append(indikator_of(row, realisasi_k.get(row[0], {})))
    nodes: dict[int, list[core.Node]] = defaultdict(list)
    for row in simpul:
        pk, level = row[0], row[3]
        if level not in tingkat and pk not in realisasi_rp.needed:
            continue
        nodes[row[1]].append(
            node_of(row, tuple(indikator.get(pk, ())), realisasi_rp.values.get(pk, {}))
        )
    return {renja_id: core.Renja(tuple(found)) for renja_id, found in nodes.items()}


_CHUNK = 5000  # ids per query: well under SQLite's limit of bound values


@dataclass
class _EntriRp:
    """The Rp entries (per node id, per quarter) of the nodes a roll-up needs, and those nodes."""

    values: dict[int, dict[int, Decimal | None]]
    needed: set[int]


def _rp_entries(
    ids: list[int], simpul: list[tuple[Any, ...]], tingkat: tuple[str, ...]
) -> _EntriRp:
    """Return the Rp entries of the nodes of these levels and of the nodes below them that their
    per-quarter Rp columns roll up from: the sub kegiatan of a kegiatan that states no Rp entry of
    its own (a node that states one shows it, whatever its children state)."""
    values: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    entries = RealisasiRp.objects.filter(simpul__renja_id__in=ids, simpul__tingkat__in=tingkat)
    for simpul_id, triwulan, nilai in entries.values_list("simpul_id", "triwulan", "nilai"):
        values[simpul_id][triwulan] = nilai
    rolled_up = {
        (renja_id, kode)
        for pk, renja_id, kode, level, *_ in simpul
        if level == Tingkat.KEGIATAN
        and level in tingkat
        and all(v is None for v in values.get(pk, {}).values())
    }
    # A sub kegiatan's parent is the code without its last part (`monev.core.budget.parent_kode`).
    needed = [
        pk
        for pk, renja_id, kode, level, *_ in simpul
        if level not in tingkat and (renja_id, kode.rpartition(".")[0]) in rolled_up
    ]
    for start in range(0, len(needed), _CHUNK):
        for simpul_id, triwulan, nilai in RealisasiRp.objects.filter(
            simpul_id__in=needed[start : start + _CHUNK]
        ).values_list("simpul_id", "triwulan", "nilai"):
            values[simpul_id][triwulan] = nilai
    return _EntriRp(values, set(needed))


def _rp_rows(
    ids: list[int], triwulan: int, tingkat: tuple[str, ...]
) -> dict[tuple[int, str], tuple[Any, ...]]:
    return {
        (row[0], row[1]): row[2:]
        for row in AngkaSimpul.objects.filter(
            renja_id__in=ids, triwulan=triwulan, tingkat__in=tingkat
        ).values_list(
            "renja_id",
            "kode",
            "pagu",
            "realisasi",
            "capaian",
            "predikat",
            "target_renstra",
            "renstra_realisasi",
            "renstra_capaian",
        )
    }


def _line_rows(
    ids: list[int], triwulan: int, tingkat: tuple[str, ...]
) -> dict[int, list[tuple[Any, ...]]]:
    found: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in (
        AngkaIndikator.objects.filter(renja_id__in=ids, triwulan=triwulan, tingkat__in=tingkat)
        .order_by("renja_id", "urutan")
        .values_list(
            "renja_id",
            "kode",
            "nomor",
            "indikator_ref",
            "realisasi",
            "capaian",
            "predikat",
            "renstra_realisasi",
            "renstra_capaian",
        )
    ):
        found[row[0]].append(row[1:])
    return found


def lines_from_rows(
    renja_ids: Iterable[int], triwulan: int, tingkat: tuple[str, ...] = TINGKAT_E79
) -> dict[int, tuple[Baris, ...]]:
    """Return the lines of these levels of these Renja at a quarter, in table order, equal to the
    engine's lines of those levels (figures as stored), keyed by Renja id."""
    ids = list(renja_ids)
    if not ids:
        return {}
    plans = _plans(ids, tingkat)
    rp_rows = _rp_rows(ids, triwulan, tingkat)
    line_rows = _line_rows(ids, triwulan, tingkat)
    out: dict[int, tuple[Baris, ...]] = {}
    for renja_id in ids:
        try:
            out[renja_id] = _lines(
                renja_id,
                plans.get(renja_id, core.Renja(())),
                triwulan,
                tingkat,
                rp_rows,
                line_rows.get(renja_id, []),
            )
        except _RowsOutOfDate:
            continue
    return out


def _lines(
    renja_id: int,
    plan: core.Renja,
    triwulan: int,
    tingkat: tuple[str, ...],
    rp_rows: dict[tuple[int, str], tuple[Any, ...]],
    line_rows: list[tuple[Any, ...]],
) -> tuple[Baris, ...]:
    anggaran = roll_up(plan)
    rp_of_kode: dict[str, Rp] = {}
    stored = iter(line_rows)
    lines: list[Baris] = []
    for node in plan.nodes:
        if str(node.tingkat) not in tingkat:
            continue
        rp = rp_of_kode.get(node.kode)
        if rp is None:
            quarters = _cut(anggaran[node.kode].triwulan, triwulan)
            rp = rp_of_kode[node.kode] = _rp(renja_id, plan, node.kode, quarters, rp_rows)
        for nomor, item in enumerate(node.indikator or (_NO_INDIKATOR,)):
            row = next(stored, None)
            if row is None or row[0] != node.kode or row[1] != nomor or row[2] != item.ref:
                raise _RowsOutOfDate(renja_id)
            _, _, _, realisasi, capaian, predikat, renstra_realisasi, renstra_capaian = row
            if item.agregasi is Agregasi.RATA_RATA and realisasi is not None:
                realisasi, renstra_realisasi = _digits(
                    nilai_tahun(item.triwulan, item.agregasi, triwulan),
                    realisasi,
                    renstra_realisasi,
                )
            lines.append(
                Baris(
                    node=node,
                    indikator=item,
                    nomor_indikator=nomor,
                    triwulan=_cut(item.triwulan, triwulan),
                    realisasi=realisasi,
                    capaian=capaian_of(capaian),
                    predikat=_text(predikat),
                    renstra_realisasi=renstra_realisasi,
                    renstra_capaian=capaian_of(renstra_capaian),
                    rp=rp if nomor == 0 else None,
                )
            )
    if next(stored, None) is not None:
        raise _RowsOutOfDate(renja_id)
    return tuple(lines)


_STEP = Decimal(10) ** -NILAI_DIGITS["decimal_places"]


def _digits(
    full: Decimal | None, realisasi: Decimal, renstra_realisasi: Decimal | None
) -> tuple[Decimal, Decimal | None]:
    """Return the stored year value (and the Renstra value equal to it) with the engine's digits,
    when the engine's value rounds to the stored one."""
    if full is None or full.quantize(_STEP, rounding=ROUND_HALF_UP) != realisasi:
        return realisasi, renstra_realisasi
    return full, full if renstra_realisasi == realisasi else renstra_realisasi


def _rp(
    renja_id: int,
    plan: core.Renja,
    kode: str,
    quarters: Quarters,
    rows: dict[tuple[int, str], tuple[Any, ...]],
) -> Rp:
    row = rows.get((renja_id, kode))
    if row is None:
        raise _RowsOutOfDate(renja_id)
    pagu, realisasi, capaian, predikat, target_renstra, renstra_realisasi, renstra_capaian = row
    first = plan.node(kode)
    return Rp(
        target_renstra=rp_of(target_renstra),
        realisasi_lalu=first.realisasi_lalu_rp if first else None,
        pagu=rp_of(pagu),
        triwulan=quarters,
        realisasi=rp_of(realisasi),
        capaian=capaian_of(capaian),
        predikat=_text(predikat),
        renstra_realisasi=rp_of(renstra_realisasi),
        renstra_capaian=capaian_of(renstra_capaian),
    )
