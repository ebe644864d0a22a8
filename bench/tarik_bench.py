"""Benchmark (issue 17 point 3): a province pulling one kabupaten from its own monev server.

The source is a real second server on 127.0.0.1 (`tests/web/tarik_sumber.py`: `django
runserver`, its own SQLite file, the demo renamed to a kabupaten plus `--pd` synthetic PDs of
`--baris` indicator lines, TW I of every PD verified); the province is a fresh SQLite database in
this process. Prints the medians of several runs of: a first pull (everything new: every page
read, checked and written), a pull of an unchanged source (one 304), and a pull that must
compare everything (ETag forgotten: every page read and checked, nothing written).

Run from the repository root: .venv/bin/python bench/tarik_bench.py [--pd 10] [--baris 300] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pd", type=int, default=10)
    parser.add_argument("--baris", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.web import tarik_sumber

    source_dir = Path(tempfile.mkdtemp(prefix="monev-bench-sumber-"))
    started = time.perf_counter()
    tarik_sumber.run(source_dir, "siapkan", "--pd", str(args.pd), "--baris", str(args.baris))
    prepared = time.perf_counter() - started
    server = tarik_sumber.start(source_dir)
    try:
        _measure(args, server.base, prepared)
    finally:
        server.stop()


def _measure(args: argparse.Namespace, base: str, prepared: float) -> None:
    os.environ["MONEV_DATA_DIR"] = tempfile.mkdtemp(prefix="monev-bench-provinsi-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")
    import django

    django.setup()
    from tests.web.tarik_sumber import NAMA

    from monev.pemda import tarik
    from monev.pemda.models import AngkaIndikator, AngkaSimpul
    from monev.pemda.models_tarik import SumberData, TriwulanTertarik
    from monev.web.demo import prepare_database

    prepare_database()
    sumber = SumberData.objects.create(nama=NAMA, alamat=base)

    def timed() -> float:
        sumber.refresh_from_db()
        start = time.perf_counter()
        done = tarik.pull(sumber=sumber, pemicu="bench")
        elapsed = time.perf_counter() - start
        assert done.status == "ok", done.pesan
        return elapsed

    first, unchanged, compared = [], [], []
    for _ in range(args.runs):
        TriwulanTertarik.objects.all().delete()
        AngkaSimpul.objects.filter(sumber=sumber.nama).delete()
        AngkaIndikator.objects.filter(sumber=sumber.nama).delete()
        SumberData.objects.filter(pk=sumber.pk).update(etag="")
        first.append(timed())
        unchanged.append(timed())
        SumberData.objects.filter(pk=sumber.pk).update(etag="")
        compared.append(timed())
    quarters = TriwulanTertarik.objects.count()
    rows = AngkaSimpul.objects.count() + AngkaIndikator.objects.count()
    print(
        f"sumber: {args.pd} PD sintetis x {args.baris} baris + 2 PD demo, TW I terverifikasi "
        f"(disiapkan dalam {prepared:.0f} s); tertarik {quarters} triwulan PD, {rows} baris angka"
    )
    for label, values in (
        ("tarikan pertama (semua baru)", first),
        ("tarikan tanpa perubahan (304)", unchanged),
        ("tarikan membandingkan semua (tanpa ETag)", compared),
    ):
        print(f"  {label}: median {statistics.median(values) * 1000:.0f} ms ({len(values)} kali)")


if __name__ == "__main__":
    main()
