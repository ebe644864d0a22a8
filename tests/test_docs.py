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
