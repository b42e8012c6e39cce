"""Score `exokg annotate` and `exokg propose` on real abstracts against the hand-made gold (issue 29).

    python benchmarks/real_abstracts/score.py DIR [--split development|heldout|heldout-2|heldout-3] [--details]

DIR holds the abstracts as ``<paper id>.txt`` (fill it with ``fetch.py``; the texts are never in the
repository). Papers whose text is missing are left out and named. Figures (README "Real abstracts"):

* term precision / recall: a predicted span counts if its start, end and CURIEs equal a gold mention;
* candidate precision: proposals that match a gold finding of the same sentence (subject accepted by
  the gold, relation, object and polarity all equal) over all proposals; candidate recall: gold
  findings found over the findings exokg's vocabulary can express (and over all findings);
* loss-of-function direction: gold findings from a perturbation sentence that were proposed right;
* system and evidence: of the matched findings whose gold says in vivo/in vitro or an evidence code,
  how many proposals say the same.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exokg.text.evaluate import read_real_gold, score_real
from exokg.text.lexicon import load_lexicon
from exokg.text.propose import load_categories, load_vesicle_sources

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", type=Path, help="folder with <paper id>.txt abstracts")
    parser.add_argument("--split", choices=("development", "heldout", "heldout-2", "heldout-3"))
    parser.add_argument("--details", action="store_true", help="list wrong and missed items")
    args = parser.parse_args(argv)
    papers = read_real_gold(HERE / "gold.yaml", HERE / "corpus.yaml", args.texts, args.split)
    if not papers:
        print(f"no abstracts of the corpus in {args.texts}; run fetch.py first", file=sys.stderr)
        return 2
    relocated = [p.id for p in papers if p.relocated]
    score = score_real(load_lexicon(), load_categories(), papers, load_vesicle_sources())
    print(f"{len(papers)} papers ({args.split or 'both halves'})")
    if relocated:
        print(
            f"  {len(relocated)} texts differ from the annotated version; spans re-found by their words"
        )
    for name, value in score.figures().items():
        print(f"  {name}: {value:.3f}" if isinstance(value, float) else f"  {name}: {value}")
    if args.details:
        for kind, items in (
            ("wrong term", score.terms.wrong),
            ("missed term", score.terms.missed),
        ):
            for paper_id, text, curies in items:
                print(f"  {kind:12} {paper_id}: {text!r} {curies}")
        for line in score.wrong:
            print(f"  wrong candidate {line}")
        for line in score.missed:
            print(f"  missed finding  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
