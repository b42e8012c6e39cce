"""The ``exokg`` command line: a thin layer over the library.

Each command parses its options and calls one library function; everything the CLI does, Python can do.
A problem the user caused (:class:`exokg.core.errors.ExokgError`, or a malformed command line) is
printed as one line on stderr with exit code 1 (bad data) or 2 (bad usage); a Python traceback appears
only with ``--debug``.

This module holds the entry point and the parser. Each command lives in the module
:data:`COMMAND_MODULES` names (declared with :func:`exokg.cli.base.command`) and is imported only when
that command runs, with only that command's arguments added to the parser; ``exokg --help`` imports
them all. Library modules are imported inside the commands. The parser is the standard library's
:mod:`argparse`: a cold ``exokg ask`` should cost little more than starting Python and loading the
graph (issues 5, 30), so it compiles and runs the code of ``ask`` alone.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from argparse import ArgumentParser, RawDescriptionHelpFormatter

from exokg import __version__
from exokg.cli.base import COMMANDS, EPILOGS, FORMATS, parse_params, terminal_width, warn
from exokg.core.errors import DataError, ExokgError, UsageError, one_line

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs a cold start
if TYPE_CHECKING:
    from argparse import Namespace
    from collections.abc import Callable, Sequence
    from typing import Any, NoReturn

    from exokg.cli.base import Adder

__all__ = ["COMMAND_MODULES", "FORMATS", "build_parser", "command_names", "main", "parse_params"]

EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

# What writing the output (to a file on a full disk, /dev/full, a failing device) can meet: the
# user's surroundings, not an exokg bug. An error that names a file is about opening that file.
_OUTPUT_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})

# Each command, and the module of exokg.cli that declares it
COMMAND_MODULES = {
    "annotate": "terms",
    "ask": "ask",
    "build": "stages",
    "completion": "completion",
    "diff": "releases",
    "export": "views",
    "findings": "questions",
    "info": "terms",
    "list": "questions",
    "propose": "papers",
    "publish": "serving",
    "query": "questions",
    "reason": "stages",
    "release": "releases",
    "report": "stages",
    "search": "terms",
    "serve": "serving",
    "site": "views",
    "source": "papers",
    "tree": "terms",
    "validate": "stages",
    "viz": "views",
}


def command_names() -> list[str]:
    """The names of every ``exokg`` command, sorted."""
    return sorted(COMMAND_MODULES)


class _Formatter(RawDescriptionHelpFormatter):
    """argparse's help layout, told the terminal width so that it need not import shutil to ask.

    argparse makes a formatter for every argument it adds, and the default one imports shutil (and
    with it bz2 and lzma): a few milliseconds of every cold start.
    """

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=terminal_width() - 2)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        """Descriptions and epilogs keep their line breaks and wrap at spaces to the terminal
        (a long line continues under its own indent)."""
        from exokg.core.textfit import hanging

        lines = []
        for line in text.splitlines():
            lead = line[: len(line) - len(line.lstrip())]
            lines += hanging(indent + lead, line.strip(), width + len(indent)) if line else [""]
        return "\n".join(lines)


class _Parser(ArgumentParser):
    """argparse, with a malformed command line told like any other usage error: one line, exit 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, fix=f"see `{self.prog} --help`")


class _Command(_Parser):
    """The parser of one command, which adds the command's arguments only when it is used.

    A run uses one command, and argparse is slow to add arguments (a translation lookup and a
    formatter for each): adding all of them would cost every cold start a few milliseconds.
    """

    def __init__(
        self,
        *,
        arguments: tuple[Adder, ...] = (),
        epilog_of: Callable[[], str] | None = None,
        **settings: Any,
    ) -> None:
        super().__init__(**settings)
        self._arguments = arguments
        self._epilog_of = epilog_of

    def add_all(self) -> None:
        """Add the command's arguments now (``--help`` and shell completion need them)."""
        for add in self._arguments:
            add(self)
        self._arguments = ()

    def format_help(self) -> str:
        if self._epilog_of is not None:
            self.epilog, self._epilog_of = self._epilog_of(), None
        return super().format_help()

    def parse_known_args(  # type: ignore[override]  # argparse's overloads, for the one call we need
        self, args: Sequence[str] | None = None, namespace: Namespace | None = None
    ) -> tuple[Namespace, list[str]]:
        self.add_all()
        return super().parse_known_args(args, namespace)


def build_parser(only: str | None = None) -> ArgumentParser:
    """The ``exokg`` parser: global options, then one subcommand per registered command.

    With ``only`` (a command name), just that subcommand: a run uses one, and adding twenty
    subparsers cost a cold ``exokg ask`` about 7 ms. Help and errors for it read the same.
    """
    parser = _Parser(
        prog="exokg",
        description="exokg: a knowledge graph of extracellular-vesicle biology.\n\n"
        "Vesicle types (an OWL ontology aligned with GO and MISEV2023), statements from the\n"
        "literature with their evidence, context and source, and the questions a researcher asks\n"
        "of them.\n\n"
        "Start with `exokg list`, then `exokg ask exosomes-promoting-tumour-progression`.",
        formatter_class=_Formatter,
    )
    parser.add_argument(
        "-V", "--version", action="version", version=f"exokg, version {__version__}"
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="Show Python tracebacks instead of one-line errors (the exit code is the same).",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        dest="quiet_all",
        action="store_true",
        help="No progress lines on stderr, for any command.",
    )
    commands = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", parser_class=_Command
    )
    for name in [only] if only in COMMAND_MODULES else command_names():
        importlib.import_module(f"exokg.cli.{COMMAND_MODULES[name]}")  # declares the command
        run, arguments = COMMANDS[name]
        description = "\n".join(line.strip() for line in (run.__doc__ or "").strip().splitlines())
        sub = commands.add_parser(
            name,
            help=description.splitlines()[0],
            description=description,
            formatter_class=_Formatter,
            arguments=arguments,
            epilog_of=EPILOGS.get(name),
        )
        sub.set_defaults(run=run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``exokg`` script and of ``python -m exokg``; returns the exit code.

    ``--help`` and ``--version`` exit through argparse, as usual.
    """
    words = sys.argv[1:] if argv is None else list(argv)
    command = next((word for word in words if not word.startswith("-")), None)
    parser = build_parser(only=command)
    try:
        args = parser.parse_args(words)
    except UsageError as error:
        warn(f"exokg: error: {error.line()}")
        return EXIT_USAGE
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        try:
            args.run(args)
            sys.stdout.flush()  # here, so that a closed pipe is reported below and not at exit
        except OSError as error:
            if error.errno not in _OUTPUT_FAILURES or error.filename is not None:
                raise
            # `exokg ask … > /dev/full`: the place the answer goes cannot take it
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more at exit
            raise DataError(
                f"could not write the output ({error.strerror})",
                fix="make room where it goes, or send it elsewhere",
            ) from error
    except ExokgError as error:
        if args.debug:
            _print_traceback()
        else:
            warn(f"exokg: error: {error.line()}")
        return error.exit_code
    except KeyboardInterrupt:
        warn("exokg: interrupted; nothing was written")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `exokg ask … | head`: the reader has gone; stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:  # an exokg bug, not the user's: still one line unless --debug
        if args.debug:
            _print_traceback()
            return EXIT_INTERNAL
        warn(
            f"exokg: internal error: {type(error).__name__}: {one_line(str(error))} "
            "— rerun with --debug for the traceback and report it"
        )
        return EXIT_INTERNAL
    return 0


def _print_traceback() -> None:
    """The traceback of the error being handled, on stderr: ``--debug`` adds it and changes
    nothing else, the exit code included."""
    import traceback

    traceback.print_exc()
