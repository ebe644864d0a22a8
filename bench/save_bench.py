"""Benchmark (issue 17 point 4): one entry-grid cell save (K and Rp) for a PD of 600 indicator
lines, side by side for two source trees (this one and, by default, /work/main) in one run:
wall and CPU time of the server side of a save (medians), their ratio, and the queries one save
makes; with `--profil` the functions a save of this tree spends its CPU in (cProfile).

Each tree runs in a process of its own (PYTHONPATH=<tree>/src, this environment's packages) on
a database of its own: a fresh SQLite file in a temporary folder, or with DATABASE_URL set a
fresh PostgreSQL database named after it plus `_a` / `_b`. The saves go to Django's WSGI
handler as gunicorn calls it (middleware, session cookie and CSRF token, auth, access checks, the
service, the answer), in rounds that alternate between the trees, so that the machine's noise
falls on both alike.

Run: .venv/bin/python bench/save_bench.py [--lawan /work/main] [--putaran 8] [--per-putaran 15]
     [--baris 600] [--profil]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]


def serve(baris: int) -> None:
    """The child: set up a PD of `baris` lines, then answer commands from stdin, one per line:
    `<K|Rp> <n>` times n saves, `profil <K|Rp> <n>` profiles them."""
    tmp = tempfile.mkdtemp(prefix="monev-simpan-")
    os.environ.setdefault("MONEV_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")
    os.environ["MONEV_ANGKA_LATAR"] = "0"  # the save alone
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from monev.io.flat import read_flat
    from monev.synthetic import synthetic_rows, write_flat_csv
    from monev.web import selectors, services
    from monev.web.demo import load_demo, prepare_database
    from monev.web.models import Indikator, PerangkatDaerah, Profil, Simpul

    prepare_database()
    load_demo()
    path = Path(tmp) / "pd600.csv"
    write_flat_csv(path, synthetic_rows(random.Random(7), "3.01", baris))
    admin = get_user_model().objects.get(username="admin")
    pd = PerangkatDaerah.objects.create(pemda_id=1, kode="SIN-600", nama="Dinas Sintetis 600")
    renja = services.renja_import(
        user=admin, perangkat_daerah=pd, tahun=2022, renja=read_flat(path)
    )
    operator = get_user_model().objects.create_user("op600", password="x-bench-password")
    Profil.objects.create(user=operator, peran="operator", perangkat_daerah=pd, pemda_id=1)
    # The saves go to Django's WSGI handler itself, as gunicorn calls it (every middleware, the
    # session cookie and the CSRF token of a signed-in browser), not through the test client,
    # whose own work (signals, response wrapping) would be part of every figure.
    client = Client()
    client.get("/masuk/")  # the CSRF cookie, as the sign-in page sets it
    client.force_login(operator)
    cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    csrf = client.cookies["csrftoken"].value
    handler = WSGIHandler()

    def send(path: str, data: dict[str, Any]) -> int:
        body = urllib.parse.urlencode(data).encode()
        environ = RequestFactory()._base_environ(
            PATH_INFO=path,
            REQUEST_METHOD="POST",
            CONTENT_TYPE="application/x-www-form-urlencoded",
            CONTENT_LENGTH=str(len(body)),
            HTTP_COOKIE=cookie,
            HTTP_X_CSRFTOKEN=csrf,
            **{"wsgi.input": io.BytesIO(body)},
        )
        status: list[str] = []
        b"".join(handler(environ, lambda s, headers, exc_info=None: status.append(s)))
        return int(status[0].split()[0])

    ids_k = list(Indikator.objects.filter(simpul__renja=renja).values_list("pk", flat=True))
    ids_rp = list(
        Simpul.objects.filter(renja=renja, tingkat="sub_kegiatan").values_list("pk", flat=True)
    )
    counter = iter(range(10**9))

    def save_k() -> Any:
        n = next(counter)
        pk = ids_k[n % len(ids_k)]
        versi = selectors.versi_k(Indikator(pk=pk), 3)  # the version the page showed
        return lambda: send(
            f"/renja/{renja.pk}/entri/3/k/{pk}/", {"nilai": f"{40 + n},5", "versi": versi}
        )

    def save_rp() -> Any:
        n = next(counter)
        pk = ids_rp[n % len(ids_rp)]
        versi = selectors.versi_rp(Simpul(pk=pk), 3)
        return lambda: send(
            f"/renja/{renja.pk}/entri/3/rp/{pk}/", {"nilai": f"{1000 + n}", "versi": versi}
        )

    saves: dict[str, Callable[[], Any]] = {"K": save_k, "Rp": save_rp}
    queries = {}
    for label, prepare in saves.items():
        prepare()()  # warm
        post = prepare()
        with CaptureQueriesContext(connection) as captured:
            post()
        queries[label] = [q["sql"] for q in captured.captured_queries]
    print(json.dumps({"vendor": connection.vendor, "lines": len(ids_k), "queries": queries}))
    sys.stdout.flush()
    for line in sys.stdin:
        words = line.split()
        if words[0] == "profil":
            profile = cProfile.Profile()
            posts = [saves[words[1]]() for _ in range(int(words[2]))]
            profile.enable()
            for post in posts:
                post()
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(words[3]).print_stats(40)
            print(json.dumps({"profil": out.getvalue()}))
        else:
            wall, cpu = [], []
            for _ in range(int(words[1])):
                post = saves[words[0]]()  # the version lookup is the page's, not timed
                start, start_cpu = time.perf_counter(), time.process_time()
                status = post()
                wall.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
                assert status == 200, status
            print(json.dumps({"wall": wall, "cpu": cpu}))
        sys.stdout.flush()


class Tree:
    """A child process running one source tree's code."""

    def __init__(self, label: str, root: Path, baris: int, database: str | None) -> None:
        env = {**os.environ, "PYTHONPATH": str(root / "src")}
        if database is not None:
            import psycopg

            base, _, name = database.rpartition("/")
            name = f"{name}_{label}"
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {name}")
            env["DATABASE_URL"] = f"{base}/{name}"
        self.label, self.root = label, root
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--anak", "--baris", str(baris)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.wall: dict[str, list[float]] = {"K": [], "Rp": []}
        self.cpu: dict[str, list[float]] = {"K": [], "Rp": []}

    def ask(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        if command:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            sys.exit(f"{self.label} ({self.root}) berhenti")
        return dict(json.loads(line))

    def run(self, label: str, n: int) -> None:
        answer = self.ask(f"{label} {n}")
        self.wall[label] += answer["wall"]
        self.cpu[label] += answer["cpu"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lawan", type=Path, default=Path("/work/main"), help="the other tree")
    parser.add_argument("--putaran", type=int, default=8, help="alternating rounds")
    parser.add_argument("--per-putaran", type=int, default=15, help="saves of each kind a round")
    parser.add_argument("--baris", type=int, default=600)
    parser.add_argument("--profil", action="store_true")
    parser.add_argument(
        "--sortir", default="cumulative", help="cProfile order: cumulative, tottime"
    )
    parser.add_argument("--anak", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.anak:
        serve(args.baris)
        return
    database = os.environ.get("DATABASE_URL")
    trees = [
        Tree("a", args.lawan.resolve(), args.baris, database),
        Tree("b", HERE, args.baris, database),
    ]
    setup = [tree.ask("") for tree in trees]
    print(f"{setup[0]['lines']} baris indikator ({setup[0]['vendor']})")
    for rnd in range(args.putaran):
        for tree in trees if rnd % 2 == 0 else trees[::-1]:
            for label in ("K", "Rp"):
                tree.run(label, args.per_putaran)
    for label in ("K", "Rp"):
        print(f"simpan sel {label} ({args.putaran * args.per_putaran} kali tiap pohon):")
        medians = []
        for tree, info in zip(trees, setup, strict=True):
            wall = statistics.median(tree.wall[label]) * 1000
            cpu = statistics.median(tree.cpu[label]) * 1000
            medians.append((wall, cpu))
            print(
                f"  {tree.root!s:<20} median {wall:5.1f} ms, CPU median {cpu:5.1f} ms; "
                f"{len(info['queries'][label])} kueri"
            )
        (wall_a, cpu_a), (wall_b, cpu_b) = medians
        print(f"  rasio ini/lawan: waktu {wall_b / wall_a:.2f}, CPU {cpu_b / cpu_a:.2f}")
    if args.profil:
        for label in ("K", "Rp"):
            print(trees[1].ask(f"profil {label} {args.per_putaran * 2} {args.sortir}")["profil"])
            for sql in setup[1]["queries"][label]:
                print(f"  {sql[:160]}")
    for tree in trees:
        assert tree.process.stdin is not None
        tree.process.stdin.close()
        tree.process.wait(30)


if __name__ == "__main__":
    main()
