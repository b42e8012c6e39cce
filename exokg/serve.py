"""Serving the graph: the Oxigraph server, a SPARQL 1.1 Protocol client, and Graph Store publishing.

When the graph outgrows one process, exokg hands it to a real SPARQL server rather than growing a
home-made one: :func:`serve` loads the compiled graph into an on-disk Oxigraph store and runs the
``oxigraph`` server binary (from the PyPI ``oxigraph`` package) read-only, behind the guard of
:mod:`exokg.guard` (the query checks and timeout of ``exokg query``), on loopback unless told
otherwise. Its built-in YASGUI page (bundled in the binary, no CDN) runs any
query; :func:`question_links` gives one link per competency question that opens the page with that
question filled in.

The same questions run against any SPARQL 1.1 endpoint (Oxigraph, Virtuoso, QLever, GraphDB …)
through :class:`Endpoint`, which answers with the same result objects as the local store so that
results print exactly alike; :func:`publish` uploads the graphs with the SPARQL 1.1 Graph Store Protocol.

Only the standard library is imported at module level; pyoxigraph is imported where it is used.
"""

from __future__ import annotations

import json
import math
import re
import signal
import socket
import subprocess
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exokg import resources
from exokg.errors import DataError, UsageError
from exokg.oxigraph_process import base_url as _base_url
from exokg.oxigraph_process import cannot_listen as _cannot_listen
from exokg.oxigraph_process import oxigraph_binary
from exokg.oxigraph_process import stop as _stop
from exokg.oxigraph_process import wait_until_ready as _wait_until_ready
from exokg.store import bind_values, where_group_start  # where the VALUES block goes, shared

if TYPE_CHECKING:
    from exokg.store import Solutions, Term

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "Endpoint",
    "bind_values",
    "oxigraph_binary",
    "prepare_store",
    "publish",
    "question_links",
    "running_server",
    "serve",
    "where_group_start",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RESULTS_JSON = "application/sparql-results+json"
_STARTUP_SECONDS = 30.0


# --- the oxigraph server --------------------------------------------------------------------------


def prepare_store(store_dir: Path, source: Path = resources.KG_FILE) -> Path:
    """Make ``store_dir`` an on-disk Oxigraph store of ``source``, reused while the graph is unchanged.

    The same store ``exokg ask --store DIR`` uses: built once, then reopened without parsing.
    """
    from exokg.store import prepare_store_dir

    return prepare_store_dir(store_dir, source)


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind((host, port))
        except OSError as error:
            raise _cannot_listen(host, port, error) from None


@contextmanager
def running_server(
    store_dir: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = 30.0,
    read_only: bool = True,
) -> Iterator[str]:
    """Run ``oxigraph serve-read-only`` (or ``serve``) on ``store_dir``; yield its base URL.

    Queries see the union of the named graphs, as they do in exokg itself. The server is stopped
    when the block ends, however it ends.
    """
    _check_port_free(host, port)
    command = [
        str(oxigraph_binary()),
        "serve-read-only" if read_only else "serve",
        "--location",
        str(store_dir),
        "--bind",
        f"{host}:{port}",
        "--union-default-graph",
        "--timeout-s",
        str(max(1, math.ceil(timeout))),  # oxigraph takes whole seconds
    ]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        url = _base_url(host, port)
        _wait_until_ready(process, url)
        yield url
    finally:
        _stop(process)


def serve(
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    store_dir: Path | None = None,
    timeout: float = 30.0,
    source: Path = resources.KG_FILE,
    say: Callable[[str], None] = print,
    cache_bytes: int | None = None,
) -> None:
    """Serve the graph read-only until interrupted (Ctrl-C stops the server and returns normally).

    Without ``store_dir`` the store lives in a temporary directory removed on exit; with it, the
    store is built once and reused while the graph file is unchanged. Up to ``cache_bytes`` of
    answers are kept for asking again (default :data:`exokg.guard.CACHE_BYTES`, 0 for none).
    """
    from exokg.guard import CACHE_BYTES, guarded_server

    if cache_bytes is None:
        cache_bytes = CACHE_BYTES

    # SIGTERM (from a service manager or `kill`) stops the server as Ctrl-C does, rather than killing
    # exokg and leaving the oxigraph process behind. Both are caught around the whole run, so an
    # interrupt while the store is being prepared or the server starts also ends cleanly. SIGINT is
    # set too: a shell starts a background job (`exokg serve &` in a script) with SIGINT ignored, and
    # Python keeps it ignored, so `kill -INT` would otherwise do nothing at all. SIGHUP (the terminal
    # closed) too, since oxigraph runs in a session of its own and would not get it; unless it is
    # ignored, as `nohup exokg serve` asks.
    stops = [signal.SIGTERM, signal.SIGINT]
    hangup = getattr(signal, "SIGHUP", None)
    if hangup is not None and signal.getsignal(hangup) is not signal.SIG_IGN:
        stops.append(hangup)
    previous = {number: signal.signal(number, _interrupt) for number in stops}
    try:
        with tempfile.TemporaryDirectory(prefix="exokg-store-") as scratch:
            location = prepare_store(store_dir or Path(scratch) / "store", source)
            gave_up = threading.Event()
            with guarded_server(
                location,
                host=host,
                port=port,
                timeout=timeout,
                say=say,
                gave_up=gave_up,
                cache_bytes=cache_bytes,
            ) as url:
                if host not in LOOPBACK:
                    say(
                        f"warning: listening on {host}: anyone who can reach this machine can query it"
                    )
                kept = (
                    f"answers kept: {cache_bytes >> 20} MiB" if cache_bytes else "no answers kept"
                )
                say(
                    f"exokg: SPARQL endpoint {url}/query (read-only, {timeout:g} s timeout, {kept})"
                )
                say(f"exokg: query page {url}/ — competency questions:")
                for name, link in question_links(url):
                    say(f"  {name}: {link}")
                say("exokg: press Ctrl-C to stop")
                while not gave_up.wait(1.0):
                    pass
                raise DataError(
                    "the oxigraph query server keeps exiting; exokg serve stops",
                    where="exokg serve",
                    fix="run `oxigraph serve-read-only --location STORE` to see its message, or"
                    " rebuild the store with --store NEW-FOLDER",
                )
    except KeyboardInterrupt:
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    say("exokg: server stopped")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def question_links(base_url: str) -> list[tuple[str, str]]:
    """One link per competency question: the server's query page with that question filled in.

    YASGUI (the page the oxigraph server ships) reads ``query``, ``tabTitle`` and ``endpoint`` from
    the URL; the endpoint must be explicit because the page derives its default from its own URL.
    """
    links = []
    for path in sorted(resources.QUERIES_DIR.glob("*.rq")):
        query = path.read_text(encoding="utf-8")
        params = {"query": query, "tabTitle": path.stem, "endpoint": f"{base_url}/query"}
        links.append((path.stem, f"{base_url}/?{urllib.parse.urlencode(params)}"))
    return links


# --- SPARQL 1.1 Protocol client -------------------------------------------------------------------


class Endpoint:
    """A SPARQL 1.1 endpoint that answers exokg's questions like the local store does.

    It implements :class:`exokg.store.Executor`, so ``questions.ask(name, executor=Endpoint(url))``
    runs a competency question on Oxigraph, Virtuoso, QLever, GraphDB or any other server. The query
    passes the same safety check as a local one before it leaves the machine. Values for parameters
    travel as a ``VALUES`` block (the Protocol has no bindings) placed by :func:`bind_values` at the
    start of the ``WHERE`` group, so engines use them from the first join; each term is written in
    N-Triples syntax from a :class:`~exokg.store.Term` — user text is never pasted into the query.
    Answers come back as W3C SPARQL JSON results and become the same :class:`~exokg.store.Solutions`.
    """

    def __init__(
        self, url: str, *, allow_service: Collection[str] = (), max_bytes: int | None = None
    ) -> None:
        from exokg.httpclient import DEFAULT_MAX_BYTES

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
        from exokg.sparql_check import GRAPHS, check_query, expand_escapes

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
    """W3C SPARQL 1.1 Query Results (JSON, or XML) → :class:`~exokg.store.Solutions`, shape checked.

    Every part of the document is checked against the W3C shape before it is used: ``vars`` a list
    of variable names, each binding an object of terms with a known ``type`` and a string ``value``,
    ``boolean`` a boolean. A document nested past what a results document can be is refused.
    """
    from exokg.store import Solutions

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
    from exokg.store import Term

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
    """One bounded HTTP exchange (see :mod:`exokg.httpclient`); every failure is one line."""
    from exokg.httpclient import DEFAULT_MAX_BYTES, exchange

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
