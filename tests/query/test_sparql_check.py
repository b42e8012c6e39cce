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
import random
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
from exokg.query.engine import select_rdflib
from exokg.query.sparql_check import MAX_DEPTH, MAX_LINKS, check_query, tokens
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


def _warmed(kg_file: Path) -> dict[str, Store]:
    """Both engines; rdflib's parser and evaluator loaded here once, so that each query's child process
    inherits them instead of loading them again (0.8 s a query otherwise)."""
    stores = {backend: open_store(backend, kg_file=kg_file) for backend in ("oxigraph", "rdflib")}  # type: ignore[arg-type]
    rdflib = stores["rdflib"]
    select_rdflib(
        rdflib.engine, (), "SELECT * WHERE { ?s ?p ?o } LIMIT 1", {}, None, None, "warm-up"
    )
    return stores


@pytest.fixture(scope="module")
def engines() -> dict[str, Store]:
    return _warmed(MINI_KG)


@pytest.fixture(scope="module")
def one_statement(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Store]:
    graph = tmp_path_factory.mktemp("one") / "one.nq"
    graph.write_text("<urn:s> <urn:p> <urn:o> <https://w3id.org/exokg/graph/statements> .\n")
    return _warmed(graph)


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


# --- a grammar-based generator: every keyword glued, spaced, cased and escaped -----------------------
#
# Queries are drawn from a small grammar of SPARQL (prologue, dataset clause, group graph patterns with
# SERVICE, GRAPH, OPTIONAL, MINUS, UNION, FILTER [NOT] EXISTS, BIND, sub-selects, LOAD and other
# updates, solution modifiers) as a list of tokens, then joined with a separator drawn for each gap:
# nothing (so every keyword is glued to what follows, as in SERVICEex:s or ORDER BYRAND()), white
# space, or a comment ended by LF or CR. Keywords come in mixed case and, now and then, with a letter
# written as a \u escape; now and then a '<' stands where Oxigraph reads less-than and a naive reader
# an IRI, with a SERVICE, FROM or RAND() behind it up to '#>'. Targets name the listening socket, the FIFO, or prefixes whose names are
# keywords glued to other declared prefixes. Hypothesis draws the seed of a ``Random`` that walks the
# grammar (a failure names its seed and its query): drawing each of a query's ~300 choices from
# Hypothesis itself cost 40-120 ms a query, more than running it on both engines.

NAMESPACES = ["SERVICEex:", "SERVICE:", "FROMf:", "serviceex:", "GRAPHg:", "aex:", "Service:"]
TARGETS = [
    f"<http://127.0.0.1:{PORT}/x>", f"<file://{FILE}>", "ex:s", ":s", "far:x", "f:x", "g:x",
    "<https://w3id.org/exokg/graph/statements>", "?g", "SERVICEex:s", "FROMf:x", "Service:s",
]  # fmt: skip
SEPARATORS = ["", " ", " ", " ", " ", "\n", "\t", "#c\n", "#c\r", "\r\n"]


class _Grammar:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.escape = rng.random() < 0.1  # escape one letter of one keyword in this query

    def k(self, word: str) -> str:
        rng = self.rng
        style = rng.random()
        if style < 0.15:
            word = word.lower()
        elif style < 0.3:
            word = "".join(c.swapcase() if rng.random() < 0.5 else c for c in word)
        if self.escape and rng.random() < 0.2:
            self.escape = False
            i = rng.randrange(len(word))
            word = word[:i] + f"\\u{ord(word[i]):04X}" + word[i + 1 :]
        return word

    def group(self, depth: int = 0) -> list[str]:
        out = ["{"]
        for _ in range(self.rng.randint(0, 3 - depth)):
            out += self.element(depth)
        return [*out, "}"]

    def element(self, depth: int) -> list[str]:
        rng, k = self.rng, self.k
        target = rng.choice(TARGETS if rng.random() < 0.3 else TARGETS[2:9])
        inner = self.group(depth + 1) if depth < 2 else ["{", "}"]
        choice = rng.randrange(17)
        if choice == 16:  # '<' that is less-than to Oxigraph, an IRI's start to a naive reader
            hidden = rng.choice(
                [
                    k("SERVICE") + rng.choice(["ex:s", ":s", "f:x"]),
                    k("BIND") + "(" + k("RAND") + "()" + k("AS") + "?r)",
                    k("SERVICE") + k("SILENT") + "ex:s",
                ]
            )
            opening = rng.choice(["(1<2)", "(?s<2)", "(1<=2)", '("a"<"b")', "(1 <2)"])
            return [k("FILTER") + opening + hidden + "#>", "\n" + inner[0], *inner[1:]]
        if choice == 0:
            return [k("SERVICE"), *([k("SILENT")] if rng.random() < 0.5 else []), target, *inner]
        if choice == 1:
            return [k("GRAPH"), target, *inner]
        if choice == 2:
            return [k(rng.choice(["OPTIONAL", "MINUS"])), *inner]
        if choice == 3:
            return [*inner, k("UNION"), *(self.group(depth + 1) if depth < 2 else ["{", "}"])]
        if choice == 4:
            return [k("FILTER"), *([k("NOT")] if rng.random() < 0.5 else []), k("EXISTS"), *inner]
        if choice == 5:
            value = rng.choice(["1", '"a"', "?s", k("RAND") + "()", k("NOW") + "()"])
            return [k("BIND"), "(", value, k("AS"), "?b", ")"]
        if choice == 6:
            return ["{", k("SELECT"), "*", *inner, "}"]
        if choice == 7:
            return [k(rng.choice(["LOAD", "CLEAR", "INSERT", "DROP"])), target]
        if choice == 8:
            return ["."]
        subject = rng.choice(["?s", "ex:s", ":s", "far:s", target])
        verb = rng.choice(["?p", "a", "ex:p", "f:p"])
        value = rng.choice(["?o", "1", '"a"@en', "true", "ex:o", target])
        return [subject, verb, value]

    def query(self) -> str:
        rng, k = self.rng, self.k
        parts: list[str] = []
        names = [
            "ex:",
            ":",
            "far:",
            "f:",
            "g:",
            *rng.sample(NAMESPACES, rng.choice([0, 0, 0, 1, 2])),
        ]
        for name in rng.sample(names, len(names)):
            iri = rng.choice([f"<http://127.0.0.1:{PORT}/>", f"<file://{FILE}#>", "<urn:x:>"])
            parts += [k("PREFIX"), name, iri]
        if rng.random() < 0.05:  # a dataset clause behind '<' in a projection
            hidden = k("FROM") + rng.choice(["f:x", "ex:s", ":s"])
            parts += [k("SELECT") + "(1<2" + k("AS") + "?x)" + hidden + "#>", "\n"]
        elif rng.random() < 0.2:
            parts += [k("ASK")]
        else:
            parts += [k("SELECT"), *([k("DISTINCT")] if rng.random() < 0.5 else []), "*"]
        for _ in range(rng.choice([0, 0, 1, 2])):
            parts += [
                k("FROM"),
                *([k("NAMED")] if rng.random() < 0.5 else []),
                rng.choice(TARGETS[:-4]),
            ]
        if rng.random() < 0.5:
            parts += [k("WHERE")]
        parts += self.group()
        if rng.random() < 0.3:
            parts += [k("ORDER"), k("BY"), rng.choice([k("RAND") + "()", "?s", k("DESC") + "(?s)"])]
        parts += [k("LIMIT"), "1"]
        glue = rng.choice([0.0, 0.02, 0.05, 0.2])  # how often a gap is left empty
        text = parts[0]
        for part in parts[1:]:
            text += "" if rng.random() < glue else rng.choice(SEPARATORS[1:])
            text += part
        return text


@st.composite
def grammatical(draw: st.DrawFn) -> str:
    """A query from the grammar above, its tokens joined by drawn separators."""
    return _Grammar(random.Random(draw(st.integers(0, 2**64)))).query()


GENERATED = 3000  # queries from the grammar in CI (fixed seed); see SECURITY.md


@settings(
    max_examples=GENERATED,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(template=grammatical())
def test_a_generated_query_fetches_and_reads_nothing_on_either_engine(
    template: str, traps: Traps, one_statement: dict[str, Store]
) -> None:
    """On a graph of one statement, so that no generated join takes long, yet every pattern has a
    solution (an engine could skip a SERVICE joined to nothing)."""
    test_an_accepted_query_fetches_and_reads_nothing_on_either_engine.hypothesis.inner_test(  # type: ignore[attr-defined]
        template=template, traps=traps, engines=one_statement
    )


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
        # round 3: Oxigraph reads a keyword glued to what follows as two tokens
        "PREFIX ex: <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICEex:s { ?s ?p ?o } }",
        "PREFIX ex: <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICESILENTex:s { ?s ?p ?o } }",
        "PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICE:s { ?s ?p ?o } }",
        "PREFIX ex: <http://127.0.0.1:{port}/> SELECT * WHERE { ?a ?b ?c serviceex:s { ?s ?p ?o } }",
        "PREFIX ex: <http://127.0.0.1:{port}/> PREFIX SERVICEex: <urn:x:> SELECT * WHERE { SERVICEex:s { } }",
        "PREFIX f: <http://127.0.0.1:{port}/> SELECT * FROMf:x WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p ?o FILTER NOTEXISTS { SERVICE <http://127.0.0.1:{port}/x> {} } }",
        # inside an expression '<' after an operand is less-than to Oxigraph, not an IRI's start
        "PREFIX ex: <http://127.0.0.1:{port}/>\nSELECT * WHERE { FILTER(1<2)SERVICEex:s#>\n{ ?x ?y ?z } }",
        "PREFIX ex: <http://127.0.0.1:{port}/>\nSELECT * WHERE { FILTER(1 <2)SERVICE ex:s#>\n{ } }",
        "PREFIX f: <http://127.0.0.1:{port}/>\nSELECT(1<2AS?x)FROMf:x#>\n{}",
    ],
    ids=[
        "long-string-escape",
        "comment-ended-by-cr",
        "codepoint-escape",
        "from",
        "from-escaped",
        "SERVICEex:s",
        "SERVICESILENTex:s",
        "SERVICE:s",
        "serviceex:s-after-a-triple",
        "prefix-named-SERVICEex",
        "FROMf:x",
        "NOTEXISTS",
        "less-than-read-as-an-IRI",
        "less-than-read-as-an-IRI-spaced",
        "less-than-hides-FROM",
    ],
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


CHAINS = {  # shapes that crashed Oxigraph (SIGSEGV) at the size given, long before the length limit
    "plus": (lambda n: "SELECT (" + "+".join(["1"] * n) + " AS ?x) {}", 20_000),
    "or": (lambda n: "SELECT (" + "||".join(["true"] * n) + " AS ?x) {}", 100_000),
    "bind": (lambda n: "SELECT * {" + "".join(f" BIND(1 AS ?v{i})" for i in range(n)) + "}", 2_625),
    "minus": (lambda n: "SELECT * { ?s ?p ?o" + " MINUS {}" * n + "}", 2_625),
    "union": (lambda n: "SELECT * {" + " UNION ".join(["{}"] * n) + "}", 6_750),
    "path": (lambda n: "SELECT * { ?s " + "/".join(["<urn:p>"] * n) + " ?o }", 8_250),
    "triples": (
        lambda n: "SELECT * {" + "".join(f" ?s <urn:p> ?o{i} ." for i in range(n)) + "}",
        20_000,
    ),
    # no operator at all: a list of projections, of sort keys, or a long collection
    "projections": (
        lambda n: "SELECT " + " ".join(f"(1 AS ?a{i})" for i in range(n)) + " {}",
        3_000,
    ),
    "order": (lambda n: "SELECT * {} ORDER BY " + " ".join(["(1)"] * n), 3_000),
    "collection": (
        lambda n: "SELECT * { ?s ?p (" + " ".join(map(str, range(n))) + ") }",
        19_000,
    ),
}


@pytest.mark.parametrize("shape", list(CHAINS))
def test_a_chain_that_crashed_oxigraph_is_one_line(
    exokg: ExokgRunner, shape: str, tmp_path: Path
) -> None:
    make, crashing = CHAINS[shape]
    (tmp_path / "chain.rq").write_text(make(crashing), encoding="utf-8")
    result = exokg("query", tmp_path / "chain.rq", "--kg", MINI_KG)
    assert result.returncode == 2, result.stderr
    assert (
        any(f"more than {MAX_LINKS} {what}" in result.stderr for what in ("operators", "terms"))
        or "tokens" in result.stderr
    )
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("shape", ["plus", "bind", "union"])
def test_a_chain_within_the_budget_is_answered(shape: str) -> None:
    make, _ = CHAINS[shape]
    size = next(n for n in range(MAX_LINKS, 0, -1) if _fits(make(n)))
    assert size > MAX_LINKS // 4
    import pyoxigraph

    list(pyoxigraph.Store().query(make(size)))  # in this process: a crash would end the test run


def _fits(query: str) -> bool:
    try:
        check_query(query)
    except UsageError:
        return False
    return True


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


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("SELECT * WHERE { ?s foaf:name ?o }", "the prefix foaf: is not declared"),
        ("SELECT * WHERE { ?s ?p ?o } ORDER BYRAND()", "'BYRAND' is not a SPARQL keyword"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT1", "'LIMIT1' is not a SPARQL keyword"),
        ("PREFIX ex: <urn:x:> PREFIX aex: <urn:y:> ASK { ?s aex:p ?o }", "could be read as a ex:"),
    ],
)
def test_what_oxigraph_could_read_otherwise_is_one_line(
    exokg: ExokgRunner, query: str, said: str
) -> None:
    result = exokg("query", "--sparql", query, "--kg", MINI_KG)
    assert result.returncode == 2, result.stderr
    assert said in result.stderr and result.stderr.count("\n") == 1


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


@pytest.mark.parametrize("query", ["DESCRIBE <urn:x>", "CONSTRUCT WHERE { ?s ?p ?o }"])
@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_describe_and_construct_are_refused_in_one_line(
    exokg: ExokgRunner, query: str, backend: str
) -> None:
    """On Oxigraph a second line followed ("RuntimeError: … PyQueryTriples is unsendable")."""
    result = exokg("query", "--sparql", query, "--kg", MINI_KG, "--backend", backend)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "only SELECT and ASK" in result.stderr
