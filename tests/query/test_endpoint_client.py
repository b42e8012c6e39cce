"""The ``--endpoint`` client does not trust the endpoint (exokg/query/http.py, serve.py ``_solutions``).

A hostile SPARQL endpoint on loopback answers too much, too slowly, in the wrong shape, too deep, or
with a redirect elsewhere; ``exokg query --endpoint`` must end each with one line and exit 1 — bounded
in size (``--max-bytes``), in total time (``--timeout``), following no redirect to another origin.
"""

from __future__ import annotations

import http.server
import json
import select
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.conftest import ExokgRunner

ROW = {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "urn:a"}}]}}


class Hostile(http.server.BaseHTTPRequestHandler):
    """Answers every POST as ``server.mode`` says."""

    protocol_version = "HTTP/1.1"
    server: HostileServer

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        mode = self.server.mode
        if mode == "huge":  # 200 MB, sent as fast as it is read
            self._head(200, 200 << 20)
            block = b" " * (1 << 20)
            try:
                for _ in range(200):
                    self.wfile.write(block)
            except OSError:
                pass
        elif mode == "slow":  # a valid answer, one byte a second
            body = json.dumps(ROW).encode()
            self._head(200, len(body))
            try:
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    if self.server.stop.wait(1):
                        return
            except OSError:
                pass
        elif mode == "redirect":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.server.elsewhere}/query")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            body = {
                "vars-string": json.dumps({"head": {"vars": "abc"}, "results": {"bindings": []}}),
                "deep": "[" * 200_000 + "]" * 200_000,
                "not-a-term": json.dumps(
                    {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": 7}]}}
                ),
                "boolean-string": json.dumps({"head": {}, "boolean": "yes"}),
                "xml-entities": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><boolean>&a;</boolean></sparql>',
            }[mode].encode()
            content_type = "application/sparql-results+" + ("xml" if "xml" in mode else "json")
            self._head(200, len(body), content_type)
            self.wfile.write(body)

    def _head(self, status: int, length: int, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


class HostileServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    mode = ""
    elsewhere = 0
    stop: threading.Event


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    server = HostileServer(("127.0.0.1", 0), Hostile)
    server.stop = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.stop.set()
    server.shutdown()
    server.server_close()


def _ask(exokg: ExokgRunner, server: HostileServer, *options: str) -> object:
    url = f"http://127.0.0.1:{server.server_address[1]}/query"
    return exokg("query", "--sparql", "SELECT ?s { ?s ?p ?o }", "--endpoint", url, *options)


def _one_line(result: object, code: int = 1) -> None:
    assert result.returncode == code, result.stderr  # type: ignore[attr-defined]
    assert result.stderr.count("\n") == 1, result.stderr  # type: ignore[attr-defined]
    assert "internal error" not in result.stderr  # type: ignore[attr-defined]


def test_a_huge_answer_is_cut_at_max_bytes(exokg: ExokgRunner, hostile: HostileServer) -> None:
    hostile.mode = "huge"
    result = _ask(exokg, hostile, "--max-bytes", "1000000")
    _one_line(result)
    assert "over 1000000 bytes" in result.stderr  # type: ignore[attr-defined]


def test_the_default_max_bytes_bounds_a_200_mb_answer(
    exokg: ExokgRunner, hostile: HostileServer
) -> None:
    hostile.mode = "huge"
    result = _ask(exokg, hostile)
    _one_line(result)
    assert f"over {64 << 20} bytes" in result.stderr  # type: ignore[attr-defined]


def test_a_slow_answer_is_bounded_in_total_time(exokg: ExokgRunner, hostile: HostileServer) -> None:
    """One byte a second would take over a minute to send the whole answer; each wait is short."""
    hostile.mode = "slow"
    result = _ask(exokg, hostile, "--timeout", "3")
    _one_line(result)
    assert "no complete answer within 3 s" in result.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "mode", ["vars-string", "deep", "not-a-term", "boolean-string", "xml-entities"]
)
def test_a_malformed_results_document_is_one_line(
    exokg: ExokgRunner, hostile: HostileServer, mode: str
) -> None:
    hostile.mode = mode
    result = _ask(exokg, hostile)
    _one_line(result)
    assert "not SPARQL results" in result.stderr  # type: ignore[attr-defined]


def test_a_redirect_to_another_origin_is_not_followed(
    exokg: ExokgRunner, hostile: HostileServer
) -> None:
    with socket.socket() as elsewhere:
        elsewhere.bind(("127.0.0.1", 0))
        elsewhere.listen(5)
        hostile.mode, hostile.elsewhere = "redirect", elsewhere.getsockname()[1]
        result = _ask(exokg, hostile)
        _one_line(result)
        assert f"127.0.0.1:{hostile.elsewhere}" in result.stderr  # type: ignore[attr-defined]
        time.sleep(0.2)
        assert not select.select([elsewhere], [], [], 0.2)[0], "the redirect was followed"
