"""Measure ``exokg propose`` on the hand-made gold set: precision and recall of relation and polarity.

    python scripts/propose_quality.py [--gold tests/fixtures/propose/gold.yaml] [--kg FILE]

Each gold sentence is proposed from alone; the seed abstract's first paragraph is read from
``../shared/reference/seed/`` (never copied into the project) and proposed from as one text. A
proposal is matched to a gold finding of the same sentence with the same ``reported_as`` and object:

* **relation**: the proposal's relation equals the gold relation (a finding counts once);
* **relation + polarity**: relation and polarity both equal (the issue's measure).

Precision = matched proposals / proposals; recall = matched gold findings / gold findings. The
script also checks the issue's requirement: on every sentence marked ``negated`` or ``hedged`` every
gold finding is proposed with the right relation and polarity, and a hedged sentence's proposals
carry their hedge. Exit status 1 when that requirement fails.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "propose" / "gold.yaml"

Finding = tuple[str, str, str, str]  # reported_as, relation, object, polarity


@dataclass
class Case:
    """One unit of text with its gold findings and what propose made of it."""

    name: str
    gold: list[Finding]
    proposed: list[Finding]
    hedged_gold: bool = False
    negated_gold: bool = False
    hedges: list[str | None] = field(default_factory=list)


@dataclass
class Quality:
    cases: list[Case]

    def _counts(self, with_polarity: bool) -> tuple[int, int, int, int]:
        def key(f: Finding) -> tuple[str, ...]:
            return f if with_polarity else f[:3]

        right_proposals = proposals = right_gold = gold = 0
        for case in self.cases:
            wanted = {key(f) for f in case.gold}
            made = {key(f) for f in case.proposed}
            proposals += len(made)
            gold += len(wanted)
            right_proposals += len(made & wanted)
            right_gold += len(wanted & made)
        return right_proposals, proposals, right_gold, gold

    def figures(self) -> dict[str, float]:
        result = {}
        for name, with_polarity in (("relation", False), ("relation+polarity", True)):
            right_p, proposals, right_g, gold = self._counts(with_polarity)
            result[f"{name} precision"] = right_p / proposals if proposals else 1.0
            result[f"{name} recall"] = right_g / gold if gold else 1.0
        return result

    def failures(self) -> list[str]:
        """Negated or hedged sentences whose polarity (or hedge) propose got wrong."""
        wrong = []
        for case in self.cases:
            if not (case.negated_gold or case.hedged_gold):
                continue
            missing = set(case.gold) - set(case.proposed)
            if missing:
                wrong.append(f"{case.name}: missing or wrong {sorted(missing)}")
            if case.hedged_gold and not all(case.hedges):
                wrong.append(f"{case.name}: a proposal lost its hedge")
        return wrong


def evaluate(
    gold_path: Path = GOLD, kg_file: Path | None = None, *, heldout: bool = False
) -> Quality:
    """Run propose on every gold sentence (and the seed paragraph, when ../shared has it)."""
    import yaml

    from exokg.core.resources import KG_FILE
    from exokg.text.lexicon import load_lexicon
    from exokg.text.propose import load_categories, propose, sentences

    graph = kg_file or KG_FILE
    lexicon, categories = load_lexicon(graph), load_categories(graph)
    gold: dict[str, Any] = yaml.safe_load(gold_path.read_text(encoding="utf-8"))

    def findings(items: list[dict[str, Any]]) -> list[Finding]:
        return [(f["reported_as"], f["relation"], f["object"], f["polarity"]) for f in items]

    cases = []
    for number, item in enumerate(gold["heldout" if heldout else "sentences"], start=1):
        made = propose(item["text"], lexicon, categories)
        cases.append(
            Case(
                name=f"sentence {number} ({item.get('rule', item['text'])})",
                gold=findings(item["findings"]),
                proposed=[
                    (p.reported_as or p.subject, p.relation, p.object, p.polarity) for p in made
                ],
                hedged_gold=bool(item.get("hedged")),
                negated_gold=bool(item.get("negated")),
                hedges=[p.hedge for p in made],
            )
        )
    seed = (gold_path.parent / gold["seed"]["path"]).resolve()
    for parent in gold_path.resolve().parents:  # ../shared is beside the checkout
        candidate = parent / gold["seed"]["path"].replace("../", "", 1)
        if candidate.is_file():
            seed = candidate
            break
    if seed.is_file() and not heldout:
        text = seed.read_text(encoding="utf-8").split("\n")[0]
        spans = sentences(text)
        made = propose(text, lexicon, categories)
        for number, (start, end) in enumerate(spans, start=1):
            wanted = [f for f in gold["seed"]["findings"] if f["sentence"] == number]
            here = [p for p in made if p.span == (start, end)]
            if wanted or here:
                cases.append(
                    Case(
                        name=f"seed sentence {number}",
                        gold=findings(wanted),
                        proposed=[
                            (p.reported_as or p.subject, p.relation, p.object, p.polarity)
                            for p in here
                        ],
                        hedges=[p.hedge for p in here],
                    )
                )
    return Quality(cases)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--kg", type=Path, default=None)
    parser.add_argument("--verbose", action="store_true", help="show every case")
    parser.add_argument(
        "--heldout", action="store_true", help="score the held-out sentences instead"
    )
    parser.add_argument(
        "--sentences",
        action="store_true",
        help="score the finding labels of the annotate gold set (tests/gold/sentences.yaml)",
    )
    args = parser.parse_args(argv)
    if args.sentences:
        cases = evaluate_sentences(ANNOTATE_GOLD, args.kg)
        if args.verbose:
            for case in cases:
                print(f"{case.id}  gold {case.gold}\n     made {case.made}")
        figures, wrong = sentence_figures(cases)
        print(f"sentences: {len(cases)} ({ANNOTATE_GOLD.relative_to(ROOT)})")
        for name, value in figures.items():
            print(f"{name:<28}{value:.3f}")
        marked = sum(
            bool(c.gold and c.gold["effect"] != "not an effect"
                 and (c.gold["polarity"] == "negative" or c.gold["hedged"]))
            for c in cases
        )  # fmt: skip
        print(f"negated or hedged effect sentences right: {marked - len(wrong)}/{marked}")
        for line in wrong:
            print("  " + line)
        return 1 if wrong else 0
    quality = evaluate(args.gold, args.kg, heldout=args.heldout)
    if args.verbose:
        for case in quality.cases:
            mark = "ok " if set(case.gold) == set(case.proposed) else "-- "
            print(mark + case.name)
            for finding in sorted(set(case.gold) | set(case.proposed)):
                where = ("gold " if finding in case.gold else "     ") + (
                    "made" if finding in case.proposed else "    "
                )
                print(f"      {where}  {' '.join(finding)}")
    seed_cases = sum(case.name.startswith("seed") for case in quality.cases)
    print(f"cases: {len(quality.cases)} ({seed_cases} from the seed abstract)")
    for name, value in quality.figures().items():
        print(f"{name:<28}{value:.3f}")
    failures = quality.failures()
    marked = sum(c.negated_gold or c.hedged_gold for c in quality.cases)
    print(f"negated or hedged sentences with the right polarity: {marked - len(failures)}/{marked}")
    for failure in failures:
        print("  " + failure)
    return 1 if failures else 0


# --- the annotate gold set (tests/gold/sentences.yaml): one finding label per sentence --------------

ANNOTATE_GOLD = ROOT / "tests" / "gold" / "sentences.yaml"


@dataclass
class SentenceCase:
    """A sentence of the annotate gold set: its labelled finding and propose's first proposal."""

    id: str
    gold: dict[str, Any] | None  # effect, polarity, hedged, perturbation; None: no finding
    made: dict[str, Any] | None


def evaluate_sentences(
    gold_path: Path = ANNOTATE_GOLD, kg_file: Path | None = None
) -> list[SentenceCase]:
    """Propose from each sentence alone; keep the first proposal's direction, polarity, hedge and
    perturbation, and the direction the cue word itself gave (before a perturbation reverses it)."""
    import yaml

    from exokg.core.resources import KG_FILE
    from exokg.text.lexicon import load_lexicon
    from exokg.text.propose import load_categories, propose

    graph = kg_file or KG_FILE
    lexicon, categories = load_lexicon(graph), load_categories(graph)
    gold: dict[str, Any] = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    cases = []
    for item in gold["sentences"]:
        text = " ".join(item["text"].split())
        made = propose(text, lexicon, categories)
        first = made[0] if made else None
        cases.append(
            SentenceCase(
                id=item["id"],
                gold=item.get("finding"),
                made=None
                if first is None
                else {
                    "effect": first.direction,
                    "cue": first.cue_direction,
                    "polarity": first.polarity,
                    "hedged": first.hedge is not None,
                    "perturbation": first.context.get("perturbation_kind"),
                },
            )
        )
    return cases


def sentence_figures(cases: list[SentenceCase]) -> tuple[dict[str, float], list[str]]:
    """Precision and recall of the effect, and of effect + polarity, over the sentences whose gold
    finding is an effect; and the negated or hedged sentences propose got wrong.

    The gold file's ``effect`` is the direction the sentence's cue word states, a perturbation's own
    effect ("knockdown ... did not reduce": inhibits); it is compared with the direction propose read
    from the cue, before the loss-of-function reading reverses it for the vesicles."""

    def effect_right(case: SentenceCase) -> bool:
        return bool(case.gold and case.made and case.gold["effect"] == case.made["cue"])

    def is_effect(finding: dict[str, Any] | None) -> bool:
        return finding is not None and finding["effect"] != "not an effect"

    wanted = [c for c in cases if is_effect(c.gold)]
    made = [c for c in cases if c.made is not None]
    right = [c for c in made if is_effect(c.gold) and effect_right(c)]
    right_polarity = [
        c for c in right if c.gold and c.made and c.gold["polarity"] == c.made["polarity"]
    ]
    figures = {
        "effect precision": len(right) / len(made) if made else 1.0,
        "effect recall": len(right) / len(wanted) if wanted else 1.0,
        "effect+polarity precision": len(right_polarity) / len(made) if made else 1.0,
        "effect+polarity recall": len(right_polarity) / len(wanted) if wanted else 1.0,
    }
    wrong = []
    for case in wanted:
        assert case.gold is not None
        if case.gold["polarity"] != "negative" and not case.gold["hedged"]:
            continue
        made_ = case.made
        if made_ is None or made_["polarity"] != case.gold["polarity"]:
            wrong.append(
                f"{case.id}: polarity {made_ and made_['polarity']}, gold {case.gold['polarity']}"
            )
        elif made_["hedged"] != case.gold["hedged"]:
            wrong.append(f"{case.id}: hedged {made_['hedged']}, gold {case.gold['hedged']}")
    return figures, wrong


if __name__ == "__main__":
    sys.exit(main())
