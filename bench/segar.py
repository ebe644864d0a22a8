"""The refresh of stored rows, two versions of the code side by side on one PostgreSQL copy of the
skala data set (issue 17: phase a's cost per Renja, phase b's refresh after one save).

Each version runs in its own process with its `src` first on PYTHONPATH (the same interpreter and
libraries), alternately, `--runs` times, on the same `--renja` Renja of the database `--db` (a
copy made by bench/skala.py with `--simpan`, or `CREATE DATABASE … TEMPLATE skala_dasar`; never
the template itself). Per run and version:

  a. those Renja's stored rows deleted, then `angka.refresh` of them in chunks of 20 (one process:
     the cost per Renja, which N processes divide);
  b. one save of a kegiatan line's realisation (`services.realisasi_k_update`), then
     `angka.refresh` of its Renja: the rows it moves rewritten.

Reported: medians of wall and CPU time (this process's: the database server's is not in it), and
the ratio new / old. The machine is shared and noisy: CPU time is the steadier figure.

Run: git archive main src | tar -x -C /tmp/segar/lama
     .venv/bin/python bench/segar.py --db skala_segar --lama /tmp/segar/lama/src --baru src
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(db: str, server: str, count: int, offset: int) -> dict[str, float]:
    os.environ["DATABASE_URL"] = server.rsplit("/", 1)[0] + "/" + db
    os.environ["DB_CONN_MAX_AGE"] = "0"
    os.environ.setdefault("MONEV_DATA_DIR", "/tmp/segar/data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")
    import django

    django.setup()
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from monev.pemda import angka
    from monev.pemda.models import AngkaIndikator, AngkaPD, AngkaSimpul, AngkaTanda
    from monev.web import selectors, services
    from monev.web.models import Indikator, Renja

    ids = list(Renja.objects.filter(diarsipkan=False).order_by("pk").values_list("pk", flat=True))[
        offset : offset + count
    ]
    for model in (AngkaTanda, AngkaIndikator, AngkaSimpul, AngkaPD):
        model.objects.filter(renja_id__in=ids).delete()
    out = {}
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(ids), 20):
        part = ids[start : start + 20]
        angka.refresh(Renja.objects.filter(pk__in=part).select_related("perangkat_daerah__pemda"))
    out["a_wall"] = (time.perf_counter() - wall) / len(ids)
    out["a_cpu"] = (time.process_time() - cpu) / len(ids)

    renja = Renja.objects.select_related("perangkat_daerah__pemda").get(pk=ids[0])
    indikator = (
        Indikator.objects.filter(simpul__renja=renja, simpul__tingkat="kegiatan", target__gt=0)
        .select_related("simpul__renja")
        .order_by("pk")[3]
    )
    admin = get_user_model().objects.get_or_create(  # the server's operator: every pemda
        username="admin_server", defaults={"is_superuser": True, "is_staff": True}
    )[0]
    services.realisasi_k_update(
        user=admin,
        indikator=indikator,
        triwulan=3,
        nilai=Decimal(time.time_ns() % 997),
        versi=selectors.versi_k(indikator, 3),
    )
    wall, cpu = time.perf_counter(), time.process_time()
    angka.refresh([renja])
    out["b_wall"] = time.perf_counter() - wall
    out["b_cpu"] = time.process_time() - cpu
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="skala_segar")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--lama", default="/tmp/segar/lama/src")
    parser.add_argument("--baru", default=str(ROOT / "src"))
    parser.add_argument("--renja", type=int, default=20)
    parser.add_argument("--offset", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--_child", action="store_true")
    args = parser.parse_args()
    if args._child:
        print(json.dumps(child(args.db, args.postgres, args.renja, args.offset)))
        return
    results: dict[str, list[dict[str, float]]] = {"lama": [], "baru": []}
    for _ in range(args.runs):
        for name, src in (("lama", args.lama), ("baru", args.baru)):
            env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
            argv = [sys.executable, __file__, "--_child", "--db", args.db]
            argv += ["--postgres", args.postgres, "--renja", str(args.renja)]
            argv += ["--offset", str(args.offset)]
            done = subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
            results[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(name, results[name][-1], flush=True)
    print(f"\n{args.renja} Renja × {args.runs} runs, median per Renja (a) and per save (b):")
    for key, label in (
        ("a_wall", "a. dari nol, wall per Renja"),
        ("a_cpu", "a. dari nol, CPU per Renja"),
        ("b_wall", "b. sesudah satu simpan, wall"),
        ("b_cpu", "b. sesudah satu simpan, CPU"),
    ):
        old = statistics.median(r[key] for r in results["lama"])
        new = statistics.median(r[key] for r in results["baru"])
        print(
            f"  {label:32} lama {old * 1000:7.0f} ms  baru {new * 1000:7.0f} ms  ×{new / old:.2f}"
        )


if __name__ == "__main__":
    main()
