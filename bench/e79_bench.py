"""Benchmark: the pemda's E.79 (XLSX and PDF) and its workbook of every PD's E.81 ("buku"), read
from stored rows, against main's code, which evaluates every PD with the engine, side by side in
one process (a script, never a test).

Run on a database with a pemda of 50 PD × 600 lines, e.g. one made by bench/skala.py:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/skala_e79_satu DB_CONN_MAX_AGE=0 \\
    .venv/bin/python bench/e79_bench.py [--runs 5] [--keluaran /tmp/e79]

Main's `monev.pemda.reports` is read with `git show main:…` and loaded beside this branch's. Each
run reads the pemda's year afresh (`selectors.pemda_year` with this process's cache cleared, the
stored rows already fresh: a request after the first), then builds the file; the two codes
alternate, run by run. Wall time and this process's CPU time (the database's own CPU is not in
it) are printed as medians, and the ratio main / this branch. Both files of the last run are
written to `--keluaran`, and their report models compared cell by cell.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def main_reports() -> ModuleType:
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", "main:src/monev/pemda/reports.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    spec = importlib.util.spec_from_loader("reports_main", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["reports_main"] = module  # dataclasses look their module up
    exec(compile(source, "main:src/monev/pemda/reports.py", "exec"), module.__dict__)
    return module


def timed(work) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tahun", type=int, default=2022)
    parser.add_argument("--triwulan", type=int, default=3)
    parser.add_argument("--keluaran", type=Path, default=Path("/tmp/e79"))
    parser.add_argument("--bagian", default="model,xlsx,pdf,buku", help="what to time")
    args = parser.parse_args()
    from monev.web.commands import setup_django

    setup_django()
    from django.db.models import Count

    from monev.io.report.model import show
    from monev.pemda import reports, selectors
    from monev.pemda.models import AngkaIndikator
    from monev.web.models import Pemda, PerangkatDaerah

    old = main_reports()
    pemda_id = (
        PerangkatDaerah.objects.values("pemda_id")
        .annotate(n=Count("id"))
        .order_by("-n", "pemda_id")
        .values_list("pemda_id", flat=True)
        .first()
    )
    pemda = Pemda.objects.get(pk=pemda_id)
    wall, _cpu, data = timed(lambda: selectors.pemda_year(pemda, args.tahun))
    lines = AngkaIndikator.objects.filter(
        pemda=pemda, tahun=args.tahun, triwulan=args.triwulan
    ).count()
    print(
        f"{pemda.nama}: {len(data.pd)} PD, {lines:,} baris indikator TW {args.triwulan}; "
        f"baca tahun pemda pertama (menyegarkan baris yang usang): {wall:.2f} s"
    )
    tw = args.triwulan

    def cold(code: ModuleType, fmt: str):
        def work():
            selectors.clear_cache()  # a new request: the rows are read again, not the cache
            data = selectors.pemda_year(pemda, args.tahun)
            if fmt == "buku":  # the workbook of every PD's E.81
                return code.workbook_file(data, tw)
            if fmt == "model":  # the E.79's report model only, before rendering
                return _old_report(code, data, tw) if code is old else code.e79_report(data, tw)
            return code.e79_file(data, tw, fmt)

        return work

    args.keluaran.mkdir(parents=True, exist_ok=True)
    for fmt in args.bagian.split(","):
        times: dict[str, list[tuple[float, float]]] = {"main": [], "baris": []}
        files = {}
        for _ in range(args.runs):
            for name, code in (("main", old), ("baris", reports)):
                w, c, berkas = timed(cold(code, fmt))
                times[name].append((w, c))
                files[name] = berkas
        out = {}
        for name, found in times.items():
            walls = [w for w, _ in found]
            cpus = [c for _, c in found]
            out[name] = (statistics.median(walls), statistics.median(cpus))
            print(
                f"E.79 {fmt.upper()} {name:>5}: median {out[name][0]:.2f} s dinding, "
                f"{out[name][1]:.2f} s CPU proses ({', '.join(f'{w:.2f}' for w in walls)})"
            )
        print(
            f"E.79 {fmt.upper()} main / baris: {out['main'][0] / out['baris'][0]:.1f}× dinding, "
            f"{out['main'][1] / out['baris'][1]:.1f}× CPU"
        )
        for name, berkas in files.items():
            if fmt == "model":
                continue
            suffix = "buku.xlsx" if fmt == "buku" else fmt
            (args.keluaran / f"e79-{name}.{suffix}").write_bytes(berkas.data)
    # The two report models, cell by cell, as printed.
    selectors.clear_cache()
    data = selectors.pemda_year(pemda, args.tahun)
    new = reports.e79_report(data, tw)
    with_engine = [
        tuple(show(s) for s in b.sel)
        for b in _old_report(old, data, tw).baris  # type: ignore[attr-defined]
    ]
    same = with_engine == [tuple(show(s) for s in b.sel) for b in new.baris]
    print(f"model laporan sama sel demi sel: {same} ({len(new.baris):,} baris E.79)")
    if not same:
        sys.exit(1)


def _old_report(old: ModuleType, data, tw: int):
    """Main's E.79 report model (its e79_file, before rendering)."""
    import dataclasses

    from monev.core.consolidation import Bagian, consolidate
    from monev.io.report.konsolidasi import build_konsolidasi_report

    items = old.evaluations(data, tw)
    hasil = consolidate(
        [Bagian(i.perangkat_daerah.nama, i.renja_id, i.evaluasi.ringkasan) for i in items],
        data.pengaturan,
    )
    konteks = dataclasses.replace(
        old.konteks_pemda(data.pemda, data.tahun), draf=any(i.draf for i in items)
    )
    return build_konsolidasi_report(hasil, {i.renja_id: i.evaluasi for i in items}, tw, konteks)


if __name__ == "__main__":
    main()
