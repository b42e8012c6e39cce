"""Answers on a terminal: tables that fit its width, chosen columns, required parameters, progress.

The tables are checked at 80, 100 and 160 columns; the CLI is run on a real pseudo-terminal (a pty),
so it takes the path a person's shell takes, and through a pipe, where the answer must stay whole.
"""

from __future__ import annotations

import csv
import io
import os
import pty
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from exokg.core.errors import UsageError
from exokg.query.answers import table_columns, write_results
from exokg.query.questions import get_question, parse_question
from exokg.query.store import Solutions, open_store
from exokg.text.resolve import ask
from tests import FIXTURES
from tests.conftest import ExokgRunner

MINI_KG = FIXTURES / "questions" / "mini-kg.nq"
TUMOUR = "exosomes-promoting-tumour-progression"


@pytest.fixture(scope="module")
def answer() -> Solutions:
    return ask(TUMOUR, executor=open_store(kg_file=MINI_KG))


@pytest.mark.parametrize("width", [80, 100, 160])
def test_no_line_is_wider_than_the_terminal(answer: Solutions, width: int) -> None:
    for columns in (None, list(get_question(TUMOUR).default_columns())):
        table = write_results(answer, "table", columns=columns, width=width)
        too_wide = [line for line in table.splitlines() if len(line) > width]
        assert too_wide == [], f"{len(too_wide)} lines longer than {width}"


def test_long_text_wraps_inside_its_cell(answer: Solutions) -> None:
    table = write_results(answer, "table", columns=["vesicle", "evidence", "source"], width=60)
    lines = table.splitlines()
    assert all(len(line) <= 60 for line in lines)
    assert not any(line.endswith("…") for line in lines), "text is wrapped, never cut"
    # the whole CURIE of the evidence class is there, possibly split over two lines
    assert "ECO:0000269" in table.replace("\n", "").replace(" ", "")


def test_columns_that_cannot_fit_are_named(answer: Solutions) -> None:
    table = write_results(answer, "table", width=40)
    assert len(table_columns(answer)) > 4
    assert "not shown:" in table and "--wide" in table


def test_labels_and_curies_share_a_cell(answer: Solutions) -> None:
    table = write_results(answer, "table")
    assert "small EV from 4T1 cells [EXOKG:0000100]" in table
    assert "vesicle_label" not in table
    assert "[doi:10.1158/0008-5472.CAN-12-0925]" in table  # a DOI as a CURIE, not a URL


def test_unknown_column_is_a_usage_error(answer: Solutions) -> None:
    with pytest.raises(UsageError, match=r"no column 'colour'.*its columns are: vesicle"):
        write_results(answer, "table", columns=["vesicle", "colour"])


def test_display_line_names_columns(tmp_path: Path) -> None:
    text = get_question(TUMOUR).path.read_text(encoding="utf-8")
    question = parse_question(_write(tmp_path / "a.rq", text))
    assert question.default_columns()[:3] == ("vesicle", "effect", "outcome")
    without = "\n".join(line for line in text.splitlines() if not line.startswith("# Display:"))
    fallback = parse_question(_write(tmp_path / "b.rq", without)).default_columns()
    assert "vesicle" in fallback and "vesicles" not in fallback and "process" not in fallback
    bad = text.replace("# Display: vesicle,", "# Display: vesicle, colour,")
    with pytest.raises(Exception, match="'colour', which is not a column"):
        parse_question(_write(tmp_path / "c.rq", bad))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def on_a_terminal(*args: str, columns: int = 100, stderr_too: bool = False) -> str:
    """Run ``exokg ARGS`` with its standard output (and stderr) on a pseudo-terminal ``columns`` wide."""
    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns)}
    process = subprocess.Popen(
        [sys.executable, "-m", "exokg", *args],
        stdout=child,
        stderr=child if stderr_too else subprocess.PIPE,
        env=env,
    )
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert process.wait(timeout=120) == 0, process.stderr.read() if process.stderr else ""
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.parametrize("columns", [80, 100, 160])
def test_ask_on_a_terminal_fits_and_shows_the_display_columns(columns: int) -> None:
    out = on_a_terminal("ask", TUMOUR, "--kg", str(MINI_KG), columns=columns)
    assert max(len(line) for line in out.splitlines()) <= columns
    header = out.splitlines()[0].split()
    assert header[:3] == ["vesicle", "effect", "outcome"]
    assert "vesicles" not in header and "statement" not in header


def test_columns_and_wide_on_a_terminal() -> None:
    out = on_a_terminal("ask", TUMOUR, "--kg", str(MINI_KG), "--columns", "effect,vesicle")
    assert out.splitlines()[0].split() == ["effect", "vesicle"]
    wide = on_a_terminal("ask", TUMOUR, "--kg", str(MINI_KG), "--wide", columns=80)
    assert "statement" in wide.splitlines()[0] and "contrasts_with" in wide.splitlines()[0]


def test_piped_output_is_whole(exokg: ExokgRunner, answer: Solutions) -> None:
    piped = exokg("ask", TUMOUR, "--kg", MINI_KG)
    assert piped.returncode == 0, piped.stderr
    header = piped.stdout.splitlines()[0].split()
    assert header == table_columns(answer)
    as_csv = exokg("ask", TUMOUR, "--kg", MINI_KG, "--format", "csv")
    rows = list(csv.reader(io.StringIO(as_csv.stdout, newline="")))
    assert rows[0] == answer.variables, "without --columns CSV stays whole"
    # issue 27: --columns is honoured by every format (with a column's label beside it)
    as_csv = exokg("ask", TUMOUR, "--kg", MINI_KG, "--format", "csv", "--columns", "vesicle")
    rows = list(csv.reader(io.StringIO(as_csv.stdout, newline="")))
    assert rows[0] == ["vesicle", "vesicle_label"] and len(rows) == len(answer.rows) + 1


def test_a_missing_required_parameter_is_named(exokg: ExokgRunner) -> None:
    result = exokg("ask", "evidence-for", "--kg", MINI_KG)
    assert result.returncode == 2
    assert "evidence-for needs --param term=VALUE" in result.stderr
    assert "for example: exokg ask evidence-for --param term=EXOKG:0000020" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_progress_on_a_terminal_and_nowhere_else(exokg: ExokgRunner) -> None:
    shown = on_a_terminal("ask", "sources", "--kg", str(MINI_KG), stderr_too=True)
    assert f"\r\x1b[Kexokg: loading {MINI_KG}…" in shown
    assert "\r\x1b[K" + "source" in shown.replace("\n", ""), "the line is cleared before the answer"
    quiet = on_a_terminal("ask", "sources", "--kg", str(MINI_KG), "--quiet", stderr_too=True)
    assert "exokg: loading" not in quiet
    also_quiet = on_a_terminal("--quiet", "ask", "sources", "--kg", str(MINI_KG), stderr_too=True)
    assert "exokg: loading" not in also_quiet
    piped = exokg("ask", "sources", "--kg", MINI_KG)
    assert piped.returncode == 0 and piped.stderr == ""


# --- help, list and shell completion --------------------------------------------------------------


def test_list_wraps_with_an_indent_and_shows_parameters(exokg: ExokgRunner) -> None:
    result = exokg("list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "exosomes-promoting-tumour-progression" in lines
    assert "    --param vesicles=GO:0070062 (default): a vesicle class;" in result.stdout
    assert "--param term=… (required): a CURIE, an IRI, a label" in result.stdout
    body = [line for line in lines if line and not line[0].isalnum()]
    assert all(line.startswith("    ") for line in body), "descriptions are indented"
    names = exokg("list", "--names").stdout.split()
    assert "evidence-for" in names and all(name in lines for name in names)


def test_ask_help_lists_questions_and_parameters(exokg: ExokgRunner) -> None:
    result = exokg("ask", "--help")
    assert result.returncode == 0
    assert "questions (NAME) and their parameters:" in result.stdout
    assert "--param process=EXOKG:0000200 (default)" in result.stdout


def test_every_command_has_an_example(exokg: ExokgRunner) -> None:
    from exokg.cli.app import command_names

    for name in command_names():
        result = exokg(name, "--help")
        assert result.returncode == 0, name
        assert f"Example: exokg {name}" in result.stdout, f"`exokg {name} --help` has no example"
        undocumented = re.findall(r"^  (\S+)\s*$", result.stdout, re.MULTILINE)
        assert undocumented == [], f"{name}: arguments without help: {undocumented}"


def complete(script: Path, *words: str) -> list[str]:
    """What bash offers for ``words`` (the last one being completed) with exokg's completion."""
    exokg_script = Path(sys.executable).parent / "exokg"
    line = " ".join(shlex.quote(w) for w in (str(exokg_script), *words))
    code = (
        f"source {shlex.quote(str(script))}; COMP_WORDS=({line}); "
        'COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _exokg; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(["bash", "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_bash_completion(exokg: ExokgRunner, tmp_path: Path) -> None:
    script = tmp_path / "exokg.bash"
    script.write_text(exokg("completion", "bash").stdout, encoding="utf-8")
    assert complete(script, "as") == ["ask"]
    assert complete(script, "ask", "exosomes-p") == ["exosomes-promoting-tumour-progression"]
    assert "--columns" in complete(script, "ask", "--c")
    assert complete(script, "ask", "--backend", "ox") == ["oxigraph"]
    assert complete(script, "viz", "--question", "evidence-f") == ["evidence-for"]
    assert "svg" in complete(script, "viz", "--format", "")
    assert complete(script, "completion", "--h") == ["--help"]
    assert complete(script, "completion", "") == ["bash", "zsh"]
    assert complete(script, "source", "") == ["add"]
    assert complete(script, "source", "add", "10.1038/x", "--f") == [
        "--fetch",
        "--fetch-abstract",
        "--from",
    ]
    offered = complete(script, "source", "add", "10.1038/x", "--")
    assert "--crossref" not in offered and "--eutils" not in offered  # hidden: for tests only


def test_zsh_completion_runs_the_bash_function(exokg: ExokgRunner) -> None:
    result = exokg("completion", "zsh")
    assert result.returncode == 0
    assert result.stdout.startswith("#compdef exokg\nautoload -U +X bashcompinit && bashcompinit\n")
    assert "complete -o default -F _exokg exokg" in result.stdout
    check = subprocess.run(["bash", "-n"], input=result.stdout, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


# --- every command fits the terminal, and no token is split (issue 27 items 3 and 4) ---------------

# words that must stay whole: CURIEs, DOIs, IRIs, numbers
_WHOLE = re.compile(r"\S*(?::\S|\d)\S*")
COMMANDS = [
    ("search", "exosome"),
    ("search", "dendritic cell exosomes"),
    ("info", "exomere"),
    ("info", "MVB"),
    ("info", "Rab27a"),
    ("tree", "extracellular vesicle", "--depth", "3"),
    ("list",),
    ("--help",),
    ("ask", "--help"),
    ("viz", "--help"),
    ("ask", "evidence-for", "-p", "term=Rab27a", "--organism", "mouse", "-q"),
    ("ask", "sources", "-q"),
]


def _tokens(text: str) -> set[str]:
    return {t.strip("()[],;") for t in _WHOLE.findall(text)}


@pytest.mark.parametrize("columns", [80, 100, 160])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_every_command_fits_the_terminal_and_keeps_tokens_whole(
    exokg: ExokgRunner, args: tuple[str, ...], columns: int
) -> None:
    out = on_a_terminal(*args, columns=columns, stderr_too=True)
    # a progress line is cleared (carriage return, erase to the end of the line) before the answer
    lines = [re.sub(r"\x1b\[K", "", line.split("\r")[-1]) for line in out.splitlines()]
    too_wide = [line for line in lines if len(line) > columns]
    assert too_wide == [], f"{len(too_wide)} lines wider than {columns}: {too_wide[:2]}"
    piped = exokg(*args)
    assert piped.returncode == 0, piped.stderr
    split = _tokens(out) - _tokens(piped.stdout + piped.stderr)
    assert not split, f"tokens split or changed on the terminal: {sorted(split)[:5]}"


def test_annotate_fits_the_terminal(tmp_path: Path) -> None:
    text = tmp_path / "abstract.txt"
    text.write_text(
        "Multivesicular bodies (MVBs) of 4T1 cells carry Cd63 and tetraspanin-enriched small "
        "extracellular vesicles; dendritic cell exosomes raise antitumour immunity in mice.\n",
        encoding="utf-8",
    )
    for columns in (80, 100, 160):
        out = on_a_terminal("annotate", str(text), columns=columns)
        assert max(len(line) for line in out.splitlines()) <= columns
        assert "EXOKG:0000024" in out.split()  # whole, on one line


def test_notes_and_errors_wrap_at_words_on_a_terminal() -> None:
    out = on_a_terminal("info", "Rab27a", columns=80, stderr_too=True)
    note = [line for line in out.splitlines() if "names a term in each" in line]
    assert note and all(len(line) <= 80 for line in out.splitlines())
    assert "[EXOKG:0000400]" in out.split() or "[EXOKG:0000400]" in out  # the CURIE stays whole


def test_compact_labels_on_a_terminal_and_curies_on_request() -> None:
    args = ("ask", "evidence-for", "-p", "term=Rab27a", "--organism", "mouse", "-q")
    compact = on_a_terminal(*args, columns=160)
    assert "Rab27a blockade" in compact and "[EXOKG:0000450]" not in compact
    full = on_a_terminal(*args, "--curies", columns=160)
    assert "[EXOKG:0000450]" in full.split()


def test_a_token_longer_than_its_column_is_never_cut(answer: Solutions) -> None:
    for width in (60, 80):
        table = write_results(answer, "table", columns=["vesicle", "source"], width=width)
        assert all(len(line) <= width for line in table.splitlines())
        header = table.splitlines()[0].split()
        if "source" in header:  # the DOI is whole, or its column is left out and named
            assert "[doi:10.1158/0008-5472.CAN-12-0925]" in table.split()
        else:
            assert "not shown: source" in table
    assert "source" in write_results(answer, "table", columns=["source"], width=60).split()


def test_a_negative_finding_that_is_not_an_effect_says_so(exokg: ExokgRunner) -> None:
    """Jeppesen 2019 found no Argonaute proteins in small EVs; the effect column of a relation that is
    not an effect used to show the bare relation ('has part'), the opposite of the finding."""
    found = exokg(
        "findings", "--where", "source=Jeppesen", "--columns", "subject,effect,object", "--wide"
    )
    assert found.returncode == 0, found.stderr
    argonaute = [line for line in found.stdout.splitlines() if "Argonaute" in line]
    assert len(argonaute) == 1 and "has part (not found)" in argonaute[0]
    info = exokg("info", "Cd9")  # its release did not depend on Rab27a (Bobrie 2012)
    assert info.returncode == 0, info.stderr
    assert "depends on (not found) Rab27a" in " ".join(info.stdout.split())


def test_annotate_takes_a_sentence_with_text(exokg: ExokgRunner) -> None:
    """A biologist typed a sentence where annotate wanted a file; it said the 'file' did not exist."""
    spans = exokg(
        "annotate", "--text", "Dendritic cell exosomes carry MHC class II.", "--format", "tsv"
    )
    assert spans.returncode == 0, spans.stderr
    assert "\tEXOKG:0000024\t" in spans.stdout and "\tEXOKG:0000303\t" in spans.stdout
    sentence = exokg("annotate", "Exosomes released by 4T1 cells promote metastasis.")
    assert sentence.returncode == 2 and len(sentence.stderr.splitlines()) == 1
    assert "is not a file; give a sentence with --text" in sentence.stderr
    neither = exokg("annotate")
    assert neither.returncode == 2 and "--text" in neither.stderr


def test_viz_says_how_it_read_the_focus(exokg: ExokgRunner, tmp_path: Path) -> None:
    drawn = exokg("viz", "--focus", "Rab27a", "-o", tmp_path / "rab27a.html")
    assert drawn.returncode == 0, drawn.stderr
    assert "names a term in each of 2 organisms" in drawn.stderr and "--organism" in drawn.stderr


def test_site_says_where_it_wrote_within_the_terminal(tmp_path: Path) -> None:
    shown = on_a_terminal("site", "-o", str(tmp_path / "site"), "--no-figures", columns=80)
    lines = [line for line in shown.splitlines() if line.strip()]
    assert lines and max(len(line) for line in lines) <= 80
    assert "index.html" in " ".join(lines)


def test_info_says_which_way_a_caveat_goes(exokg: ExokgRunner) -> None:
    """A caveat's effect column says only 'caveat'; info words it with its relation's direction."""
    info = exokg("info", "Rab27a", "--organism", "mouse")
    assert info.returncode == 0, info.stderr
    text = " ".join(info.stdout.split())
    assert "Rab27a blockade (caveat) inhibits secretion of soluble factors" in text
    assert "blockade caveat secretion" not in text
