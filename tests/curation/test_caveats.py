"""Caveats applied by rule (exokg.curation.caveats): build reaches every matching finding, validate
names the findings a rule cannot reach, and the shipped Rab27a-blockade findings all carry the caveat."""

from __future__ import annotations

import pytest
from rdflib import Graph

from exokg.curation.caveats import apply_rules, missed
from exokg.curation.ontology import load_ontology
from exokg.curation.records import read_curation
from exokg.curation.validate import validate
from tests import FIXTURES

RULE = FIXTURES / "curation" / "caveat-rule.yaml"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def test_a_rule_reaches_every_finding_that_shares_what_it_names(ontology: Graph) -> None:
    curation = apply_rules(read_curation([RULE]), ontology)
    caveat = next(s for s in curation.statements if s.id == "R03-B97")
    assert caveat.qualifies == ("R03-B98",)  # not the drug, not the words-only blockade


def test_validate_names_the_finding_a_rule_cannot_reach(ontology: Graph) -> None:
    problems = validate([RULE], ontology)
    assert [(p.statement, p.line) for p in problems] == [("R03-B96", 55)], [
        p.text() for p in problems
    ]
    assert "caveat R03-B97" in problems[0].what and "perturbation_kind" in problems[0].fix


def test_every_shipped_rab27a_blockade_finding_carries_the_blockade_caveats(
    ontology: Graph,
) -> None:
    curation = read_curation()
    assert missed(curation, ontology) == []
    applied = apply_rules(curation, ontology)
    by_id = {s.id: s for s in applied.statements}
    blockade = {
        s.id
        for s in applied.statements
        if s.polarity != "caveat"
        and s.context.perturbed_gene == "EXOKG:0000400"
        and s.context.perturbation_kind == "secretion_blockade"
    }
    assert {"R03-B05", "R03-B06", "R06-E07", "R06-E07b"} <= blockade
    for caveat in ("R02-A09b", "R03-B04c"):
        assert blockade <= set(by_id[caveat].qualifies), caveat
    # the review's "both parts" reaches the antitumour-immunity findings as well as the pro-tumour
    # ones (on the asserted hierarchy here; build adds those that only the reasoner places, such as
    # the 4T1 and melanoma findings)
    assert {"R08-F08b", "R01-A07", "R03-B10"} <= set(by_id["R25-G10c"].qualifies)
