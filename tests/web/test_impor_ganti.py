"""An import that replaces a plan (issue 14, point 6: its write transaction kept short): the old
plan goes with everything that hangs off it in a few statements, its history stays (unlinked
from the removed rows), and a change recorded between the read of the old plan (outside the
transaction) and the transaction is compared as it is then."""

from __future__ import annotations

from decimal import Decimal

import pytest

from monev.io.flat import read_flat
from monev.web import impor_tulis, services
from monev.web.models import Indikator, RealisasiK, RealisasiRp, Riwayat, Simpul

pytestmark = pytest.mark.django_db


def test_replacing_a_plan_removes_the_old_rows_and_keeps_their_history(
    users, disnaker, reference_csv
):
    old_simpul = set(Simpul.objects.filter(renja=disnaker).values_list("pk", flat=True))
    old_indikator = set(
        Indikator.objects.filter(simpul__renja=disnaker).values_list("pk", flat=True)
    )
    item = Indikator.objects.filter(simpul__renja=disnaker).select_related("simpul").first()
    kept = Riwayat.objects.create(
        pengguna=users["admin"], renja=disnaker, simpul=item.simpul, indikator=item, jenis="target"
    )
    services.renja_import(
        user=users["admin"],
        perangkat_daerah=disnaker.perangkat_daerah,
        tahun=2022,
        renja=read_flat(reference_csv),
    )
    assert not Simpul.objects.filter(pk__in=old_simpul).exists()
    assert not Indikator.objects.filter(pk__in=old_indikator).exists()
    assert not RealisasiK.objects.filter(indikator_id__in=old_indikator).exists()
    assert not RealisasiRp.objects.filter(simpul_id__in=old_simpul).exists()
    # The database no longer checks these keys itself (web 0016): no row anywhere lost its line.
    assert not RealisasiK.objects.exclude(indikator_id__in=Indikator.objects.values("pk")).exists()
    assert not RealisasiRp.objects.exclude(simpul_id__in=Simpul._base_manager.values("pk")).exists()
    assert Indikator.objects.filter(simpul__renja=disnaker).count() == 55
    kept.refresh_from_db()
    assert (kept.simpul_id, kept.indikator_id, kept.renja_id) == (None, None, disnaker.pk)


def test_a_change_recorded_while_the_new_plan_is_written_is_compared_as_it_is_then(
    users, disnaker, reference_csv, monkeypatch
):
    pd = disnaker.perangkat_daerah
    write = impor_tulis.rencana_tulis

    def change_then_write(*args, **kwargs):  # another admin saves while the import writes
        simpul = Simpul.objects.get(renja=disnaker, kode="2.07.01.2.02")
        services.simpul_pagu_update(
            user=users["admin"], simpul=simpul, pagu=Decimal(13_000_000_000), versi=simpul.versi
        )
        return write(*args, **kwargs)

    monkeypatch.setattr(impor_tulis, "rencana_tulis", change_then_write)
    services.renja_import(
        user=users["admin"], perangkat_daerah=pd, tahun=2022, renja=read_flat(reference_csv)
    )
    record = Riwayat.objects.filter(renja=disnaker, jenis="pagu", keterangan="impor").get()
    # Compared with the value stored when the import swapped (13 billion), not the one it read.
    assert (record.nilai_lama, record.nilai_baru) == ("13.000.000.000", "12.804.156.408")


def test_a_line_deleted_one_by_one_takes_its_realisations_with_it(disnaker):
    """As the Django admin deletes: the collector follows the relation from the model."""
    item = Indikator.objects.filter(simpul__renja=disnaker, realisasi__isnull=False).first()
    node = item.simpul
    assert RealisasiK.objects.filter(indikator=item).exists()
    item.delete()
    assert not RealisasiK.objects.filter(indikator_id=item.pk).exists()
    assert RealisasiRp.objects.filter(simpul=node).exists()
    Simpul._base_manager.filter(pk=node.pk).get().delete()
    assert not RealisasiRp.objects.filter(simpul_id=node.pk).exists()
