"""The CLI's shared conventions: version, help on every command, one-line errors, exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from exokg import __version__
from exokg.cli import cli
from tests.conftest import ExokgRunner

COMMANDS = sorted(cli.commands)


def test_version(exokg: ExokgRunner) -> None:
    result = exokg("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"exokg, version {__version__}"


def test_help_lists_the_commands(exokg: ExokgRunner) -> None:
    result = exokg("--help")
    assert result.returncode == 0
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(exokg: ExokgRunner, command: str) -> None:
    result = exokg(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage: exokg" in result.stdout


def test_unknown_command_is_a_usage_error(exokg: ExokgRunner) -> None:
    result = exokg("no-such-command")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_import_loads_nothing_heavy() -> None:
    code = (
        "import exokg, sys; print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in {'rdflib','owlready2','pyvis','pyshacl'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_and_list_load_nothing_heavy() -> None:
    code = (
        "import sys\nfrom exokg.cli import main\n"
        "try:\n    main(['list'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules "
        "if m.split('.')[0] in {'rdflib','owlready2','pyvis','pyshacl','networkx'})\n"
        "print(heavy, file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stderr.strip().splitlines()[-1] == "[]", out.stderr
