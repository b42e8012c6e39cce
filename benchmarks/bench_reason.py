"""How long a cold `exokg reason` takes on the shipped ontology, JVM start included (issue 3).

Each run is a fresh process, as a user types it; the median of the runs is the figure, the goal is at
most 3 s on the 2-core machine. The OWL 2 RL fallback (Java hidden) is timed the same way for
comparison; it has no goal of its own.

    python benchmarks/bench_reason.py [--runs 7] [--no-fallback]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOAL_SECONDS = 3.0


def _exokg() -> list[str]:
    script = shutil.which("exokg", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "exokg"]


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    return time.perf_counter() - start


def _measure(label: str, env: dict[str, str], runs: int) -> float:
    command = [*_exokg(), "reason"]
    _time(command, env)  # warm the file cache once, as a user's second run would be
    times = sorted(_time(command, env) for _ in range(runs))
    median = statistics.median(times)
    print(
        f"{label:<28} median {median:.2f} s  (min {times[0]:.2f}, max {times[-1]:.2f}, {runs} runs)"
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-fallback", action="store_true", help="time HermiT only")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k != "EXOKG_JAVA"}
    if shutil.which("java") is None:
        print("no java on PATH: HermiT cannot be timed")
    else:
        hermit = _measure("exokg reason (HermiT)", env, args.runs)
        verdict = "meets" if hermit <= GOAL_SECONDS else "MISSES"
        print(f"goal <= {GOAL_SECONDS:.0f} s wall, JVM included: {verdict}")
    if not args.no_fallback:
        _measure("exokg reason (OWL RL, no Java)", {**env, "EXOKG_JAVA": "none"}, args.runs)


if __name__ == "__main__":
    main()
