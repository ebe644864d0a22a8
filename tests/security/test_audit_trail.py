"""The audit trail cannot be deleted: a Renja with history or with handed-in quarters is
refused on every path (admin page, bulk action, ORM); it is archived instead, which hides it
from the lists and is itself recorded."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from monev.web import services
from monev.web.models import LaporanTriwulan, PerangkatDaerah, Renja, Riwayat


@pytest.fixture
def admin_page(client_for):
    return client_for("admin")


@pytest.fixture
def bare_renja(db):
    """A Renja with no history and no quarter handed in (made outside the services)."""
    pd = PerangkatDaerah.objects.get(kode="2.07.01")
    return Renja.objects.create(perangkat_daerah=pd, tahun=2031)


def test_a_renja_with_history_cannot_be_deleted_from_its_admin_page(admin_page, disnaker):
    history = Riwayat.objects.filter(renja=disnaker).count()
    assert history > 0
    url = f"/admin/monev/renja/{disnaker.pk}/delete/"
    assert admin_page.get(url).status_code == 403
    assert admin_page.post(url, {"post": "yes"}).status_code == 403
    assert Renja.objects.filter(pk=disnaker.pk).exists()
    assert Riwayat.objects.filter(renja=disnaker).count() == history


def test_the_bulk_delete_action_refuses_a_renja_with_history(admin_page, disnaker, bare_renja):
    history = Riwayat.objects.count()
    response = admin_page.post(
        "/admin/monev/renja/",
        {
            "action": "delete_selected",
            "_selected_action": [disnaker.pk, bare_renja.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 200
    assert "Tidak dapat menghapus Renja" in response.content.decode()
    assert Renja.objects.filter(pk__in=[disnaker.pk, bare_renja.pk]).count() == 2
    assert Riwayat.objects.count() == history


def test_no_other_path_deletes_a_renja_with_history(disnaker):
    history = Riwayat.objects.filter(renja=disnaker).count()
    with pytest.raises(ProtectedError):
        disnaker.delete()
    with pytest.raises(ProtectedError):
        Renja.objects.filter(pk=disnaker.pk).delete()
    assert Riwayat.objects.filter(renja=disnaker).count() == history


@pytest.mark.parametrize(
    ("status", "refused"),
    [
        (LaporanTriwulan.Status.DRAF, False),
        (LaporanTriwulan.Status.DIKEMBALIKAN, False),
        (LaporanTriwulan.Status.DIAJUKAN, True),
        (LaporanTriwulan.Status.DIVERIFIKASI, True),
    ],
)
def test_a_renja_with_a_handed_in_quarter_cannot_be_deleted(
    admin_page, bare_renja, status, refused
):
    LaporanTriwulan.objects.create(renja=bare_renja, triwulan=1, status=status)
    page = admin_page.get(f"/admin/monev/renja/{bare_renja.pk}/delete/")
    assert page.status_code == (403 if refused else 200)
    if refused:
        # (a savepoint of its own: the refusal rolls back the delete's transaction)
        with (
            pytest.raises(ProtectedError, match="sudah diajukan atau diverifikasi"),
            transaction.atomic(),
        ):
            bare_renja.delete()
        with pytest.raises(ProtectedError), transaction.atomic():
            Renja.objects.filter(pk=bare_renja.pk).delete()
        assert Renja.objects.filter(pk=bare_renja.pk).exists()
    else:
        bare_renja.delete()
        assert not Renja.objects.filter(pk=bare_renja.pk).exists()


def test_a_renja_outside_the_audit_trail_can_still_be_deleted_in_the_admin(admin_page, bare_renja):
    response = admin_page.post(f"/admin/monev/renja/{bare_renja.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Renja.objects.filter(pk=bare_renja.pk).exists()


def test_an_archived_renja_is_hidden_from_the_lists_and_kept_with_its_history(
    client_for, users, disnaker
):
    history = Riwayat.objects.filter(renja=disnaker).count()
    home = f'href="/renja/{disnaker.pk}/"'
    assert home in client_for("admin").get("/").content.decode()
    services.renja_arsip(user=users["admin"], renja=disnaker, diarsipkan=True)
    assert home not in client_for("admin").get("/").content.decode()
    assert home not in client_for("operator").get("/").content.decode()
    assert (
        f"/renja/{disnaker.pk}/"
        not in client_for("admin").get("/papan/?tahun=2022").content.decode()
    )
    listed = client_for("admin").get("/pemda/api/renja").json()
    assert listed and disnaker.pk not in [r["id"] for r in listed]
    recorded = Riwayat.objects.filter(renja=disnaker).order_by("-id").first()
    assert Riwayat.objects.filter(renja=disnaker).count() == history + 1
    assert (recorded.kolom, recorded.nilai_lama, recorded.nilai_baru) == (
        "diarsipkan",
        "tidak",
        "ya",
    )
    assert recorded.pengguna == users["admin"]
    services.renja_arsip(user=users["admin"], renja=disnaker, diarsipkan=False)
    assert home in client_for("admin").get("/").content.decode()


def test_the_admin_archives_through_an_action_that_is_recorded(admin_page, disnaker):
    response = admin_page.post(
        "/admin/monev/renja/", {"action": "arsipkan", "_selected_action": [disnaker.pk]}
    )
    assert response.status_code == 302
    disnaker.refresh_from_db()
    assert disnaker.diarsipkan
    assert Riwayat.objects.filter(renja=disnaker, kolom="diarsipkan", nilai_baru="ya").exists()
