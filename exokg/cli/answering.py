"""What the question commands (``ask``, ``findings``, ``query``) share: their options, and opening the
graph, running one question on it and writing the answer."""

from __future__ import annotations

import sys

from exokg.cli.base import (
    count_arg,
    format_option,
    kg_option,
    option,
    output_name,
    output_option,
    progress_for,
    quiet_option,
    store_option,
    terminal_width,
    timeout_option,
    warn,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs a cold start
if TYPE_CHECKING:
    from argparse import Namespace
    from collections.abc import Callable, Sequence

    from exokg.api import KnowledgeGraph
    from exokg.query.store import Solutions

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
limit_option = option("--limit", metavar="N", type=count_arg(0), help="Return at most N rows.")
endpoint_option = option(
    "--endpoint",
    metavar="URL",
    help="Ask a SPARQL 1.1 endpoint instead of the graph shipped with exokg.",
)
max_bytes_option = option(
    "--max-bytes",
    metavar="N",
    type=count_arg(1),
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
allow_service_option = option(
    "--allow-service",
    metavar="URL",
    action="append",
    default=[],
    help="Let SERVICE clauses reach this endpoint (repeatable); none are reached by default.",
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


QUESTION_OPTIONS = (
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


def write_answer(
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
        with progress_for(args) as progress:
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
    terminal = args.output is None and args.fmt == "table" and sys.stdout.isatty()
    columns = args.columns
    if columns is None and terminal and not args.wide:
        present = set(table_columns(solutions))
        columns = [c for c in display if c in present] or None
    width = terminal_width() if terminal and not args.wide else None
    compact = terminal and not args.wide and not args.curies
    text = write_results(solutions, args.fmt, columns=columns, width=width, compact=compact)
    if args.output is None:
        sys.stdout.write(text)  # as write_output would: a cold ask need not import it
    else:
        from exokg.core.outputs import write_output

        write_output(text, args.output, where=output_name(args.output))
    if solutions.truncated and args.fmt != "table":
        warn(f"exokg: note: --limit kept the first {len(solutions.rows)} rows")


def questions_epilog() -> str:
    from exokg.query.questions import describe_questions

    return "questions (NAME) and their parameters:\n\n" + describe_questions(
        width=terminal_width() - 4
    )
