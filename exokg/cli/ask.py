"""``exokg ask``: answer one competency question. The path of a cold start: it imports only what
answering needs."""

from __future__ import annotations

from exokg.cli.answering import QUESTION_OPTIONS, questions_epilog, where_option, write_answer
from exokg.cli.base import (
    EPILOGS,
    command,
    option,
    organism_option,
    parse_params,
    warn,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs a cold start
if TYPE_CHECKING:
    from argparse import Namespace

    from exokg.api import KnowledgeGraph
    from exokg.query.store import Solutions


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
    *QUESTION_OPTIONS,
)
def ask(args: Namespace) -> None:
    """Answer the competency question NAME (see `exokg list`).

    Example: exokg ask evidence-for --param term="TS/A-derived exosome"
    """
    from exokg.query.questions import get_question

    values = parse_params(args.params)
    if args.organism is not None:  # --organism mouse: --param organism=mouse
        values.setdefault("organism", args.organism)
    conditions = parse_params(args.where, option_name="--where")

    def run(kg: KnowledgeGraph) -> Solutions:
        answer = kg.ask(args.name, values, limit=None if conditions else args.limit)
        for note in answer.notes:
            warn(f"exokg: note: {note}")
        if not answer.solutions.rows and answer.boolean is None:
            from exokg.text.resolve import why_empty

            for note in why_empty(args.name, values, kg.executor):
                warn(f"exokg: note: {note}")
        solutions = answer.solutions
        if conditions:
            from exokg.text.where import narrow

            solutions = narrow(solutions, conditions, lexicon=kg.lexicon)
            if args.limit is not None and len(solutions.rows) > args.limit:
                solutions.rows, solutions.truncated = solutions.rows[: args.limit], True
            if not solutions.rows:
                shown = ", ".join(f"{k}={v}" for k, v in conditions.items())
                warn(f"exokg: note: no row of {len(answer.rows)} has {shown}")
        return solutions

    write_answer(run, args, get_question(args.name).default_columns())


EPILOGS["ask"] = questions_epilog
