"""A second real SPARQL engine: OpenLink Virtuoso answers every question as the local store does.

The fixture starts Debian's ``virtuoso-t`` (package ``virtuoso-opensource``, installed by ``.ci/run``)
on free loopback ports with its own database in a temporary directory, lets its Graph Store endpoint
take writes, and loads the release with ``exokg publish`` — the commands README's "Running exokg on a
larger server" gives. Then every shipped question goes through ``--endpoint`` and must give the same
rows as the local store: the same set of W3C result terms, and the same order where the question
orders its rows. The server is stopped however the tests end.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from exokg.core import resources
from exokg.query.endpoint import Endpoint
from exokg.query.store import GRAPHS, open_store
from exokg.server.oxigraph_process import stop
from tests.conftest import ExokgRunner
from tests.query.test_questions import PARAMS

server = pytest.mark.server

# Virtuoso's own graphs (its RDF views, LDP and URIQA descriptions) are in every Virtuoso database and
# in its default graph: the questions must not pick anything up from them.
INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {db}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
CaseMode = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def running_virtuoso(db: Path) -> Iterator[str]:
    """A Virtuoso server on loopback with its database in ``db``, taking Graph Store writes; yields
    its base URL. It is stopped however the caller ends."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None:
        pytest.skip("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource)")
    sql_port, http_port = free_port(), free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(INI.format(db=db, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=db,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 300  # a first start creates the database: slow on 2 cores
        while not _answers(base + "/sparql"):
            if process.poll() is not None:
                log = (db / "virtuoso.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"virtuoso-t exited with {process.returncode}:\n{log}")
            if time.monotonic() > deadline:
                pytest.fail("Virtuoso did not answer within 300 s")
            time.sleep(0.5)
        # the Graph Store endpoint writes as the SPARQL user, which may only read by default
        grant = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert grant.returncode == 0, grant.stdout + grant.stderr
        yield base
    finally:
        stop(process, timeout=60)  # Virtuoso writes a checkpoint on SIGTERM


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, exokg_module: ExokgRunner) -> Iterator[str]:
    """A Virtuoso server on loopback holding exokg's release; yields its SPARQL query URL."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as base:
        loaded = exokg_module("publish", "--endpoint", base + "/sparql-graph-crud")
        assert loaded.returncode == 0, loaded.stderr
        yield base + "/sparql"


@pytest.fixture(scope="module")
def exokg_module() -> ExokgRunner:
    import sys

    def run(*args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "exokg", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


def question_names() -> list[str]:
    return sorted(path.stem for path in resources.QUERIES_DIR.glob("*.rq"))


def _orders(name: str) -> bool:
    text = (resources.QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return "ORDER BY" in " ".join(lines).upper()


@server
def test_virtuoso_holds_every_triple_of_the_release(virtuoso: str) -> None:
    graphs = " ".join(f"<{iri}>" for iri in sorted(GRAPHS))
    count = (
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        " GROUP BY ?g ORDER BY ?g"
    )
    local = open_store().select(count)
    assert len(local.rows) == len(GRAPHS)
    assert Endpoint(virtuoso).select(count).rows == local.rows


@server
@pytest.mark.parametrize("name", question_names())
def test_virtuoso_gives_the_same_answer(name: str, virtuoso: str) -> None:
    from exokg.text.resolve import ask

    local = ask(name, PARAMS.get(name), executor=open_store())
    remote = ask(name, PARAMS.get(name), executor=Endpoint(virtuoso), timeout=120)
    assert remote.variables == local.variables
    assert set(remote.rows) == set(local.rows), f"{name}: rows differ on Virtuoso"
    assert len(remote.rows) == len(local.rows)
    if _orders(name):
        assert remote.rows == local.rows, f"{name}: same rows, other order on Virtuoso"


# evidence-for once gave no rows on Virtuoso 7.2.5: it evaluates a `?` or `*` property path to nothing
# when the path's end comes from the VALUES block that parameters travel in and the group holds as
# many patterns as that question's. The question now takes the zero-or-one step as two alternatives;
# these terms cover a vesicle class with subclasses, a gene (by symbol) and a cell line (by label).
@server
@pytest.mark.parametrize("term", ["EXOKG:0000028", "EXOKG:0000020", "MMP9", "4T1 cell"])
def test_virtuoso_gives_the_same_evidence_for_a_term(term: str, virtuoso: str) -> None:
    from exokg.text.resolve import ask

    local = ask("evidence-for", {"term": term}, executor=open_store())
    remote = ask("evidence-for", {"term": term}, executor=Endpoint(virtuoso), timeout=120)
    assert local.rows, f"{term}: no findings in the shipped graph, the comparison would be empty"
    assert remote.rows == local.rows


@server
def test_the_cli_asks_virtuoso(virtuoso: str, exokg_module: ExokgRunner) -> None:
    local = exokg_module("ask", "exosomes-promoting-tumour-progression", "--format", "csv")
    remote = exokg_module(
        "ask", "exosomes-promoting-tumour-progression", "--format", "csv", "--endpoint", virtuoso
    )
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout
