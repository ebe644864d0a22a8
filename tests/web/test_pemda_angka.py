"""The figures kept as rows (`monev.pemda.angka`): the database's group figures over them equal the
engine's consolidation to the cent, at every quarter, on generated pemda; a refresh writes only
what changed; rows travel between servers whole or not at all."""

from __future__ import annotations

from decimal import Decimal

import pytest

from monev.core.aggregate import Jumlahan, capaian_int, capaian_of, sen_int, total_of_sums
from monev.core.consolidation import Bagian, consolidate
from monev.core.evaluation import evaluate
from monev.core.numbers import round_half_up
from monev.core.rules import Pengaturan, Total, total
from monev.pemda import angka, angka_sql
from monev.pemda.angka_sql import Kelompok
from monev.pemda.models import AngkaIndikator, AngkaSimpul, AngkaTanda
from monev.pemda.muat import load_renja
from monev.web import selectors as web_selectors
from monev.web import services
from monev.web.models import Indikator, Pemda
from monev.web.pengaturan import pengaturan_of

from .angka_helpers import generated_pemda
from .test_snapshot import accept


def _shown(t: Total) -> tuple:
    """A group's figures as a page shows them."""

    def r(v):
        return None if v is None else round_half_up(v, 2)

    return (
        r(t.rata_rata_capaian_k),
        t.predikat_k,
        t.pagu,
        t.realisasi_rp,
        r(t.persen_realisasi_rp),
        t.predikat_rp,
    )


def _core(renja, triwulan):
    """Return the engine's consolidation of these Renja at a quarter."""
    loaded = load_renja(renja)
    pengaturan = pengaturan_of(renja[0].perangkat_daerah.pemda)
    bagian = [
        Bagian(
            r.perangkat_daerah.nama,
            r.pk,
            evaluate(loaded[r.pk].core, triwulan, pengaturan).ringkasan,
        )
        for r in renja
    ]
    return consolidate(bagian, pengaturan), pengaturan


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_group_figures_equal_the_engines_consolidation_at_every_quarter(users, seed):
    pemda, renja = generated_pemda(users["admin"], f"Kabupaten Uji {seed}", seed=seed)
    angka.refresh(renja)
    for q in (1, 2, 3, 4):
        hasil, pengaturan = _core(renja, q)
        by_urusan = angka_sql.totals([pemda.pk], 2022, q, pengaturan, Kelompok.URUSAN)
        by_bidang = angka_sql.totals([pemda.pk], 2022, q, pengaturan, Kelompok.BIDANG)
        by_program = angka_sql.totals([pemda.pk], 2022, q, pengaturan, Kelompok.PROGRAM_PD)
        assert _shown(angka_sql.total([pemda.pk], 2022, q, pengaturan)) == _shown(hasil.total)
        assert sorted(by_urusan) == [u.kode for u in hasil.urusan]
        for u in hasil.urusan:
            assert _shown(by_urusan[u.kode]) == _shown(u.total), (q, u.kode)
            for b in u.bidang:
                assert _shown(by_bidang[b.kode]) == _shown(b.total), (q, b.kode)
                for p in b.program:
                    pd = next(r.perangkat_daerah for r in renja if r.pk == p.ref)
                    own = by_program[(pemda.pk, pd.kode, p.program.kode)]
                    assert _shown(own) == _shown(
                        Total(
                            p.program.rata_rata_capaian_kegiatan,
                            p.program.predikat_kegiatan,
                            p.program.pagu,
                            p.program.realisasi_rp,
                            p.program.persen_realisasi_rp,
                            p.program.predikat_rp,
                        )
                    )


def test_the_figures_over_several_pemda_are_those_of_all_their_programs(users):
    first, a = generated_pemda(users["admin"], "Kabupaten Satu", seed=11)
    second, b = generated_pemda(users["admin"], "Kota Dua", seed=12, jumlah_pd=2)
    angka.refresh(a + b)
    hasil, pengaturan = _core(a + b, 3)
    both = angka_sql.total([first.pk, second.pk], 2022, 3, pengaturan)
    assert _shown(both) == _shown(hasil.total)
    per_pemda = angka_sql.totals([first.pk, second.pk], 2022, 3, pengaturan, Kelompok.PEMDA)
    assert _shown(per_pemda[first.pk]) == _shown(_core(a, 3)[0].total)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["12.344999994", "12.345000006"], "12.35"),  # the exact mean 12.345: half up
        (["0.005", "0.004"], "0.00"),  # 0.0045
        (["100", "100", "99.985"], "100.00"),  # 99.995
        (["33.333333333333333", "33.333333333333333", "33.333333333333334"], "33.33"),
    ],
)
def test_a_mean_over_stored_capaian_rounds_as_the_engines(values, expected):
    decimals = [Decimal(v) for v in values]
    stored = [capaian_int(v) for v in decimals]
    found = total_of_sums(
        Jumlahan(capaian_sum=sum(stored), capaian_count=len(stored)), Pengaturan()
    )
    engine = total(decimals, [], Pengaturan())
    assert round_half_up(found.rata_rata_capaian_k, 2) == Decimal(expected)
    assert round_half_up(engine.rata_rata_capaian_k, 2) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "stored"),
    [("12.345678905", 1234567891), ("-0.000000005", -1), ("0", 0), ("250", 25000000000)],
)
def test_a_capaian_is_stored_as_an_integer_rounded_half_up(value, stored):
    assert capaian_int(Decimal(value)) == stored
    assert capaian_of(stored) == Decimal(stored) / 10**8


def test_an_amount_is_stored_in_sen():
    assert sen_int(Decimal("1234567.89")) == 123456789
    assert sen_int(None) is None


def test_a_renja_unchanged_is_not_evaluated_again(users, disnaker):
    assert angka.refresh([disnaker])
    assert angka.refresh([disnaker]) == {}


def test_a_cell_save_rewrites_only_the_rows_it_moves(users, disnaker):
    angka.refresh([disnaker])
    before = {
        (r["triwulan"], r["urutan"]): r
        for r in AngkaIndikator.objects.filter(renja=disnaker).values()
    }
    indikator = Indikator.objects.filter(simpul__renja=disnaker, target__gt=0).first()
    services.realisasi_k_update(
        user=users["admin"],
        indikator=indikator,
        triwulan=2,
        nilai=Decimal("1.5"),
        versi=web_selectors.versi_k(indikator, 2),
    )
    written = angka.write_rows(
        disnaker,
        "uji",
        angka.evaluate_year(load_renja([disnaker])[disnaker.pk], pengaturan_of(None), {}),
        set(),
    )
    after = {
        (r["triwulan"], r["urutan"]): r
        for r in AngkaIndikator.objects.filter(renja=disnaker).values()
    }
    changed = [k for k in after if after[k] != before[k]]
    assert 0 < len(changed) <= 8  # the line at TW II–IV (and no other line)
    assert written == (len(changed), 0)
    assert all(after[k]["indikator_ref"] == indikator.pk for k in changed)


def test_rows_follow_every_kind_of_change(users, disnaker):
    angka.refresh([disnaker])
    indikator = Indikator.objects.filter(simpul__renja=disnaker, target__gt=0).first()
    services.realisasi_k_update(
        user=users["admin"],
        indikator=indikator,
        triwulan=1,
        nilai=Decimal("77"),
        versi=web_selectors.versi_k(indikator, 1),
    )
    angka.refresh([disnaker])
    fresh = evaluate(load_renja([disnaker])[disnaker.pk].core, 1, pengaturan_of(None))
    line = next(b for b in fresh.baris if b.indikator.ref == indikator.pk)
    stored = AngkaIndikator.objects.get(renja=disnaker, triwulan=1, indikator_ref=indikator.pk)
    assert stored.capaian == capaian_int(line.capaian)


def test_verified_rows_travel_to_another_server_whole(users, disnaker):
    with pytest.raises(ValueError, match="belum diverifikasi"):
        angka.export_rows(disnaker, 1)
    accept(users, disnaker, 1)
    doc = angka.export_rows(disnaker, 1)
    assert doc["perangkat_daerah"]["kode"] == disnaker.perangkat_daerah.kode
    other = Pemda.objects.create(nama="Kabupaten Jauh")
    written = angka.import_rows(doc, pemda=other, sumber="server-b")
    assert written == len(doc["simpul"]) + len(doc["indikator"]) > 0
    pulled = angka_sql.total([other.pk], 2022, 1, pengaturan_of(None))
    assert _shown(pulled) == _shown(_core([disnaker], 1)[0].total)
    assert AngkaIndikator.objects.filter(
        pemda=other, terverifikasi=True, sumber="server-b"
    ).exists()
    assert angka.import_rows(doc, pemda=other, sumber="server-b") == written  # replaced
    assert AngkaIndikator.objects.filter(pemda=other).count() == len(doc["indikator"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: {**d, "indikator": [{**d["indikator"][0], "capaian": "abc"}]}, "kolom capaian"),
        (lambda d: {**d, "triwulan": 5}, "triwulan 5"),
        (lambda d: {**d, "versi": 9}, "versi dokumen"),
        (lambda d: {**d, "simpul": [{**d["simpul"][0], "kode": None}]}, "kolom kode wajib"),
    ],
)
def test_a_broken_document_writes_nothing(users, disnaker, change, message):
    accept(users, disnaker, 1)
    doc = angka.export_rows(disnaker, 1)
    other = Pemda.objects.create(nama="Kabupaten Jauh")
    with pytest.raises(angka.AngkaImportError, match=message):
        angka.import_rows(change(doc), pemda=other, sumber="server-b")
    assert not AngkaIndikator.objects.filter(pemda=other).exists()


def test_forget_leaves_pulled_rows(users, disnaker):
    angka.refresh([disnaker])
    angka.forget()
    assert not AngkaTanda.objects.exists()
    assert not AngkaSimpul.objects.filter(renja=disnaker).exists()
