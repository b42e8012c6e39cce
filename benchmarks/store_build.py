"""How long an on-disk store takes to build, against Virtuoso's bulk load of the same file.

Three ways to get a store ready to answer, interleaved (A B C A B C …) so that other work on the machine
weighs on each alike, each in a fresh process:

* ``exokg``: the store as ``exokg ask --store DIR`` builds it (``prepare_store_dir``: Oxigraph's bulk
  loader with ``lenient=True``, then one compaction);
* ``strict``: the same with the IRIs validated while loading (exokg's build before this benchmark);
* ``default-graph``: what the same build would cost with three indexes instead of six: the same triples
  as N-Triples (graph names dropped, written once before the rounds and not timed) bulk-loaded into the
  default graph, then compacted. Oxigraph writes a triple of the default graph in three orders (spo,
  pos, osp) and a quad of a named graph in six (spog, posg, ospg, gspo, gpos, gosp). exokg keeps its
  four named graphs (the views and clients of ``exokg serve`` ask by graph), so this is a yardstick,
  not a build exokg makes;
* ``virtuoso``: Virtuoso's bulk loader (``ld_dir`` + ``rdf_loader_run`` + ``checkpoint``), timed from
  the first statement to the checkpoint, the server already started (as in ``vs_virtuoso.py``).

Wall-clock medians for all four, and CPU time (user + system of the process) for the Oxigraph builds::

    python benchmarks/store_build.py --statements 100000 [--repeat 3] [--scratch DIR]

``--no-virtuoso`` leaves Virtuoso out (it needs Debian's ``virtuoso-opensource``).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

STRICT = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
store.optimize()
store.flush()
"""
DEFAULT_GRAPH = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES, lenient=True)
store.optimize()
store.flush()
"""
EXOKG = """
import sys
from pathlib import Path
from exokg.query.store import prepare_store_dir
prepare_store_dir(Path(sys.argv[2]), Path(sys.argv[1]))
"""


def _child(code: str, graph: Path, target: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one build in a fresh Python process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(graph), str(target)], check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _drop_graph_names(quads: Path, triples: Path) -> None:
    """Write ``quads`` as N-Triples: each line without its graph name (exokg's graph has no default-
    graph quads and no blank nodes as graph names, so the name is the line's last IRI)."""
    with quads.open("rb") as source, triples.open("wb") as out:
        for line in source:
            line = line.rstrip()
            if line:
                out.write(line[: line.rindex(b" <")] + b" .\n")


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--vary", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scratch", type=Path, help="directory for the graph and the stores")
    parser.add_argument("--no-virtuoso", action="store_true")
    args = parser.parse_args(argv)

    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="exokg-store-build-"))
    data = scratch / "graph"
    data.mkdir(parents=True, exist_ok=True)
    graph = data / f"exokg-{args.statements}.nq"
    if not graph.is_file():
        sizes = [f"--statements={args.statements}", f"--vary={args.vary}"]
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "-o", str(graph), *sizes], check=True
        )
    triples = data / f"exokg-{args.statements}.nt"
    if not triples.is_file():
        _drop_graph_names(graph, triples)
    virtuoso = not args.no_virtuoso
    if virtuoso and not (shutil.which("virtuoso-t") and shutil.which("isql-vt")):
        raise SystemExit("needs virtuoso-t and isql-vt (or pass --no-virtuoso)")
    sys.path.insert(0, str(HERE))
    from vs_virtuoso import _isql, start_virtuoso

    builds = (
        ("exokg", EXOKG, graph),
        ("strict", STRICT, graph),
        ("default-graph", DEFAULT_GRAPH, triples),
    )
    walls: dict[str, list[float]] = {name: [] for name, _, _ in builds}
    cpus: dict[str, list[float]] = {name: [] for name, _, _ in builds}
    disk: dict[str, int] = {}
    if virtuoso:
        walls["virtuoso"] = []
    for _ in range(args.repeat):
        for name, code, source in builds:
            target = scratch / name
            shutil.rmtree(target, ignore_errors=True)
            wall, cpu = _child(code, source, target)
            walls[name].append(wall)
            cpus[name].append(cpu)
            disk[name] = _size(target)
            shutil.rmtree(target)
            print(f"{name}: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
        if virtuoso:
            db = scratch / "virtuoso"
            shutil.rmtree(db, ignore_errors=True)
            db.mkdir()
            process, sql_port, _url = start_virtuoso(db, data)
            try:
                start = time.perf_counter()
                _isql(
                    sql_port,
                    f"ld_dir('{data}', '{graph.name}', 'https://w3id.org/exokg/graph/none');",
                )
                _isql(sql_port, "rdf_loader_run();")
                _isql(sql_port, "checkpoint;")
                walls["virtuoso"].append(time.perf_counter() - start)
            finally:
                process.terminate()
                process.wait(timeout=300)
            disk["virtuoso"] = _size(db)
            shutil.rmtree(db)
            print(f"virtuoso: {walls['virtuoso'][-1]:.1f} s wall", flush=True)

    load = os.getloadavg()[0]
    print(
        f"\n{args.statements:,} statements ({graph.stat().st_size / 2**20:.0f} MiB of N-Quads), "
        f"{args.repeat} rounds interleaved, load average at the end {load:.1f}"
    )
    print("| build | wall (median) | CPU (median) | on disk |")
    print("|---|---:|---:|---:|")
    for name, times in walls.items():
        cpu = f"{statistics.median(cpus[name]):.1f} s" if name in cpus else "-"
        print(
            f"| {name} | {statistics.median(times):.1f} s | {cpu} | {disk[name] / 2**20:.0f} MiB |"
        )


if __name__ == "__main__":
    main()
