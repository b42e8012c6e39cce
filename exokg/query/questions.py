"""The competency questions: the SPARQL files in ``queries/``, their headers, and how answers look.

A question is one ``queries/<name>.rq`` file that starts with a header comment::

    # Title: Exosomes that promote tumour progression
    # Question: Which exosomes have been reported to promote tumour progression, and where not?
    # Asked by: (optional) who asks this and why
    # Parameters:
    #   vesicle = GO:0070062 — the vesicle class; its subclasses count too
    # Columns:
    #   vesicle — the vesicle class the finding is about

``# Display:`` (optional) names the few columns a terminal shows by default (``exokg ask`` on a
terminal; ``--columns`` and ``--wide`` choose others). Without it the table shows every column except
those that only repeat a parameter, as many as fit the terminal.

A parameter without ``= DEFAULT`` is required. A parameter value is a CURIE, an IRI or a name; names are
resolved one stage up, in :mod:`exokg.text.resolve`, and reach the query as bindings, never as text
pasted into SPARQL. Answers are :class:`exokg.query.store.Solutions`, written by
:mod:`exokg.query.answers` as an aligned table for people or in the W3C SPARQL 1.1 Query Results CSV,
TSV and JSON formats. Any executor (the local store, a SPARQL endpoint) answers a question: call its
``select`` with the question's ``sparql`` and the bindings.
"""

from __future__ import annotations

import re

from exokg.core.errors import DataError, UsageError
from exokg.core.prefixes import PREFIXES
from exokg.core.resources import QUERIES_DIR

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: `exokg ask` starts cold
if TYPE_CHECKING:
    from pathlib import Path

    from exokg.query.store import Executor, Solutions

__all__ = [
    "Parameter",
    "Question",
    "describe_questions",
    "get_question",
    "list_questions",
    "parse_question",
    "run_query",
]

_HEADER_KEYS = {"title", "question", "asked by", "parameters", "columns", "display"}
_KEY_LINE = re.compile(r"#\s?([A-Za-z ]+):\s*(.*)")
_ENTRY = re.compile(r"#\s{2,3}(\w+)(?:\s*=\s*(\S+))?\s+—\s+(.*)")
_CONTINUATION = re.compile(r"#\s{3,}(.*)")


class Parameter:
    """A value the question needs: a CURIE, IRI or label; ``default`` None means required."""

    __slots__ = ("default", "description", "name")

    def __init__(self, name: str, default: str | None, description: str) -> None:
        self.name, self.default, self.description = name, default, description

    def __repr__(self) -> str:
        return f"Parameter({self.name!r}, default={self.default!r})"


class Question:
    """One competency question: its file, its parsed header and its SPARQL text.

    Plain classes here, not dataclasses: importing dataclasses (with inspect and ast) would slow every
    cold ``exokg ask`` more than answering takes.
    """

    __slots__ = (
        "asked_by",
        "columns",
        "display",
        "name",
        "parameters",
        "path",
        "question",
        "sparql",
        "title",
    )

    def __init__(
        self,
        *,
        name: str,
        path: Path,
        title: str,
        question: str,
        asked_by: str,
        parameters: tuple[Parameter, ...],
        columns: dict[str, str],
        sparql: str,
        display: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.path = path
        self.title = title
        self.question = question
        self.asked_by = asked_by
        self.parameters = parameters
        self.columns = columns
        self.sparql = sparql
        self.display = display

    def default_columns(self) -> tuple[str, ...]:
        """The columns a terminal shows: ``# Display:``, else every column but the parameters'."""
        if self.display:
            return self.display
        echoed = {p.name for p in self.parameters}
        return tuple(c for c in self.columns if c not in echoed)

    def __repr__(self) -> str:
        return f"Question({self.name!r}, path={str(self.path)!r})"


def parse_question(path: Path) -> Question:
    """Read one ``.rq`` file and its header; a header without title, question or columns is bad data."""
    sparql = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    entries: dict[str, list[list[str]]] = {"parameters": [], "columns": []}
    key = ""
    for line in sparql.splitlines():
        if not line.startswith("#"):
            break
        entry = _ENTRY.match(line)
        keyed = _KEY_LINE.match(line)
        if keyed and keyed[1].strip().lower() in _HEADER_KEYS:
            key = keyed[1].strip().lower()
            fields[key] = keyed[2].strip()
        elif entry and key in entries:
            entries[key].append([entry[1], entry[2] or "", entry[3].strip()])
        elif (more := _CONTINUATION.match(line)) and key:
            if entries.get(key):
                entries[key][-1][2] += " " + more[1].strip()
            else:
                fields[key] = (fields.get(key, "") + " " + more[1].strip()).strip()
    missing = [k for k in ("title", "question") if not fields.get(k)]
    if not entries["columns"]:
        missing.append("columns")
    if missing:
        raise DataError(
            f"the header comment lacks {', '.join(missing)}",
            where=str(path),
            fix="start the file with '# Title:', '# Question:' and '# Columns:' lines",
        )
    return Question(
        name=path.stem,
        path=path,
        title=fields["title"],
        question=fields["question"],
        asked_by=fields.get("asked by", ""),
        parameters=tuple(Parameter(n, d or None, text) for n, d, text in entries["parameters"]),
        columns={name: text for name, _, text in entries["columns"]},
        sparql=sparql,
        display=_display(fields.get("display", ""), entries["columns"], path),
    )


def _display(text: str, columns: list[list[str]], path: Path) -> tuple[str, ...]:
    """The ``# Display:`` line as column names; a name that is no column is bad data."""
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    known = {entry[0] for entry in columns}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise DataError(
            f"'# Display:' names {unknown[0]!r}, which is not a column",
            where=str(path),
            fix=f"use names from the '# Columns:' list: {', '.join(sorted(known))}",
        )
    return names


def list_questions(directory: Path = QUERIES_DIR) -> list[Question]:
    """Every competency question, sorted by name."""
    return [parse_question(path) for path in sorted(directory.glob("*.rq"))]


def describe_questions(width: int = 100, directory: Path = QUERIES_DIR) -> str:
    """Every question for people: its name, then indented, the question wrapped to ``width`` and one
    line per parameter with its default (or "required" and an example)."""
    import textwrap

    indent = "    "
    blocks = []
    for question in list_questions(directory):
        lines = [question.name]
        lines += textwrap.wrap(
            question.question, width, initial_indent=indent, subsequent_indent=indent
        )
        for p in question.parameters:
            value = f"{p.name}={p.default} (default)" if p.default else f"{p.name}=… (required)"
            description = re.sub(r"^required:\s*", "", p.description)
            lines += textwrap.wrap(
                f"--param {value}: {description}",
                width,
                initial_indent=indent,
                subsequent_indent=indent * 2,
                break_on_hyphens=False,
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def get_question(name: str, directory: Path = QUERIES_DIR) -> Question:
    """The question called ``name``; an unknown name is a usage error that suggests the closest."""
    path = directory / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name) or not path.is_file():
        import difflib

        known = sorted(p.stem for p in directory.glob("*.rq"))
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise UsageError(
            f"no question called {name!r}", fix=f"{hint}`exokg list` shows the questions"
        )
    return parse_question(path)


def run_query(
    sparql: str,
    *,
    executor: Executor,
    limit: int | None = None,
    timeout: float = 30.0,
    where: str = "query",
) -> Solutions:
    """Answer ad-hoc SPARQL; exokg's prefixes (``EXOKG:``, ``GO:``, ``exo:`` …) are predeclared."""
    return executor.select(sparql, prefixes=PREFIXES, limit=limit, timeout=timeout, where=where)
