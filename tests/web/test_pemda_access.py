"""Every URL of the pemda app (its pages and its API), tried by every role and by an anonymous
visitor, with GET and with POST. The list of URLs is read from the app's URL patterns, so that a
new URL cannot escape the matrix."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from monev.pemda import selectors
from monev.pemda.models import TokenApi
from monev.web.models import Indikator, Simpul

ROLES = ("admin", "verifikator", "pimpinan", "operator", "operator2", "anonim")
PEMDA_ROLES = ("admin", "verifikator", "pimpinan")


@pytest.fixture(autouse=True)
def _fresh_cache():
    selectors.clear_cache()


def _walk(patterns, names):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(
                entry.url_patterns, [*names, entry.namespace] if entry.namespace else names
            )
        elif isinstance(entry, URLPattern):
            yield ":".join([*names, entry.name])


def app_url_names() -> set[str]:
    """Return the names of every URL pattern under the app's namespace "pemda"."""
    found: set[str] = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "pemda":
            found.update(_walk(entry.url_patterns, ["pemda"]))
    return found


def _urls(renja, token_id):
    indikator = Indikator.objects.filter(simpul__renja=renja).first()
    leaf = Simpul.objects.filter(renja=renja, anak__isnull=True).first()
    r = renja.pk
    from monev.pemda.models import SumberData

    # A source whose server is down: "Tarik sekarang" is answered (and logged) at once.
    sumber, _ = SumberData.objects.get_or_create(nama="Kab. Mati", alamat="http://127.0.0.1:9")
    return {
        "pemda:dasbor": "/pemda/?triwulan=3",
        "pemda:grafik": "/pemda/grafik/kurva-s.svg",
        "pemda:peringatan": "/pemda/peringatan/",
        "pemda:peringatan_csv": "/pemda/peringatan.csv",
        "pemda:konsolidasi": "/pemda/konsolidasi/",
        "pemda:konsolidasi_xlsx": "/pemda/konsolidasi.xlsx",
        "pemda:konsolidasi_e79": "/pemda/konsolidasi/e79.pdf",
        "pemda:wilayah": "/pemda/wilayah/",
        "pemda:wilayah_csv": "/pemda/wilayah.csv?kelompok=urusan",
        "pemda:pd": f"/pemda/pd/{r}/",
        "pemda:simpul": f"/pemda/pd/{r}/simpul/2.07.02/",
        "pemda:rencana": f"/pemda/renja/{r}/rencana/",
        "pemda:rencana_k": f"/pemda/renja/{r}/rencana/k/{indikator.pk}/",
        "pemda:rencana_rp": f"/pemda/renja/{r}/rencana/rp/{leaf.pk}/",
        "pemda:rencana_impor": f"/pemda/renja/{r}/rencana/impor/",
        "pemda:rencana_csv": f"/pemda/renja/{r}/rencana.csv",
        "pemda:token": "/pemda/token/",
        "pemda:token_cabut": f"/pemda/token/{token_id}/cabut/",
        "pemda:api_dokumentasi": "/pemda/api/dokumentasi/",
        "pemda:api_akar": "/pemda/api/",
        "pemda:api:api-root": "/pemda/api/",  # shadowed by api_akar
        "pemda:openapi": "/pemda/api/openapi.json",
        "pemda:api:pemda_list": "/pemda/api/pemda",
        "pemda:api:perangkat_daerah_list": "/pemda/api/perangkat-daerah",
        "pemda:api:renja_list": "/pemda/api/renja",
        "pemda:api:renja_detail": f"/pemda/api/renja/{r}",
        "pemda:api:indikator_list": f"/pemda/api/renja/{r}/indikator",
        "pemda:api:renja_evaluasi": f"/pemda/api/renja/{r}/evaluasi?triwulan=2",
        "pemda:api:rekap": "/pemda/api/rekap",
        "pemda:api:realisasi_k_put": f"/pemda/api/indikator/{indikator.pk}/realisasi/3",
        "pemda:api:realisasi_rp_put": f"/pemda/api/simpul/{leaf.pk}/realisasi/3",
        "pemda:api:realisasi_k_get": f"/pemda/api/indikator/{indikator.pk}/realisasi/3",
        "pemda:api:realisasi_rp_get": f"/pemda/api/simpul/{leaf.pk}/realisasi/3",
        "pemda:api:terbuka_list": "/pemda/api/terbuka/evaluasi",
        "pemda:api:terbuka_csv": "/pemda/api/terbuka/evaluasi.csv",
        "pemda:api:terbuka_detail": f"/pemda/api/terbuka/evaluasi/{r}/2",
        "pemda:api:terbuka_detail_csv": f"/pemda/api/terbuka/evaluasi/{r}/2/csv",
        "pemda:api:tidak_dikenal": "/pemda/api/tidak-ada",
        "pemda:api:terbuka_pemda": "/pemda/api/terbuka/pemda",
        "pemda:api:terbuka_baris_list": (
            f"/pemda/api/terbuka/pemda/{renja.perangkat_daerah.pemda_id}/baris"
        ),
        "pemda:sumber_data": "/pemda/sumber/",
        "pemda:sumber_tarik": f"/pemda/sumber/{sumber.pk}/tarik/",
        "pemda:sumber_aktif": f"/pemda/sumber/{sumber.pk}/aktif/",
        "pemda:sumber_hapus": f"/pemda/sumber/{sumber.pk}/hapus/",
    }


PEMDA_PAGES = {
    "pemda:dasbor",
    "pemda:grafik",
    "pemda:peringatan",
    "pemda:peringatan_csv",
    "pemda:konsolidasi",
    "pemda:konsolidasi_xlsx",
    "pemda:konsolidasi_e79",
    "pemda:wilayah",
    "pemda:wilayah_csv",
    "pemda:pd",
    "pemda:simpul",
}
RENJA_READ = {"pemda:rencana", "pemda:rencana_csv"}
RENJA_WRITE = {"pemda:rencana_k", "pemda:rencana_rp", "pemda:rencana_impor"}
API_READ = {
    "pemda:api:pemda_list",
    "pemda:api:perangkat_daerah_list",
    "pemda:api:renja_list",
}
API_RENJA = {
    "pemda:api:renja_detail",
    "pemda:api:indikator_list",
    "pemda:api:renja_evaluasi",
    "pemda:api:realisasi_k_get",
    "pemda:api:realisasi_rp_get",
}
API_WRITE = {"pemda:api:realisasi_k_put", "pemda:api:realisasi_rp_put"}
PUBLIC = {
    "pemda:api_dokumentasi",
    "pemda:openapi",
    "pemda:api:terbuka_list",
    "pemda:api:terbuka_csv",
    "pemda:api:terbuka_pemda",
    "pemda:api:terbuka_baris_list",
}
SUMBER_WRITE = {"pemda:sumber_tarik", "pemda:sumber_aktif"}
LOGIN = 302  # a page sends an anonymous visitor to sign in
NO_METHOD = 405


def expected(name: str, role: str, method: str) -> int:
    """Return the status a role gets on Dinas Ketenagakerjaan's data (operator2: another PD)."""
    anonymous = role == "anonim"
    if name in ("pemda:api_akar", "pemda:api:api-root"):
        return 302  # to the API's description, for everyone
    if name in PUBLIC:
        return 200 if method == "GET" else NO_METHOD
    if name == "pemda:api:tidak_dikenal":
        return 404  # an unknown address under the API, for everyone, in JSON
    if name in ("pemda:api:terbuka_detail", "pemda:api:terbuka_detail_csv"):
        return 404 if method == "GET" else NO_METHOD  # TW II is not verified
    if name in PEMDA_PAGES:
        if method == "POST":
            return NO_METHOD
        return LOGIN if anonymous else 200 if role in PEMDA_ROLES else 403
    if name in RENJA_READ:
        if method == "POST":
            return NO_METHOD
        return LOGIN if anonymous else 404 if role == "operator2" else 200
    if name in RENJA_WRITE:
        if method == "GET":
            return NO_METHOD
        if anonymous:
            return LOGIN
        return {"admin": 302, "operator": 302, "operator2": 404}.get(role, 403)
    if name == "pemda:token":
        return LOGIN if anonymous else 200 if method == "GET" else 201
    if name == "pemda:token_cabut":  # the admin's own token
        if method == "GET":
            return NO_METHOD
        return LOGIN if anonymous else 302 if role == "admin" else 404
    # The pulls are a province's (or the server operator's): the demo city's admin has none.
    # test_tarik_halaman tries the province's admin.
    if name in ("pemda:sumber_data", "pemda:sumber_hapus"):
        return LOGIN if anonymous else 403
    if name in SUMBER_WRITE:
        if method == "GET":
            return NO_METHOD
        return LOGIN if anonymous else 403
    if name in API_READ | API_RENJA | {"pemda:api:rekap"}:
        if method == "POST":
            return NO_METHOD
        if anonymous:
            return 401
        if name in API_RENJA and role == "operator2":
            return 404
        if name == "pemda:api:rekap" and role not in PEMDA_ROLES:
            return 403
        return 200
    if name in API_WRITE:  # the same URL as the read of the value: GET answers as that read
        if method == "GET":
            return expected(name.replace("_put", "_get"), role, method)
        return NO_METHOD  # PUT only (and with a token: see test_pemda_api)
    raise AssertionError(f"no expectation for {name}")


def test_every_url_of_the_app_is_in_the_matrix(disnaker):
    assert app_url_names() == set(_urls(disnaker, 1))


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, client_for, users, disnaker, role):
    token = TokenApi.objects.create(pengguna=users["admin"], nama="t", awalan="x", digest="d" * 64)
    c = client if role == "anonim" else client_for(role)
    for name, url in sorted(_urls(disnaker, token.pk).items()):
        for method in ("GET", "POST"):
            data = {"nama": "token uji"} if name == "pemda:token" else {}
            response = c.post(url, data) if method == "POST" else c.get(url)
            want = expected(name, role, method)
            assert response.status_code == want, (name, role, method, response.status_code)
            if (
                role == "anonim"
                and want == LOGIN
                and name not in ("pemda:api_akar", "pemda:api:api-root")
            ):
                assert "/masuk/" in response["Location"], (name, role, method)
            if response.status_code in (401, 403, 404):
                assert b"Dinas Ketenagakerjaan" not in response.content, (name, role, method)


def test_user_without_a_role_is_refused(client, db, disnaker):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("tamu")
    client.force_login(user)
    assert client.get("/pemda/").status_code == 403
    assert client.get("/pemda/token/").status_code == 403
    assert client.get("/pemda/api/renja").json() == []
