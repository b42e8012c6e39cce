"""Untrusted SPARQL: nothing is changed, nothing is fetched, nothing runs unbounded (issue 9).

Each guarantee is checked through the real CLI on a real store: an update is refused and the on-disk
store keeps every quad; SERVICE and foreign FROM never reach a listening loopback socket; a runaway
query is stopped by --timeout.
"""

from __future__ import annotations

import http.server
import json
import select
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from exokg.core.errors import UsageError
from exokg.query.store import check_query
from tests import FIXTURES
from tests.conftest import ExokgRunner

MINI_KG = FIXTURES / "questions" / "mini-kg.nq"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

UPDATES = {
    "INSERT": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE": "DELETE WHERE { ?s ?p ?o }",
    "LOAD": "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR": "CLEAR ALL",
    "DROP": "DROP GRAPH <https://w3id.org/exokg/graph/statements>",
    "CREATE": "CREATE GRAPH <urn:new>",
    "ADD": "ADD <https://w3id.org/exokg/graph/imports> TO DEFAULT",
    "MOVE": "MOVE <https://w3id.org/exokg/graph/imports> TO <urn:elsewhere>",
    "COPY": "COPY DEFAULT TO <urn:elsewhere>",
}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("safety") / "store"


def _count(exokg: ExokgRunner, store_dir: Path) -> str:
    result = exokg(
        "query", "--sparql", COUNT, "--kg", MINI_KG, "--store", store_dir, "--format", "csv"
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_store_that_is_a_dangling_link_is_refused_and_nothing_created(
    exokg: ExokgRunner, tmp_path: Path
) -> None:
    """The link was followed and its target created (a link to /nonexistent made /nonexistent)."""
    target = tmp_path / "elsewhere" / "store"
    link = tmp_path / "store"
    link.symlink_to(target)
    result = exokg("query", "--sparql", COUNT, "--kg", MINI_KG, "--store", link)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"a link to {target}, which does not exist" in result.stderr
    assert not (tmp_path / "elsewhere").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["store"]


TRIPLE_TERMS = [
    "SELECT * {} VALUES ?x {<<( <a:b> <a:c> <a:d> )>>}",
    "SELECT (<<( <a:b> <a:c> <a:d> )>> AS ?x) {}",
]


@pytest.mark.parametrize("sparql", TRIPLE_TERMS, ids=["values", "select"])
def test_a_triple_term_in_a_result_is_one_line_and_a_usage_error(
    exokg: ExokgRunner, store_dir: Path, sparql: str
) -> None:
    """pyoxigraph printed a second line ("RuntimeError: … unsendable") when the error's traceback,
    holding the query's results, was dropped on another thread; and the exit was 1, not 2."""
    result = exokg("query", "--sparql", sparql, "--kg", MINI_KG, "--store", store_dir)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "unsupported term in a result: <a:b> <a:c> <a:d>" in result.stderr


def test_an_error_is_told_in_one_line_whatever_the_message_holds() -> None:
    """A library's message with more lines (detail, a traceback's last line) is cut to its first."""
    error = UsageError("\nbad query\n  at line 2\nRuntimeError: x", where="--sparql", fix="fix\nit")
    assert error.line() == "--sparql: bad query — fix"


@pytest.mark.parametrize("keyword", sorted(UPDATES))
def test_updates_are_refused_and_the_graph_is_unchanged(
    exokg: ExokgRunner, store_dir: Path, keyword: str
) -> None:
    before = _count(exokg, store_dir)
    result = exokg("query", "--sparql", UPDATES[keyword], "--kg", MINI_KG, "--store", store_dir)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert f"SPARQL Update ({keyword}) is not allowed" in result.stderr
    assert _count(exokg, store_dir) == before


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A loopback socket that a refused query must never reach."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(5)
        yield server


def _nothing_arrived(server: socket.socket) -> bool:
    readable, _, _ = select.select([server], [], [], 0.5)
    return not readable


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "PREFIX far: <http://127.0.0.1:{port}/>\nSELECT * WHERE {{ service far:sparql {{ ?s ?p ?o }} }}",
        "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ],
    ids=["service", "service-silent", "service-prefixed", "from", "from-named"],
)
def test_nothing_is_fetched(
    exokg: ExokgRunner, listener: socket.socket, template: str, backend: str
) -> None:
    query = template.format(port=listener.getsockname()[1])
    result = exokg("query", "--sparql", query, "--kg", MINI_KG, "--backend", backend)
    assert result.returncode == 2
    assert "is not allowed" in result.stderr and result.stderr.count("\n") == 1
    assert _nothing_arrived(listener)


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_files_are_not_read_through_from(exokg: ExokgRunner, backend: str) -> None:
    query = "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"
    result = exokg("query", "--sparql", query, "--kg", MINI_KG, "--backend", backend)
    assert result.returncode == 2
    assert "FROM <file:///etc/passwd> is not allowed" in result.stderr


def test_from_one_of_exokgs_graphs_is_allowed(exokg: ExokgRunner) -> None:
    query = (
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/exokg/graph/statements> "
        "WHERE { ?s a rdf:Statement }"
    )
    result = exokg("query", "--sparql", query, "--kg", MINI_KG, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] != "0"


def test_keywords_in_strings_comments_and_names_are_harmless() -> None:
    check_query(
        "PREFIX ex: <urn:ex:> "
        'SELECT ("DROP ALL" AS ?x) ?load WHERE { ?load <urn:copy> ex:add } # INSERT DATA'
    )


class _Endpoint(http.server.BaseHTTPRequestHandler):
    """A minimal SPARQL endpoint on loopback that answers every query with one binding."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps(
            {
                "head": {"vars": ["s"]},
                "results": {"bindings": [{"s": {"type": "uri", "value": "urn:far"}}]},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args: object) -> None:
        pass


def test_federation_only_with_the_endpoint_named(exokg: ExokgRunner) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        query = f"SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
        other = exokg("query", "--sparql", query, "--kg", MINI_KG, "--allow-service", url + "2")
        assert other.returncode == 2
        allowed = exokg(
            "query", "--sparql", query, "--kg", MINI_KG, "--allow-service", url, "--format", "csv"
        )
        assert allowed.returncode == 0, allowed.stderr
        assert "urn:far" in allowed.stdout
    finally:
        server.shutdown()


def _closed_port() -> int:
    with socket.socket() as sock:  # a port just given up: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("port", [9, None], ids=["port-9", "nothing-listens"])
def test_an_allowed_service_that_cannot_be_reached_is_one_line(
    exokg: ExokgRunner, backend: str, port: int | None
) -> None:
    """The user's endpoint is down or refused by the engine: a usage error naming it, not a crash."""
    url = f"http://127.0.0.1:{port or _closed_port()}/sparql"
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    result = exokg(
        "query", "--sparql", query, "--kg", MINI_KG, "--backend", backend, "--allow-service", url
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(
        f"exokg: error: --sparql: SERVICE <{url}> could not be queried ("
    )
    assert "--allow-service" in result.stderr and result.stderr.count("\n") == 1


def test_a_runaway_query_is_stopped(exokg: ExokgRunner) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    result = exokg("query", "--sparql", runaway, "--kg", MINI_KG, "--timeout", "1", timeout=120)
    assert result.returncode == 2
    assert "the query was stopped after 1 s" in result.stderr
    assert result.stderr.count("\n") == 1
