"""Benchmark: Formulir E.80 of a large synthetic Renstra (a script, never a test).

Run: .venv/bin/python bench/renstra_bench.py [--simpul 300] [--runs 3]

A period of five years with `--simpul` nodes (one program per ten, two indicators each, every
aggregation), each year with a target and, for the first three years, a realisation. Times, as the
median of the runs: the engine's E.80 (`evaluate_renstra`), the report model, and its XLSX and PDF.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from monev.core.codes import Tingkat
from monev.core.renstra import (
    IndikatorPeriode,
    NilaiTahun,
    RenstraPeriode,
    SimpulPeriode,
    Sumber,
    evaluate_renstra,
)
from monev.core.rules import Agregasi
from monev.io.report.e80 import build_e80_report
from monev.io.report.pdf import render_pdf
from monev.io.report.xlsx import render_xlsx

AGREGASI = (Agregasi.PROGRESIF, Agregasi.AKUMULATIF, Agregasi.RATA_RATA)


def _years(seed: int) -> tuple[NilaiTahun, ...]:
    return tuple(
        NilaiTahun(
            2025 + y,
            Decimal(10 + seed % 7),
            Decimal(8 + (seed + y) % 5) if y < 3 else None,
            Sumber.MONEV if y < 3 else Sumber.KOSONG,
        )
        for y in range(5)
    )


def synthetic(count: int) -> RenstraPeriode:
    nodes = []
    for n in range(count):
        program = n % 10 == 0
        kode = f"1.02.{n // 10 + 1:02d}" + ("" if program else f".2.{n % 10:02d}")
        indikator = tuple(
            IndikatorPeriode(
                f"Indikator sintetis {n}.{k}",
                "%",
                AGREGASI[(n + k) % 3],
                target_akhir=Decimal(50),
                tahun=_years(n + k),
            )
            for k in range(2)
        )
        nodes.append(
            SimpulPeriode(
                kode,
                Tingkat.PROGRAM if program else Tingkat.KEGIATAN,
                f"Sintetis {n}",
                Decimal(5_000_000_000),
                _years(n),
                indikator,
            )
        )
    return RenstraPeriode(2025, 2029, tuple(nodes), "PD sintetis", "Pemda sintetis")


def median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--simpul", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    renstra = synthetic(args.simpul)
    evaluasi = evaluate_renstra(renstra, 2027)
    laporan = build_e80_report(evaluasi)
    lines = len(evaluasi.baris)
    print(f"{args.simpul} simpul, {lines} baris, {len(evaluasi.temuan)} temuan")
    print(f"evaluate_renstra  {median(lambda: evaluate_renstra(renstra, 2027), args.runs):.3f} s")
    print(f"build_e80_report  {median(lambda: build_e80_report(evaluasi), args.runs):.3f} s")
    print(
        f"render_xlsx       {median(lambda: render_xlsx(laporan, io.BytesIO()), args.runs):.3f} s"
    )
    print(f"render_pdf        {median(lambda: render_pdf(laporan, io.BytesIO()), args.runs):.3f} s")


if __name__ == "__main__":
    main()
