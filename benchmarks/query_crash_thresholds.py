"""Where long flat queries crash Oxigraph, so that exokg's query budget stays far below (issue 24).

Brackets nested deeply were already refused (``MAX_DEPTH``); this finds, for each flat shape that
makes a long chain in the query's algebra (operators, groups of patterns, path steps), the smallest
size at which pyoxigraph dies of a signal, each try in a child process, run in a worker thread as
``exokg query`` runs it (Linux, 8 MiB stacks). The query budget in ``exokg/query/sparql_check.py``
is then set far below every threshold found. The check itself is bypassed: pyoxigraph is called
directly.

    python benchmarks/query_crash_thresholds.py [--max 400000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

RUN = """
import sys, threading, pyoxigraph as ox
store = ox.Store()
store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o")))
query = sys.stdin.read()
def run():
    try:
        result = store.query(query)
        if isinstance(result, ox.QuerySolutions):
            list(result)
    except Exception as error:
        print(type(error).__name__, str(error)[:80])
thread = threading.Thread(target=run)
thread.start()
thread.join()
"""

SHAPES = {
    "1+1+…": lambda n: "SELECT (" + "+".join(["1"] * n) + " AS ?x) {}",
    "1*1*…": lambda n: "SELECT (" + "*".join(["1"] * n) + " AS ?x) {}",
    "true||…": lambda n: "SELECT (" + "||".join(["true"] * n) + " AS ?x) {}",
    "true&&…": lambda n: "SELECT (" + "&&".join(["true"] * n) + " AS ?x) {}",
    "{} UNION {} …": lambda n: "SELECT * {" + " UNION ".join(["{}"] * n) + "}",
    "OPTIONAL {} …": lambda n: "SELECT * {" + " OPTIONAL {}" * n + "}",
    "MINUS {} …": lambda n: "SELECT * { ?s ?p ?o " + " MINUS {}" * n + "}",
    "FILTER(true) …": lambda n: "SELECT * { ?s ?p ?o " + " FILTER(true)" * n + "}",
    "BIND(1 AS ?vN) …": lambda n: (
        "SELECT * {" + "".join(f" BIND(1 AS ?v{i})" for i in range(n)) + "}"
    ),
    "path p/p/…": lambda n: "SELECT * { ?s " + "/".join(["<urn:p>"] * n) + " ?o }",
    "path p|p|…": lambda n: "SELECT * { ?s " + "|".join(["<urn:p>"] * n) + " ?o }",
    "triples ?s <p> ?oN .": lambda n: (
        "SELECT * {" + "".join(f" ?s <urn:p> ?o{i} ." for i in range(n)) + "}"
    ),
    "objects ?s <p> 1, 1, …": lambda n: "SELECT * { ?s <urn:p> " + ",".join(["1"] * n) + " }",
    "IN (1, 1, …)": lambda n: "SELECT * { FILTER(1 IN (" + ",".join(["1"] * n) + ")) }",
    "CONCAT('a', …)": lambda n: "SELECT (CONCAT(" + ",".join(["'a'"] * n) + ") AS ?x) {}",
}


def crashes(query: str) -> bool:
    """Whether pyoxigraph dies of a signal on the query; a try over a minute counts as no crash."""
    try:
        run = subprocess.run(
            [sys.executable, "-c", RUN], input=query, text=True, capture_output=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        return False
    return run.returncode < 0


def threshold(shape, largest: int) -> int | None:
    """The smallest n (to within 5 %) at which the shape crashes, or None up to ``largest``."""
    low, high = 0, 1000
    while not crashes(shape(high)):
        low, high = high, high * 2
        if high > largest:
            return None
    while high - low > max(high // 20, 1):
        middle = (low + high) // 2
        low, high = (low, middle) if crashes(shape(middle)) else (middle, high)
    return high


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=400_000, help="largest size tried")
    parser.add_argument("--only", nargs="*", default=list(SHAPES), help="shapes to try")
    args = parser.parse_args()
    import pyoxigraph

    print(f"pyoxigraph {pyoxigraph.__version__}, {sys.platform}; crash = killed by a signal")
    print("| shape | smallest crashing size (±5 %) |\n|---|---|")
    for name in args.only:
        shape = SHAPES[name]
        start = time.perf_counter()
        found = threshold(shape, args.max)
        shown = f"{found:,}" if found else f"none up to {args.max:,}"
        print(f"| `{name}` | {shown} | ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
