"""The README describes commands; check that what it describes exists (Datasette's test_docs)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from monev.cli import main

COMMANDS = main.list_commands(click.Context(main))

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def documented_commands() -> list[str]:
    return sorted(set(re.findall(r"`monev ([a-z-]+)", README)))


def test_readme_has_the_two_commands():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert any("monev demo" in b and "pip install" in b for b in blocks)
    assert any("scripts/test.py" in b and "pip install" in b for b in blocks)


@pytest.mark.parametrize("name", documented_commands())
def test_every_documented_command_exists(name):
    assert name in COMMANDS, f"README names 'monev {name}', which does not exist"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented(name):
    assert f"`monev {name}" in README, f"'monev {name}' is not in the README's command table"


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    command = next(
        b for b in re.findall(r"```sh\n(.*?)\n```", README, re.S) if "scripts/test.py" in b
    )
    assert command.strip() in ci


def test_demo_carries_the_reference_case_unchanged() -> None:
    from tests.conftest import reference_dir

    demo = (
        Path(__file__).resolve().parents[1]
        / "src"
        / "monev"
        / "demo"
        / "disnaker-tangerang-2022.csv"
    )
    assert demo.read_bytes() == (reference_dir() / "data.csv").read_bytes()


# --- the pages under docs/ ------------------------------------------------------------------
# Every command a page names exists with every option it shows; the cheap ones run; every
# worked example follows the engine; nothing points outside the repository.

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from click.testing import CliRunner  # noqa: E402

from tests import dokumen  # noqa: E402
from tests.demo_bersama import copy_demo  # noqa: E402

ALL_COMMANDS = [c for page in dokumen.pages() for c in dokumen.commands(page)]
#: Sub-commands that read a file and write one: run for real when a shell block shows them.
CHEAP = {"evaluasi", "periksa", "laporan", "data-sintetis"}


def _options(words: tuple[str, ...]) -> list[str]:
    found = []
    for word in words:
        for option in re.findall(r"(?:^|[\[(|])(--?[a-zA-Z][\w-]*)", word):
            found.append(option)
    return found


def test_the_docs_name_commands():
    pages = {c.page.name for c in ALL_COMMANDS}
    assert {"README.md", "aturan-perhitungan.md", "menjalankan-di-server.md"} <= pages


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=lambda c: c.id)
def test_every_command_in_the_docs_exists_with_its_options(command):
    name, *rest = command.words
    assert name in COMMANDS, f"{command.id}: 'monev {name}' does not exist"
    if name == "kelola":
        _check_management_command(command, tuple(rest))
        return
    cmd = main.get_command(click.Context(main), name)
    known = {opt for p in cmd.params for opt in (*p.opts, *p.secondary_opts)}
    known |= {"-h", "--bantuan", "--help"}
    for option in _options(tuple(rest)):
        assert option in known, f"{command.id}: 'monev {name}' has no option {option}"


def _check_management_command(command, words):
    from django.core.management import get_commands, load_command_class

    if not words or not re.fullmatch(r"[a-z_]+", words[0]):
        return  # `monev kelola ARGS…`
    available = get_commands()
    assert words[0] in available, f"{command.id}: no management command '{words[0]}'"
    parser = load_command_class(available[words[0]], words[0]).create_parser("monev", words[0])
    for option in _options(words[1:]):
        assert option in parser._option_string_actions, f"{command.id}: no option {option}"


def _runs(command) -> bool:
    """Whether a shell block's command is run for real: every one that reads and writes files,
    and the ones that read the database without changing it (on a demo database of their own)."""
    name = command.words[0]
    if name == "impor":
        return "--coba" in command.words
    return name in CHEAP | {"cadangan"}


def _needs_database(command) -> bool:
    words = command.words
    return words[0] in ("impor", "cadangan") or (
        words[0] == "laporan" and ("--pd" in words or "--tahun" in words)
    )


RUNNABLE = [c for c in ALL_COMMANDS if c.runnable and _runs(c)]


def test_the_docs_show_commands_that_run():
    assert {c.words[0] for c in RUNNABLE} >= {"evaluasi", "periksa", "laporan", "impor"}


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory):
    """The environment of a fresh SQLite demo database (`monev demo --tanpa-server`: the run's
    shared one, copied)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MONEV_PRODUKSI")}
    data = copy_demo(tmp_path_factory, tmp_path_factory.mktemp("demo") / "data")
    env["MONEV_DATA_DIR"] = str(data)
    return env


@pytest.mark.parametrize("command", RUNNABLE, ids=lambda c: c.id)
def test_every_cheap_command_in_the_docs_runs(command, tmp_path, request):
    # Paths of the repository are read from it; anything the command writes lands in tmp_path.
    args = [
        str(dokumen.ROOT / w) if "/" in w and (dokumen.ROOT / w).exists() else w
        for w in command.words
    ]
    env = request.getfixturevalue("demo_env") if _needs_database(command) else None
    # A real process, as a reader runs it (`monev evaluasi` ends with os._exit).
    result = subprocess.run(
        [sys.executable, "-m", "monev", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"{command.id}:\n{result.stderr}"
    assert result.stdout or any(tmp_path.iterdir()), f"{command.id} wrote nothing"


@pytest.mark.parametrize("command", [c for c in ALL_COMMANDS if c.runnable], ids=lambda c: c.id)
def test_every_command_of_a_shell_block_answers_help(command):
    result = CliRunner().invoke(main, [command.words[0], "--help"])
    assert result.exit_code == 0, result.output


def test_every_gunicorn_application_in_the_docs_exists():
    import importlib

    named = {
        match
        for page in dokumen.pages()
        for block in dokumen.blocks(page, "sh")
        for match in re.findall(r"gunicorn ([\w.]+:\w+)", block.text)
    }
    assert named
    for target in named:
        module, _, name = target.partition(":")
        assert callable(getattr(importlib.import_module(module), name)), target


CONTOH = [
    dokumen.parse_contoh(b) for page in dokumen.pages() for b in dokumen.blocks(page, "contoh")
]


def _contoh_param(contoh):
    waiting = contoh.settings.get("menunggu")
    marks = [pytest.mark.xfail(strict=True, reason=waiting)] if waiting else []
    return pytest.param(contoh, marks=marks, id=contoh.block.id)


def test_the_rules_page_carries_worked_examples():
    on_rules = [c for c in CONTOH if c.block.page.name == "aturan-perhitungan.md"]
    assert len(on_rules) >= 20
    assert all(
        c.expected or "pemeriksaan" in c.select or "tanpa_pemeriksaan" in c.select for c in CONTOH
    )


def _evaluate(contoh):
    from decimal import Decimal

    from monev.core.evaluation import evaluate
    from monev.core.predikat import parse_pita
    from monev.core.rules import Pengaturan, RumusNegatif
    from monev.io.flat import read_flat

    renja = read_flat(Path("data.csv"), dokumen.changed_reference(contoh.changes))
    s = contoh.settings
    options = {}
    if "rumus_negatif" in s:
        options["rumus_negatif"] = RumusNegatif(s["rumus_negatif"])
    if "batas_rata_rata" in s:
        options["batas_capaian_rata_rata"] = Decimal(s["batas_rata_rata"])
    if "pita_predikat" in s:
        # The admin's text form, one band a line (`;` in a block); one set for both sides.
        bands = parse_pita(s["pita_predikat"].replace(";", "\n"))
        options["predikat_k"] = options["predikat_rp"] = bands
    triwulan = int(s["triwulan"]) if "triwulan" in s else None
    return evaluate(renja, triwulan, Pengaturan(**options))


def _figures(evaluasi, select):
    if "program" in select:
        found = [p for p in evaluasi.ringkasan.program if p.kode == select["program"]]
        assert found, f"program {select['program']} not in the summary"
        p = found[0]
        return {
            "rata_rata_capaian_kegiatan": p.rata_rata_capaian_kegiatan,
            "predikat_kegiatan": p.predikat_kegiatan,
            "pagu": p.pagu,
            "realisasi_rp": p.realisasi_rp,
            "persen_realisasi_rp": p.persen_realisasi_rp,
            "predikat_rp": p.predikat_rp,
        }
    if "kode" in select:
        lines = [b for b in evaluasi.baris if b.node.kode == select["kode"]]
        assert lines, f"kode {select['kode']} not in the evaluation"
        line = lines[int(select.get("indikator", "1")) - 1]
        rp = evaluasi.rp_of(select["kode"])
        return {
            "target_k": line.indikator.target,
            "realisasi_k": line.realisasi,
            "capaian_k": line.capaian,
            "predikat_k": line.predikat,
            "renstra_realisasi_k": line.renstra_realisasi,
            "renstra_capaian_k": line.renstra_capaian,
            "pagu": rp.pagu,
            "realisasi_rp": rp.realisasi,
            "capaian_rp": rp.capaian,
            "predikat_rp": rp.predikat,
            "renstra_realisasi_rp": rp.renstra_realisasi,
            "renstra_capaian_rp": rp.renstra_capaian,
            **{f"tw{q}_rp": rp.triwulan[q - 1] for q in range(1, 5)},
        }
    r = evaluasi.ringkasan
    return {
        name: getattr(r, name)
        for name in (
            "rata_rata_capaian_program",
            "rata_rata_capaian_kegiatan",
            "rata_rata_capaian_sub_kegiatan",
            "rata_rata_capaian_k",
            "predikat_k",
            "pagu",
            "realisasi_rp",
            "persen_realisasi_rp",
            "predikat_rp",
        )
    }


def _shown(field, value):
    from monev.core.numbers import format_angka, format_nilai

    if field.startswith("predikat"):
        return value or "-"
    if field in dokumen.PERCENT_FIELDS:
        return format_angka(value)
    return format_nilai(value)


@pytest.mark.parametrize("contoh", [_contoh_param(c) for c in CONTOH])
def test_every_worked_example_follows_the_engine(contoh):
    evaluasi = _evaluate(contoh)
    select = contoh.select
    for key in ("pemeriksaan", "tanpa_pemeriksaan"):
        if key in select:
            found = [
                p
                for p in evaluasi.pemeriksaan
                if p.jenis == select[key] and p.kode == select.get("kode", p.kode)
            ]
            if key == "tanpa_pemeriksaan":
                assert not found, f"{contoh.block.id}: {[p.pesan for p in found]}"
            else:
                assert found, f"{contoh.block.id}: no {select[key]} at {select.get('kode')}"
                if "pesan" in select:
                    assert select["pesan"] in [p.pesan for p in found]
    if not contoh.expected:
        return
    figures = _figures(evaluasi, select)
    shown = {k: _shown(k, figures[k]) for k in contoh.expected if k in figures}
    unknown = set(contoh.expected) - set(figures)
    assert not unknown, f"{contoh.block.id}: unknown fields {unknown}"
    assert shown == contoh.expected, contoh.block.id


# --- paths, links, pictures, API ------------------------------------------------------------

_UP = re.compile(r"(?:\.\./)+[^\s`)\]'\"]*")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


#: Places of one machine, never of the repository (a deployment's /srv, /etc are fine).
_MACHINE = re.compile(r"(?<![\w.])/(?:work|home|tmp|Users)/")


def outside(page: Path, text: str) -> list[str]:
    """Return every path a page names that leaves the repository or names one machine."""
    root = dokumen.ROOT.resolve()
    found = [t for t in _UP.findall(text) if not (page.parent / t).resolve().is_relative_to(root)]
    return found + _MACHINE.findall(text)


@pytest.mark.parametrize(
    "page, text, found",
    [
        (
            "README.md",
            "see `../lain/spec/evaluasi-renja.md`",
            ["../lain/spec/evaluasi-renja.md"],
        ),
        ("docs/panduan/operator.md", "[x](../../../reference/a.csv)", ["../../../reference/a.csv"]),
        ("docs/panduan/operator.md", "[rules](../aturan-perhitungan.md)", []),
        ("docs/panduan/operator.md", "[reference](../../docs/referensi/)", []),
        ("README.md", "the folder /work/main/docs", ["/work/"]),
        ("README.md", "a copy in /home/lead/monev", ["/home/"]),
        ("README.md", "`/srv/monev/app` and `/etc/nginx/`", []),
    ],
)
def test_outside_finds_paths_that_leave_the_repository(page, text, found):
    assert outside(dokumen.ROOT / page, text) == found


@pytest.mark.parametrize("page", dokumen.pages(), ids=dokumen.name)
def test_no_page_points_outside_the_repository(page):
    assert outside(page, page.read_text(encoding="utf-8")) == [], dokumen.name(page)


@pytest.mark.parametrize("page", dokumen.pages(), ids=dokumen.name)
def test_every_link_of_a_page_exists(page):
    text = page.read_text(encoding="utf-8")
    for target in _LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = (page.parent / target.split("#", 1)[0]).resolve()
        assert path.exists(), f"{dokumen.name(page)} links to {target}, which does not exist"
    for target in _UP.findall(text):
        assert (page.parent / target).exists(), f"{dokumen.name(page)} names {target}"


def test_the_pictures_are_used_and_small():
    pictures = sorted((dokumen.ROOT / "docs" / "gambar").glob("*.png"))
    assert pictures
    text = "".join(p.read_text(encoding="utf-8") for p in dokumen.pages())
    for picture in pictures:
        assert picture.name in text, f"{picture.name} is shown on no page"
    assert sum(p.stat().st_size for p in pictures) < 900_000


_API_PATH = re.compile(r"`(?:(GET|PUT) )?(/pemda/api/[^`\s?]*)")


def _api_paths_named() -> list[tuple[str, str, str]]:
    return [
        (dokumen.name(page), method, path)
        for page in dokumen.pages()
        for method, path in _API_PATH.findall(page.read_text(encoding="utf-8"))
    ]


def test_the_docs_name_the_api():
    assert len({p for _, _, p in _api_paths_named()}) >= 13


@pytest.mark.parametrize("where, method, path", _api_paths_named())
def test_every_api_path_in_the_docs_is_in_the_openapi_schema(where, method, path):
    from monev.pemda.api import api

    prefix = "/pemda/api"
    served = {prefix + "/", prefix + "/openapi.json", prefix + "/dokumentasi/"}
    paths = {
        (p if p.startswith(prefix) else prefix + p): operations
        for p, operations in api.get_openapi_schema()["paths"].items()
    }
    assert path in paths or path in served, f"{where} names {path}, which the API does not serve"
    if method:
        assert method.lower() in paths[path], f"{where}: {path} does not answer {method}"
