"""The demo's five-year plan: the real 2022 report becomes the second year of a period monev
holds, and its printed figures come out of the Renstra and the verified 2021 unchanged."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from monev.core.renstra import Sumber, evaluate_renstra
from monev.renstra import perubahan as perubahan_mod
from monev.renstra import selectors
from monev.renstra.demo import load_tahun_contoh
from monev.renstra.models import Renstra
from monev.web.models import Renja, Simpul
from monev.web.selectors import renja_evaluasi

pytestmark = pytest.mark.django_db


def _figures(renja):
    out = {}
    for b in renja_evaluasi(renja, 3).baris:
        rp = b.rp
        out[(b.node.kode, b.nomor_indikator)] = (
            b.indikator.target_renstra,
            b.indikator.realisasi_lalu,
            b.renstra_realisasi,
            b.renstra_capaian,
            rp and (rp.target_renstra, rp.realisasi_lalu, rp.renstra_realisasi, rp.renstra_capaian),
        )
    return out


def test_the_reference_year_keeps_every_printed_figure_once_it_is_the_second_year(disnaker):
    before = _figures(disnaker)
    assert load_tahun_contoh() is True
    assert load_tahun_contoh() is False  # once only
    kolom = selectors.kolom_renstra(disnaker)
    assert kolom is not None and len(kolom.k) == 12  # every program indicator comes from the plan
    assert _figures(disnaker) == before


def test_second_year_column_7_is_2021_verified_plus_the_years_entered_by_hand(disnaker):
    load_tahun_contoh()
    program = Simpul.objects.get(renja=disnaker, kode="2.07.01")
    kolom = selectors.kolom_renstra(disnaker)
    assert kolom.rp[program.pk][1] == D("16350339961")  # the report's column 7
    sources = {v.tahun: v.sumber for v in next(iter(kolom.asal_k.values()))}
    assert sources == {2019: Sumber.MANUAL, 2020: Sumber.MANUAL, 2021: Sumber.MONEV}


def test_2021_has_both_versions_each_quarter_on_the_version_in_force(disnaker):
    load_tahun_contoh()
    versions = Renja.objects.filter(perangkat_daerah=disnaker.perangkat_daerah, tahun=2021)
    assert {(r.versi, r.berlaku) for r in versions} == {("murni", False), ("perubahan", True)}
    assert all("(contoh)" in s.nama for s in Simpul.objects.filter(renja__in=versions))
    perubahan = versions.get(versi="perubahan")
    assert perubahan_mod.versi_berlaku(perubahan, 2).versi == "murni"
    assert perubahan_mod.versi_berlaku(perubahan, 3).versi == "perubahan"


def test_the_demo_renstra_has_an_e80(disnaker):
    load_tahun_contoh()
    renstra = Renstra.objects.get(perangkat_daerah=disnaker.perangkat_daerah)
    hasil = evaluate_renstra(selectors.periode(renstra), 2022)
    first = hasil.baris[0]
    assert [c.sumber_k for c in first.tahun[:4]] == [
        Sumber.MANUAL,
        Sumber.MANUAL,
        Sumber.MONEV,
        Sumber.BELUM_DIVERIFIKASI,
    ]
    assert first.rasio_sd_rp is not None
