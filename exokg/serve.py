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
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exokg import resources
from exokg.errors import DataError, UsageError
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
_RESULTS_JSON = "application/sparql-results+json"
_STARTUP_SECONDS = 30.0


# --- the oxigraph server --------------------------------------------------------------------------


def oxigraph_binary() -> Path:
    """The ``oxigraph`` executable installed with the PyPI ``oxigraph`` package.

    pip puts it beside the Python interpreter (``bin/`` or ``Scripts/``) of the environment exokg runs
    in; a system-wide one on ``PATH`` is the fallback.
    """
    here = Path(sys.executable).parent
    for candidate in (here / "oxigraph", here / "oxigraph.exe"):
        if candidate.is_file():
            return candidate
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise UsageError(
        "the oxigraph server binary is not installed",
        where="exokg serve",
        fix="pip install oxigraph (it comes with exokg's dependencies)",
    )


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


def _cannot_listen(host: str, port: int, error: OSError) -> UsageError:
    return UsageError(
        f"cannot listen on {host}:{port} ({error.strerror})",
        where="exokg serve",
        fix="choose another port with --port, or stop the program that uses it",
    )


def _base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _wait_until_ready(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + _STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DataError(
                f"the oxigraph server stopped at start (exit code {process.returncode})",
                where="exokg serve",
                fix="read its message above",
            )
        try:
            with urllib.request.urlopen(url + "/", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise DataError(
        f"the oxigraph server did not answer within {_STARTUP_SECONDS:.0f} s", where=url
    )


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


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    store_dir: Path | None = None,
    timeout: float = 30.0,
    source: Path = resources.KG_FILE,
    say: Callable[[str], None] = print,
) -> None:
    """Serve the graph read-only until interrupted (Ctrl-C stops the server and returns normally).

    Without ``store_dir`` the store lives in a temporary directory removed on exit; with it, the
    store is built once and reused while the graph file is unchanged.
    """
    from exokg.guard import guarded_server

    # SIGTERM (from a service manager or `kill`) stops the server as Ctrl-C does, rather than killing
    # exokg and leaving the oxigraph process behind. Both are caught around the whole run, so an
    # interrupt while the store is being prepared or the server starts also ends cleanly.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with tempfile.TemporaryDirectory(prefix="exokg-store-") as scratch:
            location = prepare_store(store_dir or Path(scratch) / "store", source)
            with guarded_server(location, host=host, port=port, timeout=timeout, say=say) as url:
                if host not in LOOPBACK:
                    say(
                        f"warning: listening on {host}: anyone who can reach this machine can query it"
                    )
                say(f"exokg: SPARQL endpoint {url}/query (read-only, {timeout:g} s timeout)")
                say(f"exokg: query page {url}/ — competency questions:")
                for name, link in question_links(url):
                    say(f"  {name}: {link}")
                say("exokg: press Ctrl-C to stop")
                while True:
                    time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
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

    def __init__(self, url: str, *, allow_service: Collection[str] = ()) -> None:
        _check_url(url)
        self.url = url
        self.allow_service = frozenset(allow_service)

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
        from exokg.store import GRAPHS, check_query

        check_query(
            sparql,
            prefixes=prefixes,
            allow_service=self.allow_service,
            allow_from=GRAPHS,
            where=where,
        )
        declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items())
        text = declared + (bind_values(sparql, bindings) if bindings else sparql)
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        headers = {"Accept": _RESULTS_JSON, "Content-Type": "application/x-www-form-urlencoded"}
        answer = _request(self.url, "POST", body, headers, timeout=timeout)
        return _solutions(answer, limit, self.url)


def _solutions(answer: bytes, limit: int | None, url: str) -> Solutions:
    """W3C SPARQL 1.1 Query Results JSON → :class:`~exokg.store.Solutions`."""
    from exokg.store import Solutions

    try:
        document = json.loads(answer)
        if "boolean" in document:
            return Solutions([], boolean=bool(document["boolean"]))
        variables = list(document["head"]["vars"])
        rows = [
            tuple(_term(b[v]) if v in b else None for v in variables)
            for b in document["results"]["bindings"]
        ]
    except (ValueError, KeyError, TypeError) as error:
        raise DataError(
            f"the answer is not SPARQL JSON results ({type(error).__name__}: {error})",
            where=url,
            fix="give the endpoint's query URL (for Oxigraph: http://host:port/query)",
        ) from None
    truncated = limit is not None and len(rows) > limit
    return Solutions(variables, rows[:limit] if truncated else rows, truncated=truncated)


def _term(value: Mapping[str, str]) -> Term:
    from exokg.store import Term

    kind = value["type"]
    if kind in ("literal", "typed-literal"):  # "typed-literal": Virtuoso's pre-standard spelling
        return Term.literal(value["value"], value.get("datatype"), value.get("xml:lang"))
    if kind == "uri":
        return Term.iri(value["value"])
    if kind == "bnode":
        return Term("bnode", value["value"])
    raise ValueError(f"unknown term type {kind!r}")


def _check_url(endpoint: str) -> None:
    parsed = urllib.parse.urlsplit(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise UsageError(
            f"{endpoint!r} is not an http(s) URL",
            where="--endpoint",
            fix="give the endpoint's full URL, e.g. http://127.0.0.1:7878/query",
        )


def _request(
    url: str, method: str, body: bytes | None, headers: Mapping[str, str], *, timeout: float
) -> bytes:
    """One HTTP exchange; every failure becomes one line that names the endpoint."""
    _check_url(url)
    request = urllib.request.Request(url, data=body, headers=dict(headers), method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read()
            return data
    except urllib.error.HTTPError as error:
        detail = error.read(500).decode("utf-8", "replace").strip().splitlines()
        message = detail[0] if detail else error.reason
        kind = UsageError if 400 <= error.code < 500 else DataError
        raise kind(f"HTTP {error.code}: {message}", where=url) from None
    except TimeoutError:
        raise DataError(
            f"no answer within {timeout:g} s",
            where=url,
            fix="raise --timeout or simplify the query",
        ) from None
    except urllib.error.URLError as error:
        raise UsageError(
            f"cannot reach the endpoint ({error.reason})",
            where=url,
            fix="check the URL and that the server is running",
        ) from None


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
