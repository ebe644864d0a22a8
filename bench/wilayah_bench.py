"""The regional summary (`/pemda/wilayah/`) at national size, on a database `bench/skala.py` kept
(`--simpan`, its stored rows made): the ministry's page per pemda and per program, and the two
ways of telling how fresh the rows are, side by side in one run:
  - `angka_sql.computed` (what the page shows: Renja in force, how many have rows, the newest
    computation time; two queries);
  - `angka.stale` over every Renja in force (which of them are stale: their change marks against
    the stored marks), which the page also shows;
and the program names of the per-program table: from the plans of the Renja in force (what the
page does) against a grouped scan of the stored program rows (the first version).
Medians of `--runs`; wall time and this process's CPU time (the database server's is not in it).

Run: .venv/bin/python bench/wilayah_bench.py --db skala_wilayah
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any


def timed(runs: int, work: Callable[[], Any]) -> tuple[float, float]:
    """Return the median wall and CPU seconds of `runs` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return statistics.median(wall), statistics.median(cpu)


def names_from_rows(ids: list[int], tahun: int, triwulan: int) -> dict[str, str]:
    """The first version of `angka_sql.program_names`: every stored program row, grouped."""
    from django.db.models import Min, Q

    from monev.pemda import angka_sql
    from monev.pemda.models import AngkaSimpul

    rows = (
        AngkaSimpul.objects.filter(
            pemda_id__in=ids, tahun=tahun, triwulan=triwulan, tingkat="program"
        )
        .filter(Q(renja__isnull=True) | Q(renja_id__in=angka_sql.renja_in_force(ids, tahun)))
        .values("kode")
        .annotate(nama=Min("nama"))
        .order_by()
    )
    return {row["kode"]: row["nama"] for row in rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="skala_wilayah")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{args.postgres}/{args.db}"
    os.environ["DB_CONN_MAX_AGE"] = "0"
    os.environ["MONEV_DATA_DIR"] = tempfile.mkdtemp(prefix="wilayah-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from monev.pemda import angka, angka_sql
    from monev.web.models import Pemda, Profil, Renja

    setup_test_environment()
    user, _ = get_user_model().objects.get_or_create(username="bench_kementerian")
    Profil.objects.update_or_create(
        user=user, defaults={"peran": Profil.Peran.KEMENTERIAN, "pemda": None}
    )
    client = Client()
    client.force_login(user)
    ids = list(Pemda.objects.values_list("pk", flat=True))
    tahun = 2022
    in_force = list(
        Renja.objects.filter(pk__in=angka_sql.renja_in_force(ids, tahun)).select_related(
            "perangkat_daerah__pemda"
        )
    )
    print(f"{len(ids)} pemda, {len(in_force)} Renja berlaku {tahun}")
    checks = {
        "halaman per pemda": lambda: client.get(f"/pemda/wilayah/?tahun={tahun}&triwulan=3"),
        "halaman per program": lambda: client.get(
            f"/pemda/wilayah/?tahun={tahun}&triwulan=3&kelompok=program"
        ),
        "CSV per pemda": lambda: client.get(f"/pemda/wilayah.csv?tahun={tahun}&triwulan=3"),
        "angka_sql.computed": lambda: angka_sql.computed(ids, tahun),
        "angka.stale (semua Renja berlaku)": lambda: angka.stale(in_force),
        "angka.stale + memuat Renja": lambda: angka.stale(
            Renja.objects.filter(pk__in=angka_sql.renja_in_force(ids, tahun)).select_related(
                "perangkat_daerah__pemda"
            )
        ),
        "program_names (rencana + tarikan)": lambda: angka_sql.program_names(ids, tahun, 3),
        "nama program dari baris tersimpan": lambda: names_from_rows(ids, tahun, 3),
    }
    assert client.get(f"/pemda/wilayah/?tahun={tahun}").status_code == 200
    for label, work in checks.items():
        wall, cpu = timed(args.runs, work)
        print(f"{label:36s} wall {wall * 1000:8.1f} ms  cpu {cpu * 1000:8.1f} ms")
    stale = angka.stale(in_force)
    print(f"stale: {len(stale)} of {len(in_force)}")


if __name__ == "__main__":
    main()
