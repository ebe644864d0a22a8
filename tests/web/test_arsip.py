"""An archived Renja is kept with its history but opened by nobody, by its id neither: every
page, write and API answer 404 saying it is archived (to those who would read it) until the
admin brings it back (`monev.web.access.visible_renja`)."""

from __future__ import annotations

import pytest

from monev.pemda.services import token_create
from monev.web import services
from monev.web.models import Indikator, Simpul

DIARSIPKAN = "Renja ini sudah diarsipkan"


@pytest.fixture
def arsip(users, disnaker):
    services.renja_arsip(user=users["admin"], renja=disnaker, diarsipkan=True)
    return disnaker


def _paths(renja, username):
    """The pages of the Renja the user could open were it not archived (a role refused a page
    outright, 403, is refused before the Renja is looked up)."""
    indikator = Indikator.objects.filter(simpul__renja=renja).first()
    leaf = Simpul.objects.filter(renja=renja, anak__isnull=True).first()
    r = renja.pk
    return {
        "GET": [
            f"/renja/{r}/",
            f"/renja/{r}/entri/1/",
            f"/renja/{r}/evaluasi/",
            f"/renja/{r}/unduh/?format=csv",
            f"/indikator/{indikator.pk}/riwayat/",
            f"/renja/{r}/riwayat/1/",
            *([f"/pemda/pd/{r}/"] if username != "operator" else []),
            f"/renstra/renja/{r}/",
        ],
        "POST": [
            f"/renja/{r}/entri/1/narasi/",
            f"/renja/{r}/entri/1/k/{indikator.pk}/",
            f"/renja/{r}/entri/1/rp/{leaf.pk}/",
            *([f"/renja/{r}/target/{indikator.pk}/"] if username == "admin" else []),
            f"/renja/{r}/laporan/1/ajukan/",
        ],
    }


@pytest.mark.parametrize("username", ["admin", "operator", "verifikator"])
def test_an_archived_renja_is_not_opened_by_its_id_and_the_page_says_why(
    arsip, client_for, username
):
    client = client_for(username)
    for method, paths in _paths(arsip, username).items():
        for path in paths:
            response = client.get(path) if method == "GET" else client.post(path, {"nilai": "1"})
            assert response.status_code == 404, (method, path, response.status_code)
            assert DIARSIPKAN in response.content.decode(), (method, path)


def test_the_api_answers_404_for_an_archived_renja(arsip, users, client):
    token = token_create(user=users["admin"], nama="uji arsip")[1]
    response = client.get(f"/pemda/api/renja/{arsip.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404


def test_another_pemda_is_not_told_that_the_renja_exists(arsip, client_for):
    response = client_for("kabupaten").get(f"/renja/{arsip.pk}/")
    assert response.status_code == 404 and DIARSIPKAN not in response.content.decode()


def test_brought_back_from_the_archive_it_opens_again(arsip, users, client_for):
    services.renja_arsip(user=users["admin"], renja=arsip, diarsipkan=False)
    assert client_for("operator").get(f"/renja/{arsip.pk}/entri/1/").status_code == 200
