"""Scoring text mining against hand-made gold files (``tests/gold/``): annotate now, propose too.

A gold file (see ``tests/gold/sentences.yaml`` for the format) lists sentences, or names a text file
and a paragraph of it, with every mention of an exokg term in text order as ``[span text, CURIE]``
(a list of CURIEs when the text cannot tell them apart) and, for sentences, the finding a curator
would record. :func:`read_gold` turns it into :class:`GoldDocument` objects with character offsets;
:func:`score_annotations` compares :meth:`exokg.text.lexicon.Lexicon.annotate` with them.

A predicted span counts as right only if its start, end and set of CURIEs all equal a gold span's.
"""

from __future__ import annotations

from pathlib import Path

from exokg.core.errors import DataError
from exokg.text.annotate import annotate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from exokg.text.lexicon import Lexicon

__all__ = [
    "GoldDocument",
    "RealPaper",
    "RealScore",
    "Score",
    "read_gold",
    "read_real_gold",
    "score_annotations",
    "score_real",
]

Key = tuple[int, int, frozenset[str]]


class GoldDocument:
    """One annotated text: its id, text, gold spans ``(start, end, CURIEs)``, rules and finding."""

    __slots__ = ("finding", "id", "rules", "spans", "text")

    def __init__(
        self,
        id: str,
        text: str,
        spans: list[Key],
        rules: list[str],
        finding: dict[str, Any] | None,
    ) -> None:
        self.id, self.text, self.spans, self.rules, self.finding = id, text, spans, rules, finding

    def __repr__(self) -> str:
        return f"GoldDocument({self.id!r}, {len(self.spans)} spans)"


def _locate(text: str, annotations: list[Any], where: str) -> list[Key]:
    spans: list[Key] = []
    position = 0
    for entry in annotations:
        shown, curies = entry[0], entry[1]
        start = text.find(shown, position)
        if start < 0:
            raise DataError(
                f"gold span {shown!r} is not in the text after offset {position}",
                where=where,
                fix="list spans in text order, spelt as in the text",
            )
        end = start + len(shown)
        spans.append((start, end, frozenset([curies] if isinstance(curies, str) else curies)))
        position = end
    return spans


def read_gold(path: Path, shared: Path | None = None) -> list[GoldDocument]:
    """The documents of a gold file; a ``source`` path in it is relative to ``shared`` (the shared
    reference folder, ``../shared`` beside a checkout)."""
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    documents = []
    if "sentences" in data:
        for sentence in data["sentences"]:
            where = f"{path}: {sentence['id']}"
            documents.append(
                GoldDocument(
                    sentence["id"],
                    sentence["text"],
                    _locate(sentence["text"], sentence.get("annotations") or [], where),
                    list(sentence.get("rules") or []),
                    sentence.get("finding"),
                )
            )
    else:
        source = (shared or Path(path).parent) / data["source"]
        paragraphs = [p for p in source.read_text(encoding="utf-8").split("\n") if p.strip()]
        text = paragraphs[int(data.get("paragraph", 1)) - 1]
        spans = _locate(text, data["annotations"], str(path))
        documents.append(GoldDocument(Path(path).stem, text, spans, [], None))
    return documents


class Score:
    """Precision and recall over documents, with the spans that were wrong or missed."""

    def __init__(self) -> None:
        self.true_positives = 0
        self.predicted = 0
        self.gold = 0
        self.wrong: list[tuple[str, str, str]] = []  # document id, span text, CURIEs
        self.missed: list[tuple[str, str, str]] = []

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    def summary(self) -> str:
        return (
            f"precision {self.precision:.3f} ({self.true_positives}/{self.predicted}), "
            f"recall {self.recall:.3f} ({self.true_positives}/{self.gold})"
        )


def score_annotations(lexicon: Lexicon, documents: list[GoldDocument]) -> Score:
    """Run annotate on every document and count exact matches (span and CURIEs)."""
    score = Score()
    for document in documents:
        predicted = {
            (s.start, s.end, frozenset(s.curies)) for s in annotate(lexicon, document.text)
        }
        gold = set(document.spans)
        score.true_positives += len(predicted & gold)
        score.predicted += len(predicted)
        score.gold += len(gold)
        for start, end, curies in sorted(predicted - gold):
            score.wrong.append((document.id, document.text[start:end], " | ".join(sorted(curies))))
        for start, end, curies in sorted(gold - predicted):
            score.missed.append((document.id, document.text[start:end], " | ".join(sorted(curies))))
    return score


# --- real abstracts (benchmarks/real_abstracts/): gold by offsets, texts from a folder ---------------

RELATIONS = {"RO:0002304": "promotes", "RO:0002305": "inhibits", "RO:0002411": "affects"}


class RealPaper:
    """One abstract of the real-text gold: its text (read from the user's folder), the gold term
    mentions ``(start, end, CURIEs)`` (empty CURIEs: nothing may be annotated there) and findings."""

    __slots__ = ("findings", "gaps", "id", "relocated", "split", "terms", "text")

    def __init__(self, id: str, text: str, entry: dict[str, Any], sha256: str) -> None:
        import hashlib

        self.id, self.text, self.split = id, text, entry["split"]
        self.gaps = list(entry.get("gaps") or [])
        terms = [
            (s, e, shown, frozenset() if c is None else frozenset([c] if isinstance(c, str) else c))
            for s, e, shown, c in entry["terms"]
        ]
        findings = [dict(f) for f in entry.get("findings") or []]
        self.relocated = hashlib.sha256(text.encode("utf-8")).hexdigest() != sha256
        if self.relocated:  # another version of the abstract: find each span again by its words
            terms, findings = _relocate(text, terms, findings)
        self.terms = [(s, e, c) for s, e, _, c in terms]
        self.findings = findings


def _relocate(
    text: str, terms: list[tuple[int, int, str, frozenset[str]]], findings: list[dict[str, Any]]
) -> tuple[list[tuple[int, int, str, frozenset[str]]], list[dict[str, Any]]]:
    moved, shifts, position = [], [], 0
    for start, _end, shown, curies in terms:
        found = text.find(shown, position)
        if found < 0:
            continue
        moved.append((found, found + len(shown), shown, curies))
        shifts.append((start, found - start))
        position = found + len(shown)
    for finding in findings:
        start, end = finding["span"]
        delta = next((d for s, d in reversed(shifts) if s <= start), 0)
        finding["span"] = [start + delta, end + delta]
    return moved, findings


def read_real_gold(
    gold: Path, corpus: Path, texts: Path, split: str | None = None
) -> list[RealPaper]:
    """The papers of ``gold`` whose abstract is in ``texts`` (``<id>.txt``), of one split or all."""
    import yaml

    papers = {p["id"]: p for p in yaml.safe_load(corpus.read_text(encoding="utf-8"))["papers"]}
    entries = yaml.safe_load(gold.read_text(encoding="utf-8"))["papers"]
    documents = []
    for paper_id, entry in entries.items():
        if split is not None and entry["split"] != split:
            continue
        path = texts / f"{paper_id}.txt"
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8").strip()
        documents.append(RealPaper(paper_id, text, entry, papers[paper_id]["sha256"]))
    return documents


class RealScore:
    """Counts of the real-text evaluation; :meth:`figures` turns them into the reported figures."""

    def __init__(self) -> None:
        self.terms = Score()
        self.proposals = 0
        self.right_proposals = 0
        self.gold_expressible = 0
        self.found_expressible = 0
        self.gold_all = 0
        self.loss_of_function = 0
        self.loss_of_function_right = 0
        self.method_checked = 0
        self.method_right = 0
        self.wrong: list[str] = []
        self.missed: list[str] = []

    def figures(self) -> dict[str, float | int]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 1.0

        return {
            "term precision": ratio(self.terms.true_positives, self.terms.predicted),
            "term recall": ratio(self.terms.true_positives, self.terms.gold),
            "candidate precision": ratio(self.right_proposals, self.proposals),
            "candidate recall": ratio(self.found_expressible, self.gold_expressible),
            "candidate recall, all findings": ratio(self.found_expressible, self.gold_all),
            "loss-of-function direction": ratio(self.loss_of_function_right, self.loss_of_function),
            "system and evidence": ratio(self.method_right, self.method_checked),
            "proposals": self.proposals,
            "expressible findings": self.gold_expressible,
            "findings": self.gold_all,
            "loss-of-function findings": self.loss_of_function,
        }


def _matches(proposal: Any, finding: dict[str, Any]) -> bool:
    """Same sentence, object, relation and polarity, and the subject one the gold accepts."""
    start, end = finding["span"]
    if not (proposal.span[0] < end and start < proposal.span[1]):
        return False
    subjects = set(finding["subject"])
    return (
        proposal.object == finding["object"]
        and proposal.relation == finding["relation"]
        and proposal.polarity == finding.get("polarity", "positive")
        and bool(subjects & {proposal.subject, proposal.reported_as})
    )


def score_real(
    lexicon: Lexicon,
    categories: dict[str, set[str]],
    papers: list[RealPaper],
    sources: dict[tuple[str, str], str] | None = None,
) -> RealScore:
    """Annotate and propose on every paper and compare with its gold (README: "Real abstracts")."""
    from exokg.text.propose import propose

    score = RealScore()
    for paper in papers:
        predicted = {(s.start, s.end, frozenset(s.curies)) for s in annotate(lexicon, paper.text)}
        gold = {t for t in paper.terms if t[2]}
        score.terms.true_positives += len(predicted & gold)
        score.terms.predicted += len(predicted)
        score.terms.gold += len(gold)
        for start, end, curies in sorted(predicted - gold):
            score.terms.wrong.append((paper.id, paper.text[start:end], " | ".join(sorted(curies))))
        for start, end, curies in sorted(gold - predicted):
            score.terms.missed.append((paper.id, paper.text[start:end], " | ".join(sorted(curies))))

        proposals = propose(paper.text, lexicon, categories, sources)
        expressible = [f for f in paper.findings if f.get("expressible", True)]
        score.gold_all += len(paper.findings)
        score.gold_expressible += len(expressible)
        score.proposals += len(proposals)
        for proposal in proposals:
            if any(_matches(proposal, f) for f in expressible):
                score.right_proposals += 1
            else:
                score.wrong.append(
                    f"{paper.id} [{proposal.span[0]}-{proposal.span[1]}]: {proposal.reported_as or proposal.subject}"
                    f" {proposal.direction} {proposal.object} ({proposal.polarity})"
                )
        for finding in expressible:
            hits = [p for p in proposals if _matches(p, finding)]
            if hits:
                score.found_expressible += 1
                for key in ("system", "evidence"):
                    if key in finding:
                        score.method_checked += 1
                        value = (
                            hits[0].context.get("system") if key == "system" else hits[0].evidence
                        )
                        score.method_right += value == finding[key]
            else:
                score.missed.append(
                    f"{paper.id} [{finding['span'][0]}-{finding['span'][1]}]: {finding['subject'][0]}"
                    f" {RELATIONS[finding['relation']]} {finding['object']}"
                    f" ({finding.get('polarity', 'positive')})"
                )
            if "perturbation" in finding:
                score.loss_of_function += 1
                score.loss_of_function_right += bool(hits)
    return score
