"""Running a read-only query on an engine: Oxigraph or rdflib, within its time limit, with its
parameters as a ``VALUES`` block, the engine's terms turned into :class:`~exokg.query.solutions.Term`.

:class:`exokg.query.store.Store` imports it only when an answer is not kept (see
:mod:`exokg.query.kept`): a cold ``exokg ask`` of a question asked before compiles and runs none of
it. threading, pyoxigraph and rdflib are imported when they are used.
"""

from __future__ import annotations

import re

from exokg.core.errors import UsageError, one_line
from exokg.query.solutions import XSD_STRING, QueryTimeout, Solutions, Term

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Mapping
    from typing import Any

    import pyoxigraph

__all__ = [
    "bind_values",
    "bounded",
    "select_oxigraph",
    "select_rdflib",
    "service_failed",
    "stopped",
    "where_group_start",
]


# --- running a query within bounds ----------------------------------------------------------------


def bounded(work: Callable[[], Solutions], timeout: float, where: str) -> Solutions:
    """Run ``work`` in a worker thread and give up after ``timeout`` seconds.

    Neither engine can cancel a running query, but pyoxigraph releases the GIL while it evaluates and
    rdflib yields it regularly, so the caller gets control back on time. The abandoned thread is a
    daemon: it ends with the process (the CLI exits right away), and its result is never used.
    """
    import threading  # here: a cold `exokg ask` whose answer is kept never runs a query

    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as error:  # handed to the caller below
            outcome["error"] = _without_tracebacks(error)

    thread = threading.Thread(target=run, name="exokg-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise stopped(timeout, where)
    if "error" in outcome:
        raise outcome["error"]
    result: Solutions = outcome["result"]
    return result


def _without_tracebacks(error: BaseException) -> BaseException:
    """``error`` without its tracebacks, and those of the errors it was raised from or during.

    Their frames hold the engine's objects (pyoxigraph's ``QuerySolutions`` of the query): dropped
    on another thread than the one that made them, pyoxigraph prints a second line on stderr.
    """
    seen: set[int] = set()
    todo: list[BaseException | None] = [error]
    while todo:
        each = todo.pop()
        if each is None or id(each) in seen:
            continue
        seen.add(id(each))
        each.with_traceback(None)
        todo += [each.__cause__, each.__context__]
    return error


def stopped(timeout: float, where: str) -> QueryTimeout:
    return QueryTimeout(
        f"the query was stopped after {timeout:g} s",
        where=where,
        fix="narrow the query (fewer unbound patterns, a LIMIT) or raise --timeout",
    )


def service_failed(error: OSError, allowed: Collection[str], where: str) -> UsageError:
    """What the user is told when the engine could not query a ``SERVICE`` endpoint they allowed
    (refused, unknown host, a port the engine will not use, an HTTP error): one line, not a crash."""
    cause: BaseException = error
    if isinstance(getattr(error, "reason", None), OSError):  # urllib's URLError wraps the socket's
        cause = error.reason  # type: ignore[attr-defined]
    reason = getattr(cause, "strerror", None) or one_line(str(cause)) or type(cause).__name__
    endpoint = f"SERVICE <{next(iter(allowed))}>" if len(allowed) == 1 else "a SERVICE endpoint"
    return UsageError(
        f"{endpoint} could not be queried ({reason})",
        where=where,
        fix="check the URL given to --allow-service and that its endpoint answers SPARQL",
    )


def _collect(
    variables: list[str], rows: Iterable[tuple[Term | None, ...]], limit: int | None
) -> Solutions:
    solutions = Solutions(variables)
    for row in rows:
        if limit is not None and len(solutions.rows) >= limit:
            solutions.truncated = True
            break
        solutions.rows.append(row)
    return solutions


def _syntax_error(message: str, where: str, line: int | None, column: int | None) -> UsageError:
    place = f"{where}:{line}:{column}" if line is not None else where
    return UsageError(
        f"SPARQL syntax error: {one_line(message)}", where=place, fix="correct the query"
    )


# --- parameters as a VALUES block ---------------------------------------------------------------

_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def where_group_start(sparql: str) -> int | None:
    """The offset just inside the opening brace of the query's ``WHERE`` group, if there is one.

    Reads the query with the same lexer as the query check (exokg.query.sparql_check): strings, IRIs,
    comments, variables and prefixed names are skipped whole, and only a ``WHERE`` (or, for
    ``SELECT … {`` / ``ASK {`` without the keyword, a brace) outside every bracket counts — so an
    ``EXISTS { … }`` in the ``SELECT`` clause or a sub-query's own ``WHERE`` is never taken for it.
    ``None`` when no such group is found (a ``CONSTRUCT`` template without ``WHERE``, a query the
    lexer refuses): the caller then appends the values.
    """
    from exokg.query.sparql_check import tokens

    depth = 0
    after_where = False
    constructs = False
    try:
        read = tokens(sparql)
    except UsageError:
        return None
    for token in read:
        kind, text = token.kind, token.text
        if kind == "punct" and text in "{([":
            if depth == 0 and text == "{" and (after_where or not constructs):
                return token.start + 1
            depth += 1
        elif kind == "punct" and text in "})]":
            depth -= 1
        elif kind == "word" and depth == 0:
            word = text.upper()
            after_where = after_where or word == "WHERE"
            constructs = constructs or word == "CONSTRUCT"
    return None


def bind_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    r"""``sparql`` with ``bindings`` as a ``VALUES`` block first in its ``WHERE`` group.

    A trailing ``VALUES`` (or a final join with the bindings, which is how pyoxigraph's
    ``substitutions`` behave) is joined only after the engine has evaluated the whole pattern for
    every value; at the start of the group Oxigraph, and engines like it, evaluate the rest with the
    parameters already bound. The meaning is the same: the block joins the same group either way.
    Terms are validated and written in N-Triples syntax; nothing the user typed is pasted in.

    >>> bind_values("SELECT ?l { ?t rdfs:label ?l }", {"t": Term.iri("https://w3id.org/exokg/x")})
    'SELECT ?l {\n  VALUES (?t) { (<https://w3id.org/exokg/x>) }\n ?t rdfs:label ?l }'
    """
    block = _values_block(bindings)
    at = where_group_start(sparql)
    if at is None:
        return sparql.rstrip() + "\n" + block
    return f"{sparql[:at]}\n  {block}{sparql[at:]}"


def _values_block(bindings: Mapping[str, Term]) -> str:
    names = list(bindings)
    for name in names:
        if not _VARIABLE.fullmatch(name):
            raise UsageError(f"{name!r} is not a SPARQL variable name", where="bindings")
    try:
        terms = [_ntriples(bindings[name]) for name in names]
    except ValueError as error:
        raise UsageError(
            f"not a valid RDF term: {one_line(str(error))}", where="bindings"
        ) from None
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}\n"


def _ntriples(term: Term) -> str:
    """A term in N-Triples syntax; pyoxigraph validates IRIs and escapes literals."""
    import pyoxigraph

    if term.kind == "uri":
        return str(pyoxigraph.NamedNode(term.value))
    if term.kind == "literal" and term.lang:
        return str(pyoxigraph.Literal(term.value, language=term.lang))
    if term.kind == "literal":
        datatype = pyoxigraph.NamedNode(term.datatype or XSD_STRING)
        return str(pyoxigraph.Literal(term.value, datatype=datatype))
    raise UsageError("a blank node cannot be sent to an endpoint", where="bindings")


# --- the two engines ------------------------------------------------------------------------------


def select_oxigraph(
    engine: Any,
    sparql: str,
    bindings: Mapping[str, Term],
    prefixes: Mapping[str, str] | None,
    limit: int | None,
    where: str,
) -> Solutions:
    """Answer ``sparql`` on a pyoxigraph store; ``bindings`` go in as a ``VALUES`` block."""
    import pyoxigraph as ox

    # Parameters go in as a VALUES block first in the WHERE group, as an endpoint gets them:
    # Oxigraph then evaluates the rest with them bound. pyoxigraph's ``substitutions`` join them
    # only at the end, after the whole pattern was evaluated for every value (evidence-for at
    # 10^4 statements: 4.6 s that way, 0.27 s this way). A blank node cannot be written in a
    # query, so a binding to one still goes through ``substitutions``.
    inline = {k: v for k, v in bindings.items() if v.kind != "bnode"}
    if inline:
        sparql = bind_values(sparql, inline)
    try:
        result = engine.query(
            sparql,
            prefixes=dict(prefixes) if prefixes else None,
            use_default_graph_as_union=True,
            substitutions={
                ox.Variable(k): _to_oxigraph(v) for k, v in bindings.items() if k not in inline
            },
        )
    except SyntaxError as error:
        found = re.search(r"at (\d+):(\d+)", str(error))
        message = re.sub(r"^error at \d+:\d+: ", "", str(error))
        line, col = (int(found[1]), int(found[2])) if found else (None, None)
        raise _syntax_error(message, where, line, col) from None
    if isinstance(result, ox.QueryBoolean):
        return Solutions([], boolean=bool(result))
    if not isinstance(result, ox.QuerySolutions):
        # pyoxigraph's triples must be dropped on the thread that made them: the error's
        # traceback would carry them to the caller's thread, and a second line with them
        del result
        raise UsageError(
            "only SELECT and ASK queries are answered", where=where, fix="rewrite as SELECT"
        )
    variables = [v.value for v in result.variables]
    # A solution iterates over its values in the order of ``variables``. Answers repeat the same
    # terms (labels, evidence classes, sources) across rows, so each is converted once per query:
    # that takes a third off turning 2,000 rows of 20 columns into Terms.
    seen: dict[Any, Term | None] = {None: None}

    def term(value: Any) -> Term | None:
        if value not in seen:
            seen[value] = _from_oxigraph(value)
        return seen[value]

    rows = (tuple(term(value) for value in solution) for solution in result)
    return _collect(variables, rows, limit)


def select_rdflib(
    engine: Any,
    allow_service: Collection[str],
    sparql: str,
    bindings: Mapping[str, Term],
    prefixes: Mapping[str, str] | None,
    limit: int | None,
    where: str,
) -> Solutions:
    """Answer ``sparql`` on an rdflib dataset, after checking how rdflib reads it."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    from exokg.query.sparql_check import check_rdflib_reading

    try:
        prepared = prepareQuery(sparql, initNs=dict(prefixes or {}))
    except ParseException as error:
        raise _syntax_error(error.msg, where, error.lineno, error.col) from None
    except Exception as error:  # rdflib's own reading fails (e.g. "Unknown namespace prefix")
        raise UsageError(
            f"rdflib cannot read this query: {one_line(str(error))[:200]}",
            where=where,
            fix="check the query's syntax, or try --backend oxigraph",
        ) from None
    check_rdflib_reading(prepared, allow_service=allow_service, where=where)
    result = engine.query(prepared, initBindings={k: _to_rdflib(v) for k, v in bindings.items()})
    if result.type == "ASK":
        return Solutions([], boolean=bool(result.askAnswer))
    if result.type != "SELECT":
        raise UsageError(
            "only SELECT and ASK queries are answered", where=where, fix="rewrite as SELECT"
        )
    variables = [str(v) for v in result.vars]
    rows = (tuple(_from_rdflib(value) for value in row) for row in result)
    return _collect(variables, rows, limit)


def _to_oxigraph(term: Term) -> pyoxigraph.NamedNode | pyoxigraph.Literal | pyoxigraph.BlankNode:
    import pyoxigraph as ox

    if term.kind == "uri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype or XSD_STRING))


def _from_oxigraph(value: Any) -> Term | None:
    import pyoxigraph as ox

    if value is None:
        return None
    if isinstance(value, ox.NamedNode):
        return Term.iri(value.value)
    if isinstance(value, ox.BlankNode):
        return Term("bnode", value.value)
    if isinstance(value, ox.Literal):
        return Term.literal(value.value, value.datatype.value, value.language)
    raise UsageError(
        f"unsupported term in a result: {one_line(str(value))}", fix="select IRIs or literals"
    )


def _to_rdflib(term: Term) -> Any:
    from rdflib import BNode, Literal, URIRef

    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    datatype = None if term.lang or term.datatype == XSD_STRING else URIRef(term.datatype or "")
    return Literal(term.value, lang=term.lang, datatype=datatype)


def _from_rdflib(value: Any) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if value is None:
        return None
    if isinstance(value, URIRef):
        return Term.iri(str(value))
    if isinstance(value, BNode):
        return Term("bnode", str(value))
    if isinstance(value, Literal):
        datatype = str(value.datatype) if value.datatype else None
        return Term.literal(str(value), datatype, value.language)
    raise UsageError(
        f"unsupported term in a result: {one_line(str(value))}", fix="select IRIs or literals"
    )
