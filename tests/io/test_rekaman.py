"""A verified quarter's record reads back to the evaluation it was written from, and an old record
stays readable by a newer engine (a class moved, a field dropped or added)."""

from __future__ import annotations

import json

import pytest

from monev.core.evaluation import evaluate
from monev.io import rekaman, tabular
from monev.io.flat import read_flat


@pytest.fixture(scope="module")
def evaluasi(reference_csv):
    return evaluate(read_flat(reference_csv), 3)


def test_a_record_reads_back_to_the_same_evaluation(evaluasi) -> None:
    again = rekaman.loads(rekaman.dumps(evaluasi))
    assert again == evaluasi
    assert tabular.render_json(again) == tabular.render_json(evaluasi)
    assert tabular.render_csv(again) == tabular.render_csv(evaluasi)


def _edit(text: str, change) -> str:
    data = json.loads(text)

    def walk(node):
        if isinstance(node, dict):
            change(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return json.dumps(data)


def test_a_class_that_moved_within_the_engine_is_found_by_its_name(evaluasi) -> None:
    def move(node):
        if node.get("c", "").endswith(":Baris"):
            node["c"] = "monev.core.tempat_lama:Baris"

    old = _edit(rekaman.dumps(evaluasi), move)
    assert "tempat_lama" in old
    assert tabular.render_json(rekaman.loads(old)) == tabular.render_json(evaluasi)


def test_a_field_the_engine_no_longer_has_is_left_out(evaluasi) -> None:
    def add(node):
        if node.get("c", "").endswith(":Ringkasan"):
            node["f"]["kolom_lama"] = {"d": "1"}

    assert tabular.render_json(rekaman.loads(_edit(rekaman.dumps(evaluasi), add))) == (
        tabular.render_json(evaluasi)
    )


def test_a_record_missing_a_required_field_is_refused(evaluasi) -> None:
    def drop(node):
        if node.get("c", "").endswith(":Ringkasan"):
            node["f"].pop("program")

    with pytest.raises(rekaman.RekamanError):
        rekaman.loads(_edit(rekaman.dumps(evaluasi), drop))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        '{"format": 99, "isi": null}',
        '{"format": 1, "isi": {"c": "os:system", "i": 0, "f": {}}}',
        '{"format": 1, "isi": {"c": "monev.core.evaluation:evaluate", "i": 0, "f": {}}}',
        '{"format": 1, "isi": {"c": "monev.core.tidak_ada:TidakAda", "i": 0, "f": {}}}',
        '{"format": 1, "isi": {"r": 5}}',
    ],
)
def test_a_damaged_or_foreign_record_is_refused(text: str) -> None:
    with pytest.raises(rekaman.RekamanError):
        rekaman.loads(text)
