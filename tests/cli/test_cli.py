"""The CLI's shared conventions: version, help on every command, one-line errors, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from exokg import __version__
from exokg.cli.app import command_names
from tests.conftest import ExokgRunner

COMMANDS = command_names()


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
    assert f"usage: exokg {command}" in result.stdout


def test_each_command_is_declared_where_the_parser_looks_for_it() -> None:
    """`exokg NAME` imports only the module COMMAND_MODULES names for NAME: it must declare NAME,
    and every command a module of exokg.cli declares must be listed there."""
    import importlib
    import pkgutil

    import exokg.cli
    from exokg.cli.app import COMMAND_MODULES
    from exokg.cli.base import COMMANDS as DECLARED

    for name, module in COMMAND_MODULES.items():
        importlib.import_module(f"exokg.cli.{module}")
        run, _ = DECLARED[name]
        assert run.__module__ == f"exokg.cli.{module}", f"`exokg {name}` is not in {module}"
    for info in pkgutil.iter_modules(exokg.cli.__path__):
        importlib.import_module(f"exokg.cli.{info.name}")
    assert sorted(DECLARED) == command_names()


def test_a_cold_ask_imports_no_other_command() -> None:
    code = (
        "import sys\nfrom exokg.cli.app import main\n"
        "main(['ask', 'exosomes-promoting-tumour-progression', '--format', 'csv'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('exokg.cli.')), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = out.stderr.strip().splitlines()[-1]
    assert loaded == "['exokg.cli.answering', 'exokg.cli.app', 'exokg.cli.ask', 'exokg.cli.base']"


def test_unknown_command_is_a_usage_error(exokg: ExokgRunner) -> None:
    result = exokg("no-such-command")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("ask",), "required: NAME"),
        (("ask", "sources", "--format", "xml"), "invalid choice: 'xml'"),
        (("ask", "sources", "--limit", "-1"), "-1 is not 0 or more"),
        (("serve", "--port", "70000"), "70000 is not 1 to 65535"),
        (("release", "--out", "x", "--date", "2024-02-30"), "not a date as YYYY-MM-DD"),
        (("ask", "sources", "--no-such-option"), "unrecognized arguments: --no-such-option"),
        (("query", "SELECT * WHERE { ?s ?p ?o }"), "give the query text with --sparql"),
    ],
)
def test_a_bad_command_line_is_one_line_and_exit_2(
    exokg: ExokgRunner, args: tuple[str, ...], says: str
) -> None:
    result = exokg(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("exokg: error: ")
    assert says in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_no_command_prints_the_help_and_exits_2(exokg: ExokgRunner) -> None:
    result = exokg()
    assert result.returncode == 2
    assert "usage: exokg" in result.stderr
    for name in COMMANDS:
        assert name in result.stderr


def test_bad_data_exits_1_without_a_traceback(exokg: ExokgRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.nq"
    broken.write_text("this is not N-Quads\n", encoding="utf-8")
    result = exokg("ask", "sources", "--kg", broken)
    assert result.returncode == 1
    assert result.stderr.startswith("exokg: error: ") and "not valid N-Quads" in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    debug = exokg("--debug", "ask", "sources", "--kg", broken)
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_debug_adds_the_traceback_and_keeps_the_exit_code(exokg: ExokgRunner) -> None:
    plain = exokg("ask", "no-such-question")
    debug = exokg("--debug", "ask", "no-such-question")
    assert plain.returncode == debug.returncode == 2
    assert "Traceback" not in plain.stderr
    assert "Traceback" in debug.stderr and "no question called 'no-such-question'" in debug.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("list",),  # a few kilobytes: the write fails when exokg flushes standard output
        ("completion", "bash"),
        ("export", "--format", "json"),  # more than a buffer: fails while the command writes
    ],
)
def test_an_output_that_cannot_be_written_is_one_line(args: tuple[str, ...]) -> None:
    """`exokg … > /dev/full` is the user's full disk, not an exokg bug: one line, exit 1."""
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "exokg", *args], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        "exokg: error: could not write the output (No space left on device)"
        " — make room where it goes, or send it elsewhere\n"
    )


def test_import_loads_nothing_heavy() -> None:
    code = (
        "import exokg, sys; print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in {'rdflib','owlready2','pyvis','pyshacl'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_and_list_load_nothing_heavy() -> None:
    code = (
        "import sys\nfrom exokg.cli.app import main\n"
        "try:\n    main(['list'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules "
        "if m.split('.')[0] in {'rdflib','owlready2','pyvis','pyshacl','networkx'})\n"
        "print(heavy, file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stderr.strip().splitlines()[-1] == "[]", out.stderr


def test_the_answer_path_imports_only_what_it_needs() -> None:
    """A cold `exokg ask` must stay close to `python -c "import pyoxigraph"` (issue 5, Speed).

    Each of these modules costs it milliseconds: typing, dataclasses and click more than the query.
    """
    code = (
        "import sys\nfrom exokg.cli.app import main\n"
        "code = main(['ask', 'exosomes-promoting-tumour-progression', '--format', 'csv'])\n"
        "avoided = {'typing', 'dataclasses', 'click', 'rdflib', 'owlready2', 'pyvis', 'pyshacl',"
        " 'networkx', 'json', 'shutil', 'inspect', 'threading', 'exokg.core.outputs',"
        " 'exokg.text.where'}\n"
        "print(code, sorted(avoided & set(sys.modules)), file=sys.stderr)"
    )
    # the first ask after a build keeps the graph as a store in the user's cache folder (shutil …)
    # and its answer beside it: the second reads that answer and runs no query (threading)
    subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stderr.strip().splitlines()[-1] == "0 []", out.stderr
