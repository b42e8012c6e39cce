"""The query check reads a query as the engines do: a differential property test, and the cases that broke.

Hypothesis writes queries that hide ``SERVICE``, ``FROM``, ``LOAD`` and updates in every lexical
context SPARQL has (short and long strings with escapes, comments ended by CR or LF, IRIs, prefixed
names, codepoint escapes, odd case). Every query the check accepts is run on BOTH engines (Oxigraph in
process, rdflib in its child process) while a loopback socket listens and a FIFO waits to be opened:
not one connection may arrive and the FIFO may never be opened for reading. The seed is fixed
(``derandomize``), so CI runs the same queries every time.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exokg.core.errors import ExokgError, UsageError
from exokg.query.sparql_check import MAX_DEPTH, check_query, tokens
from exokg.query.store import Store, open_store
from tests import FIXTURES
from tests.conftest import ExokgRunner

MINI_KG = FIXTURES / "questions" / "mini-kg.nq"


# --- the traps: a listening socket and a FIFO -------------------------------------------------------


class Traps:
    """A loopback socket and a FIFO that a query must never reach; counts what reached them."""

    def __init__(self, folder: Path) -> None:
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.fifo = folder / "secret.ttl"
        os.mkfifo(self.fifo)
        self.connections = 0
        self.opened = 0
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        """Open the FIFO for writing whenever someone has it open for reading (then it succeeds)."""
        while not self._stop.wait(0.002):
            try:
                descriptor = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue  # ENXIO: nobody reads it
            self.opened += 1
            os.close(descriptor)

    def collect(self) -> None:
        while select.select([self.server], [], [], 0.02)[0]:
            connection, _ = self.server.accept()
            connection.close()
            self.connections += 1

    def close(self) -> None:
        self._stop.set()
        self._watcher.join()
        self.server.close()


@pytest.fixture(scope="module")
def traps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Traps]:
    trap = Traps(tmp_path_factory.mktemp("traps"))
    yield trap
    trap.close()


@pytest.fixture(scope="module")
def engines() -> dict[str, Store]:
    return {backend: open_store(backend, kg_file=MINI_KG) for backend in ("oxigraph", "rdflib")}  # type: ignore[arg-type]


# --- generated queries ------------------------------------------------------------------------------

PORT = "{port}"
FILE = "{fifo}"
PAYLOADS = [
    f"SERVICE <http://127.0.0.1:{PORT}/x> {{ ?s ?p ?o }}",
    f"SERVICE SILENT <http://127.0.0.1:{PORT}/x> {{ ?s ?p ?o }}",
    "SERVICE far:x { ?s ?p ?o }",
    f"LOAD <http://127.0.0.1:{PORT}/d.ttl>",
    f"LOAD <file://{FILE}>",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "CLEAR ALL",
]
FROMS = [
    f"FROM <http://127.0.0.1:{PORT}/d.ttl>",
    f"FROM NAMED <http://127.0.0.1:{PORT}/d.ttl>",
    f"FROM <file://{FILE}>",
    "FROM far:d.ttl",
]
# Pieces that open, close or escape a lexical context, and what the engines may take for syntax.
PIECES = [
    '"', "'", '"""', "'''", "\\", '\\"', "\\'", '\\"""', "#", "\n", "\r", "\r\n", "<", ">", "{", "}",
    "(", ")", " ", "\t", "\\u0053", "\\u0022", "\\u000A", "\\u00e9", "\\U00000023", "ex:a\\#b", "?x",
    "BIND(", " AS ?y)", ".", "'a'", '"a"', "@en", "^^", "_:b", "\x0b", "\u2028", "\u00a0",
]  # fmt: skip


def _case(draw: st.DrawFn, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.swapcase() if flip else c for c, flip in zip(text, flips, strict=True))


def _escape_a_letter(draw: st.DrawFn, text: str) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if not letters:
        return text
    i = draw(st.sampled_from(letters))
    return text[:i] + f"\\u{ord(text[i]):04X}" + text[i + 1 :]


@st.composite
def hidden(draw: st.DrawFn) -> str:
    """A query with a fetch or an update hidden in one lexical context, or in a soup of pieces."""
    payload = draw(st.sampled_from(PAYLOADS))
    if draw(st.booleans()):
        payload = _case(draw, payload)
    if draw(st.integers(0, 9)) == 0:
        payload = _escape_a_letter(draw, payload)
    contexts = [
        '"{x}"', "'{x}'", '"""{x}"""', "'''{x}'''", '"""a\\"""" {x} """"',  # strings and escapes
        '"a\\" {x} "', "'a\\' {x} '", '"""a""\\""" {x} """', "'''a''\\''' {x} '''",
        "# {x}\n", "# a\r{x}\n", "# a\r\n{x}", "#\\\n{x}", "<urn:{x}>", "<urn:a> {x}",
        "{x}", "ex:a\\#{x}", '"a"@en {x}', "'a'^^xsd:string {x}",
    ]  # fmt: skip
    context = draw(st.sampled_from(contexts))
    inner = context.replace("{x}", payload)
    if draw(st.integers(0, 2)) == 0:
        soup = draw(st.lists(st.sampled_from([*PIECES, payload]), min_size=1, max_size=8))
        cut = draw(st.integers(0, len(soup)))
        inner = "".join(soup[:cut]) + inner + "".join(soup[cut:])
    where = draw(st.sampled_from(["bind", "body", "prologue", "from"]))
    prologue = f"PREFIX far: <http://127.0.0.1:{PORT}/>\n"
    if where == "bind":
        body = f"SELECT * WHERE {{ BIND({inner} AS ?z) ?s ?p ?o }} LIMIT 1"
    elif where == "body":
        body = f"SELECT * WHERE {{ ?s ?p ?o {inner} }} LIMIT 1"
    elif where == "prologue":
        body = f"{inner}\nSELECT * WHERE {{ ?s ?p ?o }} LIMIT 1"
    else:
        source = draw(st.sampled_from(FROMS))
        if draw(st.booleans()):
            source = _case(draw, source)
        body = f"SELECT * {inner} {source} WHERE {{ ?s ?p ?o }} LIMIT 1"
    return prologue + body


@settings(
    max_examples=500,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(template=hidden())
def test_an_accepted_query_fetches_and_reads_nothing_on_either_engine(
    template: str, traps: Traps, engines: dict[str, Store]
) -> None:
    query = template.replace(PORT, str(traps.port)).replace(FILE, str(traps.fifo))
    try:
        check_query(query)
    except UsageError:
        return  # refused before any engine saw it
    for backend, store in engines.items():
        with contextlib.suppress(ExokgError):  # a syntax error, or the second reading refused
            store.select(query, timeout=5, where=backend)
        traps.collect()
        assert (traps.connections, traps.opened) == (0, 0), (backend, query)


def test_the_traps_catch_what_they_should(traps: Traps, engines: dict[str, Store]) -> None:
    """The detector itself: a SERVICE that is let through does reach the socket."""
    query = f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{traps.port}/x> {{ ?s ?p ?o }} }}"
    allowed = Store("oxigraph", engines["oxigraph"].engine, [f"http://127.0.0.1:{traps.port}/x"])
    before = traps.connections
    with contextlib.suppress(ExokgError):
        allowed.select(query, timeout=2)
    deadline = time.monotonic() + 5
    while traps.connections == before and time.monotonic() < deadline:
        traps.collect()
    assert traps.connections > before
    traps.connections = before
    with open(traps.fifo, "rb") as reading:  # and a reader of the FIFO is seen
        reading.read()
    assert traps.opened >= 1
    traps.opened = 0


# --- the cases that broke -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { BIND("""a\\"""" AS ?z) SERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } BIND("" AS ?w) }',
        "SELECT * WHERE { # a comment\rSERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } }",
        'SELECT * FROM <http://127.0.0.1:{port}/x> WHERE { BIND("""a\\"""" AS ?z) }',
        "SELECT * \\u0046ROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    ],
    ids=["long-string-escape", "comment-ended-by-cr", "codepoint-escape", "from", "from-escaped"],
)
@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_the_disguises_that_passed_are_refused(
    exokg: ExokgRunner, traps: Traps, query: str, backend: str
) -> None:
    sparql = query.replace("{port}", str(traps.port))
    result = exokg("query", "--sparql", sparql, "--kg", MINI_KG, "--backend", backend)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    traps.collect()
    assert traps.connections == 0


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("brackets", ["()", "{}", "[]"])
def test_absurd_nesting_is_refused_before_any_engine(
    exokg: ExokgRunner, backend: str, brackets: str
) -> None:
    opening, closing = brackets
    query = f"SELECT * WHERE {{ BIND({opening * 50_000}1{closing * 50_000} AS ?x) }}"
    result = exokg("query", "--sparql", query, "--kg", MINI_KG, "--backend", backend)
    assert result.returncode == 2, result.stderr
    assert f"nested more than {MAX_DEPTH} deep" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_nesting_up_to_the_limit_is_answered_by_both_engines(backend: str) -> None:
    depth = MAX_DEPTH - 2  # inside { BIND(
    query = f"SELECT ?x WHERE {{ BIND({'(' * depth}1{')' * depth} AS ?x) }}"
    answer = open_store(backend, kg_file=MINI_KG).select(query)  # type: ignore[arg-type]
    assert answer.rows[0][0] is not None and answer.rows[0][0].value == "1"


def test_a_catastrophic_regex_is_stopped_on_rdflib(exokg: ExokgRunner) -> None:
    regex = 'SELECT * WHERE { BIND(REGEX("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "^(a+)+$") AS ?x) }'
    result = exokg(
        "query", "--sparql", regex, "--kg", MINI_KG, "--backend", "rdflib", "--timeout", "2",
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "the query was stopped after 2 s" in result.stderr


def test_every_character_of_a_query_belongs_to_a_token() -> None:
    text = "SELECT ?s WHERE { ?s <urn:p> 'a''b' . } # a comment"
    assert [t.text for t in tokens(text)] == ["SELECT", "?s", "WHERE", "{", "?s", "<urn:p>", "'a'", "'b'", ".", "}"]  # fmt: skip
    with pytest.raises(UsageError, match="cannot read the query"):
        tokens("SELECT * WHERE { ?s ?p 'unterminated }")


def test_every_shipped_question_passes_the_check() -> None:
    from exokg.core import resources

    for path in sorted(resources.QUERIES_DIR.glob("*.rq")):
        check_query(path.read_text(encoding="utf-8"), where=path.name)


def test_a_binary_query_file_is_one_line(exokg: ExokgRunner, tmp_path: Path) -> None:
    path = tmp_path / "query.rq"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    result = exokg("query", path, "--kg", MINI_KG)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "internal error" not in result.stderr


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "1e400", "0"])
def test_an_absurd_timeout_is_one_line(exokg: ExokgRunner, value: str) -> None:
    result = exokg("query", "--sparql", "ASK {}", "--kg", MINI_KG, "--timeout", value)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "--timeout" in result.stderr


def test_the_fifo_is_a_fifo(traps: Traps) -> None:
    assert stat.S_ISFIFO(os.stat(traps.fifo).st_mode)
