"""Benchmark (issue 17 point 4): one entry-grid cell save (K and Rp) for a PD of 600 indicator
lines: wall and CPU time of this process (median of several runs), the queries one save makes,
and with `--profil` the functions a save spends its CPU in (cProfile, cumulative).

Server time measured in process with Django's test client, on a fresh SQLite database in a
temporary folder, or on DATABASE_URL when set (then a database of its own, e.g.
postgres://postgres@127.0.0.1:5432/monev_simpan, created empty beforehand).

Run: .venv/bin/python bench/save_bench.py [--runs 41] [--baris 600] [--profil]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--baris", type=int, default=600)
    parser.add_argument("--profil", action="store_true")
    parser.add_argument(
        "--sortir", default="cumulative", help="cProfile order: cumulative, tottime"
    )
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="monev-simpan-")
    os.environ.setdefault("MONEV_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from monev.io.flat import read_flat
    from monev.synthetic import synthetic_rows, write_flat_csv
    from monev.web import selectors, services
    from monev.web.demo import load_demo, prepare_database
    from monev.web.models import Indikator, PerangkatDaerah, Profil, Simpul

    prepare_database()
    load_demo()
    path = Path(tmp) / "pd600.csv"
    write_flat_csv(path, synthetic_rows(random.Random(7), "3.01", args.baris))
    admin = get_user_model().objects.get(username="admin")
    pd = PerangkatDaerah.objects.create(pemda_id=1, kode="SIN-600", nama="Dinas Sintetis 600")
    renja = services.renja_import(
        user=admin, perangkat_daerah=pd, tahun=2022, renja=read_flat(path)
    )
    operator = get_user_model().objects.create_user("op600", password="x-bench-password")
    Profil.objects.create(user=operator, peran="operator", perangkat_daerah=pd)
    client = Client()
    client.force_login(operator)
    ids_k = list(Indikator.objects.filter(simpul__renja=renja).values_list("pk", flat=True))
    ids_rp = list(
        Simpul.objects.filter(renja=renja, tingkat="sub_kegiatan").values_list("pk", flat=True)
    )
    print(f"{len(ids_k)} baris indikator ({connection.vendor})")

    def save_k(n: int) -> object:
        pk = ids_k[n % len(ids_k)]
        versi = selectors.versi_k(Indikator(pk=pk), 3)  # the version the page showed
        return client.post(
            f"/renja/{renja.pk}/entri/3/k/{pk}/", {"nilai": f"{40 + n},5", "versi": versi}
        )

    def save_rp(n: int) -> object:
        pk = ids_rp[n % len(ids_rp)]
        versi = selectors.versi_rp(Simpul(pk=pk), 3)
        return client.post(
            f"/renja/{renja.pk}/entri/3/rp/{pk}/", {"nilai": f"{1000 + n}", "versi": versi}
        )

    for label, save in (("K", save_k), ("Rp", save_rp)):
        save(10_000)
        times, cpu = [], []
        for n in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = save(n)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            assert response.status_code == 200, response.content  # type: ignore[attr-defined]
        with CaptureQueriesContext(connection) as queries:
            save(20_000)
        sqls = [q["sql"] for q in queries.captured_queries]  # a request start empties the log
        print(
            f"simpan sel {label}: median {statistics.median(times) * 1000:.1f} ms "
            f"(CPU median {statistics.median(cpu) * 1000:.1f} ms); {len(queries)} kueri"
        )
        if args.profil:
            profile = cProfile.Profile()
            profile.enable()
            for n in range(args.runs):
                save(30_000 + n)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(args.sortir).print_stats(45)
            print(out.getvalue())
            for sql in sqls:
                print(f"  {sql[:200]}")


if __name__ == "__main__":
    main()
