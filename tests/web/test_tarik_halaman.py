"""The open rows another server pulls (`/pemda/api/terbuka/pemda/…/baris`) and the admin's page
of sources: who may open it, adding a source, pulling now, the log with source and time."""

from __future__ import annotations

import pytest

from monev.pemda import terbuka_baris
from monev.pemda.models_tarik import SumberData, TarikanData
from monev.web.models import Pemda
from tests.web.tarik_helpers import accept


@pytest.fixture
def verified(users, disnaker, contoh):
    accept(users["operator"], users["verifikator"], disnaker, 1)
    accept(users["operator2"], users["verifikator"], contoh, 1)
    return disnaker, contoh


def _provinsi():
    """The demo's province, whose admin ("provinsi") added the sources of these tests."""
    return Pemda.objects.get(nama="Provinsi Contoh")


def url(renja, query=""):
    return f"/pemda/api/terbuka/pemda/{renja.perangkat_daerah.pemda_id}/baris{query}"


def test_the_pemda_list_names_each_pemda_served_without_signing_in(client, disnaker, users):
    assert client.get("/pemda/api/terbuka/pemda").json() == []  # nothing verified yet
    accept(users["operator"], users["verifikator"], disnaker, 1)
    pemda = disnaker.perangkat_daerah.pemda
    # Only pemda with a verified quarter: not the demo's second pemda, nor its province.
    assert client.get("/pemda/api/terbuka/pemda").json() == [
        {"id": pemda.pk, "nama": "Kota Tangerang", "jenis": "kota"}
    ]


def test_only_verified_quarters_are_served_in_a_stable_order(users, verified, client):
    disnaker, _ = verified
    accept(users["operator"], users["verifikator"], disnaker, 2)
    body = client.get(url(disnaker)).json()
    assert [
        (i["kode_perangkat_daerah"], i["tahun"], i["triwulan"]) for i in body["triwulan_pd"]
    ] == [("2.07.01", 2022, 1), ("2.07.01", 2022, 2), ("2.16.01", 2022, 1)]
    assert (body["format"], body["jumlah"], body["halaman"], body["jumlah_halaman"]) == (
        "monev-baris/1",
        3,
        1,
        1,
    )
    first = body["triwulan_pd"][0]["angka"]
    assert (first["perangkat_daerah"]["kode"], first["triwulan"], first["versi"]) == (
        "2.07.01",
        1,
        1,
    )
    assert client.get(url(disnaker, "?triwulan=2")).json()["jumlah"] == 1
    assert client.get(url(disnaker, "?tahun=2021")).json()["triwulan_pd"] == []


def test_a_pemda_without_verified_quarters_serves_an_empty_listing(client, disnaker):
    body = client.get(url(disnaker)).json()
    assert (body["jumlah"], body["triwulan_pd"], body["jumlah_halaman"]) == (0, [], 1)


def test_the_etag_answers_304_until_a_quarter_is_verified(users, verified, client):
    disnaker, _ = verified
    first = client.get(url(disnaker))
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = client.get(url(disnaker), headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    accept(users["operator"], users["verifikator"], disnaker, 2)
    assert client.get(url(disnaker), headers={"If-None-Match": etag}).status_code == 200


def test_pages_split_the_listing_by_pd_quarter(verified, client, monkeypatch):
    disnaker, _ = verified
    monkeypatch.setattr(terbuka_baris, "PER_HALAMAN", 1)
    one, two = (client.get(url(disnaker, f"?halaman={n}")).json() for n in (1, 2))
    assert (one["jumlah_halaman"], one["tanda"]) == (2, two["tanda"])
    assert [p["triwulan_pd"][0]["kode_perangkat_daerah"] for p in (one, two)] == [
        "2.07.01",
        "2.16.01",
    ]
    beyond = client.get(url(disnaker, "?halaman=3"))
    assert beyond.status_code == 404
    assert beyond.json() == {"detail": "Halaman 3 tidak ada; jumlah halaman 2."}


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/pemda/api/terbuka/pemda/999999/baris", 404, "Pemda dengan ID 999999 tidak ada"),
        ("/pemda/api/terbuka/pemda/1/baris?triwulan=5", 422, "parameter, triwulan: paling besar 4"),
        ("/pemda/api/terbuka/pemda/x/baris", 422, "alamat, pemda_id: harus bilangan bulat"),
    ],
)
def test_a_bad_request_is_answered_in_indonesian(client, db, path, status, detail):
    response = client.get(path)
    assert response.status_code == status
    assert detail in str(response.json()["detail"])


def test_the_openapi_description_documents_the_open_rows(client):
    paths = client.get("/pemda/api/openapi.json").json()["paths"]
    op = paths["/pemda/api/terbuka/pemda/{pemda_id}/baris"]["get"]
    assert "304" in op["responses"] and "If-None-Match" in op["description"]
    assert "/pemda/api/terbuka/pemda" in paths


@pytest.mark.parametrize(
    ("username", "status"),
    # The province's admin pulls its kabupaten/kota; the city's own admin does not.
    [("provinsi", 200), ("admin", 403), ("verifikator", 403), ("pimpinan", 403), ("operator", 403)],
)
def test_only_the_provinces_admin_opens_the_sources_page(client_for, username, status):
    assert client_for(username).get("/pemda/sumber/").status_code == status


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get("/pemda/sumber/").status_code == 302


def test_the_admin_adds_a_source_and_a_refused_one_says_why(client_for):
    admin = client_for("provinsi")
    done = admin.post("/pemda/sumber/", {"nama": "Kab. Uji", "alamat": "http://127.0.0.1:9/"})
    assert done.status_code == 302
    made = SumberData.objects.get(nama="Kab. Uji")
    assert (made.alamat, made.aktif, made.pemda) == ("http://127.0.0.1:9", True, None)
    refused = admin.post("/pemda/sumber/", {"nama": "Kab. Uji", "alamat": "file:///etc"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "Sumber bernama &#x27;Kab. Uji&#x27; sudah ada." in page
    assert "harus http:// atau https://" in page
    assert SumberData.objects.count() == 1


def test_pull_now_logs_the_pull_with_its_source_time_and_reason(client_for, users):
    admin = client_for("provinsi")
    sumber = SumberData.objects.create(
        nama="Kab. Mati", alamat="http://127.0.0.1:9", pemilik=_provinsi()
    )
    response = admin.post(f"/pemda/sumber/{sumber.pk}/tarik/", follow=True)
    page = response.content.decode()
    pull = TarikanData.objects.get(sumber=sumber)
    assert (pull.status, pull.pemicu) == ("galat", "provinsi") and pull.selesai is not None
    assert "Kab. Mati: server sumber tidak dapat dihubungi" in page  # the message
    assert pull.mulai.astimezone().strftime("%d-%m-%Y") in page  # the log's row
    assert "http://127.0.0.1:9" in page and "Galat" in page


def test_the_admin_turns_a_source_off_and_on(client_for):
    admin = client_for("provinsi")
    sumber = SumberData.objects.create(
        nama="Kab. X", alamat="http://127.0.0.1:9", pemilik=_provinsi()
    )
    admin.post(f"/pemda/sumber/{sumber.pk}/aktif/", {"aktif": "0"})
    sumber.refresh_from_db()
    assert not sumber.aktif
    admin.post(f"/pemda/sumber/{sumber.pk}/aktif/", {"aktif": "1"})
    sumber.refresh_from_db()
    assert sumber.aktif


@pytest.mark.parametrize("action", ["tarik", "aktif"])
def test_a_verifier_cannot_pull_or_switch_a_source(client_for, action):
    sumber = SumberData.objects.create(
        nama="Kab. Y", alamat="http://127.0.0.1:9", pemilik=_provinsi()
    )
    assert client_for("verifikator").post(f"/pemda/sumber/{sumber.pk}/{action}/").status_code == 403
    assert not TarikanData.objects.exists()
