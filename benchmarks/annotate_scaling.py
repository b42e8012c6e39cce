"""Is ``exokg annotate`` linear in its text? Time per KB from 8 KB to 8 MB (issue 24, item 4).

The text repeats one sentence that defines a short form and uses it ("Extracellular vesicles (EVs)
… EVs …"), the shape that took time growing with the square (and worse) of the length: 8 KB 0.2 s,
32 KB 3.8 s, 64 KB 28.7 s before. Each size is the sentence repeated and cut at that many KB,
annotated once in this process after a warm-up (the lexicon loaded from its cache); CPU time is what
one core spent, wall time also counts other processes on a shared machine. ``--max-kb`` stops early;
a size is skipped once the previous one took over ``--give-up`` seconds.

    python benchmarks/annotate_scaling.py [--max-kb 8192] [--give-up 60]
"""

from __future__ import annotations

import argparse
import os
import time

UNIT = "Extracellular vesicles (EVs) released by dendritic cells carry MHC class II; EVs were isolated. "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-kb", type=int, default=8192)
    parser.add_argument("--give-up", type=float, default=60.0)
    args = parser.parse_args()

    from exokg.text.annotate import annotate
    from exokg.text.lexicon import load_lexicon

    lexicon = load_lexicon()
    lexicon.automaton()
    annotate(lexicon, UNIT * 10)  # warm-up: memos and compiled expressions
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'size':>8} {'spans':>8} {'wall s':>8} {'cpu s':>8} {'cpu ms/KB':>10}")
    kb = 8
    while kb <= args.max_kb:
        size = kb * 1024
        text = (UNIT * (size // len(UNIT) + 1))[:size]
        wall, cpu = time.perf_counter(), time.process_time()
        spans = annotate(lexicon, text)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        label = f"{kb} KB" if kb < 1024 else f"{kb // 1024} MB"
        print(f"{label:>8} {len(spans):>8} {wall:>8.2f} {cpu:>8.2f} {1000 * cpu / kb:>10.3f}")
        if wall > args.give_up:
            break
        kb *= 2


if __name__ == "__main__":
    main()
