"""The API's errors are JSON in Bahasa Indonesia and say where and what is wrong."""

from __future__ import annotations

import json
import re

import pytest

from monev.pemda import selectors
from monev.pemda.services import token_create
from monev.web.models import Indikator

ENGLISH = re.compile(
    r"Unauthorized|Forbidden|Not Found|not allowed|Field required|Input should|"
    r"String should|Value error|Cannot parse|Too many|Internal Server Error",
    re.IGNORECASE,
)


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.DEBUG = False
    selectors.clear_cache()


@pytest.fixture
def bearer(users):
    def make(username: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=users[username], nama='uji')[1]}"}

    return make


def _indikator(renja) -> Indikator:
    found = Indikator.objects.filter(simpul__renja=renja, simpul__kode="2.07.02.2.01").first()
    assert found is not None
    return found


def _detail(response, status: int):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert not ENGLISH.search(json.dumps(body, ensure_ascii=False)), body
    return body["detail"]


@pytest.mark.parametrize("header", [None, "Bearer monev_salah", "Basic abc"])
def test_missing_or_wrong_token_is_explained(client, db, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    detail = _detail(client.get("/pemda/api/renja", **extra), 401)
    assert "token pribadi" in detail and "/pemda/token/" in detail


def test_a_refused_value_names_its_field_in_indonesian(client, bearer, disnaker):
    url = f"/pemda/api/indikator/{_indikator(disnaker).pk}/realisasi/3"
    body = json.dumps({"nilai": "1,5"})
    detail = _detail(
        client.put(url, body, content_type="application/json", **bearer("operator")), 422
    )
    assert isinstance(detail, list) and detail[0]["loc"][-1] == "nilai"
    assert detail[0]["msg"].startswith("isi, nilai: tidak sesuai bentuk")


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        ("realisasi/3", "{}", "isi, nilai: wajib diisi"),
        ("realisasi/3", '{"nilai": 5}', "isi, nilai: harus berupa teks"),
        ("realisasi/9", '{"nilai": "1"}', "alamat, triwulan: paling besar 4"),
        ("realisasi/x", '{"nilai": "1"}', "alamat, triwulan: harus bilangan bulat"),
    ],
)
def test_every_refused_field_is_indonesian(client, bearer, disnaker, path, body, expected):
    url = f"/pemda/api/indikator/{_indikator(disnaker).pk}/{path}"
    response = client.put(url, body, content_type="application/json", **bearer("operator"))
    if response.status_code == 404:  # a path segment Django's converter refuses
        _detail(response, 404)
        return
    detail = _detail(response, 422)
    assert expected in [d["msg"] for d in detail], detail


def test_a_body_that_is_not_json_is_refused_in_indonesian(client, bearer, disnaker):
    url = f"/pemda/api/indikator/{_indikator(disnaker).pk}/realisasi/3"
    response = client.put(url, "{nilai", content_type="application/json", **bearer("operator"))
    assert response.status_code in (400, 422)
    _detail(response, response.status_code)


def test_a_method_the_address_does_not_serve(client, bearer, disnaker):
    response = client.post("/pemda/api/renja", **bearer("admin"))
    detail = _detail(response, 405)
    assert "POST" in detail and "GET" in detail
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("method", ["get", "post", "put"])
def test_an_unknown_address_under_the_api_is_json(client, db, method):
    detail = _detail(getattr(client, method)("/pemda/api/tidak-ada/sama-sekali"), 404)
    assert "/pemda/api/tidak-ada/sama-sekali" in detail and "openapi.json" in detail


def test_a_missing_object_is_indonesian(client, bearer):
    assert _detail(client.get("/pemda/api/renja/999999", **bearer("admin")), 404) == (
        "Tidak ditemukan."
    )


def test_a_fault_is_json_without_traceback(client, bearer, monkeypatch, caplog):
    from monev.pemda.api import baca

    def boom(*args, **kwargs):
        raise RuntimeError("rusak")

    monkeypatch.setattr(baca, "visible_renja", boom, raising=False)
    monkeypatch.setattr(baca.access, "visible_renja", boom)
    client.raise_request_exception = False
    response = client.get("/pemda/api/renja", **bearer("admin"))
    detail = _detail(response, 500)
    assert "kesalahan pada server" in detail and "rusak" not in detail
    assert any(r.exc_info for r in caplog.records)  # the traceback stays in the log


def test_open_data_csv_stays_machine_form_with_an_excel_choice(client, contoh):
    import csv
    import io

    from monev.web.models import LaporanTriwulan

    LaporanTriwulan.objects.update_or_create(
        renja=contoh, triwulan=2, defaults={"status": LaporanTriwulan.Status.DIVERIFIKASI}
    )
    machine = client.get("/pemda/api/terbuka/evaluasi.csv").content.decode()
    assert not machine.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(machine)))[1][6] == "50.00"
    excel = client.get("/pemda/api/terbuka/evaluasi.csv?excel=true").content.decode("utf-8")
    assert excel.startswith("\ufeffpemda;kode_perangkat_daerah;")
    assert list(csv.reader(io.StringIO(excel[1:]), delimiter=";"))[1][6] == "50,00"
    detail = client.get(f"/pemda/api/terbuka/evaluasi/{contoh.pk}/2/csv?excel=true")
    assert detail.content.decode("utf-8").startswith("\ufeffkode;tingkat;nama;")
