"""The command line's own texts (click's help and errors) are Indonesian in every sub-command."""

from __future__ import annotations

import errno
import os
import re

import click
import pytest
from click.testing import CliRunner

from monev.cli import main

#: What click prints in English when its texts are not translated.
ENGLISH = re.compile(
    r"Usage:|Options|Commands|Show this message|Show the version|Error|Missing|No such|"
    r"Try '|default:|required\]|Invalid value|is not|does not|Got unexpected|requires an|"
    r"Did you mean|Aborted|\b(INTEGER|TEXT|PATH|FILE|DIRECTORY|FLOAT|BOOLEAN|RANGE)\b|"
    r"\[OPTIONS\]|COMMAND|\[ARGS\]"
)

COMMANDS = main.list_commands(click.Context(main))


def _run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="monev")


def test_every_command_is_listed():
    assert {"evaluasi", "laporan", "periksa", "demo", "impor", "kelola"} <= set(COMMANDS)


@pytest.mark.parametrize(
    "args", [[], *([c] for c in COMMANDS)], ids=lambda a: " ".join(a) or "monev"
)
def test_help_is_indonesian(args):
    result = _run(*args, "--help")
    assert result.exit_code == 0, result.output
    assert "Penggunaan: monev" in result.output and "Opsi:" in result.output
    assert "Tampilkan bantuan ini lalu keluar." in result.output
    assert not ENGLISH.search(result.output), result.output


def test_the_group_lists_its_commands_under_an_indonesian_heading():
    assert "Perintah:" in _run("--help").output


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "kelola"])
def test_unknown_option_is_refused_in_indonesian(command):
    result = _run(command, "--opsi-keliru")
    assert result.exit_code == 2
    assert "Galat: Tidak ada opsi '--opsi-keliru'." in result.output
    assert f"Jalankan 'monev {command} --bantuan' untuk bantuan." in result.output
    assert not ENGLISH.search(result.output), result.output


def _required_arguments(command: str) -> list[str]:
    cmd = main.get_command(click.Context(main), command)
    assert cmd is not None
    return [
        p.human_readable_name for p in cmd.params if isinstance(p, click.Argument) and p.required
    ]


@pytest.mark.parametrize("command", [c for c in COMMANDS if _required_arguments(c)])
def test_missing_argument_is_named_in_indonesian(command):
    result = _run(command)
    assert result.exit_code == 2
    name = _required_arguments(command)[0]
    assert f"Galat: Argumen belum diisi: '{name}'." in result.output
    assert not ENGLISH.search(result.output), result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["evaluasi", "x.csv", "-t", "9"],
            "Nilai '--triwulan' / '-t' tidak sah: 9 di luar rentang",
        ),
        (["evaluasi", "x.csv", "-f", "xml"], "'xml' bukan salah satu dari 'teks', 'csv', 'json'."),
        (["evaluasi", "a", "b"], "Ada argumen lebih yang tidak dikenal (b)"),
        (["evaluasi", "x.csv", "--triwulan"], "Opsi '--triwulan' memerlukan satu nilai."),
        (["data-sintetis", "x", "--pd", "abc"], "'abc' bukan bilangan bulat yang sah."),
        (["impor", "x.csv", "--tahun", "2022"], "Opsi wajib belum diisi: '--pd'."),
        (["perintah-keliru"], "Tidak ada perintah 'perintah-keliru'."),
        (["evaluasi", "--triwulna", "2"], "Maksud Anda '--triwulan'?"),
    ],
)
def test_option_errors_are_indonesian(args, expected):
    result = _run(*args)
    assert result.exit_code == 2
    assert expected in result.output
    assert not ENGLISH.search(result.output), result.output


def test_refused_confirmation_says_so_in_indonesian(tmp_path):
    result = CliRunner().invoke(
        main, ["pulihkan", str(tmp_path / "c.sqlite3")], input="n\n", prog_name="monev"
    )
    assert result.exit_code == 1
    assert "Dibatalkan." in result.output and "Aborted" not in result.output


def test_version_in_both_spellings():
    assert _run("--versi").output.startswith("monev ")
    assert _run("--version").output.startswith("monev ")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOENT, "berkas atau folder tidak ada"),
        (errno.EACCES, "tidak diizinkan membacanya atau menulisnya (hak akses)"),
        (errno.EISDIR, "yang disebut adalah folder, bukan berkas"),
        (errno.ENOSPC, "ruang disk penuh"),
    ],
)
def test_the_systems_refusals_are_indonesian(code, expected):
    from monev.io.sistem import alasan_os

    assert alasan_os(OSError(code, os.strerror(code))) == expected


def test_a_missing_file_is_named_in_indonesian(tmp_path):
    result = _run("evaluasi", str(tmp_path / "tidak-ada.csv"))
    assert result.exit_code == 2
    assert "berkas atau folder tidak ada" in result.output
    assert "No such file" not in result.output


def _kelola(tmp_path, *args: str):
    import subprocess
    import sys

    env = {**os.environ, "MONEV_DATA_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "monev", "kelola", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_a_django_commands_help_is_its_own_with_indonesian_headings(tmp_path):
    result = _kelola(tmp_path, "kirim_pengingat", "--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("penggunaan: ") and "\nopsi:\n" in out and "--hari" in out
    assert "tampilkan bantuan ini lalu keluar" in out and "Lewati pemeriksaan sistem." in out
    assert not re.search(r"usage:|options:|show this help|Show program|Skip system", out)
    migrate = _kelola(tmp_path, "migrate", "--help").stdout
    assert "--fake" in migrate  # Django's own command, not kelola's help


def test_a_django_commands_option_error_is_indonesian(tmp_path):
    result = _kelola(tmp_path, "kirim_pengingat", "--opsi-keliru")
    assert result.returncode == 2
    assert "galat: argumen tidak dikenal: --opsi-keliru" in result.stderr
