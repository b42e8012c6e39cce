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

__all__ = ["GoldDocument", "Score", "read_gold", "score_annotations"]

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
