"""`monev periksa`: read an evaluation table (any layout) and check its printed figures.

A thin command over `monev.io`: a report of the E.81 family (a `Kode` column with K/Rp pairs, as
the reference report) goes to the legacy reader, every other table to the table importer; every
input problem becomes a message in Bahasa Indonesia on standard error with exit status 2, never a
traceback. Findings are the output (exit 0).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from monev.io.tabel.model import Pemetaan

from monev.io.flat import InputError

EXIT_INPUT = 2


def _fail(lines: list[str]) -> None:
    for line in lines:
        click.echo(f"galat: {line}", err=True)
    raise click.exceptions.Exit(EXIT_INPUT)


def read_mapping(path: Path | None) -> Pemetaan | None:
    """Return the mapping in a JSON file (None without a file); exit 2 if it cannot be used."""
    from monev.io.tabel.model import read_pemetaan

    if path is None:
        return None
    try:
        return read_pemetaan(path)
    except InputError as exc:
        _fail([str(m) for m in exc.masalah] + ["pemetaan tidak dapat dipakai."])
    return None


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
@click.option(
    "--pemetaan",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Pemetaan kolom (JSON) yang dipakai untuk membaca tabel.",
)
@click.option(
    "--nomenklatur",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Daftar nomenklatur (CSV/XLSX: kode, tingkat, nama, regulasi, tahun) untuk simpul tanpa kode.",
)
@click.option(
    "--pemda",
    "nama_pemda",
    help="Pakai daftar nomenklatur aktif pemda ini (nama pemda di basis data) untuk simpul tanpa kode.",
)
@click.option(
    "--tulis-pemetaan",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tulis pemetaan kolom yang dipakai ke berkas JSON (untuk dipakai ulang atau diubah).",
)
def periksa(
    berkas: Path,
    format_: str,
    keluaran: Path | None,
    pemetaan: Path | None,
    nomenklatur: Path | None,
    nama_pemda: str | None,
    tulis_pemetaan: Path | None,
) -> None:
    """Baca tabel evaluasi (teks hasil pindai, CSV, XLSX/XLS/ODS, PDF) dan periksa angkanya.

    Mendaftar setiap angka tercetak yang tidak sama dengan hasil hitung ulang (capaian, persen
    realisasi, jumlah, pagu terhadap rinciannya, nilai kumulatif yang turun), dengan tempatnya,
    serta pemetaan kolom yang dipakai. Tabel dengan atau tanpa kode, K dan Rp dalam satu atau dua
    tabel, per triwulan, bulan atau semester.
    """
    mapping = read_mapping(pemetaan)
    try:
        from monev.io.tabel.nomenklatur import read_nomenklatur

        entries = read_nomenklatur(nomenklatur) if nomenklatur is not None else None
        if entries is None and nama_pemda:
            from monev.web.commands import nomenklatur_pemda

            entries = nomenklatur_pemda(nama_pemda)
        from monev.io.legacy.grid import read_grids
        from monev.io.tabel.pilih import is_flat, is_legacy_layout

        grids = read_grids(berkas)
        if mapping is None and entries is None and (is_flat(grids) or is_legacy_layout(grids)):
            try:
                _legacy(berkas, format_, keluaran)
                return
            except _NotLegacy:
                pass  # an E.81-like header the legacy reader could not use: the table importer
        _table(grids, berkas, mapping, entries, format_, keluaran, tulis_pemetaan)
    except InputError as exc:
        _fail([str(m) for m in exc.masalah] + ["berkas tidak dapat diperiksa."])
    except (click.exceptions.Exit, click.ClickException):
        raise
    except Exception as exc:  # a damaged input must end in a message, not a traceback
        if "MONEV_DEBUG" in os.environ:
            raise
        _fail([f"{berkas.name} tidak dapat dibaca ({exc.__class__.__name__}: {exc})"])


class _NotLegacy(Exception):
    pass


def _legacy(berkas: Path, format_: str, keluaran: Path | None) -> None:
    from monev.io.legacy import read_legacy
    from monev.io.legacy.check import check_report
    from monev.io.legacy.rebuild import write_flat
    from monev.io.legacy.render import render_json, render_text

    try:
        report = read_legacy(berkas)
    except InputError as exc:
        if any("tabel evaluasi tidak ditemukan" in m.pesan for m in exc.masalah):
            raise _NotLegacy from exc
        raise
    check = check_report(report)
    if keluaran is not None:
        _write(keluaran, lambda: write_flat(report, keluaran))
    render = render_json if format_ == "json" else render_text
    sys.stdout.write(render(check))


def _table(grids, berkas, mapping, entries, format_, keluaran, tulis_pemetaan) -> None:  # type: ignore[no-untyped-def]
    from monev.io.tabel import parse_tables
    from monev.io.tabel.laporan import flat_rows, render_json, render_text
    from monev.synthetic import write_flat_csv

    hasil = parse_tables(grids, berkas.name, mapping, entries)
    if keluaran is not None:
        _write(keluaran, lambda: write_flat_csv(keluaran, flat_rows(hasil)))
    if tulis_pemetaan is not None:
        _write(tulis_pemetaan, lambda: tulis_pemetaan.write_text(hasil.pemetaan.to_json(), "utf-8"))
    sys.stdout.write(render_json(hasil) if format_ == "json" else render_text(hasil))


def _write(path: Path, write) -> None:  # type: ignore[no-untyped-def]
    try:
        write()
    except OSError as exc:
        _fail([f"{path} tidak dapat ditulis ({exc.strerror or exc})"])
    click.echo(f"ditulis ke {path}", err=True)
