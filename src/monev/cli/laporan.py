"""`monev laporan`: the official report file of a flat CSV/XLSX file (or of a folder of PDs).

A thin shell: it reads, evaluates, builds the report and hands it to a renderer; every problem of
the input becomes an `InputError` (listed by the `monev` group, exit status 2) or a
`click.ClickException` with an Indonesian message, never a traceback.
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import click

from monev.core.evaluation import Evaluasi, evaluate
from monev.core.model import Renja
from monev.io.flat import InputError, Masalah, read_flat
from monev.io.report.context import (
    TATA_LETAK_PD,
    Kertas,
    KonteksLaporan,
    TataLetak,
    konteks_from_mapping,
)
from monev.io.sistem import alasan_os

FORMATS = ("xlsx", "pdf", "csv", "json")
#: The list of PDs in a folder, as `monev data-sintetis` writes it.
DAFTAR_PD = "daftar-pd.csv"

Kemajuan = Callable[[int], None]


def _format_of(keluaran: Path, format_: str | None) -> str:
    if format_:
        return format_
    suffix = keluaran.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise click.UsageError(
        f"format tidak dapat ditebak dari nama '{keluaran}'; pakai --format xlsx, pdf, csv, atau json"
    )


def _konteks(
    path: Path | None,
    perangkat_daerah: str | None,
    pemda: str | None,
    tahun: int | None,
    kertas: str | None,
) -> KonteksLaporan:
    konteks = KonteksLaporan()
    if path is not None:
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise click.ClickException(
                f"berkas konteks {path} tidak dapat dibuka ({alasan_os(exc)})"
            ) from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise click.ClickException(
                f"berkas konteks {path} bukan JSON yang sah ({exc})"
            ) from exc
        if not isinstance(data, dict):
            raise click.ClickException(f"berkas konteks {path} harus berisi satu objek JSON")
        try:
            konteks = konteks_from_mapping(data)
        except ValueError as exc:
            raise click.ClickException(f"berkas konteks {path}: {exc}") from exc
    changes: dict[str, object] = {}
    if perangkat_daerah is not None:
        changes["perangkat_daerah"] = perangkat_daerah
    if pemda is not None:
        changes["pemda"] = pemda
    if tahun is not None:
        changes["tahun"] = tahun
    if kertas is not None:
        changes["kertas"] = Kertas(kertas)
    return dataclasses.replace(konteks, **changes)  # type: ignore[arg-type]


@contextmanager
def _progress(length: int, label: str) -> Iterator[Kemajuan]:
    """Yield a callback that moves a progress bar on standard error (shown on a terminal only)."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


@contextmanager
def _output(keluaran: Path) -> Iterator[IO[bytes]]:
    """Yield a binary file that replaces `keluaran` only once it is complete (`-`: stdout)."""
    if str(keluaran) == "-":
        buffer = io.BytesIO()
        yield buffer
        sys.stdout.buffer.write(buffer.getvalue())
        sys.stdout.flush()
        return
    try:
        fd, temp = tempfile.mkstemp(
            dir=keluaran.resolve().parent, prefix=f".{keluaran.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise click.ClickException(f"tidak dapat menulis ke {keluaran} ({alasan_os(exc)})") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(temp, keluaran)
    except OSError as exc:
        raise click.ClickException(f"tidak dapat menulis ke {keluaran} ({alasan_os(exc)})") from exc
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _read_folder(
    folder: Path, triwulan: int | None, konteks: KonteksLaporan, same_quarter: bool = False
) -> list[tuple[KonteksLaporan, Evaluasi]]:
    """Return every PD of a folder listed in `daftar-pd.csv` (kode, nama, berkas), evaluated up
    to `triwulan`; when it is None, each up to its own last quarter, or, with `same_quarter`,
    all up to the last quarter any PD reported."""
    daftar = folder / DAFTAR_PD
    try:
        text = daftar.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(
            [
                Masalah(
                    f"folder PD harus memuat {DAFTAR_PD} (kolom kode, nama, berkas) "
                    f"({alasan_os(exc)})",
                    str(folder),
                )
            ]
        ) from exc
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or not {"nama", "berkas"} <= set(rows[0]):
        raise InputError([Masalah("kolom nama dan berkas wajib ada", DAFTAR_PD, 1)])
    problems: list[Masalah] = []
    items: list[tuple[KonteksLaporan, Renja]] = []
    with _progress(len(rows), "Membaca PD") as kemajuan:
        for number, row in enumerate(rows, start=2):
            berkas = (row.get("berkas") or "").strip()
            if not berkas:
                problems.append(Masalah("berkas kosong", DAFTAR_PD, number, "berkas"))
                continue
            try:
                renja = read_flat(folder / berkas)
            except InputError as exc:
                problems += exc.masalah
                continue
            nama = (row.get("nama") or "").strip() or berkas
            items.append((dataclasses.replace(konteks, perangkat_daerah=nama), renja))
            kemajuan(1)
    if problems:
        raise InputError(problems)
    if triwulan is None and same_quarter:
        triwulan = max(renja.last_triwulan() for _, renja in items)
    return [(k, evaluate(renja, triwulan)) for k, renja in items]


@click.command("laporan")
@click.argument("berkas", type=click.Path(path_type=Path), required=False)
@click.option(
    "--pd", "kode_pd", help="Kode Perangkat Daerah: laporan dari basis data (dengan --tahun)."
)
@click.option(
    "--konsolidasi",
    is_flag=True,
    help="Evaluasi hasil RKPD (Formulir E.79): program dan kegiatan semua PD menurut urusan dan "
    "bidang urusan; dari folder BERKAS, atau dari basis data dengan --tahun (dan --pemda).",
)
@click.option("--triwulan", "-t", type=click.IntRange(1, 4), help="Sampai triwulan ke- (1-4).")
@click.option(
    "--tata-letak",
    type=click.Choice([t.value for t in TATA_LETAK_PD]),
    default=TataLetak.E81.value,
    show_default=True,
    help="e81: kabupaten/kota; e55: provinsi; ringkas: 13 kolom dan tabel ringkasan.",
)
@click.option(
    "--format",
    "-f",
    "format_",
    type=click.Choice(FORMATS),
    help="Bawaan: menurut akhiran nama KELUARAN.",
)
@click.option(
    "--kertas",
    type=click.Choice([k.value for k in Kertas]),
    help="Ukuran kertas (lanskap); bawaan f4.",
)
@click.option(
    "--konteks",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Berkas JSON: perangkat_daerah, pemda, tahun, faktor_pendorong, faktor_penghambat, "
    "tindak_lanjut_triwulan, tindak_lanjut_renja, tempat, tanggal, kepala_pd dan "
    "kepala_bappeda (jabatan, nama, nip), kertas, draf (true: tanda DRAF di setiap halaman).",
)
@click.option("--perangkat-daerah", help="Nama Perangkat Daerah pada judul.")
@click.option("--pemda", help="Nama pemerintah daerah pada judul.")
@click.option("--tahun", type=click.IntRange(1900, 2999), help="Tahun Renja.")
@click.option(
    "-o",
    "--keluaran",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Berkas yang ditulis (- untuk keluaran standar).",
)
def laporan(
    berkas: Path | None,
    kode_pd: str | None,
    konsolidasi: bool,
    triwulan: int | None,
    tata_letak: str,
    format_: str | None,
    kertas: str | None,
    konteks: Path | None,
    perangkat_daerah: str | None,
    pemda: str | None,
    tahun: int | None,
    keluaran: Path,
) -> None:
    """Tulis laporan evaluasi resmi (XLSX, PDF, CSV, JSON) dari BERKAS format datar.

    BERKAS boleh juga folder berisi daftar-pd.csv (kode, nama, berkas): satu buku kerja XLSX
    untuk seluruh pemda, dengan lembar rekapitulasi dan satu lembar per PD; dengan --konsolidasi,
    evaluasi hasil RKPD seluruh PD (XLSX atau PDF).
    """
    fmt = _format_of(keluaran, format_)
    base = _konteks(konteks, perangkat_daerah, pemda, tahun, kertas)
    # A batch run allocates many small objects and frees none before it ends: the cyclic
    # collector only costs time here (as in `monev evaluasi`).
    gc.disable()
    try:
        if konsolidasi:
            if kode_pd is not None or fmt not in ("xlsx", "pdf"):
                raise click.UsageError("--konsolidasi ditulis sebagai xlsx atau pdf, tanpa --pd")
            if berkas is not None:
                _write_konsolidasi(berkas, fmt, base, triwulan, keluaran)
            elif tahun is None:
                raise click.UsageError("sebutkan folder BERKAS, atau --tahun N (dari basis data)")
            else:
                _write_konsolidasi_from_database(tahun, pemda, fmt, base, triwulan, keluaran)
        elif kode_pd is not None:
            if berkas is not None or tahun is None:
                raise click.UsageError("gunakan BERKAS, atau --pd KODE bersama --tahun N")
            _write_from_database(
                kode_pd, tahun, fmt, base, triwulan, TataLetak(tata_letak), keluaran
            )
        elif berkas is None:
            raise click.UsageError("sebutkan BERKAS, atau --pd KODE --tahun N")
        else:
            _write(berkas, fmt, base, triwulan, TataLetak(tata_letak), keluaran)
    finally:
        gc.enable()


def _write_from_database(
    kode_pd: str,
    tahun: int,
    fmt: str,
    base: KonteksLaporan,
    triwulan: int | None,
    tata_letak: TataLetak,
    keluaran: Path,
) -> None:
    """Write the report of a PD's Renja stored in the database (the version in force)."""
    from monev.web.commands import setup_django

    setup_django()
    from monev.web import reports, selectors, snapshot
    from monev.web.models import Renja

    renja = (
        Renja.objects.filter(perangkat_daerah__kode=kode_pd, tahun=tahun, berlaku=True)
        .select_related("perangkat_daerah__pemda")
        .order_by("-pk")
        .first()
    )
    if renja is None:
        raise click.ClickException(
            f"tidak ada Renja {tahun} untuk Perangkat Daerah berkode '{kode_pd}'"
        )
    data = selectors.renja_data(renja)
    # A verified quarter's file shows the figures it was accepted with (its snapshot).
    try:
        evaluasi = snapshot.evaluasi_of(renja, triwulan, data.core)
    except snapshot.RekamanRusak as exc:
        raise click.ClickException(str(exc)) from None
    stored = reports.konteks_laporan(renja, evaluasi.triwulan, base.kertas)
    overrides = {
        f.name: getattr(base, f.name)
        for f in dataclasses.fields(base)
        if getattr(base, f.name) and f.name != "kertas"
    }
    berkas = reports.render_file(
        evaluasi, dataclasses.replace(stored, **overrides), fmt, tata_letak
    )
    with _output(keluaran) as out:
        out.write(berkas.data)
    _done(keluaran)


def _renderer(fmt: str) -> Callable[..., None]:
    """Return the renderer of a format, importing only its library (ReportLab takes a quarter of
    a second to import; an XLSX does not need it)."""
    if fmt == "xlsx":
        from monev.io.report.xlsx import render_xlsx

        return render_xlsx
    from monev.io.report.pdf import render_pdf

    return render_pdf


def _done(keluaran: Path, what: str = "laporan") -> None:
    if str(keluaran) != "-":
        click.echo(f"{what} ditulis ke {keluaran}", err=True)


def _write_konsolidasi(
    folder: Path, fmt: str, base: KonteksLaporan, triwulan: int | None, keluaran: Path
) -> None:
    """Write the pemda's consolidated evaluation from a folder of flat files (daftar-pd.csv)."""
    from monev.core.consolidation import Bagian, consolidate
    from monev.io.report.konsolidasi import build_konsolidasi_report

    if not folder.is_dir():
        raise click.UsageError("--konsolidasi membaca folder berisi daftar-pd.csv")
    items = _read_folder(folder, triwulan, base, same_quarter=True)
    triwulan = items[0][1].triwulan
    # The PD's line number in daftar-pd.csv order is its handle in the report.
    evaluasi = {ref: e for ref, (_, e) in enumerate(items, start=1)}
    hasil = consolidate(
        [Bagian(k.perangkat_daerah, ref, e.ringkasan) for ref, (k, e) in enumerate(items, start=1)],
        items[0][1].pengaturan,  # every file is evaluated with the same (default) settings
    )
    laporan = build_konsolidasi_report(hasil, evaluasi, triwulan, base)
    renderer = _renderer(fmt)
    with _output(keluaran) as out, _progress(len(laporan.baris), "Menyusun laporan") as kemajuan:
        renderer(laporan, out, kemajuan)
    _done(keluaran, f"evaluasi hasil RKPD ({len(items)} PD)")


def _write_konsolidasi_from_database(
    tahun: int,
    nama_pemda: str | None,
    fmt: str,
    base: KonteksLaporan,
    triwulan: int | None,
    keluaran: Path,
) -> None:
    """Write the consolidated evaluation of a pemda's year stored in the database."""
    from monev.web.commands import setup_django

    setup_django()
    from monev.pemda import reports, selectors

    pemda_list = selectors.pemda_list()
    if nama_pemda is None:  # on a server of many pemda: the only one with a Renja of that year
        chosen = [p for p in pemda_list if tahun in selectors.years_of(p)]
        if not chosen and pemda_list:
            raise click.ClickException(f"Pemda di server ini belum memiliki Renja tahun {tahun}")
        chosen = chosen if len(chosen) == 1 else pemda_list
    else:
        chosen = [p for p in pemda_list if p.nama == nama_pemda]
    if len(chosen) != 1:
        names = ", ".join(p.nama for p in pemda_list) or "belum ada"
        wanted = f"'{nama_pemda}' tidak ada" if nama_pemda else "lebih dari satu"
        raise click.ClickException(f"pemda {wanted}; pilih dengan --pemda: {names}")
    pemda = chosen[0]
    if tahun not in selectors.years_of(pemda):
        raise click.ClickException(f"{pemda.nama} belum memiliki Renja tahun {tahun}")
    from monev.web.snapshot import RekamanRusak

    data = selectors.pemda_year(pemda, tahun)
    try:
        berkas = reports.e79_file(data, triwulan or data.default_triwulan(), fmt, base.kertas)
    except RekamanRusak as exc:
        raise click.ClickException(str(exc)) from None
    with _output(keluaran) as out:
        out.write(berkas.data)
    _done(keluaran, f"evaluasi hasil RKPD {pemda.nama}")


def _write(
    berkas: Path,
    fmt: str,
    base: KonteksLaporan,
    triwulan: int | None,
    tata_letak: TataLetak,
    keluaran: Path,
) -> None:
    from monev.io import tabular
    from monev.io.report.model import build_report

    if berkas.is_dir():
        if fmt != "xlsx":
            raise click.UsageError(
                "buku kerja seluruh pemda (BERKAS berupa folder) hanya dalam xlsx; untuk PDF "
                "gunakan --konsolidasi (evaluasi hasil RKPD)"
            )
        from monev.io.report.xlsx_pemda import render_pemda_xlsx

        items = _read_folder(berkas, triwulan, base)
        total = sum(len(e.baris) for _, e in items)
        with _output(keluaran) as out, _progress(total, "Menyusun buku kerja") as kemajuan:
            render_pemda_xlsx(items, out, tata_letak, kemajuan)
        _done(keluaran, f"laporan {len(items)} PD")
        return

    evaluasi = evaluate(read_flat(berkas), triwulan)
    with _output(keluaran) as out:
        if fmt in ("csv", "json"):
            render = tabular.render_csv if fmt == "csv" else tabular.render_json
            out.write(render(evaluasi).encode("utf-8"))
        else:
            report = build_report(evaluasi, base, tata_letak)
            renderer = _renderer(fmt)
            with _progress(len(report.baris), "Menyusun laporan") as kemajuan:
                renderer(report, out, kemajuan)
    _done(keluaran)
