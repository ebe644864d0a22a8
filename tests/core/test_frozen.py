from __future__ import annotations

import json
import pickle
from dataclasses import FrozenInstanceError
from decimal import Decimal

import pytest

from monev.core.codes import Tingkat
from monev.core.frozen import builder
from monev.core.model import Indikator, Node
from monev.core.rules import Agregasi, Polaritas


def test_builder_objects_equal_the_ones_built_normally():
    build = builder(Indikator)
    kwargs = {
        "teks": "uji",
        "target": Decimal(100),
        "triwulan": (Decimal(1), None, None, None),
        "polaritas": Polaritas.NEGATIF,
        "agregasi": Agregasi.AKUMULATIF,
    }
    built, normal = build(**kwargs), Indikator(**kwargs)
    assert built == normal and hash(built) == hash(normal)
    assert type(built) is Indikator
    assert pickle.loads(pickle.dumps(built)) == normal
    with pytest.raises(FrozenInstanceError):
        built.teks = "lain"  # type: ignore[misc]
    assert builder(Node)(kode="1.01.01", tingkat=Tingkat.PROGRAM) == Node(
        kode="1.01.01", tingkat=Tingkat.PROGRAM
    )


def test_builder_refuses_classes_it_cannot_build_safely():
    from monev.core.predikat import PitaPredikat

    with pytest.raises(TypeError):
        builder(PitaPredikat)  # has __post_init__


def test_fast_json_equals_the_plain_encoding(reference_csv):
    from monev.core.evaluation import evaluate
    from monev.io.flat import read_flat
    from monev.io.tabular import evaluation_json, render_json

    for triwulan in (2, 4):
        evaluasi = evaluate(read_flat(reference_csv), triwulan)
        assert (
            render_json(evaluasi)
            == json.dumps(evaluation_json(evaluasi), ensure_ascii=False) + "\n"
        )
