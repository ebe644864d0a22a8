"""Plausibility warnings with their place, and the labels of every finding's code."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from monev.core.checks import LABEL_JENIS, Jenis, Sisi, label_jenis, per_sel
from monev.core.codes import Tingkat
from monev.core.evaluation import evaluate
from monev.core.model import Indikator, Node, Renja
from monev.core.rules import Agregasi, Pengaturan

KODE = "2.07.03.2.01.01"


def q(*values):
    return tuple(None if v is None else D(v) for v in values)


def _found(indikator=(), *, pagu=None, rp=(None, None, None, None), triwulan=4, pengaturan=None):
    node = Node(
        KODE,
        Tingkat.SUB_KEGIATAN,
        indikator=tuple(indikator),
        pagu=None if pagu is None else D(pagu),
        triwulan_rp=q(*rp),
        agregasi_rp=Agregasi.AKUMULATIF,
    )
    return evaluate(Renja((node,)), triwulan, pengaturan).pemeriksaan


def _places(found, jenis):
    return {(p.kode, p.nomor_indikator, p.triwulan, p.sisi) for p in found if p.jenis == jenis}


def k(satuan="", target=None, triwulan=(None, None, None, None), agregasi=Agregasi.PROGRESIF, **kw):
    return Indikator(
        "uji",
        satuan=satuan,
        target=None if target is None else D(target),
        triwulan=q(*triwulan),
        agregasi=agregasi,
        **kw,
    )


def test_negative_realisation_is_flagged_on_its_cell_for_k_and_rp():
    found = _found(
        [k(target="10", triwulan=("2", "-1", None, None), agregasi=Agregasi.AKUMULATIF)],
        pagu="100",
        rp=("10", None, "-5", None),
    )
    assert _places(found, Jenis.REALISASI_NEGATIF) == {
        (KODE, 0, 2, Sisi.K),
        (KODE, None, 3, Sisi.RP),
    }


@pytest.mark.parametrize(
    ("realisasi", "batas", "flagged"),
    [
        ("150", D(150), False),  # at the threshold: not above it
        ("150.01", D(150), True),
        ("150.004", D(150), False),  # rounds to 150,00
        ("120", D(100), True),  # a pemda's own threshold
        ("900", None, False),  # switched off
    ],
)
def test_capaian_above_the_threshold_is_flagged(realisasi, batas, flagged):
    found = _found(
        [k(target="100", triwulan=(None, realisasi, None, None))],
        pengaturan=Pengaturan(batas_capaian_wajar=batas),
    )
    expected = {(KODE, 0, 2, Sisi.K)} if flagged else set()
    assert _places(found, Jenis.CAPAIAN_TIDAK_WAJAR) == expected


@pytest.mark.parametrize(
    ("satuan", "target", "value", "flagged"),
    [
        ("dokumen", "8", "100", True),  # "100 (%)" typed for 8 documents
        ("orang", "50", "95", True),
        ("Orang/tahun", "8", "90", True),
        ("dokumen", "8", "8", False),  # the count itself
        ("dokumen", "8", "89", False),  # below the per cent range
        ("dokumen", "70", "100", False),  # 143 %: plausible overachievement
        ("dokumen", "100", "100", False),  # a target of 100 things
        ("indeks", "8", "100", False),  # not a count unit
    ],
)
def test_per_cent_typed_on_a_count_unit_is_flagged(satuan, target, value, flagged):
    found = _found([k(satuan, target, (value, None, None, None))], triwulan=1)
    expected = {(KODE, 0, 1, Sisi.K)} if flagged else set()
    assert _places(found, Jenis.SATUAN_JUMLAH_TERISI_PERSEN) == expected


@pytest.mark.parametrize(
    ("values", "volume", "places"),
    [
        (("40", "101", None, None), "", {(KODE, 0, 2, Sisi.K)}),  # above 100 on a per cent
        (("40", "100", None, None), "", set()),
        ((None, "8", None, None), "8 dokumen", {(KODE, 0, 2, Sisi.K)}),  # the volume typed
        ((None, "100", None, None), "8 dokumen", set()),
    ],
)
def test_implausible_value_on_a_per_cent_unit_is_flagged(values, volume, places):
    found = _found([k("%", "100", values, target_volume=volume)], triwulan=2)
    assert _places(found, Jenis.SATUAN_PERSEN_TIDAK_WAJAR) == places


def test_existing_checks_carry_their_place():
    found = _found(
        [
            k(target="10", triwulan=("5", "4", None, None)),  # progresif falls in TW II
            k(triwulan=("3", None, None, None)),  # no target
        ],
        pagu="100",
        rp=("80", "30", None, None),  # akumulatif: 110 > 100 up to TW II
        triwulan=2,
    )
    assert _places(found, Jenis.NILAI_KUMULATIF_TURUN) == {(KODE, 0, 2, Sisi.K)}
    assert _places(found, Jenis.REALISASI_TANPA_TARGET) == {(KODE, 1, 1, Sisi.K)}
    assert _places(found, Jenis.REALISASI_MELEBIHI_PAGU) == {(KODE, None, 2, Sisi.RP)}
    cells = per_sel(found)
    assert [p.jenis for p in cells[(KODE, 0, 2, Sisi.K)]] == [Jenis.NILAI_KUMULATIF_TURUN]


def test_plausible_figures_give_no_warning():
    assert not _found(
        [k("dokumen", "8", ("2", "4", "6", "8")), k("%", "100", ("25", "50", "75", "100"))],
        pagu="1000",
        rp=("100", "200", "300", "400"),
    )


def test_every_code_has_an_indonesian_label():
    assert set(LABEL_JENIS) == set(Jenis)
    assert label_jenis("pagu_anak_tidak_sama") == "Pagu anak tidak sama dengan pagu induk"
    assert label_jenis("kode_lain") == "kode_lain"
    found = _found([k(triwulan=("3", None, None, None))], triwulan=1)
    assert [p.label for p in found] == ["Realisasi tanpa target"]
