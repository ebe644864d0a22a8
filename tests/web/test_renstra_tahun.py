"""The next year in one step, and the Renja perubahan (each quarter on the version in force)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from monev.renstra import perubahan as perubahan_mod
from monev.renstra import salin, services
from monev.renstra.banding import banding
from monev.renstra.models import PemetaanKode, PerubahanRenja, TautanIndikator
from monev.web import services as web_services
from monev.web.models import Indikator, LaporanTriwulan, RealisasiK, Renja
from monev.web.selectors import renja_evaluasi
from tests.web.renstra_helpers import (
    KEGIATAN,
    PROGRAM,
    SUB,
    contoh_pd,
    renja_core,
    renstra_periode,
    verify_year,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(users):
    return users["admin"]


@pytest.fixture
def renstra(admin):
    return services.renstra_import(
        user=admin, perangkat_daerah=contoh_pd(), periode=renstra_periode()
    )


@pytest.fixture
def first(admin, renstra):
    renja = web_services.renja_import(
        user=admin, perangkat_daerah=contoh_pd(), tahun=2024, renja=renja_core()
    )
    services.tautan_terapkan(user=admin, renja=renja, renstra=renstra)
    return renja


def test_next_year_carries_tree_links_and_takes_that_years_targets(admin, renstra, first):
    verify_year(first)
    hasil = salin.renja_tahun_berikut(
        user=admin, perangkat_daerah=contoh_pd(), tahun=2025, asal=first
    )
    renja = hasil.renja
    assert [s.split()[0] for s in hasil.dibawa] == [PROGRAM, KEGIATAN, SUB]
    assert hasil.baru == [] and hasil.tanpa_target == []
    targets = {
        i.simpul.kode: i.target
        for i in Indikator.objects.filter(simpul__renja=renja).select_related("simpul")
    }
    assert targets == {PROGRAM: D(75), KEGIATAN: D(6), SUB: D("3.6")}
    assert TautanIndikator.objects.filter(indikator__simpul__renja=renja).count() == 3
    assert all(s.pagu is None for s in renja.simpul.all())  # ready for the budget
    line = next(b for b in renja_evaluasi(renja, 4).baris if b.node.kode == KEGIATAN)
    assert line.indikator.realisasi_lalu == D(6)  # the first year's verified realisation


def test_next_year_renames_through_the_mapping_and_adds_new_renstra_nodes(admin, renstra, first):
    PemetaanKode.objects.create(
        versi="v2025", tahun_berlaku=2025, kode_lama=SUB, kode_baru="2.16.03.2.02.0003"
    )
    Indikator.objects.filter(simpul__renja=first, simpul__kode=SUB).delete()
    first.simpul.filter(kode=SUB).delete()  # year N lacked the sub kegiatan: the Renstra adds it
    hasil = salin.renja_tahun_berikut(
        user=admin, perangkat_daerah=contoh_pd(), tahun=2025, asal=first
    )
    assert hasil.baru == ["2.16.03.2.02.0003 Sub kegiatan contoh"]
    kode = set(hasil.renja.simpul.values_list("kode", flat=True))
    assert kode == {PROGRAM, KEGIATAN, "2.16.03.2.02.0003"}


def test_next_year_from_the_renstra_alone(admin, renstra):
    hasil = salin.renja_tahun_berikut(user=admin, perangkat_daerah=contoh_pd(), tahun=2026)
    assert len(hasil.baru) == 3 and hasil.dibawa == []
    assert set(
        Indikator.objects.filter(simpul__renja=hasil.renja).values_list("target", flat=True)
    ) == {
        D(80),
        D(6),
        D("3.7"),
    }


def test_next_year_is_refused_when_the_year_exists(admin, renstra, first):
    with pytest.raises(ValidationError, match="sudah ada"):
        salin.renja_tahun_berikut(user=admin, perangkat_daerah=contoh_pd(), tahun=2024)


# -- perubahan ---------------------------------------------------------------------------------


@pytest.fixture
def perubahan(admin, first):
    renja = perubahan_mod.renja_perubahan(
        user=admin, renja=first, triwulan_mulai=3, alasan="APBD-P"
    )
    item = Indikator.objects.get(simpul__renja=renja, simpul__kode=KEGIATAN)
    perubahan_mod.perubahan_target_update(user=admin, indikator=item, target=D(4), versi=None)
    sub = renja.simpul.get(kode=SUB)
    perubahan_mod.perubahan_pagu_update(user=admin, simpul=sub, pagu=D(800), versi=None)
    return renja


def test_perubahan_carries_the_realisations_and_keeps_both_versions(first, perubahan):
    first.refresh_from_db()
    assert not first.berlaku and perubahan.berlaku
    assert (
        RealisasiK.objects.filter(indikator__simpul__renja=perubahan).count()
        == RealisasiK.objects.filter(indikator__simpul__renja=first).count()
    )
    assert TautanIndikator.objects.filter(indikator__simpul__renja=perubahan).count() == 3
    assert Renja.objects.filter(perangkat_daerah=contoh_pd(), tahun=2024).count() == 2


@pytest.mark.parametrize(
    ("triwulan", "versi", "target"),
    [(1, "murni", D(6)), (2, "murni", D(6)), (3, "perubahan", D(4)), (4, "perubahan", D(4))],
)
def test_each_quarter_is_evaluated_on_the_version_in_force_at_its_end(
    first, perubahan, triwulan, versi, target
):
    renja = perubahan_mod.versi_berlaku(perubahan, triwulan)
    assert renja.versi == versi
    line = next(b for b in renja_evaluasi(renja, triwulan).baris if b.node.kode == KEGIATAN)
    assert line.indikator.target == target


def test_version_line_of_the_e81_title(first, perubahan):
    assert perubahan_mod.keterangan_versi(perubahan) == "Renja Perubahan (berlaku mulai TW III)"
    assert perubahan_mod.keterangan_versi(first) == "Renja Murni (berlaku sampai TW II)"


def test_comparison_lists_every_change_with_who_and_when(admin, perubahan):
    hasil = banding(PerubahanRenja.objects.get(renja=perubahan))
    assert {(b.kode, b.kolom, b.murni, b.perubahan) for b in hasil.beda} == {
        (KEGIATAN, "target", "6", "4"),
        (SUB, "pagu", "1.000", "800"),
    }
    assert [r.jenis for r in hasil.riwayat] == ["versi", "target", "pagu"]
    assert all(r.pengguna == admin for r in hasil.riwayat)


def test_perubahan_is_refused_from_a_quarter_already_verified(admin, first):
    LaporanTriwulan.objects.create(
        renja=first, triwulan=3, status=LaporanTriwulan.Status.DIVERIFIKASI
    )
    with pytest.raises(ValidationError, match="TW III"):
        perubahan_mod.renja_perubahan(user=admin, renja=first, triwulan_mulai=3)
    assert not Renja.objects.filter(tahun=2024, versi="perubahan").exists()


def test_second_year_column_7_uses_the_version_in_force_at_year_end(
    admin, renstra, first, perubahan
):
    RealisasiK.objects.filter(
        indikator__simpul__renja=perubahan, indikator__simpul__kode=KEGIATAN, triwulan=4
    ).update(nilai=D(3))
    verify_year(perubahan)
    hasil = salin.renja_tahun_berikut(
        user=admin, perangkat_daerah=contoh_pd(), tahun=2025, asal=perubahan
    )
    line = next(b for b in renja_evaluasi(hasil.renja, 4).baris if b.node.kode == KEGIATAN)
    assert line.indikator.realisasi_lalu == D(8)  # 1 + 2 + 2 + 3 from the perubahan


def test_perubahan_plan_from_a_file_adds_and_drops_nodes_and_realisations_follow_by_code(
    admin, first
):
    from monev.core import model as core
    from monev.core.codes import Tingkat

    plan = renja_core()
    added = core.Node(
        "2.16.03.2.02.0009", Tingkat.SUB_KEGIATAN, "Sub kegiatan baru (contoh)", pagu=D(50)
    )
    rencana = core.Renja((plan.nodes[0], plan.nodes[1], added))  # SUB dropped, one added
    renja = perubahan_mod.renja_perubahan(
        user=admin, renja=first, triwulan_mulai=3, rencana=rencana
    )
    assert set(renja.simpul.values_list("kode", flat=True)) == {
        PROGRAM,
        KEGIATAN,
        "2.16.03.2.02.0009",
    }
    carried = RealisasiK.objects.filter(
        indikator__simpul__renja=renja, indikator__simpul__kode=KEGIATAN
    )
    assert sorted(r.nilai for r in carried) == [D(1), D(1), D(2), D(2)]
    kinds = {(b.kode, b.perubahan) for b in banding(PerubahanRenja.objects.get(renja=renja)).beda}
    assert (SUB, "dihapus") in kinds and ("2.16.03.2.02.0009", "ditambahkan") in kinds


def test_perubahan_plan_is_locked_once_a_quarter_it_is_in_force_for_is_verified(admin, perubahan):
    LaporanTriwulan.objects.create(
        renja=perubahan, triwulan=3, status=LaporanTriwulan.Status.DIVERIFIKASI
    )
    item = Indikator.objects.get(simpul__renja=perubahan, simpul__kode=KEGIATAN)
    with pytest.raises(ValidationError, match="TW III Renja perubahan"):
        perubahan_mod.perubahan_target_update(user=admin, indikator=item, target=D(9), versi=None)
