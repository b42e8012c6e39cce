"""How much of the curators' fact sheet a user can find: each fact code through `evidence-for`.

The fact sheet (../shared/reference/review-facts.md, beside the checkout; CI has it) lists the review's
statements and those of the papers behind it, each under a code (A01 … I14). A code counts as findable
when asking `evidence-for` about the subject of one of its statements returns that statement.
"""

from __future__ import annotations

import re

import pytest

from exokg.core.resources import KG_FILE
from exokg.query.store import open_store
from exokg.text.resolve import ask
from tests import ROOT

FACT_SHEET = ROOT.parent / "shared" / "reference" / "review-facts.md"
FACT = re.compile(r"^\*\*([A-I]\d\d)\*\*", re.M)
TARGET = 92  # of the fact sheet's 97 codes

STATEMENTS_BY_FACT = """
SELECT ?fact ?statement ?subject WHERE {
  ?statement exo:factSheetId ?fact ; rdf:subject ?subject .
} ORDER BY ?fact ?statement
"""


def test_evidence_for_finds_the_fact_sheet() -> None:
    if not FACT_SHEET.is_file():
        pytest.skip(f"no fact sheet at {FACT_SHEET}")
    if not KG_FILE.is_file():
        pytest.skip("no built graph: run `exokg build`")
    codes = sorted(set(FACT.findall(FACT_SHEET.read_text(encoding="utf-8"))))
    assert len(codes) == 97, "the fact sheet changed: update TARGET"
    from exokg.query.questions import run_query

    store = open_store(kg_file=KG_FILE)
    by_fact: dict[str, list[tuple[str, str]]] = {}
    for fact, statement, subject in run_query(STATEMENTS_BY_FACT, executor=store).rows:
        assert fact is not None and statement is not None and subject is not None
        by_fact.setdefault(fact.value, []).append((statement.value, subject.value))
    found = []
    for code in codes:
        for statement, subject in by_fact.get(code, []):
            answer = ask("evidence-for", {"term": f"<{subject}>"}, executor=store)
            column = answer.variables.index("statement")
            if any(
                row[column] is not None and row[column].value == statement for row in answer.rows
            ):
                found.append(code)
                break
    missing = sorted(set(codes) - set(found))
    assert len(found) >= TARGET, f"{len(found)}/97 fact codes findable; missing: {missing}"
