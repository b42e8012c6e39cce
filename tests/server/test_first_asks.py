"""`exokg serve` answers each shipped question before anyone asks, and shares answers being made.

The first test starts a real ``exokg serve``, waits for its first asks, then stops the oxigraph process
(SIGSTOP): every question must still be answered, as the query page (YASGUI), curl and
``exokg ask --endpoint`` send it. The second sends identical requests while oxigraph is stopped and
counts how many the guard forwards.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from exokg.query.endpoint import Endpoint
from exokg.query.questions import list_questions
from exokg.server import guard
from exokg.server.guard import accept_key, guarded_server
from exokg.server.serve import prepare_store
from exokg.text.resolve import ask
from tests.server.test_guard import COUNT, MINI_KG, Served, served
from tests.server.test_serve import built_kg, free_port

server = pytest.mark.server
__all__ = ["built_kg", "served"]  # fixtures, used here
YASGUI = "application/sparql-results+json,*/*;q=0.9"  # what the query page sends for a SELECT


def _ask(url: str, query: str, accept: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        url + "/query",
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": accept},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_clients_asking_for_json_results_first_share_kept_answers() -> None:
    assert accept_key("application/sparql-results+json, application/sparql-results+xml;q=0.5") == (
        "application/sparql-results+json"
    )
    assert accept_key(YASGUI) == "application/sparql-results+json"
    assert accept_key("text/csv;q=0.9, application/sparql-results+xml") == (
        "application/sparql-results+xml"
    )
    # a tie, or a first choice that is no results format, is kept apart as sent
    tie = "application/sparql-results+json, text/csv"
    assert accept_key(tie) == tie
    assert accept_key("*/*") == "*/*"


@server
def test_serve_answers_every_question_before_anyone_asks(served: Served) -> None:
    questions = list_questions()
    deadline = time.monotonic() + 300
    while "first asks answered" not in (served.logs / "out").read_text():
        assert time.monotonic() < deadline, "the first asks did not end"
        time.sleep(0.5)
    (child,) = served.oxigraph_pids()
    os.kill(child, signal.SIGSTOP)  # from now on oxigraph answers nothing
    try:
        for question in questions:
            if not all(p.default for p in question.parameters):
                continue  # a required parameter: nothing to ask before someone does
            for accept in (YASGUI, "*/*"):  # the query page, curl
                status, headers, _ = _ask(served.url, question.sparql, accept)
                assert status == 200 and "Age" in headers, (question.name, accept)
            answer = ask(question.name, None, executor=Endpoint(served.url + "/query"))
            assert answer.variables, question.name  # exokg ask --endpoint
    finally:
        os.kill(child, signal.SIGCONT)


@server
def test_identical_requests_in_flight_share_one_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forwarded = []
    original = guard._Handler._forward

    def counting(self: guard._Handler, *args: object, **kwargs: object) -> None:
        forwarded.append(args[1])
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(guard._Handler, "_forward", counting)
    store = prepare_store(tmp_path / "store", MINI_KG)
    with guarded_server(
        store, host="127.0.0.1", port=free_port(), timeout=30, say=lambda _: None, cache_bytes=0
    ) as url:
        assert _ask(url, "ASK {}", "*/*")[0] == 200  # oxigraph is up
        forwarded.clear()
        backend_pid = _backend_pid()
        os.kill(backend_pid, signal.SIGSTOP)
        answers: list[bytes] = []
        clients = [
            threading.Thread(target=lambda: answers.append(_ask(url, COUNT, YASGUI)[2]))
            for _ in range(4)
        ]
        try:
            for client in clients:
                client.start()
            time.sleep(2)  # all four are waiting now
        finally:
            os.kill(backend_pid, signal.SIGCONT)
        for client in clients:
            client.join(60)
    assert len(answers) == 4 and len(set(answers)) == 1
    assert json.loads(answers[0])["results"]["bindings"]
    assert forwarded == ["/query"], "each identical request went to oxigraph"


def _backend_pid() -> int:
    """The oxigraph process this test process started (the guarded server runs in it)."""
    children = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            children |= {int(pid) for pid in (task / "children").read_text().split()}
        except OSError:
            continue
    (pid,) = [p for p in children if "oxigraph" in Path(f"/proc/{p}/cmdline").read_text()]
    return pid
