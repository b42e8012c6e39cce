"""One request to the oxigraph server behind the guard, and its whole answer, on a kept-alive socket.

``http.client`` read oxigraph's answers one chunk at a time (oxigraph writes chunks of about 1.3 KB,
some 40 to an answer of a shipped question), each through several Python calls, and set the socket's
timeout again for each. This reads into a buffer of 64 KiB and cuts the chunks out of it, setting the
timeout once per read so that the whole answer still arrives within the deadline.

Only what the guard needs of HTTP/1.1 is read, and anything else is an error, never a guess: a status
line, header fields (``Content-Length``, ``Transfer-Encoding: chunked``, ``Connection: close``), and a
body delimited by its length, by chunks or by the connection closing.
"""

from __future__ import annotations

import http.client
import re
import socket
import time
from typing import NamedTuple

__all__ = ["Answer", "TooLarge", "exchange", "request_bytes"]

READ_SIZE = 1 << 16  # bytes asked of the socket at a time
MAX_HEAD = 1 << 16  # bytes of a status line and header fields
MAX_LINE = 1 << 10  # bytes of a chunk's size line


class Answer(NamedTuple):
    status: int
    content_type: str
    body: bytes
    will_close: bool  # the connection cannot carry another request


class TooLarge(Exception):
    """The answer's body is over the limit."""


class BadAnswer(http.client.HTTPException):
    """What oxigraph sent is not an HTTP/1.1 answer the guard can read, or was cut short."""


def request_bytes(
    method: str, target: str, host: str, body: bytes | None, headers: dict[str, str]
) -> bytes:
    """The request as sent. ``headers`` values may come from a client's header lines, which the
    guard refuses with a CR or LF in them; refused here too, as ``http.client`` refuses them."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", "Accept-Encoding: identity"]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    for name, value in headers.items():
        if "\r" in value or "\n" in value:
            raise ValueError(f"the {name} header holds a line break")
        lines.append(f"{name}: {value}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head + body if body else head


class _Reader:
    """What has arrived on ``sock`` and not been read yet, filled up to the deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock, self.deadline = sock, deadline
        self.buffer = bytearray()
        self.at = 0  # where the unread part of the buffer starts
        self.space = memoryview(bytearray(READ_SIZE))

    def fill(self) -> bool:
        """Read what has arrived (waiting for it until the deadline); False if the peer closed."""
        if self.at:
            del self.buffer[: self.at]
            self.at = 0
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no whole answer within the deadline")
        self.sock.settimeout(left)
        received = self.sock.recv_into(self.space)
        self.buffer += self.space[:received]
        return received > 0

    def line(self, limit: int) -> bytes:
        """The next line, without its CRLF."""
        end = self.buffer.find(b"\r\n", self.at)
        while end < 0:
            if len(self.buffer) - self.at > limit:
                raise BadAnswer(f"a line of the answer is over {limit} bytes")
            if not self.fill():
                raise BadAnswer("the answer was cut short")
            end = self.buffer.find(b"\r\n", self.at)
        line = bytes(self.buffer[self.at : end])
        self.at = end + 2
        return line

    def take(self, size: int, into: bytearray) -> None:
        """Move the next ``size`` bytes to ``into`` (the buffer never holds more than one read)."""
        while True:
            part = min(size, len(self.buffer) - self.at)
            with memoryview(self.buffer) as view:
                into += view[self.at : self.at + part]
            self.at += part
            size -= part
            if not size:
                return
            if not self.fill():
                raise BadAnswer("the answer was cut short")

    def end_of_chunk(self) -> None:
        while len(self.buffer) - self.at < 2:
            if not self.fill():
                raise BadAnswer("the answer was cut short")
        if self.buffer[self.at : self.at + 2] != b"\r\n":
            raise BadAnswer("a chunk longer than its size")
        self.at += 2

    def rest(self, into: bytearray, limit: int) -> None:
        """Move everything until the peer closes to ``into``."""
        while True:
            with memoryview(self.buffer) as view:
                into += view[self.at :]
            self.at = len(self.buffer)
            if len(into) > limit:
                raise TooLarge
            if not self.fill():
                return


def exchange(sock: socket.socket, request: bytes, deadline: float, limit: int) -> Answer:
    """Send ``request`` on ``sock`` and read its answer whole by ``deadline`` (else TimeoutError).

    A body over ``limit`` bytes raises :class:`TooLarge`; what cannot be read raises
    :class:`BadAnswer`, and a socket error its OSError.
    """
    sock.settimeout(max(deadline - time.monotonic(), 0.001))
    sock.sendall(request)
    reader = _Reader(sock, deadline)
    status, fields, will_close = _head(reader)
    while 100 <= status < 200:  # interim answers (oxigraph sends none: nothing asks for them)
        status, fields, will_close = _head(reader)
    body = bytearray()
    codings = fields.get("transfer-encoding")
    length = fields.get("content-length")
    if status in (204, 304):
        pass
    elif codings is not None:
        if codings.strip().lower() != "chunked" or length is not None:
            raise BadAnswer(f"an answer sent as {codings!r}")
        _chunks(reader, body, limit)
    elif length is not None:
        if not (length.isascii() and length.isdigit()):
            raise BadAnswer(f"Content-Length {length!r}")
        if int(length) > limit:
            raise TooLarge
        reader.take(int(length), body)
    else:
        reader.rest(body, limit)
        will_close = True
    if reader.at != len(reader.buffer):
        will_close = True  # more than the answer arrived: nothing after it can be trusted
    content_type = fields.get("content-type", "application/octet-stream")
    return Answer(status, content_type, bytes(body), will_close)


_FRAMING = frozenset({"content-length", "transfer-encoding"})  # where the body ends


def _head(reader: _Reader) -> tuple[int, dict[str, str], bool]:
    """The status, the header fields by lower-case name, and whether the connection closes."""
    line = reader.line(MAX_HEAD)
    version, _, rest = line.partition(b" ")
    code = rest[:3]
    readable = code.isdigit() and len(code) == 3 and rest[3:4] in (b"", b" ")
    if version not in (b"HTTP/1.1", b"HTTP/1.0") or not readable:
        raise BadAnswer(f"not an HTTP answer: {line[:40]!r}")
    fields: dict[str, str] = {}
    size = len(line)
    while line := reader.line(MAX_HEAD):
        size += len(line)
        if size > MAX_HEAD:
            raise BadAnswer(f"header fields over {MAX_HEAD} bytes")
        name, colon, value = line.decode("latin-1").partition(":")
        name = name.lower()
        if not colon or not name or name != name.strip():
            raise BadAnswer(f"a header line that is not 'Name: value': {line[:40]!r}")
        if name in fields:
            if name in _FRAMING:
                raise BadAnswer(f"two {name} header lines")
            continue  # the first is the one read, as http.client's getheader reads it
        fields[name] = value.strip()
    close = "close" in fields.get("connection", "").lower() or version == b"HTTP/1.0"
    return int(code), fields, close


_PLAIN_SIZE = re.compile(rb"([0-9a-fA-F]{1,8})\r\n")  # a chunk's size line, without extensions


def _chunks(reader: _Reader, body: bytearray, limit: int) -> None:
    while True:
        # Most chunks are already whole in the buffer, with a bare size line: cut those out here
        buffer, at = reader.buffer, reader.at
        plain = _PLAIN_SIZE.match(buffer, at)
        if plain is not None:
            start = plain.end()
            end = start + int(plain[1], 16)
            if start < end and end + 2 <= len(buffer):
                if buffer[end : end + 2] != b"\r\n":
                    raise BadAnswer("a chunk longer than its size")
                if len(body) + end - start > limit:
                    raise TooLarge
                with memoryview(buffer) as view:
                    body += view[start:end]
                reader.at = end + 2
                continue
        size_line = reader.line(MAX_LINE).partition(b";")[0].strip()
        if not size_line or size_line.strip(b"0123456789abcdefABCDEF"):
            raise BadAnswer(f"a chunk size {size_line[:20]!r}")
        size = int(size_line, 16)
        if size == 0:
            while reader.line(MAX_HEAD):  # trailer fields, if any, end with an empty line
                pass
            return
        if len(body) + size > limit:
            raise TooLarge
        reader.take(size, body)
        reader.end_of_chunk()
