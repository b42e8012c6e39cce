"""The guard in front of oxigraph (exokg/server/guard.py) is an allow-list and supervises its oxigraph child.

Against a real ``exokg serve`` on loopback: a request target in absolute form is checked like any
other (SERVICE still reaches nothing); the asterisk and authority forms, unknown paths and methods get
one 4xx line; a query nested 50,000 deep is refused before oxigraph sees it; ``kill -9`` of the
oxigraph child is followed by a restart; a child that keeps dying ends ``exokg serve`` with a message;
broken connections are one line each, never a traceback; an idle connection is closed.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from exokg.server import guard
from exokg.server.guard import guarded_server, request_target
from exokg.server.serve import prepare_store
from tests import FIXTURES
from tests.server.test_serve import _answers, _exchange, _post, built_kg, free_port

server = pytest.mark.server
MINI_KG = FIXTURES / "questions" / "mini-kg.nq"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
__all__ = ["built_kg"]  # a fixture, used here


class Served:
    """A running ``exokg serve``; its output goes to files (a full pipe would block its messages)."""

    def __init__(self, process: subprocess.Popen[str], port: int, logs: Path) -> None:
        self.process, self.port, self.url = process, port, f"http://127.0.0.1:{port}"
        self.logs = logs

    def wait(self, timeout: float) -> tuple[str, str]:
        self.process.wait(timeout=timeout)
        return (self.logs / "out").read_text(), (self.logs / "err").read_text()

    def oxigraph_pids(self) -> set[int]:
        found: set[int] = set()
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            try:
                found |= {int(pid) for pid in (task / "children").read_text().split()}
            except OSError:
                continue
        return found

    def settled(self) -> None:
        """Wait until the first asks (shipped questions asked in the background at start) are done,
        so that none is in flight when a test stops oxigraph."""
        assert _wait_for(lambda: "first asks answered" in (self.logs / "out").read_text(), 300)

    def raw(self, request: bytes) -> bytes:
        """Send bytes as they are and read the answer until the server closes or 5 s pass."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as connection:
            connection.sendall(request)
            connection.shutdown(socket.SHUT_WR)
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
            return answer


@pytest.fixture
def served(built_kg: Path, tmp_path: Path) -> Iterator[Served]:
    port = free_port()
    command = [sys.executable, "-m", "exokg", "serve", "--port", str(port)]
    with open(tmp_path / "out", "w") as out, open(tmp_path / "err", "w") as err:
        process = subprocess.Popen(
            [*command, "--store", str(tmp_path / "s")], stdout=out, stderr=err, text=True
        )
    running = Served(process, port, tmp_path)
    try:
        deadline = time.monotonic() + 120
        while not _answers(running.url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"exokg serve did not start: {(tmp_path / 'err').read_text()}")
            time.sleep(0.1)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.mark.parametrize(
    ("target", "path", "query"),
    [
        ("/query?query=x", "/query", "query=x"),
        ("http://x/query?query=x", "/query", "query=x"),
        ("HTTPS://x:1/sparql", "/sparql", ""),
        ("http://x", "/", ""),
        ("/query#frag", "/query", ""),
    ],
)
def test_request_targets_in_every_form_give_their_path(target: str, path: str, query: str) -> None:
    assert request_target(target) == (path, query)


@pytest.mark.parametrize("target", ["*", "example.org:443", "query", ""])
def test_targets_that_name_no_path_are_refused(target: str) -> None:
    with pytest.raises(guard.Refused) as refused:
        request_target(target)
    assert refused.value.status == 400


@server
def test_an_absolute_form_request_is_checked_too(served: Served) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.getsockname()[1]}/> {{ ?s ?p ?o }} }}"
        target = f"http://x/query?{urllib.parse.urlencode({'query': query})}"
        answer = served.raw(
            f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
        )
        assert answer.startswith(b"HTTP/1.1 403"), answer[:200]
        assert not select.select([listener], [], [], 0.5)[0], "SERVICE reached the listener"


@server
@pytest.mark.parametrize(
    ("request_line", "status"),
    [
        ("OPTIONS * HTTP/1.1", 400),
        ("CONNECT example.org:443 HTTP/1.1", 400),
        ("GET /admin HTTP/1.1", 404),
        ("GET /%71uery HTTP/1.1", 404),
        ("HEAD /query HTTP/1.1", 405),
        ("DELETE /store HTTP/1.1", 403),
        ("BREW /coffee HTTP/1.1", 501),
        ("GET /query HTTP/9.9", 505),
    ],
)
def test_the_guard_answers_only_what_it_knows(
    served: Served, request_line: str, status: int
) -> None:
    answer = served.raw(f"{request_line}\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0].split(b" ")[1] == str(status).encode(), answer[:300]
    if not request_line.startswith("HEAD"):
        assert body.count(b"\n") == 1 and b"<" not in body, body


@server
def test_a_crashing_query_never_reaches_oxigraph(served: Served) -> None:
    nested = "SELECT * WHERE { BIND(" + "(" * 50_000 + "1" + ")" * 50_000 + " AS ?x) }"
    status, body = _post(served.url + "/query", {"query": nested})
    assert status == 403 and b"nested more than" in body
    assert _post(served.url + "/query", {"query": COUNT})[0] == 200


def _wait_for(condition: object, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


@server
def test_a_killed_oxigraph_is_restarted(served: Served) -> None:
    (child,) = served.oxigraph_pids()
    os.kill(child, signal.SIGKILL)
    assert _wait_for(lambda: served.oxigraph_pids() - {child}), "no new oxigraph process"
    assert _wait_for(lambda: _post(served.url + "/query", {"query": COUNT})[0] == 200)


@server
def test_serve_stops_with_a_message_when_oxigraph_keeps_dying(served: Served) -> None:
    served.settled()  # exits while queries are in flight are put down to them, not counted
    killed: set[int] = set()
    for _ in range(guard.MAX_EXITS + 1):
        if not _wait_for(
            lambda: served.oxigraph_pids() - killed or served.process.poll() is not None
        ):
            break
        for child in served.oxigraph_pids() - killed:
            killed.add(child)
            os.kill(child, signal.SIGKILL)
    out, err = served.wait(timeout=120)
    assert served.process.returncode == 1, (out, err)
    assert "keeps exiting" in err and err.count("\n") == 1, err
    assert not _answers(served.url)


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime of all its threads


def _killed_while_answering(served: Served, query: str, killed: set[int]) -> tuple[int, bytes]:
    """Ask ``query`` and kill oxigraph once it is busy answering it; the answer the client got."""
    assert _wait_for(lambda: len(served.oxigraph_pids() - killed) == 1)
    (child,) = served.oxigraph_pids() - killed
    ready = {"query": f"ASK {{}} # {len(killed)}"}  # not kept: reaches oxigraph once it answers
    assert _wait_for(lambda: _post(served.url + "/query", ready)[0] == 200)
    before = _cpu_ticks(child)
    answer: list[tuple[int, bytes]] = []
    asker = threading.Thread(
        target=lambda: answer.append(_post(served.url + "/query", {"query": query}))
    )
    asker.start()
    assert _wait_for(lambda: _cpu_ticks(child) > before + 20), "oxigraph is not answering"
    killed.add(child)
    os.kill(child, signal.SIGKILL)
    asker.join(60)
    assert answer, (served.logs / "out").read_text()[-2000:]
    return answer[0]


# A Cartesian product over the shipped graph: oxigraph is busy with it for far longer than a test.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a{i} ?b ?c . ?d ?e ?f . ?g ?h ?j . ?k ?l ?m }}"


@server
def test_no_stream_of_queries_from_several_clients_stops_the_server(served: Served) -> None:
    """Six exits of oxigraph in a minute made `exokg serve` stop ("keeps exiting"), so any client
    whose queries crash it could stop the server. Now an exit with a query in flight counts for
    nothing: the query is answered alone the next time, and if oxigraph exits again it is refused
    (400, one line) however it is re-spaced or commented. A crash is made here by killing oxigraph
    (SIGKILL) while it answers (the budget already refuses every query known to crash it), eight
    times, while three clients send the crash-shaped and SERVICE-shaped queries of round 3."""
    from exokg.query.questions import list_questions
    from exokg.server.serve import first_asks

    served.settled()
    stop = threading.Event()
    statuses: list[int] = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        here = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        hostile = [
            "SELECT (" + "+".join(["1"] * 20_000) + " AS ?x) {}",
            "SELECT * WHERE { ?s ?p ?o " + "UNION { ?s ?p ?o } " * 7000 + "}",
            "SELECT * WHERE { BIND(" + "(" * 50_000 + "1" + ")" * 50_000 + " AS ?x) }",
            f"PREFIX ex: <{here}> SELECT * WHERE {{ SERVICEex:s {{ ?s ?p ?o }} }}",
            f"PREFIX ex: <{here}> SELECT * WHERE {{ ?s ?p ?o serviceex:s {{ ?s ?p ?o }} }}",
            f"PREFIX : <{here}> SELECT * WHERE {{ SERVICESILENT:s {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE <{here}> {{ ?s ?p ?o }} }}",
        ]

        def client() -> None:
            while not stop.is_set():
                for query in hostile:
                    statuses.append(_post(served.url + "/query", {"query": query})[0])

        clients = [threading.Thread(target=client) for _ in range(3)]
        for thread in clients:
            thread.start()
        try:
            killed: set[int] = set()
            for i in range(4):  # eight exits in all, more than MAX_EXITS
                query = SLOW.format(i=i)
                for attempt in range(2):
                    status, body = _killed_while_answering(served, query, killed)
                    if attempt == 0:  # in flight once: answered alone next time
                        assert status == 503 and body.count(b"\n") == 1, body
                    else:  # alone, and oxigraph exited again: refused from now on
                        assert status == 400 and b"refused from now on" in body, body
                again = "# the same\n" + query.replace(" ", "\n  ").replace("SELECT", "select")
                status, body = _post(served.url + "/query", {"query": again})
                assert status == 400 and body.count(b"\n") == 1, body
                assert served.process.poll() is None, served.wait(1)
        finally:
            stop.set()
            for thread in clients:
                thread.join(60)
        assert not select.select([listener], [], [], 0.5)[0], "SERVICE reached the listener"
    assert set(statuses) == {403}, set(statuses)
    assert served.process.poll() is None
    shipped = [q for q in list_questions() if all(p.default for p in q.parameters)]
    assert first_asks(served.url, 30) == 3 * len(shipped)
    served.process.send_signal(signal.SIGINT)
    out, err = served.wait(timeout=30)
    assert "keeps exiting" not in err and "Traceback" not in out + err, (out, err)


@server
def test_broken_connections_are_one_line_each(served: Served) -> None:
    for i in range(50):
        with socket.create_connection(("127.0.0.1", served.port)) as connection:
            if i % 2:  # half a request, then gone
                connection.sendall(b"POST /query HTTP/1.1\r\nContent-Length: 1000\r\n\r\nquery=")
            else:  # a whole request, gone before the answer
                connection.sendall(
                    f"GET /query?{urllib.parse.urlencode({'query': COUNT})} HTTP/1.1\r\n\r\n".encode()
                )
            connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
    assert _post(served.url + "/query", {"query": COUNT})[0] == 200
    served.process.send_signal(signal.SIGINT)
    out, err = served.wait(timeout=30)
    assert "Traceback" not in out + err
    assert sum("ended:" in line for line in out.splitlines()) <= 50


@server
def test_an_idle_connection_is_closed(
    built_kg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard._Handler, "timeout", 1.0)
    store = prepare_store(tmp_path / "store", MINI_KG)
    lines: list[str] = []
    with guarded_server(
        store, host="127.0.0.1", port=free_port(), timeout=10, say=lines.append
    ) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=60) as idle:
            idle.sendall(b"GET /query")  # and nothing more
            assert idle.recv(100) == b"", "the server kept an idle connection open"
        status, body = _exchange(f"{url}/query?{urllib.parse.urlencode({'query': 'ASK {}'})}")
        assert (status, json.loads(body)["boolean"]) == (200, True)


@server
def test_a_request_trickling_in_is_cut_off_at_its_deadline(
    built_kg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A header line every 25 s kept a connection open past the 60 s idle limit for ever, since the
    limit was per read. Here the deadline is 3 s and a header line comes every second: the
    connection is closed before the tenth, though no read waited more than a second."""
    monkeypatch.setattr(guard._Handler, "request_seconds", 3.0, raising=False)
    store = prepare_store(tmp_path / "store", MINI_KG)
    with guarded_server(
        store, host="127.0.0.1", port=free_port(), timeout=10, say=lambda _: None
    ) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=60) as slow:
            slow.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\n")
            sent, closed = 0, False
            while sent < 10 and not closed:
                time.sleep(1)
                try:
                    slow.sendall(f"X-Line-{sent}: x\r\n".encode())
                    sent += 1
                except OSError:
                    closed = True
                    break
                if select.select([slow], [], [], 0)[0]:
                    closed = slow.recv(100) == b""
            assert closed and sent < 10, f"{sent} header lines, one a second, were all read"
        # a request that arrives in time on a kept-alive connection is answered as before
        status, body = _exchange(f"{url}/query?{urllib.parse.urlencode({'query': 'ASK {}'})}")
        assert (status, json.loads(body)["boolean"]) == (200, True)


def test_guard_and_serve_do_not_import_each_other() -> None:
    code = "import sys, exokg.server.guard; print('exokg.server.serve' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


@server
def test_the_long_string_disguise_is_refused_through_the_server(served: Served) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        port = listener.getsockname()[1]
        query = f'SELECT * WHERE {{ BIND("""a\\"""" AS ?z) SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} BIND("" AS ?w) }}'
        status, body = _post(served.url + "/query", {"query": query})
        assert status == 403, body
        assert not select.select([listener], [], [], 0.5)[0], "SERVICE reached the listener"


@server
def test_the_store_is_read_one_of_exokgs_graphs_at_a_time(served: Served) -> None:
    own = urllib.parse.urlencode({"graph": "https://w3id.org/exokg/graph/statements"})
    status, body = _exchange(f"{served.url}/store?{own}")
    assert status == 200 and body
    other = urllib.parse.urlencode({"graph": "http://127.0.0.1:9/elsewhere"})
    assert _exchange(f"{served.url}/store?{other}")[0] == 404
    assert _exchange(f"{served.url}/store?{own}&default")[0] == 400


@server
def test_a_stopped_backend_starts_nothing_more(built_kg: Path, tmp_path: Path) -> None:
    """A query that overran and is answered after Ctrl-C must not start oxigraph again (an orphan)."""
    store = prepare_store(tmp_path / "store", MINI_KG)
    lines: list[str] = []
    backend = guard.Backend(store, timeout=5, say=lines.append)
    backend.start()
    port, generation = backend.current()
    url = f"http://127.0.0.1:{port}"
    assert _answers(url)
    backend.stop()
    assert backend.restart(generation) == ""  # what the overrunning request's thread does next
    time.sleep(0.5)  # the supervisor's turn: it looks every 0.1 s
    assert backend.current() == (port, generation)
    assert not _answers(url), "oxigraph still answers after stop()"
    assert lines == []


def test_answers_keep_the_most_recently_asked_within_their_bound() -> None:
    entry = guard.ENTRY_BYTES + 1 + 0 + len("text/plain") + 89  # each entry below
    answers = guard.Answers(4 * entry)
    for name in (b"a", b"b", b"c", b"d"):
        answers.put((name, ""), "text/plain", b"x" * 89)
    assert answers.get((b"a", "")) is not None  # asked again: now the most recent
    answers.put((b"e", ""), "text/plain", b"x" * 89)
    assert answers.get((b"b", "")) is None, "the least recently asked goes first"
    assert all(answers.get((name, "")) for name in (b"a", b"c", b"d", b"e"))
    assert answers.size == 4 * entry
    answers.put((b"f", ""), "text/plain", b"x" * 90)  # over a quarter of the bound: not kept
    assert answers.get((b"f", "")) is None and answers.size == 4 * entry
    answers.put((b"q" * 100, ""), "text/plain", b"")  # a long query counts: not kept either
    assert answers.get((b"q" * 100, "")) is None and answers.size == 4 * entry
    formats = guard.Answers(4 * entry)
    formats.put((b"a", ""), "text/csv", b"x")
    formats.put(
        (b"a", "application/json"), "application/json", b"y"
    )  # another Accept, another answer
    assert formats.get((b"a", "")).body == b"x"  # type: ignore[union-attr]
    nothing = guard.Answers(0)
    nothing.put((b"a", ""), "text/plain", b"")
    assert nothing.get((b"a", "")) is None


def test_many_long_queries_with_short_answers_stay_within_the_bound() -> None:
    answers = guard.Answers(1 << 20)
    keys = [(b"%d" % i + b" " * 65536, "") for i in range(1000)]  # queries of 64 KiB
    for key in keys:
        answers.put(key, "application/json", b"{}")  # each answered in two bytes
    kept = sum(answers.get(key) is not None for key in keys)
    assert kept * 65536 <= 1 << 20, f"{kept} queries of 64 KiB kept under a 1 MiB bound"
    tiny = guard.Answers(1 << 20)
    for i in range(10_000):  # short queries and answers: Python's own cost of each one counts
        tiny.put((b"%d" % i, ""), "application/json", b"{}")
    kept = sum(tiny.get((b"%d" % i, "")) is not None for i in range(10_000))
    assert kept * guard.ENTRY_BYTES <= 1 << 20, f"{kept} tiny answers kept under a 1 MiB bound"


class _CutShort:
    """A stand-in for oxigraph that announces 100 bytes, sends 10 and hangs up, as a killed one does."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            connection, _ = self.listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                    b'Content-Length: 100\r\n\r\n{"head":{}'
                )

    def current(self) -> tuple[int, int]:
        return self.port, 1

    def refuses(self, query: bytes) -> bool:
        return False

    @contextlib.contextmanager
    def asking(self, query: bytes) -> Iterator[tuple[int, int]]:
        yield self.current()

    def answered(self, query: bytes) -> None:
        pass

    def crashed(self, generation: int, query: bytes) -> bool:
        return False

    def restart(self, generation: int) -> str:
        return ""

    def say(self, line: str) -> None:
        pass


@contextmanager
def guard_before(backend: object) -> Iterator[guard._GuardServer]:
    """A guard on a free loopback port in front of a stand-in for oxigraph, keeping answers."""
    server = guard._GuardServer("127.0.0.1", 0, backend, 5.0, guard.Answers(1 << 20))  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_an_answer_cut_short_is_neither_relayed_as_whole_nor_kept() -> None:
    with guard_before(_CutShort()) as server:
        for _ in range(2):
            connection = http.client.HTTPConnection(
                "127.0.0.1", server.server_address[1], timeout=30
            )
            form = urllib.parse.urlencode({"query": "ASK {}"})
            connection.request("POST", "/query", form, {"Content-Type": guard._FORM})
            response = connection.getresponse()
            assert response.status == 503 and b"not answering" in response.read()
            connection.close()
        assert server.answers.size == 0


def _ask(url: str, query: str, accept: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        url + "/query",
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": accept},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


@server
def test_an_answer_asked_again_does_not_reach_oxigraph(served: Served) -> None:
    status, headers, first = _ask(served.url, COUNT, "application/sparql-results+json")
    assert status == 200 and "Age" not in headers and json.loads(first)["results"]["bindings"]
    (child,) = served.oxigraph_pids()
    os.kill(child, signal.SIGSTOP)  # oxigraph can answer nothing now
    try:
        status, headers, again = _ask(served.url, COUNT, "application/sparql-results+json")
        assert (status, again) == (200, first)
        assert int(headers["Age"]) >= 0
        assert headers["Content-Type"].startswith("application/sparql-results+json")
    finally:
        os.kill(child, signal.SIGCONT)
    status, headers, xml = _ask(served.url, COUNT, "application/sparql-results+xml")
    assert status == 200 and "Age" not in headers and xml.startswith(b"<?xml")


@server
def test_serve_can_keep_no_answers(built_kg: Path, tmp_path: Path) -> None:
    store = prepare_store(tmp_path / "store", MINI_KG)
    with guarded_server(
        store, host="127.0.0.1", port=free_port(), timeout=10, say=lambda _: None, cache_bytes=0
    ) as url:
        for _ in range(2):
            status, headers, _body = _ask(url, COUNT, "application/sparql-results+json")
            assert status == 200 and "Age" not in headers


def test_a_connection_idle_longer_than_oxigraphs_limit_still_gets_answers(
    built_kg: Path, tmp_path: Path
) -> None:
    """Oxigraph closes a connection idle for its --timeout-s, answering an unasked-for 500 ("Resource
    temporarily unavailable") as it does; the guard kept its connection to oxigraph for a client
    idle longer than that (up to a minute) and relayed that 500 as the answer to its next query."""
    store = prepare_store(tmp_path / "store", MINI_KG)
    with guarded_server(
        store, host="127.0.0.1", port=free_port(), timeout=1, say=lambda _: None, cache_bytes=0
    ) as url:
        connection = http.client.HTTPConnection("127.0.0.1", int(url.rsplit(":", 1)[1]), timeout=30)
        statuses = []
        for pause in (0, 3.5, 0):  # oxigraph's limit is 2 s here
            time.sleep(pause)
            form = urllib.parse.urlencode({"query": COUNT})
            connection.request("POST", "/query", form, {"Content-Type": guard._FORM})
            response = connection.getresponse()
            statuses.append((response.status, response.read()[:60]))
        connection.close()
    assert [status for status, _ in statuses] == [200] * 3, statuses


class _Unasked(_CutShort):
    """A stand-in for oxigraph that answers each request on a connection with its number, and on
    the first connection writes an answer no one asked for after the first (as oxigraph does when
    it closes an idle connection)."""

    def _serve(self) -> None:
        first = True
        while True:
            connection, _ = self.listener.accept()
            threading.Thread(target=self._answer, args=(connection, first), daemon=True).start()
            first = False

    def _answer(self, connection: socket.socket, stale: bool) -> None:
        with connection, contextlib.suppress(OSError):
            for number in range(1, 100):
                if not connection.recv(65536):
                    return
                body = b"%d" % number
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
                    % len(body)
                    + body
                )
                if stale and number == 1:
                    time.sleep(0.2)  # after the guard has read the answer
                    connection.sendall(
                        b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\nstale"
                    )


def test_an_answer_no_one_asked_for_is_never_relayed() -> None:
    with guard_before(_Unasked()) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
        answers = []
        for i in range(3):
            form = urllib.parse.urlencode({"query": f"ASK {{}} # {i}"})
            connection.request("POST", "/query", form, {"Content-Type": guard._FORM})
            response = connection.getresponse()
            answers.append((response.status, response.read()))
            time.sleep(0.5)  # the unasked-for answer arrives meanwhile
        connection.close()
    assert answers == [(200, b"1"), (200, b"1"), (200, b"2")]


@server
def test_short_answers_on_one_connection_all_arrive(served: Served) -> None:
    """Oxigraph sends small answers with a Content-Length; each must leave the backend connection
    ready for the next request (every second one used to get 503)."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    statuses = []
    for i in range(4):  # different queries: none is a kept answer
        form = urllib.parse.urlencode({"query": f"ASK {{ ?s ?p ?o }} # {i}"})
        connection.request("POST", "/query", form, {"Content-Type": guard._FORM})
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    for path in ("/", "/logo.svg", "/", "/logo.svg"):
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    connection.close()
    assert statuses == [200] * 8


@server
def test_answers_that_change_each_time_are_not_kept(served: Served) -> None:
    query = "SELECT (STRUUID() AS ?id) (NOW() AS ?at) WHERE {}"
    answers = [_ask(served.url, query, "application/sparql-results+json") for _ in range(2)]
    assert all(status == 200 and "Age" not in headers for status, headers, _ in answers)
    ids = [json.loads(body)["results"]["bindings"][0]["id"]["value"] for _, _, body in answers]
    assert ids[0] != ids[1]


def test_volatile_functions_are_found_on_the_checks_tokens() -> None:
    """ORDER BYRAND() passed the old word-boundary expression and its answer was kept; Oxigraph reads
    it as ORDER BY RAND(). Now it is refused, and RAND in a comment or a string keeps nothing from
    being kept."""
    with pytest.raises(guard.Refused, match="BYRAND"):
        guard.checked_query({"query": ["SELECT * WHERE { ?s ?p ?o } ORDER BYRAND()"]}, b"", "")
    checks = guard.Checks(1 << 20)
    for query, volatile in [
        ("SELECT * WHERE { ?s ?p ?o } ORDER BY RAND()", True),
        ("SELECT (struuid() AS ?x) WHERE {}", True),
        ("SELECT ('RAND' AS ?x) WHERE {} # NOW", False),
    ]:
        for _ in range(2):  # checked, then remembered
            assert checks.read({"query": [query]}, b"", "").volatile == volatile


def test_a_query_is_checked_once_and_a_refusal_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from exokg.query import sparql_check

    checked: list[str] = []
    real = sparql_check.check_query

    def counting(query: str, **options: object) -> list[sparql_check.Token]:
        checked.append(query)
        return real(query, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(sparql_check, "check_query", counting)
    checks = guard.Checks(1 << 20)
    allowed = f"{COUNT} # checked once"
    refused = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"
    form = urllib.parse.urlencode({"query": allowed}).encode()
    for _ in range(3):
        for params, body, kind in [({}, form, guard._FORM), ({"query": [allowed]}, b"", "")]:
            reading = checks.read(params, body, kind)
            assert reading.form == guard.encode_form({"query": [allowed]})
        with pytest.raises(guard.Refused):
            checks.read({"query": [refused]}, b"", "")
        with pytest.raises(guard.Refused, match="SERVICE"):  # the same query in a form
            checks.read({}, urllib.parse.urlencode({"query": refused}).encode(), guard._FORM)
    # once as a form and once in the URL, then remembered; a refusal checked every time
    assert checked.count(allowed) == 2 and checked.count(refused) == 6
    long = COUNT + " " * (1 << 18)  # over a quarter of the bound: checked each time
    for _ in range(2):
        checks.read({"query": [long]}, b"", "")
    assert checked.count(long) == 2


def test_remembered_checks_stay_within_their_share_of_cache_mib() -> None:
    """The memo of checks held up to 1,024 queries of 16 Ki characters (64 MiB of UCS-4) outside
    --cache-mib; now it is bounded in bytes, a share of that bound (and a few MiB when no answers
    are kept)."""
    checks = guard.Checks(1 << 20)
    for i in range(200):  # 200 queries of 64 Ki characters, one outside Latin-1: 256 KiB each
        checks.read({"query": [f"ASK {{}} # {i} \u4e00 " + "x" * 65536]}, b"", "")
    for i in range(2000):  # as forms of 6 KiB
        form = urllib.parse.urlencode({"query": f"ASK {{}} # {i} " + "é" * 1000}).encode()
        checks.read({}, form, guard._FORM)
    for i in range(5000):
        checks.read({"query": [f"ASK {{}} # {i}"]}, b"", "")
    assert checks.size <= 1 << 20
    real = sum(
        sys.getsizeof(body) + sum(sys.getsizeof(text) for field in fields for text in field)
        for _, body, fields in checks._kept
    )
    real += sum(sys.getsizeof(reading.form) for reading, _ in checks._kept.values())
    assert real <= checks.size
    answers, checks = guard.kept(512 << 20)
    assert answers.max_bytes + checks.max_bytes == 512 << 20 and checks.max_bytes == 32 << 20
    answers, checks = guard.kept(0)
    assert answers.max_bytes == 0 and checks.max_bytes == guard.CHECKS_MIN


@server
@pytest.mark.parametrize(
    "lengths",
    [["7", "7"], ["0_7"], ["+7"], ["\u0667"]],
    ids=["twice", "underscore", "plus", "arabic-digit"],
)
def test_a_content_length_that_is_not_one_decimal_number_is_400(
    served: Served, lengths: list[str]
) -> None:
    """int() accepted "0_7", "+7" and non-ASCII digits, and a second header was not looked at."""
    headers = "".join(f"Content-Length: {value}\r\n" for value in lengths)
    request = (
        "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        f"{headers}Connection: close\r\n\r\nASK {{}}"
    )
    answer = served.raw(request.encode("utf-8"))
    assert answer.split(b"\r\n")[0].split(b" ")[1] == b"400", answer[:300]
    assert b"exactly one Content-Length" in answer


SMUGGLED = b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"  # 51 bytes


def test_requests_read_differently_by_another_server_are_400(served: Served) -> None:
    """A space before the colon dropped the header (its body became a second request), a folded
    line was joined to the one before, and a request line without a version had a bare body back."""
    ask = "GET /query?query=ASK%7B%7D"
    for request in [
        f"{ask} HTTP/1.1\r\nHost: x\r\nContent-Length : 51\r\n\r\n".encode() + SMUGGLED,
        f"{ask} HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n 51\r\n\r\n".encode() + SMUGGLED,
        f"{ask} HTTP/1.1\r\n Content-Length: 51\r\nHost: x\r\n\r\n".encode() + SMUGGLED,
        f"{ask} HTTP/1.1\r\nHost: x\r\nContent\tLength: 51\r\n\r\n".encode() + SMUGGLED,
        f"{ask}\r\n\r\n".encode(),
    ]:
        answer = served.raw(request)
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400 "), (request, answer[:300])
        assert answer.count(b"HTTP/1.1 ") == 1, answer  # the body was not answered as a request
        assert body.count(b"\n") == 1 and b" \xe2\x80\x94 " in body, body


def test_a_form_with_too_many_fields_is_told_so() -> None:
    """70 fields were refused as 'not valid URL-encoded UTF-8'."""
    form = "&".join(f"f{i}=x" for i in range(70)).encode("ascii")
    with pytest.raises(guard.Refused, match="more than 64 fields"):
        guard._parse_form(form)
    assert guard._parse_form(b"query=ASK%20%7B%7D") == {"query": ["ASK {}"]}
