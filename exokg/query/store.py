"""The store: the compiled graph, opened for read-only SPARQL in Oxigraph (default) or rdflib.

Every question and every ad-hoc query goes through :class:`Store.select`, which

* refuses what could change the graph or reach outside it (SPARQL Update, ``SERVICE``, ``FROM`` with
  a foreign IRI) *before* the query reaches an engine — see :mod:`exokg.query.sparql_check`;
* stops a runaway query after ``timeout`` seconds and returns at most ``limit`` rows;
* returns :class:`Solutions` made of plain :class:`Term` values, so formatting and tests do not care
  which engine answered, and another executor (a SPARQL endpoint, see ``serve.py``) can return the same.

The default backend loads ``ontology/build/exokg-kg.nq`` into an in-memory pyoxigraph store (fast: no
Turtle, no reasoning). With ``store_dir`` it keeps an on-disk Oxigraph store that is built once and then
reopened without parsing. ``backend="rdflib"`` loads the same file into rdflib's Memory store, for
comparison and for users who need rdflib's API; both give identical results on the question suite.

``Executor`` (the protocol a store and an endpoint share) and ``Backend`` are names for type checkers
only: import them under ``if TYPE_CHECKING:``. This module is on the path of every cold ``exokg ask``,
so it imports neither typing nor dataclasses at run time.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from exokg.core.errors import DataError, UsageError, one_line
from exokg.core.prefixes import PREFIXES
from exokg.core.resources import KG_FILE

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Mapping
    from typing import Any, Literal, Protocol

    import pyoxigraph

    from exokg.query.kept import KeptAnswers

    Backend = Literal["oxigraph", "rdflib"]
    TermKind = Literal["uri", "literal", "bnode"]

    class Executor(Protocol):
        """Anything that answers read-only SPARQL with bindings: a local :class:`Store` or an endpoint."""

        def select(
            self,
            sparql: str,
            bindings: Mapping[str, Term] | None = None,
            *,
            prefixes: Mapping[str, str] | None = None,
            limit: int | None = None,
            timeout: float = 30.0,
            where: str = "query",
        ) -> Solutions: ...


__all__ = [
    "QueryTimeout",
    "Solutions",
    "Store",
    "Term",
    "bind_values",
    "cached_store",
    "open_store",
    "prepare_store_dir",
    "where_group_start",
]


def __getattr__(name: str) -> Any:
    """``GRAPHS`` and ``check_query``, from :mod:`exokg.query.sparql_check`, imported on first use:
    a cold ``exokg ask`` whose answers are kept never needs them."""
    if name in ("GRAPHS", "check_query"):
        from exokg.query import sparql_check

        return getattr(sparql_check, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


XSD_STRING = PREFIXES["xsd"] + "string"
STAMP = "exokg-source.txt"  # in a --store directory: which graph file it was built from


@functools.total_ordering
class Term:
    """An RDF term as the W3C results formats see it: ``uri``, ``literal`` or ``bnode``.

    Literals always carry a datatype (``xsd:string`` for plain ones) unless they have a language tag.
    A term is a value: compared, ordered and hashed by its four fields, which are never changed.
    """

    __slots__ = ("datatype", "kind", "lang", "value")
    kind: TermKind
    value: str
    datatype: str | None
    lang: str | None

    def __init__(
        self, kind: TermKind, value: str, datatype: str | None = None, lang: str | None = None
    ) -> None:
        self.kind, self.value, self.datatype, self.lang = kind, value, datatype, lang

    @classmethod
    def iri(cls, value: str) -> Term:
        return cls("uri", value)

    @classmethod
    def literal(cls, value: str, datatype: str | None = None, lang: str | None = None) -> Term:
        return cls("literal", value, None if lang else (datatype or XSD_STRING), lang)

    def _key(self) -> tuple[str, str, str | None, str | None]:
        return (self.kind, self.value, self.datatype, self.lang)

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, Term) else NotImplemented

    def __lt__(self, other: Term) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        kind, value, datatype, lang = self._key()
        return f"Term(kind={kind!r}, value={value!r}, datatype={datatype!r}, lang={lang!r})"


class Solutions:
    """The answer to a query: variable names and rows (``None`` where a variable is unbound).

    ``boolean`` is set for ``ASK`` queries; ``truncated`` says that ``limit`` cut rows off.
    """

    __slots__ = ("boolean", "rows", "truncated", "variables")

    def __init__(
        self,
        variables: list[str],
        rows: list[tuple[Term | None, ...]] | None = None,
        boolean: bool | None = None,
        truncated: bool = False,
    ) -> None:
        self.variables = variables
        self.rows = [] if rows is None else rows
        self.boolean = boolean
        self.truncated = truncated

    def __repr__(self) -> str:
        return (
            f"Solutions(variables={self.variables!r}, rows={self.rows!r}, "
            f"boolean={self.boolean!r}, truncated={self.truncated!r})"
        )


class QueryTimeout(UsageError):
    """A query ran longer than its time limit."""


# --- query safety: exokg/query/sparql_check.py reads the query as the engines do ------------------------

# --- running a query within bounds ----------------------------------------------------------------


def _bounded(work: Callable[[], Solutions], timeout: float, where: str) -> Solutions:
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
        raise _stopped(timeout, where)
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


def _stopped(timeout: float, where: str) -> QueryTimeout:
    return QueryTimeout(
        f"the query was stopped after {timeout:g} s",
        where=where,
        fix="narrow the query (fewer unbound patterns, a LIMIT) or raise --timeout",
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


# --- the two backends -----------------------------------------------------------------------------


class Store:
    """The compiled graph, ready for read-only SPARQL over the union of its four graphs."""

    def __init__(
        self,
        backend: Backend,
        engine: Any,
        allow_service: Collection[str] = (),
        *,
        opener: Callable[[], Any] | None = None,
        kept: KeptAnswers | None = None,
    ) -> None:
        self.backend = backend
        self._engine = engine
        self._opener = opener  # opens the engine on the first query that is not kept
        self.allow_service = frozenset(allow_service)
        self.kept = kept
        """Answers kept on disk (the shipped graph's store only): see :mod:`exokg.query.kept`."""

    @property
    def engine(self) -> Any:
        """The pyoxigraph store or rdflib dataset, opened on first use when an opener was given."""
        if self._engine is None and self._opener is not None:
            self._engine = self._opener()
        return self._engine

    def select(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        prefixes: Mapping[str, str] | None = None,
        limit: int | None = None,
        timeout: float = 30.0,
        where: str = "query",
    ) -> Solutions:
        """Answer a ``SELECT`` or ``ASK`` query; ``prefixes`` are predeclared for ad-hoc queries.

        A kept answer (see :mod:`exokg.query.kept`) was kept only after its query passed the check
        below, with the same ``SERVICE`` endpoints allowed (they are part of its key), so it is
        read back without checking again.
        """
        key = None
        if self.kept is not None:
            bound = [(k, v._key()) for k, v in (bindings or {}).items()]
            asked = list((prefixes or {}).items())
            key = self.kept.key(sparql, bound, asked, limit, sorted(self.allow_service))
            kept = self.kept.get(key)
            if kept is not None:
                return _unkept(*kept)
        from exokg.query.sparql_check import GRAPHS, check_query, is_volatile

        read = check_query(
            sparql,
            prefixes=prefixes,
            allow_service=self.allow_service,
            allow_from=GRAPHS if self.backend == "oxigraph" else (),
            where=where,
        )
        run = self._oxigraph if self.backend == "oxigraph" else self._rdflib
        # the engine is opened here, on the caller's thread, so that an error is the caller's
        self.engine  # noqa: B018
        work = lambda: run(sparql, bindings or {}, prefixes, limit, where)  # noqa: E731
        if self.backend == "rdflib" and hasattr(os, "fork"):
            # rdflib runs in Python: only a child process can be stopped (see exokg/query/isolate.py)
            from exokg.query.isolate import in_child

            return in_child(work, timeout, where, lambda: _stopped(timeout, where))
        answer = _bounded(work, timeout, where)
        if self.kept is not None and key is not None and not is_volatile(read):  # NOW(), RAND() …
            rows = [tuple(None if t is None else t._key() for t in row) for row in answer.rows]
            self.kept.put(key, (answer.variables, rows, answer.boolean, answer.truncated))
        return answer

    def _oxigraph(
        self,
        sparql: str,
        bindings: Mapping[str, Term],
        prefixes: Mapping[str, str] | None,
        limit: int | None,
        where: str,
    ) -> Solutions:
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
            result = self.engine.query(
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

    def _rdflib(
        self,
        sparql: str,
        bindings: Mapping[str, Term],
        prefixes: Mapping[str, str] | None,
        limit: int | None,
        where: str,
    ) -> Solutions:
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
        check_rdflib_reading(prepared, allow_service=self.allow_service, where=where)
        result = self.engine.query(
            prepared, initBindings={k: _to_rdflib(v) for k, v in bindings.items()}
        )
        if result.type == "ASK":
            return Solutions([], boolean=bool(result.askAnswer))
        if result.type != "SELECT":
            raise UsageError(
                "only SELECT and ASK queries are answered", where=where, fix="rewrite as SELECT"
            )
        variables = [str(v) for v in result.vars]
        rows = (tuple(_from_rdflib(value) for value in row) for row in result)
        return _collect(variables, rows, limit)


def _unkept(
    variables: list[str],
    rows: list[tuple[tuple[str, str, str | None, str | None] | None, ...]],
    boolean: bool | None,
    truncated: bool,
) -> Solutions:
    """A kept answer (see :mod:`exokg.query.kept`) as :class:`Solutions`; each term made once."""
    terms: dict[Any, Term | None] = {None: None}

    def term(fields: tuple[str, str, str | None, str | None] | None) -> Term | None:
        if fields not in terms:
            kind, value, datatype, lang = fields  # type: ignore[misc]  # None is in terms
            terms[fields] = Term(kind, value, datatype, lang)  # type: ignore[arg-type]
        return terms[fields]

    return Solutions(variables, [tuple(term(f) for f in row) for row in rows], boolean, truncated)


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


# --- opening the graph ----------------------------------------------------------------------------


def open_store(
    backend: Backend = "oxigraph",
    *,
    kg_file: Path = KG_FILE,
    store_dir: Path | None = None,
    allow_service: Collection[str] = (),
) -> Store:
    """Open the compiled graph for questions.

    ``store_dir`` keeps an on-disk Oxigraph store: built from ``kg_file`` on first use (or when the
    file changed), then reopened read-only without parsing; it works even where ``kg_file`` is absent.

    >>> store = open_store()  # doctest: +SKIP
    >>> store.select("ASK { ?s ?p ?o }").boolean  # doctest: +SKIP
    True
    """
    if store_dir is not None:
        if backend != "oxigraph":
            raise UsageError(
                "--store holds an Oxigraph store", fix="drop --backend rdflib or drop --store"
            )
        return Store(backend, _open_store_dir(Path(store_dir), Path(kg_file)), allow_service)
    if not Path(kg_file).is_file():
        raise _missing(kg_file)
    if backend == "rdflib":
        return Store(backend, _load_rdflib(Path(kg_file)), allow_service)
    if Path(kg_file) == KG_FILE:
        folder = _cached_store_dir(Path(kg_file))
        if folder is not None:
            from exokg.query.kept import KeptAnswers

            def reopen() -> pyoxigraph.Store:
                import pyoxigraph as ox

                try:
                    return ox.Store.read_only(str(folder))
                except (OSError, SyntaxError):  # a store being replaced meanwhile: parse
                    return _load_oxigraph(Path(kg_file))

            kept = KeptAnswers(folder / "answers")
            return Store(backend, None, allow_service, opener=reopen, kept=kept)
    return Store(backend, _load_oxigraph(Path(kg_file)), allow_service)


def _load_oxigraph(kg_file: Path) -> pyoxigraph.Store:
    import pyoxigraph as ox

    engine = ox.Store()
    try:
        # lenient: the compiled graph was validated when it was built; skipping IRI checks halves the
        # load time.
        engine.load(path=str(kg_file), format=ox.RdfFormat.N_QUADS, lenient=True)
    except SyntaxError as error:
        raise DataError(
            f"not valid N-Quads: {one_line(str(error))}", where=str(kg_file), fix=_rebuild(kg_file)
        ) from None
    return engine


def _rebuild(kg_file: Path) -> str:
    """How to get a good graph: rebuild the shipped one, or give one as exokg build writes it."""
    if kg_file == KG_FILE:
        return "run `exokg build` to compile the graph"
    return (
        "give a compiled exokg graph in N-Quads, as `exokg build` writes ontology/build/exokg-kg.nq"
    )


def _missing(kg_file: Path) -> DataError:
    return DataError("the compiled graph does not exist", where=str(kg_file), fix=_rebuild(kg_file))


def _load_rdflib(kg_file: Path) -> Any:
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    try:
        dataset.parse(kg_file, format="nquads")
    except Exception as error:  # rdflib raises several parser exception types
        raise DataError(
            f"not valid N-Quads: {one_line(str(error))}", where=str(kg_file), fix=_rebuild(kg_file)
        ) from None
    return dataset


def prepare_store_dir(store_dir: Path, kg_file: Path = KG_FILE) -> Path:
    """Make ``store_dir`` an on-disk Oxigraph store of ``kg_file``, reusing it while it is current.

    The stamp (file name, size and modification time of the graph it was built from; the same stamp
    ``exokg serve`` writes) decides: a current store is reused as it is, without reading the graph; a
    store whose graph is absent is reused too. A new store is built beside the old one and moved in
    place only when complete. A directory with no stamp is never touched: it may be someone's data.
    """
    import pyoxigraph as ox

    stamp = store_dir / STAMP
    if store_dir.is_symlink() and not store_dir.exists():  # following it would create its target
        raise UsageError(
            f"the store is a link to {os.readlink(store_dir)}, which does not exist",
            where=str(store_dir),
            fix="remove the link, or pass --store a directory (new, empty or an exokg store)",
        )
    if store_dir.exists() and any(store_dir.iterdir()) and not stamp.is_file():
        raise UsageError(
            "the directory is not an exokg store and is not empty",
            where=str(store_dir),
            fix="pass a new or empty directory to --store",
        )
    if not kg_file.is_file():
        if stamp.is_file():
            return store_dir
        raise _missing(kg_file)
    info = kg_file.stat()
    current = f"{kg_file.name} {info.st_size} {info.st_mtime_ns}\n"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == current:
        return store_dir
    import shutil
    import tempfile

    if store_dir.is_symlink():  # a link to a store: the store it names is rebuilt, the link stays
        store_dir = store_dir.resolve()
    store_dir.parent.mkdir(parents=True, exist_ok=True)  # --store a/new/folder
    # A folder exokg creates for this build alone (never one of the user's, such as DIR.building)
    building = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.building-", dir=store_dir.parent))
    engine = ox.Store(str(building))
    try:
        # lenient: the IRIs are not validated again (exokg build wrote and checked them; the
        # in-memory store reads the same file the same way); N-Quads syntax is still checked. At
        # 10^5 statements it saves about 2 s of the build's 33 s of CPU time (median of 2 rounds,
        # benchmarks/results/20261207T2155Z-store-build-100000.md, benchmarks/store_build.py)
        engine.bulk_load(path=str(kg_file), format=ox.RdfFormat.N_QUADS, lenient=True)
        # Compacting the table files the bulk loader wrote (one RocksDB compaction) makes every later
        # read cheaper. At 10^5 statements: 6 s more here, twice the disk space, and each question
        # that takes over a second 1.4-2.3x faster (benchmarks/results/20261202T221401Z-store-costs.md)
        engine.optimize()
        engine.flush()
    except SyntaxError as error:
        del engine
        shutil.rmtree(building, ignore_errors=True)
        raise DataError(
            f"not valid N-Quads: {one_line(str(error))}", where=str(kg_file), fix=_rebuild(kg_file)
        ) from None
    del engine  # closes the database files before they move
    (building / STAMP).write_text(current, encoding="utf-8")
    if store_dir.exists():
        shutil.rmtree(store_dir)
    building.rename(store_dir)
    return store_dir


def _open_store_dir(store_dir: Path, kg_file: Path) -> pyoxigraph.Store:
    import pyoxigraph as ox

    return ox.Store.read_only(str(prepare_store_dir(store_dir, kg_file)))


# --- the default graph, kept as a store in the user's cache folder --------------------------------


def cached_store(kg_file: Path) -> pyoxigraph.Store | None:
    """``kg_file`` as a read-only on-disk store kept in the user's cache folder, built on first use.

    Parsing the shipped 2.6 MB of N-Quads was the largest part of a cold ``exokg ask`` (about 20 ms,
    more than importing pyoxigraph); reopening a store costs less than half of that. The store is
    named by the graph's path, size and modification time, so a rebuilt graph gets a new one (the old
    one is removed when the new one is built). It is built in a folder exokg creates for it and moved
    into place when complete; it is used only if it is a real folder owned by this user, writable by
    no one else, holding the stamp of this graph. ``None`` (the caller parses the file) when the cache
    folder cannot be used or ``EXOKG_NO_STORE_CACHE`` is set.
    """
    path = _cached_store_dir(kg_file)
    if path is None:
        return None
    import pyoxigraph as ox

    try:
        return ox.Store.read_only(str(path))
    except (OSError, SyntaxError):  # a store being replaced: parse
        return None


def _cached_store_dir(kg_file: Path) -> Path | None:
    """The folder of :func:`cached_store`'s store of ``kg_file``, built if needed; ``None`` when the
    cache folder cannot be used or ``EXOKG_NO_STORE_CACHE`` is set."""
    from exokg.core.resources import user_cache_dir

    if os.environ.get("EXOKG_NO_STORE_CACHE"):
        return None
    import zlib

    try:
        info = kg_file.stat()
        stamp = f"{kg_file.resolve()}\n{info.st_size} {info.st_mtime_ns}\n"
        root = user_cache_dir()
        path = root / f"store-{zlib.crc32(stamp.encode('utf-8')):08x}"  # hashlib costs a start more
        if not _ours(path, stamp):
            path = _build_cached(kg_file, root, path, stamp)
        return path
    except (OSError, SyntaxError):  # no usable cache folder: parse
        return None


def _ours(path: Path, stamp: str | None = None) -> bool:
    """``path`` is a store folder this user made: not a link, owned by us, writable by us only, and
    (with ``stamp``) built from that graph."""
    from exokg.core.resources import owned

    if not owned(path, folder=True):
        return False
    try:
        return stamp is None or (path / STAMP).read_text(encoding="utf-8") == stamp
    except (OSError, ValueError):
        return False


def _same_file(store: Path, stamp: str) -> bool:
    """Whether ``store`` was built from the graph file ``stamp`` names (its first line, the path)."""
    try:
        built = (store / STAMP).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return True  # no readable stamp: a half-built or broken store of ours, not worth keeping
    return built.partition("\n")[0] == stamp.partition("\n")[0]


def _build_cached(kg_file: Path, root: Path, path: Path, stamp: str) -> Path:
    import shutil
    import tempfile

    import pyoxigraph as ox

    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=root))  # ours, mode 0700
    try:
        engine = ox.Store(str(building / "db"))
        engine.bulk_load(path=str(kg_file), format=ox.RdfFormat.N_QUADS, lenient=True)
        engine.flush()
        del engine  # closes the database files before they move
        (building / "db" / STAMP).write_text(stamp, encoding="utf-8")
        os.chmod(building / "db", 0o700)
        # the stores of earlier versions of this same graph file, if we made them; a store of
        # another file (another checkout, the user's own --kg) may be open in another exokg
        for old in root.glob("store-*"):
            if old != path and _ours(old) and _same_file(old, stamp):
                shutil.rmtree(old, ignore_errors=True)
        if _ours(path):  # a stale or half-removed store of ours with this name
            shutil.rmtree(path, ignore_errors=True)
        try:
            os.rename(building / "db", path)
        except OSError:  # another exokg built it meanwhile: use theirs if it is good
            if not _ours(path, stamp):
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return path
