"""A verified quarter's record reads back to the evaluation it was written from (rendering the same
bytes), names only the engine's classes, and an old record stays readable by a newer engine (a
class moved, a field dropped or added)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from monev.core.evaluation import evaluate
from monev.core.predikat import Pita, PitaPredikat
from monev.core.rules import Pengaturan, RumusNegatif
from monev.io import rekaman, tabular
from monev.io.flat import read_flat

SETTINGS = {
    "bawaan": Pengaturan(),
    "pemda": Pengaturan(
        rumus_negatif=RumusNegatif.T_PER_R,
        batas_capaian_rata_rata=Decimal(100),
        predikat_k=PitaPredikat(
            (
                Pita("Baik", Decimal("80.5"), None, bawah_inklusif=False),
                Pita("Kurang", None, Decimal("80.5")),
            )
        ),
    ),
}
OBJECT = 1  # the tag of an object in a record (monev.io.rekaman)


@pytest.fixture(scope="module")
def evaluasi(reference_csv):
    return evaluate(read_flat(reference_csv), 3)


@pytest.mark.parametrize("pengaturan", list(SETTINGS))
@pytest.mark.parametrize("triwulan", [1, 2, 3, 4])
def test_a_record_reads_back_to_the_same_evaluation(reference_csv, triwulan, pengaturan):
    evaluasi = evaluate(read_flat(reference_csv), triwulan, SETTINGS[pengaturan])
    again = rekaman.loads(rekaman.dumps(evaluasi))
    assert again == evaluasi and again.pengaturan == SETTINGS[pengaturan]
    assert tabular.render_json(again) == tabular.render_json(evaluasi)
    assert tabular.render_csv(again) == tabular.render_csv(evaluasi)
    # shared objects stay shared: a line's node is the Renja's node
    assert again.baris[0].node is again.renja.nodes[0]
    assert again.rp_of(again.renja.nodes[0].kode) is again.baris[0].rp


def test_decimals_keep_their_digits_and_exponent():
    values = (Decimal("1.50"), Decimal("1E+2"), Decimal("-0"), Decimal("0.0001"))
    again = rekaman.loads(rekaman.dumps(values))
    assert [str(v) for v in again] == [str(v) for v in values]


def _edit(result, cls: str, change_header, change_object) -> str:
    """Return the record of `result` with the class named `…:cls` changed in the header and in
    every object of it, as a record written by another version of the engine would be."""
    data = json.loads(rekaman.dumps(result))
    (index,) = [i for i, (name, _) in enumerate(data["kelas"]) if name.endswith(f":{cls}")]
    change_header(data["kelas"][index])

    def walk(node):
        if isinstance(node, list):
            if node[:2] == [OBJECT, index]:
                change_object(node)
            for value in node:
                walk(value)

    walk(data["isi"])
    return json.dumps(data)


def test_a_class_that_moved_within_the_engine_is_found_by_its_name(evaluasi):
    def move(entry):
        entry[0] = "monev.core.tempat_lama:Baris"

    old = _edit(evaluasi, "Baris", move, lambda node: None)
    assert "tempat_lama" in old
    assert tabular.render_json(rekaman.loads(old)) == tabular.render_json(evaluasi)


def test_a_field_the_engine_no_longer_has_is_left_out(evaluasi):
    old = _edit(
        evaluasi,
        "Ringkasan",
        lambda entry: entry[1].append("kolom_lama"),
        lambda node: node.append([0, "1"]),
    )
    assert tabular.render_json(rekaman.loads(old)) == tabular.render_json(evaluasi)


def test_a_field_the_engine_gained_with_a_default_takes_it():
    def before_batas(entry):
        entry[1][:] = ["rumus_negatif"]

    def first_value_only(node):
        del node[3:]

    old = _edit(
        Pengaturan(batas_capaian_rata_rata=Decimal(100)),
        "Pengaturan",
        before_batas,
        first_value_only,
    )
    assert rekaman.loads(old) == Pengaturan()


def test_a_record_missing_a_required_field_is_refused(evaluasi):
    def drop_program(entry):
        entry[1].remove("program")

    names = json.loads(rekaman.dumps(evaluasi))["kelas"]
    (fields,) = [n for name, n in names if name.endswith(":Ringkasan")]
    at = 2 + fields.index("program")
    old = _edit(evaluasi, "Ringkasan", drop_program, lambda node: node.pop(at))
    with pytest.raises(rekaman.RekamanError):
        rekaman.loads(old)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "[]",
        '{"format": 99, "kelas": [], "isi": null}',
        '{"format": 2, "kelas": [["os:system", []]], "isi": [1, 0]}',
        '{"format": 2, "kelas": [["monev.web.models:Renja", []]], "isi": [1, 0]}',
        '{"format": 2, "kelas": [["monev.core.evaluation:evaluate", []]], "isi": [1, 0]}',
        '{"format": 2, "kelas": [["monev.core.tidak_ada:TidakAda", []]], "isi": [1, 0]}',
        '{"format": 2, "kelas": [], "isi": [2, 5]}',
        '{"format": 2, "kelas": [], "isi": [1, 3]}',
        '{"format": 2, "kelas": [], "isi": [9]}',
        '{"format": 2, "kelas": [], "isi": [0, "bukan angka"]}',
        '{"format": 2, "kelas": [], "isi": {"d": "1"}}',
    ],
)
def test_a_damaged_or_foreign_record_is_refused(text):
    with pytest.raises(rekaman.RekamanError):
        rekaman.loads(text)


def test_only_the_engines_values_can_be_recorded():
    with pytest.raises(TypeError):
        rekaman.dumps({1.5})
