"""Claims and their evidence strength, computed once at build time.

A *claim* is what several statements say together: "small EVs from tumour cells promote tumour
progression". exokg groups the statements of the statements graph into claims and weighs each one,
so that a question can rank claims, and show beside a finding how strong the claim behind it is,
without recomputing anything. docs/claims.md explains the model for users; this docstring is its
reference.

**Which claims.** A finding (a positive or negative statement; caveats make no claim) names the claim
(its subject, D, its object), where D is its relation's ``exo:effectDirection`` (promotes, inhibits,
affects). A finding whose relation is not an effect (has part, secretion depends on …) names the claim
(subject, its relation, object) when it rests on an experiment (ECO ⊑ ECO:0000006): robust
experimental findings of composition or dependence are claims too. A claim only negative findings
support is a *no effect* claim and is labelled so ("small EV from TS/A cells has no effect on
metastasis").

**What counts for and against a claim (S, D, O).** With ⊑ the materialised subclass closure and
"within O" meaning O, a subclass of O, or a part of one (``exo:isAOrPartOf``, transitive):

- *support*: findings of the claim's own polarity (positive; negative for a no-effect claim) with
  direction D, a subject ⊑ S and an outcome within O;
- *contradiction*: findings of the other polarity with such a subject and outcome, and positive
  findings of the opposite direction (promotes ↔ inhibits). About S and O themselves they weigh fully
  (w = 1); about a narrower subject or outcome they weigh half: the claim does not hold everywhere;
- *tension*: claims whose outcome is declared ``exo:inTensionWith`` the claim's (antitumour immunity
  vs tumour progression or immunosuppression) and whose subject is S or narrower: the same vesicles
  are said to do the opposite. Each such claim sees the other's evidence;
- *caveats*: a caveat qualifies findings (listed, or reached by its rule: see
  :mod:`exokg.curation.caveats`). A caveat about a claim (its rule names a subject and outcomes)
  weighs on the claims whose subject is that subject or broader and whose outcome is related to one
  of those outcomes, and on nothing else. Any other caveat (a method's limit: Rab27a blockade also
  changes other secretion) weakens the findings it qualifies. Caveats that say the same thing (the
  same subject, object and rule) count once.

**The score** follows the shape of INDRA's belief model (Gyori et al. 2017, Mol Syst Biol 13:954):
each piece of evidence is right with some probability, and a claim is believed unless every piece of
evidence for it is wrong. A finding's prior *p* comes from its evidence kind (:data:`PRIOR`), times a
factor for how far exokg checked its source (:data:`VERIFICATION_FACTOR`), times (1 - :data:`METHOD_CAVEAT`)
for each distinct method caveat on it. Statements of one source are not independent, so each source
counts once, with its highest *p*. Then

    support   = 1 - Π over supporting sources (1 - p_s)
    against   = Π over contradicting sources (1 - w_s · p_s)
    caveats   = Π over distinct claim caveats (1 - CLAIM_CAVEAT · v_c)   (v_c: its verification factor)
    tension   = 1 - TENSION · m_other / (m_own + m_other)
                (m: Σ of p_s over sources; m_other pools the claims in tension, each source once)
    score     = support · against · caveats · tension, rounded to three decimals

A claim with no support scores 0. The numbers are priors and weights chosen by hand and checked
against an expert ranking (tests/compile/expert_pairs.tsv), not fitted: the score orders claims, it is
not a calibrated probability.

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
    from rdflib import Graph, URIRef

__all__ = [
    "CLAIM_BASE",
    "CLAIM_CAVEAT",
    "KINDS",
    "METHOD_CAVEAT",
    "PRIOR",
    "TENSION",
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
# V2: seen only in a secondary source, which may overstate the primary work (B11's dendritic cells)
VERIFICATION_FACTOR: dict[str, float] = {"V1": 1.0, "V2": 0.6, "NV": 0.4}
METHOD_CAVEAT = 0.25  # a finding reached by a method with a known confound counts for 3/4
CLAIM_CAVEAT = 0.15  # a caveat about the claim itself limits how far it generalises
TENSION = 0.75  # how much of the other side's share of the evidence a claim in tension loses
_SYSTEM_KIND = {
    "inVivo": "in vivo",
    "patientSamples": "patient samples",
    "exVivo": "ex vivo",
    "inVitro": "in vitro",
}
_OPPOSITE = {"promotes": "inhibits", "inhibits": "promotes"}
_EFFECTS = ("promotes", "inhibits", "affects")
_EXPERIMENTAL = ("in vivo", "patient samples", "ex vivo", "in vitro", "experimental")


@dataclass(frozen=True)
class _Evidence:
    """One statement as the claims see it."""

    node: URIRef
    subject: URIRef
    relation: URIRef
    direction: str  # promotes | inhibits | affects, or the relation's CURIE for a non-effect
    object: URIRef
    polarity: str  # positive | negative | caveat
    source: str
    kind: str
    prior: float  # after the method caveats on the statement
    verification: float
    qualifies: tuple[URIRef, ...] = ()
    # a caveat about claims: their subject, and outcomes (exo:cautionSubject, exo:cautionOutcome)
    caution_subject: URIRef | None = None
    caution_outcomes: tuple[URIRef, ...] = ()

    @property
    def point(self) -> tuple[URIRef | str | tuple[URIRef, ...] | None, ...]:
        """What a caveat says: caveats with the same subject, object and rule say the same thing."""
        return (
            self.subject,
            self.direction,
            self.object,
            self.caution_subject,
            self.caution_outcomes,
        )


@dataclass
class Claim:
    """A claim (subject, direction, object) and the statements for, against and cautioning it."""

    subject: URIRef
    direction: str
    object: URIRef
    negative: bool = False  # only negative findings support it: a "no effect" claim
    supports: list[_Evidence] = field(default_factory=list)
    contradicts: list[_Evidence] = field(default_factory=list)
    cautions: list[_Evidence] = field(default_factory=list)
    tensions: list[Claim] = field(default_factory=list)
    # filled by claims(): the caveats about this claim (weighed) and the sources' evidence mass
    claim_caveats: list[_Evidence] = field(default_factory=list)

    @property
    def iri(self) -> URIRef:
        """``https://w3id.org/exokg/claim/<subject>-<direction>-<object>``, from the terms' IRIs."""
        from rdflib import URIRef

        from exokg.curation.records import converter

        compress = converter().compress

        def local(term: str) -> str:
            curie = compress(str(term)) or str(term).rstrip("/").rpartition("/")[2]
            return curie.replace(":", "_").replace("#", "_")

        direction = self.direction if self.direction in _EFFECTS else local(self.direction)
        negated = "not-" if self.negative else ""
        return URIRef(
            f"{CLAIM_BASE}{local(self.subject)}-{negated}{direction}-{local(self.object)}"
        )

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
    def mass(self) -> float:
        """The weight of evidence for the claim: the sum of its sources' best priors."""
        return sum(_per_source(self.supports, lambda item: 1.0))

    @property
    def score(self) -> Decimal:
        """The evidence strength of the module docstring, in [0, 1], three decimals."""
        return score(self)


def _per_source(evidence: list[_Evidence], weight: object) -> list[float]:
    best: dict[str, float] = {}
    for item in evidence:
        value = item.prior * weight(item)  # type: ignore[operator]
        best[item.source] = max(best.get(item.source, 0.0), value)
    return [best[key] for key in sorted(best)]


def score(claim: Claim) -> Decimal:
    """support · against · caveats · tension, each source counted once (module docstring)."""

    def exact(item: _Evidence) -> bool:
        return item.subject == claim.subject and item.object == claim.object

    def product(values: list[float]) -> float:
        result = 1.0
        for value in values:
            result *= value
        return result

    support = 1.0 - product([1.0 - p for p in _per_source(claim.supports, lambda item: 1.0)])
    against = product(
        [1.0 - p for p in _per_source(claim.contradicts, lambda i: 1.0 if exact(i) else 0.5)]
    )
    points: dict[tuple[URIRef | str | tuple[URIRef, ...] | None, ...], float] = {}
    for caveat in claim.claim_caveats:
        points[caveat.point] = max(points.get(caveat.point, 0.0), caveat.verification)
    caveats = product([1.0 - CLAIM_CAVEAT * v for v in points.values()])
    tension = 1.0
    if claim.tensions and support:
        # the other side pooled over every claim in tension, each source once
        own = claim.mass
        other = sum(_per_source([e for t in claim.tensions for e in t.supports], lambda item: 1.0))
        tension = 1.0 - TENSION * other / (own + other)
    value = Decimal(repr(support * against * caveats * tension))
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)


def claims(statements: Graph, ontology: Graph, closure: Graph) -> list[Claim]:
    """The claims of ``statements``, each with the statements for, against and cautioning it.

    ``ontology`` holds the relations' ``exo:effectDirection`` and the outcomes' ``exo:inTensionWith``;
    the ECO hierarchy is read from ``closure``, the reflexive, transitive ``rdfs:subClassOf`` closure
    materialised at build time, and outcomes' parts from its ``exo:isAOrPartOf``. Claims come sorted
    by IRI, their statements by IRI, so the build stays reproducible.
    """
    from rdflib import RDFS, URIRef

    from exokg.compile.display import is_a_or_part_of_graph
    from exokg.core.vocab import EXO

    evidence = _evidence(statements, ontology, closure)
    findings = [item for item in evidence if item.polarity != "caveat"]
    caveats = [item for item in evidence if item.polarity == "caveat"]

    def above(term: URIRef) -> set[URIRef]:
        found = {o for o in closure.objects(term, RDFS.subClassOf) if isinstance(o, URIRef)}
        return {term, *found}

    within_graph = is_a_or_part_of_graph(ontology + closure)

    def within(term: URIRef) -> set[URIRef]:
        found = {o for o in within_graph.objects(term, EXO.isAOrPartOf) if isinstance(o, URIRef)}
        return {term, *found, *above(term)}

    keys: dict[tuple[URIRef, str, URIRef], bool] = {}
    for item in findings:
        if item.direction in _EFFECTS or item.kind in _EXPERIMENTAL:
            key = (item.subject, item.direction, item.object)
            keys[key] = keys.get(key, True) and item.polarity == "negative"
    found = [Claim(*key, negative=negative) for key, negative in keys.items()]

    outcomes = {item.object: within(item.object) for item in evidence}
    lineage = {item.subject: above(item.subject) for item in evidence}
    for claim in found:
        own = "negative" if claim.negative else "positive"
        for item in findings:
            if claim.subject not in lineage[item.subject]:
                continue
            if claim.object not in outcomes[item.object]:
                continue
            if item.direction == claim.direction:
                group = claim.supports if item.polarity == own else claim.contradicts
                group.append(item)
            elif (
                item.polarity == "positive"
                and not claim.negative
                and _OPPOSITE.get(item.direction) == claim.direction
            ):
                claim.contradicts.append(item)
    for claim in found:
        supporting = {item.node for item in claim.supports}
        for caveat in caveats:
            qualified = supporting & set(caveat.qualifies)
            if caveat.caution_subject is not None:
                related = any(
                    o in outcomes.get(claim.object, within(claim.object))
                    or claim.object in within(o)
                    for o in caveat.caution_outcomes
                )
                if (
                    related
                    and claim.subject in above(caveat.caution_subject)
                    and caveat.direction == claim.direction
                ):
                    claim.claim_caveats.append(caveat)
                    claim.cautions.append(caveat)
            elif qualified:  # a method caveat: already in the priors of the findings it qualifies
                claim.cautions.append(caveat)
    tension_pairs = _tension_pairs(ontology)
    for claim in found:
        if claim.negative or claim.direction not in _EFFECTS:
            continue
        for other in found:
            if other is claim or other.negative or other.direction != claim.direction:
                continue
            # the same vesicles or a narrower kind: what 4T1 vesicles do bears on tumour vesicles,
            # not the other way round
            if claim.subject not in lineage.get(other.subject, above(other.subject)):
                continue
            mine, theirs = within(claim.object), within(other.object)
            if any((a, b) in tension_pairs for a in mine for b in theirs) and other.supports:
                claim.tensions.append(other)
    for claim in found:
        for group in (claim.supports, claim.contradicts, claim.cautions):
            group.sort(key=lambda e: str(e.node))
        claim.tensions.sort(key=lambda c: str(c.iri))
    return sorted(found, key=lambda c: str(c.iri))


def _tension_pairs(ontology: Graph) -> set[tuple[URIRef, URIRef]]:
    """Outcome pairs declared ``exo:inTensionWith``, both ways."""
    from rdflib import URIRef

    from exokg.core.vocab import EXO

    pairs = set()
    for a, b in ontology.subject_objects(EXO.inTensionWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            pairs |= {(a, b), (b, a)}
    return pairs


def claims_graph(statements: Graph, ontology: Graph, closure: Graph) -> Graph:
    """The claims of :func:`claims` as triples, to add to the statements graph.

    Each claim is an ``exo:Claim`` node with its subject, effect and object, a readable label, its
    counts, its best evidence kind and its score; statements point to it with ``exo:supports``,
    ``exo:contradicts`` or ``exo:cautions``, every finding to its own claim with ``exo:claim``, and a
    claim to those in tension with it with ``exo:inTensionWith``. Claims use their own predicates,
    not ``rdf:subject``, so that no question about statements meets a claim by accident.
    """
    from rdflib import RDF, RDFS, Graph, Literal, URIRef
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
        if claim.direction in _EFFECTS:
            effect = "no effect" if claim.negative else claim.direction
            text = (
                f"{label(claim.subject)} has no effect on {label(claim.object)}"
                if claim.negative
                else f"{label(claim.subject)} {claim.direction} {label(claim.object)}"
            )
        else:
            relation = label(URIRef(claim.direction))
            effect = f"not {relation}" if claim.negative else relation
            text = f"{label(claim.subject)} {relation} {label(claim.object)}"
            text += ": not found" if claim.negative else ""
        result.add((node, RDF.type, EXO.Claim))
        result.add((node, EXO.claimSubject, claim.subject))
        result.add((node, EXO.effect, Literal(effect)))
        result.add((node, EXO.claimObject, claim.object))
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
        for other in claim.tensions:
            result.add((node, EXO.inTensionWith, other.iri))
    for item in _evidence(statements, ontology, closure):
        own = keys.get((item.subject, item.direction, item.object))
        if own is not None and item.polarity != "caveat":
            result.add((item.node, EXO.claim, own.iri))
    return result


def _evidence(statements: Graph, ontology: Graph, closure: Graph) -> list[_Evidence]:
    """Every finding and every caveat, as the claims need them."""
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
    nodes = sorted(statements.subjects(RDF.type, RDF.Statement), key=str)
    method_caveats: dict[URIRef, dict[tuple[object, ...], float]] = {}
    for node in nodes:
        if statements.value(node, EXO.polarity) != EXO.caveat:
            continue
        if statements.value(node, EXO.cautionSubject) is not None:
            continue  # a caveat about claims weighs on claims, not on the findings it qualifies
        level = str(statements.value(node, EXO.verification)).rpartition("#")[2]
        point = (
            statements.value(node, RDF.subject),
            statements.value(node, RDF.predicate),
            statements.value(node, RDF.object),
        )
        for target in statements.objects(node, EXO.qualifies):
            found = method_caveats.setdefault(URIRef(str(target)), {})
            found[point] = max(found.get(point, 0.0), VERIFICATION_FACTOR.get(level, 0.4))
    result = []
    for node in nodes:
        subject = statements.value(node, RDF.subject)
        relation = statements.value(node, RDF.predicate)
        obj = statements.value(node, RDF.object)
        if not all(isinstance(t, URIRef) for t in (subject, relation, obj)):
            continue
        polarity = str(statements.value(node, EXO.polarity)).rpartition("#")[2]
        direction = directions.get(relation, "")  # type: ignore[arg-type]
        if direction not in _EFFECTS:
            direction = str(relation)
        code = statements.value(node, EXO.evidence)
        up = set(closure.objects(code, RDFS.subClassOf)) if code is not None else set()
        system = statements.value(node, EXO.system)
        if experimental in up:
            kind = _SYSTEM_KIND.get(str(system).rpartition("#")[2]) if system else None
            kind = kind or ("in vivo" if in_vivo_assay in up else "experimental")
        elif author_statement in up:
            kind = "author statement"
        else:
            kind = "other"
        level = str(statements.value(node, EXO.verification)).rpartition("#")[2]
        verification = VERIFICATION_FACTOR.get(level, 0.4)
        prior = PRIOR[kind] * verification
        for weight in method_caveats.get(URIRef(str(node)), {}).values():
            prior *= 1.0 - METHOD_CAVEAT * weight
        caution_subject = statements.value(node, EXO.cautionSubject)
        result.append(
            _Evidence(
                node=URIRef(str(node)),
                subject=subject,  # type: ignore[arg-type]
                relation=relation,  # type: ignore[arg-type]
                direction=direction,
                object=obj,  # type: ignore[arg-type]
                polarity=polarity,
                source=str(statements.value(node, DCTERMS.source)),
                kind=kind,
                prior=prior,
                verification=verification,
                qualifies=tuple(
                    sorted(
                        t for t in statements.objects(node, EXO.qualifies) if isinstance(t, URIRef)
                    )
                ),
                caution_subject=caution_subject if isinstance(caution_subject, URIRef) else None,
                caution_outcomes=tuple(
                    sorted(
                        t
                        for t in statements.objects(node, EXO.cautionOutcome)
                        if isinstance(t, URIRef)
                    )
                ),
            )
        )
    return result
