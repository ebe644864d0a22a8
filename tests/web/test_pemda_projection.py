"""Projection and pemda totals: tables of hand-made cases (pure functions, no database)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from monev.core import model as core
from monev.core.codes import Tingkat
from monev.core.evaluation import evaluate
from monev.core.numbers import round_half_up
from monev.core.rules import Agregasi, Pengaturan, Polaritas
from monev.pemda.projection import (
    Dasar,
    alasan,
    below_sedang,
    project,
    project_mean,
)
from monev.pemda.summary import plan_renja, ranks, shown_change, summarise

N = None
P, A, R = Agregasi.PROGRESIF, Agregasi.AKUMULATIF, Agregasi.RATA_RATA
POS, NEG = Polaritas.POSITIF, Polaritas.NEGATIF


def shown(value):
    return round_half_up(value, 2) if value is not None else None


def q(*values):
    padded = [D(str(v)) if v is not None else None for v in values] + [None] * (4 - len(values))
    return tuple(padded)


# target, agregasi, polaritas, realisasi, rencana, triwulan → dasar, capaian now, projected capaian, flagged
CASES = [
    # on plan: realised = planned to date → ends at the target
    (
        "on plan, progresif",
        100,
        P,
        POS,
        q(25, 50),
        q(25, 50, 75, 100),
        2,
        Dasar.RENCANA,
        "50",
        "100",
        False,
    ),
    (
        "on plan, akumulatif",
        40,
        A,
        POS,
        q(10, 10),
        q(10, 10, 10, 10),
        2,
        Dasar.RENCANA,
        "50",
        "100",
        False,
    ),
    # behind plan: 30 of a planned 50 → 60 % of the target → Rendah → flagged
    ("behind plan", 100, P, POS, q(15, 30), q(25, 50, 75, 100), 2, Dasar.RENCANA, "30", "60", True),
    (
        "behind plan at the boundary 65",
        100,
        P,
        POS,
        q(32.5),
        q(50, 100),
        1,
        Dasar.RENCANA,
        "32.5",
        "65",
        True,
    ),
    (
        "just above 65 is Sedang",
        100,
        P,
        POS,
        q(32.51),
        q(50, 100),
        1,
        Dasar.RENCANA,
        "32.51",
        "65.02",
        False,
    ),
    ("ahead of plan", 100, P, POS, q(60), q(50, 100), 1, Dasar.RENCANA, "60", "120", False),
    # lower is better: 14 where 12 was planned → 10 × 14 / 12 at the end, rated (2T − R) / T
    (
        "lower is better, behind plan",
        10,
        P,
        NEG,
        q(14),
        q(12, 11, 10.5, 10),
        1,
        Dasar.RENCANA,
        "60.00",
        "83.33",
        False,
    ),
    (
        "lower is better, far behind plan",
        10,
        P,
        NEG,
        q(18),
        q(12, 11, 10.5, 10),
        1,
        Dasar.RENCANA,
        "20.00",
        "50.00",
        True,
    ),
    # no plan: the pace so far
    ("no plan, progresif at pace", 100, P, POS, q(25, 50), None, 2, Dasar.TREN, "50", "100", False),
    ("no plan, progresif too slow", 100, P, POS, q(10, 20), None, 2, Dasar.TREN, "20", "40", True),
    ("no plan, capped at the target", 100, P, POS, q(80), None, 1, Dasar.TREN, "80", "100", False),
    ("no plan, akumulatif", 200, A, POS, q(20, 30), None, 2, Dasar.TREN, "25", "50", True),
    (
        "no plan, rata_rata stays",
        90,
        R,
        POS,
        q(60, 70),
        None,
        2,
        Dasar.TREN,
        "72.22",
        "72.22",
        False,
    ),
    (
        "no plan, negative level stays",
        7,
        P,
        NEG,
        q(6.5),
        None,
        1,
        Dasar.TREN,
        "107.14",
        "107.14",
        False,
    ),
    ("no plan, negative amount grows", 10, A, NEG, q(4), None, 1, Dasar.TREN, "160", "40", True),
    # a quarter not reported is not a zero: TW III is projected from TW II
    ("TW III not reported yet", 100, P, POS, q(25, 50), None, 3, Dasar.TREN, "50", "100", False),
    (
        "plan of a later quarter is not used",
        100,
        P,
        POS,
        q(25, 50),
        q(25, 50, 75, 100),
        3,
        Dasar.RENCANA,
        "50",
        "100",
        False,
    ),
    # no data yet, no target
    (
        "no data yet",
        100,
        P,
        POS,
        q(),
        q(25, 50, 75, 100),
        2,
        Dasar.BELUM_ADA_DATA,
        None,
        None,
        False,
    ),
    ("no target", None, P, POS, q(5), None, 1, Dasar.TANPA_TARGET, None, None, False),
    ("target zero", 0, P, POS, q(5), None, 1, Dasar.TANPA_TARGET, None, None, False),
    (
        "plan to date zero falls back to the pace",
        100,
        A,
        POS,
        q(10),
        q(0, 50),
        1,
        Dasar.TREN,
        "10",
        "40",
        True,
    ),
    (
        "realisation after the quarter is ignored",
        100,
        P,
        POS,
        q(10, 90),
        None,
        1,
        Dasar.TREN,
        "10",
        "40",
        True,
    ),
]


@pytest.mark.parametrize(
    (
        "case",
        "target",
        "agregasi",
        "polaritas",
        "realisasi",
        "rencana",
        "triwulan",
        "dasar",
        "now",
        "akhir",
        "flag",
    ),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_projection(
    case, target, agregasi, polaritas, realisasi, rencana, triwulan, dasar, now, akhir, flag
):
    result = project(
        target=D(target) if target is not None else None,
        realisasi=realisasi,
        triwulan=triwulan,
        agregasi=agregasi,
        polaritas=polaritas,
        rencana=rencana,
    )
    assert result.dasar is dasar
    assert shown(result.capaian) == (D(now) if now is not None else None)
    assert shown(result.capaian_akhir) == (D(akhir) if akhir is not None else None)
    assert result.peringatan is flag


def test_projection_uses_the_engine_capaian_to_date():
    """The capaian to date of a projection is the evaluation's, line by line."""
    indicators = [
        core.Indikator(teks="a", target=D(100), triwulan=q(25, 50, 70), agregasi=P),
        core.Indikator(teks="b", target=D(12), triwulan=q(2, 3), agregasi=A),
        core.Indikator(teks="c", target=D(80), triwulan=q(70, 75, 60), agregasi=R),
        core.Indikator(teks="d", target=D(7), triwulan=q(7.5, 7.2), polaritas=NEG),
    ]
    renja = core.Renja((core.Node("2.07.02.2.01", Tingkat.KEGIATAN, indikator=tuple(indicators)),))
    for tw in (1, 2, 3, 4):
        for line in evaluate(renja, tw).baris:
            item = line.indikator
            p = project(
                target=item.target,
                realisasi=item.triwulan,
                triwulan=tw,
                agregasi=item.agregasi,
                polaritas=item.polaritas,
            )
            assert (p.realisasi, p.capaian) == (line.realisasi, line.capaian)


@pytest.mark.parametrize(
    ("capaian", "flag"),
    [
        (None, False),
        (D("65.01"), False),
        (D("65.005"), False),  # rounds to 65,01: Sedang
        (D("65.004"), True),  # rounds to 65,00
        (D("65"), True),
        (D("0"), True),
        (D("-10"), True),
        (D("120"), False),
    ],
)
def test_below_sedang_follows_the_predikat_bands(capaian, flag):
    assert below_sedang(capaian, Pengaturan()) is flag


def test_reason_says_how_far_behind_plan():
    p = project(
        target=D(100), realisasi=q(15, 30), triwulan=2, agregasi=P, rencana=q(25, 50, 75, 100)
    )
    assert alasan(p) == (
        "Realisasi s.d. TW II 30 dari rencana 50: capaian 30,00% terhadap rencana 50,00%, "
        "tertinggal 20,00 poin dari rencana; proyeksi akhir tahun 60,00% (Rendah)."
    )
    trend = project(target=D(100), realisasi=q(10, 20), triwulan=2, agregasi=P)
    assert alasan(trend).startswith("Tanpa rencana triwulan: capaian s.d. TW II 20,00%")
    assert alasan(project(target=D(100), realisasi=q(), triwulan=2)) == (
        "Belum ada realisasi yang dilaporkan."
    )


def test_mean_projection_leaves_out_undefined_lines():
    items = [
        project(target=D(100), realisasi=q(15, 30), triwulan=2, rencana=q(25, 50)),  # 60
        project(target=D(100), realisasi=q(25, 50), triwulan=2, rencana=q(25, 50)),  # 100
        project(target=D(100), realisasi=q(), triwulan=2),  # no data
    ]
    mean = project_mean(items)
    assert (mean.capaian_akhir, mean.predikat_akhir, mean.peringatan) == (D(80), "Tinggi", False)
    assert (mean.jumlah, mean.jumlah_peringatan, mean.selisih_rencana) == (2, 1, D(-10))


@pytest.mark.parametrize(
    ("now", "before", "change"),
    [
        (D("78.245"), D("70.004"), D("8.25")),  # as shown: 78,25 − 70,00
        (D("50"), D("50"), D("0.00")),
        (D("10"), None, None),
        (None, D("10"), None),
    ],
)
def test_change_is_taken_between_the_figures_as_shown(now, before, change):
    assert shown_change(now, before) == change


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([D(80), D(90), D(70)], [2, 1, 3]),
        ([D(80), D("80.001"), D(70)], [1, 1, 3]),  # equal as shown share a rank
        ([None, D(50)], [None, 1]),
        ([], []),
    ],
)
def test_ranks(values, expected):
    assert ranks(values) == expected


def _budget_renja():
    return core.Renja(
        (
            core.Node("2.07.02", Tingkat.PROGRAM, ref=1),
            core.Node(
                "2.07.02.2.01",
                Tingkat.KEGIATAN,
                indikator=(core.Indikator(teks="k", target=D(100), triwulan=q(20, 40), ref=10),),
                ref=2,
            ),
            core.Node(
                "2.07.02.2.01.01",
                Tingkat.SUB_KEGIATAN,
                pagu=D(1000),
                triwulan_rp=q(100, 200),
                ref=3,
            ),
            core.Node(
                "2.07.02.2.01.02",
                Tingkat.SUB_KEGIATAN,
                pagu=D(1000),
                triwulan_rp=q(100, 200),
                ref=4,
            ),
        )
    )


def test_budget_plan_rolls_up_like_the_realisation():
    renja = _budget_renja()
    plan = plan_renja(renja, {3: q(250, 500, 750, 1000), 4: q(250, 500, 750, 1000)})
    assert evaluate(plan, 2).ringkasan.persen_realisasi_rp == D(50)


def test_pd_projection_against_plans():
    renja = _budget_renja()
    figures = summarise(
        renja,
        rencana_k={10: q(25, 50, 75, 100)},
        rencana_rp={3: q(250, 500, 750, 1000), 4: q(250, 500, 750, 1000)},
        pengaturan=Pengaturan(),
    )
    tw2 = figures.at(2)
    assert tw2.ringkasan.persen_realisasi_rp == D(20)
    assert tw2.rencana.persen_realisasi_rp == D(50)
    # Rp: 20 % against a planned 50 % → 40 % at the end of the year
    assert (tw2.proyeksi_rp.dasar, tw2.proyeksi_rp.capaian_akhir) == (Dasar.RENCANA, D(40))
    assert tw2.proyeksi_rp.peringatan
    # K: 40 against a planned 50 → 80 %
    assert tw2.proyeksi_k.capaian_akhir == D(80)
    assert not tw2.proyeksi_k.peringatan
    assert [w.kode for w in tw2.peringatan] == []
    # TW III: nothing new reported; the projection stays on TW II, not on a zero
    assert figures.at(3).proyeksi_rp.sampai_triwulan == 2
