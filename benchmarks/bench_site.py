"""How long `exokg site` takes and how big the site is: the shipped graph, and synthetic graphs.

For the shipped graph (``ontology/build/exokg-kg.nq``) and for each ``--statements`` size (graphs from
``benchmarks/generate.py``, the curated statements copied with renamed IRIs and a third moved to new
subclasses), it builds the whole site into a temporary folder and prints the wall time, the number of
pages and the size, with and without the term figures (Graphviz).

    python benchmarks/bench_site.py --statements 10000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from exokg.core.resources import KG_FILE
from exokg.site.build import build_site

HERE = Path(__file__).resolve().parent


def _progress(step: str) -> None:
    print(f"  {step}", file=sys.stderr, flush=True)


def measure(kg: Path, out: Path, figures: bool) -> str:
    start = time.perf_counter()
    counts = build_site(out, kg_file=kg, figures=figures, progress=_progress)
    seconds = time.perf_counter() - start
    pages = sum(n for kind, n in counts.items() if kind != "bytes")
    return (
        f"{kg.name}: {seconds:.1f} s, {pages} pages ({counts.get('term', 0)} term pages), "
        f"{counts['bytes'] / 1e6:.1f} MB, figures {'on' if figures else 'off'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, nargs="*", default=[10_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        graphs = [KG_FILE]
        for size in args.statements:
            path = Path(work) / f"exokg-{size}.nq"
            subprocess.run(
                [
                    sys.executable,
                    str(HERE / "generate.py"),
                    "--statements",
                    str(size),
                    "--seed",
                    "1",
                    "-o",
                    str(path),
                ],
                check=True,
            )
            graphs.append(path)
        for kg in graphs:
            for figures in (False, True):
                print(measure(kg, Path(work) / f"site-{kg.stem}-{figures}", figures), flush=True)


if __name__ == "__main__":
    main()
