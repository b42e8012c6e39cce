"""How fast a cold `exokg ask` answers, next to a bare `python -c "import pyoxigraph"` (issues 5, 30).

Both commands run as fresh processes, interleaved (bare, ask, bare, ask …) in one run on the same
machine, and the medians are compared: the goal is a ratio of at most 3. Each process's wall time and
its CPU time (user + system, from ``wait4``) are both reported: on a shared machine the CPU time
varies less. It runs twice: with exokg's bytecode present (byte-compiled first, as an installed wheel
is) and absent (its ``__pycache__`` folders removed and ``PYTHONDONTWRITEBYTECODE=1``, as an editable
install run read-only is). It also reports which heavy modules the answer path imported (there should
be none: no rdflib, owlready2, pyvis, pyshacl, no JVM, not even typing, dataclasses or platformdirs),
and what the first ask costs, when the store of the shipped graph is built in the user's cache
folder (see ``exokg.query.store.cached_store``). An answer asked before is read back from a file kept
beside that store (``exokg.query.kept``); a third run, with bytecode, removes the kept answers before
each ask (untimed), so that each ask opens the store and runs the question on it. (A new ``--limit``
no longer does that: an answer kept with a larger limit, or with none, serves a smaller one.)

    python benchmarks/bench_ask.py [--runs 21]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTION = "exosomes-promoting-tumour-progression"
HEAVY = (
    "click",
    "dataclasses",
    "networkx",
    "owlready2",
    "platformdirs",
    "pyshacl",
    "pyvis",
    "rdflib",
    "typing",
)


def _exokg() -> list[str]:
    script = shutil.which("exokg", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "exokg"]


def _time(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"{' '.join(command)} failed ({status})")
    return wall, usage.ru_utime + usage.ru_stime


def _heavy_imports(env: dict[str, str]) -> list[str]:
    code = (
        "import sys\nfrom exokg.cli.app import main\n"
        f"try:\n    main(['ask', '{QUESTION}', '--format', 'csv'])\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY:' + ','.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("HEAVY:"))
    return [m for m in line.removeprefix("HEAVY:").split(",") if m]


def _forget_answers(env: dict[str, str]) -> None:
    """Remove the answers kept beside the cached store, so that the next ask runs its question."""
    for kept in Path(env["XDG_CACHE_HOME"]).glob("exokg/store-*/answers/*.answer"):
        kept.unlink()


def _compare(label: str, runs: int, env: dict[str, str], *, new: bool = False) -> float:
    """``new``: the kept answers are removed before each ask, so it opens the store."""
    ask = [*_exokg(), "ask", QUESTION, "--format", "csv"]
    bare = [sys.executable, "-c", "import pyoxigraph"]
    _time(ask, env), _time(bare, env)  # warm the OS file cache for both
    times: dict[str, list[tuple[float, float]]] = {"bare": [], "ask": []}
    for _ in range(runs):
        times["bare"].append(_time(bare, env))
        if new:
            _forget_answers(env)
        times["ask"].append(_time(ask, env))
    print(f"\n{label}: {runs} runs each, interleaved")
    ratios = []
    for which, command in (("bare", bare), ("ask", ask)):
        wall = statistics.median(t[0] for t in times[which]) * 1000
        cpu = statistics.median(t[1] for t in times[which]) * 1000
        print(f"  {' '.join(command)[-60:]:60} wall {wall:6.1f} ms  cpu {cpu:6.1f} ms")
        ratios.append((wall, cpu))
    wall_ratio, cpu_ratio = ratios[1][0] / ratios[0][0], ratios[1][1] / ratios[0][1]
    verdict = "meets the goal (<= 3x)" if wall_ratio <= 3 else "OVER THE 3x GOAL"
    print(f"  ratio: wall {wall_ratio:.2f}x, cpu {cpu_ratio:.2f}x — {verdict}")
    return wall_ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    import exokg

    package = Path(exokg.__file__).parent
    env = dict(os.environ)
    print("load average at the start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with tempfile.TemporaryDirectory() as cache:
        env["XDG_CACHE_HOME"] = cache  # a fresh cache folder: the first ask builds the store
        first = _time([*_exokg(), "ask", QUESTION, "--format", "csv"], env)
        print(f"first ask with an empty cache folder (builds the store): {first[0] * 1000:.0f} ms")
        if not compileall.compile_dir(package, quiet=1):
            raise SystemExit(f"could not byte-compile {package}")
        _compare("bytecode present (byte-compiled first, as an installed wheel is)", runs, env)
        _compare(
            "bytecode present, a question not asked before (the store is opened)",
            runs,
            env,
            new=True,
        )
        for folder in package.rglob("__pycache__"):
            shutil.rmtree(folder)
        _compare(
            "bytecode absent (no __pycache__, PYTHONDONTWRITEBYTECODE=1)",
            runs,
            env | {"PYTHONDONTWRITEBYTECODE": "1"},
        )
        compileall.compile_dir(package, quiet=1)
        print(
            f"\nheavy modules imported by the answer path: {', '.join(_heavy_imports(env)) or 'none'}"
        )
    print("load average at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
