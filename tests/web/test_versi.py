"""Every write carries the version of the value it replaces: a write without one, or with an older
one, is refused (409) with the value stored now; only the current version saves."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from monev.pemda.services import token_create
from monev.web import selectors
from monev.web.models import Indikator, LaporanTriwulan, RealisasiK, RealisasiRp, Simpul
from monev.web.services import shown


def _cells(renja):
    """Per page cell: its URL, how to read its stored value and version, and a value to type."""
    indikator = Indikator.objects.filter(simpul__renja=renja, simpul__kode="2.07.02.2.01").first()
    leaf = Simpul.objects.get(renja=renja, kode="2.07.01.2.02.01")
    program = Simpul.objects.get(renja=renja, kode="2.07.01")
    r = renja.pk

    def k():
        row = RealisasiK.objects.get(indikator=indikator, triwulan=3)
        return row.nilai, row.versi

    def rp():
        row = RealisasiRp.objects.get(simpul=leaf, triwulan=3)
        return row.nilai, row.versi

    def target():
        row = Indikator.objects.get(pk=indikator.pk)
        return row.target, row.versi

    def pagu():
        row = Simpul.objects.get(pk=program.pk)
        return row.pagu, row.versi

    return {
        "realisasi_k": (f"/renja/{r}/entri/3/k/{indikator.pk}/", k, "operator"),
        "realisasi_rp": (f"/renja/{r}/entri/3/rp/{leaf.pk}/", rp, "operator"),
        "target": (f"/renja/{r}/target/{indikator.pk}/", target, "admin"),
        "pagu": (f"/renja/{r}/pagu/{program.pk}/", pagu, "admin"),
    }


@pytest.mark.parametrize("cell", ["realisasi_k", "realisasi_rp", "target", "pagu"])
@pytest.mark.parametrize(
    ("versi", "status", "pesan"),
    [
        ("tanpa", 409, "tidak menyertakan versi"),
        ("basi", 409, "sudah diubah oleh"),
        ("terkini", 200, "tersimpan"),
    ],
)
def test_a_page_cell_saves_only_with_the_current_version(
    client_for, disnaker, cell, versi, status, pesan
):
    url, stored, who = _cells(disnaker)[cell]
    before, current = stored()
    sent = {"tanpa": None, "basi": current + 1, "terkini": current}[versi]
    form = {"nilai": "77"} if sent is None else {"nilai": "77", "versi": sent}
    response = client_for(who).post(url, form, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == status and pesan in page
    after, now = stored()
    if status == 200:
        assert (after, now) == (Decimal(77), current + 1)
    else:  # the conflict cell: the stored value in place of the typed one, and its version
        assert (after, now) == (before, current)
        assert f'value="{shown(before)}"' in page and 'aria-invalid="true"' in page
    assert f'"versi": "{now}"' in page  # the next save carries the version now stored


@pytest.mark.parametrize(("versi", "status"), [("tanpa", 409), ("basi", 409), ("terkini", 200)])
def test_the_narrative_saves_only_with_the_current_version(client_for, disnaker, versi, status):
    current = selectors.versi_laporan(disnaker, 3)
    sent = {"tanpa": None, "basi": current + 1, "terkini": current}[versi]
    form = {"faktor_pendorong": "baru"}
    if sent is not None:
        form["versi"] = sent
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/narasi/", form, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == status
    laporan = LaporanTriwulan.objects.filter(renja=disnaker, triwulan=3).first()
    saved = laporan is not None and laporan.faktor_pendorong == "baru"
    assert saved is (status == 200)


@pytest.fixture
def token(db, users):
    return token_create(user=users["operator"], nama="uji")[1]


def _api(renja):
    indikator = Indikator.objects.filter(simpul__renja=renja, simpul__kode="2.07.02.2.01").first()
    leaf = Simpul.objects.get(renja=renja, kode="2.07.01.2.02.01")
    return {
        "k": (f"/pemda/api/indikator/{indikator.pk}/realisasi/3", "12.5"),
        "rp": (f"/pemda/api/simpul/{leaf.pk}/realisasi/3", "1000000.50"),
    }


@pytest.mark.parametrize("kind", ["k", "rp"])
@pytest.mark.parametrize(
    ("how", "status"),
    [("tanpa", 409), ("basi", 409), ("basi_if_match", 409), ("terkini", 200), ("if_match", 200)],
)
def test_an_api_write_saves_only_with_the_current_version(
    client, token, disnaker, kind, how, status
):
    url, nilai = _api(disnaker)[kind]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    read = client.get(url, **auth)
    current = read.json()["versi"]
    assert read["ETag"] == f'"{current}"'
    body, headers = {"nilai": nilai}, dict(auth)
    if how == "terkini":
        body["versi"] = current
    elif how == "basi":
        body["versi"] = current + 1
    elif how == "if_match":
        headers["HTTP_IF_MATCH"] = read["ETag"]
    elif how == "basi_if_match":
        headers["HTTP_IF_MATCH"] = f'"{current + 1}"'
    response = client.put(url, json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == status, response.content
    answer = response.json()
    if status == 200:
        assert answer["nilai"] == nilai.rstrip("0") and answer["versi"] == current + 1
        assert response["ETag"] == f'"{current + 1}"'
    else:
        assert answer == {
            "detail": answer["detail"],
            "nilai": read.json()["nilai"],
            "versi": current,
        }
        assert "versi" in answer["detail"] or "diubah" in answer["detail"]
        assert client.get(url, **auth).json() == read.json()  # nothing changed
