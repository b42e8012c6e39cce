"""Serving the graph: the Oxigraph server behind exokg's guard.

When the graph outgrows one process, exokg hands it to a real SPARQL server rather than growing a
home-made one: :func:`serve` loads the compiled graph into an on-disk Oxigraph store and runs the
``oxigraph`` server binary (from the PyPI ``oxigraph`` package) read-only, behind the guard of
:mod:`exokg.server.guard` (the query checks and timeout of ``exokg query``), on loopback unless told
otherwise. Its built-in YASGUI page (bundled in the binary, no CDN) runs any
query; :func:`question_links` gives one link per competency question that opens the page with that
question filled in.

Asking a served graph (or any other SPARQL endpoint) is :mod:`exokg.query.endpoint`'s job.

Only the standard library is imported at module level; pyoxigraph is imported where it is used.
"""

from __future__ import annotations

import math
import signal
import socket
import subprocess
import tempfile
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from exokg.core import resources
from exokg.core.errors import DataError
from exokg.server.oxigraph_process import base_url as _base_url
from exokg.server.oxigraph_process import cannot_listen as _cannot_listen
from exokg.server.oxigraph_process import oxigraph_binary
from exokg.server.oxigraph_process import stop as _stop
from exokg.server.oxigraph_process import wait_until_ready as _wait_until_ready

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "oxigraph_binary",
    "prepare_store",
    "question_links",
    "running_server",
    "serve",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_STARTUP_SECONDS = 30.0


# --- the oxigraph server --------------------------------------------------------------------------


def prepare_store(store_dir: Path, source: Path = resources.KG_FILE) -> Path:
    """Make ``store_dir`` an on-disk Oxigraph store of ``source``, reused while the graph is unchanged.

    The same store ``exokg ask --store DIR`` uses: built once, then reopened without parsing.
    """
    from exokg.query.store import prepare_store_dir

    return prepare_store_dir(store_dir, source)


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind((host, port))
        except OSError as error:
            raise _cannot_listen(host, port, error) from None


@contextmanager
def running_server(
    store_dir: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = 30.0,
    read_only: bool = True,
) -> Iterator[str]:
    """Run ``oxigraph serve-read-only`` (or ``serve``) on ``store_dir``; yield its base URL.

    Queries see the union of the named graphs, as they do in exokg itself. The server is stopped
    when the block ends, however it ends.
    """
    _check_port_free(host, port)
    command = [
        str(oxigraph_binary()),
        "serve-read-only" if read_only else "serve",
        "--location",
        str(store_dir),
        "--bind",
        f"{host}:{port}",
        "--union-default-graph",
        "--timeout-s",
        str(max(1, math.ceil(timeout))),  # oxigraph takes whole seconds
    ]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        url = _base_url(host, port)
        _wait_until_ready(process, url)
        yield url
    finally:
        _stop(process)


def serve(
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    store_dir: Path | None = None,
    timeout: float = 30.0,
    source: Path = resources.KG_FILE,
    say: Callable[[str], None] = print,
    cache_bytes: int | None = None,
    site: Path | None = None,
) -> None:
    """Serve the graph read-only until interrupted (Ctrl-C stops the server and returns normally).

    Without ``store_dir`` the store lives in a temporary directory removed on exit; with it, the
    store is built once and reused while the graph file is unchanged. Up to ``cache_bytes`` of
    answers are kept for asking again (default :data:`exokg.server.guard.CACHE_BYTES`, 0 for none).
    ``site``, a folder ``exokg site`` wrote, is served at ``/`` (the query page moves to /sparql.html).
    """
    from exokg.server.guard import CACHE_BYTES, check_site, guarded_server

    if site is not None:
        site = check_site(site)

    if cache_bytes is None:
        cache_bytes = CACHE_BYTES

    # SIGTERM (from a service manager or `kill`) stops the server as Ctrl-C does, rather than killing
    # exokg and leaving the oxigraph process behind. Both are caught around the whole run, so an
    # interrupt while the store is being prepared or the server starts also ends cleanly. SIGINT is
    # set too: a shell starts a background job (`exokg serve &` in a script) with SIGINT ignored, and
    # Python keeps it ignored, so `kill -INT` would otherwise do nothing at all. SIGHUP (the terminal
    # closed) too, since oxigraph runs in a session of its own and would not get it; unless it is
    # ignored, as `nohup exokg serve` asks.
    stops = [signal.SIGTERM, signal.SIGINT]
    hangup = getattr(signal, "SIGHUP", None)
    if hangup is not None and signal.getsignal(hangup) is not signal.SIG_IGN:
        stops.append(hangup)
    previous = {number: signal.signal(number, _interrupt) for number in stops}
    try:
        with tempfile.TemporaryDirectory(prefix="exokg-store-") as scratch:
            location = prepare_store(store_dir or Path(scratch) / "store", source)
            gave_up = threading.Event()
            with guarded_server(
                location,
                host=host,
                port=port,
                timeout=timeout,
                say=say,
                gave_up=gave_up,
                cache_bytes=cache_bytes,
                site=site,
            ) as url:
                if cache_bytes:
                    threading.Thread(
                        target=_first_asks_then_say,
                        args=(url, timeout, say),
                        name="exokg-first-asks",
                        daemon=True,
                    ).start()
                if host not in LOOPBACK:
                    say(
                        f"warning: listening on {host}: anyone who can reach this machine can query it"
                    )
                kept = (
                    f"answers kept: {cache_bytes >> 20} MiB" if cache_bytes else "no answers kept"
                )
                say(
                    f"exokg: SPARQL endpoint {url}/query (read-only, {timeout:g} s timeout, {kept})"
                )
                if site is not None:
                    say(f"exokg: website {url}/ (from {site})")
                page = f"{url}/sparql.html" if site is not None else f"{url}/"
                say(f"exokg: query page {page} — competency questions:")
                for name, link in question_links(url, page):
                    say(f"  {name}: {link}")
                say("exokg: press Ctrl-C to stop")
                while not gave_up.wait(1.0):
                    pass
                raise DataError(
                    "the oxigraph query server keeps exiting; exokg serve stops",
                    where="exokg serve",
                    fix="run `oxigraph serve-read-only --location STORE` to see its message, or"
                    " rebuild the store with --store NEW-FOLDER",
                )
    except KeyboardInterrupt:
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    say("exokg: server stopped")


# What the common clients send with a question's text: YASGUI (the query page) and `exokg ask
# --endpoint` ask for JSON results first, which the guard keeps as one; curl sends */*.
FIRST_ASK_ACCEPTS = ("application/sparql-results+json", "*/*")


def _first_asks_then_say(url: str, timeout: float, say: Callable[[str], None]) -> None:
    import time

    started = time.monotonic()
    answered = first_asks(url, timeout)
    say(f"exokg: {answered} first asks answered and kept ({time.monotonic() - started:.1f} s)")


def first_asks(url: str, timeout: float) -> int:
    """Ask each shipped question once in the background, as the common clients send it, so that the
    first person to ask finds the answer kept; returns how many were answered.

    Each question goes as its file's text (the query page's links, curl with the file) in each of
    :data:`FIRST_ASK_ACCEPTS`, and as `exokg ask NAME --endpoint` sends it (its defaults bound). They
    go one at a time, through the guard, so that a person asking meanwhile shares the answer being
    made. A question with a required parameter is left out; one that fails (the server stopping) is
    skipped.
    """
    import time

    from exokg.core.errors import ExokgError
    from exokg.query.endpoint import Endpoint
    from exokg.query.http import exchange
    from exokg.query.questions import list_questions
    from exokg.text.resolve import ask

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    ready = urllib.parse.urlencode({"query": "ASK {}"}).encode("ascii")
    deadline = time.monotonic() + 120
    while True:  # oxigraph starts beside the guard: wait until it answers
        try:
            exchange(f"{url}/query", "POST", ready, form, timeout=timeout)
            break
        except (ExokgError, OSError):
            if time.monotonic() > deadline:
                return 0
            time.sleep(0.2)
    answered = 0
    for question in list_questions():
        if not all(parameter.default for parameter in question.parameters):
            continue  # its answer depends on what is asked
        try:
            ask(question.name, None, executor=Endpoint(f"{url}/query"), timeout=timeout)
            answered += 1
        except (ExokgError, OSError):
            pass
        body = urllib.parse.urlencode({"query": question.sparql}).encode("utf-8")
        for accept in FIRST_ASK_ACCEPTS:
            headers = {"Accept": accept, **form}
            try:
                exchange(f"{url}/query", "POST", body, headers, timeout=timeout, max_bytes=1 << 28)
                answered += 1
            except (ExokgError, OSError):
                pass
    return answered


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def question_links(base_url: str, page: str | None = None) -> list[tuple[str, str]]:
    """One link per competency question: the server's query page with that question filled in.

    YASGUI (the page the oxigraph server ships) reads ``query``, ``tabTitle`` and ``endpoint`` from
    the URL; the endpoint must be explicit because the page derives its default from its own URL.
    """
    links = []
    for path in sorted(resources.QUERIES_DIR.glob("*.rq")):
        query = path.read_text(encoding="utf-8")
        params = {"query": query, "tabTitle": path.stem, "endpoint": f"{base_url}/query"}
        links.append((path.stem, f"{page or base_url + '/'}?{urllib.parse.urlencode(params)}"))
    return links
