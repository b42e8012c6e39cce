"""The ``exokg`` command line: a thin layer over the library.

Each command parses its options and calls one library function; everything the CLI does, Python can do.
Library modules are imported inside the commands, so ``exokg --help`` and ``exokg list`` load nothing
heavy. A problem the user caused (:class:`exokg.core.errors.ExokgError`, or a malformed command line) is
printed as one line on stderr with exit code 1 (bad data) or 2 (bad usage); a Python traceback appears
only with ``--debug``.

The parser is the standard library's :mod:`argparse` and this module imports nothing else at run time:
a cold ``exokg ask`` should cost little more than starting Python and loading the graph (issue 5).
"""

from __future__ import annotations

import functools
import os
import sys
from argparse import (
    SUPPRESS,
    ArgumentParser,
    ArgumentTypeError,
    Namespace,
    RawDescriptionHelpFormatter,
)

from exokg import __version__
from exokg.core.errors import DataError as ExokgDataError
from exokg.core.errors import ExokgError, UsageError, one_line

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs a cold start
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import date
    from pathlib import Path
    from typing import Any, NoReturn

    from exokg.api import KnowledgeGraph
    from exokg.query.store import Solutions

    Adder = Callable[[ArgumentParser], object]
    Run = Callable[[Namespace], None]

__all__ = ["FORMATS", "command_names", "main", "parse_params"]

EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


# --- how commands are declared --------------------------------------------------------------------

_COMMANDS: dict[str, tuple[Run, tuple[Adder, ...]]] = {}
_EPILOGS: dict[str, Callable[[], str]] = {}  # help text made only when --help asks for it


def command(name: str, *arguments: Adder) -> Callable[[Run], Run]:
    """Register ``run`` as ``exokg NAME`` with these arguments; its docstring is the command's help."""

    def register(run: Run) -> Run:
        _COMMANDS[name] = (run, arguments)
        return run

    return register


def option(*flags: str, **settings: Any) -> Adder:
    """An argument or option, as :meth:`argparse.ArgumentParser.add_argument` takes it, added later."""
    return lambda parser: parser.add_argument(*flags, **settings)


def command_names() -> list[str]:
    """The names of every ``exokg`` command, sorted."""
    return sorted(_COMMANDS)


# --- value types: each turns one command-line word into a value or says why it cannot -------------


def _path(text: str) -> Path:
    from pathlib import Path

    return Path(text)


def _file(text: str) -> Path:
    """A file path; it need not exist yet, but it must not be a directory."""
    path = _path(text)
    if path.is_dir():
        raise ArgumentTypeError(f"{text!r} is a directory, not a file")
    return path


def _directory(text: str) -> Path:
    """A directory path; it need not exist yet, but it must not be a file."""
    path = _path(text)
    if path.exists() and not path.is_dir():
        raise ArgumentTypeError(f"{text!r} is a file, not a directory")
    return path


def _existing(text: str) -> Path:
    path = _path(text)
    if not path.exists():
        raise ArgumentTypeError(f"{text!r} does not exist")
    return path


def _existing_file(text: str) -> Path:
    return _file(str(_existing(text)))


def _file_or_stdin(text: str) -> Path | str:
    if text != "-" and " " in text.strip() and not _path(text).exists():
        raise ArgumentTypeError(f"{text[:40]!r}… is not a file; give a sentence with --text")
    return text if text == "-" else _existing_file(text)


def _count(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
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


def _seconds(text: str) -> float:
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


def _day(text: str) -> date:
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


def _shown(output: Path | None) -> str:
    return f"-o {output}" if output is not None else "standard output"


def _say(text: str) -> None:
    """A line of the command's own output: on a terminal wrapped at word boundaries to its width,
    to a file or a pipe one whole line."""
    if sys.stdout.isatty():
        from exokg.core.textfit import hanging

        text = "\n".join(hanging("", text, _width()))
    print(text, flush=True)


def _warn(text: str) -> None:
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
            text = "\n".join(hanging(prefix, rest, _width()))
        else:
            text = "\n".join(hanging("", text, _width()))
    print(text, file=sys.stderr)


# --- options shared by several commands, defined once ---------------------------------------------

organism_option = option(
    "--organism",
    metavar="NAME",
    help="Among terms a name gives in several organisms, take this one's (mouse, human, NCBITaxon:…).",
)

where_option = option(
    "-w",
    "--where",
    dest="where",
    metavar="COLUMN=VALUE",
    action="append",
    default=[],
    help='Keep the rows whose COLUMN says VALUE (repeatable): system="in vitro", '
    "effect=inhibits, verification=V1, source=Bobrie, organism=mouse, relation=later.",
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
limit_option = option("--limit", metavar="N", type=_count(0), help="Return at most N rows.")
timeout_option = option(
    "--timeout",
    metavar="SECONDS",
    type=_seconds,
    default=30.0,
    help="Stop a query that runs longer than this many seconds (default: %(default)s).",
)
endpoint_option = option(
    "--endpoint",
    metavar="URL",
    help="Ask a SPARQL 1.1 endpoint instead of the graph shipped with exokg.",
)
max_bytes_option = option(
    "--max-bytes",
    metavar="N",
    type=_count(1),
    default=64 << 20,
    help="With --endpoint: refuse an answer larger than N bytes (default: %(default)s).",
)
backend_option = option(
    "--backend",
    choices=("oxigraph", "rdflib"),
    default="oxigraph",
    help="Store that holds the graph: Oxigraph (fast) or rdflib's Memory store "
    "(default: %(default)s).",
)
store_option = option(
    "--store",
    dest="store_dir",
    metavar="DIRECTORY",
    type=_directory,
    help="On-disk Oxigraph store to use (built on first use, then reopened without parsing).",
)
output_option = option(
    "-o", "--output", metavar="FILE", type=_file, help="File to write (default: standard output)."
)
kg_option = option(
    "--kg",
    dest="kg_file",
    metavar="FILE",
    type=_existing_file,
    help="Compiled graph (N-Quads) to ask (default: the one exokg build writes).",
)
allow_service_option = option(
    "--allow-service",
    metavar="URL",
    action="append",
    default=[],
    help="Let SERVICE clauses reach this endpoint (repeatable); none are reached by default.",
)
ontology_option = option(
    "--ontology",
    dest="edit_file",
    metavar="FILE",
    type=_existing_file,
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


columns_option = option(
    "--columns",
    metavar="A,B,C",
    type=lambda text: [c.strip() for c in text.split(",") if c.strip()],
    help="Table columns to show, in this order (default on a terminal: the question's '# Display:' "
    "columns; elsewhere: all).",
)
wide_option = option(
    "--wide",
    action="store_true",
    help="Show every column of the table at full width, even past the terminal's edge.",
)
curies_option = option(
    "--curies",
    action="store_true",
    help="Show every label of the table with its CURIE (on a terminal only labels two terms "
    "share get one).",
)


_QUESTION_OPTIONS = (
    format_option,
    columns_option,
    quiet_option,
    wide_option,
    curies_option,
    limit_option,
    timeout_option,
    backend_option,
    store_option,
    kg_option,
    allow_service_option,
    endpoint_option,
    max_bytes_option,
    output_option,
)


# --- questions (issue 5) --------------------------------------------------------------------------


def _answer(
    run: Callable[[KnowledgeGraph], Solutions], args: Namespace, display: Sequence[str] = ()
) -> None:
    """Open the graph through the public API, run one question or query on it and print the answer.

    On a terminal a table shows the ``display`` columns (all when empty) fitted to its width; written
    to a file or a pipe, and in every ``--format``, an answer is whole.
    """
    from exokg.api import open as open_graph
    from exokg.query.answers import table_columns, write_results

    if args.endpoint:  # the same questions on any SPARQL 1.1 endpoint (issue 8)
        kg = open_graph(
            endpoint=args.endpoint,
            timeout=args.timeout,
            allow_service=args.allow_service,
            max_bytes=args.max_bytes,
        )
    else:
        from exokg.core.resources import KG_FILE

        kg_file = args.kg_file or KG_FILE
        with _progress(args) as progress:
            if args.store_dir is not None:
                progress(f"opening the store {args.store_dir} (built from {kg_file} if new)")
            else:
                progress(f"loading {kg_file}")
            kg = open_graph(
                args.kg_file,
                store=args.store_dir,
                backend=args.backend,
                timeout=args.timeout,
                allow_service=args.allow_service,
            )
    solutions = run(kg)
    from exokg.core.outputs import write_output

    terminal = args.output is None and args.fmt == "table" and sys.stdout.isatty()
    columns = args.columns
    if columns is None and terminal and not args.wide:
        present = set(table_columns(solutions))
        columns = [c for c in display if c in present] or None
    width = _width() if terminal and not args.wide else None
    compact = terminal and not args.wide and not args.curies
    text = write_results(solutions, args.fmt, columns=columns, width=width, compact=compact)
    write_output(text, args.output, where=_shown(args.output))
    if solutions.truncated and args.fmt != "table":
        _warn(f"exokg: note: --limit kept the first {len(solutions.rows)} rows")


@command(
    "list",
    option("--names", action="store_true", help="Only the names, one a line (for scripts)."),
)
def list_command(args: Namespace) -> None:
    """List the competency questions: name, the question in plain words, and its parameters.

    Example: exokg list
    """
    from exokg.query.questions import describe_questions, list_questions

    if args.names:
        print("\n".join(q.name for q in list_questions()))
        return
    print(describe_questions(width=_width() if sys.stdout.isatty() else 100))


def _questions_epilog() -> str:
    from exokg.query.questions import describe_questions

    return "questions (NAME) and their parameters:\n\n" + describe_questions(width=_width() - 4)


@command(
    "ask",
    option("name", metavar="NAME", help="The question (see `exokg list`)."),
    option(
        "-p",
        "--param",
        dest="params",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="A parameter of the question: a CURIE, an IRI or a name (repeatable); "
        "organism=mouse|human picks among terms a name gives in several organisms.",
    ),
    organism_option,
    where_option,
    *_QUESTION_OPTIONS,
)
def ask(args: Namespace) -> None:
    """Answer the competency question NAME (see `exokg list`).

    Example: exokg ask evidence-for --param term="TS/A-derived exosome"
    """
    from exokg.query.questions import get_question
    from exokg.text.resolve import why_empty

    values = parse_params(args.params)
    if args.organism is not None:  # --organism mouse: --param organism=mouse
        values.setdefault("organism", args.organism)
    conditions = parse_params(args.where, option_name="--where")

    def run(kg: KnowledgeGraph) -> Solutions:
        from exokg.text.where import narrow

        answer = kg.ask(args.name, values, limit=None if conditions else args.limit)
        for note in answer.notes:
            _warn(f"exokg: note: {note}")
        if not answer.solutions.rows and answer.boolean is None:
            for note in why_empty(args.name, values, kg.executor):
                _warn(f"exokg: note: {note}")
        solutions = answer.solutions
        if conditions:
            solutions = narrow(solutions, conditions, lexicon=kg.lexicon)
            if args.limit is not None and len(solutions.rows) > args.limit:
                solutions.rows, solutions.truncated = solutions.rows[: args.limit], True
            if not solutions.rows:
                shown = ", ".join(f"{k}={v}" for k, v in conditions.items())
                _warn(f"exokg: note: no row of {len(answer.rows)} has {shown}")
        return solutions

    _answer(run, args, get_question(args.name).default_columns())


_EPILOGS["ask"] = _questions_epilog


_FINDING_COLUMNS = ("subject", "effect", "object", "finding", "source", "system", "model")


@command(
    "findings",
    option("term", metavar="TERM", nargs="?", help="Only findings on this term (any role)."),
    organism_option,
    where_option,
    *_QUESTION_OPTIONS,
)
def findings_command(args: Namespace) -> None:
    """List findings, narrowed as a biologist narrows them (every filter optional).

    The columns: subject, effect, object, finding, source, system, model, organisms, verification …
    Example: exokg findings --where system="in vitro" --where organism=mouse
    """
    conditions = parse_params(args.where, option_name="--where")

    def run(kg: KnowledgeGraph) -> Solutions:
        from exokg.text.where import narrow

        answer = kg.findings(args.term, organism=args.organism if args.term else None)
        if args.organism and not args.term:
            conditions.setdefault("organism", args.organism)
        solutions = narrow(answer.solutions, conditions, lexicon=kg.lexicon)
        if args.limit is not None and len(solutions.rows) > args.limit:
            solutions.rows, solutions.truncated = solutions.rows[: args.limit], True
        if not solutions.rows:
            _warn("exokg: note: no finding meets these conditions")
        return solutions

    _answer(run, args, _FINDING_COLUMNS)


@command(
    "query",
    option("file", metavar="FILE|-", nargs="?", help="File with the query; - for standard input."),
    option("--sparql", dest="text", metavar="TEXT", help="The query itself."),
    *_QUESTION_OPTIONS,
)
def query(args: Namespace) -> None:
    """Run ad-hoc read-only SPARQL (from FILE, - for standard input, or --sparql) over the graph.

    exokg's prefixes (EXOKG:, GO:, RO:, exo:, rdfs: ...) are predeclared.
    Example: exokg query --sparql 'SELECT ?c WHERE { ?c rdfs:subClassOf EXOKG:0000020 } ORDER BY ?c'
    """
    sparql, where = _read_query(args.file, args.text)
    _answer(lambda kg: kg.query(sparql, limit=args.limit, where=where).solutions, args)


def _read_query(file: str | None, text: str | None) -> tuple[str, str]:
    if (file is None) == (text is None):
        raise UsageError("give the query as FILE, as - (standard input) or with --sparql TEXT")
    if text is not None:
        return text, "--sparql"
    if file == "-":
        return _text(sys.stdin.buffer.read(), "<stdin>"), "<stdin>"
    path = _path(str(file))
    if not path.is_file():
        raise UsageError("no such query file", where=str(path), fix="check the path")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(
            f"cannot read the query file ({error.strerror})", where=str(path)
        ) from None
    return _text(data, str(path)), str(path)


def _text(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"the query is not UTF-8 text (byte {error.start})",
            where=where,
            fix="give a SPARQL text file saved as UTF-8",
        ) from None


# --- curation, validation and build (issue 4) -----------------------------------------------------


@command(
    "validate",
    option(
        "paths",
        metavar="PATH",
        nargs="*",
        type=_file,
        help="Curation YAML files to check (default: every file in ontology/curation/).",
    ),
)
def validate_command(args: Namespace) -> None:
    """Check curation files (default: all shipped ones): one line per problem, exit 1 if any.

    Example: exokg validate ontology/curation/bobrie-2012-cancer-res.yaml
    """
    from exokg.curation.validate import ValidationFailed, validate

    problems = validate(args.paths or None)
    for problem in problems:
        _warn(problem.text())
    if problems:
        raise ValidationFailed(problems)
    print(f"ok: {len(args.paths) or 'all'} curation file(s) are valid")


def _progress(args: Namespace) -> Any:
    from exokg.core.progress import reporter

    return reporter(quiet=getattr(args, "quiet", False) or getattr(args, "quiet_all", False))


@command(
    "build",
    option(
        "-o",
        "--output",
        metavar="FILE",
        type=_file,
        help="Where to write the graph (default: ontology/build/exokg-kg.nq in a checkout; in an "
        "installed package the user's data directory, $EXOKG_DATA_DIR or ~/.local/share/exokg).",
    ),
    quiet_option,
    option(
        "--include-candidates",
        action="store_true",
        help="keep machine-proposed statements (scope: candidate, from exokg propose); "
        "left out by default",
    ),
)
def build_command(args: Namespace) -> None:
    """Validate, reason and write the compiled graph; print the statement coverage.

    An installed exokg never writes inside its package: it builds into the user's data directory,
    and every command then reads that graph instead of the shipped one.
    Example: exokg build --output /tmp/exokg-kg.nq
    """
    from exokg.compile.build import build
    from exokg.curation.validate import ValidationFailed

    try:
        with _progress(args) as progress:
            report = build(
                args.output, include_candidates=args.include_candidates, progress=progress
            )
    except ValidationFailed as failure:
        for problem in failure.problems:
            _warn(problem.text())
        raise
    print("\n".join(report.lines()))


# --- ontology: reasoning and quality control (issue 3) --------------------------------------------


@command(
    "reason",
    option(
        "--reasoner",
        choices=("auto", "hermit", "owlrl"),
        default="auto",
        help="auto: HermiT when Java is there, else the OWL 2 RL fallback (EXOKG_JAVA=none hides "
        "Java) (default: %(default)s).",
    ),
    ontology_option,
    quiet_option,
)
def reason_command(args: Namespace) -> None:
    """Classify the ontology: consistency, unsatisfiable classes, new subclass axioms.

    Exits 1 when the ontology is inconsistent or a class is unsatisfiable.
    Example: exokg reason --reasoner owlrl
    """
    from exokg.compile.reason import describe, raise_for, reason
    from exokg.curation.ontology import load_ontology

    with _progress(args) as progress:
        progress("loading the ontology and its imports")
        graph = load_ontology(args.edit_file)
        progress(f"classifying ({args.reasoner} reasoner)")
        result = reason(graph, args.reasoner)
    if result.notice:
        _warn(f"exokg: notice: {result.notice}")
    print(describe(result, graph))
    raise_for(result)


@command("report", format_option, ontology_option, quiet_option)
def report_command(args: Namespace) -> None:
    """Run the ontology quality checks (queries/qc/*-violation.rq); exit 1 on any ERROR.

    Example: exokg report --format tsv
    """
    from exokg.compile.report import format_violations, load_checks, raise_for_errors, run_checks
    from exokg.curation.ontology import load_ontology

    checks = load_checks()
    with _progress(args) as progress:
        progress("loading the ontology and its imports")
        ontology = load_ontology(args.edit_file)
        progress(f"running {len(checks)} quality checks")
        violations = run_checks(ontology, checks)
    print(format_violations(violations, args.fmt, checks))
    raise_for_errors(violations)


# --- views (issue 6) ------------------------------------------------------------------------------


@command(
    "viz",
    output_option,
    kg_option,
    option(
        "--focus",
        metavar="TERM",
        help="Show only this term (CURIE, IRI or label) and its neighbours.",
    ),
    organism_option,
    option(
        "--depth",
        metavar="N",
        type=_count(0),
        default=1,
        help="How many links from --focus (default: %(default)s).",
    ),
    option(
        "--question", metavar="NAME", help="Show only the subgraph behind this question's answer."
    ),
    option(
        "--param",
        dest="params",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="A parameter of --question.",
    ),
    option(
        "--max-nodes",
        metavar="N",
        type=_count(1),
        default=500,
        help="Draw at most N nodes, the most mentioned first (default: %(default)s).",
    ),
    context_option,
    option(
        "--format",
        dest="fmt",
        choices=("html", "svg", "png", "dot"),
        default=None,
        help="html: the interactive page; svg, png: a static figure drawn by Graphviz; dot: the "
        "figure as Graphviz source (default: what -o ends in, else html).",
    ),
    option("--open", action="store_true", help="Open the result in a web browser."),
    quiet_option,
)
def viz_command(args: Namespace) -> None:
    """Write the interactive graph view: one HTML file that works offline in any browser.

    --format svg, png or dot draws a static figure instead (with Graphviz), for a paper or a slide.
    Example: exokg viz --question exosomes-promoting-tumour-progression -o tumour.html --open
    """
    from exokg.core.resources import KG_FILE
    from exokg.release.export import write
    from exokg.views.page import cap, subgraph, view

    args.fmt = _viz_format(args.fmt, args.output)
    if args.output is None and args.fmt != "dot" and sys.stdout.isatty() and not args.open:
        raise UsageError(
            f"exokg viz writes {'an HTML page' if args.fmt == 'html' else 'a picture'}, "
            "not text for the terminal",
            fix=f"write it to a file with -o view.{args.fmt}, or open it in a browser with --open",
        )
    content: str | bytes
    with _progress(args) as progress:
        progress("reading the graph")
        g, title = subgraph(
            kg_file=args.kg_file or KG_FILE,
            focus=args.focus,
            depth=args.depth,
            question=args.question,
            params=parse_params(args.params),
            context=args.context,
            organism=args.organism,
        )
        progress("drawing")
        if args.fmt == "html":
            drawn = view(g, title=title, max_nodes=args.max_nodes)
            content, nodes, edges, note = drawn.html, drawn.nodes, drawn.edges, drawn.note
        else:
            from exokg.views.figure import figure

            shown, note = cap(g, args.max_nodes)
            content = figure(shown, args.fmt, title=title)
            nodes, edges = shown.number_of_nodes(), shown.number_of_edges()
    output = args.output
    if output is None and args.open:
        import tempfile
        from pathlib import Path

        output = Path(tempfile.mkdtemp(prefix="exokg-view-")) / f"view.{args.fmt}"
    write(content, output)
    for said in g.graph.get("notes", []):  # how a name was read (Rab27a: mouse and human)
        _warn(f"exokg: note: {said}")
    _warn(f"exokg: drew {nodes} nodes and {edges} links")
    if note:
        _warn(f"exokg: note: {note}")
    if args.open and output is not None:
        import webbrowser

        if not webbrowser.open(output.resolve().as_uri()):
            _warn(f"exokg: no browser could be started; open {output} yourself")


def _viz_format(fmt: str | None, output: Path | None) -> str:
    """The format --format names, else the one -o ends in (view.svg draws a figure), else html."""
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    suffix = {"htm": "html"}.get(suffix, suffix)
    known = ("html", "svg", "png", "dot")
    if fmt is None:
        return suffix if suffix in known else "html"
    if suffix in known and suffix != fmt:
        raise UsageError(
            f"-o {output} ends in .{suffix} but --format {fmt} writes {fmt}",
            where="--format",
            fix=f"drop --format (the ending chooses it) or name the file view.{fmt}",
        )
    return fmt


@command(
    "export",
    option(
        "--format",
        dest="fmt",
        choices=("graphml", "json"),
        required=True,
        help="GraphML, or networkx node-link JSON.",
    ),
    output_option,
    kg_option,
    context_option,
)
def export_command(args: Namespace) -> None:
    """Export the graph view's networkx graph (every node and link, no cap) for other tools.

    Example: exokg export --format graphml -o exokg.graphml
    """
    from exokg.core.resources import KG_FILE
    from exokg.release.export import export, write
    from exokg.views.page import graph

    write(
        export(graph(kg_file=args.kg_file or KG_FILE, context=args.context), args.fmt), args.output
    )


# --- the static website (issue 28) ---------------------------------------------------------------


@command(
    "site",
    option(
        "-o",
        "--out",
        dest="out_dir",
        metavar="DIRECTORY",
        required=True,
        type=_directory,
        help="Directory to write (new, empty, or a site exokg wrote before, replaced as a whole).",
    ),
    kg_option,
    option(
        "--no-figures",
        dest="figures",
        action="store_false",
        help="Leave out the small graph on each term page (drawn with Graphviz when it is installed).",
    ),
    quiet_option,
)
def site_command(args: Namespace) -> None:
    """Write a static website of the graph: term, source, claim and question pages, with search.

    Open DIR/index.html in a browser (it works from the disk), put DIR on any static host, or serve it
    with the SPARQL endpoint: exokg serve --site DIR.
    Example: exokg site -o site/
    """
    import shutil

    from exokg.core.resources import KG_FILE
    from exokg.site.build import build_site

    if args.figures and shutil.which("dot") is None:
        _warn(
            "exokg: note: Graphviz's dot is not installed; term pages are written without figures"
        )
    with _progress(args) as progress:
        counts = build_site(
            args.out_dir, kg_file=args.kg_file or KG_FILE, progress=progress, figures=args.figures
        )
    pages = sum(n for kind, n in counts.items() if kind != "bytes")
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()) if kind != "bytes")
    _say(
        f"wrote {pages} pages ({kinds}; {counts['bytes'] / 1e6:.1f} MB) into {args.out_dir}; "
        f"open {args.out_dir / 'index.html'}"
    )


# --- release files and diff (issue 7) -------------------------------------------------------------


@command(
    "release",
    option(
        "--out",
        dest="out_dir",
        metavar="DIRECTORY",
        required=True,
        type=_directory,
        help="Directory to write (replaced as a whole, only if it holds an earlier release).",
    ),
    option(
        "--date",
        metavar="YYYY-MM-DD",
        type=_day,
        help="Release date for the version IRIs (default: today).",
    ),
    option(
        "--kg",
        dest="kg_file",
        metavar="FILE",
        type=_existing_file,
        help="Compiled graph to release (default: the one `exokg build` writes).",
    ),
    option(
        "--record-ids",
        action="store_true",
        help="After releasing, add the new IDs to the committed manifest.",
    ),
    quiet_option,
    option(
        "--previous",
        metavar="DIRECTORY",
        type=_existing,
        help="Previous release that RELEASE-NOTES.md compares with (default: the one in --out).",
    ),
)
def release(args: Namespace) -> None:
    """Write the release files: full and base OWL, statements, SSSOM, KGX and a catalog.

    Checks first that no released ID vanished or changed its label without obsoletion; a failed
    release leaves DIR as it was.
    Example: exokg release --out release/ --date 2026-12-01
    """
    from exokg.release import assemble as releasing

    options = {"kg_file": args.kg_file} if args.kg_file else {}
    with _progress(args) as progress:
        progress(f"writing the release files into {args.out_dir}")
        done = releasing.release(
            args.out_dir,
            date=args.date,
            record_ids=args.record_ids,
            previous=args.previous,
            **options,
        )
    print(f"released {len(done.files)} files for {done.date.isoformat()} into {args.out_dir}")
    if done.new_ids:
        what = (
            "recorded in the manifest"
            if args.record_ids
            else "new since the manifest (--record-ids)"
        )
        print(f"{len(done.new_ids)} IDs {what}: {' '.join(done.new_ids)}")


@command(
    "diff",
    option(
        "old", metavar="OLD", type=_existing, help="The earlier release: a directory or a file."
    ),
    option("new", metavar="NEW", type=_existing, help="The later release: a directory or a file."),
    option(
        "--format",
        dest="fmt",
        choices=("text", "json", "markdown"),
        default="text",
        help="text for people, json for programs, markdown for release notes (default: %(default)s).",
    ),
    output_option,
)
def diff(args: Namespace) -> None:
    """Terms and statements added, removed or changed between two releases (directories or files).

    Example: exokg diff release-2026-11/ release-2026-12/ --format json
    """
    from exokg.core.outputs import write_output
    from exokg.release.diff import diff_releases

    text = diff_releases(args.old, args.new).render(args.fmt)
    write_output(text, args.output, where=_shown(args.output))


# --- serving and publishing (issue 8) -------------------------------------------------------------


@command(
    "serve",
    option(
        "--host", default="127.0.0.1", help="Address to listen on (default: %(default)s, loopback)."
    ),
    option(
        "--port",
        metavar="PORT",
        type=_count(1, 65535),
        default=7878,
        help="Port to listen on (default: %(default)s).",
    ),
    option(
        "--kg",
        dest="kg_file",
        metavar="FILE",
        type=_existing_file,
        help="Compiled graph (N-Quads) to serve (default: the one exokg build writes).",
    ),
    store_option,
    timeout_option,
    option(
        "--cache-mib",
        metavar="MIB",
        type=_count(0, 1 << 16),
        default=512,
        help="Keep up to this many MiB of answers (and, in 1/16 of it, of query checks), so that a"
        " query asked again is answered from memory (default: %(default)s; 0 keeps none).",
    ),
    option(
        "--site",
        metavar="DIRECTORY",
        type=_existing,
        help="Serve this website (built by `exokg site -o DIRECTORY`) at /, beside the endpoint;"
        " the query page then moves to /sparql.html.",
    ),
)
def serve(args: Namespace) -> None:
    """Serve the graph read-only with the Oxigraph SPARQL server until Ctrl-C.

    Prints the endpoint URL and one link per competency question to the server's query page.
    Example: exokg serve --port 7878 --store ~/.cache/exokg-store
    A larger graph: exokg serve --kg big.nq --store ~/big-store (built once, then reopened)
    With the website: exokg site -o site/ && exokg serve --site site/
    """
    from exokg.core.resources import KG_FILE
    from exokg.server.serve import serve as run_server

    run_server(
        host=args.host,
        port=args.port,
        store_dir=args.store_dir,
        timeout=args.timeout,
        source=args.kg_file or KG_FILE,
        cache_bytes=args.cache_mib << 20,
        say=_say,
        site=args.site,
    )


@command(
    "publish",
    option(
        "--endpoint",
        metavar="URL",
        required=True,
        help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store.",
    ),
    option(
        "--graph",
        metavar="IRI",
        help="Put every triple into this one graph instead of exokg's four.",
    ),
)
def publish(args: Namespace) -> None:
    """Upload the graph to a SPARQL 1.1 Graph Store (each named graph replaced, never duplicated).

    Example: exokg publish --endpoint http://127.0.0.1:7878/store
    """
    from exokg.query.endpoint import publish as upload

    for name, size in upload(args.endpoint, graph=args.graph).items():
        print(f"{name}\t{size} triples")


# --- shell completion ----------------------------------------------------------------------------


@command(
    "completion",
    option("shell", choices=("bash", "zsh"), help="The shell to complete in."),
)
def completion_command(args: Namespace) -> None:
    """Print a shell completion script for bash or zsh: commands, options, choices, question names.

    Example: exokg completion bash > ~/.local/share/bash-completion/completions/exokg
    """
    from exokg.cli.completion import script

    sys.stdout.write(script(args.shell, build_parser()))


# --- reading papers: candidate findings (issue 17) -------------------------------------------------


def _read_text(file: str) -> tuple[str, str]:
    """The text of FILE, or of standard input for ``-``, and how to name it in messages."""
    if file == "-":
        return sys.stdin.read(), "standard input"
    from pathlib import Path

    path = Path(file)
    if not path.is_file():
        raise UsageError("no such file", where=file, fix="check the path, or give - for stdin")
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except UnicodeDecodeError as error:
        raise UsageError(
            "the file is not UTF-8 text", where=str(path), fix="save it as UTF-8"
        ) from error


@command(
    "propose",
    option("file", metavar="FILE|-", help="Text to read (an abstract, a paragraph); - for stdin."),
    option("--source", required=True, metavar="DOI", help="DOI of the paper, as in sources.yaml."),
    kg_option,
    output_option,
)
def propose_command(args: Namespace) -> None:
    """Propose candidate findings from a text, as a curation file (scope: candidate, NV).

    Example: exokg propose abstract.txt --source 10.1158/0008-5472.CAN-12-0925 -o candidates.yaml
    """
    from exokg.text.propose import propose_text

    text, origin = _read_text(args.file)
    yaml_text, proposals = propose_text(text, args.source, kg_file=args.kg_file, origin=origin)
    _emit(yaml_text, args.output)
    _warn(f"exokg: {len(proposals)} candidate statement(s) proposed from {origin}")


@command(
    "source",
    option("action", choices=["add"], help="add: describe a new paper in sources.yaml"),
    option("identifier", metavar="DOI|PMID", help="The paper: a DOI (10.1038/nm.2753) or a PMID."),
    option(
        "--from",
        dest="metadata",
        metavar="FILE",
        type=_existing_file,
        help="Its metadata: a BibTeX, RIS, CSL-JSON or PubMed XML file.",
    ),
    option(
        "--fetch", action="store_true", help="Fetch the metadata from Crossref (DOI) or PubMed."
    ),
    option(
        "--fetch-abstract",
        metavar="FILE",
        type=_file,
        help="Also write the abstract to FILE (outside the repository), for annotate and propose.",
    ),
    option("--sources", metavar="FILE", type=_existing_file, help="sources.yaml to add to."),
    option("--timeout", metavar="SECONDS", type=_seconds, default=20.0, help="Per fetch (20)."),
    option("--crossref", metavar="URL", default=None, help=SUPPRESS),
    option("--eutils", metavar="URL", default=None, help=SUPPRESS),
)
def source_command(args: Namespace) -> None:
    """Add a paper to sources.yaml with the next free key (P001, P002, ...), checked.

    The metadata come from a file the curator gives (--from) or, only with --fetch, from Crossref or
    PubMed. The abstract (--fetch-abstract) goes to a file of yours, never into the repository.

    Example: exokg source add 10.1038/nature15756 --fetch --fetch-abstract ~/abstracts/hoshino.txt
    """
    from exokg.core.resources import CURATION_DIR, DATA_ROOT
    from exokg.curation.metadata import add_source, identifier, parse_metadata

    wanted = identifier(args.identifier)
    if (args.metadata is None) == (not args.fetch):
        raise UsageError(
            "say where the metadata come from",
            where="source add",
            fix="give --from FILE (BibTeX, RIS, CSL-JSON, PubMed XML) or --fetch",
        )
    abstract_file = args.fetch_abstract
    if abstract_file is not None:
        inside = abstract_file.resolve().is_relative_to(DATA_ROOT.resolve())
        if inside and (DATA_ROOT / ".git").exists():
            raise UsageError(
                "the abstract would be written into the repository",
                where=str(abstract_file),
                fix="write it to a folder outside the checkout (abstracts are the publishers' text)",
            )
    if args.fetch:
        from exokg.query.metadata import CROSSREF, EUTILS, fetch_paper

        paper, origin = fetch_paper(
            *wanted,
            timeout=args.timeout,
            crossref=args.crossref or CROSSREF,
            eutils=args.eutils or EUTILS,
            abstract=abstract_file is not None,
        )
        verification = "V1"  # identifiers seen in the registry's own record
    else:
        paper = parse_metadata(args.metadata.read_bytes(), str(args.metadata))
        origin, verification = args.metadata.name, "V2"
    sources = args.sources or CURATION_DIR / "sources.yaml"
    key = add_source(sources, wanted, paper, verification, origin)
    print(key)
    _warn(f"exokg: {wanted[1]} added to {sources} as {key} ({verification}, from {origin})")
    if abstract_file is not None:
        if not paper.abstract:
            _warn(f"exokg: no abstract in the record from {origin}; {abstract_file} not written")
        else:
            abstract_file.parent.mkdir(parents=True, exist_ok=True)
            abstract_file.write_text(paper.abstract + "\n", encoding="utf-8")
            _warn(f"exokg: abstract written to {abstract_file}")


# --- the program ----------------------------------------------------------------------------------


# --- looking terms up (issues 12, 16, 17) ---------------------------------------------------------


def _lookup_store(args: Namespace) -> tuple[Any, Any]:
    """The compiled graph (``--kg``) and its lexicon, read from the lexicon cache when current."""
    from exokg.core.resources import KG_FILE
    from exokg.query.store import open_store
    from exokg.text.lexicon import load_lexicon

    kg_file = args.kg_file or KG_FILE
    return open_store(kg_file=kg_file), load_lexicon(kg_file)


def _emit(text: str, output: Path | None) -> None:
    from exokg.core.outputs import write_output

    write_output(text, output, where=_shown(output))


@command(
    "search",
    option("text", metavar="TEXT", help="Part of a label, synonym, gene symbol or CURIE."),
    option("--limit", metavar="N", type=_count(1), default=10, help="Show N terms (default: 10)."),
    option(
        "--format",
        dest="fmt",
        choices=("table", "tsv", "json"),
        default="table",
        help="table for people, or tsv/json (default: %(default)s).",
    ),
    option(
        "--organism",
        metavar="NAME",
        help="Only terms of this organism, and those of none (mouse, human, NCBITaxon:…).",
    ),
    kg_option,
)
def search_command(args: Namespace) -> None:
    """Find terms by label, synonym, gene symbol or CURIE, best match first (fuzzy).

    Example: exokg search "4T1 exosome"
    """
    import json

    from exokg.text.terms import SEARCH_HEADERS, search_rows, table

    _, lexicon = _lookup_store(args)
    rows = search_rows(lexicon, args.text, args.limit, organism=args.organism)
    if args.fmt == "json":
        print(json.dumps([dict(zip(SEARCH_HEADERS, r, strict=True)) for r in rows], indent=1))
    elif args.fmt == "tsv":
        print("\n".join("\t".join(r) for r in [list(SEARCH_HEADERS), *rows]))
    elif rows:
        sys.stdout.write(table(SEARCH_HEADERS, rows, _width() if sys.stdout.isatty() else None))
    else:
        raise ExokgDataError(f"no term's name is close to {args.text!r}", fix="try fewer words")


@command(
    "info",
    option("term", metavar="TERM", help="A CURIE, an IRI or a name (label, synonym, symbol)."),
    organism_option,
    option("--json", action="store_true", help="Print JSON instead of text."),
    kg_option,
)
def info_command(args: Namespace) -> None:
    """Say what a term is: names, definition and its source, parents, xrefs, number of findings.

    The term is a CURIE, an IRI or a name (label, synonym, gene symbol in any case).

    Example: exokg info MVB
    """
    import json

    from exokg.text.resolve import resolve_terms
    from exokg.text.terms import info, render_info

    store, lexicon = _lookup_store(args)
    notes: list[str] = []
    terms = resolve_terms(
        args.term,
        store,
        where="TERM",
        organism=args.organism,
        lexicon=lexicon,
        organism_option="--organism ",
        notes=notes,
        with_findings=False,
    )
    for note in notes:
        _warn(f"exokg: note: {note}")
    every = [info(term, lexicon, store) for term in terms]
    if args.json:  # one object; a name species share: a list, one object per species
        print(json.dumps(every[0] if len(every) == 1 else every, ensure_ascii=False, indent=1))
        return
    width = _width() if sys.stdout.isatty() else None
    blocks = []
    for facts in every:
        organism = facts["organism_name"] or facts["organism_label"]
        heading = f"── {organism} ──\n" if len(every) > 1 else ""
        blocks.append(heading + render_info(facts, width=width))
    sys.stdout.write("\n".join(blocks))


@command(
    "tree",
    option("term", metavar="TERM", nargs="?", help="Draw the classes under this one only."),
    option("--depth", metavar="N", type=_count(0), help="Draw N levels at most."),
    option("--ascii", action="store_true", help="Draw with ASCII characters instead of Unicode."),
    organism_option,
    kg_option,
)
def tree_command(args: Namespace) -> None:
    """Draw the class hierarchy (asserted and inferred, direct parents) as an indented tree.

    Example: exokg tree "extracellular vesicle" --depth 2
    """
    from exokg.text.resolve import resolve_term
    from exokg.text.terms import tree

    store, lexicon = _lookup_store(args)
    root = None
    if args.term is not None:
        root = resolve_term(
            args.term,
            store,
            where="TERM",
            organism=args.organism,
            lexicon=lexicon,
            organism_option="--organism ",
        )
    width = _width() if sys.stdout.isatty() else None
    sys.stdout.write(tree(store, lexicon, root, depth=args.depth, ascii=args.ascii, width=width))


@command(
    "annotate",
    option(
        "file",
        metavar="FILE|-",
        nargs="?",
        type=_file_or_stdin,
        help="A text file to annotate; - for standard input.",
    ),
    option("--text", metavar="TEXT", help="Annotate this text (a sentence, a title) instead."),
    option(
        "--format",
        dest="fmt",
        choices=("table", "tsv", "json", "pubannotation"),
        default="table",
        help="table for people; tsv; json; or PubAnnotation JSON for other annotation tools "
        "(default: %(default)s).",
    ),
    output_option,
    kg_option,
)
def annotate_command(args: Namespace) -> None:
    """Find exokg's terms in a text: one row per span (start, end, text, CURIE, label, match kind).

    Short forms the text defines ("multivesicular bodies (MVBs)") are resolved; a gene symbol of
    several organisms takes the organism the text names, else all candidates are listed.
    Example: exokg annotate abstract.txt --format tsv
    Example: exokg annotate --text "Dendritic cell exosomes carry MHC class II."
    """
    from exokg.core.resources import KG_FILE
    from exokg.text.annotate import annotate
    from exokg.text.lexicon import load_lexicon
    from exokg.text.terms import write_spans

    if (args.file is None) == (args.text is None):
        raise UsageError(
            "annotate needs one text: a FILE, - for standard input, or --text",
            fix='exokg annotate abstract.txt, or exokg annotate --text "Exosomes carry MHC II."',
        )
    if args.text is not None:
        text, source = args.text, ""
    elif args.file == "-":
        text, source = sys.stdin.read(), ""
    else:
        path = args.file
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UsageError(
                "the file is not UTF-8 text", where=str(path), fix="give a plain-text file"
            ) from None
        source = path.name
    lexicon = load_lexicon(args.kg_file or KG_FILE)
    width = _width() if args.output is None and sys.stdout.isatty() else None
    _emit(write_spans(annotate(lexicon, text), args.fmt, text, source, width), args.output)


class _Formatter(RawDescriptionHelpFormatter):
    """argparse's help layout, told the terminal width so that it need not import shutil to ask.

    argparse makes a formatter for every argument it adds, and the default one imports shutil (and
    with it bz2 and lzma): a few milliseconds of every cold start.
    """

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_width() - 2)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        """Descriptions and epilogs keep their line breaks and wrap at spaces to the terminal
        (a long line continues under its own indent)."""
        from exokg.core.textfit import hanging

        lines = []
        for line in text.splitlines():
            lead = line[: len(line) - len(line.lstrip())]
            lines += hanging(indent + lead, line.strip(), width + len(indent)) if line else [""]
        return "\n".join(lines)


@functools.cache
def _width() -> int:
    columns = os.environ.get("COLUMNS", "")
    try:
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        return os.get_terminal_size().columns or 80  # 0: a terminal that never said its size
    except OSError:  # not a terminal
        return 80


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
        "--debug", action="store_true", help="Show Python tracebacks instead of one-line errors."
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
    for name in [only] if only in _COMMANDS else command_names():
        run, arguments = _COMMANDS[name]
        description = "\n".join(line.strip() for line in (run.__doc__ or "").strip().splitlines())
        sub = commands.add_parser(
            name,
            help=description.splitlines()[0],
            description=description,
            formatter_class=_Formatter,
            arguments=arguments,
            epilog_of=_EPILOGS.get(name),
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
        _warn(f"exokg: error: {error.line()}")
        return EXIT_USAGE
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        args.run(args)
        sys.stdout.flush()  # here, so that a closed pipe is reported below and not at exit
    except ExokgError as error:
        if args.debug:
            raise
        _warn(f"exokg: error: {error.line()}")
        return error.exit_code
    except KeyboardInterrupt:
        _warn("exokg: interrupted; nothing was written")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `exokg ask … | head`: the reader has gone; stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:  # an exokg bug, not the user's: still one line unless --debug
        if args.debug:
            raise
        _warn(
            f"exokg: internal error: {type(error).__name__}: {one_line(str(error))} "
            "— rerun with --debug for the traceback and report it"
        )
        return EXIT_INTERNAL
    return 0
