"""The competency questions: the SPARQL files in ``queries/``, their headers, and how answers look.

A question is one ``queries/<name>.rq`` file that starts with a header comment::

    # Title: Exosomes that promote tumour progression
    # Question: Which exosomes have been reported to promote tumour progression, and where not?
    # Asked by: (optional) who asks this and why
    # Parameters:
    #   vesicle = GO:0070062 — the vesicle class; its subclasses count too
    # Columns:
    #   vesicle — the vesicle class the finding is about

A parameter without ``= DEFAULT`` is required. A parameter value is a CURIE, an IRI or a name (``evidence-for
--param term="tumour-derived exosome"``, ``term=MFG-E8 --param organism=mouse``), looked up in the
graph's lexicon (:func:`resolve_term`); it reaches the query as a binding, never as text pasted into
SPARQL. Answers are :class:`exokg.store.Solutions`, written by :func:`write_results` as an aligned table
for people or in the W3C SPARQL 1.1 Query Results CSV, TSV and JSON formats.

Another executor (a SPARQL endpoint) can answer the same questions: take :func:`get_question`, resolve
parameters with :func:`bind` and call its ``select`` with the question's ``sparql`` and those bindings.
"""

from __future__ import annotations

import re

from exokg.errors import DataError, UsageError
from exokg.prefixes import PREFIXES
from exokg.resources import QUERIES_DIR, TERM_FINDINGS_QUERY, TERM_KNOWN_QUERY
from exokg.store import XSD_STRING, Term

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: `exokg ask` starts cold
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Literal

    from exokg.lexicon import Lexicon
    from exokg.store import Executor, Solutions

    Format = Literal["table", "csv", "tsv", "json"]

__all__ = [
    "FORMATS",
    "Parameter",
    "Question",
    "ask",
    "bind",
    "compact",
    "findings",
    "get_question",
    "list_questions",
    "resolve_term",
    "run_query",
    "why_empty",
    "write_results",
]

FORMATS: tuple[Format, ...] = ("table", "csv", "tsv", "json")

_HEADER_KEYS = {"title", "question", "asked by", "parameters", "columns", "display"}
_KEY_LINE = re.compile(r"#\s?([A-Za-z ]+):\s*(.*)")
_ENTRY = re.compile(r"#\s{2,3}(\w+)(?:\s*=\s*(\S+))?\s+—\s+(.*)")
_CONTINUATION = re.compile(r"#\s{3,}(.*)")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)


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

    __slots__ = ("asked_by", "columns", "name", "parameters", "path", "question", "sparql", "title")

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
    ) -> None:
        self.name = name
        self.path = path
        self.title = title
        self.question = question
        self.asked_by = asked_by
        self.parameters = parameters
        self.columns = columns
        self.sparql = sparql

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
    )


def list_questions(directory: Path = QUERIES_DIR) -> list[Question]:
    """Every competency question, sorted by name."""
    return [parse_question(path) for path in sorted(directory.glob("*.rq"))]


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


# --- parameters -----------------------------------------------------------------------------------


ORGANISM_PARAMETER = "organism"
"""``--param organism=mouse`` picks, among terms a name gives in several organisms, the one of that
organism; a question need not declare it."""


def bind(
    question: Question,
    params: Mapping[str, str],
    executor: Executor,
    *,
    lexicon: Lexicon | None = None,
    notes: list[str] | None = None,
) -> dict[str, Term]:
    """Turn ``--param`` values (or defaults) into IRIs, looking names up in the graph's lexicon."""
    declared = {p.name for p in question.parameters}
    organism = None
    if ORGANISM_PARAMETER not in declared:
        organism = params.get(ORGANISM_PARAMETER)
        params = {k: v for k, v in params.items() if k != ORGANISM_PARAMETER}
    unknown = sorted(set(params) - declared)
    if unknown:
        raise UsageError(
            f"{question.name} has no parameter {unknown[0]!r}",
            fix=f"its parameters are: {', '.join(sorted(declared)) or 'none'}",
        )
    bindings: dict[str, Term] = {}
    for parameter in question.parameters:
        value = params.get(parameter.name, parameter.default)
        if value is None or not value.strip():
            raise UsageError(
                f"{question.name} needs --param {parameter.name}=VALUE ({parameter.description})",
                fix=f"for example: exokg ask {question.name} --param {parameter.name}=EXOKG:0000020",
            )
        bindings[parameter.name] = resolve_term(
            value.strip(),
            executor,
            where=parameter.name,
            organism=organism,
            lexicon=lexicon,
            notes=notes,
        )
    return bindings


def resolve_term(
    text: str,
    executor: Executor,
    *,
    where: str = "term",
    organism: str | None = None,
    lexicon: Lexicon | None = None,
    organism_option: str = "--param organism=",
    notes: list[str] | None = None,
) -> Term:
    """A CURIE (``EXOKG:0000020``), an IRI (``<…>`` or ``https://…``) or a name, as the term's IRI.

    A name is looked up in the lexicon (:mod:`exokg.lexicon`): labels, synonyms and gene symbols, in
    any case, with or without hyphens, singular or plural. A name several terms share is an error that
    lists them with their organisms, unless ``organism`` (``mouse``, ``human``, ``NCBITaxon:9606``)
    leaves one, or only one of them has findings (then ``notes`` gets a line saying so). A CURIE or
    IRI the graph does not know, and a name that matches nothing, are data
    errors that suggest the closest names.
    """
    iri = _as_iri(text)
    if iri is not None:
        known = TERM_KNOWN_QUERY.read_text(encoding="utf-8")
        term = Term.iri(iri)
        if executor.select(known, {"term": term}, where=str(TERM_KNOWN_QUERY)).boolean:
            return term
        lexicon = lexicon or _lexicon(executor)
        hint = lexicon.suggest(text)
        raise DataError(
            f"{text} is not a term of the graph",
            where=where,
            fix=hint or "`exokg search TEXT` finds terms by name",
        )
    lexicon = lexicon or _lexicon(executor)
    taxon = None
    if organism is not None:
        try:
            taxon = lexicon.organism(organism)
        except KeyError:
            raise UsageError(
                f"no organism of the graph is called {organism!r}",
                where=ORGANISM_PARAMETER,
                fix="give mouse, human or an NCBITaxon CURIE such as NCBITaxon:10090",
            ) from None
    candidates = lexicon.lookup(text, organism=taxon)
    if len(candidates) == 1:
        return Term.iri(candidates[0].iri)
    if not candidates:
        hint = lexicon.suggest(text)
        raise DataError(
            f"no term is named {text!r}",
            where=where,
            fix=hint
            or "give a CURIE such as EXOKG:0000020; `exokg search TEXT` finds terms by name",
        )
    counted = [(findings(Term.iri(c.iri), executor), c) for c in candidates]
    used = [c for n, c in counted if n]
    if len(used) == 1:  # the graph says something about one of them only: that is the one meant
        if notes is not None:
            others = "; ".join(c.describe() for c in candidates if c is not used[0])
            notes.append(
                f"{text!r} is {used[0].describe()}, the only one of {len(candidates)} terms with "
                f"findings (also: {others}; add {organism_option}… or give a CURIE for another)"
            )
        return Term.iri(used[0].iri)
    shown = "; ".join(c.describe() for c in candidates)
    organisms = sorted({c.organism_label for c in candidates if c.organism_label})
    fix = "give one of these CURIEs instead"
    if len(organisms) > 1 and organism is None:
        fix = f"add {organism_option}{'|'.join(organisms)}, or {fix}"
    raise UsageError(f"{text!r} names {len(candidates)} terms: {shown}", where=where, fix=fix)


def _as_iri(text: str) -> str | None:
    """The IRI a CURIE or IRI stands for; None for a name."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if _SCHEME.match(text):
        return text
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and " " not in text:
        return PREFIXES[prefix] + local
    return None


def _lexicon(executor: Executor) -> Lexicon:
    from exokg.lexicon import lexicon_from_executor

    return lexicon_from_executor(executor)


def findings(term: Term, executor: Executor) -> int:
    """How many statements name ``term`` or one of its subclasses (subject, object or context)."""
    sparql = TERM_FINDINGS_QUERY.read_text(encoding="utf-8")
    answer = executor.select(sparql, {"term": term}, where=str(TERM_FINDINGS_QUERY))
    value = answer.rows[0][answer.variables.index("findings")] if answer.rows else None
    return int(value.value) if value is not None else 0


def why_empty(name: str, params: Mapping[str, str], executor: Executor) -> list[str]:
    """Notes for an empty answer: each parameter that names a term no finding mentions."""
    question = get_question(name)
    notes = []
    for parameter_name, term in bind(question, params, executor).items():
        if term.kind != "uri":
            continue
        count = findings(term, executor)
        curie = compact(term.value)
        if count == 0:
            notes.append(
                f"{curie} ({parameter_name}) is in the graph, but no finding names it or its "
                "subclasses"
            )
        else:
            notes.append(
                f"{curie} ({parameter_name}) is named by {count} finding{'s' if count > 1 else ''}, "
                f"but not as this question asks (perhaps as a cell line, organism or context): "
                f"`exokg info {curie}` says more"
            )
    return notes


# --- running --------------------------------------------------------------------------------------


def ask(
    name: str,
    params: Mapping[str, str] | None = None,
    *,
    executor: Executor,
    limit: int | None = None,
    timeout: float = 30.0,
    directory: Path = QUERIES_DIR,
    notes: list[str] | None = None,
) -> Solutions:
    """Answer the competency question ``name`` with ``executor`` (a local store or an endpoint).

    ``notes`` (a list) gets a line for each parameter whose name was resolved by a choice the user
    should know of (see :func:`resolve_term`).
    """
    question = get_question(name, directory)
    bindings = bind(question, params or {}, executor, notes=notes)
    return executor.select(
        question.sparql, bindings, limit=limit, timeout=timeout, where=str(question.path)
    )


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


# --- output ---------------------------------------------------------------------------------------


def write_results(solutions: Solutions, fmt: Format) -> str:
    """Write an answer as a table for people, or as W3C SPARQL 1.1 CSV, TSV or JSON results."""
    writers = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json}
    return writers[fmt](solutions)


def compact(iri: str) -> str:
    """``http://purl.obolibrary.org/obo/GO_0070062`` → ``GO:0070062``; other IRIs stay as they are."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    local = iri[len(PREFIXES[best]) :] if best else ""
    return f"{best}:{local}" if best and re.fullmatch(r"[\w.-]*", local) else iri


def _json(solutions: Solutions) -> str:
    import json

    if solutions.boolean is not None:
        return json.dumps({"head": {}, "boolean": solutions.boolean}) + "\n"
    bindings = [
        {
            name: _json_term(term)
            for name, term in zip(solutions.variables, row, strict=True)
            if term is not None
        }
        for row in solutions.rows
    ]
    document = {"head": {"vars": solutions.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    out = {"type": term.kind, "value": term.value}
    if term.lang:
        out["xml:lang"] = term.lang
    elif term.kind == "literal" and term.datatype != XSD_STRING:
        out["datatype"] = term.datatype or XSD_STRING
    return out


def _csv(solutions: Solutions) -> str:
    import csv
    import io

    if solutions.boolean is not None:
        return f"{str(solutions.boolean).lower()}\r\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(solutions.variables)
    for row in solutions.rows:
        writer.writerow(
            ["" if t is None else ("_:" if t.kind == "bnode" else "") + t.value for t in row]
        )
    return buffer.getvalue()


_NUMBER = {
    PREFIXES["xsd"] + "integer": re.compile(r"[+-]?\d+"),
    PREFIXES["xsd"] + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    PREFIXES["xsd"] + "double": re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+"),
    PREFIXES["xsd"] + "boolean": re.compile(r"true|false"),
}
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def tsv_term(term: Term | None) -> str:
    """A term in the Turtle syntax of the W3C TSV results format (empty when unbound)."""
    if term is None:
        return ""
    if term.kind == "uri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    number = _NUMBER.get(term.datatype or "")
    if number and number.fullmatch(term.value):
        return term.value
    text = f'"{term.value.translate(_ESCAPES)}"'
    if term.lang:
        return f"{text}@{term.lang}"
    return text if term.datatype == XSD_STRING else f"{text}^^<{term.datatype}>"


def _tsv(solutions: Solutions) -> str:
    if solutions.boolean is not None:
        return f"{str(solutions.boolean).lower()}\n"
    lines = ["\t".join(f"?{name}" for name in solutions.variables)]
    lines += ["\t".join(tsv_term(term) for term in row) for row in solutions.rows]
    return "\n".join(lines) + "\n"


_WIDTH = 60


def _cell(term: Term | None) -> str:
    if term is None:
        return ""
    text = compact(term.value) if term.kind == "uri" else term.value
    text = " ".join(text.split())
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"


def _table(solutions: Solutions) -> str:
    """Aligned columns; a column ``x`` with a companion ``x_label`` shows ``label [CURIE]``."""
    if solutions.boolean is not None:
        return ("yes" if solutions.boolean else "no") + "\n"
    names = solutions.variables
    shown = [n for n in names if not (n.endswith("_label") and n[: -len("_label")] in names)]
    rows = []
    for row in solutions.rows:
        values = dict(zip(names, row, strict=True))
        cells = []
        for name in shown:
            label, term = values.get(f"{name}_label"), values[name]
            if label is not None and term is not None:
                cells.append(f"{_cell(label)} [{_cell(term)}]")
            else:
                cells.append(_cell(term) or _cell(label))
        rows.append(cells)
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(shown)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(shown, widths, strict=True)).rstrip()]
    lines.append("  ".join("─" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    count = len(rows)
    lines.append(
        f"({count} row{'s' if count != 1 else ''}{', cut by --limit' if solutions.truncated else ''})"
    )
    return "\n".join(lines) + "\n"
