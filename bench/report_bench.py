"""Benchmark: the report files of issue 4 on synthetic data (a script, never a test).

Run: .venv/bin/python bench/report_bench.py [--runs 5] [--tanpa-libreoffice]

Times, as the median of several runs, in this process (data read and evaluated beforehand); the
CPU time is printed too, since wall time swings when the machine is busy:
- the XLSX of one PD of 600 lines (target < 0.5 s) and its PDF (target < 5 s), in every layout;
- the workbook of a whole pemda, 50 PD × 600 lines (target < 20 s);
- the pemda's consolidated evaluation (Formulir E.79 style) of the same 50 PD, XLSX and PDF
  (consolidation and report model included; held to the workbook's 20 s);
then the whole `monev laporan` process once for each, and, when LibreOffice is installed, checks
that it converts the XLSX files to PDF without error.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from monev.core.consolidation import Bagian, consolidate
from monev.core.evaluation import Evaluasi, evaluate
from monev.io.flat import read_flat
from monev.io.report import (
    TATA_LETAK_PD,
    KonteksLaporan,
    Laporan,
    TataLetak,
    build_konsolidasi_report,
    build_report,
    render_pdf,
    render_pemda_xlsx,
    render_xlsx,
)

LINES = 600
PDS = 50
TARGETS = {"xlsx": 0.5, "pdf": 5.0, "pemda": 20.0}
MONEV = str(Path(sys.executable).with_name("monev"))


def _count(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def _truncate(path: Path, lines: int) -> None:
    """Keep the header and the first `lines` lines (parents precede their children)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows[: lines + 1])


def synthetic_file(folder: Path) -> tuple[Path, int]:
    """Write one PD of exactly LINES lines; return it and the --baris that gave enough."""
    data = folder / "satu.csv"
    asked = LINES
    while True:  # the generator's tree shape gives about the number asked; top it up
        subprocess.run(
            [MONEV, "data-sintetis", str(data), "--baris", str(asked)],
            check=True,
            capture_output=True,
        )
        count = _count(data)
        if count >= LINES:
            _truncate(data, LINES)
            return data, asked
        asked += LINES - count + 5


def median_time(work: Callable[[], object], runs: int) -> tuple[float, list[float], float]:
    """Return the median wall time, every wall time, and the median CPU time of `work`."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), times, statistics.median(cpu)


def report(label: str, target: float, median: float, times: list[float], cpu: float) -> None:
    verdict = "ok" if median < target else "LAMBAT"
    shown = ", ".join(f"{t:.2f}" for t in times)
    print(
        f"{label:<40} median {median:6.2f} s, CPU {cpu:6.2f} s  (< {target:g} s: {verdict})  "
        f"[{shown}]"
    )


def whole_process(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([MONEV, "laporan", *args], check=True, capture_output=True)
    return time.perf_counter() - start


def libreoffice_check(files: list[Path], folder: Path) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        print("LibreOffice tidak terpasang: pemeriksaan konversi dilewati")
        return
    out = folder / "lo"
    out.mkdir(exist_ok=True)
    for path in files:
        start = time.perf_counter()
        result = subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        pdf = out / (path.stem + ".pdf")
        pages = "?"
        if pdf.exists() and shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            pages = next(
                (ln.split()[1] for ln in info.splitlines() if ln.startswith("Pages:")), "?"
            )
        ok = result.returncode == 0 and pdf.exists() and pdf.stat().st_size > 0
        status = "ok" if ok else f"GAGAL (kode {result.returncode}): {result.stderr.strip()[:300]}"
        print(
            f"LibreOffice {path.name} -> PDF: {status}, {pages} halaman, "
            f"{time.perf_counter() - start:.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tanpa-libreoffice", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data, asked = synthetic_file(folder)
        evaluasi = evaluate(read_flat(data))
        print(f"{len(evaluasi.baris)} baris indikator di {data.name}")
        konteks = KonteksLaporan(
            perangkat_daerah="Dinas Sintetis", pemda="Kota Sintetis", tahun=2022
        )

        for tata_letak in TATA_LETAK_PD:

            def xlsx(t: TataLetak = tata_letak) -> None:
                render_xlsx(build_report(evaluasi, konteks, t), io.BytesIO())

            def pdf(t: TataLetak = tata_letak) -> None:
                render_pdf(build_report(evaluasi, konteks, t), io.BytesIO())

            report(
                f"XLSX {LINES} baris, {tata_letak.value}",
                TARGETS["xlsx"],
                *median_time(xlsx, args.runs),
            )
            report(
                f"PDF {LINES} baris, {tata_letak.value}",
                TARGETS["pdf"],
                *median_time(pdf, args.runs),
            )

        pemda = folder / "pemda"
        subprocess.run(
            [MONEV, "data-sintetis", str(pemda), "--pd", str(PDS), "--baris", str(asked)],
            check=True,
            capture_output=True,
        )
        for n in range(1, PDS + 1):
            _truncate(pemda / f"pd-{n:02d}.csv", LINES)
        start = time.perf_counter()
        items: list[tuple[KonteksLaporan, Evaluasi]] = []
        for n in range(1, PDS + 1):
            items.append(
                (
                    KonteksLaporan(
                        perangkat_daerah=f"Dinas Sintetis {n:02d}", pemda="Kota Sintetis"
                    ),
                    evaluate(read_flat(pemda / f"pd-{n:02d}.csv")),
                )
            )
        total = sum(len(e.baris) for _, e in items)
        print(
            f"{PDS} PD, {total} baris: dibaca dan dievaluasi dalam {time.perf_counter() - start:.2f} s"
        )
        pemda_runs = max(3, args.runs // 2)
        report(
            f"Buku kerja pemda {PDS} PD × {LINES} baris",
            TARGETS["pemda"],
            *median_time(lambda: render_pemda_xlsx(items, io.BytesIO()), pemda_runs),
        )
        by_ref = {n: e for n, (_, e) in enumerate(items, start=1)}

        def e79() -> Laporan:
            hasil = consolidate(
                [
                    Bagian(k.perangkat_daerah, n, by_ref[n].ringkasan)
                    for n, (k, _) in enumerate(items, start=1)
                ],
                items[0][1].pengaturan,
            )
            tw = items[0][1].triwulan
            return build_konsolidasi_report(
                hasil, by_ref, tw, KonteksLaporan(pemda="Kota Sintetis")
            )

        print(f"E.79: {len(e79().baris)} baris (urusan, bidang urusan, program, kegiatan)")
        for label, renderer in (("XLSX", render_xlsx), ("PDF", render_pdf)):
            report(
                f"E.79 pemda {PDS} PD, {label}",
                TARGETS["pemda"],
                *median_time(lambda r=renderer: r(e79(), io.BytesIO()), pemda_runs),
            )

        print("Seluruh proses `monev laporan` (sekali):")
        xlsx_file, pdf_file, pemda_file = (
            folder / n for n in ("satu.xlsx", "satu.pdf", "pemda.xlsx")
        )
        for label, cli_args in (
            (f"  XLSX {LINES} baris", [str(data), "-o", str(xlsx_file)]),
            (f"  PDF {LINES} baris", [str(data), "-o", str(pdf_file)]),
            (f"  buku kerja pemda {PDS} PD", [str(pemda), "-o", str(pemda_file)]),
        ):
            print(f"{label:<44} {whole_process(cli_args):6.2f} s")

        if not args.tanpa_libreoffice:
            libreoffice_check([xlsx_file, pemda_file], folder)


if __name__ == "__main__":
    main()
