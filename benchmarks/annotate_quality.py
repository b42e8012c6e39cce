"""Precision and recall of `exokg annotate` on the hand-made gold sets in tests/gold/ (issue 17 item 4).

A span counts only if its start, end and CURIEs all equal a gold span's. Prints one line per gold set
and every wrong or missed span. The seed abstract is read from the shared folder beside the repository
(../shared) or from $EXOKG_SHARED.

    python benchmarks/annotate_quality.py
"""

from __future__ import annotations

import os
from pathlib import Path

from exokg.text.evaluate import read_gold, score_annotations
from exokg.text.lexicon import load_lexicon

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
SHARED = Path(os.environ.get("EXOKG_SHARED", ROOT.parent / "shared"))


def main() -> None:
    lexicon = load_lexicon()
    for path in sorted(GOLD.glob("*.yaml")):
        try:
            documents = read_gold(path, SHARED)
        except FileNotFoundError as error:
            print(f"{path.name}: skipped ({error.filename} not found; set EXOKG_SHARED)")
            continue
        score = score_annotations(lexicon, documents)
        print(f"{path.name}: {len(documents)} texts, {score.summary()}")
        for document, text, curies in score.wrong:
            print(f"  wrong   {document}: {text!r} -> {curies}")
        for document, text, curies in score.missed:
            print(f"  missed  {document}: {text!r} = {curies}")


if __name__ == "__main__":
    main()
