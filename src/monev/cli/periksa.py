"""`monev periksa`: read a legacy evaluation report and check its arithmetic.

A thin command over `monev.io.legacy`: read, check, render; every input problem becomes a message
in Bahasa Indonesia on standard error with exit status 2, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from monev.io.flat import InputError

EXIT_INPUT = 2


def _fail(lines: list[str]) -> None:
    for line in lines:
        click.echo(f"galat: {line}", err=True)
    raise click.exceptions.Exit(EXIT_INPUT)


@click.command("periksa")
@click.argument("berkas", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "-f",
    "format_",
    type=click.Choice(["teks", "json"]),
    default="teks",
    show_default=True,
    help="Bentuk laporan pemeriksaan.",
)
@click.option(
    "--keluaran",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tulis data yang dibangun ulang ke berkas CSV format datar.",
)
def periksa(berkas: Path, format_: str, keluaran: Path | None) -> None:
    """Baca laporan evaluasi lama (teks hasil pindai, CSV, XLSX/XLS/ODS) dan periksa hitungannya.

    Mendaftar setiap angka tercetak yang tidak sama dengan hasil hitung ulang (capaian, rata-rata
    dan persen di tabel ringkasan, pagu dan realisasi terhadap rinciannya, nilai kumulatif yang
    turun), dengan tempatnya, serta setiap sel yang tidak dapat ditempatkan dengan pasti.
    """
    from monev.io.legacy import read_legacy
    from monev.io.legacy.check import check_report
    from monev.io.legacy.rebuild import write_flat
    from monev.io.legacy.render import render_json, render_text

    try:
        report = read_legacy(berkas)
        check = check_report(report)
    except InputError as exc:
        _fail([str(m) for m in exc.masalah] + ["berkas tidak dapat diperiksa."])
        return
    except Exception as exc:  # a damaged input must end in a message, not a traceback
        if "MONEV_DEBUG" in os.environ:
            raise
        _fail([f"{berkas.name} tidak dapat dibaca ({exc.__class__.__name__}: {exc})"])
        return
    if keluaran is not None:
        try:
            write_flat(report, keluaran)
        except OSError as exc:
            _fail([f"{keluaran} tidak dapat ditulis ({exc.strerror or exc})"])
            return
        click.echo(f"data format datar ditulis ke {keluaran}", err=True)
    render = render_json if format_ == "json" else render_text
    sys.stdout.write(render(check))
