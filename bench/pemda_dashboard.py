"""Benchmark (issue 7): the pemda dashboard for a generated pemda of 50 PD × 600 indicator lines.

Server time measured in process with Django's test client (no network), on a fresh SQLite
database in a temporary folder (or on DATABASE_URL when set). Prints the median of several runs
with the figures cached, the first request with nothing cached anywhere, the first request of a
new process (the figures stored in the database by an earlier one, none in the process: median
of several runs, each after emptying the process's cache only), the request after one PD's
realisation changed (one PD evaluated again), and the number of queries of each, which must not
depend on the number of PDs.

Half of the PDs get quarterly plans (K and Rp), so that the plans' evaluation is measured too;
they are written in bulk here, not through the services, to keep the set-up short.

Run: .venv/bin/python bench/pemda_dashboard.py [--pd 50] [--baris 600] [--runs 21]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pd", type=int, default=50)
    parser.add_argument("--baris", type=int, default=600)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="monev-bench-pemda-")
    os.environ.setdefault("MONEV_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from monev.io.flat import read_flat
    from monev.pemda import selectors
    from monev.synthetic import synthetic_rows, write_flat_csv
    from monev.web import selectors as web_selectors
    from monev.web import services
    from monev.web.demo import load_demo, prepare_database
    from monev.web.models import Indikator, PerangkatDaerah

    prepare_database()
    load_demo()
    users = get_user_model().objects
    admin, verifikator = users.get(username="admin"), users.get(username="verifikator")
    client = Client()
    client.force_login(verifikator)
    url = "/pemda/?tahun=2022&triwulan=3"

    def measure() -> tuple[float, int]:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200
        return elapsed, len(queries)

    client.get(url)  # the session and the demo's two PDs
    selectors.clear_cache(stored=True)
    _, queries_demo = measure()
    selectors.clear_cache()
    _, queries_demo_stored = measure()

    started = time.perf_counter()
    rng = random.Random(7)
    pemda_id = PerangkatDaerah.objects.first().pemda_id
    for n in range(1, args.pd + 1):
        urusan, bidang = divmod(n - 1, 30)
        path = Path(tmp) / f"pd-{n:02d}.csv"
        write_flat_csv(path, synthetic_rows(rng, f"{urusan + 1}.{bidang + 1:02d}", args.baris))
        pd = PerangkatDaerah.objects.create(
            pemda_id=pemda_id, kode=f"SIN-{n:02d}", nama=f"Dinas Sintetis {n:02d}"
        )
        renja = services.renja_import(
            user=admin, perangkat_daerah=pd, tahun=2022, renja=read_flat(path)
        )
        if n % 2 == 0:
            _plans(renja)
    lines = Indikator.objects.filter(simpul__renja__tahun=2022).count()
    print(
        f"{args.pd} PD sintetis + 2 PD demo, {lines} baris indikator ({connection.vendor}); "
        f"disiapkan dalam {time.perf_counter() - started:.0f} s"
    )

    selectors.clear_cache(stored=True)
    cold, queries_cold = measure()
    fresh, fresh_counts = [], set()
    for _ in range(max(args.runs // 3, 3)):
        selectors.clear_cache()  # a new process: the figures are in the database only
        elapsed, count = measure()
        fresh.append(elapsed)
        fresh_counts.add(count)
    times, counts = [], set()
    for _ in range(args.runs):
        elapsed, count = measure()
        times.append(elapsed)
        counts.add(count)
    print(
        f"dasbor, angka dalam cache: median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, maks {max(times) * 1000:.0f}); kueri {sorted(counts)}"
    )
    print(
        f"dasbor, permintaan pertama tanpa cache sama sekali: {cold * 1000:.0f} ms; "
        f"{queries_cold} kueri"
    )
    print(
        f"dasbor, permintaan pertama proses baru (angka tersimpan di basis data): median "
        f"{statistics.median(fresh) * 1000:.0f} ms (min {min(fresh) * 1000:.0f}, maks "
        f"{max(fresh) * 1000:.0f}); kueri {sorted(fresh_counts)}"
    )
    print(
        f"kueri dengan 2 PD demo saja: tanpa cache {queries_demo}, proses baru "
        f"{queries_demo_stored} (sama = tidak per PD)"
    )

    indikator = Indikator.objects.filter(simpul__renja__perangkat_daerah__kode="SIN-01").first()
    changed = []
    for n in range(5):
        services.realisasi_k_update(
            user=admin,
            indikator=indikator,
            triwulan=3,
            nilai=Decimal(40 + n),
            versi=web_selectors.versi_k(indikator, 3),
        )
        elapsed, count = measure()
        changed.append(elapsed)
    print(
        f"dasbor setelah satu realisasi berubah (satu PD dievaluasi ulang): median "
        f"{statistics.median(changed) * 1000:.0f} ms; {count} kueri"
    )

    selectors.clear_cache()
    start = time.perf_counter()
    assert client.get("/pemda/peringatan/?tahun=2022&triwulan=3").status_code == 200
    print(f"peringatan dini, proses baru: {(time.perf_counter() - start) * 1000:.0f} ms")
    for name, page in (
        ("peringatan dini", "/pemda/peringatan/?tahun=2022&triwulan=3"),
        ("konsolidasi", "/pemda/konsolidasi/?tahun=2022&triwulan=3"),
        ("peta panas (SVG)", "/pemda/grafik/peta-panas.svg?tahun=2022&triwulan=3"),
    ):
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            assert client.get(page).status_code == 200
            runs.append(time.perf_counter() - start)
        print(f"{name}: median {statistics.median(runs) * 1000:.0f} ms")


def _plans(renja) -> None:
    """Give every indicator and every leaf node of a Renja a straight-line quarterly plan."""
    from monev.pemda.models import RencanaK, RencanaRp
    from monev.web.models import Indikator, Simpul

    RencanaK.objects.bulk_create(
        [
            RencanaK(
                indikator=item,
                tw1=item.target * Decimal("0.25"),
                tw2=item.target * Decimal("0.5"),
                tw3=item.target * Decimal("0.75"),
                tw4=item.target,
            )
            for item in Indikator.objects.filter(simpul__renja=renja, target__isnull=False)
        ],
        batch_size=500,
    )
    parents = set(
        Simpul.objects.filter(renja=renja, induk__isnull=False).values_list("induk_id", flat=True)
    )
    RencanaRp.objects.bulk_create(
        [
            RencanaRp(
                simpul=node,
                tw1=node.pagu * Decimal("0.2"),
                tw2=node.pagu * Decimal("0.45"),
                tw3=node.pagu * Decimal("0.75"),
                tw4=node.pagu,
            )
            for node in Simpul.objects.filter(renja=renja, pagu__isnull=False)
            if node.pk not in parents
        ],
        batch_size=500,
    )


if __name__ == "__main__":
    main()
