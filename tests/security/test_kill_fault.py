"""A server or command killed with SIGKILL in the middle of a write leaves every table as it
was before or as it is after, never in between (one transaction per write; an import's chunks are
invisible until its swap, and removed by the next pass); an upload leaves no file behind. Real processes on a real database file: the demo database in a folder of its own."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import REFERENCE
from tests.demo_bersama import copy_demo

ROOT = Path(__file__).resolve().parents[2]


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MONEV_PRODUKSI")}
    return {**env, "MONEV_DATA_DIR": str(data), "SECRET_KEY": "k" * 60, **extra}


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        tables = [
            r[0]
            for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            # Sessions and sign-in failures belong to the request, not to the write under test.
            if r[0] not in ("django_session", "monev_percobaanmasuk")
        ]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}


def _visible(path: Path, rows: dict[str, list[tuple[object, ...]]]) -> dict[str, list[object]]:
    """The Renja rows and their nodes as every reader sees them: without the hidden rows an
    import writes its plan under in chunks (`monev.web.impor_tulis`) and what hangs off them."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        versi, renja_id = (
            [r[1] for r in db.execute(f"PRAGMA table_info({table})")].index(column)
            for table, column in (("monev_renja", "versi"), ("monev_simpul", "renja_id"))
        )
    hidden = {r[0] for r in rows["monev_renja"] if str(r[versi]).startswith("~")}
    return {
        "monev_renja": [r for r in rows["monev_renja"] if r[0] not in hidden],
        "monev_simpul": [r for r in rows["monev_simpul"] if r[renja_id] not in hidden],
    }


def _swept(rows: dict[str, list[tuple[object, ...]]]) -> dict[str, list[tuple[object, ...]]]:
    # AUTOINCREMENT counters move with the chunks written and removed, as ids, never reused.
    return {t: r for t, r in rows.items() if t != "sqlite_sequence"}


def _sweep(site: Path) -> subprocess.CompletedProcess[str]:
    """The scheduler's pass, every leftover counted stale: removes what a killed import left."""
    return subprocess.run(
        [sys.executable, "-m", "monev", "kelola", "jalankan_impor", "--semua"],
        env=_env(site, MONEV_IMPOR_BASI_DETIK="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The run's demo data folder (`monev demo --tanpa-server`), copied."""
    return copy_demo(tmp_path_factory, tmp_path_factory.mktemp("demo") / "data")


@pytest.fixture
def site(tmp_path, demo) -> Path:
    data = tmp_path / "data"
    shutil.copytree(demo, data)
    return data


def _changed_reference(tmp_path: Path) -> Path:
    """The reference file with other targets: importing it changes many rows."""
    text = (REFERENCE / "data.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    column = header.index("target_k")
    out = [text[0]]
    for line in text[1:]:
        cells = line.split(",")
        if len(cells) == len(header) and cells[column] == "100":
            cells[column] = "90"
        out.append(",".join(cells))
    path = tmp_path / "renja-baru.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def _start_paused(args: list[str], data: Path, needle: str, after: int = 1, **extra: str):
    marker = data.parent / f"penanda-{uuid.uuid4().hex}"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.security.kill_harness", *args],
        cwd=ROOT,
        env=_env(
            data,
            MONEV_UJI_PENANDA=str(marker),
            MONEV_UJI_SQL=needle,
            MONEV_UJI_SETELAH=str(after),
            **extra,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, marker


def _wait_for(marker: Path, process: subprocess.Popen[str]) -> None:
    for _ in range(600):
        if marker.exists():
            return
        if process.poll() is not None:
            pytest.fail(f"the process ended before the write: {process.communicate()}")
        time.sleep(0.05)
    process.kill()
    pytest.fail("the write under test was never reached")


def _kill(process: subprocess.Popen[str]) -> None:
    assert process.poll() is None, "the process must still be inside the write"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def test_an_import_killed_in_its_transaction_leaves_every_table_as_before(site, tmp_path):
    database = site / "monev.sqlite3"
    before = rows(database)
    berkas = _changed_reference(tmp_path)
    command = ["impor", str(berkas), "--pd", "2.07.01", "--tahun", "2022"]
    # Paused after the new plan's indicators began to be written (the old ones are deleted).
    process, marker = _start_paused(command, site, 'INSERT INTO "monev_indikator"')
    _wait_for(marker, process)
    _kill(process)
    # Chunks already committed sit under a hidden Renja row that no reader sees; the next pass
    # removes them, and every table is as before.
    assert _visible(database, rows(database)) == _visible(database, before)
    assert _sweep(site).returncode == 0
    assert _swept(rows(database)) == _swept(before)
    # The same import run to its end is the "after": the killed one was all or nothing.
    done = subprocess.run(
        [sys.executable, "-m", "monev", *command],
        env=_env(site),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert rows(database) != before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(
        self,
        path: str,
        data: dict[str, str],
        files: dict[str, tuple[str, bytes]] | None = None,
        timeout: float = 30,
    ):
        csrf = next(c.value for c in self.jar if c.name == "csrftoken")
        headers = {"X-CSRFToken": csrf, "Referer": self.base + "/"}
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in data.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            for name, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    "Content-Type: text/csv\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def sign_in(self, username: str) -> None:
        self.get("/masuk/")
        status, _ = self.post("/masuk/", {"username": username, "password": "monev-demo"})
        assert status == 200  # the redirect is followed to the home page


def _server(site: Path, needle: str):
    port = _free_port()
    process, marker = _start_paused(
        ["kelola", "runserver", "--noreload", f"127.0.0.1:{port}"],
        site,
        needle,
        # An import job runs in the server's own process, where the pause is.
        MONEV_IMPOR_LATAR="langsung",
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/masuk/", timeout=1).read()
            return process, marker, Browser(base)
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"the server did not start: {process.communicate()}")
            time.sleep(0.1)
    process.kill()
    pytest.fail("the server did not answer")


def _ids(database: Path) -> tuple[int, int, int]:
    """A Renja, one of its indicators, and the version of its quarter III value (0: none)."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        renja, indikator = db.execute(
            "SELECT r.id, i.id FROM monev_renja r JOIN monev_perangkatdaerah p "
            "ON p.id = r.perangkat_daerah_id JOIN monev_simpul s ON s.renja_id = r.id "
            "JOIN monev_indikator i ON i.simpul_id = s.id WHERE p.kode = '2.07.01' "
            "ORDER BY i.id LIMIT 1"
        ).fetchone()
        found = db.execute(
            "SELECT versi FROM monev_realisasik WHERE indikator_id = ? AND triwulan = 3",
            (indikator,),
        ).fetchone()
    return renja, indikator, found[0] if found else 0


def _send_in_background(call):
    import threading

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    return thread


def test_a_save_killed_in_the_server_leaves_every_table_as_before(site):
    database = site / "monev.sqlite3"
    renja, indikator, versi = _ids(database)
    # Paused after the value is written and before its history record: the two go together.
    process, marker, browser = _server(site, 'INSERT INTO "monev_riwayat"')
    try:
        browser.sign_in("operator")
        before = rows(database)

        def save() -> None:
            with contextlib.suppress(Exception):
                browser.post(
                    f"/renja/{renja}/entri/3/k/{indikator}/",
                    {"nilai": "77,5", "versi": str(versi)},
                    timeout=60,
                )

        _send_in_background(save)
        _wait_for(marker, process)
        _kill(process)
    finally:
        if process.poll() is None:
            process.kill()
    assert rows(database) == before


def _without_jobs(tables: dict[str, list[tuple[object, ...]]]) -> dict[str, list[object]]:
    """Every table but the import jobs' own (the job's row says it ran; the plan is as before)."""
    return {
        name: [r for r in content if r[:1] != ("monev_tugasimpor",)]
        for name, content in tables.items()
        if name != "monev_tugasimpor"
    }


def test_a_web_import_killed_in_the_server_leaves_the_tables_and_no_file(site, tmp_path):
    database = site / "monev.sqlite3"
    with contextlib.closing(sqlite3.connect(database)) as db:
        (pd,) = db.execute("SELECT id FROM monev_perangkatdaerah WHERE kode = '2.07.01'").fetchone()
    process, marker, browser = _server(site, 'INSERT INTO "monev_indikator"')
    try:
        browser.sign_in("admin")
        form = {"perangkat_daerah": str(pd), "tahun": "2022", "versi": "murni", "jenis": "datar"}
        content = _changed_reference(tmp_path).read_bytes()
        status, page = browser.post("/impor/", form, files={"berkas": ("renja-baru.csv", content)})
        assert status == 200 and "Pratinjau" in page
        token = re.search(r'name="token" value="([0-9a-f]{32}\.csv)"', page).group(1)
        assert (site / "impor" / token).exists()
        before = rows(database)

        def confirm() -> None:
            with contextlib.suppress(Exception):
                browser.post(
                    "/impor/",
                    {**form, "token": token, "nama_berkas": "renja-baru.csv", "konfirmasi": "1"},
                    timeout=60,
                )

        _send_in_background(confirm)
        _wait_for(marker, process)
        _kill(process)
    finally:
        if process.poll() is None:
            process.kill()
    assert _visible(database, rows(database)) == _visible(database, before)
    assert sorted(p.name for p in (site / "impor").iterdir() if p.is_file()) == []
    # The scheduler's pass marks the dead job failed, removes its copy of the file and the rows
    # the killed import left under its hidden Renja row.
    swept = _sweep(site)
    assert swept.returncode == 0, swept.stderr
    assert _swept(_without_jobs(rows(database))) == _swept(_without_jobs(before))
    assert "1 tugas terhenti ditandai gagal" in swept.stdout
    assert sorted(p.name for p in (site / "impor" / "tugas").iterdir()) == []
    with contextlib.closing(sqlite3.connect(database)) as db:
        assert db.execute("SELECT status FROM monev_tugasimpor").fetchall() == [("gagal",)]
