"""Claims and their evidence strength, computed once at build time.

A *claim* is what several statements say together: "tumour-derived exosomes promote tumour
progression". exokg groups the statements of the statements graph into claims and weighs each one,
so that a question can rank claims, and show beside a finding how strong the claim behind it is,
without recomputing anything.

**Which claims.** Every statement whose relation is an effect (the relation declares
``exo:effectDirection`` promotes, inhibits or affects in the ontology; model v2) names one claim:
(its subject, the relation's direction, its object) — its *own* claim, linked by ``exo:claim``.
Statements whose relation is not an effect (has part, derives from …) make no claim.

**What counts for and against a claim (S, D, O).** With ⊑ the materialised subclass closure:

- it is *supported* (``exo:supports``) by every positive statement with direction D, an outcome
  that is O or narrower (⊑ O, or part of a class ⊑ O: metastasis is part of tumour progression, as
  the main question reads outcomes) and a subject ⊑ S — a finding about 4T1-derived exosomes supports the claim about tumour-derived ones;
- it is *contradicted* (``exo:contradicts``) by every negative finding ("no effect") with direction
  D, such an outcome and a subject ⊑ S, and by every positive statement of the opposite direction
  (promotes ↔ inhibits) with such an outcome and a subject ⊑ S;
- it is *cautioned* (``exo:cautions``) by every caveat with such an outcome and a subject ⊑ S, and by every
  caveat that qualifies (``exo:qualifies``) one of its supporting statements.

**The score** follows the shape of INDRA's belief model (Gyori et al. 2017, "From word models to
executable models of signaling networks using automated assembly", Mol Syst Biol 13:954): each piece
of evidence is right with some probability, and a claim is believed unless every piece of evidence for
it is wrong. Each statement gets a prior *p* from its evidence kind (:data:`PRIOR`), times a factor
for how far exokg checked its source (:data:`VERIFICATION_FACTOR`). Statements of one source are not
independent, so each source counts once, with the highest *p* among its statements. Then

    support = 1 - prod over supporting sources (1 - p_s)
    against = 1 - prod over contradicting sources (1 - w_s * p_s) * prod over cautioning sources (1 - p_s / 2)
    score   = support * (1 - against), rounded to three decimals

A contradiction about the claim's own subject and outcome weighs fully (w = 1); one about a narrower
subject or outcome (TS/A-derived exosomes against tumour-derived ones) weighs half (w = ½): it shows
the claim does not hold everywhere, not that it never holds. A caveat weighs half too: it limits how
far a finding generalises, it does not deny it. Within a source the largest weighted prior counts.
A claim with no support scores 0. The numbers are priors chosen by hand, not fitted: the score orders
claims, it is not a calibrated probability.

**Best evidence kind** of a claim, best first: ``in vivo`` > ``patient samples`` > ``ex vivo`` >
``in vitro`` > ``experimental`` (system not stated) > ``author statement`` > ``other``. A statement is
experimental when its ECO class is ⊑ ECO:0000006 (experimental evidence), an author statement when
⊑ ECO:0000204; an experimental statement's kind is its ``exo:system``, or ``in vivo`` when its ECO
class is ⊑ ECO:0000178 (in vivo assay evidence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from rdflib import Graph, URIRef

__all__ = [
    "CLAIM_BASE",
    "KINDS",
    "PRIOR",
    "VERIFICATION_FACTOR",
    "Claim",
    "claims",
    "claims_graph",
    "score",
]

CLAIM_BASE = "https://w3id.org/exokg/claim/"
SEPARATOR = " | "  # between the statement ids of a claim, as in every multi-valued answer cell

# evidence kinds, best first, with the prior probability that one piece of such evidence is right
KINDS = (
    "in vivo",
    "patient samples",
    "ex vivo",
    "in vitro",
    "experimental",
    "author statement",
    "other",
)
PRIOR: dict[str, float] = {
    "in vivo": 0.8,
    "patient samples": 0.7,
    "ex vivo": 0.7,
    "in vitro": 0.6,
    "experimental": 0.6,
    "author statement": 0.3,
    "other": 0.2,
}
VERIFICATION_FACTOR: dict[str, float] = {"V1": 1.0, "V2": 0.8, "NV": 0.5}
_SYSTEM_KIND = {
    "inVivo": "in vivo",
    "patientSamples": "patient samples",
    "exVivo": "ex vivo",
    "inVitro": "in vitro",
}
_OPPOSITE = {"promotes": "inhibits", "inhibits": "promotes"}


@dataclass(frozen=True)
class _Evidence:
    """One statement as the claims see it."""

    node: URIRef
    subject: URIRef
    direction: str
    object: URIRef
    polarity: str  # positive | negative | caveat
    source: str
    kind: str
    prior: float
    qualifies: tuple[URIRef, ...]


@dataclass
class Claim:
    """A claim (subject, direction, object) and the statements for, against and cautioning it."""

    subject: URIRef
    direction: str
    object: URIRef
    supports: list[_Evidence] = field(default_factory=list)
    contradicts: list[_Evidence] = field(default_factory=list)
    cautions: list[_Evidence] = field(default_factory=list)

    @property
    def iri(self) -> URIRef:
        """``https://w3id.org/exokg/claim/<subject>-<direction>-<object>``, from the terms' IRIs."""
        from rdflib import URIRef

        from exokg.curation.records import converter

        compress = converter().compress

        def local(term: URIRef) -> str:
            curie = compress(str(term)) or str(term).rstrip("/").rpartition("/")[2]
            return curie.replace(":", "_").replace("#", "_")

        return URIRef(f"{CLAIM_BASE}{local(self.subject)}-{self.direction}-{local(self.object)}")

    @property
    def sources(self) -> int:
        """How many independent sources support the claim."""
        return len({e.source for e in self.supports})

    @property
    def best_kind(self) -> str:
        """The best evidence kind among the supporting statements (``none`` without support)."""
        kinds = {e.kind for e in self.supports}
        return next((kind for kind in KINDS if kind in kinds), "none")

    @property
    def score(self) -> Decimal:
        """The evidence strength of the module docstring, in [0, 1], three decimals."""
        return score(self)


def score(claim: Claim) -> Decimal:
    """``support * (1 - against)``, each source counted once with its best weight (module docstring)."""

    def exact(item: _Evidence) -> bool:
        return item.subject == claim.subject and item.object == claim.object

    def per_source(evidence: list[_Evidence], weight: Callable[[_Evidence], float]) -> list[float]:
        best: dict[str, float] = {}
        for item in evidence:
            best[item.source] = max(best.get(item.source, 0.0), item.prior * weight(item))
        return [best[key] for key in sorted(best)]

    def all_wrong(priors: list[float]) -> float:
        product = 1.0
        for prior in priors:
            product *= 1.0 - prior
        return product

    support = 1.0 - all_wrong(per_source(claim.supports, lambda item: 1.0))
    contradicting = per_source(claim.contradicts, lambda item: 1.0 if exact(item) else 0.5)
    cautioning = per_source(claim.cautions, lambda item: 0.5)
    against = 1.0 - all_wrong(contradicting) * all_wrong(cautioning)
    value = Decimal(repr(support * (1.0 - against)))
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)


def claims(statements: Graph, ontology: Graph, closure: Graph) -> list[Claim]:
    """The claims of ``statements``, each with the statements for, against and cautioning it.

    ``ontology`` holds the relations' ``exo:effectDirection`` and the ECO hierarchy is read from
    ``closure``, the reflexive, transitive ``rdfs:subClassOf`` closure materialised at build time.
    Claims come sorted by IRI, their statements by IRI, so the build stays reproducible.
    """
    from rdflib import RDFS, URIRef

    evidence = _evidence(statements, ontology, closure)
    effects = [item for item in evidence if item.direction]
    by_key: dict[tuple[URIRef, str, URIRef], Claim] = {}
    for item in effects:
        key = (item.subject, item.direction, item.object)
        by_key.setdefault(key, Claim(*key))

    def above(term: URIRef) -> set[URIRef]:
        found = {o for o in closure.objects(term, RDFS.subClassOf) if isinstance(o, URIRef)}
        return {term, *found}

    wholes = _wholes(ontology)
    ancestors = {item.subject: above(item.subject) for item in effects}
    by_object: dict[URIRef, list[_Evidence]] = {}
    for item in effects:
        outcomes = above(item.object)
        for part in list(outcomes):
            for whole in wholes.get(part, ()):
                outcomes |= above(whole)
        for outcome in outcomes:
            by_object.setdefault(outcome, []).append(item)
    qualifiers: dict[URIRef, list[_Evidence]] = {}
    for item in evidence:
        for target in item.qualifies:
            qualifiers.setdefault(target, []).append(item)
    for claim in by_key.values():
        for item in by_object.get(claim.object, []):
            if claim.subject not in ancestors[item.subject]:
                continue
            if item.polarity == "caveat":
                claim.cautions.append(item)
            elif item.direction == claim.direction:
                group = claim.supports if item.polarity == "positive" else claim.contradicts
                group.append(item)
            elif item.polarity == "positive" and _OPPOSITE.get(item.direction) == claim.direction:
                claim.contradicts.append(item)
        for supporting in claim.supports:
            for caveat in qualifiers.get(supporting.node, []):
                if caveat not in claim.cautions:
                    claim.cautions.append(caveat)
        for group in (claim.supports, claim.contradicts, claim.cautions):
            group.sort(key=lambda e: str(e.node))
    return sorted(by_key.values(), key=lambda c: str(c.iri))


def claims_graph(statements: Graph, ontology: Graph, closure: Graph) -> Graph:
    """The claims of :func:`claims` as triples, to add to the statements graph.

    Each claim is an ``exo:Claim`` node with its subject, effect and object, a readable label, its
    counts, its best evidence kind and its score; statements point to it with ``exo:supports``,
    ``exo:contradicts`` or ``exo:cautions``, and every effect statement to its own claim with
    ``exo:claim``. Claims use their own predicates, not ``rdf:subject``, so that no question about
    statements meets a claim by accident.
    """
    from rdflib import RDF, RDFS, Graph, Literal
    from rdflib.namespace import XSD

    from exokg.core.vocab import EXO

    def label(term: URIRef) -> str:
        found = ontology.value(term, RDFS.label) or statements.value(term, RDFS.label)
        return str(found) if found is not None else str(term)

    result = Graph()
    found = claims(statements, ontology, closure)
    keys = {(c.subject, c.direction, c.object): c for c in found}
    for claim in found:
        node = claim.iri
        result.add((node, RDF.type, EXO.Claim))
        result.add((node, EXO.claimSubject, claim.subject))
        result.add((node, EXO.effect, Literal(claim.direction)))
        result.add((node, EXO.claimObject, claim.object))
        text = f"{label(claim.subject)} {claim.direction} {label(claim.object)}"
        result.add((node, RDFS.label, Literal(text)))
        # the shortest lexical form ("0.8", "0"), which Oxigraph and rdflib both print unchanged
        lexical = format(claim.score.normalize(), "f")
        result.add((node, EXO.score, Literal(lexical, datatype=XSD.decimal)))
        for predicate, value in (
            (EXO.supportCount, len(claim.supports)),
            (EXO.sourceCount, claim.sources),
            (EXO.contradictCount, len(claim.contradicts)),
            (EXO.caveatCount, len(claim.cautions)),
        ):
            result.add((node, predicate, Literal(value)))
        result.add((node, EXO.bestEvidence, Literal(claim.best_kind)))
        for predicate, group in (
            (EXO.supports, claim.supports),
            (EXO.contradicts, claim.contradicts),
            (EXO.cautions, claim.cautions),
        ):
            for item in group:
                result.add((item.node, predicate, node))
        for predicate, group in (
            (EXO.supportingIds, claim.supports),
            (EXO.contradictingIds, claim.contradicts),
            (EXO.cautioningIds, claim.cautions),
        ):
            if group:
                ids = sorted(str(item.node).rpartition("/")[2] for item in group)
                result.add((node, predicate, Literal(SEPARATOR.join(ids))))
    for item in _evidence(statements, ontology, closure):
        own = keys.get((item.subject, item.direction, item.object))
        if own is not None:
            result.add((item.node, EXO.claim, own.iri))
    return result


def _wholes(ontology: Graph) -> dict[URIRef, set[URIRef]]:
    """Per class, the classes it is declared part of (``subClassOf [part of some W]``)."""
    from rdflib import RDFS, URIRef
    from rdflib.namespace import OWL

    from exokg.core.vocab import NS

    part_of = NS["BFO"]["0000050"]
    result: dict[URIRef, set[URIRef]] = {}
    for restriction in ontology.subjects(OWL.onProperty, part_of):
        whole = ontology.value(restriction, OWL.someValuesFrom)
        if not isinstance(whole, URIRef):
            continue
        for part in ontology.subjects(RDFS.subClassOf, restriction):
            if isinstance(part, URIRef):
                result.setdefault(part, set()).add(whole)
    return result


def _evidence(statements: Graph, ontology: Graph, closure: Graph) -> list[_Evidence]:
    """Every statement with an effect relation, and every caveat, as the claims need them."""
    from rdflib import RDF, RDFS, URIRef
    from rdflib.namespace import DCTERMS

    from exokg.core.vocab import EXO, NS

    experimental = NS["ECO"]["0000006"]
    author_statement = NS["ECO"]["0000204"]
    in_vivo_assay = NS["ECO"]["0000178"]
    directions = {
        relation: str(direction).rpartition("#")[2]
        for relation, direction in ontology.subject_objects(EXO.effectDirection)
    }
    result = []
    for node in sorted(statements.subjects(RDF.type, RDF.Statement), key=str):
        subject = statements.value(node, RDF.subject)
        relation = statements.value(node, RDF.predicate)
        obj = statements.value(node, RDF.object)
        polarity = str(statements.value(node, EXO.polarity)).rpartition("#")[2]
        direction = directions.get(relation, "") if relation is not None else ""
        if direction not in ("promotes", "inhibits", "affects"):
            direction = ""
        if not (direction or polarity == "caveat"):
            continue
        if not isinstance(subject, URIRef) or not isinstance(obj, URIRef):
            continue
        code = statements.value(node, EXO.evidence)
        above = set(closure.objects(code, RDFS.subClassOf)) if code is not None else set()
        system = statements.value(node, EXO.system)
        if experimental in above:
            kind = _SYSTEM_KIND.get(str(system).rpartition("#")[2]) if system else None
            kind = kind or ("in vivo" if in_vivo_assay in above else "experimental")
        elif author_statement in above:
            kind = "author statement"
        else:
            kind = "other"
        level = str(statements.value(node, EXO.verification)).rpartition("#")[2]
        result.append(
            _Evidence(
                node=URIRef(str(node)),
                subject=subject,
                direction=direction,
                object=obj,
                polarity=polarity,
                source=str(statements.value(node, DCTERMS.source)),
                kind=kind,
                prior=PRIOR[kind] * VERIFICATION_FACTOR.get(level, 0.5),
                qualifies=tuple(
                    sorted(
                        t for t in statements.objects(node, EXO.qualifies) if isinstance(t, URIRef)
                    )
                ),
            )
        )
    return result
