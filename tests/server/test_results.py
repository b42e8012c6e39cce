"""Only whole results documents are kept (exokg/server/results.py).

Oxigraph answers 200 and streams; when the query fails mid-way (a SERVICE that cannot connect) it
writes the error's text after what it had sent and ends the answer normally. The guard kept such an
answer and served it again. The documents here are oxigraph's own, made by pyoxigraph's serializers
(the server's code), and the error text is the one oxigraph 0.5.13 wrote.
"""

from __future__ import annotations

import http.client
import socket
import urllib.parse

import pyoxigraph
import pytest

from exokg.server import guard
from exokg.server.results import complete
from tests.server.test_guard import _CutShort, guard_before

ERROR = b"The port 9 is not allowed for HTTP(S) because it is dedicated to an other use"
SELECT = (
    'SELECT ?x ?y { VALUES (?x ?y) { (1 "a,b\\nc\\"d") (<http://x> UNDEF) ("x"@en 2.5e0)'
    ' (true "t\\tu") } }'
)
FORMATS = {
    "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "text/csv; charset=utf-8": pyoxigraph.QueryResultsFormat.CSV,
    "text/tab-separated-values; charset=utf-8": pyoxigraph.QueryResultsFormat.TSV,
}


def _answer(query: str, media: str) -> bytes:
    results = pyoxigraph.Store().query(query)
    assert isinstance(results, pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean)
    body = results.serialize(format=FORMATS[media])
    assert body is not None
    return body


@pytest.mark.parametrize("media", FORMATS)
@pytest.mark.parametrize("query", [SELECT, "ASK {}", "SELECT * {}", "SELECT ?x { FILTER(false) }"])
def test_oxigraphs_whole_answers_are_complete(media: str, query: str) -> None:
    assert complete(media, _answer(query, media))


@pytest.mark.parametrize("media", FORMATS)
def test_an_answer_with_an_error_appended_or_cut_short_is_not(media: str) -> None:
    whole = _answer(SELECT, media)
    header = whole[: whole.index(b"\n") + 1] if media.startswith("text/") else whole[:60]
    assert not complete(media, header + ERROR)
    assert not complete(media, whole + ERROR)
    assert not complete(media, whole[: len(whole) // 2 + 3])


def test_graphs_are_complete_when_they_parse_and_nothing_else_is() -> None:
    triples = b'<http://a> <http://b> "c" .\n'
    assert complete("application/n-quads", triples)
    assert complete("text/turtle", triples)
    assert not complete("application/n-quads", triples + ERROR)
    assert not complete("text/html", b"<html></html>")
    assert not complete("application/octet-stream", b"")


class _ErrorAppended(_CutShort):
    """A stand-in for oxigraph that answers 200 with a CSV header and then its error's text, as
    oxigraph 0.5.13 did for a SERVICE it could not reach."""

    def _serve(self) -> None:
        while True:
            connection, _ = self.listener.accept()
            with connection:
                connection.recv(65536)
                body = b"o,p,s,x\r\n" + ERROR
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/csv; charset=utf-8\r\n"
                    b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body
                )
                connection.shutdown(socket.SHUT_WR)


def test_an_answer_with_an_error_appended_is_not_kept() -> None:
    with guard_before(_ErrorAppended()) as server:
        for _ in range(2):
            connection = http.client.HTTPConnection(
                "127.0.0.1", server.server_address[1], timeout=30
            )
            form = urllib.parse.urlencode({"query": "SELECT * { ?s ?p ?o }"})
            headers = {"Content-Type": guard._FORM, "Accept": "text/csv"}
            connection.request("POST", "/query", form, headers)
            response = connection.getresponse()
            assert (response.status, response.read()) == (200, b"o,p,s,x\r\n" + ERROR)
            assert response.getheader("Age") is None, "an answer ending in an error was kept"
            connection.close()
        assert server.answers.size == 0
