"""Any SPARQL 1.1 endpoint as an executor of exokg's questions, and Graph Store publishing.

The same questions run against any SPARQL 1.1 endpoint (Oxigraph, Virtuoso, QLever, GraphDB …)
through :class:`Endpoint`, which answers with the same result objects as the local store so that
results print exactly alike; :func:`publish` uploads the graphs with the SPARQL 1.1 Graph Store
Protocol. Requests go through :mod:`exokg.query.http`, which bounds their time and size.

Only the standard library is imported at module level; pyoxigraph is imported where it is used.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exokg.core import resources
from exokg.core.errors import DataError, UsageError
from exokg.query.engine import bind_values  # where the VALUES block goes, shared

if TYPE_CHECKING:
    from exokg.query.store import Solutions, Term

__all__ = ["Endpoint", "publish"]

_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RESULTS_JSON = "application/sparql-results+json"


# --- SPARQL 1.1 Protocol client -------------------------------------------------------------------


class Endpoint:
    """A SPARQL 1.1 endpoint that answers exokg's questions like the local store does.

    It implements :class:`exokg.query.store.Executor`, so ``resolve.ask(name, executor=Endpoint(url))``
    runs a competency question on Oxigraph, Virtuoso, QLever, GraphDB or any other server. The query
    passes the same safety check as a local one before it leaves the machine. Values for parameters
    travel as a ``VALUES`` block (the Protocol has no bindings) placed by :func:`bind_values` at the
    start of the ``WHERE`` group, so engines use them from the first join; each term is written in
    N-Triples syntax from a :class:`~exokg.query.store.Term` — user text is never pasted into the query.
    Answers come back as W3C SPARQL JSON results and become the same :class:`~exokg.query.store.Solutions`.
    """

    def __init__(
        self, url: str, *, allow_service: Collection[str] = (), max_bytes: int | None = None
    ) -> None:
        from exokg.query.http import DEFAULT_MAX_BYTES

        _check_url(url)
        self.url = url
        self.allow_service = frozenset(allow_service)
        self.max_bytes = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes

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
        from exokg.query.sparql_check import GRAPHS, check_query, expand_escapes

        check = {"allow_service": self.allow_service, "allow_from": GRAPHS, "where": where}
        check_query(sparql, prefixes=prefixes, **check)  # type: ignore[arg-type]
        sparql = expand_escapes(sparql, where)  # the same query, in the form the VALUES scan reads
        declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items())
        text = declared + (bind_values(sparql, bindings) if bindings else sparql)
        check_query(text, prefixes={}, **check)  # type: ignore[arg-type]  # exactly what is sent
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        headers = {"Accept": _RESULTS_ACCEPT, "Content-Type": "application/x-www-form-urlencoded"}
        content_type, answer = _exchange(
            self.url, "POST", body, headers, timeout=timeout, max_bytes=self.max_bytes
        )
        return _solutions(answer, limit, self.url, content_type)


def _solutions(answer: bytes, limit: int | None, url: str, content_type: str = "") -> Solutions:
    """W3C SPARQL 1.1 Query Results (JSON, or XML) → :class:`~exokg.query.store.Solutions`, shape checked.

    Every part of the document is checked against the W3C shape before it is used: ``vars`` a list
    of variable names, each binding an object of terms with a known ``type`` and a string ``value``,
    ``boolean`` a boolean. A document nested past what a results document can be is refused.
    """
    from exokg.query.store import Solutions

    try:
        if "xml" in content_type.split(";")[0]:
            variables, rows, boolean = _xml_results(answer)
        else:
            variables, rows, boolean = _json_results(answer)
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise DataError(
            f"the answer is not SPARQL results ({type(error).__name__}: {str(error)[:200]})",
            where=url,
            fix="give the endpoint's query URL (for Oxigraph: http://host:port/query)",
        ) from None
    if boolean is not None:
        return Solutions([], boolean=boolean)
    truncated = limit is not None and len(rows) > limit
    return Solutions(variables, rows[:limit] if truncated else rows, truncated=truncated)


Rows = list[tuple["Term | None", ...]]


def _json_results(answer: bytes) -> tuple[list[str], Rows, bool | None]:
    document = json.loads(answer)  # too deep a document: RecursionError, caught by the caller
    if not isinstance(document, dict):
        raise TypeError("the document is not a JSON object")
    if "boolean" in document:
        if not isinstance(document["boolean"], bool):
            raise TypeError('"boolean" is not true or false')
        return [], [], document["boolean"]
    variables = document["head"]["vars"]
    if not isinstance(variables, list) or not all(
        isinstance(v, str) and _VARIABLE.fullmatch(v) for v in variables
    ):
        raise TypeError('"head"/"vars" is not a list of variable names')
    bindings = document["results"]["bindings"]
    if not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings):
        raise TypeError('"results"/"bindings" is not a list of objects')
    rows = [tuple(_term(b[v]) if v in b else None for v in variables) for b in bindings]
    return variables, rows, None


def _xml_results(answer: bytes) -> tuple[list[str], Rows, bool | None]:
    import xml.etree.ElementTree as ET

    if b"<!DOCTYPE" in answer or b"<!ENTITY" in answer:
        raise ValueError("an XML document type or entity (refused: it can expand without bound)")
    ns = "{http://www.w3.org/2005/sparql-results#}"
    root = ET.fromstring(answer)
    if root.tag != f"{ns}sparql":
        raise ValueError("the root element is not <sparql>")
    boolean = root.find(f"{ns}boolean")
    if boolean is not None:
        if boolean.text not in ("true", "false"):
            raise ValueError("<boolean> is not true or false")
        return [], [], boolean.text == "true"
    variables = [v.get("name", "") for v in root.iterfind(f"{ns}head/{ns}variable")]
    if not all(_VARIABLE.fullmatch(v) for v in variables):
        raise ValueError("a <variable> without a valid name")
    rows: Rows = []
    for result in root.iterfind(f"{ns}results/{ns}result"):
        found: dict[str, Term] = {}
        for binding in result.iterfind(f"{ns}binding"):
            name, term = binding.get("name", ""), list(binding)
            if len(term) != 1:
                raise ValueError("a <binding> without exactly one term")
            kind, text = term[0].tag.removeprefix(ns), term[0].text or ""
            lang = term[0].get("{http://www.w3.org/XML/1998/namespace}lang")
            value = {"type": kind, "value": text}
            if kind == "literal" and lang:
                value["xml:lang"] = lang
            elif kind == "literal" and term[0].get("datatype"):
                value["datatype"] = term[0].get("datatype", "")
            found[name] = _term(value)
        rows.append(tuple(found.get(v) for v in variables))
    return variables, rows, None


def _term(value: object) -> Term:
    from exokg.query.store import Term

    if not isinstance(value, dict):
        raise TypeError("a binding is not an object")
    kind, text = value.get("type"), value.get("value")
    lang, datatype = value.get("xml:lang"), value.get("datatype")
    if not isinstance(text, str) or not all(
        x is None or isinstance(x, str) for x in (lang, datatype)
    ):
        raise TypeError('a term\'s "value", "xml:lang" or "datatype" is not a string')
    if kind in ("literal", "typed-literal"):  # "typed-literal": Virtuoso's pre-standard spelling
        return Term.literal(text, datatype, lang)
    if kind == "uri":
        return Term.iri(text)
    if kind == "bnode":
        return Term("bnode", text)
    raise ValueError(f"unknown term type {kind!r}")


def _check_url(endpoint: str) -> None:
    parsed = urllib.parse.urlsplit(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise UsageError(
            f"{endpoint!r} is not an http(s) URL",
            where="--endpoint",
            fix="give the endpoint's full URL, e.g. http://127.0.0.1:7878/query",
        )


def _exchange(
    url: str,
    method: str,
    body: bytes | None,
    headers: Mapping[str, str],
    *,
    timeout: float,
    max_bytes: int | None = None,
) -> tuple[str, bytes]:
    """One bounded HTTP exchange (see :mod:`exokg.query.http`); every failure is one line."""
    from exokg.query.http import DEFAULT_MAX_BYTES, exchange

    _check_url(url)
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    return exchange(url, method, body, headers, timeout=timeout, max_bytes=limit)


def _request(
    url: str, method: str, body: bytes | None, headers: Mapping[str, str], *, timeout: float
) -> bytes:
    return _exchange(url, method, body, headers, timeout=timeout)[1]


# --- SPARQL 1.1 Graph Store Protocol --------------------------------------------------------------


def publish(
    endpoint: str,
    *,
    graph: str | None = None,
    source: Path = resources.KG_FILE,
    timeout: float = 300.0,
) -> dict[str, int]:
    """Upload the graphs of ``source`` (N-Quads) to a Graph Store Protocol endpoint; return sizes.

    Each named graph replaces the graph of the same IRI on the server (HTTP PUT), so publishing
    twice leaves one copy. With ``graph``, all of them are merged into that one graph instead.
    ``endpoint`` is the store's Graph Store URL (for Oxigraph: ``http://host:port/store``).
    """
    import pyoxigraph

    _check_url(endpoint)
    if graph is not None:
        try:
            pyoxigraph.NamedNode(graph)
        except ValueError:
            raise UsageError(f"{graph!r} is not an absolute IRI", where="--graph") from None
    if not source.is_file():
        raise DataError("the graph file does not exist", where=str(source), fix="run `exokg build`")
    by_graph: dict[str, list[pyoxigraph.Triple]] = {}
    try:
        for quad in pyoxigraph.parse(path=str(source), format=pyoxigraph.RdfFormat.N_QUADS):
            name = graph or _graph_iri(quad.graph_name, source)
            by_graph.setdefault(name, []).append(quad.triple)
    except SyntaxError as error:
        raise DataError(f"not valid N-Quads: {error}", where=str(source)) from None
    sizes = {}
    for name, triples in sorted(by_graph.items()):
        body = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
        target = (
            f"{endpoint}{'&' if '?' in endpoint else '?'}{urllib.parse.urlencode({'graph': name})}"
        )
        headers = {"Content-Type": "application/n-triples"}
        _request(target, "PUT", body, headers, timeout=timeout)
        sizes[name] = len(triples)
    return sizes


def _graph_iri(graph_name: Any, source: Path) -> str:
    import pyoxigraph

    if not isinstance(graph_name, pyoxigraph.NamedNode):
        raise DataError(
            "a quad outside a named graph",
            where=str(source),
            fix="publish with --graph IRI to put every triple into one graph",
        )
    return graph_name.value
