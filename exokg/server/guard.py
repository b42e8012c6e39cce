"""A guard in front of the Oxigraph server: the bounds of ``exokg query`` over HTTP too.

``oxigraph serve-read-only`` refuses writes, but it follows ``SERVICE <http://…>`` (it connects out
to any address a query names) and its ``--timeout-s`` does not stop every query: an aggregate over a
Cartesian product keeps a core busy long after the limit. Oxigraph has no switch for either, so
``exokg serve`` puts this small HTTP server (standard library only) in front of it:

- Oxigraph listens on a free loopback port that only the guard is told; the guard listens on the
  address the user chose.
- Queries (``/query``, and ``/sparql``, the endpoint of Oxigraph's own query page) pass the same
  :func:`exokg.query.store.check_query` as ``exokg query`` — SPARQL Update, ``SERVICE`` and a ``FROM``
  naming anything but exokg's graphs are refused — and so are ``default-graph-uri`` /
  ``named-graph-uri`` parameters naming other graphs. The guard forwards exactly what it checked.
- Nothing writes: ``/update``, ``update=`` anywhere and every method but ``GET``/``POST`` get 403.
  Other ``GET`` requests (the query page, its script and style, Graph Store reads) pass through.
- If Oxigraph has not answered within the timeout, the client gets 503 and the guard replaces the
  oxigraph process (a restart takes about 0.1 s), because only stopping it stops the runaway query.
- Answers are kept (:class:`Answers`): the store cannot change while it is served, so the same query
  asked again with the same ``Accept`` is answered from memory, with an ``Age`` header, and never
  reaches Oxigraph. Only a 200 answer whose body is a whole results document is kept
  (:mod:`exokg.server.results`): Oxigraph appends an error's text to an answer that fails mid-way. On a large store this is what makes a question answered once answer at once.

A refusal is one ``text/plain`` line: what was refused and how to ask instead.
"""

from __future__ import annotations

import hashlib
import http.client
import http.server
import io
import math
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from exokg.core.errors import DataError, ExokgError, UsageError
from exokg.server.crashes import Blame, Turns
from exokg.server.exchange import TooLarge, exchange, request_bytes
from exokg.server.oxigraph_process import base_url as _base_url
from exokg.server.oxigraph_process import cannot_listen as _cannot_listen
from exokg.server.oxigraph_process import oxigraph_binary
from exokg.server.oxigraph_process import stop as _stop
from exokg.server.oxigraph_process import wait_until_ready as _wait_until_ready
from exokg.server.results import complete

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = [
    "CACHE_BYTES",
    "QUERY_PATHS",
    "Answers",
    "Checks",
    "check_site",
    "guarded_server",
    "kept",
    "site_file",
]

QUERY_PATHS = frozenset({"/query", "/sparql"})  # /sparql: where Oxigraph's page sends queries
GRAPH_PARAMETERS = ("default-graph-uri", "named-graph-uri")
MAX_REQUEST = 1 << 20  # bytes of a request body: far more than any question needs
MAX_ANSWER = 256 << 20  # bytes of an answer held in memory before it is relayed
CACHE_BYTES = 512 << 20  # bytes of answers and checks kept for asking again, by default
CHECKS_SHARE = 16  # 1/16 of those bytes remember checked requests (32 MiB)
# Checked requests are remembered within at least this many bytes, also when no answers are kept
# (--cache-mib 0): reading and checking a question costs the guard more than all else it does.
CHECKS_MIN = 4 << 20
# What Python spends on one kept answer besides its bytes (the key tuple, the objects, the dict
# slot): about 440 bytes measured with tracemalloc on 800k tiny answers, rounded up.
ENTRY_BYTES = 512
MAX_EXITS = 5  # oxigraph exits within EXIT_WINDOW seconds before exokg serve gives up
EXIT_WINDOW = 60.0
BACKOFF, MAX_BACKOFF = 0.1, 5.0  # seconds before a restart, doubled after each exit in the window
READ_TIMEOUT = 60.0  # seconds a client may stay silent on an open connection
# Seconds from when the guard starts waiting for a request (on a new or a kept-alive connection) to
# when the request, its headers and body included, has arrived. A per-read limit alone let a client
# that sends a header line every 25 s hold a connection (and its thread) for as long as it liked.
REQUEST_SECONDS = 60.0
# The only requests answered: path → methods. The query page is oxigraph's YASGUI and its assets.
ROUTES = {
    "/": ("GET",),
    "/yasgui.min.js": ("GET",),
    "/yasgui.min.css": ("GET",),
    "/logo.svg": ("GET",),
    "/query": ("GET", "POST"),
    "/sparql": ("GET", "POST"),
    "/store": ("GET",),
}
_FORM = "application/x-www-form-urlencoded"
# A field name is a token (RFC 9110 §5.6.2); nothing may stand between it and its colon.
_TOKEN = frozenset(b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_BAD_HEADER = (
    "a header line is not 'Name: value' (a space before the colon, or a line folded onto the next)"
    " — send each header on one line, its name followed directly by ':'"
)
_SPARQL_QUERY = "application/sparql-query"
# `exokg serve --site DIR`: the website's files at /, the query page at /sparql.html instead
SITE_QUERY_PAGE = "/sparql.html"
SITE_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".rq": "text/plain; charset=utf-8",  # a question's SPARQL, shown in the browser
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
SITE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " base-uri 'none'; form-action 'self'"
)


def check_site(folder: Path) -> Path:
    """``folder`` if ``exokg site`` wrote it (its manifest and home page are there), else one line."""
    from exokg.core.outputs import MANIFEST

    if not ((folder / MANIFEST).is_file() and (folder / "index.html").is_file()):
        raise UsageError(
            f"{folder} is not a website exokg built",
            where="--site",
            fix=f"build one with `exokg site -o {folder}` (into a new or empty folder)",
        )
    return folder.resolve()


def site_file(root: Path, path: str) -> Path | None:
    """The file of the site at ``root`` that a request path names, or None.

    Only files inside ``root`` are ever served: the path is decoded once, and a segment that is
    empty-named, ``.``, ``..``, hidden (``.name``) or holds a backslash or NUL is refused before the
    file system is asked; what it names must then resolve (links followed) to a file under ``root``.
    A folder stands for its ``index.html``.
    """
    parts = urllib.parse.unquote(path).split("/")
    if parts[0] != "" or any(p.startswith(".") or "\\" in p or "\x00" in p for p in parts[1:] if p):
        return None
    target = root.joinpath(*[p for p in parts if p])
    try:
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        resolved = target.resolve()
        if resolved.is_relative_to(root) and resolved.is_file():
            return resolved
    except (OSError, ValueError):
        pass
    return None


class Refused(Exception):
    """A request the guard answers itself, with an HTTP status and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --- answers kept -----------------------------------------------------------------------------------


class Answer:
    """A kept answer; ``size`` counts its request too, which can be far larger than the answer."""

    __slots__ = ("body", "content_type", "kept_at", "size")

    def __init__(self, key: tuple[bytes, str], content_type: str, body: bytes) -> None:
        self.content_type, self.body, self.kept_at = content_type, body, time.monotonic()
        self.size = ENTRY_BYTES + len(key[0]) + len(key[1]) + len(content_type) + len(body)


class Answers:
    """Successful answers by request (the query form as forwarded, and the ``Accept`` header).

    The guard only ever serves a read-only store, so an answer stays right for as long as the server
    runs. At most ``max_bytes`` of answers, with their requests, are kept: the least recently asked go
    first, and one over a quarter of the bound is not kept, so that it cannot flush the rest.
    ``max_bytes=0`` keeps nothing.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._kept: OrderedDict[tuple[bytes, str], Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[bytes, str]) -> Answer | None:
        with self._lock:
            answer = self._kept.get(key)
            if answer is not None:
                self._kept.move_to_end(key)
            return answer

    def put(self, key: tuple[bytes, str], content_type: str, body: bytes) -> None:
        answer = Answer(key, content_type, body)
        if not self.max_bytes or answer.size > self.max_bytes // 4:
            return
        with self._lock:
            if (old := self._kept.pop(key, None)) is not None:
                self.size -= old.size
            self._kept[key] = answer
            self.size += answer.size
            while self.size > self.max_bytes:
                _, dropped = self._kept.popitem(last=False)
                self.size -= dropped.size


class Flight:
    """One request being answered by oxigraph; identical requests arriving meanwhile wait for it."""

    __slots__ = ("answer", "done", "waiting")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.answer: tuple[str, bytes] | None = None  # content type and body, when it succeeded
        self.waiting = 0  # requests that joined it


class Flights:
    """Requests in flight by key: the first asks oxigraph, the others share its answer.

    Several people opening the same slow question at once (the first minutes after a start, a class
    following one link) then cost oxigraph one evaluation, not one each.
    """

    def __init__(self) -> None:
        self._flying: dict[tuple[bytes, str], Flight] = {}
        self._lock = threading.Lock()

    def join(self, key: tuple[bytes, str]) -> tuple[Flight, bool]:
        """The flight for ``key`` and whether the caller leads it (and must call :meth:`land`)."""
        with self._lock:
            flight = self._flying.get(key)
            if flight is not None:
                flight.waiting += 1
                return flight, False
            flight = self._flying[key] = Flight()
            return flight, True

    def land(self, key: tuple[bytes, str], flight: Flight) -> None:
        with self._lock:
            self._flying.pop(key, None)
        flight.done.set()


# Results formats by media type, as a client names them in Accept: requests whose most wanted type is
# the same results format share kept answers (exokg ask --endpoint and YASGUI both ask for JSON first,
# with different fallbacks). Any other Accept is kept apart, exactly as sent.
RESULTS_TYPES = frozenset(
    {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    }
)


def accept_key(accept: str) -> str:
    """``accept`` reduced to the results format it asks for first, when that is one; else as sent."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    return accept
        ranges.append((-quality, position, media.lower()))
    ranges.sort()
    if (
        ranges
        and ranges[0][2] in RESULTS_TYPES
        and (len(ranges) == 1 or ranges[1][0] > ranges[0][0])
    ):
        return ranges[0][2]
    return accept


# --- the oxigraph process ---------------------------------------------------------------------------


class Backend:
    """The read-only oxigraph process behind the guard, replaced when a query overruns.

    Each start gets a new free loopback port and a new generation number; a request remembers the
    generation it was sent to, so that several requests timing out together restart it only once.
    """

    def __init__(
        self,
        store_dir: Path,
        *,
        timeout: float,
        say: Callable[[str], None],
        gave_up: threading.Event | None = None,
    ) -> None:
        self.store_dir = store_dir
        self.timeout = timeout
        self.say = say
        self.port = 0
        self.generation = 0
        self.gave_up = gave_up or threading.Event()
        self.failure = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._exits: list[float] = []
        self.blame = Blame()
        self.turns = Turns()

    def start(self) -> None:
        with self._lock:
            self._start()
        threading.Thread(target=self._supervise, name="exokg-supervisor", daemon=True).start()

    def _supervise(self) -> None:
        """Restart oxigraph whenever it exits, however (a crash, ``kill -9``), with back-off.

        An exit while queries were in flight is put down to them (:class:`~exokg.server.crashes.Blame`)
        and restarted after :data:`BACKOFF`; it does not count below, so no client's query can stop
        the server. More than :data:`MAX_EXITS` other exits within :data:`EXIT_WINDOW` seconds: give
        up, and let ``exokg serve`` stop with a message (``gave_up`` is set) rather than answer 503
        forever.
        """
        while not self._stopped.wait(0.1):
            with self._lock:
                process = self._process
                if self._stopped.is_set():
                    return  # stopped while this thread waited for the lock: the exit was ours
                if process is None or process.poll() is None:
                    continue
                if self.blame.exited(self.generation):
                    delay = BACKOFF
                    said = (
                        f"exokg: the query server exited while answering (code {process.returncode});"
                        f" the queries in flight are answered alone from now on, and refused if one"
                        f" stops it again; restarting in {delay:g} s"
                    )
                else:
                    now = time.monotonic()
                    self._exits = [t for t in self._exits if now - t < EXIT_WINDOW] + [now]
                    if len(self._exits) > MAX_EXITS:
                        self.failure = (
                            f"the oxigraph query server exited {len(self._exits)} times within"
                            f" {EXIT_WINDOW:g} s (last exit code {process.returncode})"
                        )
                        self.gave_up.set()
                        return
                    delay = min(BACKOFF * 2 ** (len(self._exits) - 1), MAX_BACKOFF)
                    said = (
                        f"exokg: the query server exited (code {process.returncode});"
                        f" restarting in {delay:g} s"
                    )
            self.say(said)
            if self._stopped.wait(delay):
                return
            with self._lock:
                if self._stopped.is_set():
                    return
                if self._process is not process:
                    continue  # restarted meanwhile (after a timeout)
                try:
                    self._start()
                except ExokgError as error:
                    self.say(f"exokg: could not restart the query server: {error.line()}")
                    continue
            self.say("exokg: query server restarted")

    def _start(self) -> None:
        port = _free_loopback_port()
        command = [
            str(oxigraph_binary()),
            "serve-read-only",
            "--location",
            str(self.store_dir),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            # A second after the guard's: oxigraph reports its own timeout inside a 200 answer that
            # is cut short, which the guard must never relay (or keep); the guard stops it first.
            str(math.ceil(self.timeout) + 1),
        ]
        # Quiet: its "Listening at" line would name the internal port, which users must not use.
        # Its own session: Ctrl-C in the terminal reaches exokg alone, which then stops oxigraph.
        # Sent to both, oxigraph died first and the supervisor restarted it just before the stop.
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        # The new port and generation are seen by others only once the lock is released (a start
        # holds it), so no query boards a process that failed to start.
        self._process, self.port = process, port
        self.generation += 1
        try:
            _wait_until_ready(process, _base_url("127.0.0.1", port), abandon=self._stopped)
        except DataError as error:
            _stop(process)
            self.blame.stopped(self.generation)  # no query caused it: the supervisor counts it
            raise DataError(
                error.what,
                where="exokg serve",
                fix=f"run `{' '.join(command)}` to see oxigraph's message",
            ) from None

    def current(self) -> tuple[int, int]:
        """The port and generation to send a request to; waits while a restart is under way."""
        with self._lock:
            return self.port, self.generation

    def refuses(self, query: bytes) -> bool:
        """Whether ``query`` (:attr:`Verdict.fingerprint`) stopped oxigraph while it ran alone."""
        with self._lock:
            return query in self.blame.refused

    @contextmanager
    def asking(self, query: bytes) -> Iterator[tuple[int, int]]:
        """The port and generation to send ``query`` to, with ``query`` in flight there meanwhile.

        A suspect (it was in flight when oxigraph exited) waits until no other query is in flight,
        and is then the only one; a query refused for stopping oxigraph gets :class:`Refused`.
        """
        with self._lock:
            if query in self.blame.refused:
                raise Refused(400, _STOPPED_IT)
            alone = query in self.blame.suspects
        with self.turns.take(alone, self.timeout) as had:
            if not had:
                raise Refused(
                    503, "the query server is busy with a query it answers alone — try again"
                )
            with self._lock:
                port, generation = self.port, self.generation
                self.blame.board(generation, query)
            try:
                yield port, generation
            finally:
                with self._lock:
                    self.blame.leave(generation, query)

    def answered(self, query: bytes) -> None:
        """``query`` was answered without oxigraph exiting: it is no longer a suspect."""
        with self._lock:
            self.blame.cleared(query)

    def crashed(self, generation: int, query: bytes) -> bool:
        """After the connection to oxigraph broke while asking ``query``: whether the process it was
        asked of exited (waited for up to 2 s); the exit is then put down to the queries in flight."""
        with self._lock:
            verdict = self.blame.verdict(generation)
            process = self._process if generation == self.generation else None
        if verdict is None and process is not None:
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                return False  # alive: the connection broke for another reason
            with self._lock:
                if self._stopped.is_set():
                    return False
                verdict = self.blame.exited(generation)
        return bool(verdict)

    def restart(self, generation: int) -> str:
        """Stop the process a runaway query was sent to and start a fresh one on the same store;
        what to say about it (the caller says it, after answering: saying can block), or ""."""
        with self._lock:
            if generation != self.generation or self._process is None or self._stopped.is_set():
                return ""  # another request has restarted it already, or the server is stopping
            started = time.monotonic()
            self.blame.stopped(generation)  # the guard's doing: not the queries' in flight
            self._process.kill()  # read-only: nothing to save, and SIGKILL cannot be delayed
            self._process.wait()
            try:
                self._start()
            except ExokgError as error:
                if self._stopped.is_set():
                    return ""
                return f"exokg: could not restart the query server: {error.line()}"
        return (
            f"exokg: a query ran past {self.timeout:g} s; "
            f"query server restarted in {time.monotonic() - started:.2f} s"
        )

    def stop(self) -> None:
        """Stop oxigraph for good. Set first: a restart then neither waits on nor starts a process."""
        self._stopped.set()
        with self._lock:
            if self._process is not None:
                _stop(self._process)


def _free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# --- checking a request -----------------------------------------------------------------------------


def checked(
    params: dict[str, list[str]], body: bytes, content_type: str
) -> tuple[dict[str, list[str]], Verdict]:
    """:func:`checked_query`, and the check's :class:`Verdict` on the query."""
    from exokg.query.sparql_check import GRAPHS

    params = {name: list(values) for name, values in params.items()}
    if content_type == _FORM:
        for name, values in _parse_form(body).items():
            params.setdefault(name, []).extend(values)
    elif content_type == _SPARQL_QUERY:
        params.setdefault("query", []).append(_text(body))
    elif body:
        raise Refused(
            400, f"unsupported Content-Type {content_type!r} — send {_FORM} or {_SPARQL_QUERY}"
        )
    if "update" in params:
        raise Refused(403, _READ_ONLY)
    queries = params.get("query", [])
    if len(queries) != 1:
        raise Refused(
            400, "give exactly one query — as query=… or as an application/sparql-query body"
        )
    for name in GRAPH_PARAMETERS:
        for iri in params.get(name, []):
            if iri not in GRAPHS:
                raise Refused(
                    403,
                    f"{name} <{iri}> is not allowed: this server answers over exokg's graphs only"
                    f" — name one of {', '.join(sorted(GRAPHS))}, or none",
                )
    forward = {name: params[name] for name in ("query", *GRAPH_PARAMETERS) if name in params}
    try:
        verdict = _verdict(queries[0])
    except UsageError as error:
        raise Refused(403, f"{error.what} — {_server_fix(error)}") from None
    return forward, verdict


def checked_query(
    params: dict[str, list[str]], body: bytes, content_type: str
) -> dict[str, list[str]]:
    """The query parameters to forward, after the checks ``exokg query`` makes; else :class:`Refused`.

    ``params`` come from the URL; a form body adds to them and a ``application/sparql-query`` body
    is the query. Only the parameters checked here are forwarded, so the server sees what the
    guard saw.
    """
    return checked(params, body, content_type)[0]


class Verdict(NamedTuple):
    """What the check found in a query it allowed."""

    volatile: bool  # it calls a function whose value changes each time: its answer is not kept
    fingerprint: bytes  # SHA-256 of its tokens: the same query however spaced, cased or commented


def _verdict(query: str) -> Verdict:
    from exokg.query.sparql_check import GRAPHS, check_query, is_volatile

    read = check_query(query, allow_service=(), allow_from=GRAPHS, where="query")
    words = " ".join(t.text.upper() if t.kind == "word" else t.text for t in read)
    return Verdict(is_volatile(read), hashlib.sha256(words.encode("utf-8")).digest())


class Reading(NamedTuple):
    """A query request the guard allowed, as it forwards it."""

    form: bytes  # the query and its graphs, as forwarded to oxigraph (:func:`encode_form`)
    query: bytes  # SHA-256 of the query's tokens and its graphs: the same query however written
    volatile: bool  # it calls a function whose value changes each time: its answer is not kept


def read_request(params: dict[str, list[str]], body: bytes, content_type: str) -> Reading:
    """:func:`checked`, and what the guard forwards and counts the query by; else :class:`Refused`."""
    forward, verdict = checked(params, body, content_type)
    graphs = {name: forward[name] for name in GRAPH_PARAMETERS if name in forward}
    query = hashlib.sha256(
        verdict.fingerprint + urllib.parse.urlencode(graphs, doseq=True).encode()
    ).digest()
    return Reading(encode_form(forward), query, verdict.volatile)


class Checks:
    """Query requests read and checked (:func:`read_request`: the form decoded, the query checked
    as ``exokg query`` checks it, the form to forward encoded), remembered by the request as it
    came (the URL's parameters, the content type and the body) within ``max_bytes``. The same
    questions come again and again, and reading one costs about 0.8 ms (the check 0.65 ms, decoding
    a form 0.13 ms), a tenth of what oxigraph spends answering a shipped question. Each is a pure
    function of the request: exokg's graphs and the refusal of every ``SERVICE`` do not change
    while the guard runs. A refusal raises, so is not remembered.

    Volatile functions (``NOW``, ``RAND``, …) are found on the check's own tokens, so ``ORDER
    BYRAND()``, which Oxigraph reads as ``BY RAND()``, cannot hide one. Each entry counts what
    Python holds of the request and of its reading, and :data:`ENTRY_BYTES`; the least recently
    asked go first, and a request over a quarter of the bound is read each time. ``max_bytes=0``
    remembers nothing.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._kept: OrderedDict[tuple[str, bytes, tuple[tuple[str, ...], ...]], tuple[Reading, int]]
        self._kept = OrderedDict()
        self._lock = threading.Lock()

    def read(self, params: dict[str, list[str]], body: bytes, content_type: str) -> Reading:
        fields = tuple((name, *values) for name, values in params.items())
        key = (content_type, body, fields)
        with self._lock:
            if (kept := self._kept.get(key)) is not None:
                self._kept.move_to_end(key)
                return kept[0]
        reading = read_request(params, body, content_type)
        size = (
            ENTRY_BYTES
            + sys.getsizeof(body)
            + sum(sys.getsizeof(text) for field in fields for text in field)
            + sys.getsizeof(reading.form)
        )
        if size > self.max_bytes // 4:
            return reading
        with self._lock:
            if (old := self._kept.pop(key, None)) is not None:
                self.size -= old[1]
            self._kept[key] = (reading, size)
            self.size += size
            while self.size > self.max_bytes:
                _, (_, dropped) = self._kept.popitem(last=False)
                self.size -= dropped
        return reading


_STOPPED_IT = (
    "this query stopped the query server when it was answered alone, and is refused from now on"
    " — simplify it (fewer patterns, operators or path steps), or run it with `exokg query`"
)
_READ_ONLY = "SPARQL Update is not allowed: this server is read-only — send SELECT, ASK, CONSTRUCT or DESCRIBE"


def _server_fix(error: UsageError) -> str:
    if error.what.startswith("SPARQL Update"):
        return "this server is read-only; send SELECT, ASK, CONSTRUCT or DESCRIBE"
    if error.what.startswith("SERVICE"):
        return "this server does not federate; run the federated query with `exokg query --allow-service URL`"
    return error.fix


def request_target(raw: str) -> tuple[str, str]:
    """The path and query string of a request target in any form HTTP/1.1 allows (RFC 9112 §3.2).

    Origin form (``/query?x``) and absolute form (``http://host/query?x``) give their path; the
    authority form (``host:443``, for CONNECT) and the asterisk form (``*``, for OPTIONS) name no
    path and are refused. The path is compared as it is — ``/%71uery`` is not ``/query`` — and only
    the path the guard chose is forwarded, never the target as sent.
    """
    if raw.startswith("/"):
        path, _, query = raw.partition("?")
        return path.partition("#")[0], query.partition("#")[0]
    if raw[:7].lower() == "http://" or raw[:8].lower() == "https://":
        parts = urllib.parse.urlsplit(raw)
        return parts.path or "/", parts.query
    form = "asterisk" if raw == "*" else "authority"
    raise Refused(
        400, f"a request target in {form} form names no page — send GET or POST to /query"
    )


def _store_parameters(params: dict[str, list[str]]) -> str:
    """A Graph Store read names one graph (or the default one) and nothing else."""
    from exokg.query.sparql_check import GRAPHS

    if set(params) - {"graph", "default"} or sum(len(v) for v in params.values()) != 1:
        raise Refused(400, "read the store with ?graph=IRI or ?default, and nothing else")
    graph = params.get("graph", [None])[0]
    if graph is not None and graph not in GRAPHS:
        raise Refused(404, f"no graph <{graph}> here — name one of {', '.join(sorted(GRAPHS))}")
    return urllib.parse.urlencode(params, doseq=True)


MAX_FIELDS = 64  # fields of a form or a query string; a question needs one to three


def encode_form(fields: dict[str, list[str]]) -> bytes:
    """``fields`` as ``application/x-www-form-urlencoded``, every byte of every name and value
    percent-encoded (``query=%53%45…``): what any form decoder reads back as ``fields``.

    ``urllib.parse.urlencode`` quotes one byte at a time in Python, which took about 0.4 ms of the
    guard's 2 ms of work on each question it forwards; this is one C call per field. The body it
    makes is three times the size, which on loopback costs nothing measurable.
    """
    return "&".join(
        f"{_quote(name)}={_quote(value)}" for name, values in fields.items() for value in values
    ).encode("ascii")


def _quote(text: str) -> str:
    data = text.encode("utf-8")
    return "%" + data.hex("%") if data else ""


def _parse_form(body: bytes) -> dict[str, list[str]]:
    if body.count(b"&") >= MAX_FIELDS:  # parse_qs's own count, said plainly
        raise Refused(
            400, f"the form has more than {MAX_FIELDS} fields — send query= and the graphs only"
        )
    try:
        return urllib.parse.parse_qs(
            body.decode("ascii"), keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS
        )
    except (UnicodeDecodeError, ValueError):
        raise Refused(
            400, "the form is not valid URL-encoded UTF-8 — encode it as a browser does"
        ) from None


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the query is not UTF-8 — send it encoded as UTF-8") from None


# --- the HTTP server --------------------------------------------------------------------------------


class _GuardServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(
        self,
        host: str,
        port: int,
        backend: Backend,
        timeout: float,
        answers: Answers,
        site: Path | None = None,
        checks: Checks | None = None,
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.site = site
        self.backend = backend
        self.timeout_s = timeout
        self.answers = answers
        self.checks = checks or Checks(0)
        self.flights = Flights()
        super().__init__((host, port), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A connection that broke (the client went away, or stalled): one line, never a traceback."""
        error = sys.exc_info()[1]
        where = ":".join(map(str, client_address)) if isinstance(client_address, tuple) else "?"
        self.backend.say(f"exokg: connection from {where} ended: {type(error).__name__}: {error}")

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's DNS name, which can take seconds; not needed.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]


def _readable(sock: socket.socket) -> bool:
    """Whether anything (data, the peer's close, an error) is waiting on ``sock``, without waiting."""
    sock.settimeout(0)
    try:
        sock.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
        return False
    except OSError:
        pass
    return True


class _Deadline(io.RawIOBase):
    """The client's side of a connection, read only until the handler's request deadline."""

    def __init__(self, handler: _Handler) -> None:
        self.handler = handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        handler = self.handler
        left = handler.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the request did not arrive within {handler.request_seconds:g} s")
        connection = handler.connection
        connection.settimeout(min(left, handler.timeout))
        try:
            received: int = connection.recv_into(buffer)
            return received
        finally:
            connection.settimeout(handler.timeout)  # writing the answer has its own limit


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as clients of a SPARQL endpoint expect
    disable_nagle_algorithm = True  # else headers and body wait on the client's delayed ACK (40 ms)
    timeout = READ_TIMEOUT  # an idle or stalled connection is closed, and its thread ends
    request_seconds = REQUEST_SECONDS  # the whole request, however it trickles in
    deadline = math.inf
    server: _GuardServer
    raw_requestline: bytes
    _backend: socket.socket | None = None  # the connection to oxigraph
    _backend_used = 0.0  # when a request was last sent on it
    _headers_buffer: list[bytes]  # the stdlib's, where send_header collects the head
    _connected_to = 0

    def setup(self) -> None:
        super().setup()
        self.rfile.close()
        self.rfile = io.BufferedReader(_Deadline(self), max(self.rbufsize, io.DEFAULT_BUFFER_SIZE))

    def handle_one_request(self) -> None:
        self.deadline = time.monotonic() + self.request_seconds
        super().handle_one_request()

    def parse_request(self) -> bool:
        """The stdlib's parsing, made strict where a lenient reading lets requests be smuggled.

        A request line without a version (HTTP/0.9) would be answered with a bare body, and the
        stdlib drops a header line with a space before its colon (the rest, this ``Content-Length``
        included, becomes "body") and joins folded lines: all three are refused (RFC 9112 §3, §5).
        """
        if len(self.raw_requestline.split()) == 2:
            self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
            self.command, self.request_version = "", "HTTP/1.1"
            self._refuse_request("the request line has no HTTP version — end it with HTTP/1.1")
            return False
        if not super().parse_request():
            return False
        headers = self.headers
        if (
            headers.defects
            or headers.get_unixfrom() is not None
            or headers.get_payload()
            or any(
                not name
                or not set(name.encode("latin-1")) <= _TOKEN
                or "\n" in value
                or "\r" in value
                for name, value in headers.raw_items()
            )
        ):
            self._refuse_request(_BAD_HEADER)
            return False
        return True

    def _refuse_request(self, line: str) -> None:
        """400 with one line, and the connection closes: what follows cannot be read reliably."""
        self.close_connection = True
        with suppress(OSError):
            self._answer(400, "text/plain; charset=utf-8", line.encode() + b"\n")

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_OPTIONS(self) -> None:
        self._handle()

    def do_TRACE(self) -> None:
        self._handle()

    def do_CONNECT(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: one line per request would drown the links ``exokg serve`` prints."""

    def _handle(self) -> None:
        try:
            path, query_string = request_target(self.path)
            body = self._body()
            params = _parse_form(query_string.encode("ascii", "replace"))
            content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if path == "/update" or "update" in params:
                raise Refused(403, _READ_ONLY)
            if self.server.site is not None and self.command == "GET":
                if path == SITE_QUERY_PAGE:
                    self._forward("GET", "/", None, {})
                    return
                if path == "/" or path not in ROUTES:
                    self._site(path)
                    return
            methods = ROUTES.get(path)
            if methods is None:
                raise Refused(
                    404,
                    f"{path} is not a page of this server — query /query, or open / for the page",
                )
            if self.command not in methods:
                if path == "/store" or self.command in ("PUT", "DELETE", "PATCH", "POST"):
                    raise Refused(
                        403,
                        f"{self.command} {path} is not allowed: this server is read-only"
                        " — query with GET or POST on /query",
                    )
                raise Refused(
                    405, f"{self.command} {path} is not answered — use {' or '.join(methods)}"
                )
            if path in QUERY_PATHS:
                form, query, volatile = self.server.checks.read(
                    params, body, content_type if self.command == "POST" else ""
                )
                if self.server.backend.refuses(query):
                    raise Refused(400, _STOPPED_IT)
                key = (form, accept_key(self.headers.get("Accept", "")))
                if (kept := self.server.answers.get(key)) is not None:
                    age = str(int(time.monotonic() - kept.kept_at))
                    self._answer(200, kept.content_type, kept.body, {"Age": age, "Vary": "Accept"})
                elif volatile:
                    self._forward("POST", "/query", form, {"Content-Type": _FORM}, query=query)
                else:
                    self._ask_once(key, form, query)
            elif path == "/store":
                self._forward("GET", "/store?" + _store_parameters(params), None, {})
            else:
                self._forward("GET", path, None, {})
        except Refused as refusal:
            self._answer(
                refusal.status, "text/plain; charset=utf-8", refusal.message.encode() + b"\n"
            )

    def _site(self, path: str) -> None:
        """A file of the website, with its content type and the site's content-security policy."""
        assert self.server.site is not None
        found = site_file(self.server.site, path)
        if found is None:
            raise Refused(404, f"{path} is not a page of this site — open / for its home page")
        body = found.read_bytes()
        kind = SITE_TYPES.get(found.suffix.lower(), "application/octet-stream")
        headers = {"Content-Security-Policy": SITE_POLICY, "X-Content-Type-Options": "nosniff"}
        self._answer(200, kind, body, headers)

    def _ask_once(self, key: tuple[bytes, str], form: bytes, query: bytes) -> None:
        """Forward a deterministic query, unless the same request is in flight: then share its
        answer (or, if it failed, ask again)."""
        flight, leading = self.server.flights.join(key)
        if leading:
            try:
                self._forward(
                    "POST",
                    "/query",
                    form,
                    {"Content-Type": _FORM},
                    keep=key,
                    flight=flight,
                    query=query,
                )
            finally:
                self.server.flights.land(key, flight)
            return
        flight.done.wait(self.server.timeout_s)
        if flight.answer is not None:
            self._answer(200, *flight.answer, {"Vary": "Accept"})
        else:
            self._forward("POST", "/query", form, {"Content-Type": _FORM}, keep=key, query=query)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Malformed requests and unknown methods: one text line too, and the connection closes."""
        short = self.responses.get(code, ("error",))[0]
        self.close_connection = True
        if self.request_version not in (
            "HTTP/1.0",
            "HTTP/1.1",
        ):  # unparsed: answer with a status line
            self.request_version = "HTTP/1.0"
        line = f"{message or short} — send GET or POST to /query".replace("\n", " ")
        with suppress(OSError):
            self._answer(code, "text/plain; charset=utf-8", line.encode("utf-8", "replace") + b"\n")

    def _body(self) -> bytes:
        if "Transfer-Encoding" in self.headers:
            self.close_connection = True
            raise Refused(411, "chunked requests are not accepted — send a Content-Length")
        lengths = self.headers.get_all("Content-Length") or ["0"]
        if (
            len(lengths) != 1
            or not lengths[0].strip().isascii()
            or not lengths[0].strip().isdigit()
        ):
            # int() reads "0_7" and " +7"; two headers may be read differently by another proxy
            self.close_connection = True
            raise Refused(400, "send exactly one Content-Length, in decimal digits")
        length = int(lengths[0])
        if not 0 <= length <= MAX_REQUEST:
            self.close_connection = True
            raise Refused(413, f"the request body must be 0 to {MAX_REQUEST} bytes")
        return self.rfile.read(length) if length else b""

    def _forward(
        self,
        method: str,
        target: str,
        body: bytes | None,
        headers: dict[str, str],
        keep: tuple[bytes, str] | None = None,
        flight: Flight | None = None,
        query: bytes | None = None,
    ) -> None:
        """Send the request to oxigraph and relay its answer, or answer 503 after the timeout.

        A successful answer to a request with a ``keep`` key is kept in the server's answers, and
        handed to the requests waiting on ``flight``. A ``query`` (:attr:`Verdict.fingerprint`) is
        in flight meanwhile: if oxigraph exits before answering, the exit is put down to it.
        """
        if query is None:
            self._relay(method, target, body, headers, self.server.backend.current(), keep, flight)
            return
        with self.server.backend.asking(query) as (port, generation):
            self._relay(method, target, body, headers, (port, generation), keep, flight, query)

    def _relay(
        self,
        method: str,
        target: str,
        body: bytes | None,
        headers: dict[str, str],
        backend: tuple[int, int],
        keep: tuple[bytes, str] | None,
        flight: Flight | None,
        query: bytes | None = None,
    ) -> None:
        if accept := self.headers.get("Accept"):
            headers["Accept"] = accept
        port, generation = backend
        deadline = time.monotonic() + self.server.timeout_s
        try:
            request = request_bytes(method, target, f"127.0.0.1:{port}", body, headers)
            response = exchange(self._backend_socket(port), request, deadline, MAX_ANSWER)
        except TimeoutError:
            self._drop_connection()
            # Replaced before the client hears of it: a query it sends next goes to the new process,
            # not to the one about to be stopped (where it failed with 503 in turn)
            said = self.server.backend.restart(generation)
            self._answer(
                503,
                "text/plain; charset=utf-8",
                f"no answer within {self.server.timeout_s:g} s: the query was stopped"
                " — simplify it or add a LIMIT\n".encode(),
            )
            if said:
                self.server.backend.say(said)
            return
        except TooLarge:
            self._drop_connection()
            raise Refused(503, f"the answer is over {MAX_ANSWER >> 20} MiB — add a LIMIT") from None
        except (OSError, http.client.HTTPException):
            self._drop_connection()
            if query is not None and self.server.backend.crashed(generation, query):
                if self.server.backend.refuses(query):
                    raise Refused(400, _STOPPED_IT) from None
                raise Refused(
                    503,
                    "the query server stopped while answering (it is restarting) — try again;"
                    " a query that stops it again is refused",
                ) from None
            raise Refused(
                503,
                "the query server is not answering (restarting after a runaway query?) — try again",
            ) from None
        if query is not None:
            self.server.backend.answered(query)
        if response.will_close:
            self._drop_connection()
        content_type, body = response.content_type, response.body
        if keep is not None and keep[1] in RESULTS_TYPES:  # shared by format: only in that format
            keep = keep if content_type.split(";")[0].strip().lower() == keep[1] else None
        # whether the answer is whole is read (parsed) only when it may be kept or shared
        shared = self.server.answers.max_bytes or (flight is not None and flight.waiting)
        if keep is not None and shared and response.status == 200 and complete(content_type, body):
            self.server.answers.put(keep, content_type, body)
            if flight is not None:
                flight.answer = (content_type, body)
        self._answer(
            response.status, content_type, body, {"Vary": "Accept"} if target == "/query" else None
        )

    def _backend_socket(self, port: int) -> socket.socket:
        """The connection to oxigraph on ``port``, kept open from one request to the next while
        oxigraph keeps it: it closes a connection idle for its ``--timeout-s`` (a second or more
        after the guard's timeout), writing an unasked-for 500 first, which must never be read as
        the answer to the next request. So a connection idle for the guard's timeout, or on which
        anything has arrived unasked, is replaced."""
        if self._backend is not None and (
            self._connected_to != port
            or time.monotonic() - self._backend_used >= self.server.timeout_s
            or _readable(self._backend)
        ):
            self._drop_connection()
        if self._backend is None:
            self._backend = socket.create_connection(("127.0.0.1", port), self.server.timeout_s)
            self._backend.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._connected_to = port
        self._backend_used = time.monotonic()
        return self._backend

    def _drop_connection(self) -> None:
        if self._backend is not None:
            self._backend.close()
            self._backend = None

    def _answer(
        self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        # end_headers() would send the head on its own: one write of head and body is one system
        # call and one release of the interpreter's lock fewer
        head = b"".join(self._headers_buffer) + b"\r\n"
        self._headers_buffer = []
        self.wfile.write(head + body)

    def finish(self) -> None:
        self._drop_connection()
        super().finish()


def kept(cache_bytes: int) -> tuple[Answers, Checks]:
    """What ``--cache-mib`` bounds: answers, and 1/:data:`CHECKS_SHARE` of it (at least
    :data:`CHECKS_MIN`, even when no answers are kept) the requests read and checked."""
    checks = cache_bytes // CHECKS_SHARE
    return Answers(cache_bytes - checks), Checks(max(checks, CHECKS_MIN))


@contextmanager
def guarded_server(
    store_dir: Path,
    *,
    host: str,
    port: int,
    timeout: float,
    say: Callable[[str], None] = print,
    gave_up: threading.Event | None = None,
    cache_bytes: int = CACHE_BYTES,
    site: Path | None = None,
) -> Iterator[str]:
    """Run read-only oxigraph on ``store_dir`` behind the guard on ``host:port``; yield its base URL.

    The guard and oxigraph are both stopped when the block ends, however it ends. ``gave_up`` is set
    when oxigraph keeps exiting (see :meth:`Backend._supervise`). Up to ``cache_bytes`` of answers
    and of checked requests are kept for asking again (0: no answers; see :func:`kept`).
    """
    backend = Backend(store_dir, timeout=timeout, say=say, gave_up=gave_up)
    try:
        answers, checks = kept(cache_bytes)
        server = _GuardServer(host, port, backend, timeout, answers, site, checks)
    except OSError as error:
        raise _cannot_listen(host, port, error) from None
    thread = threading.Thread(target=server.serve_forever, name="exokg-guard", daemon=True)
    try:
        backend.start()
        thread.start()
        yield _base_url(host, port)
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        backend.stop()
