"""Benchmark: one read of the mapping preview (`monev.io.tabel.pratinjau.preview`) of a code-less
table, as every change of a column's field in the web preview does, with and without a
nomenclature list to match against.

Run: .venv/bin/python bench/pratinjau_bench.py [--programs 20] [--runs 5]
A table of `programs` × 5 kegiatan × 5 sub kegiatan (31 nodes per program), one indicator each,
and a nomenclature list of the same size plus as many entries that match none. Prints the median
of `runs` reads of each.

With --datar 1000 10000 …: the preview of generated flat files of that many lines (what sets
MONEV_PRATINJAU_LATAR_BYTES, the size from which the web reads a preview in the background):
bytes, wall and CPU time of the read (grids) and of the preview, per line and per byte.
Measured 2026-12-01 on the shared 2-core machine (load ~9): 10 463 lines (2,45 MB) 0,07 s + 5,4 s
CPU (32 s wall); 97 181 lines (22,8 MB) 1,5 s + 52 s CPU (390 s wall): ~0,5 ms CPU per line,
~2,2 µs per byte.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import time
from pathlib import Path

from monev.io.legacy.grid import read_grids
from monev.io.tabel.nomenklatur import read_nomenklatur
from monev.io.tabel.pratinjau import preview

HEADER = ["Uraian", "Indikator", "Target", "Realisasi TW I", "Realisasi TW II", "Pagu", "Realisasi Keuangan"]  # fmt: skip


def files(programs: int) -> tuple[bytes, bytes]:
    table, listing = io.StringIO(), io.StringIO()
    rows, entries = csv.writer(table, delimiter=";"), csv.writer(listing)
    rows.writerow(HEADER)
    entries.writerow(["kode", "tingkat", "nama"])
    for p in range(1, programs + 1):
        rows.writerow([f"Program Layanan Bidang {p}", "Persentase", "100", "40", "80", "", ""])
        entries.writerow([f"2.07.{p:02d}", "program", f"PROGRAM LAYANAN BIDANG {p}"])
        entries.writerow([f"2.08.{p:02d}", "program", f"PROGRAM LAIN NOMOR {p}"])
        for k in range(1, 6):
            rows.writerow(
                [f"Kegiatan : Pengelolaan Urusan {p}-{k}", "Jumlah", "12", "3", "6", "", ""]
            )
            entries.writerow([f"2.07.{p:02d}.2.{k:02d}", "kegiatan", f"Pengelolaan Urusan {p}-{k}"])
            for s in range(1, 6):
                name = f"Penyediaan Layanan Teknis {p}-{k}-{s}"
                rows.writerow(
                    [f"Sub Kegiatan {name}", "Jumlah", "4", "1", "2", "1.000.000", "500.000"]
                )
                entries.writerow([f"2.07.{p:02d}.2.{k:02d}.{s:04d}", "sub_kegiatan", name])
    return table.getvalue().encode(), listing.getvalue().encode()


def flat(lines: int, runs: int) -> None:
    import resource
    import tempfile

    from monev.synthetic import write_synthetic

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "datar.csv"
        write_synthetic(path, jumlah_pd=1, baris_per_pd=lines, benih=1)
        data = path.read_bytes()
    walls, cpus = [], []
    for _ in range(runs):
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_SELF)
        preview(read_grids(Path("datar.csv"), data), "datar.csv")
        after = resource.getrusage(resource.RUSAGE_SELF)
        walls.append(time.perf_counter() - start)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    cpu = statistics.median(cpus)
    print(
        f"{lines} baris, {len(data)} bytes: median {statistics.median(walls):.2f} s "
        f"(CPU {cpu:.2f} s; {cpu / lines * 1000:.2f} ms/baris, {cpu / len(data) * 1e6:.2f} µs/byte)"
    )


def median(runs: int, read) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        read()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--programs", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--datar", type=int, nargs="*", help="lines of generated flat files")
    args = parser.parse_args()
    if args.datar:
        for lines in args.datar:
            flat(lines, args.runs)
        return
    table, listing = files(args.programs)
    entries = read_nomenklatur(Path("nomenklatur.csv"), listing)
    nodes = args.programs * 31

    def read(with_list: bool):  # type: ignore[no-untyped-def]
        grids = read_grids(Path("tabel.csv"), table)
        return preview(grids, "tabel.csv", None, entries if with_list else None)

    shown = read(True)
    matched = sum(1 for s in shown.simpul if s.cocok_skor is not None)
    print(f"{nodes} simpul, {len(entries)} entri nomenklatur, {matched} cocok")
    print(f"pratinjau tanpa nomenklatur: median {median(args.runs, lambda: read(False)):.3f} s")
    print(f"pratinjau dengan nomenklatur: median {median(args.runs, lambda: read(True)):.3f} s")


if __name__ == "__main__":
    main()
