"""Where an on-disk question's time goes: Oxigraph's basic operations, in memory and on disk.

For one generated graph (``benchmarks/generate.py``) this times, in one process, the operations every
question is made of — reading a predicate's triples, turning result terms into Python values, one
join per row, a hash join, sorting rows — on three stores: pyoxigraph's in-memory store, the on-disk
store as Oxigraph's bulk loader leaves it, and the same store after ``Store.optimize()`` (a RocksDB
compaction, which ``exokg`` runs after every bulk load). Then each question once on each store, asked
as ``run.py`` asks it, and once more on the compacted store without its final ORDER BY. It explains the ratios ``benchmarks/run.py`` reports: what a row costs on disk bounds how
fast a question with many rows can be, whatever the query.

    python benchmarks/store_costs.py /tmp/b3/100000.nq --out benchmarks/results
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph

PREFIXES = """PREFIX exo: <https://w3id.org/exokg/schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
# name → (what it measures, query); each statement has exactly one of each of these predicates
OPERATIONS = {
    "count": (
        "count the statements (an index scan)",
        "SELECT (COUNT(*) AS ?n) { ?s exo:paraphrase ?f }",
    ),
    "iris": ("…and return each one's IRI", "SELECT ?s { ?s exo:paraphrase ?f }"),
    "literals": ("…or its finding text", "SELECT ?f { ?s exo:paraphrase ?f }"),
    "lookup": (
        "one more field per statement (a lookup per row)",
        "SELECT (COUNT(*) AS ?n) { ?s exo:paraphrase ?f ; exo:modelLabel ?m }",
    ),
    "hash join": (
        "the same, as a hash join of two scans",
        "SELECT (COUNT(*) AS ?n) { ?s exo:paraphrase ?f { SELECT ?s ?m { ?s exo:modelLabel ?m } } }",
    ),
    "sort": (
        "return the IRIs sorted",
        "SELECT ?s { ?s exo:paraphrase ?f } ORDER BY ?s",
    ),
}


def _time(store: pyoxigraph.Store, query: str, repeat: int) -> float:
    """Median seconds to run ``query`` on ``store`` and read every row."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        _rows(store, query)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _rows(store: pyoxigraph.Store, query: str) -> int:
    return len(list(store.query(query, use_default_graph_as_union=True)))  # type: ignore[arg-type]


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="an N-Quads graph from benchmarks/generate.py")
    parser.add_argument("--repeat", type=int, default=3, help="timings per operation (median)")
    parser.add_argument("--out", type=Path, default=None, help="write a Markdown report here")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(
            f"{args.data}: no such file; make one with benchmarks/generate.py --statements N -o FILE"
        )

    import pyoxigraph as ox
    from run import bound_questions  # this folder is on sys.path when the script runs

    from exokg.query.store import bind_values

    scratch = Path(tempfile.mkdtemp(prefix="exokg-costs-"))
    try:
        memory = ox.Store()
        started = time.perf_counter()
        memory.bulk_load(path=str(args.data), format=ox.RdfFormat.N_QUADS)
        load = time.perf_counter() - started
        loaded, compacted = scratch / "loaded", scratch / "compacted"
        started = time.perf_counter()
        store = ox.Store(str(loaded))
        store.bulk_load(path=str(args.data), format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
        bulk = time.perf_counter() - started
        shutil.copytree(loaded, compacted)
        started = time.perf_counter()
        store = ox.Store(str(compacted))
        store.optimize()
        store.flush()
        del store
        optimize = time.perf_counter() - started
        stores = {
            "memory": memory,
            "disk, as loaded": ox.Store.read_only(str(loaded)),
            "disk, compacted": ox.Store.read_only(str(compacted)),
        }
        count = memory.query(PREFIXES + OPERATIONS["count"][1], use_default_graph_as_union=True)
        assert isinstance(count, ox.QuerySolutions)
        statements = int(next(iter(count))["n"].value)
        lines = [
            f"# Oxigraph's costs in memory and on disk, {datetime.now(UTC):%Y-%m-%d}",
            "",
            f"Machine: {os.cpu_count()} logical CPUs, Python {platform.python_version()}, "
            f"pyoxigraph {ox.__version__}; load average at the start {os.getloadavg()[0]:.1f}.",
            f"Graph: `{args.data.name}`, {statements:,} statements; in-memory load {load:.1f} s.",
            f"On-disk store: bulk load {bulk:.1f} s, {_size(loaded) / 2**20:,.0f} MiB; "
            f"`optimize()` then {optimize:.1f} s more, {_size(compacted) / 2**20:,.0f} MiB.",
            "",
            f"Command: `python benchmarks/store_costs.py {args.data} --repeat {args.repeat}`. "
            f"Each operation: median of {args.repeat} timings in one process; µs per statement.",
            "",
            "| operation | " + " | ".join(stores) + " |",
            "|---|" + "---:|" * len(stores),
        ]
        for name, (what, query) in OPERATIONS.items():
            cells = [
                f"{_time(s, PREFIXES + query, args.repeat) / statements * 1e6:.1f}"
                for s in stores.values()
            ]
            lines.append(f"| {name}: {what} | " + " | ".join(cells) + " |")
            print(lines[-1], flush=True)
        lines += [
            "",
            "Questions, one timing each (s; rows as `exokg ask` gives them); the last column is the"
            " question on the compacted store without its final ORDER BY, to show what sorting costs:",
            "",
            "| question | rows | " + " | ".join(stores) + " | compacted, unsorted |",
            "|---|---:|" + "---:|" * (len(stores) + 1),
        ]
        for name, sparql, bindings in bound_questions():
            text = bind_values(sparql, bindings)
            rows = _rows(memory, text)
            cells = [f"{_time(s, text, 1):.2f}" for s in stores.values()]
            order = text.rfind("ORDER BY")
            unsorted = text[:order] if order > text.rfind("}") else text
            cells.append(f"{_time(stores['disk, compacted'], unsorted, 1):.2f}")
            lines.append(f"| {name} | {rows:,} | " + " | ".join(cells) + " |")
            print(lines[-1], flush=True)
        report = "\n".join(lines) + "\n"
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            target = args.out / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-store-costs.md"
            target.write_text(report, encoding="utf-8")
            print(f"written: {target}")
        else:
            print(report)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
