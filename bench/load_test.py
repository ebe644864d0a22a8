"""Load test (issues 6 and 13): gunicorn with 2 workers on PostgreSQL; 50 simulated operators
save realisations through the real HTTP interface for 60 s, on 127.0.0.1 only, while an import
of a 30 000-line Renja (another PD, `monev impor`) runs in the same database.

Afterwards every successful save must be found in the change history (zero lost writes) and
the import must have finished; the script reports errors, throughput, the median and p95
latency of a save (overall and while the import ran) and the import's duration.

Run: .venv/bin/python bench/load_test.py [--operators 50] [--seconds 60] [--baris-impor 30000]
Needs: PostgreSQL on 127.0.0.1:5432 (user postgres) and gunicorn (pip install gunicorn).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

VERSIONS: dict[int, int] = {}
VERSIONS_LOCK = threading.Lock()
VERSI_SHOWN = re.compile(r'"versi": "(\d+)"')

PORT = 8799
BASE = f"http://127.0.0.1:{PORT}"
DB = "monev_beban"
IMPORT_PD = "9.99.01"
PASSWORD = "beban-monev-123"


def run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[:2])} gagal:\n{result.stderr}")
    return result.stdout


def setup_database(env: dict[str, str], operators: int) -> tuple[int, list[int]]:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    monev = str(Path(sys.executable).with_name("monev"))
    run([monev, "demo", "--tanpa-server"], env)
    script = f"""
import django; django.setup()
from django.contrib.auth import get_user_model
from monev.web.models import Indikator, PerangkatDaerah, Profil, RealisasiK, Renja
pd = PerangkatDaerah.objects.get(kode="2.07.01")
User = get_user_model()
for n in range(1, {operators} + 1):
    user = User.objects.create_user(f"beban{{n:02d}}", password="{PASSWORD}")
    Profil.objects.create(user=user, peran="operator", perangkat_daerah=pd)
PerangkatDaerah.objects.create(pemda=pd.pemda, kode="{IMPORT_PD}", nama="Dinas Sintetis (beban)")
renja = Renja.objects.get(perangkat_daerah=pd, tahun=2022)
shown = dict(RealisasiK.objects.filter(indikator__simpul__renja=renja, triwulan=3)
             .values_list("indikator_id", "versi"))
ids = Indikator.objects.filter(simpul__renja=renja).values_list("pk", flat=True)
print(renja.pk, *(f"{{pk}}:{{shown.get(pk, 0)}}" for pk in ids))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    first, *cells = out.stdout.split()
    for cell in cells:
        pk, versi = map(int, cell.split(":"))
        VERSIONS[pk] = versi
    return int(first), sorted(VERSIONS)


class Operator(threading.Thread):
    def __init__(
        self,
        number: int,
        renja_id: int,
        indikator: list[int],
        start: threading.Barrier,
        clock: dict[str, float],
    ) -> None:
        super().__init__(daemon=True)
        self.number = number
        self.renja_id = renja_id
        self.indikator = indikator
        self.start_line = start
        self.clock = clock
        self.latencies: list[float] = []
        self.started: list[float] = []
        self.saved = 0
        self.conflicts = 0
        self.errors: list[str] = []
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, path: str, data: dict[str, str]) -> int:
        return self.post_page(path, data)[0]

    def post_page(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(
            BASE + path, data=body, headers={"X-CSRFToken": self.csrf(), "Referer": BASE + "/"}
        )
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def sign_in(self) -> bool:
        try:
            with self.opener.open(BASE + "/masuk/", timeout=120) as response:
                response.read()
            status = self.post(
                "/masuk/", {"username": f"beban{self.number:02d}", "password": PASSWORD}
            )
        except Exception as exc:  # report, never hide
            self.errors.append(f"masuk: {exc.__class__.__name__}: {exc}")
            return False
        if status not in (200, 302):
            self.errors.append(f"masuk: {status}")
            return False
        return True

    def run(self) -> None:
        signed_in = self.sign_in()
        # Everyone signs in first (password hashing is slow by design); then the clock starts.
        self.start_line.wait()
        if not signed_in:
            return
        rng = random.Random(self.number)
        count = 0
        while time.monotonic() < self.clock["stop_at"]:
            count += 1
            indikator = rng.choice(self.indikator)
            value = f"{self.number}{count:05d},5"  # unique: every save changes the value
            start = time.perf_counter()
            self.started.append(time.monotonic())
            # Every save carries the version its page showed (issue 13's web-integrity work):
            # the pages' shared view of each cell, refreshed from every answer.
            with VERSIONS_LOCK:
                versi = VERSIONS.get(indikator, 0)
            try:
                status, page = self.post_page(
                    f"/renja/{self.renja_id}/entri/3/k/{indikator}/",
                    {"nilai": value, "versi": str(versi)},
                )
            except Exception as exc:
                self.errors.append(f"simpan: {exc.__class__.__name__}")
                continue
            finally:
                self.latencies.append(time.perf_counter() - start)
            shown = VERSI_SHOWN.search(page)
            if shown:
                with VERSIONS_LOCK:
                    VERSIONS[indikator] = max(VERSIONS.get(indikator, 0), int(shown.group(1)))
            if status == 200:
                self.saved += 1
            elif status == 409:
                # Two operators saved the same cell at once: the later one is refused with
                # the other's value (correct behaviour, not an error, and not a save).
                self.conflicts += 1
            else:
                self.errors.append(f"simpan: {status}")


def count_history(env: dict[str, str]) -> int:
    script = """
import django; django.setup()
from monev.web.models import Riwayat
print(Riwayat.objects.filter(jenis="realisasi_k", pengguna__username__startswith="beban").count())
"""
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    return int(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--operators", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--baris-impor", type=int, default=30000, help="0: no import")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "MONEV_DATA_DIR": tempfile.mkdtemp(prefix="monev-beban-"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "MONEV_LOGIN_ATTEMPTS": "1000",
        "DJANGO_SETTINGS_MODULE": "monev.web.settings",
    }
    renja_id, indikator = setup_database(env, args.operators)
    berkas = Path(env["MONEV_DATA_DIR"]) / "impor-beban.csv"
    monev = str(Path(sys.executable).with_name("monev"))
    if args.baris_impor:
        run([monev, "data-sintetis", str(berkas), "--baris", str(args.baris_impor)], env)
    importer: dict[str, object] = {}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [
            gunicorn,
            "monev.web.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/masuk/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        start = threading.Barrier(args.operators + 1)
        clock = {"stop_at": 0.0}
        threads = [
            Operator(n, renja_id, indikator, start, clock) for n in range(1, args.operators + 1)
        ]
        for t in threads:
            t.start()
        clock["stop_at"] = time.monotonic() + 3600
        start.wait()
        clock["stop_at"] = time.monotonic() + args.seconds
        if args.baris_impor:
            time.sleep(min(5, args.seconds / 10))  # the saves are under way when it starts
            importer["start"] = time.monotonic()
            done = subprocess.run(
                [monev, "impor", str(berkas), "--pd", IMPORT_PD, "--tahun", "2022"],
                env=env,
                capture_output=True,
                text=True,
            )
            importer.update(
                end=time.monotonic(), code=done.returncode, out=(done.stdout + done.stderr).strip()
            )
        for t in threads:
            t.join(args.seconds + 60)
    finally:
        server.terminate()
        server.wait(30)
    latencies = sorted(x for t in threads for x in t.latencies)
    if importer:
        during = sorted(
            latency
            for t in threads
            for latency, at in zip(t.latencies, t.started, strict=True)
            if importer["start"] <= at <= importer["end"]  # type: ignore[operator]
        )
    errors = [e for t in threads for e in t.errors]
    saved = sum(t.saved for t in threads)
    conflicts = sum(t.conflicts for t in threads)
    recorded = count_history(env)
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    print(f"{args.operators} operator, {args.seconds} s, gunicorn 2 worker, PostgreSQL")
    print(
        f"simpan: {len(latencies)} permintaan ({len(latencies) / args.seconds:.1f}/s), galat: {len(errors)}"
    )
    print(f"konflik (simpan bersamaan di sel yang sama, ditolak 409 dengan benar): {conflicts}")
    if errors:
        print("  contoh galat:", sorted(set(errors))[:5])
    if latencies:
        print(
            f"latensi simpan: median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
        )
    imported = not args.baris_impor or importer.get("code") == 0
    if importer:
        seconds = importer["end"] - importer["start"]  # type: ignore[operator]
        print(
            f"impor {args.baris_impor} baris ({IMPORT_PD}): "
            + ("selesai" if imported else f"GAGAL (kode {importer['code']})")
            + f" dalam {seconds:.1f} s; {importer['out'].splitlines()[-1] if importer['out'] else ''}"
        )
        if during:
            p95_during = during[int(len(during) * 0.95) - 1]
            print(
                f"selama impor: {len(during)} simpan, median "
                f"{statistics.median(during) * 1000:.0f} ms, p95 {p95_during * 1000:.0f} ms"
            )
    print(
        f"tersimpan menurut klien: {saved}; tercatat di riwayat: {recorded}; hilang: {saved - recorded}"
    )
    sys.exit(0 if not errors and saved == recorded and imported else 1)


if __name__ == "__main__":
    main()
