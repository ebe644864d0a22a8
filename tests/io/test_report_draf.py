"""The draft mark of the report model: set from the context (and a --konteks file), carried to
the XLSX's first rows and its printed header."""

from __future__ import annotations

import io

import openpyxl
import pytest

from monev.core.evaluation import evaluate
from monev.io.flat import read_flat
from monev.io.report.context import TANDA_DRAF, KonteksLaporan, konteks_from_mapping
from monev.io.report.model import build_report
from monev.io.report.xlsx import render_xlsx


@pytest.mark.parametrize(("value", "draf"), [(True, True), (False, False)])
def test_draft_from_a_context_file(value, draf):
    assert konteks_from_mapping({"draf": value}).draf is draf


@pytest.mark.parametrize("value", ["ya", 1, None])
def test_draft_must_be_true_or_false(value):
    with pytest.raises(ValueError, match="'draf' harus true atau false"):
        konteks_from_mapping({"draf": value})


@pytest.mark.parametrize("draf", [True, False])
def test_the_workbook_carries_the_mark_only_for_a_draft(reference_csv, draf):
    laporan = build_report(evaluate(read_flat(reference_csv)), KonteksLaporan(draf=draf))
    assert laporan.draf is draf
    out = io.BytesIO()
    render_xlsx(laporan, out)
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert (ws["A6"].value == TANDA_DRAF) is draf
    assert (TANDA_DRAF in (ws.oddHeader.center.text or "")) is draf
    assert "Halaman &P dari &N" in ws.oddFooter.center.text
