from __future__ import annotations

from decimal import Decimal as D

import pytest

from monev.core.codes import Tingkat
from monev.core.renstra import (
    IndikatorPeriode,
    JenisTemuan,
    NilaiTahun,
    RenstraPeriode,
    SimpulPeriode,
    Sumber,
    evaluate_renstra,
    realisasi_lalu,
    realisasi_lalu_rp,
)
from monev.core.rules import Agregasi, Polaritas


@pytest.mark.parametrize(
    ("agregasi", "tahunan", "expected"),
    [
        (Agregasi.AKUMULATIF, [D(10), D(15)], D(25)),
        (Agregasi.AKUMULATIF, [D(10), None, D(5)], D(15)),
        (Agregasi.AKUMULATIF, [None, None], None),
        (Agregasi.AKUMULATIF, [], None),
        (Agregasi.PROGRESIF, [D(40), D(65)], D(65)),
        (Agregasi.PROGRESIF, [D(40), None], D(40)),  # the last level given
        (Agregasi.PROGRESIF, [D(70), D(60)], D(60)),  # a level can fall
        (Agregasi.RATA_RATA, [D("3.2"), D("3.6")], D("3.6")),
        (Agregasi.RATA_RATA, [None], None),
        (Agregasi.AKUMULATIF, [D(0)], D(0)),  # a realisation of 0 is not "none"
    ],
)
def test_realisasi_lalu_follows_the_aggregation_rule(agregasi, tahunan, expected):
    assert realisasi_lalu(tahunan, agregasi) == expected


@pytest.mark.parametrize(
    ("tahunan", "expected"),
    [([D("100.50"), D("200")], D("300.50")), ([None, D(7)], D(7)), ([None], None)],
)
def test_realisasi_lalu_rp_is_the_sum_of_the_years(tahunan, expected):
    assert realisasi_lalu_rp(tahunan) == expected


def _years(*pairs, start=2016):
    return tuple(
        NilaiTahun(start + i, t, r, Sumber.MONEV if r is not None else Sumber.KOSONG)
        for i, (t, r) in enumerate(pairs)
    )


def _renstra(*simpul, awal=2016, akhir=2020):
    return RenstraPeriode(awal, akhir, tuple(simpul), "Dinas Kesehatan (contoh)")


def test_e80_names_yearly_rp_targets_that_do_not_add_up_to_the_end_target():
    # The real Dinas Kesehatan 2016–2019 E.80: five yearly targets summing to 50.621.398.000
    # against an end target of 38.592.428.000.
    yearly = [D("9000000000"), D("10000000000"), D("10621398000"), D("10500000000")]
    yearly.append(D("50621398000") - sum(yearly))
    program = SimpulPeriode(
        "1.02.02",
        Tingkat.PROGRAM,
        "Program contoh",
        target_akhir_rp=D("38592428000"),
        tahun=_years(*((t, None) for t in yearly)),
    )
    hasil = evaluate_renstra(_renstra(program))
    [temuan] = [t for t in hasil.temuan if t.jenis is JenisTemuan.TARGET_RP_TIDAK_SAMA]
    assert "50.621.398.000" in temuan.pesan and "38.592.428.000" in temuan.pesan
    assert temuan.kode == "1.02.02"


def test_e80_names_72_bulan_for_five_years_of_12_months():
    item = IndikatorPeriode(
        "Jumlah bulan pelayanan kesehatan",
        "Bulan",
        Agregasi.AKUMULATIF,
        target_akhir=D(72),
        tahun=_years(*((D(12), None) for _ in range(5))),
    )
    kegiatan = SimpulPeriode("1.02.02.2.01", Tingkat.KEGIATAN, "Kegiatan contoh", indikator=(item,))
    jenis = {t.jenis for t in evaluate_renstra(_renstra(kegiatan)).temuan}
    assert JenisTemuan.TARGET_K_TIDAK_SAMA in jenis  # 5 × 12 = 60, not 72
    assert JenisTemuan.TARGET_BULAN_MELEBIHI_PERIODE in jenis  # 72 > 60 months in the period


@pytest.mark.parametrize(
    ("agregasi", "targets", "akhir", "faulty"),
    [
        (Agregasi.AKUMULATIF, [D(10)] * 5, D(50), False),
        (Agregasi.AKUMULATIF, [D(10)] * 5, D(49), True),
        (Agregasi.PROGRESIF, [D(20), D(40), D(60), D(80), D(100)], D(100), False),
        (Agregasi.PROGRESIF, [D(20), D(40), D(60), D(80), D(90)], D(100), True),
        (Agregasi.RATA_RATA, [D("3.5")] * 5, D("3.5"), False),
        (Agregasi.PROGRESIF, [D(20), D(40), D(60), D(80), None], D(80), False),  # last given
    ],
)
def test_e80_checks_k_targets_by_the_aggregation(agregasi, targets, akhir, faulty):
    item = IndikatorPeriode(
        "x", "", agregasi, target_akhir=akhir, tahun=_years(*((t, None) for t in targets))
    )
    simpul = SimpulPeriode("1.02.02", Tingkat.PROGRAM, indikator=(item,))
    jenis = {t.jenis for t in evaluate_renstra(_renstra(simpul)).temuan}
    assert (JenisTemuan.TARGET_K_TIDAK_SAMA in jenis) is faulty


def test_e80_ratio_per_year_and_to_date():
    item = IndikatorPeriode(
        "Orang dilatih",
        "orang",
        Agregasi.AKUMULATIF,
        target_akhir=D(100),
        tahun=_years((D(20), D(10)), (D(20), D(30)), (D(20), None), (D(20), None), (D(20), None)),
    )
    simpul = SimpulPeriode(
        "1.02.02",
        Tingkat.PROGRAM,
        target_akhir_rp=D(1000),
        tahun=_years((D(200), D(150)), (D(200), D(250))),
        indikator=(item,),
    )
    hasil = evaluate_renstra(_renstra(simpul), sampai_tahun=2017)
    [line] = hasil.baris
    assert [c.rasio_k for c in line.tahun[:3]] == [D(50), D(150), None]
    assert line.tahun[0].rasio_rp == D(75)
    assert line.realisasi_sd_k == D(40) and line.rasio_sd_k == D(40)
    assert line.realisasi_sd_rp == D(400) and line.rasio_sd_rp == D(40)
    # 2016 and 2017 have realisations; 2018 on are after the evaluated year (not due yet)
    assert not [t for t in hasil.temuan if t.jenis is JenisTemuan.TAHUN_TANPA_REALISASI]


def test_e80_names_years_without_realisation_and_unverified_ones():
    tahun = (
        NilaiTahun(2016, D(10), D(10), Sumber.MANUAL),
        NilaiTahun(2017, D(10), None, Sumber.KOSONG),
        NilaiTahun(2018, D(10), None, Sumber.BELUM_DIVERIFIKASI),
    )
    item = IndikatorPeriode("x", agregasi=Agregasi.AKUMULATIF, target_akhir=D(50), tahun=tahun)
    hasil = evaluate_renstra(_renstra(SimpulPeriode("1", Tingkat.PROGRAM, indikator=(item,))), 2018)
    [missing] = [t for t in hasil.temuan if t.jenis is JenisTemuan.TAHUN_TANPA_REALISASI]
    assert "2017, 2018 (belum diverifikasi)" in missing.pesan
    assert "2016" not in missing.pesan


def test_e80_negative_indicator_uses_the_polarity_rule():
    item = IndikatorPeriode(
        "Tingkat pengangguran",
        "%",
        Agregasi.PROGRESIF,
        Polaritas.NEGATIF,
        target_akhir=D(5),
        tahun=_years((D(8), D(6))),
    )
    [line] = evaluate_renstra(
        _renstra(SimpulPeriode("1", Tingkat.PROGRAM, indikator=(item,))), 2016
    ).baris
    assert line.tahun[0].rasio_k == D(125)  # (2 × 8 − 6) / 8
    assert line.rasio_sd_k == D(80)  # (2 × 5 − 6) / 5
