"""How fast a cold `exokg ask` answers, next to a bare `python -c "import pyoxigraph"` (issue 5).

Both commands run as fresh processes, interleaved in one run on the same machine, and the medians are
compared: the goal is a ratio of at most 3, never above 5. It also reports which heavy modules the
answer path imported (there should be none: no rdflib, owlready2, pyvis, pyshacl, no JVM, and not
even typing or dataclasses, which cost a cold start more than the query does).

exokg's modules are byte-compiled first, as an installed wheel is: without .pyc files (for instance
with PYTHONDONTWRITEBYTECODE=1 in an editable install) every run would recompile them.

    python benchmarks/bench_ask.py [--runs 21]
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUESTION = "exosomes-promoting-tumour-progression"
HEAVY = ("click", "dataclasses", "networkx", "owlready2", "pyshacl", "pyvis", "rdflib", "typing")


def _exokg() -> list[str]:
    script = shutil.which("exokg", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "exokg"]


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _heavy_imports() -> list[str]:
    code = (
        "import sys\nfrom exokg.cli.app import main\n"
        f"try:\n    main(['ask', '{QUESTION}', '--format', 'csv'])\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY:' + ','.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("HEAVY:"))
    return [m for m in line.removeprefix("HEAVY:").split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    import exokg

    package = Path(exokg.__file__).parent
    if not compileall.compile_dir(package, quiet=1):
        raise SystemExit(f"could not byte-compile {package}")
    print(f"byte-compiled {package} first, as an installed wheel is")
    ask = [*_exokg(), "ask", QUESTION, "--format", "csv"]
    bare = [sys.executable, "-c", "import pyoxigraph"]
    _time(ask), _time(bare)  # warm the OS file cache for both
    ask_times, bare_times = [], []
    for _ in range(runs):
        ask_times.append(_time(ask))
        bare_times.append(_time(bare))
    ask_median, bare_median = statistics.median(ask_times), statistics.median(bare_times)
    ratio = ask_median / bare_median
    verdict = (
        "meets the goal (<= 3x)"
        if ratio <= 3
        else "within the limit (<= 5x)"
        if ratio <= 5
        else "OVER THE 5x LIMIT"
    )
    print(f"runs: {runs} each, interleaved")
    print(f"{' '.join(bare)!s:60} median {bare_median * 1000:7.1f} ms")
    print(f"{' '.join(ask)!s:60} median {ask_median * 1000:7.1f} ms")
    print(f"ratio: {ratio:.2f}x — {verdict}")
    print(f"heavy modules imported by the answer path: {', '.join(_heavy_imports()) or 'none'}")


if __name__ == "__main__":
    main()
