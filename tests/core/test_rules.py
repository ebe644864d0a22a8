from __future__ import annotations

from decimal import Decimal as D

import pytest

from monev.core.rules import (
    Agregasi,
    Pengaturan,
    Polaritas,
    RumusNegatif,
    capaian,
    mean,
    nilai_tahun,
    predikat,
)

P, A, R = Agregasi.PROGRESIF, Agregasi.AKUMULATIF, Agregasi.RATA_RATA


@pytest.mark.parametrize(
    ("capaian_value", "expected"),
    [
        ("0", "Sangat Rendah"),
        ("50", "Sangat Rendah"),
        ("50.004", "Sangat Rendah"),  # rounds to 50,00
        ("50.005", "Rendah"),  # rounds to 50,01
        ("50.01", "Rendah"),
        ("60.5", "Rendah"),  # the gap that once rated 60,5 % "Sangat Rendah"
        ("65", "Rendah"),
        ("65.01", "Sedang"),
        ("75", "Sedang"),
        ("75.01", "Tinggi"),
        ("90", "Tinggi"),
        ("90.01", "Sangat Tinggi"),
        ("100", "Sangat Tinggi"),
        ("104.24", "Sangat Tinggi"),
        ("-20", "Sangat Rendah"),
    ],
)
def test_predikat_bands_are_half_open_on_the_rounded_capaian(capaian_value, expected):
    assert predikat(D(capaian_value)) == expected


def test_predikat_of_undefined_capaian_is_undefined():
    assert predikat(None) is None


def test_pengaturan_rates_k_and_rp_with_their_own_sets():
    from monev.core.predikat import parse_pita

    p = Pengaturan(
        predikat_k=parse_pita("> 80 = Baik\n≤ 80 = Kurang"),
        predikat_rp=parse_pita("0–94,99 = Belum\n≥ 95 = Terserap"),
    )
    assert predikat(D("80.01"), p.predikat_k) == "Baik"
    assert predikat(D(80), p.predikat_k) == "Kurang"
    assert predikat(D(95), p.predikat_rp) == "Terserap"


Q = (D(10), D(20), None, D(40))


@pytest.mark.parametrize(
    ("values", "agregasi", "sampai", "expected"),
    [
        (Q, P, 4, D(40)),
        (Q, P, 3, D(20)),  # cut at TW III: the last value given up to it
        (Q, P, 2, D(20)),
        (Q, P, 1, D(10)),
        (Q, A, 4, D(70)),
        (Q, A, 2, D(30)),
        (Q, R, 4, D("70") / 3),
        (Q, R, 2, D(15)),
        ((None, None, None, None), P, 4, None),
        ((None, None, None, None), A, 4, None),
        ((None, None, None, None), R, 4, None),
        ((D(0), None, None, None), A, 4, D(0)),
    ],
)
def test_nilai_tahun_by_aggregation(values, agregasi, sampai, expected):
    assert nilai_tahun(values, agregasi, sampai) == expected


POS, NEG = Polaritas.POSITIF, Polaritas.NEGATIF
TR = RumusNegatif.T_PER_R


@pytest.mark.parametrize(
    ("target", "realisasi", "polaritas", "rumus", "expected"),
    [
        (D(100), D(75), POS, None, D(75)),
        (D("63.72"), D("60.19"), POS, None, D("60.19") / D("63.72") * 100),
        (D(100), D(120), POS, None, D(120)),  # above 100 kept
        (D(100), D(0), POS, None, D(0)),  # realisation 0 is a capaian of 0
        (D(100), None, POS, None, None),  # not reported yet is undefined, not 0
        (None, D(5), POS, None, None),  # no target
        (D(0), D(5), POS, None, None),  # target 0
        (D(10), D(8), NEG, None, D(120)),  # (2T - R) / T
        (D(10), D(25), NEG, None, D(-50)),  # negative result kept
        (D(10), D(8), NEG, TR, D(125)),  # T / R
        (D(10), D(0), NEG, TR, None),  # T / 0 undefined
        (D(0), D(3), NEG, None, None),
    ],
)
def test_capaian_by_polarity(target, realisasi, polaritas, rumus, expected):
    kwargs = {"rumus_negatif": rumus} if rumus else {}
    assert capaian(target, realisasi, polaritas, **kwargs) == expected


def test_mean_skips_undefined_and_caps_when_asked():
    assert mean([D(50), None, D(150)]) == D(100)
    assert mean([D(50), None, D(150)], cap=D(100)) == D(75)
    assert mean([None, None]) is None
    assert mean([D(75), D("82.57"), D("88.33"), D("67.08")]) == D("78.245")
