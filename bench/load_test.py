"""Load test (issues 6, 13 and 17): gunicorn with 2 workers on PostgreSQL; 50 simulated operators
save realisations through the real HTTP interface for 60 s, on 127.0.0.1 only.

The figures are only worth something if the generator does not starve the server it measures
(they share this machine's cores), so:
- every operator signs in before the clock starts (a few at a time, with retries: password
  hashing is slow by design and must not be timed as a save, nor time out under load);
- an operator is a thread with one `http.client` connection (kept alive when the server allows
  it; gunicorn's sync worker closes it after each answer, and it is reopened), no urllib stack;
- the generator's own CPU, the gunicorn workers' CPU and the database backends' CPU over the
  timed window are reported (from /proc), as CPU milliseconds per save;
- zero lost writes is checked against the history: every save answered 200 must have its value
  in `Riwayat`, as many records as answers, and each cell must hold the value of the answer
  with its highest version.

A probe (one more operator, on a cell no other operator touches) saves every two seconds and
watches the stored rows of `monev.pemda.angka` until they hold its value: how long a save takes
to reach the figures a province and the nation read (with `--angka-latar 1`; with 0 the rows
follow only page reads, and the probe reports that they did not follow).

Run: .venv/bin/python bench/load_test.py [--operators 50] [--seconds 60] [--angka-latar 1]
     [--jeda 0] [--baris-impor 0] [--sel sendiri|bersama] [--pohon /work/main] [--db monev_beban]
     [--port 8799]
(`--pohon`: the same load on another tree's code, for a side-by-side figure.)
Needs: PostgreSQL on 127.0.0.1:5432 (user postgres) and gunicorn (pip install gunicorn).
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import json
import os
import random
import re
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERSI_SHOWN = re.compile(r'"versi": "(\d+)"')
IMPORT_PD = "9.99.01"
PASSWORD = "beban-monev-123"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[:2])} gagal:\n{result.stderr}")
    return result.stdout


def django_script(script: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + script],
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.exit(f"skrip Django gagal:\n{out.stderr}")
    return out.stdout


def setup_database(env: dict[str, str], db: str, operators: int) -> tuple[int, dict[int, int]]:
    """Create the demo in a fresh database with `operators` + 1 (the probe) operator accounts of
    one PD; return its 2022 Renja and each indicator's TW III version."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {db}")
    run([str(Path(sys.executable).with_name("monev")), "demo", "--tanpa-server"], env)
    out = django_script(
        f"""
from django.contrib.auth import get_user_model
from monev.pemda import angka
from monev.web.models import Indikator, PerangkatDaerah, Profil, RealisasiK, Renja
pd = PerangkatDaerah.objects.get(kode="2.07.01")
User = get_user_model()
for n in range(0, {operators} + 1):
    user = User.objects.create_user(f"beban{{n:02d}}", password="{PASSWORD}")
    Profil.objects.create(user=user, peran="operator", perangkat_daerah=pd, pemda=pd.pemda)
PerangkatDaerah.objects.create(pemda=pd.pemda, kode="{IMPORT_PD}", nama="Dinas Sintetis (beban)")
renja = Renja.objects.select_related("perangkat_daerah__pemda").get(perangkat_daerah=pd, tahun=2022)
angka.refresh([renja])  # the stored rows exist before the clock starts
shown = dict(RealisasiK.objects.filter(indikator__simpul__renja=renja, triwulan=3)
             .values_list("indikator_id", "versi"))
ids = Indikator.objects.filter(simpul__renja=renja, target__gt=0).values_list("pk", flat=True)
print(renja.pk, *(f"{{pk}}:{{shown.get(pk, 0)}}" for pk in ids))
""",
        env,
    )
    first, *cells = out.split()
    versions = {}
    for cell in cells:
        pk, versi = map(int, cell.split(":"))
        versions[pk] = versi
    return int(first), versions


class Client:
    """One operator's browser: a kept connection, its cookies, and the CSRF token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self, method: str, path: str, data: dict[str, str] | None = None
    ) -> tuple[int, str]:
        headers = {"Host": "127.0.0.1", "Referer": f"http://127.0.0.1:{self.port}/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # reopened by the next request
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.conn.close()
        return response.status, text

    def sign_in(self, username: str) -> str:
        """Sign in (retrying a refused or failed attempt); return "" or the last failure."""
        failure = ""
        for attempt in range(6):
            try:
                self.request("GET", "/masuk/")
                status, _ = self.request(
                    "POST", "/masuk/", {"username": username, "password": PASSWORD}
                )
            except (OSError, http.client.HTTPException) as exc:
                failure = f"{exc.__class__.__name__}: {exc}"
            else:
                if status == 302 and "sessionid" in self.cookies:
                    return ""
                failure = f"status {status}"
            time.sleep(0.5 * (attempt + 1))
        return failure


@dataclass
class Shared:
    """What the operators share: each cell's version as last shown, and the clock."""

    versions: dict[int, int]
    stop_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Save:
    at: float  # monotonic, when sent
    latency: float
    status: int
    indikator: int
    value: str
    versi: int | None  # as the answer shows it


class Operator(threading.Thread):
    def __init__(
        self,
        number: int,
        *,
        port: int,
        url: str,
        cells: list[int],
        shared: Shared,
        start: threading.Barrier,
        sign_in_slots: threading.Semaphore,
        jeda: float,
    ) -> None:
        super().__init__(daemon=True)
        self.number = number
        self.client = Client(port)
        self.url = url
        self.cells = cells
        self.shared = shared
        self.start_line = start
        self.sign_in_slots = sign_in_slots
        self.jeda = jeda
        self.saves: list[Save] = []
        self.errors: list[str] = []

    def run(self) -> None:
        with self.sign_in_slots:
            failure = self.client.sign_in(f"beban{self.number:02d}")
        if failure:
            self.errors.append(f"masuk: {failure}")
        self.start_line.wait()
        if failure:
            return
        rng = random.Random(self.number)
        count = 0
        while time.monotonic() < self.shared.stop_at:
            count += 1
            self.save_once(rng.choice(self.cells), f"{self.number}{count:05d},5")
            if self.jeda:
                time.sleep(rng.uniform(0.5, 1.5) * self.jeda)

    def save_once(self, indikator: int, value: str) -> Save | None:
        # Every save carries the version its page showed: the pages' shared view of each
        # cell, refreshed from every answer.
        with self.shared.lock:
            versi = self.shared.versions.get(indikator, 0)
        at = time.monotonic()
        start = time.perf_counter()
        try:
            status, page = self.client.request(
                "POST", self.url.format(indikator), {"nilai": value, "versi": str(versi)}
            )
        except (OSError, http.client.HTTPException) as exc:
            self.errors.append(f"simpan: {exc.__class__.__name__}")
            return None
        latency = time.perf_counter() - start
        shown_match = VERSI_SHOWN.search(page)
        shown = int(shown_match.group(1)) if shown_match else None
        if shown is not None:
            with self.shared.lock:
                self.shared.versions[indikator] = max(self.shared.versions.get(indikator, 0), shown)
        save = Save(at, latency, status, indikator, value, shown)
        self.saves.append(save)
        # 409: two operators saved the same cell at once; the later one is refused with the
        # other's value (correct behaviour, not an error, and not a save).
        if status not in (200, 409):
            self.errors.append(f"simpan: {status}")
        return save


class Probe(Operator):
    """Save one cell of its own every two seconds; time until the stored rows hold the value."""

    def __init__(self, *args: object, db: str, renja_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.db = db
        self.renja_id = renja_id
        self.delays: list[float] = []
        self.missed = 0

    def stored(self, conn: Any) -> Any:
        row = conn.execute(
            "SELECT realisasi, capaian FROM pemda_angkaindikator WHERE renja_id = %s AND "
            "triwulan = 3 AND indikator_ref = %s",
            (self.renja_id, self.cells[0]),
        ).fetchone()
        return tuple(row) if row else None

    def run(self) -> None:
        import psycopg

        with self.sign_in_slots:
            failure = self.client.sign_in(f"beban{self.number:02d}")
        if failure:
            self.errors.append(f"masuk: {failure}")
        self.start_line.wait()
        if failure:
            return
        conn = psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{self.db}", autocommit=True)
        count = 0
        while time.monotonic() < self.shared.stop_at - 3:
            count += 1
            # The line's stored year value moves with every save of its TW III (whatever its
            # aggregation), so a change of the row is the save arriving.
            before = self.stored(conn)
            save = self.save_once(self.cells[0], f"77{count:05d},25")
            if save is None or save.status != 200:
                continue
            answered = time.monotonic()
            deadline = answered + 2
            while time.monotonic() < deadline:
                if self.stored(conn) != before:
                    self.delays.append(time.monotonic() - answered)
                    break
                time.sleep(0.01)
            else:
                self.missed += 1
            time.sleep(max(0.0, answered + 2 - time.monotonic()))
        conn.close()


def cpu_of(pids: list[int]) -> dict[int, float]:
    """Return the CPU seconds (user + system) each of these processes used so far."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return found


def cpu_since(before: dict[int, float], pids: list[int]) -> float:
    """Return the CPU these processes used since `before` (a process new since: all of its)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in cpu_of(pids).items())


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def backends(db: str) -> list[int]:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        return [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (db,),
            )
        ]


def check_history(env: dict[str, str], answered: list[Save]) -> tuple[int, int, int]:
    """Return (history records of the bench's users, answered saves missing from the history,
    cells whose stored value is not their highest-version answer's)."""
    ok = [s for s in answered if s.status == 200]
    path = Path(env["MONEV_DATA_DIR"]) / "jawaban.json"
    path.write_text(json.dumps([[s.indikator, s.value, s.versi] for s in ok]))
    out = django_script(
        f"""
import json
from monev.core.numbers import parse_angka
from monev.web.models import RealisasiK, Riwayat
answers = json.loads(open({str(path)!r}).read())
recorded = {{}}
for ind, baru in Riwayat.objects.filter(
    jenis="realisasi_k", pengguna__username__startswith="beban"
).values_list("indikator_id", "nilai_baru"):
    key = (ind, parse_angka(baru, dot_is_thousands=True))
    recorded[key] = recorded.get(key, 0) + 1
missing = sum(
    1 for ind, value, _ in answers
    if not recorded.get((ind, parse_angka(value, dot_is_thousands=True)))
)
last = {{}}
for ind, value, versi in answers:
    if versi is not None and versi >= last.get(ind, (-1, None))[0]:
        last[ind] = (versi, parse_angka(value, dot_is_thousands=True))
stored = dict(RealisasiK.objects.filter(indikator_id__in=list(last), triwulan=3)
              .values_list("indikator_id", "nilai"))
wrong = sum(1 for ind, (_, value) in last.items() if stored.get(ind) != value)
print(sum(recorded.values()), missing, wrong)
""",
        env,
    )
    total, missing, wrong = map(int, out.split())
    return total, missing, wrong


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, max(0, round(p * len(sorted_values)) - 1))]


def ms(value: float) -> str:
    return f"{value * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--operators", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--angka-latar",
        choices=("0", "1"),
        default="1",
        help="MONEV_ANGKA_LATAR of the server: 1 refreshes the stored rows after each save",
    )
    parser.add_argument(
        "--jeda", type=float, default=0.0, help="mean seconds an operator waits between saves"
    )
    parser.add_argument("--baris-impor", type=int, default=0, help="import this many lines too")
    parser.add_argument(
        "--sel",
        choices=("sendiri", "bersama"),
        default="sendiri",
        help="sendiri: each operator saves only cells of its own (every request is a save, as "
        "in an office where each operator keeps their own indicators); bersama: every operator "
        "picks any cell (many requests end as 409 conflicts, which cost less than a save)",
    )
    parser.add_argument(
        "--pohon", type=Path, help="serve another source tree's code (e.g. /work/main)"
    )
    parser.add_argument("--db", default="monev_beban")
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.db}",
        "MONEV_DATA_DIR": tempfile.mkdtemp(prefix="monev-beban-"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "MONEV_LOGIN_ATTEMPTS": "1000",
        "MONEV_ANGKA_LATAR": "0",  # the set-up commands; the server gets --angka-latar
        "MONEV_LOG_LEVEL": "ERROR",  # not one line per refused (409) save
        "DJANGO_SETTINGS_MODULE": "monev.web.settings",
    }
    if args.pohon:
        env["PYTHONPATH"] = str(args.pohon.resolve() / "src")
    renja_id, versions = setup_database(env, args.db, args.operators)
    probe_cell, *cells = sorted(versions)
    monev = str(Path(sys.executable).with_name("monev"))
    berkas = Path(env["MONEV_DATA_DIR"]) / "impor-beban.csv"
    if args.baris_impor:
        run([monev, "data-sintetis", str(berkas), "--baris", str(args.baris_impor)], env)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "monev.web.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        # Connections outlive the window, so that their CPU is read at its end.
        env={**env, "MONEV_ANGKA_LATAR": args.angka_latar, "DB_CONN_MAX_AGE": "600"},
    )
    importer: dict[str, object] = {}
    try:
        for _ in range(150):
            try:
                Client(args.port).request("GET", "/masuk/")
                break
            except OSError:
                time.sleep(0.2)
        shared = Shared(versions)
        shared.stop_at = time.monotonic() + 3600
        start = threading.Barrier(args.operators + 2)
        common = {
            "port": args.port,
            "url": f"/renja/{renja_id}/entri/3/k/{{}}/",
            "shared": shared,
            "start": start,
            "sign_in_slots": threading.Semaphore(4),
            "jeda": args.jeda,
        }

        def own(n: int) -> list[int]:
            if args.sel == "bersama":
                return cells
            return cells[n - 1 :: args.operators] or [cells[(n - 1) % len(cells)]]

        threads = [Operator(n, cells=own(n), **common) for n in range(1, args.operators + 1)]
        probe = Probe(0, cells=[probe_cell], db=args.db, renja_id=renja_id, **common)
        for t in (*threads, probe):
            t.start()
        start.wait()  # everyone signed in
        workers, db_pids = children(server.pid), backends(args.db)
        cpu_before = (resource.getrusage(resource.RUSAGE_SELF), cpu_of(workers))
        db_before = cpu_of(db_pids)
        began = time.monotonic()
        shared.stop_at = began + args.seconds
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
        for t in (*threads, probe):
            t.join(args.seconds + 120)
        elapsed = time.monotonic() - began
        usage = resource.getrusage(resource.RUSAGE_SELF)
        generator_cpu = (
            usage.ru_utime + usage.ru_stime - cpu_before[0].ru_utime - cpu_before[0].ru_stime
        )
        server_cpu = cpu_since(cpu_before[1], children(server.pid))
        db_pids_after = backends(args.db)
        db_cpu = cpu_since(db_before, db_pids_after)
    finally:
        server.terminate()
        server.wait(30)
    saves = [s for t in threads for s in t.saves]
    latencies = sorted(s.latency for s in saves)
    ok = sum(1 for s in saves if s.status == 200)
    conflicts = sum(1 for s in saves if s.status == 409)
    errors = [e for t in (*threads, probe) for e in t.errors]
    recorded, missing, wrong = check_history(env, [*saves, *probe.saves])
    answered_ok = ok + sum(1 for s in probe.saves if s.status == 200)
    print(
        f"{args.operators} operator (+1 probe), {args.seconds} s, gunicorn 2 worker, PostgreSQL, "
        f"MONEV_ANGKA_LATAR={args.angka_latar}, jeda {args.jeda:g} s, sel {args.sel}, "
        f"kode {args.pohon or Path(__file__).resolve().parents[1]}"
    )
    print(
        f"permintaan simpan: {len(saves)} ({len(saves) / elapsed:.1f}/s); tersimpan {ok} "
        f"({ok / elapsed:.1f}/s); konflik 409 (sel sama disimpan bersamaan, ditolak dengan "
        f"benar): {conflicts}; galat: {len(errors)}"
    )
    if errors:
        print("  contoh galat:", sorted(set(errors))[:5])
    if latencies:
        print(
            f"latensi simpan: p50 {ms(statistics.median(latencies))}, "
            f"p95 {ms(percentile(latencies, 0.95))}, p99 {ms(percentile(latencies, 0.99))}, "
            f"maks {ms(latencies[-1])}"
        )
    per_save = 1000 / max(1, len(saves))
    print(
        f"CPU selama {elapsed:.1f} s: worker gunicorn {server_cpu:.1f} s "
        f"({server_cpu * per_save:.1f} ms/simpan), PostgreSQL {db_cpu:.1f} s "
        f"({db_cpu * per_save:.1f} ms/simpan; {len(db_pids_after)} koneksi), generator {generator_cpu:.1f} s "
        f"({generator_cpu * per_save:.1f} ms/simpan)"
    )
    if probe.delays or probe.missed:
        delays = sorted(probe.delays)
        print(
            f"kesegaran angka tersimpan (probe, {len(delays) + probe.missed} simpan): "
            + (f"p50 {ms(statistics.median(delays))}, maks {ms(delays[-1])}; " if delays else "")
            + f"tidak menyusul dalam 2 s: {probe.missed}"
        )
    imported = not args.baris_impor or importer.get("code") == 0
    if importer:
        seconds = importer["end"] - importer["start"]  # type: ignore[operator]
        print(
            f"impor {args.baris_impor} baris ({IMPORT_PD}): "
            + ("selesai" if imported else f"GAGAL (kode {importer['code']})")
            + f" dalam {seconds:.1f} s"
        )
    print(
        f"dijawab tersimpan: {answered_ok}; tercatat di riwayat: {recorded}; "
        f"jawaban tanpa catatan: {missing}; sel yang nilainya bukan simpanan versi tertinggi: "
        f"{wrong}; hilang: {missing}"
    )
    sys.exit(0 if not errors and recorded == answered_ok and not missing and not wrong else 1)


if __name__ == "__main__":
    main()
