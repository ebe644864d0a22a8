"""The `monev` command: thin Indonesian sub-commands over the library.

Each command parses its arguments, calls the library, and turns the library's errors into a
message on standard error with exit status 2. A user never sees a traceback.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from decimal import Decimal
from pathlib import Path

import click

from monev.cli import bahasa
from monev.io.flat import InputError

# Before any command is declared: click names a Path's kind when the option is built.
bahasa.pasang()

EXIT_INPUT = 2


#: Commands whose modules load only when the command runs (reportlab alone takes half a second
#: to import; `monev evaluasi` should not pay for it).
LAZY_COMMANDS = {
    "laporan": "monev.cli.laporan:laporan",
    "periksa": "monev.cli.periksa:periksa",
    "demo": "monev.web.commands:demo",
    "impor": "monev.web.commands:impor",
    "impor-renstra": "monev.cli.renstra:impor_renstra",
    "pemetaan-kode": "monev.cli.renstra:pemetaan_kode",
    "kelola": "monev.web.commands:kelola",
    "cadangan": "monev.web.commands:cadangan",
    "pulihkan": "monev.web.commands:pulihkan",
}


class MonevGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, _, name = LAZY_COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), name)
            assert isinstance(command, click.Command)
            return bahasa.indonesianise(command)
        command = super().get_command(ctx, cmd_name)
        return bahasa.indonesianise(command) if command is not None else None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name == "kelola":  # Django's commands parse their own arguments, with argparse
            bahasa.pasang_django()
        return name, command, rest

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            for masalah in exc.masalah:
                click.echo(f"galat: {masalah}", err=True)
            click.echo(f"{len(exc.masalah)} masalah; tidak ada yang diproses.", err=True)
            ctx.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("dibatalkan.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(0)
        except Exception as exc:  # the last line of defence: a message, never a traceback
            if "MONEV_DEBUG" in os.environ:
                raise
            click.echo(f"galat tak terduga: {exc.__class__.__name__}: {exc}", err=True)
            click.echo("Jalankan ulang dengan MONEV_DEBUG=1 untuk rincian.", err=True)
            ctx.exit(1)
        return None


@click.group(
    cls=MonevGroup,
    context_settings={"help_option_names": ["-h", "--bantuan", "--help"]},
    options_metavar=bahasa.OPSI_METAVAR,
    subcommand_metavar=bahasa.PERINTAH_METAVAR,
)
@click.version_option(
    None, "--versi", "--version", package_name="monev", message="monev %(version)s"
)
def main() -> None:
    """monev: monitoring dan evaluasi Renja Perangkat Daerah."""


def _pengaturan(rumus_negatif: str, batas: str | None):  # type: ignore[no-untyped-def]
    from monev.core.rules import Pengaturan, RumusNegatif

    cap = None
    if batas is not None:
        try:
            cap = Decimal(batas.replace(",", "."))
        except ArithmeticError as exc:
            raise click.BadParameter(
                f"'{batas}' bukan angka", param_hint="--batas-rata-rata"
            ) from exc
    return Pengaturan(rumus_negatif=RumusNegatif(rumus_negatif), batas_capaian_rata_rata=cap)


@main.command()
@click.argument("berkas", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--triwulan", "-t", type=click.IntRange(1, 4), help="Sampai triwulan ke- (1-4).")
@click.option(
    "--format",
    "-f",
    "format_",
    type=click.Choice(["teks", "csv", "json"]),
    default="teks",
    show_default=True,
)
@click.option(
    "--rumus-negatif",
    type=click.Choice(["2t_kurang_r", "t_per_r"]),
    default="2t_kurang_r",
    show_default=True,
    help="Rumus capaian indikator negatif: (2T-R)/T atau T/R.",
)
@click.option("--batas-rata-rata", help="Batas atas capaian saat menghitung rata-rata (mis. 100).")
def evaluasi(
    berkas: Path,
    triwulan: int | None,
    format_: str,
    rumus_negatif: str,
    batas_rata_rata: str | None,
) -> None:
    """Hitung evaluasi Renja dari BERKAS format datar (CSV/XLSX)."""
    # A short-lived batch run allocates millions of small objects and frees none before it ends:
    # the cyclic collector only costs time here (about a fifth of a 30 000-line run).
    gc.disable()
    from monev.core.evaluation import evaluate
    from monev.io import tabular
    from monev.io.flat import read_flat

    renja = read_flat(berkas)
    result = evaluate(renja, triwulan, _pengaturan(rumus_negatif, batas_rata_rata))
    render = {"teks": tabular.render_text, "csv": tabular.render_csv, "json": tabular.render_json}
    sys.stdout.write(render[format_](result))
    _exit_without_teardown()


def _exit_without_teardown() -> None:
    """End a batch command at once: freeing every object of a large evaluation one by one at
    interpreter shutdown takes longer than the evaluation's own output."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@main.command("data-sintetis")
@click.argument("keluaran", type=click.Path(path_type=Path))
@click.option("--pd", "jumlah_pd", type=click.IntRange(1), default=1, show_default=True)
@click.option(
    "--baris", type=click.IntRange(1), default=600, show_default=True, help="Baris per PD."
)
@click.option("--benih", type=int, default=2022, show_default=True, help="Benih acak.")
def data_sintetis(keluaran: Path, jumlah_pd: int, baris: int, benih: int) -> None:
    """Buat data sintetis format datar untuk uji beban (satu CSV per PD, atau satu berkas)."""
    from monev.synthetic import write_synthetic

    paths = write_synthetic(keluaran, jumlah_pd=jumlah_pd, baris_per_pd=baris, benih=benih)
    click.echo(f"{len(paths)} berkas ditulis ke {keluaran}", err=True)
