"""The HTTP API: reads under the pages' roles, writes through the services (roles, windows,
locks), and the public open data of verified evaluations only."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from monev.io.tabular import evaluation_json
from monev.pemda import selectors
from monev.pemda.services import token_create, token_revoke
from monev.web.models import (
    Indikator,
    LaporanTriwulan,
    PerangkatDaerah,
    RealisasiK,
    RealisasiRp,
    Riwayat,
    Simpul,
)

Status = LaporanTriwulan.Status


@pytest.fixture(autouse=True)
def _fresh_cache():
    selectors.clear_cache()


@pytest.fixture
def token(users):
    """Return a function giving a signed-in API token (its text) for a demo user."""

    def make(username: str) -> str:
        return token_create(user=users[username], nama=f"uji {username}")[1]

    return make


def _auth(text: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def _put(client, url, nilai, text, versi="terkini"):
    """PUT a value; by default with the version the GET of the same URL reports (0 when the GET
    is refused), as a client that read the value first does; `versi=None` sends none."""
    if versi == "terkini":
        read = client.get(url, **_auth(text))
        versi = read.json()["versi"] if read.status_code == 200 else 0
    body = {"nilai": nilai} if versi is None else {"nilai": nilai, "versi": versi}
    return client.put(url, json.dumps(body), content_type="application/json", **_auth(text))


def _indikator(renja, kode="2.07.02.2.01"):
    return Indikator.objects.filter(simpul__renja=renja, simpul__kode=kode).first()


def test_reads_follow_the_roles_of_the_pages(client, token, disnaker, contoh):
    operator = _auth(token("operator"))
    listed = client.get("/pemda/api/renja", **operator).json()
    assert [r["id"] for r in listed] == [disnaker.pk]
    assert client.get(f"/pemda/api/renja/{contoh.pk}", **operator).status_code == 404
    assert client.get(f"/pemda/api/renja/{contoh.pk}/evaluasi", **operator).status_code == 404
    assert client.get("/pemda/api/rekap", **operator).status_code == 403
    everyone = client.get("/pemda/api/perangkat-daerah", **_auth(token("pimpinan"))).json()
    assert [p["kode"] for p in everyone] == ["2.07.01", "2.16.01"]
    assert client.get("/pemda/api/renja").status_code == 401
    assert (
        client.get("/pemda/api/renja", HTTP_AUTHORIZATION="Bearer monev_salah").status_code == 401
    )


def test_evaluation_is_the_documented_json_of_the_evaluation_page(
    client, client_for, token, disnaker
):
    body = client.get(
        f"/pemda/api/renja/{disnaker.pk}/evaluasi?triwulan=3", **_auth(token("verifikator"))
    ).json()
    page = client_for("verifikator").get(f"/renja/{disnaker.pk}/evaluasi/?triwulan=3")
    assert body == json.loads(json.dumps(evaluation_json(page.context["evaluasi"])))
    assert body["ringkasan"]["rata_rata_capaian_k"] == "77.69"


def test_indicators_carry_realisations_and_plans(client, token, disnaker):
    items = client.get(f"/pemda/api/renja/{disnaker.pk}/indikator", **_auth(token("admin"))).json()
    first = next(i for i in items if i["kode"] == "2.07.01")
    assert first["target"] == "100" and first["realisasi"][:3] == ["25", "50", "75"]
    assert first["rencana"] is None


def test_rekap_equals_the_dashboard(client, client_for, token):
    body = client.get(
        "/pemda/api/rekap?tahun=2022&triwulan=2", **_auth(token("verifikator"))
    ).json()
    rows = client_for("verifikator").get("/pemda/?triwulan=2").context["dasbor"].rows
    assert [(r["kode"], r["peringkat"]) for r in body["perangkat_daerah"]] == [
        (r.kode, r.peringkat) for r in rows
    ]
    assert body["perangkat_daerah"][0]["rata_rata_capaian_k"] == f"{rows[0].capaian_k:.2f}"


def test_operator_writes_own_realisation_through_the_services(client, token, users, disnaker):
    indikator = _indikator(disnaker)
    response = _put(
        client, f"/pemda/api/indikator/{indikator.pk}/realisasi/3", "37.5", token("operator")
    )
    assert response.status_code == 200, response.content
    stored = RealisasiK.objects.get(indikator=indikator, triwulan=3)
    assert response.json() == {
        "indikator_id": indikator.pk,
        "triwulan": 3,
        "nilai": "37.5",
        "versi": stored.versi,
    }
    assert response["ETag"] == f'"{stored.versi}"'
    assert RealisasiK.objects.get(indikator=indikator, triwulan=3).nilai == Decimal("37.5")
    record = Riwayat.objects.filter(indikator=indikator, triwulan=3).latest("id")
    assert (record.pengguna, record.nilai_baru) == (users["operator"], "37,5")

    leaf = Simpul.objects.filter(renja=disnaker, anak__isnull=True).first()
    response = _put(
        client, f"/pemda/api/simpul/{leaf.pk}/realisasi/3", "1000000.50", token("operator")
    )
    assert response.status_code == 200, response.content
    assert RealisasiRp.objects.get(simpul=leaf, triwulan=3).nilai == Decimal("1000000.5")


def test_write_refuses_another_pd_indicator(client, token, disnaker, contoh):
    foreign = _indikator(contoh, "2.16.03.2.02")
    before = list(RealisasiK.objects.filter(indikator=foreign).values_list("triwulan", "nilai"))
    response = _put(
        client, f"/pemda/api/indikator/{foreign.pk}/realisasi/3", "1", token("operator")
    )
    assert response.status_code == 404
    assert b"contoh" not in response.content
    assert (
        list(RealisasiK.objects.filter(indikator=foreign).values_list("triwulan", "nilai"))
        == before
    )


@pytest.mark.parametrize("username", ["verifikator", "pimpinan"])
def test_write_refuses_a_role_that_may_not_write(client, token, disnaker, username):
    indikator = _indikator(disnaker)
    response = _put(
        client, f"/pemda/api/indikator/{indikator.pk}/realisasi/3", "1", token(username)
    )
    assert response.status_code == 403
    assert RealisasiK.objects.get(indikator=indikator, triwulan=3).nilai != Decimal(1)


def test_write_needs_a_valid_token(client, client_for, token, users, disnaker):
    url = f"/pemda/api/indikator/{_indikator(disnaker).pk}/realisasi/3"
    body = json.dumps({"nilai": "1"})
    assert client.put(url, body, content_type="application/json").status_code == 401
    # a signed-in session is not enough to write (a token is)
    session = client_for("operator")
    assert session.put(url, body, content_type="application/json").status_code == 401
    text = token("operator")
    from monev.pemda.models import TokenApi

    token_revoke(user=users["operator"], token=TokenApi.objects.get(pengguna=users["operator"]))
    assert _put(client, url, "1", text).status_code == 401


@pytest.mark.parametrize(
    ("nilai", "triwulan", "status"),
    [
        ("abc", 3, 422),
        ("1,5", 3, 422),  # machine form only
        ("1.23456", 3, 422),  # K keeps four decimals
        ("99999999999999999", 3, 422),
        ("1", 5, 422),
        ("1", 0, 422),
        (None, 3, 200),  # clears
    ],
)
def test_write_validates_the_value(client, token, disnaker, nilai, triwulan, status):
    url = f"/pemda/api/indikator/{_indikator(disnaker).pk}/realisasi/{triwulan}"
    assert _put(client, url, nilai, token("operator")).status_code == status


def test_a_verified_quarter_is_locked_for_the_api_too(client, token, disnaker):
    LaporanTriwulan.objects.update_or_create(
        renja=disnaker, triwulan=3, defaults={"status": Status.DIVERIFIKASI}
    )
    indikator = _indikator(disnaker)
    response = _put(
        client, f"/pemda/api/indikator/{indikator.pk}/realisasi/3", "1", token("operator")
    )
    assert response.status_code == 409
    assert "diverifikasi" in response.json()["detail"]
    assert RealisasiK.objects.get(indikator=indikator, triwulan=3).nilai != Decimal(1)


def test_open_data_shows_verified_evaluations_only(client, client_for, disnaker, contoh):
    assert client.get("/pemda/api/terbuka/evaluasi").json() == []
    LaporanTriwulan.objects.update_or_create(
        renja=contoh, triwulan=2, defaults={"status": Status.DIVERIFIKASI}
    )
    LaporanTriwulan.objects.update_or_create(
        renja=disnaker, triwulan=3, defaults={"status": Status.DIAJUKAN}
    )
    LaporanTriwulan.objects.update_or_create(
        renja=disnaker, triwulan=2, defaults={"status": Status.DIKEMBALIKAN}
    )
    items = client.get("/pemda/api/terbuka/evaluasi").json()
    assert [(i["kode_perangkat_daerah"], i["triwulan"]) for i in items] == [("2.16.01", 2)]
    r = (
        client_for("admin")
        .get(f"/renja/{contoh.pk}/evaluasi/?triwulan=2")
        .context["evaluasi"]
        .ringkasan
    )
    assert items[0]["rata_rata_capaian_k"] == f"{r.rata_rata_capaian_k:.2f}"
    assert items[0]["persen_realisasi_rp"] == f"{r.persen_realisasi_rp:.2f}"
    assert client.get("/pemda/api/terbuka/evaluasi?tahun=2021").json() == []
    assert client.get("/pemda/api/terbuka/evaluasi?triwulan=3").json() == []

    detail = client.get(f"/pemda/api/terbuka/evaluasi/{contoh.pk}/2")
    assert detail.status_code == 200 and detail.json()["triwulan"] == 2
    for renja, tw in ((disnaker, 3), (disnaker, 2), (contoh, 1)):
        assert client.get(f"/pemda/api/terbuka/evaluasi/{renja.pk}/{tw}").status_code == 404
        assert client.get(f"/pemda/api/terbuka/evaluasi/{renja.pk}/{tw}/csv").status_code == 404


def test_open_data_csv_neutralises_formulas(client, contoh):
    LaporanTriwulan.objects.update_or_create(
        renja=contoh, triwulan=2, defaults={"status": Status.DIVERIFIKASI}
    )
    PerangkatDaerah.objects.filter(pk=contoh.perangkat_daerah_id).update(nama='=cmd|" /C calc"!A0')
    response = client.get("/pemda/api/terbuka/evaluasi.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["pemda", "kode_perangkat_daerah", "perangkat_daerah"]
    assert len(rows) == 2 and rows[1][2] == '\'=cmd|" /C calc"!A0'
    assert rows[1][6] == "50.00"  # numbers stay numbers

    Simpul.objects.filter(renja=contoh, kode="2.16.03").update(nama="@SUM(1)")
    selectors.clear_cache()
    detail = client.get(f"/pemda/api/terbuka/evaluasi/{contoh.pk}/2/csv").content.decode()
    assert "'@SUM(1)" in detail


def test_openapi_description_is_public_and_lists_the_endpoints(client):
    schema = client.get("/pemda/api/openapi.json").json()
    assert schema["info"]["title"] == "monev API"
    assert "/pemda/api/indikator/{indikator_id}/realisasi/{triwulan}" in schema["paths"]
    assert (
        "text/csv"
        in schema["paths"]["/pemda/api/terbuka/evaluasi.csv"]["get"]["responses"]["200"]["content"]
    )


def test_openapi_description_is_built_once_per_prefix_and_each_caller_gets_its_own(monkeypatch):
    import ninja.main

    from monev.pemda.api.base import Api

    fresh = Api(title="uji", version="1", urls_namespace="uji")
    built = []
    real = ninja.main.get_schema

    def counted(**kwargs):
        built.append(kwargs["path_prefix"])
        return real(**kwargs)

    monkeypatch.setattr(ninja.main, "get_schema", counted)
    first = fresh.get_openapi_schema(path_prefix="/satu/")
    first["info"]["title"] = "diubah pemanggil"
    assert fresh.get_openapi_schema(path_prefix="/satu/")["info"]["title"] == "uji"
    assert built == ["/satu/"]
    assert fresh.get_openapi_schema(path_prefix="/dua/")["info"]["title"] == "uji"
    assert built == ["/satu/", "/dua/"]
