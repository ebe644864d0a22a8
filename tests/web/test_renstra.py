"""The Renstra in the database: import, edits recorded, links, columns 6 and 7 of the E.81."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from monev.io.flat import InputError
from monev.io.renstra_flat import read_renstra
from monev.renstra import selectors, services
from monev.renstra.models import (
    IndikatorRenstra,
    PemetaanKode,
    Renstra,
    SimpulRenstra,
    TahunIndikator,
    TautanIndikator,
)
from monev.web import services as web_services
from monev.web.models import RealisasiK, Riwayat
from monev.web.selectors import renja_evaluasi
from tests.web.renstra_helpers import (
    KEGIATAN,
    PROGRAM,
    RENSTRA_CSV,
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
        user=admin, perangkat_daerah=contoh_pd(), periode=renstra_periode(), sumber="contoh.csv"
    )


def _renja(admin, tahun, renstra, **kw):
    renja = web_services.renja_import(
        user=admin, perangkat_daerah=contoh_pd(), tahun=tahun, renja=renja_core(**kw)
    )
    services.tautan_terapkan(user=admin, renja=renja, renstra=renstra)
    return renja


def _lines(renja):
    return {b.node.kode: b for b in renja_evaluasi(renja, 4).baris}


def test_import_saves_the_tree_targets_per_year_and_the_history(renstra):
    assert renstra.tahun_awal == 2024 and renstra.tahun_akhir == 2028
    nodes = list(SimpulRenstra.objects.filter(renstra=renstra).order_by("urutan"))
    assert [n.kode for n in nodes] == [PROGRAM, KEGIATAN, SUB]
    assert nodes[1].induk == nodes[0] and nodes[2].induk == nodes[1]
    assert nodes[0].target_akhir_rp == D(5000000000)
    item = IndikatorRenstra.objects.get(simpul=nodes[1])
    assert (item.agregasi, item.target_akhir) == ("akumulatif", D(30))
    assert [t.target for t in TahunIndikator.objects.filter(indikator=item)] == [D(6)] * 5
    records = Riwayat.objects.filter(keterangan__startswith=services.label(renstra))
    assert records.filter(jenis=Riwayat.Jenis.IMPOR).count() == 1
    assert records.filter(kolom=PROGRAM, nilai_baru="ditambahkan").exists()


def test_import_again_updates_in_place_keeps_links_and_records_the_change(admin, renstra):
    renja = _renja(admin, 2024, renstra)
    linked = TautanIndikator.objects.filter(indikator__simpul__renja=renja).count()
    assert linked == 3
    services.renstra_import(
        user=admin,
        perangkat_daerah=contoh_pd(),
        periode=renstra_periode(RENSTRA_CSV.replace(",30,", ",31,")),
    )
    assert IndikatorRenstra.objects.get(
        simpul__kode=KEGIATAN, simpul__renstra=renstra
    ).target_akhir == D(31)
    assert TautanIndikator.objects.filter(indikator__simpul__renja=renja).count() == linked
    change = Riwayat.objects.filter(kolom=f"{KEGIATAN} ind.1 target_akhir").first()
    assert (change.nilai_lama, change.nilai_baru) == ("30", "31")  # the newest first


def test_a_bad_renstra_file_names_every_problem_with_its_place():
    text = RENSTRA_CSV.replace("2.16.03.2.02,kegiatan", "2.16.03.2.02,kegitan").replace(
        ",90,5000000000", ",sembilan,5000000000"
    )
    with pytest.raises(InputError) as caught:
        read_renstra(Path("r.csv"), 2024, 2028, text.encode())
    messages = [str(m) for m in caught.value.masalah]
    assert any("baris 3" in m and "kegitan" in m for m in messages)
    assert any("baris 2" in m and "target_akhir_k" in m for m in messages)
    with pytest.raises(InputError, match="di luar periode"):
        read_renstra(Path("r.csv"), 2025, 2029, RENSTRA_CSV.encode())


def test_operator_cannot_import_a_renstra(users):
    with pytest.raises(Exception, match="admin"):
        services.renstra_import(
            user=users["operator2"], perangkat_daerah=contoh_pd(), periode=renstra_periode()
        )
    assert not Renstra.objects.filter(tahun_awal=2024).exists()


def test_web_edit_is_recorded_and_manual_realisation_refused_for_a_monev_year(admin, renstra):
    _renja(admin, 2024, renstra)
    row = TahunIndikator.objects.get(indikator__simpul__kode=KEGIATAN, tahun=2025)
    row.target = D(7)
    services.objek_simpan(user=admin, obj=row)
    change = Riwayat.objects.get(kolom=f"TahunIndikator {row.pk} target")
    assert (change.nilai_lama, change.nilai_baru) == ("6", "7")
    held = TahunIndikator.objects.get(indikator__simpul__kode=KEGIATAN, tahun=2024)
    held.realisasi_manual = D(5)
    with pytest.raises(ValidationError, match="Renja 2024 ada di monev"):
        services.objek_simpan(user=admin, obj=held)


def test_admin_pages_of_the_renstra_open(client_for, renstra):
    client = client_for("admin")
    for path in ("/admin/renstra/renstra/", f"/admin/renstra/renstra/{renstra.pk}/change/"):
        assert client.get(path).status_code == 200


# -- columns 6 and 7 --------------------------------------------------------------------------


def test_column_6_comes_from_the_renstra(admin, renstra):
    lines = _lines(_renja(admin, 2024, renstra))
    assert lines[PROGRAM].indikator.target_renstra == D(90)
    assert lines[KEGIATAN].indikator.target_renstra == D(30)
    assert lines[PROGRAM].rp.target_renstra == D(5000000000)


@pytest.mark.parametrize(
    ("kode", "expected"),
    [
        (PROGRAM, D(72)),  # progresif: the level reached at the end of 2024
        (KEGIATAN, D(6)),  # akumulatif: 1 + 2 + 2 + 1
        (SUB, D("3.5")),  # rata_rata: the year's mean, a level
    ],
)
def test_second_year_column_7_is_the_first_years_verified_realisation(
    admin, renstra, kode, expected
):
    first = _renja(admin, 2024, renstra)
    verify_year(first)
    line = _lines(_renja(admin, 2025, renstra))[kode]
    assert line.indikator.realisasi_lalu == expected


def test_second_year_column_7_rp_is_the_sum_and_columns_14_15_follow(admin, renstra):
    verify_year(_renja(admin, 2024, renstra))
    lines = _lines(_renja(admin, 2025, renstra))
    assert lines[SUB].rp.realisasi_lalu == D(1000)  # 100 + 200 + 300 + 400
    assert lines[SUB].rp.renstra_realisasi == D(2000)  # 7 + 13
    kegiatan = lines[KEGIATAN]
    assert kegiatan.renstra_realisasi == D(12)  # akumulatif: 6 + 6
    assert kegiatan.renstra_capaian == D(40)  # 12 / 30
    program = lines[PROGRAM]
    assert program.renstra_realisasi == D(72)  # a level: this year's
    assert program.renstra_capaian == D(80)  # 72 / 90


def test_an_unverified_first_year_does_not_carry_and_its_changes_do_not_either(admin, renstra):
    first = _renja(admin, 2024, renstra)
    second = _renja(admin, 2025, renstra)
    assert _lines(second)[KEGIATAN].indikator.realisasi_lalu is None
    row = RealisasiK.objects.get(
        indikator__simpul__renja=first, indikator__simpul__kode=KEGIATAN, triwulan=1
    )
    row.nilai = D(40)
    row.save()
    assert _lines(second)[KEGIATAN].indikator.realisasi_lalu is None
    verify_year(first)
    assert _lines(second)[KEGIATAN].indikator.realisasi_lalu == D(45)
    row.nilai = D(1)  # a change after acceptance (an unlock) does not move the record
    row.save()
    assert _lines(second)[KEGIATAN].indikator.realisasi_lalu == D(45)


def test_a_code_renamed_through_the_mapping_keeps_the_history_and_column_7(admin, renstra):
    verify_year(_renja(admin, 2024, renstra))
    PemetaanKode.objects.create(
        versi="900.1-2850/2025", tahun_berlaku=2025, kode_lama=SUB, kode_baru="2.16.03.2.02.0003"
    )
    second = _renja(admin, 2025, renstra, sub_kode="2.16.03.2.02.0003")
    usul = {u.simpul.kode: u for u in selectors.usul_tautan(second, renstra).simpul}
    assert usul["2.16.03.2.02.0003"].simpul_renstra.kode == SUB
    assert usul["2.16.03.2.02.0003"].tertaut
    line = _lines(second)["2.16.03.2.02.0003"]
    assert line.indikator.realisasi_lalu == D("3.5")
    assert line.rp.realisasi_lalu == D(1000)


def test_a_year_before_monev_takes_the_realisation_entered_by_hand(admin):
    text = RENSTRA_CSV.replace(
        "k_2024,rp_2024,", "k_2024,rp_2024,realisasi_k_2024,realisasi_rp_2024,"
    )
    lines = text.splitlines()
    lines[1] = lines[1].replace(",70,1000000000,", ",70,1000000000,68,900,")
    lines[2] = lines[2].replace(",6,,6,", ",6,,5,,6,", 1)
    lines[3] = lines[3].replace(",3.5,,3.6,", ",3.5,,3.4,,3.6,", 1)
    renstra = services.renstra_import(
        user=admin, perangkat_daerah=contoh_pd(), periode=renstra_periode("\n".join(lines) + "\n")
    )
    got = _lines(_renja(admin, 2025, renstra))
    assert got[PROGRAM].indikator.realisasi_lalu == D(68)
    assert got[KEGIATAN].indikator.realisasi_lalu == D(5)
    assert got[PROGRAM].rp.realisasi_lalu == D(900)


def test_an_unlinked_renja_keeps_its_typed_columns(disnaker):
    line = next(iter(renja_evaluasi(disnaker, 4).baris))
    assert line.indikator.target_renstra == D(100) and line.indikator.realisasi_lalu == D(100)


def test_code_mapping_csv_is_loaded_and_bad_lines_are_named(admin):
    good = b"versi,tahun_berlaku,kode_lama,kode_baru\n900.1-2850/2025,2025,2.16.03.2.02.01,2.16.03.2.02.0003\n"
    assert services.pemetaan_import(user=admin, data=good, berkas="p.csv") == 1
    assert PemetaanKode.objects.get().kode_baru == "2.16.03.2.02.0003"
    bad = b"versi,tahun_berlaku,kode_lama,kode_baru\nv,dua ribu,1.02,1.03\n"
    with pytest.raises(ValidationError, match=r"p\.csv, baris 2, kolom tahun_berlaku"):
        services.pemetaan_import(user=admin, data=bad, berkas="p.csv")


def test_admin_form_refuses_manual_realisation_for_a_monev_year_and_records_an_edit(
    client_for, admin, renstra
):
    _renja(admin, 2024, renstra)
    row = TahunIndikator.objects.get(indikator__simpul__kode=KEGIATAN, tahun=2024)
    url = f"/admin/renstra/tahunindikator/{row.pk}/change/"
    client = client_for("admin")
    form = {"indikator": row.indikator_id, "tahun": 2024, "target": "6", "realisasi_manual": "5"}
    refused = client.post(url, form)
    assert refused.status_code == 200 and "Renja 2024 ada di monev" in refused.content.decode()
    row.refresh_from_db()
    assert row.realisasi_manual is None
    saved = client.post(url, {**form, "target": "7", "realisasi_manual": ""})
    assert saved.status_code == 302
    change = Riwayat.objects.get(kolom=f"TahunIndikator {row.pk} target")
    assert (change.nilai_lama, change.nilai_baru, change.pengguna) == ("6", "7", admin)
