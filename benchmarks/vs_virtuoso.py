"""exokg's on-disk store and OpenLink Virtuoso side by side on one generated graph: load, disk, every
question's time and whole answer.

One run, one machine, one graph (``generate.py --vary``, so that the questions' optional branches are
met): the store is built as ``exokg ask --store`` builds it (Oxigraph's bulk loader, then one
compaction) and Virtuoso loads the same file with its bulk loader (``ld_dir`` + ``rdf_loader_run``,
then a checkpoint), each timed from start to a store ready to answer. Then each question is asked of
both, alternately (exokg, Virtuoso, exokg, Virtuoso …), ``--repeat`` times; the table gives the
medians, their ratio, and whether the two answers are the same rows in the same order.

    python benchmarks/vs_virtuoso.py --statements 100000 [--repeat 3] [--scratch DIR]

Needs Debian's ``virtuoso-opensource`` (``virtuoso-t``, ``isql-vt``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PARAMS = {"evidence-for": {"term": "EXOKG:0000020"}}
INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {db}, {data}
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
CaseMode = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 3600
"""


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _isql(port: int, statement: str) -> None:
    done = subprocess.run(
        ["isql-vt", f"127.0.0.1:{port}", "dba", "dba", f"exec={statement}"],
        capture_output=True,
        text=True,
        timeout=24 * 3600,
    )
    if done.returncode or "Error" in done.stdout:
        raise SystemExit(f"isql {statement!r}: {done.stdout}{done.stderr}")


def start_virtuoso(db: Path, data: Path) -> tuple[subprocess.Popen[bytes], int, str]:
    sql_port, http_port = _port(), _port()
    ini = db / "virtuoso.ini"
    ini.write_text(INI.format(db=db, data=data, sql_port=sql_port, http_port=http_port))
    process = subprocess.Popen(
        ["virtuoso-t", "+foreground", "+configfile", str(ini)],
        cwd=db,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    deadline = time.monotonic() + 600
    while True:
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=5):
                break
        except (urllib.error.URLError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("Virtuoso did not start") from None
            time.sleep(0.5)
    return process, sql_port, url


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--vary", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600, help="seconds per question")
    parser.add_argument("--scratch", type=Path, help="directory for the graph and both stores")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    if not (shutil.which("virtuoso-t") and shutil.which("isql-vt")):
        raise SystemExit(
            "needs virtuoso-t and isql-vt (Debian: apt-get install virtuoso-opensource)"
        )

    from exokg.core.errors import ExokgError
    from exokg.query.endpoint import Endpoint
    from exokg.query.questions import list_questions
    from exokg.query.store import open_store, prepare_store_dir
    from exokg.text.resolve import ask

    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="exokg-vs-virtuoso-"))
    data = scratch / "graph"
    data.mkdir(parents=True, exist_ok=True)
    graph = data / f"exokg-{args.statements}.nq"
    sizes = [f"--statements={args.statements}", f"--vary={args.vary}"]
    if not graph.is_file():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "-o", str(graph), *sizes],
            check=True,
        )
    store_dir = scratch / "store"
    shutil.rmtree(store_dir, ignore_errors=True)
    start = time.perf_counter()
    prepare_store_dir(store_dir, graph)
    exokg_load = time.perf_counter() - start
    db = scratch / "virtuoso"
    shutil.rmtree(db, ignore_errors=True)
    db.mkdir()
    process, sql_port, url = start_virtuoso(db, data)
    lines = []
    try:
        start = time.perf_counter()
        _isql(sql_port, f"ld_dir('{data}', '{graph.name}', 'https://w3id.org/exokg/graph/none');")
        _isql(sql_port, "rdf_loader_run();")
        _isql(sql_port, "checkpoint;")
        virtuoso_load = time.perf_counter() - start
        store = open_store(store_dir=store_dir, kg_file=graph)
        endpoint = Endpoint(url)
        rows = []
        for question in list_questions():
            params = PARAMS.get(question.name)
            times: dict[str, list[float]] = {"exokg": [], "virtuoso": []}
            answers: dict[str, Any] = {}
            for _ in range(args.repeat):
                for name, executor in (("exokg", store), ("virtuoso", endpoint)):
                    start = time.perf_counter()
                    try:
                        answers[name] = ask(
                            question.name, params, executor=executor, timeout=args.timeout
                        ).rows
                    except ExokgError as error:  # a timeout: counted as the time limit
                        print(f"{question.name} on {name}: {error.line()}", flush=True)
                        answers[name] = None
                    times[name].append(time.perf_counter() - start)
            ours, theirs = (statistics.median(times[k]) for k in ("exokg", "virtuoso"))
            timed_out = answers["exokg"] is None or answers["virtuoso"] is None
            same = None if timed_out else answers["exokg"] == answers["virtuoso"]
            rows.append((question.name, len(answers["exokg"] or ()), ours, theirs, same))
            print(
                f"{question.name}: {ours:.2f} s / {theirs:.2f} s, same answer: {same}", flush=True
            )
    finally:
        process.terminate()
        process.wait(timeout=300)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines += [
        f"# exokg's on-disk store and Virtuoso at {args.statements:,} statements ({stamp})",
        "",
        f"Command: `python benchmarks/vs_virtuoso.py --statements {args.statements}"
        f" --vary {args.vary} --repeat {args.repeat}`; {os.cpu_count()} logical CPUs,"
        f" load average at the end {os.getloadavg()[0]:.1f}.",
        "",
        "| | exokg store (Oxigraph bulk load + compaction) | Virtuoso (bulk loader + checkpoint) |",
        "|---|---|---|",
        f"| load | {exokg_load:.1f} s | {virtuoso_load:.1f} s |",
        f"| on disk | {_size(store_dir) / 2**20:.0f} MiB | {_size(db) / 2**20:.0f} MiB |",
        "",
        "| question | rows | exokg store | Virtuoso | exokg ÷ Virtuoso | same answer |",
        "|---|---|---|---|---|---|",
    ]
    for name, count, ours, theirs, same in rows:
        lines.append(
            f"| {name} | {count:,} | {ours:.2f} s | {theirs:.2f} s | {ours / theirs:.2f} |"
            f" {'time-out' if same is None else 'yes' if same else '**no**'} |"
        )
    faster = sum(ours < theirs for _, _, ours, theirs, _ in rows)
    lines += [
        "",
        f"exokg faster on {faster} of {len(rows)} questions; sums"
        f" {sum(r[2] for r in rows):.1f} s against {sum(r[3] for r in rows):.1f} s;"
        f" answers the same on {sum(r[4] is True for r in rows)} of {len(rows)},"
        f" different on {sum(r[4] is False for r in rows)} (the rest timed out).",
    ]
    args.out.mkdir(parents=True, exist_ok=True)
    report = args.out / f"{stamp}-vs-virtuoso-{args.statements}.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {report}")


if __name__ == "__main__":
    main()
