"""Answers narrowed as a biologist narrows them: ``--where system="in vitro"``, ``organism=mouse``.

:func:`narrow` keeps the rows of an answer whose column says what each condition asks. A value
matches a cell when it is the cell's CURIE, or when the cell's text (its label, or the value in
words: ``in vitro`` for ``inVitro``) has it at the start of a word, in any case: ``source=Bobrie
2012`` keeps Bobrie 2012a and 2012b, ``verification=V1`` keeps ``V1`` and ``V1 (candidate)``,
``relation=later`` the later work. ``organism`` needs no column of that name: it looks in the
columns that name organisms (model, organisms, cells), by the organism's names in the lexicon
(``mouse`` finds Mus musculus).
"""

from __future__ import annotations

import re

from exokg.core.errors import UsageError
from exokg.core.prefixes import compact
from exokg.query.answers import WORDS, table_columns

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from exokg.query.store import Solutions
    from exokg.text.lexicon import Lexicon

__all__ = ["narrow"]

_ORGANISM_COLUMNS = ("model", "organisms", "organism", "cells", "finding_model")


def narrow(
    solutions: Solutions, conditions: Mapping[str, str], *, lexicon: Lexicon | None = None
) -> Solutions:
    """The rows of ``solutions`` that meet every condition (column name → value), in order."""
    from exokg.query.store import Solutions as Answer

    if solutions.boolean is not None or not conditions:
        return solutions
    names = solutions.variables
    columns = table_columns(solutions)
    tests = []
    for column, value in conditions.items():
        if column == "organism" and column not in names:
            where = [c for c in _ORGANISM_COLUMNS if c in names]
            if not where:
                raise UsageError(
                    "this answer has no column that names organisms",
                    where="--where organism",
                    fix=f"its columns are: {', '.join(columns)}",
                )
            tests.append((where, _organism_names(value, lexicon)))
        elif column in columns:
            tests.append(([column], [value]))
        else:
            raise UsageError(
                f"the answer has no column {column!r}",
                where="--where",
                fix=f"its columns are: {', '.join(columns)} (and organism)",
            )
    kept = []
    for row in solutions.rows:
        values = dict(zip(names, row, strict=True))
        if all(any(_meets(values, c, v) for c in where for v in wanted) for where, wanted in tests):
            kept.append(row)
    return Answer(list(names), kept, truncated=solutions.truncated)


def _meets(values: Mapping[str, object], column: str, value: str) -> bool:
    term, label = values.get(column), values.get(f"{column}_label")
    texts = []
    for found in (term, label):
        if found is None:
            continue
        text = str(getattr(found, "value", found))
        if getattr(found, "kind", "") == "uri":
            if compact(text).lower() == value.lower() or text == value:
                return True
            continue
        texts.append(WORDS.get(text, text))
    pattern = re.compile(r"(?<!\w)" + re.escape(value), re.IGNORECASE)
    return any(pattern.search(text) for text in texts)


def _organism_names(text: str, lexicon: Lexicon | None) -> list[str]:
    """``mouse`` as every name of its taxon (Mus musculus, mouse, NCBITaxon:10090)."""
    if lexicon is None:
        return [text]
    try:
        taxon = lexicon.organism(text)
    except KeyError:
        raise UsageError(
            f"no organism of the graph is called {text!r}",
            where="--where organism",
            fix="give mouse, human or an NCBITaxon CURIE such as NCBITaxon:10090",
        ) from None
    record = lexicon.terms[taxon]
    return [taxon, *(name for name, kind in record["names"] if kind != "CURIE")]
