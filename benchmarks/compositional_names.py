"""Top-1 and top-3 accuracy of `exokg search` on vesicles named by their cell of origin (issue 27).

Reads tab-separated phrasings and gold CURIEs from tests/gold/compositional-names/: heldout.tsv (the
default; written before the resolution rules of exokg/text/compose.py and never used to tune them) or
development.tsv (--development, the list the rules were tuned on). A phrasing counts for top-k when its
gold class is among the first k rows `exokg search` would print. Also counts how often the operational
class (the one findings sit on, when gold is an authors' class) is in the first three rows.

    python benchmarks/compositional_names.py [--development] [--verbose]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from exokg.text.lexicon import load_lexicon

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "compositional-names"


def read(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            phrase, gold = line.split("\t")
            rows.append((phrase, gold))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--development", action="store_true", help="the tuning list instead")
    parser.add_argument("--verbose", action="store_true", help="print every phrasing")
    args = parser.parse_args()
    path = GOLD / ("development.tsv" if args.development else "heldout.tsv")
    lexicon = load_lexicon()
    rows = read(path)
    top1 = top3 = operational = with_operational = 0
    for phrase, gold in rows:
        found = [c.curie for c, _ in lexicon.search(phrase, limit=10)]
        top1 += found[:1] == [gold]
        top3 += gold in found[:3]
        ops = lexicon.terms[gold].get("operational", [])
        if ops:
            with_operational += 1
            operational += any(o in found[:3] for o in ops)
        if args.verbose or found[:1] != [gold]:
            mark = "ok  " if found[:1] == [gold] else ("top3" if gold in found[:3] else "MISS")
            print(f"{mark} {phrase!r}: gold {gold}, got {', '.join(found[:3]) or 'nothing'}")
    n = len(rows)
    print(
        f"{path.name}: {n} phrasings; top-1 {top1 / n:.3f} ({top1}/{n}), top-3 {top3 / n:.3f} "
        f"({top3}/{n}); operational class in top 3 for {operational}/{with_operational} "
        "authors' classes"
    )


if __name__ == "__main__":
    main()
