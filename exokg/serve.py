"""Serving the graph: the Oxigraph server, a SPARQL 1.1 Protocol client, and Graph Store publishing.

When the graph outgrows one process, exokg hands it to a real SPARQL server rather than growing a
home-made one: :func:`serve` loads the compiled graph into an on-disk Oxigraph store and runs the
``oxigraph`` server binary (from the PyPI ``oxigraph`` package) read-only, with a query timeout, on
loopback unless told otherwise. Its built-in YASGUI page (bundled in the binary, no CDN) runs any
query; :func:`question_links` gives one link per competency question that opens the page with that
question filled in.

The same questions run against any SPARQL 1.1 endpoint (Oxigraph, Virtuoso, QLever, GraphDB …)
through :func:`query_endpoint`, which returns pyoxigraph result objects so that results print exactly
as local ones do; :func:`publish` uploads the graphs with the SPARQL 1.1 Graph Store Protocol.

Only the standard library is imported at module level; pyoxigraph is imported where it is used.
"""

from __future__ import annotations

import math
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exokg import resources
from exokg.errors import DataError, UsageError

if TYPE_CHECKING:
    import pyoxigraph

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "oxigraph_binary",
    "prepare_store",
    "publish",
    "query_endpoint",
    "question_links",
    "running_server",
    "serve",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_STAMP = "exokg-source.txt"  # inside the store directory: which graph file the store was built from
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
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
    """Make ``store_dir`` an on-disk Oxigraph store holding ``source``, reusing it when it is current.

    A stamp file in the directory records the size and modification time of the graph file it was
    built from; a store built from another version of the graph is rebuilt, never served stale.
    """
    if not source.is_file():
        raise DataError(
            "the compiled graph does not exist", where=str(source), fix="run `exokg build` first"
        )
    stamp = _stamp_of(source)
    stamp_file = store_dir / _STAMP
    if stamp_file.is_file() and stamp_file.read_text(encoding="utf-8") == stamp:
        return store_dir
    import pyoxigraph

    if store_dir.exists():
        if any(store_dir.iterdir()) and not stamp_file.is_file():
            raise UsageError(
                "the directory is not empty and was not made by exokg",
                where=str(store_dir),
                fix="give --store an empty or new directory",
            )
        shutil.rmtree(store_dir)
    store_dir.mkdir(parents=True)
    store = pyoxigraph.Store(str(store_dir))
    try:
        store.bulk_load(path=str(source), format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
    except SyntaxError as error:
        raise DataError(f"not valid N-Quads: {error}", where=str(source)) from None
    finally:
        del store  # closes the RocksDB files so that the server can open them
    stamp_file.write_text(stamp, encoding="utf-8")
    return store_dir


def _stamp_of(source: Path) -> str:
    info = source.stat()
    return f"{source.name} {info.st_size} {info.st_mtime_ns}\n"


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise UsageError(
                f"cannot listen on {host}:{port} ({error.strerror})",
                where="exokg serve",
                fix="choose another port with --port, or stop the program that uses it",
            ) from None


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
    with tempfile.TemporaryDirectory(prefix="exokg-store-") as scratch:
        location = prepare_store(store_dir or Path(scratch) / "store", source)
        with running_server(location, host=host, port=port, timeout=timeout) as url:
            if host not in LOOPBACK:
                say(f"warning: listening on {host}: anyone who can reach this machine can query it")
            say(f"exokg: SPARQL endpoint {url}/query (read-only, {timeout:g} s timeout)")
            say(f"exokg: query page {url}/ — competency questions:")
            for name, link in question_links(url):
                say(f"  {name}: {link}")
            say("exokg: press Ctrl-C to stop")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                say("exokg: stopping the server")
    say("exokg: server stopped")


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


def query_endpoint(
    endpoint: str,
    query: str,
    *,
    bindings: Mapping[str, pyoxigraph.NamedNode | pyoxigraph.Literal] | None = None,
    timeout: float = 30.0,
) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean:
    """Run a SELECT or ASK query on a SPARQL 1.1 endpoint; return pyoxigraph's result objects.

    Values for parameters travel as a trailing ``VALUES`` block (the SPARQL 1.1 Protocol has no
    bindings), written from pyoxigraph terms in N-Triples syntax — never by formatting user text into
    the query. Results come back as W3C SPARQL JSON and are parsed by pyoxigraph, so they serialise
    to table, CSV, TSV or JSON exactly as local results do.
    """
    import pyoxigraph

    if bindings:
        query = query.rstrip() + "\n" + _values_block(bindings)
    body = urllib.parse.urlencode({"query": query}).encode("utf-8")
    headers = {"Accept": _RESULTS_JSON, "Content-Type": "application/x-www-form-urlencoded"}
    data = _request(endpoint, "POST", body, headers, timeout=timeout)
    try:
        return pyoxigraph.parse_query_results(data, pyoxigraph.QueryResultsFormat.JSON)
    except SyntaxError as error:
        raise DataError(
            f"the endpoint's answer is not SPARQL JSON results: {error}",
            where=endpoint,
            fix="check that the URL is the endpoint's query URL (for Oxigraph: …/query)",
        ) from None


def _values_block(bindings: Mapping[str, Any]) -> str:
    names = list(bindings)
    for name in names:
        if not _VARIABLE.fullmatch(name):
            raise UsageError(f"{name!r} is not a SPARQL variable name", where="bindings")
    terms = " ".join(str(bindings[name]) for name in names)
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}\n"


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
