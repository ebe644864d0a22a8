"""Benchmark (issue 3): evaluation page and one entry-row save for a PD of 600 indicator lines.

Server time measured in process with Django's test client (no network), on a fresh SQLite
database in a temporary folder (or on DATABASE_URL when set). Median of several runs.

Run: .venv/bin/python bench/web_bench.py [--runs 21] [--baris 600]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--baris", type=int, default=600)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="monev-bench-")
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
    lines = Indikator.objects.filter(simpul__renja=renja).count()
    print(
        f"{lines} baris indikator, {Simpul.objects.filter(renja=renja).count()} simpul ({connection.vendor})"
    )

    client = Client()
    client.force_login(operator)
    url = f"/renja/{renja.pk}/evaluasi/"
    client.get(url)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(
        f"halaman evaluasi: median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, maks {max(times) * 1000:.0f}); {len(queries)} kueri"
    )

    ids = list(Indikator.objects.filter(simpul__renja=renja).values_list("pk", flat=True))
    times = []
    for n in range(args.runs):
        indikator = Indikator(pk=ids[n % len(ids)])
        versi = selectors.versi_k(indikator, 3)  # the version the page showed (hx-vals)
        start = time.perf_counter()
        response = client.post(
            f"/renja/{renja.pk}/entri/3/k/{indikator.pk}/",
            {"nilai": f"{40 + n},5", "versi": versi},
        )
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content
    print(
        f"simpan satu sel entri: median {statistics.median(times) * 1000:.1f} ms "
        f"(min {min(times) * 1000:.1f}, maks {max(times) * 1000:.1f})"
    )

    url = f"/renja/{renja.pk}/entri/3/"
    times = []
    for _ in range(max(5, args.runs // 3)):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    print(f"halaman entri: median {statistics.median(times) * 1000:.0f} ms")

    # Accepting the quarter records its evaluation; the page of a verified quarter reads it back.
    from monev.web import siklus
    from monev.web.models import LaporanTriwulan

    services.laporan_narasi_update(
        user=operator,
        renja=renja,
        triwulan=3,
        narasi=dict.fromkeys(LaporanTriwulan.NARASI, "ada"),
        versi=selectors.versi_laporan(renja, 3),
    )
    siklus.laporan_submit(user=operator, renja=renja, triwulan=3)
    start = time.perf_counter()
    siklus.laporan_verify(user=admin, renja=renja, triwulan=3)
    print(
        f"terima triwulan (dengan rekaman evaluasi): {(time.perf_counter() - start) * 1000:.0f} ms"
    )
    url = f"/renja/{renja.pk}/evaluasi/?triwulan=3"
    times = []
    for _ in range(max(5, args.runs // 3)):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append(time.perf_counter() - start)
    print(
        f"halaman evaluasi triwulan terverifikasi: median {statistics.median(times) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
