"""`monev impor-renstra` and `monev pemetaan-kode`: the Renstra's import path on the command line,
through the same services as the web (all or nothing, recorded in the history)."""

from __future__ import annotations

from pathlib import Path

import click

from monev.web.commands import setup_django


def _admin(pd=None):  # type: ignore[no-untyped-def]
    """Return the first superuser (who may write `pd`'s pemda, given one): the import's author."""
    from django.contrib.auth import get_user_model

    from monev.web import access

    admin = next(
        (
            u
            for u in get_user_model().objects.filter(is_superuser=True).order_by("pk")
            if pd is None or access.can_write(u, pd)
        ),
        None,
    )
    if admin is None:
        raise click.ClickException("belum ada admin; jalankan 'monev kelola createsuperuser' dulu")
    return admin


@click.command("impor-renstra")
@click.argument("berkas", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--pd", "kode_pd", required=True, help="Kode Perangkat Daerah.")
@click.option("--awal", type=click.IntRange(2000, 2100), required=True, help="Tahun awal.")
@click.option("--akhir", type=click.IntRange(2000, 2100), required=True, help="Tahun akhir.")
@click.option("--nama", default="", help="Nama dokumen Renstra.")
@click.option("--coba", is_flag=True, help="Periksa saja; tidak menyimpan apa pun (dry run).")
def impor_renstra(berkas: Path, kode_pd: str, awal: int, akhir: int, nama: str, coba: bool) -> None:
    """Impor Renstra PD dari BERKAS format datar (docs/format-renstra.md) untuk satu periode."""
    setup_django()
    from django.core.exceptions import ValidationError

    from monev.core.renstra import evaluate_renstra
    from monev.io.renstra_flat import read_renstra
    from monev.renstra import services
    from monev.web.models import PerangkatDaerah

    if akhir < awal:
        raise click.ClickException("tahun akhir tidak boleh sebelum tahun awal")
    periode = read_renstra(berkas, awal, akhir)
    matches = list(PerangkatDaerah.objects.filter(kode=kode_pd))
    if len(matches) != 1:
        raise click.ClickException(
            f"Perangkat Daerah dengan kode '{kode_pd}' "
            + ("tidak ada" if not matches else "dipakai oleh lebih dari satu pemda")
        )
    indikator = sum(len(s.indikator) for s in periode.simpul)
    temuan = evaluate_renstra(periode).temuan
    click.echo(
        f"{berkas.name}: {len(periode.simpul)} simpul, {indikator} indikator, "
        f"{len(temuan)} temuan pemeriksaan target"
    )
    for t in temuan:
        click.echo(f"  {t.pesan}")
    if coba:
        click.echo("Mode coba: tidak ada yang disimpan.")
        return
    try:
        renstra = services.renstra_import(
            user=_admin(matches[0]),
            perangkat_daerah=matches[0],
            periode=periode,
            nama=nama,
            sumber=berkas.name,
        )
    except ValidationError as exc:
        raise click.ClickException("; ".join(exc.messages)) from exc
    click.echo(f"Tersimpan: {renstra}.")


@click.command("pemetaan-kode")
@click.argument("berkas", type=click.Path(path_type=Path, dir_okay=False, exists=True))
def pemetaan_kode(berkas: Path) -> None:
    """Muat pemetaan kode lama → baru (CSV: versi,tahun_berlaku,kode_lama,kode_baru)."""
    setup_django()
    from django.core.exceptions import ValidationError

    from monev.renstra import services

    try:
        jumlah = services.pemetaan_import(
            user=_admin(), data=berkas.read_bytes(), berkas=berkas.name
        )
    except ValidationError as exc:
        raise click.ClickException("; ".join(exc.messages)) from exc
    click.echo(f"{jumlah} baris pemetaan kode dimuat dari {berkas.name}.")
