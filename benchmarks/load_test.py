"""Load test of ``exokg serve``: N concurrent clients asking the competency questions for T seconds.

Loopback only and bounded: at most 64 clients, at most 300 seconds, and a cap on the total number
of requests. Each client is its own process with one keep-alive HTTP connection, cycling through
the questions (with their default parameters, sent as a VALUES block at the start of the WHERE
group, as ``Endpoint`` sends them). Before the clients start, each question is asked once, one
after another: the first asks, timed and reported on their own line, as a person meets them.
Prints throughput, p50/p99 latency and the error count; the goal on 2 cores is ≥ 500 questions/s
with p99 ≤ 50 ms and no errors.

    python benchmarks/load_test.py --clients 8 --seconds 20          # starts exokg serve itself
    python benchmarks/load_test.py --url http://127.0.0.1:7878/query  # a server already running
    python benchmarks/load_test.py --store DIR --clients 4 --seconds 30  # guard vs raw oxigraph
    python benchmarks/load_test.py --store DIR --clients 4 --seconds 5 --rounds 6  # interleaved

With ``--store DIR`` (an on-disk store built by ``exokg ask --store DIR`` or ``benchmarks/run.py``,
e.g. of 10⁵ statements) the same test runs three times in one go: through exokg's guard as ``exokg
serve`` runs it (answers kept for asking again), through the guard keeping no answers, and straight
against ``oxigraph serve-read-only --union-default-graph`` on the same store. The last line gives
the guard's own cost as the ratio of the raw throughput to that of the guard keeping no answers.
With ``--rounds N`` only the last two run, both at once, loaded in turn for N rounds (raw, guard,
guard, raw …): on a shared machine that is the fair comparison.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

MAX_CLIENTS = 64
MAX_SECONDS = 300.0
LOOPBACK = ("127.0.0.1", "::1", "localhost")
HEADERS = {  # each request's, as Endpoint sends a question
    "Accept": "application/sparql-results+json",
    "Content-Type": "application/x-www-form-urlencoded",
}


def questions() -> list[str]:
    """The request bodies: each question's SPARQL with its default parameters as VALUES."""
    from exokg.core.errors import ExokgError
    from exokg.query.questions import list_questions
    from exokg.query.store import bind_values, open_store
    from exokg.text.resolve import bind

    store = open_store()
    bodies = []
    for question in list_questions():
        try:
            bindings = bind(question, {}, store)
        except ExokgError:
            continue
        text = bind_values(question.sparql, bindings) if bindings else question.sparql
        bodies.append(urllib.parse.urlencode({"query": text}))
    return bodies


def client(
    url: str, bodies: list[str], until: float, budget: int, offset: int, distinct: bool = False
) -> list[float]:
    """One client: ask until the deadline or the request budget; latencies in s, -1 for an error.

    ``distinct``: the client's queries end in a comment naming it, so that no two clients send the
    same request (the guard would share one answer between identical requests in flight).
    """
    if distinct:
        tag = urllib.parse.quote_plus(f"\n# client {offset}")
        bodies = [body + tag for body in bodies]
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    connection = http.client.HTTPConnection(host, parts.port, timeout=30)
    latencies: list[float] = []
    i = offset
    while time.monotonic() < until and len(latencies) < budget:
        body = bodies[i % len(bodies)]
        i += 1
        started = time.perf_counter()
        try:
            connection.request("POST", parts.path, body, HEADERS)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(host, parts.port, timeout=30)
            ok = False
        latencies.append(time.perf_counter() - started if ok else -1.0)
    connection.close()
    return latencies


def first_asks(url: str, bodies: list[str], timeout: float = 300.0) -> str:
    """Ask each question once, one after another; how long the first asks took, or what failed."""
    times, errors = [], 0
    for body in bodies:
        request = urllib.request.Request(url, body.encode(), HEADERS)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
            times.append(time.perf_counter() - started)
        except OSError:
            errors += 1
    slowest = max(times, default=0.0)
    return (
        f"first asks, one at a time: {len(times)} answers in {sum(times):.1f} s,"
        f" slowest {slowest:.2f} s, {errors} errors"
    )


def run(url: str, clients: int, seconds: float, max_requests: int) -> tuple[str, float]:
    """The first asks, then the clients: what they measured, and the questions answered per second."""
    bodies = questions()
    first = first_asks(url, bodies)
    return _clients(url, bodies, clients, seconds, max_requests, first)


def _clients(
    url: str,
    bodies: list[str],
    clients: int,
    seconds: float,
    max_requests: int,
    first: str = "",
    distinct: bool = False,
) -> tuple[str, float]:
    until = time.monotonic() + seconds
    budget = max(1, max_requests // clients)
    started = time.perf_counter()
    with multiprocessing.Pool(clients) as pool:
        jobs = [(url, bodies, until, budget, k, distinct) for k in range(clients)]
        results = pool.starmap(client, jobs)
    elapsed = time.perf_counter() - started
    all_latencies = [x for r in results for x in r]
    ok = sorted(x for x in all_latencies if x >= 0)
    errors = len(all_latencies) - len(ok)
    if not ok:
        return f"{first}\n  then no successful request ({errors} errors)", 0.0
    p50 = statistics.median(ok) * 1000
    p99 = ok[min(len(ok) - 1, int(len(ok) * 0.99))] * 1000
    rate = len(ok) / elapsed
    return (
        f"{first}\n  then {clients} clients, {elapsed:.1f} s, {len(bodies)} questions: "
        f"{len(ok)} answers, {rate:.1f} questions/s, "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, {errors} errors"
    ), rate


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_and_run(args: argparse.Namespace) -> str:
    """Start ``exokg serve`` on a free loopback port, run the test, stop the server."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="exokg-load-") as scratch:
        command = [sys.executable, "-m", "exokg", "serve", "--port", str(port)]
        server = subprocess.Popen(
            [*command, "--store", str(Path(scratch) / "store")], stdout=subprocess.DEVNULL
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                try:
                    urllib.request.urlopen(base + "/", timeout=1).close()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("exokg serve did not start") from None
                    time.sleep(0.2)
            return run(base + "/query", args.clients, args.seconds, args.max_requests)[0]
        finally:
            server.send_signal(signal.SIGINT)  # as Ctrl-C: exokg serve stops its oxigraph server
            server.wait(timeout=30)


def _wait_for(url: str, process: subprocess.Popen[bytes] | None, what: str) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
                raise SystemExit(f"{what} did not start") from None
            time.sleep(0.2)


def guard_and_raw(args: argparse.Namespace) -> str:
    """The same load on one store: through exokg's guard with and without the answers it keeps,
    then on raw ``oxigraph serve-read-only``."""
    from exokg.server.guard import CACHE_BYTES, guarded_server
    from exokg.server.serve import oxigraph_binary

    store = Path(args.store)
    lines, rates = [], []
    for name, cache_bytes in (("answers kept", CACHE_BYTES), ("no answers kept", 0)):
        with guarded_server(
            store,
            host="127.0.0.1",
            port=free_port(),
            timeout=args.timeout,
            say=lambda _: None,
            cache_bytes=cache_bytes,
        ) as base:
            _wait_for(base + "/", None, "the guard")
            guarded, rate = run(base + "/query", args.clients, args.seconds, args.max_requests)
        lines.append(f"exokg serve ({name}): {guarded}")
        rates.append(rate)
    port = free_port()
    raw = subprocess.Popen(
        [
            str(oxigraph_binary()),
            "serve-read-only",
            "--location",
            str(store),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/", raw, "oxigraph serve-read-only")
        direct, rate = run(
            f"http://127.0.0.1:{port}/query", args.clients, args.seconds, args.max_requests
        )
        rates.append(rate)
    finally:
        raw.terminate()
        raw.wait(timeout=30)
    lines.append(f"oxigraph serve-read-only (raw): {direct}")
    if rates[1] and rates[2]:
        lines.append(
            f"guard cost: raw / guarded (no answers kept) throughput = {rates[2] / rates[1]:.2f}x"
        )
    return "\n".join(lines)


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) process ``pid`` has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _oxigraph_children(but: int) -> list[int]:
    """The oxigraph processes this process started, except ``but``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int(entry.name) != but:
                parent = (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                command = (entry / "cmdline").read_bytes()
                if int(parent) == os.getpid() and b"oxigraph" in command:
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def _used(which: str, raw: int, behind: int) -> dict[str, float]:
    """CPU seconds used so far by what serves ``which``: raw oxigraph, or the guard (this process,
    where its threads run) and the oxigraph behind it."""
    if which == "raw":
        return {"raw": _cpu(raw)}
    return {"guard": time.process_time(), "behind": _cpu(behind)}


def interleaved(args: argparse.Namespace) -> str:
    """The guard keeping no answers and raw ``oxigraph serve-read-only``, both running on one store
    at once and loaded in turn (raw, guard, guard, raw, raw, guard …) for ``--rounds`` rounds, so
    that what else the machine does weighs on both alike: the guard's own cost per round, and the
    median of those ratios. No two clients send the same request, so the guard shares no answer
    between them: each request is checked and relayed on its own.

    Throughput on a machine others share swings from one round to the next, so the CPU time each
    answer cost is reported too (Linux): raw oxigraph's, against the guard's own (this process,
    where the guard's threads run) and its oxigraph's. Where the clients keep every core busy, that
    ratio is what the throughputs tend to."""
    from exokg.server.guard import guarded_server
    from exokg.server.serve import oxigraph_binary

    store = Path(args.store)
    bodies = questions()
    port = free_port()
    raw = subprocess.Popen(
        [
            str(oxigraph_binary()),
            *("serve-read-only", "--location", str(store)),
            *("--bind", f"127.0.0.1:{port}", "--union-default-graph"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    lines, ratios = [], []
    try:
        with guarded_server(
            store,
            host="127.0.0.1",
            port=free_port(),
            timeout=args.timeout,
            say=lambda _: None,
            cache_bytes=0,
        ) as base:
            urls = {"raw": f"http://127.0.0.1:{port}/query", "guard": base + "/query"}
            _wait_for(f"http://127.0.0.1:{port}/", raw, "oxigraph serve-read-only")
            _wait_for(base + "/", None, "the guard")
            for url in urls.values():
                first_asks(url, bodies)
            [behind] = _oxigraph_children(but=raw.pid)  # the guard's own oxigraph
            cpu = {"raw": 0.0, "guard": 0.0, "behind": 0.0}
            answers = {"raw": 0, "guard": 0}
            for round_ in range(args.rounds):
                order = ("raw", "guard") if round_ % 2 == 0 else ("guard", "raw")
                rates = {}
                for which in order:
                    used = _used(which, raw.pid, behind)
                    line, rates[which] = _clients(
                        urls[which],
                        bodies,
                        args.clients,
                        args.seconds,
                        args.max_requests,
                        distinct=True,
                    )
                    for part, seconds in _used(which, raw.pid, behind).items():
                        cpu[part] += seconds - used[part]
                    answers[which] += int(line.split(" answers,")[0].rsplit(" ", 1)[1])
                    lines.append(f"round {round_ + 1}, {which}: {line.strip()}")
                ratio = rates["raw"] / rates["guard"] if rates["guard"] else float("inf")
                ratios.append(ratio)
                lines.append(f"round {round_ + 1}: raw / guard = {ratio:.2f}x")
    finally:
        raw.terminate()
        raw.wait(timeout=30)
    raw_ms = cpu["raw"] / max(answers["raw"], 1) * 1000
    own_ms, behind_ms = (
        cpu[part] / max(answers["guard"], 1) * 1000 for part in ("guard", "behind")
    )
    lines.append(
        f"CPU per answer: raw oxigraph {raw_ms:.2f} ms; guard and its oxigraph"
        f" {own_ms + behind_ms:.2f} ms (guard {own_ms:.2f}, its oxigraph {behind_ms:.2f}):"
        f" {(own_ms + behind_ms) / raw_ms:.2f}x"
    )
    lines.append(
        f"guard cost, interleaved over {args.rounds} rounds of {args.seconds:g} s each:"
        f" median {statistics.median(ratios):.2f}x (rounds {min(ratios):.2f}-{max(ratios):.2f}x)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--url", help="query URL of a running server on loopback")
    parser.add_argument("--store", type=Path, help="on-disk store: guard vs raw oxigraph on it")
    parser.add_argument("--timeout", type=float, default=30.0, help="the guard's query timeout")
    parser.add_argument(
        "--rounds",
        type=int,
        default=0,
        help="with --store: only the guard keeping no answers against raw oxigraph, interleaved"
        " in this many rounds of --seconds each",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--clients 1..{MAX_CLIENTS}, --seconds up to {MAX_SECONDS:.0f}")
    if args.url:
        if urllib.parse.urlsplit(args.url).hostname not in LOOPBACK:
            parser.error("the load test only runs against a server on loopback")
        print(run(args.url, args.clients, args.seconds, args.max_requests)[0])
    elif args.store and args.rounds:
        print(interleaved(args))
    elif args.store:
        print(guard_and_raw(args))
    else:
        print(serve_and_run(args))


if __name__ == "__main__":
    main()
