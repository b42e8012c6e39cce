"""Claims and their evidence strength (exokg.compile.claims): grouping, counts, best evidence and the score.

The unit tests build a small graph by hand: a vesicle class with a subclass, an outcome with a part,
the relations' declared effect directions and the ECO classes that say which evidence is
experimental. Every expected score is worked out in the test from the formula of the module
docstring, so a change to the formula shows here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL

from exokg.compile.claims import (
    CLAIM_CAVEAT,
    METHOD_CAVEAT,
    PRIOR,
    TENSION,
    Claim,
    claims,
    claims_graph,
)
from exokg.core.resources import KG_FILE
from exokg.core.vocab import EXO, NS, STATEMENT

GO, RO, ECO, EXOKG, BFO = NS["GO"], NS["RO"], NS["ECO"], NS["EXOKG"], NS["BFO"]
EV = GO["1903561"]
TUMOUR_EV = EXOKG["9000001"]  # a subclass of EV
OTHER_EV = EXOKG["9000002"]  # a subclass of EV, not of TUMOUR_EV
PROGRESSION = EXOKG["9000010"]
GROWTH = EXOKG["9000011"]  # part of PROGRESSION
PROMOTES, INHIBITS = RO["0002304"], RO["0002305"]
HAS_PART = BFO["0000051"]
EXPERIMENT, AUTHOR = ECO["0000269"], ECO["0000304"]


def _ontology() -> tuple[Graph, Graph]:
    ontology, closure = Graph(), Graph()
    ontology.add((PROMOTES, EXO.effectDirection, EXO.promotes))
    ontology.add((INHIBITS, EXO.effectDirection, EXO.inhibits))
    ontology.add((HAS_PART, EXO.effectDirection, EXO.notAnEffect))
    part = BNode()
    ontology.add((GROWTH, RDFS.subClassOf, part))
    ontology.add((part, OWL.onProperty, BFO["0000050"]))
    ontology.add((part, OWL.someValuesFrom, PROGRESSION))
    for child, parents in {
        TUMOUR_EV: (EV,),
        OTHER_EV: (EV,),
        EXPERIMENT: (ECO["0000006"],),
        AUTHOR: (ECO["0000204"],),
    }.items():
        for parent in (child, *parents):
            closure.add((child, RDFS.subClassOf, parent))
    for term in (EV, PROGRESSION, GROWTH):
        closure.add((term, RDFS.subClassOf, term))
    return ontology, closure


def _statement(
    graph: Graph,
    ident: str,
    subject: URIRef,
    relation: URIRef,
    obj: URIRef,
    *,
    polarity: str = "positive",
    evidence: URIRef = EXPERIMENT,
    system: str | None = "inVivo",
    source: str = "A",
    qualifies: tuple[str, ...] = (),
) -> URIRef:
    node = STATEMENT[ident]
    graph.add((node, RDF.type, RDF.Statement))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, relation))
    graph.add((node, RDF.object, obj))
    graph.add((node, EXO.polarity, EXO[polarity]))
    graph.add((node, EXO.evidence, evidence))
    graph.add((node, EXO.verification, EXO.V1))
    graph.add((node, DCTERMS.source, URIRef(f"https://doi.org/10.1/{source}")))
    if system:
        graph.add((node, EXO.system, EXO[system]))
    for target in qualifies:
        graph.add((node, EXO.qualifies, STATEMENT[target]))
    return node


def _claim(found: list[Claim], subject: URIRef, direction: str, obj: URIRef) -> Claim:
    return next(c for c in found if (c.subject, c.direction, c.object) == (subject, direction, obj))


def _ids(claim_statements: list) -> list[str]:  # type: ignore[type-arg]
    return [str(e.node).rpartition("/")[2] for e in claim_statements]


def test_support_comes_from_subclasses_and_parts_of_the_outcome() -> None:
    ontology, closure = _ontology()
    graph = Graph()
    _statement(graph, "A-X01", EV, PROMOTES, PROGRESSION, evidence=AUTHOR, system=None)
    _statement(graph, "B-X01", TUMOUR_EV, PROMOTES, GROWTH, source="B")
    _statement(graph, "C-X01", TUMOUR_EV, PROMOTES, GROWTH, system="inVitro", source="C")
    _statement(graph, "D-X01", OTHER_EV, HAS_PART, GROWTH, source="D")  # not an effect
    found = claims(graph, ontology, closure)
    general = _claim(found, EV, "promotes", PROGRESSION)
    assert _ids(general.supports) == ["A-X01", "B-X01", "C-X01"]
    assert general.sources == 3
    assert general.best_kind == "in vivo"
    narrow = _claim(found, TUMOUR_EV, "promotes", GROWTH)
    assert _ids(narrow.supports) == ["B-X01", "C-X01"]  # the broader statement does not count
    # an experimental finding of composition forms a claim of its own, named by its relation
    (composition,) = [c for c in found if c.direction == str(HAS_PART)]
    assert _ids(composition.supports) == ["D-X01"]
    assert len(found) == 3
    # support = 1 - (1 - 0.3)(1 - 0.8)(1 - 0.6), nothing against
    expected = 1 - (1 - PRIOR["author statement"]) * (1 - PRIOR["in vivo"]) * (
        1 - PRIOR["in vitro"]
    )
    assert general.score == Decimal(str(round(expected, 3)))


def test_negative_findings_opposite_effects_and_caveats_count_against() -> None:
    ontology, closure = _ontology()
    graph = Graph()
    _statement(graph, "A-X01", TUMOUR_EV, PROMOTES, PROGRESSION)
    _statement(graph, "B-X01", TUMOUR_EV, PROMOTES, PROGRESSION, polarity="negative", source="B")
    _statement(graph, "C-X01", TUMOUR_EV, INHIBITS, GROWTH, source="C")  # opposite, narrower
    _statement(
        graph, "D-X01", EV, PROMOTES, PROGRESSION, polarity="caveat", evidence=AUTHOR,
        system=None, source="D", qualifies=("A-X01",),
    )  # fmt: skip
    found = claims(graph, ontology, closure)
    claim = _claim(found, TUMOUR_EV, "promotes", PROGRESSION)
    assert _ids(claim.supports) == ["A-X01"]
    assert _ids(claim.contradicts) == ["B-X01", "C-X01"]
    assert _ids(claim.cautions) == ["D-X01"]  # it qualifies a supporting statement
    in_vivo = PRIOR["in vivo"]
    # D is a method caveat (no claim rule): A counts for (1 - METHOD_CAVEAT) of its prior
    support = in_vivo * (1 - METHOD_CAVEAT)
    # B: same subject and outcome (weight 1); C: narrower outcome (weight 1/2)
    against = (1 - in_vivo) * (1 - in_vivo / 2)
    assert claim.score == Decimal(str(round(support * against, 3)))
    alone = _claim(found, TUMOUR_EV, "inhibits", GROWTH)
    assert claim.score < alone.score  # contested claims rank below uncontested ones


def _claim_caveat(graph: Graph, ident: str, outcomes: tuple[URIRef, ...], source: str) -> None:
    """A caveat about the claims (TUMOUR_EV, promotes, one of ``outcomes``), as a rule writes it."""
    node = _statement(
        graph, ident, TUMOUR_EV, PROMOTES, PROGRESSION, polarity="caveat", evidence=AUTHOR,
        system=None, source=source,
    )  # fmt: skip
    graph.add((node, EXO.cautionSubject, TUMOUR_EV))
    for outcome in outcomes:
        graph.add((node, EXO.cautionOutcome, outcome))


def test_a_claim_caveat_counts_once_and_only_against_claims_it_is_about() -> None:
    ontology, closure = _ontology()
    narrower = EXOKG["9000003"]  # vesicles from one tumour line
    closure.add((narrower, RDFS.subClassOf, narrower))
    for parent in (TUMOUR_EV, EV):
        closure.add((narrower, RDFS.subClassOf, parent))
    graph = Graph()
    _statement(graph, "A-X01", TUMOUR_EV, PROMOTES, GROWTH)
    _statement(graph, "B-X01", narrower, PROMOTES, GROWTH, source="B")
    # two caveats that say the same (same triple, same rule), from two sources
    _claim_caveat(graph, "C-X01", (PROGRESSION,), "C")
    _claim_caveat(graph, "D-X01", (PROGRESSION,), "D")
    found = claims(graph, ontology, closure)
    general = _claim(found, TUMOUR_EV, "promotes", GROWTH)
    assert _ids(general.cautions) == ["C-X01", "D-X01"]
    in_vivo = PRIOR["in vivo"]
    support = 1 - (1 - in_vivo) ** 2
    assert general.score == Decimal(str(round(support * (1 - CLAIM_CAVEAT), 3)))  # once
    specific = _claim(found, narrower, "promotes", GROWTH)
    assert specific.cautions == [] and specific.score == Decimal("0.800")  # not about it


def test_claims_in_tension_see_each_other() -> None:
    ontology, closure = _ontology()
    immunity = EXOKG["9000020"]
    closure.add((immunity, RDFS.subClassOf, immunity))
    ontology.add((immunity, EXO.inTensionWith, PROGRESSION))
    graph = Graph()
    for source in "ABC":
        _statement(graph, f"{source}-X01", TUMOUR_EV, PROMOTES, GROWTH, source=source)
    _statement(graph, "D-X01", TUMOUR_EV, PROMOTES, immunity, source="D")
    found = claims(graph, ontology, closure)
    immune = _claim(found, TUMOUR_EV, "promotes", immunity)
    growth = _claim(found, TUMOUR_EV, "promotes", GROWTH)
    assert immune.tensions == [growth] and growth.tensions == [immune]
    in_vivo = PRIOR["in vivo"]
    # each loses TENSION times the other side's share of the evidence (3 sources against 1)
    assert immune.score == Decimal(str(round(in_vivo * (1 - TENSION * 3 / 4), 3)))
    support = 1 - (1 - in_vivo) ** 3
    assert growth.score == Decimal(str(round(support * (1 - TENSION / 4), 3)))
    assert growth.score > immune.score


def test_a_claim_only_negative_findings_support_says_no_effect() -> None:
    ontology, closure = _ontology()
    graph = Graph()
    _statement(graph, "A-X01", TUMOUR_EV, PROMOTES, GROWTH, polarity="negative")
    result = claims_graph(graph, ontology, closure)
    (node,) = result.subjects(RDF.type, EXO.Claim)
    assert str(node).endswith("/claim/EXOKG_9000001-not-promotes-EXOKG_9000011")
    assert str(result.value(node, EXO.effect)) == "no effect"
    assert "has no effect on" in str(result.value(node, RDFS.label))
    assert str(result.value(node, EXO.score)) == "0.8"


def test_one_source_counts_once() -> None:
    ontology, closure = _ontology()
    graph = Graph()
    for number in range(1, 5):
        _statement(graph, f"A-X0{number}", TUMOUR_EV, PROMOTES, GROWTH)
    claim = claims(graph, ontology, closure)[0]
    assert len(claim.supports) == 4 and claim.sources == 1
    assert claim.score == Decimal("0.800")


def test_claims_graph_links_statements_and_counts() -> None:
    ontology, closure = _ontology()
    graph = Graph()
    _statement(graph, "A-X01", TUMOUR_EV, PROMOTES, GROWTH)
    _statement(graph, "B-X01", TUMOUR_EV, PROMOTES, GROWTH, polarity="negative", source="B")
    result = claims_graph(graph, ontology, closure)
    (node,) = result.subjects(RDF.type, EXO.Claim)
    assert str(node).endswith("/claim/EXOKG_9000001-promotes-EXOKG_9000011")
    assert result.value(node, EXO.supportCount) == Literal(1)
    assert result.value(node, EXO.contradictCount) == Literal(1)
    assert str(result.value(node, EXO.contradictingIds)) == "B-X01"
    assert (STATEMENT["A-X01"], EXO.supports, node) in result
    assert (STATEMENT["B-X01"], EXO.contradicts, node) in result
    assert (STATEMENT["B-X01"], EXO.claim, node) in result  # its own claim, which it denies
    assert str(result.value(node, EXO.score)) == "0.16"  # 0.8 * (1 - 0.8)


def test_every_effect_statement_of_the_built_graph_has_its_claim() -> None:
    if not KG_FILE.is_file():
        pytest.skip("no built graph: run `exokg build`")
    from exokg.query.questions import run_query
    from exokg.query.store import open_store

    store = open_store(kg_file=KG_FILE)
    missing = run_query(
        """SELECT ?statement WHERE {
             ?statement rdf:predicate ?relation ; exo:polarity ?polarity .
             ?relation exo:effectDirection ?direction .
             FILTER(?direction != exo:notAnEffect && ?polarity != exo:caveat)
             FILTER NOT EXISTS { ?statement exo:claim ?claim } } ORDER BY ?statement""",
        executor=store,
    )
    assert missing.rows == []
    scores = run_query(
        "SELECT ?score WHERE { ?c a exo:Claim ; exo:score ?score } ORDER BY ?score", executor=store
    )
    values = [Decimal(row[0].value) for row in scores.rows]  # type: ignore[union-attr]
    assert values and all(Decimal(0) <= v <= Decimal(1) for v in values)
