"""Serving against real Oxigraph servers: the endpoint client, publishing, read-only, Ctrl-C.

Every server a test starts runs on a free loopback port and is stopped by the test, however it ends
(``running_server`` and the fixtures below stop it in ``finally``).
"""

from __future__ import annotations

import functools
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest

from exokg.core import resources
from exokg.core.errors import UsageError
from exokg.query.endpoint import Endpoint
from exokg.query.store import Term, bind_values, open_store, where_group_start
from exokg.server.guard import guarded_server
from exokg.server.serve import prepare_store, running_server
from tests import FIXTURES
from tests.conftest import ExokgRunner

server = pytest.mark.server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def quads_of(path: Path) -> set[pyoxigraph.Quad]:
    return set(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS))


@pytest.fixture(scope="session")
def built_kg() -> Path:
    """The compiled graph, built once if this checkout has not built it yet."""
    if not resources.KG_FILE.is_file():
        result = subprocess.run(
            [sys.executable, "-m", "exokg", "build"], capture_output=True, text=True, timeout=900
        )
        if result.returncode != 0:
            pytest.fail(f"`exokg build` failed, cannot test serving: {result.stderr}")
    return resources.KG_FILE


@pytest.fixture(scope="module")
def endpoint(built_kg: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Read-only oxigraph behind exokg's guard, as ``exokg serve`` runs it; yields its query URL."""
    store = prepare_store(tmp_path_factory.mktemp("served") / "store", built_kg)
    with guarded_server(store, host="127.0.0.1", port=free_port(), timeout=10, say=print) as url:
        yield url + "/query"


# --- the competency suite through --endpoint ------------------------------------------------------


def question_names() -> list[str]:
    return sorted(path.stem for path in resources.QUERIES_DIR.glob("*.rq"))


# questions with a required parameter, and the value the tests ask them with
PARAMS: dict[str, dict[str, str]] = {"evidence-for": {"term": "EXOKG:0000028"}}


@server
@pytest.mark.parametrize("name", question_names())
def test_question_gives_the_same_answer_through_an_endpoint(name: str, endpoint: str) -> None:
    from exokg.text.resolve import ask

    local = ask(name, PARAMS.get(name), executor=open_store())
    remote = ask(name, PARAMS.get(name), executor=Endpoint(endpoint))
    assert remote.variables == local.variables
    # every question orders by all its columns, so the order is the same too
    assert remote.rows == local.rows


@server
def test_the_cli_asks_an_endpoint(endpoint: str, exokg: ExokgRunner) -> None:
    name = "exosomes-promoting-tumour-progression"
    local = exokg("ask", name, "--format", "json")
    remote = exokg("ask", name, "--format", "json", "--endpoint", endpoint)
    assert local.returncode == 0, local.stderr
    assert remote.returncode == 0, remote.stderr
    remote_json, local_json = json.loads(remote.stdout), json.loads(local.stdout)
    assert remote_json["head"] == local_json["head"]
    rows = [sorted(map(json.dumps, d["results"]["bindings"])) for d in (remote_json, local_json)]
    assert rows[0] == rows[1]


def test_there_are_competency_questions_to_compare() -> None:
    assert len(question_names()) >= 5


# --- the client -------------------------------------------------------------------------------------

LABEL_OF = "SELECT ?label WHERE { ?term <http://www.w3.org/2000/01/rdf-schema#label> ?label }"


@server
def test_bindings_travel_as_values_and_cannot_inject(endpoint: str) -> None:
    client = Endpoint(endpoint)
    hostile = Term.literal('x" } } ; DROP ALL ; SELECT * { "')
    assert client.select(LABEL_OF, {"label": hostile}).rows == []
    vesicle = Term.iri("https://w3id.org/exokg/EXOKG_0000004")
    rows = client.select(LABEL_OF, {"term": vesicle}).rows
    assert [row[0].value for row in rows if row[0]] == ["small extracellular vesicle"]
    with pytest.raises(UsageError, match="not a valid RDF term"):
        client.select(LABEL_OF, {"term": Term.iri("https://x> } DROP ALL {")})


@pytest.mark.parametrize(
    ("query", "group_opens_after"),
    [
        ("SELECT ?l { ?t ?p ?l }", "SELECT ?l {"),
        ("ASK WHERE { ?s ?p ?o }", "ASK WHERE {"),
        ('# WHERE {\nSELECT ?x WHERE { ?x ?p "WHERE { }" }', "SELECT ?x WHERE {"),
        ("SELECT (EXISTS { ?a ?b ?c } AS ?e) WHERE { ?a ?b ?c }", "AS ?e) WHERE {"),
        ("SELECT * FROM <http://g/> WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", "> WHERE {"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "} WHERE {"),
    ],
)
def test_values_go_first_in_the_where_group(query: str, group_opens_after: str) -> None:
    at = where_group_start(query)
    assert at is not None and query[:at].endswith(group_opens_after)


def test_values_are_appended_where_there_is_no_where_group() -> None:
    assert where_group_start("CONSTRUCT { ?s ?p ?o }") is None
    text = bind_values("CONSTRUCT { ?s ?p ?o }", {"s": Term.iri("https://w3id.org/exokg/x")})
    assert text.endswith("VALUES (?s) { (<https://w3id.org/exokg/x>) }\n")


@pytest.mark.parametrize("name", question_names())
def test_every_question_takes_its_values_first(name: str) -> None:
    from exokg.query.questions import get_question

    question = get_question(name)
    bindings = {p.name: Term.iri("https://w3id.org/exokg/x") for p in question.parameters}
    text = bind_values(question.sparql, bindings)
    pyoxigraph.Store().query(text)  # still valid SPARQL
    if bindings:
        body = text.split("WHERE {", 1)[1].lstrip()
        assert body.startswith("VALUES ("), "the parameters must be the group's first element"


@server
def test_the_client_refuses_what_the_local_store_refuses(endpoint: str) -> None:
    client = Endpoint(endpoint)
    for query in ("DROP ALL", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"):
        with pytest.raises(UsageError, match="not allowed"):
            client.select(query)


@server
def test_limit_cuts_rows_and_says_so(endpoint: str) -> None:
    answer = Endpoint(endpoint).select("SELECT ?s WHERE { ?s ?p ?o }", limit=3)
    assert len(answer.rows) == 3
    assert answer.truncated


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/", "localhost:7878"])
def test_only_http_endpoints_are_asked(url: str) -> None:
    with pytest.raises(UsageError, match="not an http"):
        Endpoint(url)


def test_an_unreachable_endpoint_is_one_clear_error() -> None:
    client = Endpoint(f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(UsageError, match="cannot reach the endpoint"):
        client.select("ASK {}", timeout=5)


# --- publishing with the Graph Store Protocol -------------------------------------------------------


@server
def test_publish_then_read_every_graph_back(
    built_kg: Path, tmp_path: Path, exokg: ExokgRunner
) -> None:
    expected = quads_of(built_kg)
    graphs = {q.graph_name for q in expected if isinstance(q.graph_name, pyoxigraph.NamedNode)}
    with running_server(tmp_path / "rw", port=free_port(), read_only=False) as url:
        for _ in range(2):  # publishing twice replaces, never duplicates
            result = exokg("publish", "--endpoint", url + "/store")
            assert result.returncode == 0, result.stderr
        read_back = set()
        for graph in graphs:
            target = f"{url}/store?{urllib.parse.urlencode({'graph': graph.value})}"
            request = urllib.request.Request(target, headers={"Accept": "application/n-triples"})
            with urllib.request.urlopen(request, timeout=30) as response:
                triples = pyoxigraph.parse(response.read(), pyoxigraph.RdfFormat.N_TRIPLES)
                read_back |= {
                    pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in triples
                }
        total = Endpoint(url + "/query").select("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
        count = int(total.rows[0][0].value)  # type: ignore[union-attr]
    assert read_back == expected
    assert count == len(expected)


# --- exokg serve: read-only, Ctrl-C -----------------------------------------------------------------


@contextmanager
def _started_serve(*args: str, **popen: Any) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Start ``exokg serve ARGS`` on a free port and wait until it answers; yield it and its base URL.

    Afterwards a server still running is stopped as Ctrl-C stops it, and killed only if that fails,
    so that no oxigraph process (in a session of its own) is left behind.
    """
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "exokg", "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"exokg serve did not start: {process.communicate()[1]}")
            time.sleep(0.1)
        yield process, url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()


@pytest.fixture
def exokg_serve(built_kg: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A real ``exokg serve`` process; yields its base URL and makes sure it is gone afterwards.

    Its ``--timeout`` is 5 s unless the test is parametrized indirectly with another.
    """
    timeout = str(getattr(request, "param", 5))
    with _started_serve("--store", str(tmp_path / "store"), "--timeout", timeout) as (process, url):
        yield url
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        out, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert "server stopped" in out
        assert not _answers(url), "the oxigraph server outlived exokg serve"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/", timeout=1):
            return True
    except OSError:
        return False


def _post(url: str, form: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(form).encode(), headers={"Accept": "application/json"}
    )
    return _exchange(request)


def _exchange(request: urllib.request.Request | str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@server
def test_exokg_serve_refuses_updates_and_stops_on_ctrl_c(exokg_serve: str) -> None:
    status, before = _post(exokg_serve + "/query", {"query": COUNT})
    assert status == 200
    for update in (
        "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
        "DROP ALL",
        "CLEAR DEFAULT",
    ):
        status, _ = _post(exokg_serve + "/update", {"update": update})
        assert status == 403, update
    status, _ = _post(exokg_serve + "/query", {"update": "DROP ALL"})
    assert status == 403
    status, _ = _post(exokg_serve + "/sparql", {"query": "DROP ALL"})  # the query page's endpoint
    assert status == 403
    for method in ("PUT", "DELETE"):
        request = urllib.request.Request(exokg_serve + "/store?default", method=method, data=b"")
        assert _exchange(request)[0] == 403, method
    request = urllib.request.Request(
        exokg_serve + "/store?default",
        data=b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .",
        headers={"Content-Type": "application/n-triples"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
    assert _post(exokg_serve + "/query", {"query": COUNT}) == (200, before)


@server
def test_exokg_serve_prints_a_link_per_question(built_kg: Path, tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "exokg", "serve", "--port", str(port), "--store", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "Ctrl-C" in line:
                break
        names = question_names()
        links = [line.split(": ", 1)[1].strip() for line in lines if line.startswith("  ")]
        assert len(links) == len(names)
        for name, link in zip(names, links, strict=True):
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
            assert query["tabTitle"] == [name]
            page = urllib.request.urlopen(link, timeout=30).read().decode()
            assert "yasgui" in page.lower()
            assert "https://" not in page.split("<body", 1)[0], "the page must load nothing remote"
        base = links[0].split("/?", 1)[0]
        for asset in ("/yasgui.min.js", "/yasgui.min.css", "/logo.svg"):  # through the guard
            assert _exchange(base + asset)[0] == 200, asset
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


# --- exokg serve: the guard in front of oxigraph ----------------------------------------------------


@server
def test_exokg_serve_fetches_nothing_through_service(exokg_serve: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        port = listener.getsockname()[1]
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
        via_form = _post(exokg_serve + "/query", {"query": query})
        via_get = _exchange(f"{exokg_serve}/sparql?{urllib.parse.urlencode({'query': query})}")
        via_body = _exchange(
            urllib.request.Request(
                exokg_serve + "/query",
                data=query.encode(),
                headers={"Content-Type": "application/sparql-query"},
            )
        )
        readable, _, _ = select.select([listener], [], [], 0.5)
    for status, body in (via_form, via_get, via_body):
        assert status == 403
        assert body.decode().count("\n") == 1 and "SERVICE" in body.decode()
    assert not readable, "the server connected to the address named in SERVICE"


@server
@pytest.mark.parametrize(
    "parameter", ["default-graph-uri=file:///etc/passwd", "named-graph-uri=http://127.0.0.1:9/"]
)
def test_exokg_serve_reads_only_its_own_graphs(exokg_serve: str, parameter: str) -> None:
    query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    assert _exchange(f"{exokg_serve}/query?{query}&{parameter}")[0] == 403
    own = urllib.parse.urlencode({"default-graph-uri": "https://w3id.org/exokg/graph/statements"})
    status, body = _exchange(f"{exokg_serve}/query?{query}&{own}")
    assert (status, json.loads(body)) == (200, {"head": {}, "boolean": True})


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@server
@pytest.mark.parametrize("exokg_serve", [2], indirect=True)
def test_exokg_serve_stops_a_runaway_query_and_keeps_serving(exokg_serve: str) -> None:
    status, body = _post(exokg_serve + "/query", {"query": RUNAWAY})
    assert status == 503
    assert body.decode().startswith("no answer within 2 s")
    status, body = _post(exokg_serve + "/query", {"query": COUNT})
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 0


@server
def test_exokg_serve_serves_the_graph_given_with_kg(built_kg: Path, tmp_path: Path) -> None:
    import pyoxigraph as ox

    mini = FIXTURES / "questions" / "mini-kg.nq"
    local = ox.Store()
    local.bulk_load(path=str(mini), format=ox.RdfFormat.N_QUADS)
    (expected,) = local.query(COUNT, use_default_graph_as_union=True)
    with _started_serve("--kg", str(mini), "--store", str(tmp_path / "store")) as (_, url):
        status, body = _post(url + "/query", {"query": COUNT})
        (row,) = json.loads(body)["results"]["bindings"]
        assert (status, row["n"]["value"]) == (200, expected["n"].value)
        assert (tmp_path / "store" / "exokg-source.txt").read_text().startswith("mini-kg.nq ")


@pytest.mark.parametrize("command", ["serve", "ask claims"])
def test_a_kg_file_that_is_not_there_is_refused_even_with_a_built_store(
    built_kg: Path, tmp_path: Path, command: str
) -> None:
    store = prepare_store(tmp_path / "store")  # a store of the shipped graph, as --store keeps
    before = sorted(p.name for p in store.iterdir())
    port = ["--port", str(free_port())] if command == "serve" else []
    missing = ["--kg", str(tmp_path / "grown.nq"), "--store", str(store), *port]
    result = subprocess.run(
        [sys.executable, "-m", "exokg", *command.split(), *missing],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr, result.stderr
    assert sorted(p.name for p in store.iterdir()) == before


@server
def test_exokg_serve_started_with_sigint_ignored_still_stops_on_it(
    built_kg: Path, tmp_path: Path
) -> None:
    """A shell script's background job (`exokg serve &`) starts with SIGINT ignored."""
    ignore_sigint = functools.partial(signal.signal, signal.SIGINT, signal.SIG_IGN)
    with _started_serve(preexec_fn=ignore_sigint) as (process, url):
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        assert process.returncode == 0 and "server stopped" in out, err
        assert not _answers(url), "the oxigraph server outlived exokg serve"


@server
@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGHUP])
def test_ctrl_c_or_a_closed_terminal_stops_serve_without_a_restart_or_an_orphan(
    built_kg: Path, tmp_path: Path, number: int
) -> None:
    """The terminal signals its whole foreground process group; oxigraph must be left to exokg."""
    with _started_serve(
        start_new_session=True,  # a group of its own, as a terminal's foreground job has
        # as started from a terminal, whatever the test runner was started with (nohup ignores it)
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL),
    ) as (process, _):
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        os.killpg(process.pid, number)
        out, err = process.communicate(timeout=30)
        assert process.returncode == 0 and "server stopped" in out, err
        assert "restarted" not in out + err, "oxigraph was restarted on the way out"
        assert children and not any(Path(f"/proc/{pid}").exists() for pid in children)
