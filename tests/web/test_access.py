"""Every view tried by each role, including an operator typing another PD's URLs by hand."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from monev.web.models import Indikator, Simpul

ROLES = ("admin", "verifikator", "pimpinan", "operator", "operator2")


def _app_patterns():
    """Return the names of the application's own URL patterns (not the Django admin)."""
    names = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLPattern) and entry.name:
            names.append(entry.name)
        elif isinstance(entry, URLResolver):
            continue
    return names


def _urls(renja):
    indikator = Indikator.objects.filter(simpul__renja=renja).first()
    simpul = Simpul.objects.filter(renja=renja, anak__isnull=True).first()
    r = renja.pk
    return {
        "home": ("/", "GET"),
        "login": ("/masuk/", "GET"),
        "logout": ("/keluar/", "POST"),
        "renja": (f"/renja/{r}/", "GET"),
        "entri": (f"/renja/{r}/entri/3/", "GET"),
        "entri_k": (f"/renja/{r}/entri/3/k/{indikator.pk}/", "POST"),
        "entri_rp": (f"/renja/{r}/entri/3/rp/{simpul.pk}/", "POST"),
        "entri_narasi": (f"/renja/{r}/entri/3/narasi/", "POST"),
        "evaluasi": (f"/renja/{r}/evaluasi/", "GET"),
        "renja_target": (f"/renja/{r}/target/{indikator.pk}/", "POST"),
        "renja_pagu": (f"/renja/{r}/pagu/{simpul.pk}/", "POST"),
        "riwayat_indikator": (f"/indikator/{indikator.pk}/riwayat/", "GET"),
        "impor": ("/impor/", "GET"),
    }


def test_every_url_of_the_application_is_in_the_matrix(disnaker):
    assert set(_app_patterns()) == set(_urls(disnaker))


# Expected status per (url name, role) on Dinas Ketenagakerjaan's data; operator2 belongs to another PD.
READ = {"renja", "entri", "evaluasi", "riwayat_indikator"}
WRITE = {"entri_k", "entri_rp", "entri_narasi"}


def expected(name: str, role: str) -> set[int]:
    if name in ("home", "login"):
        return {200, 302}
    if name == "logout":
        return {302}
    if name in ("impor", "renja_target", "renja_pagu"):
        return {200} if role == "admin" else {403}
    if role == "operator2":
        return {404}  # another PD's data does not exist for them
    if name in READ:
        return {200}
    if name in WRITE:
        return {200, 302} if role in ("admin", "operator") else {403}
    raise AssertionError(name)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_for, disnaker, role):
    for name, (url, method) in _urls(disnaker).items():
        client = client_for(role)
        response = client.post(url, {"nilai": "1"}) if method == "POST" else client.get(url)
        assert response.status_code in expected(name, role), (name, role, response.status_code)
        if response.status_code in (403, 404):
            assert b"Dinas Ketenagakerjaan" not in response.content


def test_anonymous_users_are_sent_to_sign_in(client, disnaker):
    for name, (url, method) in _urls(disnaker).items():
        if name in ("login", "logout"):
            continue
        response = client.post(url) if method == "POST" else client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"], name


def test_operator_cannot_reach_another_pd_indicator_through_own_renja(client_for, disnaker, contoh):
    foreign = Indikator.objects.filter(simpul__renja=contoh).first()
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/k/{foreign.pk}/", {"nilai": "1"}
    )
    assert response.status_code == 404


def test_user_without_a_role_sees_nothing(client, db, disnaker):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("tamu", password="x-long-password")
    client.force_login(user)
    assert client.get("/").status_code == 403
    assert client.get(f"/renja/{disnaker.pk}/evaluasi/").status_code == 403


def test_get_on_write_urls_is_refused(client_for, disnaker):
    url, _ = _urls(disnaker)["entri_k"]
    assert client_for("operator").get(url).status_code == 405


def test_admin_site_only_for_staff(client_for):
    assert client_for("admin").get("/admin/").status_code == 200
    assert client_for("operator").get("/admin/").status_code == 302
