"""The ``exokg`` command line: a thin layer over the library.

Each command parses its options and calls one library function; everything the CLI does, Python can do.
Library modules are imported inside the commands, so ``exokg --help`` and ``exokg list`` load nothing
heavy. A problem the user caused (:class:`exokg.errors.ExokgError`) is printed as one line on stderr with
exit code 1 (bad data) or 2 (bad usage); a Python traceback appears only with ``--debug``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from exokg import __version__
from exokg.errors import ExokgError, UsageError

if TYPE_CHECKING:
    from datetime import datetime

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 3


class _Group(click.Group):
    """A click group that turns exokg's errors into one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ExokgError as error:
            if _debug(ctx):
                raise
            click.echo(f"exokg: error: {error.line()}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("exokg: interrupted; nothing was written", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:  # an exokg bug, not the user's: still one line unless --debug
            if _debug(ctx):
                raise
            click.echo(
                f"exokg: internal error: {type(error).__name__}: {error} "
                "— rerun with --debug for the traceback and report it",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.find_root().params.get("debug"))


# --- options shared by several commands, defined once ---------------------------------------------

FORMATS = ("table", "csv", "tsv", "json")


def format_option(f: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="table for people; csv, tsv and json follow the W3C SPARQL 1.1 results formats.",
    )(f)


def limit_option(f: F) -> F:
    return click.option(
        "--limit", type=click.IntRange(min=0), default=None, help="Return at most N rows."
    )(f)


def timeout_option(f: F) -> F:
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=30.0,
        show_default=True,
        help="Stop a query that runs longer than this many seconds.",
    )(f)


def endpoint_option(f: F) -> F:
    return click.option(
        "--endpoint",
        metavar="URL",
        default=None,
        help="Ask a SPARQL 1.1 endpoint instead of the graph shipped with exokg.",
    )(f)


def backend_option(f: F) -> F:
    return click.option(
        "--backend",
        type=click.Choice(("oxigraph", "rdflib")),
        default="oxigraph",
        show_default=True,
        help="Store that holds the graph: Oxigraph (fast) or rdflib's Memory store.",
    )(f)


def store_option(f: F) -> F:
    return click.option(
        "--store",
        "store_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="On-disk Oxigraph store to use (built on first use, then reopened without parsing).",
    )(f)


def output_option(f: F) -> F:
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="File to write (default: standard output).",
    )(f)


def parse_params(pairs: Sequence[str]) -> dict[str, str]:
    """Turn ``--param NAME=VALUE`` pairs into a dict; a pair without ``=`` is a usage error."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(
                f"--param {pair!r} is not NAME=VALUE", fix="write it as --param term=EXOKG:0000020"
            )
        params[name.strip()] = value
    return params


# --- the command group ----------------------------------------------------------------------------


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="exokg")
@click.option("--debug", is_flag=True, help="Show Python tracebacks instead of one-line errors.")
def cli(debug: bool) -> None:
    """exokg: a knowledge graph of extracellular-vesicle biology.

    Vesicle types (an OWL ontology aligned with GO and MISEV2023), statements from the literature with
    their evidence, context and source, and the questions a researcher asks of them.

    Start with `exokg list`, then `exokg ask exosomes-promoting-tumour-progression`.
    """


# --- questions (issue 5) --------------------------------------------------------------------------


def kg_option(f: F) -> F:
    return click.option(
        "--kg",
        "kg_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Compiled graph (N-Quads) to ask (default: the one exokg build writes).",
    )(f)


def allow_service_option(f: F) -> F:
    return click.option(
        "--allow-service",
        metavar="URL",
        multiple=True,
        help="Let SERVICE clauses reach this endpoint (repeatable); none are reached by default.",
    )(f)


def _question_options(f: F) -> F:
    for option in (
        output_option,
        endpoint_option,
        allow_service_option,
        kg_option,
        store_option,
        backend_option,
        timeout_option,
        limit_option,
        format_option,
    ):
        f = option(f)
    return f


def _answer(run: Callable[..., Any], fmt: str, output: Path | None, **store: Any) -> None:
    """Open the graph, run one question or query on it and print the answer."""
    from exokg.questions import write_results
    from exokg.resources import KG_FILE
    from exokg.store import open_store

    executor: Any
    if store["endpoint"]:  # the same questions on any SPARQL 1.1 endpoint (issue 8)
        from exokg.serve import Endpoint

        executor = Endpoint(store["endpoint"], allow_service=store["allow_service"])
    else:
        executor = open_store(
            store["backend"],
            kg_file=store["kg_file"] or KG_FILE,
            store_dir=store["store_dir"],
            allow_service=store["allow_service"],
        )
    solutions = run(executor)
    text = write_results(solutions, fmt)  # type: ignore[arg-type]
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    if solutions.truncated and fmt != "table":
        click.echo(f"exokg: note: --limit kept the first {len(solutions.rows)} rows", err=True)


@cli.command("list")
def list_command() -> None:
    """List the competency questions: name, then the question in plain words."""
    from exokg.questions import list_questions

    for question in list_questions():
        click.echo(f"{question.name:<40} {question.question}")


@cli.command()
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    metavar="NAME=VALUE",
    multiple=True,
    help="A parameter of the question: a CURIE, an IRI or a label (repeatable).",
)
@_question_options
def ask(
    name: str,
    params: tuple[str, ...],
    fmt: str,
    limit: int | None,
    timeout: float,
    output: Path | None,
    **store: Any,
) -> None:
    """Answer the competency question NAME (see `exokg list`)."""
    from exokg.questions import ask as answer

    values = parse_params(params)
    _answer(
        lambda executor: answer(name, values, executor=executor, limit=limit, timeout=timeout),
        fmt,
        output,
        **store,
    )


@cli.command()
@click.argument("file", required=False, metavar="FILE|-")
@click.option("--sparql", "text", metavar="TEXT", default=None, help="The query itself.")
@_question_options
def query(
    file: str | None,
    text: str | None,
    fmt: str,
    limit: int | None,
    timeout: float,
    output: Path | None,
    **store: Any,
) -> None:
    """Run ad-hoc read-only SPARQL (from FILE, - for standard input, or --sparql) over the graph.

    exokg's prefixes (EXOKG:, GO:, RO:, exo:, rdfs: ...) are predeclared.
    """
    from exokg.questions import run_query

    sparql, where = _read_query(file, text)
    _answer(
        lambda executor: run_query(
            sparql, executor=executor, limit=limit, timeout=timeout, where=where
        ),
        fmt,
        output,
        **store,
    )


def _read_query(file: str | None, text: str | None) -> tuple[str, str]:
    if (file is None) == (text is None):
        raise UsageError("give the query as FILE, as - (standard input) or with --sparql TEXT")
    if text is not None:
        return text, "--sparql"
    if file == "-":
        return sys.stdin.read(), "<stdin>"
    path = Path(str(file))
    if not path.is_file():
        raise UsageError("no such query file", where=str(path), fix="check the path")
    return path.read_text(encoding="utf-8"), str(path)


# --- curation, validation and build (issue 4) -----------------------------------------------------


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def validate_command(paths: tuple[Path, ...]) -> None:
    """Check curation files (default: all shipped ones): one line per problem, exit 1 if any."""
    from exokg.validate import ValidationFailed, validate

    problems = validate(list(paths) or None)
    for problem in problems:
        click.echo(problem.text(), err=True)
    if problems:
        raise ValidationFailed(problems)
    click.echo(f"ok: {len(paths) or 'all'} curation file(s) are valid")


@cli.command("build")
def build_command() -> None:
    """Validate, reason and write ontology/build/exokg-kg.nq; print the statement coverage."""
    from exokg.build import build
    from exokg.validate import ValidationFailed

    try:
        report = build()
    except ValidationFailed as failure:
        for problem in failure.problems:
            click.echo(problem.text(), err=True)
        raise
    click.echo("\n".join(report.lines()))


# --- ontology: reasoning and quality control (issue 3) --------------------------------------------


def ontology_option(f: F) -> F:
    return click.option(
        "--ontology",
        "edit_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        help="Editors' file to use instead of the shipped ontology/exokg-edit.ttl "
        "(import modules still come from ontology/imports/).",
    )(f)


@cli.command("reason")
@click.option(
    "--reasoner",
    type=click.Choice(("auto", "hermit", "owlrl")),
    default="auto",
    show_default=True,
    help="auto: HermiT when Java is there, else the OWL 2 RL fallback (EXOKG_JAVA=none hides Java).",
)
@ontology_option
def reason_command(reasoner: str, edit_file: Path | None) -> None:
    """Classify the ontology: consistency, unsatisfiable classes, new subclass axioms.

    Exits 1 when the ontology is inconsistent or a class is unsatisfiable.
    """
    from exokg.ontology import load_ontology
    from exokg.reason import describe, raise_for, reason

    graph = load_ontology(edit_file)
    result = reason(graph, reasoner)  # type: ignore[arg-type]  # click.Choice checked it
    if result.notice:
        click.echo(f"exokg: notice: {result.notice}", err=True)
    click.echo(describe(result, graph))
    raise_for(result)


@cli.command("report")
@format_option
@ontology_option
def report_command(fmt: str, edit_file: Path | None) -> None:
    """Run the ontology quality checks (queries/qc/*-violation.rq); exit 1 on any ERROR."""
    from exokg.ontology import load_ontology
    from exokg.report import format_violations, load_checks, raise_for_errors, run_checks

    checks = load_checks()
    violations = run_checks(load_ontology(edit_file), checks)
    click.echo(format_violations(violations, fmt, checks))
    raise_for_errors(violations)


# --- views (issue 6) ------------------------------------------------------------------------------


def context_option(f: F) -> F:
    return click.option(
        "--context",
        is_flag=True,
        help="Add cell-line and organism nodes, linked from what was studied in them.",
    )(f)


@cli.command("viz")
@output_option
@kg_option
@click.option(
    "--focus", metavar="TERM", help="Show only this term (CURIE, IRI or label) and its neighbours."
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="How many links from --focus.",
)
@click.option(
    "--question", metavar="NAME", help="Show only the subgraph behind this question's answer."
)
@click.option(
    "--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter of --question."
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="Draw at most N nodes, the most mentioned first.",
)
@context_option
def viz_command(
    output: Path | None,
    kg_file: Path | None,
    focus: str | None,
    depth: int,
    question: str | None,
    params: tuple[str, ...],
    max_nodes: int,
    context: bool,
) -> None:
    """Write the interactive graph view: one HTML file that works offline in any browser."""
    from exokg.export import write
    from exokg.resources import KG_FILE
    from exokg.views import page

    view = page(
        kg_file=kg_file or KG_FILE,
        focus=focus,
        depth=depth,
        question=question,
        params=parse_params(params),
        max_nodes=max_nodes,
        context=context,
    )
    write(view.html, output)
    click.echo(f"exokg: drew {view.nodes} nodes and {view.edges} links", err=True)
    if view.note:
        click.echo(f"exokg: note: {view.note}", err=True)


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("graphml", "json")),
    required=True,
    help="GraphML, or networkx node-link JSON.",
)
@output_option
@kg_option
@context_option
def export_command(fmt: str, output: Path | None, kg_file: Path | None, context: bool) -> None:
    """Export the graph view's networkx graph (every node and link, no cap) for other tools."""
    from exokg.export import export, write
    from exokg.resources import KG_FILE
    from exokg.views import graph

    write(export(graph(kg_file=kg_file or KG_FILE, context=context), fmt), output)  # type: ignore[arg-type]


# --- release files and diff (issue 7) -------------------------------------------------------------


@cli.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write (replaced as a whole, only if it holds an earlier release).",
)
@click.option(
    "--date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Release date for the version IRIs (default: today).",
)
@click.option(
    "--kg",
    "kg_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Compiled graph to release (default: the one `exokg build` writes).",
)
@click.option(
    "--record-ids", is_flag=True, help="After releasing, add the new IDs to the committed manifest."
)
def release(out_dir: Path, date: datetime | None, kg_file: Path | None, record_ids: bool) -> None:
    """Write the release files: full and base OWL, statements, SSSOM, KGX and a catalog.

    Checks first that no released ID vanished or changed its label without obsoletion; a failed
    release leaves DIR as it was.
    """
    from exokg import release as releasing

    options = {"kg_file": kg_file} if kg_file else {}
    done = releasing.release(
        out_dir, date=date.date() if date else None, record_ids=record_ids, **options
    )
    click.echo(f"released {len(done.files)} files for {done.date.isoformat()} into {out_dir}")
    if done.new_ids:
        what = "recorded in the manifest" if record_ids else "new since the manifest (--record-ids)"
        click.echo(f"{len(done.new_ids)} IDs {what}: {' '.join(done.new_ids)}")


@cli.command()
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)
@output_option
def diff(old: Path, new: Path, fmt: str, output: Path | None) -> None:
    """Terms and statements added, removed or changed between two releases (directories or files)."""
    from exokg.diff import diff_releases

    text = diff_releases(old, new).render(fmt)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


# --- serving and publishing (issue 8) -------------------------------------------------------------


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (loopback by default).",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=7878,
    show_default=True,
    help="Port to listen on.",
)
@store_option
@timeout_option
def serve(host: str, port: int, store_dir: Path | None, timeout: float) -> None:
    """Serve the graph read-only with the Oxigraph SPARQL server until Ctrl-C.

    Prints the endpoint URL and one link per competency question to the server's query page.
    """
    from exokg.serve import serve as run_server

    run_server(host=host, port=port, store_dir=store_dir, timeout=timeout, say=click.echo)


@cli.command()
@click.option(
    "--endpoint",
    metavar="URL",
    required=True,
    help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store.",
)
@click.option(
    "--graph",
    metavar="IRI",
    default=None,
    help="Put every triple into this one graph instead of exokg's four.",
)
def publish(endpoint: str, graph: str | None) -> None:
    """Upload the graph to a SPARQL 1.1 Graph Store (each named graph replaced, never duplicated)."""
    from exokg.serve import publish as upload

    for name, size in upload(endpoint, graph=graph).items():
        click.echo(f"{name}\t{size} triples")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``exokg`` script and of ``python -m exokg``."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="exokg")
