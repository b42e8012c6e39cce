"""How the guard reads oxigraph's answers (exokg/server/exchange.py), against canned bytes.

Each answer is written by a stand-in for oxigraph a few bytes at a time, so that every line, chunk
size and chunk is split across reads.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import pytest

from exokg.server.exchange import TooLarge, exchange, request_bytes

HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: application/sparql-results+json\r\n"
CHUNKED = HEAD + b"transfer-encoding: chunked\r\n\r\n"
REQUEST = request_bytes("POST", "/query", "127.0.0.1:1", b"query=ASK%7B%7D", {"Accept": "*/*"})


@contextmanager
def answering(answer: bytes, *, close: bool = True, step: int = 3) -> Iterator[socket.socket]:
    """The guard's end of a connection whose other end reads the request, then writes ``answer``
    ``step`` bytes at a time (and closes, if ``close``)."""
    ours, theirs = socket.socketpair()

    def write() -> None:
        with theirs, suppress(OSError):  # the guard's end stops reading at an error
            theirs.recv(65536)
            for at in range(0, len(answer), step):
                theirs.sendall(answer[at : at + step])
            if not close:
                time.sleep(2)  # hold the connection open, sending nothing more

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        with ours:
            yield ours
    finally:
        writer.join(5)


def ask(answer: bytes, limit: int = 1 << 20, **options: object) -> tuple[int, str, bytes, bool]:
    with answering(answer, **options) as sock:  # type: ignore[arg-type]
        got = exchange(sock, REQUEST, time.monotonic() + 10, limit)
    return got.status, got.content_type, got.body, got.will_close


def test_the_request_is_one_write_with_its_length() -> None:
    assert REQUEST == (
        b"POST /query HTTP/1.1\r\nHost: 127.0.0.1:1\r\nAccept-Encoding: identity\r\n"
        b"Content-Length: 15\r\nAccept: */*\r\n\r\nquery=ASK%7B%7D"
    )
    assert b"Content-Length" not in request_bytes("GET", "/", "h", None, {})
    with pytest.raises(ValueError, match="line break"):
        request_bytes("GET", "/", "h", None, {"Accept": "text/csv\r\nX-Smuggled: 1"})


@pytest.mark.parametrize("step", [3, 1 << 16], ids=["trickled", "at once"])
def test_a_chunked_answer_is_read_whole_and_the_connection_kept(step: int) -> None:
    chunks = b"5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nx-trailer: 1\r\n\r\n"
    assert ask(CHUNKED + chunks, close=False, step=step) == (
        200,
        "application/sparql-results+json",
        b"hello 0123456789",
        False,
    )


def test_an_answer_with_a_length_is_read_to_it() -> None:
    answer = HEAD + b"Content-Length: 5\r\n\r\nhello"
    assert ask(answer, close=False)[2:] == (b"hello", False)
    assert ask(answer + b"HTTP/1.1 200 OK\r\n")[2:] == (b"hello", True)  # more came: not reused
    assert ask(HEAD + b"Connection: close\r\nContent-Length: 2\r\n\r\nok")[2:] == (b"ok", True)


def test_an_answer_without_a_length_ends_when_the_connection_closes() -> None:
    assert ask(HEAD + b"\r\n" + b"x" * 70_000, step=4096)[2:] == (b"x" * 70_000, True)


@pytest.mark.parametrize(
    "answer",
    [
        HEAD + b"Content-Length: 100\r\n\r\n" + b'{"head":{}',  # as a killed oxigraph leaves it
        CHUNKED + b"a\r\n01234",
        CHUNKED + b"5\r\nhello\r\n",  # no last chunk
        CHUNKED + b"zz\r\nhello\r\n0\r\n\r\n",
        CHUNKED + b"+5\r\nhello\r\n0\r\n\r\n",
        CHUNKED + b"3\r\nhello\r\n0\r\n\r\n",  # longer than its size
        CHUNKED + b"3\r\nhel\n\n0\r\n\r\n",
        CHUNKED + b"3\nhel\r\n0\r\n\r\n",
        HEAD + b"Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        HEAD + b"Content-Length : 5\r\n\r\nhello",
        HEAD + b"X-Folded: a\r\n b\r\nContent-Length: 5\r\n\r\nhello",
        HEAD + b"Content-Length: +5\r\n\r\nhello",
        HEAD + b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        b"HTTP/1.1 2000 OK\r\n\r\n",
        b"ICY 200 OK\r\n\r\n",
        b"",
    ],
)
@pytest.mark.parametrize("step", [3, 1 << 16], ids=["trickled", "at once"])
def test_what_cannot_be_read_whole_is_an_error(answer: bytes, step: int) -> None:
    with pytest.raises(http.client.HTTPException):
        ask(answer, step=step)


@pytest.mark.parametrize(
    "answer",
    [
        HEAD + b"Content-Length: 11\r\n\r\nhello world",
        CHUNKED + b"6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n",
        HEAD + b"\r\nhello world",
    ],
)
@pytest.mark.parametrize("step", [3, 1 << 16], ids=["trickled", "at once"])
def test_an_answer_over_the_limit_is_not_read_on(answer: bytes, step: int) -> None:
    assert ask(answer, limit=11, step=step)[2] == b"hello world"
    with pytest.raises(TooLarge):
        ask(answer, limit=10, step=step)


def test_an_answer_that_stops_coming_times_out_at_the_deadline() -> None:
    with (
        answering(CHUNKED + b"5\r\nhel", close=False) as sock,
        pytest.raises(TimeoutError),
    ):
        exchange(sock, REQUEST, time.monotonic() + 0.2, 1 << 20)
