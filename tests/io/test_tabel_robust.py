"""The table importer on damaged tables: hostile cells, rows cut, doubled, dropped or shuffled.
Each either reads (and its plan evaluates, its report and flat rows render) or is refused with
messages; nothing else escapes. Bounded and derandomized, like the other parsers' fuzz runs."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monev.core.evaluation import evaluate
from monev.io.flat import InputError
from monev.io.legacy.grid import Grid
from monev.io.tabel import parse_tables
from monev.io.tabel.laporan import flat_rows, render_json, render_text
from monev.io.tabel.pilih import renja_of
from tests.io import tabel_shapes as shapes

BOUNDED = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SHAPES = [
    shapes.LABELLED,
    shapes.MONTHLY,
    shapes.K_SHEET + shapes.RP_SHEET,
    shapes.PART,
    shapes.FINANCE,
    shapes.FINANCE_COLUMNS,
    shapes.E81,
]
CELLS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        ["", "-", "Program", "Kegiatan :", "Jumlah", "Total", "1.234", "1,234", "(12)", "100%",
         "9" * 40, "١٠", "\x00", "0", "Sub Kegiatan X", "5.1.02.01.01.0024", "2.07.01", "I."]
    ),
)  # fmt: skip


def _read_or_refuse(rows: list[list[object]]) -> None:
    try:
        hasil = parse_tables([Grid("f.csv", rows)], "f.csv")
    except InputError as exc:
        assert exc.masalah and all(str(m).strip() for m in exc.masalah)
        return
    evaluate(hasil.renja)
    assert render_text(hasil) and render_json(hasil)
    rows_out = flat_rows(hasil)
    try:
        renja_of(hasil)
    except InputError as exc:  # the flat reader may still refuse (e.g. a line twice): a message
        assert exc.masalah
    assert len(rows_out) >= len(hasil.renja.nodes)


@BOUNDED
@given(
    shape=st.sampled_from(SHAPES),
    edits=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 20), CELLS), max_size=6),
)
def test_hostile_cells_are_read_or_refused(shape, edits):
    rows = [list(map(str, r)) for r in shape]
    for row, column, text in edits:
        line = rows[row % len(rows)]
        if line:
            line[column % len(line)] = text
    _read_or_refuse(rows)


@BOUNDED
@given(
    shape=st.sampled_from(SHAPES),
    ops=st.lists(st.tuples(st.sampled_from("cdxsr"), st.integers(0, 40)), max_size=5),
)
def test_rows_cut_doubled_dropped_or_shuffled_are_read_or_refused(shape, ops):
    rows = [list(map(str, r)) for r in shape]
    for op, at in ops:
        if not rows:
            break
        i = at % len(rows)
        if op == "c":
            rows[i] = rows[i][: at % (len(rows[i]) + 1)]
        elif op == "d":
            rows.insert(i, list(rows[i]))
        elif op == "x":
            rows.pop(i)
        elif op == "s":
            rows[i] = rows[i][::-1]
        else:
            rows[i] = [c for c in rows[i] if c]  # empty cells lost (a PDF copy)
    _read_or_refuse(rows)
