"""Predikat band sets as data (spec §7): validation on the decimals, the text form, K and Rp."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from monev.core.codes import Tingkat
from monev.core.evaluation import evaluate
from monev.core.model import Indikator, Node, Renja
from monev.core.predikat import DEFAULT_PITA, Pita, PitaError, PitaPredikat, parse_pita
from monev.core.rules import Agregasi, Pengaturan

#: A real pemda's Rp set (issue 11).
RP_SET = """
0–24,99 = Sangat Rendah
25–49,99 = Rendah
50–74,99 = Sedang
75–94,99 = Tinggi
≥ 95 = Sangat Tinggi
"""

#: A real pemda's K set (issue 11).
K_SET = """
tanpa target = Tidak ada target
0–49,99 = Sangat Kurang
50–64,99 = Kurang
65–74,99 = Cukup
75–89,99 = Baik
90–99,99 = Sangat Baik
100 = Tercapai
> 100 = Melebihi target
"""


@pytest.mark.parametrize(
    ("capaian", "expected"),
    [
        ("0", "Sangat Rendah"),
        ("24.99", "Sangat Rendah"),
        ("24.994", "Sangat Rendah"),  # rounds to 24,99
        ("24.995", "Rendah"),  # rounds to 25,00
        ("25", "Rendah"),
        ("74.99", "Sedang"),
        ("75", "Tinggi"),
        ("94.99", "Tinggi"),
        ("94.994", "Tinggi"),
        ("94.995", "Sangat Tinggi"),
        ("95", "Sangat Tinggi"),
        ("130", "Sangat Tinggi"),
        ("-3", "Sangat Rendah"),  # below the lowest bound: the lowest band
    ],
)
def test_rp_set_of_a_pemda_rates_every_boundary(capaian, expected):
    assert parse_pita(RP_SET).nilai(D(capaian)) == expected


@pytest.mark.parametrize(
    ("capaian", "expected"),
    [
        ("49.99", "Sangat Kurang"),
        ("50", "Kurang"),
        ("89.99", "Baik"),
        ("90", "Sangat Baik"),
        ("99.99", "Sangat Baik"),
        ("99.995", "Tercapai"),  # rounds to 100,00
        ("100", "Tercapai"),
        ("100.004", "Tercapai"),
        ("100.01", "Melebihi target"),
        ("250", "Melebihi target"),
    ],
)
def test_k_set_of_a_pemda_rates_tercapai_and_melebihi_target(capaian, expected):
    assert parse_pita(K_SET).nilai(D(capaian)) == expected


def test_undefined_capaian_takes_the_no_target_label_only_where_there_is_no_target():
    pita = parse_pita(K_SET)
    assert pita.nilai(None, tanpa_target=True) == "Tidak ada target"
    assert pita.nilai(None) is None  # not yet reported is not "no target"
    assert parse_pita(RP_SET).nilai(None, tanpa_target=True) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "0–24,99 = A\n25,01–49,99 = B\n≥ 50 = C",
            "celah antara 24,99 dan 25,01: nilai 25,00 tidak masuk pita mana pun",
        ),
        (
            "0–24,99 = A\n26–49,99 = B\n≥ 50 = C",
            "celah antara 24,99 dan 26,00: nilai 25,00 sampai 25,99 tidak masuk pita mana pun",
        ),
        (
            "0–25 = A\n25–49,99 = B\n≥ 50 = C",
            "pita 'A' (0–25) dan 'B' (25–49,99) tumpang tindih: nilai 25,00 masuk keduanya",
        ),
        (
            "0–30 = A\n25–49,99 = B\n≥ 50 = C",
            "tumpang tindih: nilai 25,00 sampai 30,00 masuk keduanya",
        ),
        (
            "< 50 = A\n> 50 = B",
            "celah antara 49,99 dan 50,01: nilai 50,00 tidak masuk pita mana pun",
        ),
        ("0–49,99 = A\n50–100 = B", "nilai di atas 100,00 tidak masuk pita mana pun"),
        ("0–49,99 = A\n50 = B\n≥ 60 = C", "celah antara 50,00 dan 60,00"),
        ("50–40 = A\n≥ 50 = B", "tidak memuat nilai apa pun"),
    ],
)
def test_gaps_and_overlaps_are_refused_with_their_values(text, message):
    with pytest.raises(PitaError) as caught:
        parse_pita(text)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0–24,99 Sangat Rendah", "baris 1: tulis 'rentang = predikat'"),
        ("kira-kira = A", "baris 1: rentang 'kira-kira' tidak dikenali"),
        ("≥ 0 = A\n-  = X\ntanpa target = Y", "baris 3: label tanpa target ditulis dua kali"),
        ("", "himpunan pita predikat kosong"),
    ],
)
def test_text_that_is_not_a_band_set_is_refused_with_its_line(text, message):
    with pytest.raises(PitaError) as caught:
        parse_pita(text)
    assert message in str(caught.value)


@pytest.mark.parametrize("text", [RP_SET, K_SET, DEFAULT_PITA.teks()])
def test_text_form_round_trips(text):
    pita = parse_pita(text)
    assert parse_pita(pita.teks()) == pita


def test_default_set_written_out_is_the_spec_table():
    assert DEFAULT_PITA.teks().splitlines() == [
        "≤ 50 = Sangat Rendah",
        "> 50 dan ≤ 65 = Rendah",
        "> 65 dan ≤ 75 = Sedang",
        "> 75 dan ≤ 90 = Tinggi",
        "> 90 = Sangat Tinggi",
    ]
    assert parse_pita(">= 95 = A\n<95 = B") == PitaPredikat(
        (Pita("A", D(95), None), Pita("B", None, D(95), atas_inklusif=False))
    )


def test_pengaturan_rates_k_and_rp_lines_with_their_own_sets():
    p = Pengaturan(predikat_k=parse_pita(K_SET), predikat_rp=parse_pita(RP_SET))
    node = Node(
        "2.07.03.2.01.01",
        Tingkat.SUB_KEGIATAN,
        indikator=(
            Indikator("tepat", target=D(8), triwulan=(D(8), None, None, None)),
            Indikator("tanpa target", triwulan=(D(3), None, None, None)),
        ),
        pagu=D(10000),
        triwulan_rp=(D("9499"), None, None, None),
        agregasi_rp=Agregasi.AKUMULATIF,
    )
    evaluasi = evaluate(Renja((node,)), 1, p)
    assert [b.predikat for b in evaluasi.baris] == ["Tercapai", "Tidak ada target"]
    assert evaluasi.rp_of(node.kode).predikat == "Tinggi"  # type: ignore[union-attr]  # 94,99 %
