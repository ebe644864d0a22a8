"""click's own texts in Bahasa Indonesia: help headings, option errors, prompts.

click marks every text it prints for gettext (`from gettext import gettext as _` in each of its
modules) but ships no catalogue, and a gettext catalogue for Indonesian would be picked by the
process's language settings (`LANG`), which an operator's server rarely has. So `pasang` gives
click's modules a translation of their own: the catalogue below, keyed by click's message ids,
falling back to the English text for an id it does not know (a newer click), which
`tests/cli/test_bahasa.py` catches by running every sub-command's help and errors.

The placeholders (`{name!r}`, `{param_hint}` …) are click's and stay as they are.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

KATALOG: dict[str, str] = {
    # Help pages
    "Usage:": "Penggunaan:",
    "Options": "Opsi",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "%(prog)s, version %(version)s": "%(prog)s, versi %(version)s",
    "default: {default}": "bawaan: {default}",
    "required": "wajib",
    "env var: {var}": "variabel lingkungan: {var}",
    "(dynamic)": "(dinamis)",
    "deprecated": "usang",
    "Choose from:\n\t{choices}": "Pilih dari:\n\t{choices}",
    # Errors of the command line
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Jalankan '{command} {option}' untuk bantuan.",
    "Missing command.": "Perintah belum disebutkan.",
    "Missing argument": "Argumen belum diisi:",
    "Missing option": "Opsi wajib belum diisi:",
    "Missing parameter": "Parameter belum diisi:",
    "Missing {param_type}": "{param_type} belum diisi:",
    "Missing parameter: {param_name}": "Parameter belum diisi: {param_name}",
    "No such option {name!r}.": "Tidak ada opsi {name!r}.",
    "No such command {name!r}.": "Tidak ada perintah {name!r}.",
    "Did you mean {possibility}?": "Maksud Anda {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Maksud Anda salah satu dari: {possibilities}?)",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "Invalid value for {param_hint}: {message}": "Nilai {param_hint} tidak sah: {message}",
    "Got unexpected extra argument ({args})": "Ada argumen lebih yang tidak dikenal ({args})",
    "Got unexpected extra arguments ({args})": "Ada argumen lebih yang tidak dikenal ({args})",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak menerima nilai.",
    "Option {name!r} requires an argument.": "Opsi {name!r} memerlukan satu nilai.",
    "Option {name!r} requires {nargs} arguments.": "Opsi {name!r} memerlukan {nargs} nilai.",
    "Argument {name!r} takes {nargs} values.": "Argumen {name!r} memerlukan {nargs} nilai.",
    "Invalid start character for option ({option})": "Awal opsi tidak sah ({option})",
    "Takes {nargs} values but 1 was given.": "Memerlukan {nargs} nilai, tetapi diberi 1.",
    "Takes {nargs} values but {len} were given.": "Memerlukan {nargs} nilai, tetapi diberi {len}.",
    "Value must be an iterable.": "Nilai harus berupa daftar.",
    "Could not open file {filename!r}: {message}": "Berkas {filename!r} tidak dapat dibuka: "
    "{message}",
    "unknown error": "galat tidak dikenal",
    "Aborted!": "Dibatalkan.",
    # Values of the parameter types
    "{value!r} is not {choice}.": "{value!r} bukan {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} bukan salah satu dari {choices}.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} bukan nilai "
    "ya/tidak yang sah. Nilai yang dikenal: {states}",
    "{value!r} is not a valid UUID.": "{value!r} bukan UUID yang sah.",
    "{value!r} does not match the format {format}.": "{value!r} tidak sesuai format {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} tidak sesuai format {formats}.",
    "{len_type} values are required, but {len_value} was given.": "Diperlukan {len_type} nilai, "
    "tetapi diberi {len_value}.",
    "{len_type} values are required, but {len_value} were given.": "Diperlukan {len_type} nilai, "
    "tetapi diberi {len_value}.",
    "file": "Berkas",
    "directory": "Folder",
    "path": "Jalur",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas, bukan folder.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder, bukan berkas.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak dapat ditulis.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} tidak dapat dijalankan.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    # Prompts
    "Do you want to continue?": "Lanjutkan?",
    "Confirm the action without prompting.": "Lanjutkan tanpa bertanya.",
    "Repeat for confirmation": "Ulangi untuk konfirmasi",
    "Error: The two entered values do not match.": "Galat: kedua nilai yang diketik tidak sama.",
    "Error: invalid input": "Galat: isian tidak sah",
    "Press any key to continue...": "Tekan tombol apa saja untuk melanjutkan...",
}

#: The names click prints for a parameter's type, in help (`--port INTEGER RANGE`) and errors
#: (`'x' is not a valid integer`).
NAMA_JENIS: dict[type[click.ParamType], str] = {
    click.types.StringParamType: "teks",
    click.types.UnprocessedParamType: "teks",
    click.types.IntParamType: "bilangan bulat",
    click.types.IntRange: "bilangan bulat",
    click.types.FloatParamType: "bilangan",
    click.types.FloatRange: "bilangan",
    click.types.BoolParamType: "ya/tidak",
    click.types.DateTime: "tanggal-waktu",
    click.types.File: "nama berkas",
}

#: The usage line's placeholders.
OPSI_METAVAR = "[OPSI]"
PERINTAH_METAVAR = "PERINTAH [ARGUMEN]..."

_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
    "click._termui_impl",
    "click.shell_completion",
)


def gettext(message: str) -> str:
    return KATALOG.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def _set_type_names() -> None:
    for kind, name in NAMA_JENIS.items():
        kind.name = name  # type: ignore[misc]
    # The shared instances were built from the classes, but carry no name of their own.
    for instance in (click.STRING, click.INT, click.FLOAT, click.BOOL, click.UNPROCESSED):
        instance.__dict__.pop("name", None)


def pasang() -> None:
    """Give click's modules the Indonesian catalogue (once per process; harmless again)."""
    for name in _MODULES:
        try:
            module: Any = importlib.import_module(name)
        except ImportError:  # a module a future click drops
            continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    _set_type_names()


def indonesianise(command: click.Command) -> click.Command:
    """Give a command (and its sub-commands) the Indonesian placeholders of the usage line."""
    if command.options_metavar == "[OPTIONS]":
        command.options_metavar = OPSI_METAVAR
    if isinstance(command, click.Group) and command.subcommand_metavar.startswith(
        ("COMMAND", "[COMMAND")
    ):
        command.subcommand_metavar = PERINTAH_METAVAR
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            indonesianise(sub)
    return command


#: argparse's own texts (Django's management commands parse with it) by their gettext ids.
KATALOG_ARGPARSE: dict[str, str] = {
    "usage: ": "penggunaan: ",
    "options": "opsi",
    "positional arguments": "argumen",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan tidak sah: %(value)r "
    "(pilih dari %(choices)s)",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak sah: %(value)r",
    "expected one argument": "memerlukan satu nilai",
    "expected at most one argument": "memerlukan paling banyak satu nilai",
    "expected at least one argument": "memerlukan paling sedikit satu nilai",
    "expected %s argument": "memerlukan %s nilai",
    "expected %s arguments": "memerlukan %s nilai",
    "ambiguous option: %(option)s could match %(matches)s": "opsi %(option)s tidak jelas: "
    "bisa %(matches)s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "ignored explicit argument %r": "argumen %r diabaikan",
    "can't open '%(filename)s': %(error)s": "'%(filename)s' tidak dapat dibuka: %(error)s",
}

#: The help of the options every Django management command has.
BANTUAN_DJANGO: dict[str, str] = {
    "Show program's version number and exit.": "Tampilkan versi lalu keluar.",
    "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose "
    "output": "Banyaknya keluaran: 0 sedikit, 1 biasa, 2 rinci, 3 sangat rinci.",
    'The Python path to a settings module, e.g. "myproject.settings.main". If this isn\'t '
    "provided, the DJANGO_SETTINGS_MODULE environment variable will be used.": "Modul "
    'pengaturan Python, mis. "monev.web.settings"; bawaan: variabel DJANGO_SETTINGS_MODULE.',
    'A directory to add to the Python path, e.g. "/home/djangoprojects/myproject".': "Folder "
    "yang ditambahkan ke jalur Python.",
    "Display a full stack trace on CommandError exceptions.": "Tampilkan jejak lengkap pada "
    "galat perintah.",
    "Don't colorize the command output.": "Keluaran tanpa warna.",
    "Force colorization of the command output.": "Keluaran selalu berwarna.",
    "Skip system checks.": "Lewati pemeriksaan sistem.",
}


def pasang_django() -> None:
    """Give argparse (under Django's management commands) Indonesian texts, and the options
    Django adds to every command Indonesian help. A command's own options keep their text."""
    import argparse

    from django.core.management.base import BaseCommand

    argparse._ = lambda message: KATALOG_ARGPARSE.get(message, message)  # type: ignore[attr-defined]
    argparse.ngettext = lambda singular, plural, n: KATALOG_ARGPARSE.get(  # type: ignore[attr-defined]
        singular if n == 1 else plural, singular if n == 1 else plural
    )
    original = BaseCommand.create_parser
    if getattr(original, "_indonesia", False):
        return

    def create_parser(self: Any, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = original(self, prog_name, subcommand, **kwargs)
        for action in parser._actions:
            if isinstance(action.help, str):
                action.help = BANTUAN_DJANGO.get(action.help, action.help)
        return parser

    create_parser._indonesia = True  # type: ignore[attr-defined]
    BaseCommand.create_parser = create_parser  # type: ignore[method-assign]
