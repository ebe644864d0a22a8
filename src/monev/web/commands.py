"""Sub-commands that need the database: `monev demo`, `monev impor`, `monev kelola`."""

from __future__ import annotations

import functools
import gc
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from collections.abc import Callable

    from monev.core.model import Renja as CoreRenja
    from monev.io.tabel.model import Pemetaan
    from monev.io.tabel.nomenklatur import Entri
    from monev.web.models import PerangkatDaerah


class Galat(click.ClickException):
    """A refusal shown as "galat: …" (click's own prefix is English)."""

    def show(self, file: object = None) -> None:
        click.echo(f"galat: {self.format_message()}", err=True)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise Galat(f"pengaturan tidak sah: {exc}") from exc


@click.command()
@click.option("--port", type=click.IntRange(1024, 65535), default=8000, show_default=True)
@click.option("--tanpa-server", is_flag=True, help="Siapkan data saja, tanpa menjalankan server.")
def demo(port: int, tanpa_server: bool) -> None:
    """Siapkan basis data demo (kasus rujukan Disnaker Kota Tangerang 2022) dan jalankan server
    di 127.0.0.1 saja."""
    setup_django()
    from django.conf import settings

    from monev.renstra.demo import load_tahun_contoh
    from monev.web.demo import AKUN, PASSWORD, load_demo, prepare_database

    prepare_database()
    created = load_demo()
    load_tahun_contoh()  # the five-year plan and an illustrative first year (2021, contoh)
    click.echo(
        ("Data demo dimuat" if created else "Data demo sudah ada (tidak diubah)")
        + f" di {settings.DATABASES['default']['NAME']}"
    )
    click.echo(f"\nAlamat: http://127.0.0.1:{port}/\nAkun (kata sandi semuanya '{PASSWORD}'):")
    for akun in AKUN:
        click.echo(f"  {akun.username:<12} {akun.keterangan}")
    if tanpa_server:
        return
    click.echo("\nTekan Ctrl+C untuk berhenti.\n")
    from django.core.management import call_command

    # Bound to 127.0.0.1 only: a demo never listens beyond this machine.
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)


def _without_cyclic_gc(command: Callable[..., None]) -> Callable[..., None]:
    """Run a batch command with the cyclic collector off: it allocates many small objects and
    frees none before it ends, so the collector only costs time (as in `monev evaluasi`)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        gc.disable()
        try:
            command(*args, **kwargs)
        finally:
            gc.enable()

    return run


@click.command()
@click.argument("berkas", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--pd", "kode_pd", required=True, help="Kode Perangkat Daerah.")
@click.option(
    "--pemda", "nama_pemda", help="Nama pemda, bila kode PD dipakai lebih dari satu pemda."
)
@click.option("--tahun", type=click.IntRange(2000, 2100), required=True)
@click.option(
    "--versi", type=click.Choice(["murni", "perubahan"]), default="murni", show_default=True
)
@click.option("--coba", is_flag=True, help="Periksa saja; tidak menyimpan apa pun (dry run).")
@click.option(
    "--pemetaan",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Pemetaan kolom (JSON) untuk tabel yang bukan format datar.",
)
@click.option(
    "--nomenklatur",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Daftar nomenklatur (CSV/XLSX) untuk memberi kode pada simpul tanpa kode "
    "(tanpa pilihan ini: daftar nomenklatur aktif pemda PD itu, bila ada).",
)
@click.option(
    "--kemajuan/--tanpa-kemajuan",
    default=None,
    help="Tampilkan baris kemajuan di stderr (bawaan: hanya bila stderr adalah terminal).",
)
@_without_cyclic_gc
def impor(
    berkas: Path,
    kode_pd: str,
    nama_pemda: str | None,
    tahun: int,
    versi: str,
    coba: bool,
    pemetaan: Path | None,
    nomenklatur: Path | None,
    kemajuan: bool | None,
) -> None:
    """Impor Renja dari BERKAS (format datar, laporan E.81, atau tabel lain: CSV/XLSX/ODS/teks)
    untuk satu PD dan tahun."""
    mapping = entries = None
    if pemetaan is not None:
        from monev.io.tabel.model import read_pemetaan

        mapping = read_pemetaan(pemetaan)
    if nomenklatur is not None:
        from monev.io.tabel.nomenklatur import read_nomenklatur

        entries = read_nomenklatur(nomenklatur)
    setup_django()

    from monev.core.evaluation import evaluate
    from monev.web import services
    from monev.web.kemajuan import BarisKemajuan
    from monev.web.models import PerangkatDaerah, Renja

    active = _active_list(kode_pd) if entries is None else None
    shown = sys.stderr.isatty() if kemajuan is None else kemajuan
    baris = BarisKemajuan(sys.stderr) if shown else None
    try:
        renja, printed = _read_any(berkas, mapping, entries, active, baris)
    finally:
        if baris is not None:
            baris.selesai()
    if printed is not None and printed != tahun:
        click.echo(
            f"peringatan: {berkas.name} mencetak tahun {printed}, diimpor sebagai tahun {tahun}",
            err=True,
        )
    found = PerangkatDaerah.objects.filter(kode=kode_pd).select_related("pemda")
    if nama_pemda:
        found = found.filter(pemda__nama=nama_pemda)
    matches = list(found)
    if not matches:
        where = f" di {nama_pemda}" if nama_pemda else ""
        raise click.ClickException(f"Perangkat Daerah dengan kode '{kode_pd}'{where} tidak ada")
    if len(matches) > 1:
        raise click.ClickException(
            f"kode '{kode_pd}' dipakai oleh lebih dari satu pemda; sebutkan --pemda"
        )
    pd = matches[0]
    indikator = sum(len(n.indikator) for n in renja.nodes)
    # The summary's evaluation (the engine's checks, ~a tenth of the run at 30 000 lines) runs
    # in a thread beside the write, which mostly waits for the database; the summary is shown
    # as soon as it is ready, still before the plan is put in force.
    with ThreadPoolExecutor(max_workers=1) as pool:
        evaluasi = pool.submit(evaluate, renja)
        exists = Renja.objects.filter(perangkat_daerah=pd, tahun=tahun, versi=versi).exists()
        told: list[bool] = []

        def tell() -> None:
            if not told:
                told.append(True)
                if baris is not None:
                    baris.selesai()  # the summary on a line of its own, not inside the bar's
                click.echo(
                    f"{berkas.name}: {len(renja.nodes)} simpul, {indikator} indikator, "
                    f"{len(evaluasi.result().pemeriksaan)} temuan pemeriksaan angka"
                    + ("; Renja yang ada akan diganti" if exists else "")
                )

        if coba:
            tell()
            click.echo("Mode coba: tidak ada yang disimpan.")
            return
        admin = _admin_of(pd)
        if admin is None:
            tell()
            raise click.ClickException(
                f"belum ada admin yang boleh mengubah {pd.pemda}; jalankan "
                "'monev kelola createsuperuser' dulu"
            )
        from monev.web.siklus import Ditolak

        def step(tahap: str, selesai: int, jumlah: int) -> None:
            # At the latest when every row is written, before the swap: an evaluation that
            # fails still leaves nothing saved.
            if evaluasi.done() or (tahap == services.TAHAP_TULIS and selesai == jumlah):
                tell()
            if baris is not None:
                baris(tahap, selesai, jumlah)

        if baris is not None:
            baris(
                f"Menyimpan ke basis data ({len(renja.nodes)} simpul, {indikator} indikator)", 0, 0
            )
        try:
            stored = services.renja_import(
                user=admin,
                perangkat_daerah=pd,
                tahun=tahun,
                renja=renja,
                versi=versi,
                sumber=berkas.name,
                kemajuan=step,
            )
        except Ditolak as exc:  # a submitted or verified quarter: refused with the reason, exit 2
            tell()
            click.echo(f"galat: {exc}", err=True)
            raise click.exceptions.Exit(2) from exc
        finally:
            if baris is not None:
                baris.selesai()
        tell()
    click.echo(f"Tersimpan: Renja {pd.nama} {tahun} ({versi}).")
    from monev.renstra.selectors import usul_impor

    usul = usul_impor(stored)
    if usul:
        click.echo(usul)


def _admin_of(pd: PerangkatDaerah) -> Any:
    """Return the first superuser who may write this PD's pemda (an import is recorded as that
    user's), or None."""
    from django.contrib.auth import get_user_model

    from monev.web import access

    return next(
        (
            u
            for u in get_user_model().objects.filter(is_superuser=True).order_by("pk")
            if access.can_write(u, pd)
        ),
        None,
    )


def _active_list(kode_pd: str) -> list[Entri] | None:
    """Return the active nomenclature list of the PD's pemda (printing which one), if any."""
    from monev.web.models import PerangkatDaerah

    pemda_ids = set(PerangkatDaerah.objects.filter(kode=kode_pd).values_list("pemda_id", flat=True))
    if len(pemda_ids) != 1:
        return None  # no PD or an ambiguous code: refused below with its message
    return _active_of(pemda_ids.pop())


def _active_of(pemda_id: int) -> list[Entri] | None:
    from monev.web.impor_tabel import daftar_aktif, entri_aktif

    daftar = daftar_aktif(pemda_id)
    if daftar is None:
        return None
    click.echo(f"Nomenklatur: daftar aktif '{daftar.nama}' ({daftar.pemda.nama})", err=True)
    return entri_aktif(pemda_id)


def nomenklatur_pemda(nama_pemda: str) -> list[Entri]:
    """Return the active nomenclature list of the pemda named (for `monev periksa --pemda`)."""
    setup_django()
    from monev.web.models import Pemda

    pemda = Pemda.objects.filter(nama__iexact=nama_pemda.strip()).first()
    if pemda is None:
        raise click.ClickException(f"pemda '{nama_pemda}' tidak ada")
    entries = _active_of(pemda.pk)
    if entries is None:
        raise click.ClickException(f"{pemda.nama} belum punya daftar nomenklatur aktif")
    return entries


def _read_any(
    berkas: Path,
    mapping: Pemetaan | None,
    entries: list[Entri] | None,
    active: list[Entri] | None = None,
    kemajuan: Callable[[str, int, int], None] | None = None,
) -> tuple[CoreRenja, int | None]:
    """Read the file an import is given: the flat format as it is, a report of the E.81 family
    through the legacy reader, any other table through the table importer (printing the mapping
    it used); every path ends in the flat reader's validation. `active` is the pemda's active
    nomenclature list, used for a table's nodes without codes without forcing the table
    importer. Also the year the table's title prints, when it prints one."""
    from monev.io.flat import InputError, Masalah, parse_flat, read_flat, read_rows
    from monev.io.legacy.grid import read_grids
    from monev.io.tabel import parse_tables
    from monev.io.tabel.laporan import mapping_lines
    from monev.io.tabel.pilih import is_flat, is_legacy_layout, renja_of
    from monev.web import legacy_import

    report = kemajuan or (lambda tahap, selesai, jumlah: None)
    report("Membaca berkas", 0, 0)
    try:
        data = berkas.read_bytes()
    except OSError as exc:
        raise InputError(
            [Masalah(f"berkas tidak dapat dibuka ({exc.strerror})", str(berkas))]
        ) from exc
    grids = read_grids(berkas, data)
    given = mapping is not None or entries is not None
    if not given and is_flat(grids):
        if kemajuan is None:
            return read_flat(berkas, data), None
        sheet = read_rows(berkas, data)
        return parse_flat(sheet, lambda done, total: report("Memeriksa baris", done, total)), None
    report("Membaca dan memeriksa tabel", 0, 0)
    if not given and is_legacy_layout(grids):
        return legacy_import.read(berkas, data, active)[1], None
    hasil = parse_tables(grids, berkas.name, mapping, entries or active)
    click.echo("Pemetaan kolom yang dipakai:")
    for line in mapping_lines(hasil):
        click.echo(f"  {line}")
    return renja_of(hasil), hasil.tahun_tercetak


# Everything after the Django command's name is Django's (`monev kelola migrate --help` is
# migrate's help, not this one's).
@click.command(
    context_settings={
        "ignore_unknown_options": True,
        "allow_extra_args": True,
        "allow_interspersed_args": False,
    }
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED, metavar="[ARGUMEN]...")
def kelola(args: tuple[str, ...]) -> None:
    """Perintah pengelolaan Django (migrate, createsuperuser, check, …)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line([f"{Path(sys.argv[0]).name} kelola", *args])


@click.command()
@click.argument("berkas", type=click.Path(path_type=Path, dir_okay=False))
def cadangan(berkas: Path) -> None:
    """Cadangkan seluruh basis data ke BERKAS."""
    setup_django()
    from monev.web.backup import BackupError, backup

    try:
        backup(berkas)
    except BackupError as exc:
        raise Galat(str(exc)) from exc
    click.echo(f"Cadangan ditulis ke {berkas} (hanya dapat dibaca pemiliknya)")


@click.command()
@click.argument("berkas", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--ya", is_flag=True, help="Jangan tanya lagi: timpa basis data sekarang.")
def pulihkan(berkas: Path, ya: bool) -> None:
    """Pulihkan seluruh basis data dari BERKAS cadangan (menimpa data sekarang)."""
    setup_django()
    from monev.web.backup import BackupError, restore

    if not ya:
        click.confirm(
            "Seluruh data sekarang akan diganti dengan isi cadangan. Lanjutkan?", abort=True
        )
    try:
        kept = restore(berkas)
    except BackupError as exc:
        raise Galat(str(exc)) from exc
    click.echo(f"Basis data dipulihkan dari {berkas}")
    if kept:
        click.echo(f"Basis data sebelumnya disimpan sebagai {kept} (sampai pemulihan berikutnya).")
