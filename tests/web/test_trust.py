"""Trust (backups: tests/security/test_restore.py): production settings, sign-in limits, headers, upload limits, escaping."""

from __future__ import annotations

import io
import json
import os
import secrets
import subprocess
import sys
import zipfile

import pytest
from django.apps import apps

from monev.web.models import Indikator, Simpul


def _all_rows():
    """Return every row of every table, for comparing a database with its restored backup."""
    rows = {}
    for model in apps.get_models():
        rows[model._meta.db_table] = sorted(map(repr, model.objects.values_list()))
    return rows


def _monev(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "monev", *args],
        capture_output=True,
        text=True,
        env={k: v for k, v in {**os.environ, **env}.items() if v is not None},
    )


PRODUCTION = {
    "MONEV_PRODUKSI": "1",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "monev.contoh.go.id",
    "DEBUG": "0",
    # A single-office install; tests/security/test_production_settings.py covers the refusal.
    "MONEV_SQLITE_PRODUKSI": "1",
}


def test_deploy_check_is_clean_in_production(tmp_path):
    result = _monev(
        "kelola",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, "MONEV_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY wajib"),
        ({"DEBUG": "1"}, "DEBUG tidak boleh"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS wajib"),
        ({"DEBUG": "mungkin"}, "DEBUG harus"),
    ],
)
def test_production_refuses_to_start_when_unsafe(tmp_path, change, message):
    env = {**PRODUCTION, "MONEV_DATA_DIR": str(tmp_path), **change}
    if change.get("SECRET_KEY", "") is None:
        env["SECRET_KEY"] = None
    result = _monev("kelola", "check", env=env)
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr


def test_sign_in_is_rate_limited(client, users, settings):
    for _ in range(settings.MONEV_LOGIN_ATTEMPTS):
        assert (
            client.post("/masuk/", {"username": "operator", "password": "salah"}).status_code == 200
        )
    blocked = client.post("/masuk/", {"username": "operator", "password": "monev-demo"})
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.content.decode()


def test_successful_sign_in_clears_failures(client, users):
    client.post("/masuk/", {"username": "operator", "password": "salah"})
    assert (
        client.post("/masuk/", {"username": "operator", "password": "monev-demo"}).status_code
        == 302
    )


def test_security_headers(client_for, disnaker):
    response = client_for("operator").get(f"/renja/{disnaker.pk}/evaluasi/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script(client_for, disnaker):
    import re

    for url in (
        "/",
        f"/renja/{disnaker.pk}/",
        f"/renja/{disnaker.pk}/entri/3/",
        f"/renja/{disnaker.pk}/evaluasi/",
        "/papan/",
        "/impor/",
        "/jendela/",
    ):
        page = client_for("admin").get(url).content.decode()
        inline = [m for m in re.findall(r"<script([^>]*)>", page) if "src=" not in m]
        assert not inline, (url, inline)


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (120 * 1024 * 1024))
    return buffer.getvalue()


def test_workbook_that_unpacks_too_large_is_refused(client_for):
    from monev.web.models import PerangkatDaerah

    berkas = io.BytesIO(_zip_bomb())
    berkas.name = "bom.xlsx"
    pd = PerangkatDaerah.objects.get(kode="2.07.01")
    response = client_for("admin").post(
        "/impor/", {"perangkat_daerah": pd.pk, "tahun": "2030", "versi": "murni", "berkas": berkas}
    )
    assert response.status_code == 400
    assert "terlalu besar setelah dibuka" in response.content.decode()


SCRIPT = "<script>alert('x')</script>"


def test_user_text_is_escaped_on_every_page_and_export(client_for, users, disnaker, contoh):
    from monev.core.evaluation import evaluate
    from monev.io import tabular
    from monev.web import selectors, services

    simpul = Simpul.objects.get(renja=contoh, kode="2.16.03")
    Simpul.objects.filter(pk=simpul.pk).update(nama=SCRIPT, unit_kerja=SCRIPT)
    Indikator.objects.filter(simpul=simpul).update(teks=SCRIPT, satuan=SCRIPT)
    services.laporan_narasi_update(
        user=users["operator2"],
        renja=contoh,
        triwulan=3,
        narasi={"faktor_pendorong": SCRIPT},
        versi=selectors.versi_laporan(contoh, 3),
    )
    indikator = Indikator.objects.filter(simpul=simpul).first()
    urls = [
        "/",
        f"/renja/{contoh.pk}/",
        f"/renja/{contoh.pk}/entri/3/",
        f"/renja/{contoh.pk}/evaluasi/?triwulan=3",
        f"/indikator/{indikator.pk}/riwayat/",
        "/papan/",
    ]
    for url in urls:
        page = client_for("admin").get(url).content.decode()
        assert SCRIPT not in page, url
    evaluasi = evaluate(selectors.renja_data(contoh).core)
    # Data formats carry the text as data (JSON quotes it; a spreadsheet shows CSV text as text).
    assert json.loads(tabular.render_json(evaluasi))["baris"][0]["nama"] == SCRIPT
    assert SCRIPT in tabular.render_csv(evaluasi)
