"""How fast exokg builds its lexicon and annotates abstracts (issue 17: index <= 1 s, >= 200 abstracts/s).

* index: the lexicon built from the shipped graph with no cache (load the N-Quads into Oxigraph, run
  queries/lookup/lexicon.rq, index every name) plus the Aho-Corasick automaton; and read back from
  its cache, as every later run does. Each is timed in a fresh process, median of --runs.
* annotate: --abstracts synthetic abstracts of about 250 words, each a shuffle of the hand-written gold
  sentences (tests/gold/sentences.yaml), annotated one after another in one thread; median of --runs
  passes after a warm-up. The target is read on CPU time (what one core spends), since wall time on a
  shared machine also counts other processes; both are printed, with the load average.

    python benchmarks/bench_annotate.py [--runs 5] [--abstracts 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "sentences.yaml"

_BUILD = (
    "import time; t = time.perf_counter()\n"
    "from exokg.text.lexicon import load_lexicon\n"
    "lexicon = load_lexicon(cache={cache}); lexicon.automaton()\n"
    "print(time.perf_counter() - t)\n"
)


def _index_seconds(cache: bool, runs: int) -> float:
    times = []
    for _ in range(runs):
        code = _BUILD.format(cache=cache)
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        times.append(float(out.stdout))
    return statistics.median(times)


def _abstracts(count: int, words: int = 250, seed: int = 17) -> list[str]:
    import yaml

    sentences = [s["text"] for s in yaml.safe_load(GOLD.read_text(encoding="utf-8"))["sentences"]]
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        chosen: list[str] = []
        while sum(len(s.split()) for s in chosen) < words:
            chosen.append(rng.choice(sentences))
        texts.append(" ".join(chosen))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--abstracts", type=int, default=1000)
    args = parser.parse_args()

    from exokg.text.annotate import annotate
    from exokg.text.lexicon import load_lexicon

    cold = _index_seconds(cache=False, runs=args.runs)
    load_lexicon()  # make sure the cache exists
    warm = _index_seconds(cache=True, runs=args.runs)
    lexicon = load_lexicon()
    texts = _abstracts(args.abstracts)
    words = sum(len(t.split()) for t in texts)
    for text in texts[:50]:  # warm-up: build the automaton, fill caches
        annotate(lexicon, text)
    passes, cpu = [], []
    spans = 0
    for _ in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        spans = sum(len(annotate(lexicon, text)) for text in texts)
        passes.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    seconds, cpu_seconds = statistics.median(passes), statistics.median(cpu)
    print(f"lexicon: {len(lexicon.terms)} terms")
    print(f"index from the shipped graph, no cache: {cold:.3f} s (median of {args.runs} processes)")
    print(f"index read from its cache:              {warm:.3f} s")
    print(
        f"annotate: {len(texts)} abstracts, {words / len(texts):.0f} words each, {spans} spans "
        f"(median of {args.runs} passes, one thread)"
    )
    print(
        f"  CPU time {cpu_seconds:.3f} s = {len(texts) / cpu_seconds:.0f} abstracts/s on one core, "
        f"{words / cpu_seconds / 1000:.0f}k words/s"
    )
    print(
        f"  wall time {seconds:.3f} s = {len(texts) / seconds:.0f} abstracts/s "
        f"(load average {os.getloadavg()[0]:.1f}: other processes share the cores)"
    )


if __name__ == "__main__":
    main()
