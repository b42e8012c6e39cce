"""``exokg list``, ``exokg findings`` and ``exokg query``: the questions, findings narrowed by a
biologist's filters, and ad-hoc read-only SPARQL."""

from __future__ import annotations

import sys

from exokg.cli.answering import QUESTION_OPTIONS, where_option, write_answer
from exokg.cli.base import (
    as_path,
    command,
    option,
    organism_option,
    parse_params,
    terminal_width,
    warn,
)
from exokg.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs a cold start
if TYPE_CHECKING:
    from argparse import Namespace

    from exokg.api import KnowledgeGraph
    from exokg.query.store import Solutions


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
    print(describe_questions(width=terminal_width() if sys.stdout.isatty() else 100))


_FINDING_COLUMNS = ("subject", "effect", "object", "finding", "source", "system", "model")


@command(
    "findings",
    option("term", metavar="TERM", nargs="?", help="Only findings on this term (any role)."),
    organism_option,
    where_option,
    *QUESTION_OPTIONS,
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
            warn("exokg: note: no finding meets these conditions")
        return solutions

    write_answer(run, args, _FINDING_COLUMNS)


@command(
    "query",
    option("file", metavar="FILE|-", nargs="?", help="File with the query; - for standard input."),
    option("--sparql", dest="text", metavar="TEXT", help="The query itself."),
    *QUESTION_OPTIONS,
)
def query(args: Namespace) -> None:
    """Run ad-hoc read-only SPARQL (from FILE, - for standard input, or --sparql) over the graph.

    exokg's prefixes (EXOKG:, GO:, RO:, exo:, rdfs: ...) are predeclared.
    Example: exokg query --sparql 'SELECT ?c WHERE { ?c rdfs:subClassOf EXOKG:0000020 } ORDER BY ?c'
    """
    sparql, where = _read_query(args.file, args.text)
    write_answer(lambda kg: kg.query(sparql, limit=args.limit, where=where).solutions, args)


def _read_query(file: str | None, text: str | None) -> tuple[str, str]:
    if (file is None) == (text is None):
        raise UsageError("give the query as FILE, as - (standard input) or with --sparql TEXT")
    if text is not None:
        return text, "--sparql"
    if file == "-":
        return _text(sys.stdin.buffer.read(), "<stdin>"), "<stdin>"
    path = as_path(str(file))
    if not path.is_file():
        if "{" in str(file):  # `exokg query 'SELECT * WHERE { … }'`
            raise UsageError(
                "no such query file, and this looks like the query itself",
                where=f"{str(file)[:40]}…" if len(str(file)) > 40 else str(file),
                fix="give the query text with --sparql",
            )
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
