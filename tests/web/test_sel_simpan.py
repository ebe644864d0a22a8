"""The cell save's prepared queries (`monev.web.prepared`, `monev.web.sel_simpan`, the session
and user reads): each answers what the ORM query it stands for answers, on both databases."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from monev.web import access, prepared, sel_simpan, selectors, services, siklus
from monev.web.auth import Backend
from monev.web.models import (
    Indikator,
    JendelaEntri,
    LaporanTriwulan,
    PengecualianJendela,
    RealisasiK,
    RealisasiRp,
    Renja,
    Riwayat,
    Simpul,
)
from monev.web.sesi import SessionStore


def same_fields(a, b):
    return all(
        getattr(a, f.attname) == getattr(b, f.attname) for f in type(a)._meta.concrete_fields
    )


def test_a_prepared_query_answers_as_the_queryset_with_new_arguments(disnaker):
    query = prepared.Prepared(
        lambda simpul, q: (
            RealisasiK.objects.filter(indikator__simpul_id=simpul, triwulan=q)
            .order_by("indikator_id")
            .values_list("indikator_id", "nilai", "diubah")
        ),
        2_147_480_001,
        32_701,
    )
    checked = 0
    for simpul in Simpul.objects.filter(renja=disnaker)[:6]:
        for q in (1, 3, 4):
            expected = list(
                RealisasiK.objects.filter(indikator__simpul=simpul, triwulan=q)
                .order_by("indikator_id")
                .values_list("indikator_id", "nilai", "diubah")
            )
            got = query.rows(simpul.pk, q)
            assert got == expected
            for _, nilai, diubah in got:
                checked += 1
                assert nilai is None or isinstance(nilai, Decimal)  # converted, on SQLite too
                assert isinstance(diubah, datetime.datetime) and timezone.is_aware(diubah)
    assert checked > 0


def test_a_sample_that_is_not_a_parameter_is_refused(disnaker):
    query = prepared.Prepared(
        lambda pk: Renja.objects.filter(pk=disnaker.pk).values_list("tahun"), 2_147_480_001
    )
    with pytest.raises(ImproperlyConfigured, match="2147480001"):
        query.rows(1)


def test_update_writes_as_save_with_update_fields(users, disnaker):
    row = RealisasiK.objects.filter(indikator__simpul__renja=disnaker, triwulan=2).first()
    before = row.diubah
    row.nilai = Decimal("12.3456")
    row.versi += 1
    row.diubah_oleh = users["operator"]
    prepared.update(row, ["nilai", "versi", "diubah", "diubah_oleh"])
    again = RealisasiK.objects.get(pk=row.pk)
    assert again.nilai == Decimal("12.3456")
    assert again.versi == row.versi
    assert again.diubah_oleh_id == users["operator"].pk
    assert again.diubah > before and again.diubah == row.diubah


def test_an_operators_row_comes_with_its_node_renja_pd_and_pemda(users, disnaker):
    operator = users["operator"]
    indikator = Indikator.objects.filter(simpul__renja=disnaker).last()
    found = sel_simpan.own_pd_row(
        Indikator, indikator.pk, disnaker.pk, operator.profil.perangkat_daerah_id
    )
    assert same_fields(found, indikator)
    assert same_fields(found.simpul, indikator.simpul)
    renja = Renja.objects.select_related("perangkat_daerah__pemda").get(pk=disnaker.pk)
    assert same_fields(found.simpul.renja, renja)
    assert same_fields(found.simpul.renja.perangkat_daerah, renja.perangkat_daerah)
    assert same_fields(found.simpul.renja.perangkat_daerah.pemda, renja.perangkat_daerah.pemda)
    simpul = indikator.simpul
    node = sel_simpan.own_pd_row(Simpul, simpul.pk, disnaker.pk, disnaker.perangkat_daerah_id)
    assert same_fields(node, simpul) and same_fields(node.renja, renja)


def test_an_operator_gets_no_row_of_another_pd_an_archived_or_a_hidden_renja(
    users, disnaker, contoh
):
    operator = users["operator"]
    own = operator.profil.perangkat_daerah_id
    mine = Indikator.objects.filter(simpul__renja=disnaker).first()
    theirs = Indikator.objects.filter(simpul__renja=contoh).first()
    assert sel_simpan.own_pd_row(Indikator, theirs.pk, contoh.pk, own) is None
    assert sel_simpan.own_pd_row(Indikator, mine.pk, contoh.pk, own) is None  # not that Renja's
    Renja.objects.filter(pk=disnaker.pk).update(diarsipkan=True)
    assert sel_simpan.own_pd_row(Indikator, mine.pk, disnaker.pk, own) is None
    with pytest.raises(Http404, match="diarsipkan"):
        access.row_for(operator, disnaker.pk, Indikator, mine.pk)
    Renja.objects.filter(pk=disnaker.pk).update(diarsipkan=False, versi="~sedang-diganti")
    assert sel_simpan.own_pd_row(Indikator, mine.pk, disnaker.pk, own) is None
    with pytest.raises(Http404):
        access.row_for(operator, disnaker.pk, Indikator, mine.pk)


def test_row_for_other_roles_reads_through_the_visible_renja(users, disnaker, contoh):
    indikator = Indikator.objects.filter(simpul__renja=disnaker).first()
    found = access.row_for(users["admin"], disnaker.pk, Indikator, indikator.pk)
    assert found.pk == indikator.pk and found.simpul.renja.perangkat_daerah.pemda is not None
    with pytest.raises(Http404):
        access.row_for(users["admin"], contoh.pk, Indikator, indikator.pk)


def test_the_locked_rows_and_window_queries_answer_as_before(users, disnaker):
    pd = disnaker.perangkat_daerah
    LaporanTriwulan.objects.update_or_create(
        renja=disnaker, triwulan=4, defaults={"status": LaporanTriwulan.Status.DIAJUKAN}
    )
    with pytest.raises(siklus.Ditolak, match="TW IV sudah diajukan"), transaction.atomic():
        siklus.require_entry(users["operator"], disnaker, 2)
    JendelaEntri.objects.update_or_create(
        pemda_id=pd.pemda_id, tahun=disnaker.tahun, triwulan=1, defaults={"terbuka": False}
    )
    assert not siklus.window_open(pd, disnaker.tahun, 1)
    PengecualianJendela.objects.create(
        perangkat_daerah=pd, tahun=disnaker.tahun, triwulan=1, terbuka=True
    )
    assert siklus.window_open(pd, disnaker.tahun, 1)


def test_realisasi_for_update_reads_the_row_or_none(disnaker):
    row = RealisasiRp.objects.filter(simpul__renja=disnaker).first()
    with transaction.atomic():
        found = sel_simpan.realisasi_for_update(RealisasiRp, row.simpul_id, row.triwulan)
        assert same_fields(found, row)
        leaf = Simpul.objects.filter(renja=disnaker).exclude(pk=row.simpul_id).first()
        RealisasiRp.objects.filter(simpul=leaf, triwulan=2).delete()
        assert sel_simpan.realisasi_for_update(RealisasiRp, leaf.pk, 2) is None


def test_one_cells_change_since_verification_is_the_whole_sets(users, disnaker):
    indikator = Indikator.objects.filter(simpul__renja=disnaker, target__gt=0)[:2]
    a, b = list(indikator)

    def agree():
        changed = selectors.berubah_sejak_verifikasi(disnaker, 3)
        for ind in (a, b):
            assert selectors.berubah_sel(disnaker, 3, "k", ind.pk) == (f"k-{ind.pk}" in changed)
        simpul = a.simpul
        assert selectors.berubah_sel(disnaker, 3, "rp", simpul.pk) == (f"rp-{simpul.pk}" in changed)
        return changed

    def save(ind, nilai):
        services.realisasi_k_update(
            user=users["operator"],
            indikator=ind,
            triwulan=3,
            nilai=Decimal(nilai),
            versi=selectors.versi_k(ind, 3),
        )

    save(a, "11")
    assert agree() == set()  # never verified
    Riwayat.objects.create(
        renja=disnaker,
        triwulan=3,
        jenis=Riwayat.Jenis.STATUS,
        nilai_baru=LaporanTriwulan.Status.DIVERIFIKASI,
        waktu=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert agree() == set()  # verified after the change
    save(a, "12")
    assert agree() == {f"k-{a.pk}"}


def test_the_session_store_reads_a_live_session_and_forgets_an_expired_one(users):
    store = SessionStore()
    store["kunci"] = "nilai"
    store.create()
    key = store.session_key
    assert SessionStore(key).load() == {"kunci": "nilai"}
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("tidak-ada").load() == {}


def test_the_backend_reads_the_user_with_the_profile(users, django_assert_num_queries):
    operator = users["operator"]
    with django_assert_num_queries(1):
        user = Backend().get_user(operator.pk)
        assert user.profil.peran == operator.profil.peran
        assert user.profil.perangkat_daerah_id == operator.profil.perangkat_daerah_id
    bare = get_user_model().objects.create_user("tanpa-profil", password="x-panjang-sekali")
    with django_assert_num_queries(1):
        user = Backend().get_user(bare.pk)
        assert access.peran(user) is None
    get_user_model().objects.filter(pk=bare.pk).update(is_active=False)
    assert Backend().get_user(bare.pk) is None
    assert Backend().get_user(2_000_000_000) is None


def test_a_refused_save_names_who_changed_the_value(users):
    admin = users["admin"]
    expected = admin.get_full_name() or admin.username
    assert sel_simpan.user_name(admin.pk) == expected
    assert sel_simpan.user_name(None) == "pengguna lain"
    assert sel_simpan.user_name(2_000_000_000) == "pengguna lain"
