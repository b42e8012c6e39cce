"""Benchmark exokg's store against raw pyoxigraph and rdflib's Memory store, side by side.

For each size, the synthetic graph (``generate.py``, same schema and questions as the real one) is
loaded by each backend in a fresh process — so peak memory (``ru_maxrss``) is that backend's alone —
and every competency question is timed. Each backend process is run ``--runs`` times and each
question ``--repeat`` times per run; the table shows medians and the ratios the issue sets targets
for. rdflib's Memory store is only run up to ``--rdflib-max`` statements: beyond that it does not
finish in reasonable time, and the table says so.

    python benchmarks/run.py --sizes 1000 10000 100000 --rdflib-max 10000

The table is printed and saved, with the machine's description, under ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BACKENDS = ("exokg", "pyoxigraph", "rdflib")


# --- one backend in its own process -------------------------------------------------------------


def _questions() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, SPARQL, bindings as exokg Terms) for every question that runs with its defaults."""
    from exokg.errors import ExokgError
    from exokg.questions import bind, list_questions
    from exokg.store import open_store

    store = open_store()  # only to resolve default parameters (CURIEs and labels) once
    out = []
    for question in list_questions():
        try:
            out.append((question.name, question.sparql, bind(question, {}, store)))
        except ExokgError:
            continue  # a required parameter without default: not part of the timed suite
    return out


def _emit(record: dict[str, Any]) -> None:
    print(json.dumps(record), flush=True)


def worker(backend: str, data: Path, repeat: int) -> None:
    """Load ``data`` with ``backend``, then time each question; one JSON line per measurement."""
    questions = _questions()
    started = time.perf_counter()
    run = _load(backend, data)
    _emit({"load_s": time.perf_counter() - started})
    for name, sparql, bindings in questions:
        run(sparql, bindings)  # warm-up, and a check that it runs at all
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            run(sparql, bindings)
            times.append(time.perf_counter() - started)
        _emit({"question": name, "median_s": statistics.median(times)})
    _emit({"maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss})


def _load(backend: str, data: Path) -> Callable[[str, dict[str, Any]], int]:
    """Load the graph; return a function that answers a question and counts the rows."""
    if backend == "exokg":
        from exokg.store import open_store

        store = open_store(kg_file=data)
        return lambda q, b: len(store.select(q, b, timeout=3600).rows)
    if backend == "pyoxigraph":
        import pyoxigraph as ox

        raw = ox.Store()
        raw.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)

        def ask_raw(q: str, b: dict[str, Any]) -> int:
            subs = {ox.Variable(k): ox.NamedNode(v.value) for k, v in b.items()}
            result = raw.query(q, use_default_graph_as_union=True, substitutions=subs)
            names = result.variables
            return len([tuple(s[v] for v in names) for s in result])

        return ask_raw
    from rdflib import Dataset, URIRef

    dataset = Dataset(default_union=True)
    dataset.parse(data, format="nquads")

    def ask_rdflib(q: str, b: dict[str, Any]) -> int:
        result = dataset.query(q, initBindings={k: URIRef(v.value) for k, v in b.items()})
        return len(list(result))

    return ask_rdflib


# --- the parent: generate, run, tabulate ------------------------------------------------------------


def measure(backend: str, data: Path, repeat: int, budget: float) -> dict[str, Any]:
    """Run one backend process; a process over ``budget`` seconds is stopped and marked so."""
    command = [sys.executable, __file__, "--worker", backend, "--data", str(data)]
    process = subprocess.Popen(
        [*command, "--repeat", str(repeat)], stdout=subprocess.PIPE, text=True
    )
    try:
        out, _ = process.communicate(timeout=budget)
        finished = process.returncode == 0
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
        finished = False
    result: dict[str, Any] = {"questions": {}, "finished": finished}
    for line in out.splitlines():
        record = json.loads(line)
        if "question" in record:
            result["questions"][record["question"]] = record["median_s"]
        else:
            result.update(record)
    return result


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the runs of one backend."""
    done = [r for r in runs if r["finished"]]
    if not done:
        return {"finished": False}
    names = done[0]["questions"]
    return {
        "finished": True,
        "load_s": statistics.median(r["load_s"] for r in done),
        "maxrss_mib": statistics.median(r["maxrss_kib"] for r in done) / 1024,
        "questions": {n: statistics.median(r["questions"][n] for r in done) for n in names},
    }


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{model}, {os.cpu_count()} logical CPUs, {memory:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, pyoxigraph "
        f"{version('pyoxigraph')}, rdflib {version('rdflib')}"
    )


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a and b else "-"


def _ms(seconds: float | None) -> str:
    return f"{seconds * 1000:.1f}" if seconds is not None else "did not finish"


def table(size: int, triples: int, results: dict[str, dict[str, Any]], capped: bool) -> str:
    ex, ox, rl = (results.get(b, {"finished": False}) for b in BACKENDS)
    rl_note = "not run (above --rdflib-max)" if capped else "did not finish"
    lines = [
        f"### {size:,} statements ({triples:,} triples)",
        "",
        "| measure | exokg | pyoxigraph | rdflib Memory | exokg / pyoxigraph | rdflib / exokg |",
        "|---|---:|---:|---:|---:|---:|",
    ]

    def row(label: str, key: str, fmt: Callable[[float], str]) -> None:
        values = [r.get(key) if r["finished"] else None for r in (ex, ox, rl)]
        cells = [fmt(v) if v is not None else "-" for v in values]
        if not rl["finished"]:
            cells[2] = rl_note
        a, b, c = values
        lines.append(f"| {label} | {' | '.join(cells)} | {_ratio(a, b)} | {_ratio(c, a)} |")

    row("load (s)", "load_s", lambda v: f"{v:.2f}")
    row("peak memory (MiB)", "maxrss_mib", lambda v: f"{v:.0f}")
    for name in ex.get("questions", {}):
        values = [r.get("questions", {}).get(name) if r["finished"] else None for r in (ex, ox, rl)]
        cells = [_ms(v) if v is not None else "-" for v in values]
        if not rl["finished"]:
            cells[2] = rl_note
        a, b, c = values
        lines.append(f"| {name} (ms) | {' | '.join(cells)} | {_ratio(a, b)} | {_ratio(c, a)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--rdflib-max", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3, help="processes per backend and size")
    parser.add_argument("--repeat", type=int, default=5, help="timings per question and run")
    parser.add_argument("--budget", type=float, default=900, help="seconds per backend process")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.data, args.repeat)
        return
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    header = (
        f"# exokg benchmark, {stamp}\n\nMachine: {machine()}\n\n"
        f"Command: python benchmarks/run.py {' '.join(argv or sys.argv[1:])}\n\n"
        f"Medians over {args.runs} processes per backend and {args.repeat} timings per question "
        "(after one warm-up); load = parse and index the N-Quads file; peak memory = the backend "
        "process's ru_maxrss, Python and exokg included.\n\n"
    )
    out = HERE / "results" / f"{stamp}.md"
    out.parent.mkdir(exist_ok=True)
    sections: list[str] = []
    with tempfile.TemporaryDirectory(prefix="exokg-bench-") as scratch:
        for size in args.sizes:
            data = Path(scratch) / f"{size}.nq"
            subprocess.run(
                [
                    *(sys.executable, str(HERE / "generate.py"), "--statements", str(size)),
                    *("--seed", str(args.seed), "-o", str(data)),
                ],
                check=True,
            )
            with data.open("rb") as lines:
                triples = sum(1 for _ in lines)
            capped = size > args.rdflib_max
            results = {}
            for backend in BACKENDS:
                if backend == "rdflib" and capped:
                    continue
                runs = [measure(backend, data, args.repeat, args.budget) for _ in range(args.runs)]
                results[backend] = combine(runs)
            section = table(size, triples, results, capped)
            print(section, flush=True)
            sections.append(section)
            out.write_text(
                header + "\n".join(sections), encoding="utf-8"
            )  # kept if a later size is cut short
            data.unlink()
    print(f"saved {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
