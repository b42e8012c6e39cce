"""The claim score against an EV biologist's ranking (tests/compile/expert_pairs.tsv).

Each pair says which of two claims of the built graph should score higher, with its reason from the
fact sheet. The test reads the scores `exokg ask claims` gives and reports how many pairs the score
orders right; every pair must be.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from exokg.core.resources import KG_FILE
from exokg.query.store import open_store
from exokg.text.resolve import ask

PAIRS_FILE = Path(__file__).with_name("expert_pairs.tsv")
CLAIM_BASE = "https://w3id.org/exokg/claim/"


def _pairs() -> list[dict[str, str]]:
    lines = [
        line for line in PAIRS_FILE.read_text(encoding="utf-8").splitlines() if line[:1] != "#"
    ]
    return list(csv.DictReader(lines, delimiter="\t"))


def _scores() -> dict[str, Decimal]:
    answer = ask("claims", executor=open_store(kg_file=KG_FILE))
    claim, score = answer.variables.index("claim"), answer.variables.index("score")
    return {
        str(row[claim].value).removeprefix(CLAIM_BASE): Decimal(str(row[score].value))  # type: ignore[union-attr]
        for row in answer.rows
    }


def test_every_pair_has_a_reason_from_the_fact_sheet() -> None:
    pairs = _pairs()
    assert len(pairs) >= 25
    for pair in pairs:
        assert pair["higher"] != pair["lower"]
        assert any(ch.isdigit() for ch in pair["reason"]), f"cite a fact code: {pair}"


def test_the_score_orders_every_expert_pair(capsys: pytest.CaptureFixture[str]) -> None:
    if not KG_FILE.is_file():
        pytest.skip("no built graph: run `exokg build`")
    scores = _scores()
    pairs = _pairs()
    missing = sorted({p[k] for p in pairs for k in ("higher", "lower")} - scores.keys())
    assert not missing, f"claims no longer in the graph: {missing}"
    wrong = [p for p in pairs if not scores[p["higher"]] > scores[p["lower"]]]
    with capsys.disabled():
        print(f"\nexpert pairs ordered right: {len(pairs) - len(wrong)} of {len(pairs)}")
    assert not wrong, "\n".join(
        f"{p['higher']} ({scores[p['higher']]}) should be above {p['lower']} "
        f"({scores[p['lower']]}): {p['reason']}"
        for p in wrong
    )
