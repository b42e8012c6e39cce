"""What every ``exokg`` command is made of: how a command and its options are declared, the value
types of its arguments, the options several commands share, and how a command writes to the terminal.

Each command lives in the module :data:`exokg.cli.app.COMMAND_MODULES` names and is imported only
when it runs (``exokg --help`` imports them all), so a cold ``exokg ask`` compiles and runs only
its own code. Beside exokg.core.errors it imports only the standard library (argparse, os, sys).
"""

from __future__ import annotations

import functools
import os
import sys
from argparse import ArgumentTypeError

from exokg.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs a cold start
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace
    from collections.abc import Callable, Sequence
    from datetime import date
    from pathlib import Path
    from typing import Any

    Adder = Callable[[ArgumentParser], object]
    Run = Callable[[Namespace], None]


# --- how commands are declared --------------------------------------------------------------------

COMMANDS: dict[
    str, tuple[Run, tuple[Adder, ...]]
] = {}  # filled as each command's module is imported
EPILOGS: dict[str, Callable[[], str]] = {}  # help text made only when --help asks for it


def command(name: str, *arguments: Adder) -> Callable[[Run], Run]:
    """Register ``run`` as ``exokg NAME`` with these arguments; its docstring is the command's help."""

    def register(run: Run) -> Run:
        COMMANDS[name] = (run, arguments)
        return run

    return register


def option(*flags: str, **settings: Any) -> Adder:
    """An argument or option, as :meth:`argparse.ArgumentParser.add_argument` takes it, added later."""
    return lambda parser: parser.add_argument(*flags, **settings)


# --- value types: each turns one command-line word into a value or says why it cannot -------------


def as_path(text: str) -> Path:
    from pathlib import Path

    return Path(text)


def file_arg(text: str) -> Path:
    """A file path; it need not exist yet, but it must not be a directory."""
    path = as_path(text)
    if path.is_dir():
        raise ArgumentTypeError(f"{text!r} is a directory, not a file")
    return path


def directory_arg(text: str) -> Path:
    """A directory path; it need not exist yet, but it must not be a file."""
    path = as_path(text)
    if path.exists() and not path.is_dir():
        raise ArgumentTypeError(f"{text!r} is a file, not a directory")
    return path


def existing_arg(text: str) -> Path:
    path = as_path(text)
    if not path.exists():
        raise ArgumentTypeError(f"{text!r} does not exist")
    return path


def existing_file_arg(text: str) -> Path:
    return file_arg(str(existing_arg(text)))


def file_or_stdin_arg(text: str) -> Path | str:
    if text != "-" and " " in text.strip() and not as_path(text).exists():
        raise ArgumentTypeError(f"{text[:40]!r}… is not a file; give a sentence with --text")
    return text if text == "-" else existing_file_arg(text)


def count_arg(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    def count(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum or (maximum is not None and value > maximum):
            bounds = f"{minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
            raise ArgumentTypeError(f"{value} is not {bounds}")
        return value

    return count


def seconds_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= MAX_SECONDS:  # also refuses nan and inf, which no clock can wait for
        raise ArgumentTypeError(
            f"{text} is not a number of seconds above 0 and up to {MAX_SECONDS:g}"
        )
    return value


MAX_SECONDS = 1e6  # about 11 days


def day_arg(text: str) -> date:
    from datetime import datetime

    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None


def parse_params(pairs: Sequence[str], *, option_name: str = "--param") -> dict[str, str]:
    """Turn ``--param NAME=VALUE`` pairs into a dict; a pair without ``=`` is a usage error."""
    params: dict[str, str] = {}
    example = 'system="in vitro"' if option_name == "--where" else "term=EXOKG:0000020"
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(
                f"{option_name} {pair!r} is not NAME=VALUE",
                fix=f"write it as {option_name} {example}",
            )
        params[name.strip()] = value.strip()
    return params


def output_name(output: Path | None) -> str:
    return f"-o {output}" if output is not None else "standard output"


def say(text: str) -> None:
    """A line of the command's own output: on a terminal wrapped at word boundaries to its width,
    to a file or a pipe one whole line."""
    if sys.stdout.isatty():
        from exokg.core.textfit import hanging

        text = "\n".join(hanging("", text, terminal_width()))
    print(text, flush=True)


def warn(text: str) -> None:
    """A note or an error on stderr; on a terminal wrapped at word boundaries to its width (one
    message, continued under its text), to a file or a pipe one whole line."""
    if sys.stderr.isatty():
        from exokg.core.textfit import hanging

        prefix, sep, rest = text.partition(": ")
        if sep and prefix == "exokg":
            kind, sep2, rest2 = rest.partition(": ")
            if sep2 and kind in ("note", "error", "notice", "warning"):
                prefix, rest = f"exokg: {kind}: ", rest2
            else:
                prefix = "exokg: "
            text = "\n".join(hanging(prefix, rest, terminal_width()))
        else:
            text = "\n".join(hanging("", text, terminal_width()))
    print(text, file=sys.stderr)


# --- options shared by several commands, defined once ---------------------------------------------

organism_option = option(
    "--organism",
    metavar="NAME",
    help="Among terms a name gives in several organisms, take this one's (mouse, human, NCBITaxon:…).",
)


FORMATS = ("table", "csv", "tsv", "json", "plain-tsv", "plain-csv")

format_option = option(
    "--format",
    dest="fmt",
    choices=FORMATS,
    default="table",
    help="table for people; csv, tsv and json follow the W3C SPARQL 1.1 results formats; "
    "plain-tsv and plain-csv are for spreadsheets (labels, CURIEs, words; no SPARQL syntax) "
    "(default: %(default)s).",
)
timeout_option = option(
    "--timeout",
    metavar="SECONDS",
    type=seconds_arg,
    default=30.0,
    help="Stop a query that runs longer than this many seconds (default: %(default)s).",
)
store_option = option(
    "--store",
    dest="store_dir",
    metavar="DIRECTORY",
    type=directory_arg,
    help="On-disk Oxigraph store to use (built on first use, then reopened without parsing).",
)
output_option = option(
    "-o",
    "--output",
    metavar="FILE",
    type=file_arg,
    help="File to write (default: standard output).",
)
kg_option = option(
    "--kg",
    dest="kg_file",
    metavar="FILE",
    type=existing_file_arg,
    help="Compiled graph (N-Quads) to ask (default: the one exokg build writes).",
)
ontology_option = option(
    "--ontology",
    dest="edit_file",
    metavar="FILE",
    type=existing_file_arg,
    help="Editors' file to use instead of the shipped ontology/exokg-edit.ttl "
    "(import modules still come from ontology/imports/).",
)
context_option = option(
    "--context",
    action="store_true",
    help="Add cell-line and organism nodes, linked from what was studied in them.",
)


quiet_option = option(
    "-q",
    "--quiet",
    action="store_true",
    help="No progress line on stderr (there is none off a terminal).",
)


@functools.cache
def terminal_width() -> int:
    columns = os.environ.get("COLUMNS", "")
    try:
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        return os.get_terminal_size().columns or 80  # 0: a terminal that never said its size
    except OSError:  # not a terminal
        return 80


def progress_for(args: Namespace) -> Any:
    from exokg.core.progress import reporter

    return reporter(quiet=getattr(args, "quiet", False) or getattr(args, "quiet_all", False))


def emit(text: str, output: Path | None) -> None:
    from exokg.core.outputs import write_output

    write_output(text, output, where=output_name(output))
