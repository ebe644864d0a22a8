"""The pre-summed rows (`monev.pemda.angka_jumlah`) are always a fresh GROUP BY of the stored rows:
after saves, an amendment in force, pulls, and forget; the group figures read from them follow
the Renja in force without any sums row being rewritten."""

from __future__ import annotations

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Sum

from monev.pemda import angka, angka_jumlah, angka_sql, tarik
from monev.pemda.models import AngkaIndikator, AngkaJumlah, AngkaSimpul
from monev.web import selectors as web_selectors
from monev.web import services
from monev.web.models import Indikator, Pemda, Renja
from monev.web.pengaturan import pengaturan_of

from .angka_helpers import generated_pemda, generated_renja
from .test_pemda_angka import _core, _shown
from .test_snapshot import accept

KEY = ("renja_id", "pemda_id", "tahun", "triwulan", "sumber", "pd_kode", "urusan", "bidang")
KEY = (*KEY, "program")
EMPTY = (None, 0, None, 0, None, 0)


def _fresh() -> dict[tuple, tuple]:
    """Return the sums a GROUP BY of the counted rows gives now, per finest group."""
    out: dict[tuple, list] = {}
    for row in (
        AngkaIndikator.objects.filter(dihitung=True)
        .values(*KEY)
        .annotate(s=Sum("capaian_rata"), n=Count("capaian_rata"))
        .order_by()
    ):
        out[tuple(row[k] for k in KEY)] = [row["s"], row["n"], None, 0, None, 0]
    for row in (
        AngkaSimpul.objects.filter(dihitung=True)
        .values(*KEY)
        .annotate(ps=Sum("pagu"), pn=Count("pagu"), rs=Sum("realisasi"), rn=Count("realisasi"))
        .order_by()
    ):
        found = out.setdefault(tuple(row[k] for k in KEY), list(EMPTY))
        found[2:] = [row["ps"], row["pn"], row["rs"], row["rn"]]
    return {key: tuple(None if v is None else int(v) for v in value) for key, value in out.items()}


def _stored() -> dict[tuple, tuple]:
    values = angka_jumlah.NILAI
    rows = AngkaJumlah.objects.values(*KEY, *values)
    stored = {tuple(row[k] for k in KEY): tuple(row[v] for v in values) for row in rows}
    assert len(stored) == rows.count()  # one row per group
    return stored


def _save(user, renja, nilai: str) -> None:
    indikator = Indikator.objects.filter(
        simpul__renja=renja, simpul__tingkat="kegiatan", target__gt=0
    ).first()
    services.realisasi_k_update(
        user=user,
        indikator=indikator,
        triwulan=2,
        nilai=Decimal(nilai),
        versi=web_selectors.versi_k(indikator, 2),
    )


def test_the_sums_follow_saves_and_an_amendment_in_force(users):
    pemda, renja = generated_pemda(users["admin"], "Kabupaten Jumlah", seed=21)
    admin = get_user_model().objects.get(username="admin_server")  # the new pemda's writer
    angka.refresh(renja)
    assert _stored() == _fresh() != {}
    before = _stored()
    _save(admin, renja[0], "123.5")
    angka.refresh(renja)
    assert _stored() == _fresh() != before

    pd = renja[0].perangkat_daerah
    plan = generated_renja(random.Random(5), ["1.01.01", "2.02.02"], "setiap_tingkat")
    amended = services.renja_import(
        user=admin, perangkat_daerah=pd, tahun=2022, renja=plan, versi="perubahan"
    )
    amended = Renja.objects.select_related("perangkat_daerah__pemda").get(pk=amended.pk)
    angka.refresh([*renja, amended])
    assert _stored() == _fresh()
    for q in (1, 4):  # the amended version is read, not the first
        hasil, pengaturan = _core([amended, *renja[1:]], q)
        assert _shown(angka_sql.total([pemda.pk], 2022, q, pengaturan)) == _shown(hasil.total)
    Renja.objects.filter(pk=amended.pk).update(berlaku=False)  # back to the first version
    hasil, pengaturan = _core(renja, 2)
    assert _shown(angka_sql.total([pemda.pk], 2022, 2, pengaturan)) == _shown(hasil.total)


def test_the_sums_follow_pulls_their_removal_and_forget(users, disnaker):
    angka.refresh([disnaker])
    accept(users, disnaker, 1)
    doc = angka.export_rows(disnaker, 1)
    other = Pemda.objects.create(nama="Kabupaten Tarikan")
    angka.import_rows(doc, pemda=other, sumber="server-b")
    assert _stored() == _fresh()
    pulled = AngkaJumlah.objects.filter(pemda=other, renja__isnull=True)
    assert pulled.exists()
    doc["indikator"] = doc["indikator"][: len(doc["indikator"]) // 2]  # a correction
    angka.import_rows(doc, pemda=other, sumber="server-b")
    assert _stored() == _fresh()
    pulled_sums = angka_sql.sums([other.pk], 2022, 1)
    assert pulled_sums[None].capaian_count == sum(r.capaian_count for r in pulled)

    angka.forget()  # the local rows only
    assert _stored() == _fresh()
    assert pulled.exists() and not AngkaJumlah.objects.filter(renja__isnull=False).exists()
    tarik.forget_rows(
        pemda_id=other.pk,
        sumber="server-b",
        pd_kode=doc["perangkat_daerah"]["kode"],
        tahun=2022,
        triwulan=1,
    )
    assert _stored() == _fresh() == {}


def test_forget_all_and_a_rebuild_from_the_stored_rows(users, disnaker):
    angka.refresh([disnaker])
    written = _stored()
    AngkaJumlah.objects.all().delete()  # rows stored before the table existed
    angka_jumlah.rebuild_all()
    assert _stored() == written == _fresh()
    angka.forget(all_rows=True)
    assert not AngkaJumlah.objects.exists()
    assert angka_sql.sums([disnaker.perangkat_daerah.pemda_id], 2022, 1) == {}
    assert (
        _shown(angka_sql.total([disnaker.perangkat_daerah.pemda_id], 2022, 1, pengaturan_of(None)))
        == (None,) * 6
    )
