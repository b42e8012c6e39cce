"""exokg's vocabulary as code.

``EXO`` is the schema of the compiled graph (see docs/design.md): a misspelt term raises
``AttributeError`` instead of silently minting a new IRI. Opaque OBO identifiers that code refers to get
named constants here, and tests use the same constants.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from exokg.core.prefixes import GRAPH_BASE, PREFIXES, STATEMENT_BASE

__all__ = [
    "EXO",
    "EXOKG",
    "GRAPH_BUILD",
    "GRAPH_IMPORTS",
    "GRAPH_INFERRED",
    "GRAPH_ONTOLOGY",
    "GRAPH_STATEMENTS",
    "NS",
    "ONTOLOGY_IRI",
    "STATEMENT",
]


class EXO(DefinedNamespace):
    """The exokg schema: how statements carry polarity, context, evidence and provenance."""

    _NS = Namespace(PREFIXES["exo"])
    _fail = True

    # polarity of a finding, and how findings relate
    polarity: URIRef
    positive: URIRef
    negative: URIRef  # no effect / not observed: the mark of a negative finding
    caveat: URIRef  # an explicit limit on how far findings generalise
    qualifies: URIRef  # caveat -> the statements it qualifies (listed, or reached by its rule)
    cautionSubject: URIRef  # caveat about a claim -> the subject of the claims it weighs on
    cautionOutcome: URIRef  # caveat about a claim -> an outcome of the claims it weighs on
    inTensionWith: (
        URIRef  # outcome class <-> outcome class: the same vesicles doing both is a tension
    )
    contrastsWith: URIRef  # finding <-> finding that does not hold in another context

    # how far the source was checked, and where the statement stands relative to the review
    verification: URIRef
    sourceVerification: URIRef
    V1: URIRef
    V2: URIRef
    NV: URIRef
    scope: URIRef
    review: URIRef
    reliedOn: URIRef
    context: URIRef
    later: URIRef

    # evidence and context
    evidence: URIRef
    organism: URIRef
    cellLine: URIRef
    cellType: URIRef
    disease: URIRef
    system: URIRef
    inVivo: URIRef
    inVitro: URIRef
    exVivo: URIRef
    patientSamples: URIRef
    method: URIRef
    sample: URIRef
    perturbation: URIRef
    perturbedGene: URIRef
    perturbationKind: URIRef
    secretionBlockade: URIRef  # kinds of perturbation
    knockdown: URIRef
    blockingAntibody: URIRef
    inhibitor: URIRef
    depletion: URIRef
    paraphrase: URIRef
    factSheetId: URIRef
    candidate: URIRef  # scope of a machine-proposed statement that no curator has checked yet
    evidenceStart: URIRef  # of a machine-proposed statement: its sentence's character offsets
    evidenceEnd: URIRef  # in the source text (0-based, end excluded), as xsd:integer
    hedge: URIRef  # the hedging word that makes a finding speculative ("may", "suggest")

    # what the authors called the vesicles, and what showed their origin (MISEV2023: the subject is the
    # class the evidence supports; the authors' term is kept beside it)
    reportedAs: URIRef
    reportedTerm: URIRef
    originEvidence: URIRef

    # relations declare, in the ontology, whether a statement using them reports an effect
    effectDirection: URIRef
    promotes: URIRef
    inhibits: URIRef
    affects: URIRef  # an effect whose direction the source does not give
    notAnEffect: URIRef

    # display fields that `exokg build` materialises on each statement (exokg.compile.display), so that a
    # question reads a few triples per finding instead of recomputing them
    effect: URIRef  # "promotes" | "inhibits" | "affects" | "no effect" | "caveat"
    modelLabel: URIRef
    caveatText: URIRef
    contrastsIds: URIRef
    perturbationLabel: URIRef
    reportedLabel: URIRef
    cellTypeLabels: URIRef
    definitionSources: URIRef  # of a class: its definition's DOI/PMID/PMCID xrefs, joined
    sizeSources: URIRef  # of a class: the sources of its conventional size range, joined
    directParents: URIRef  # of a class: its direct parents in the reasoned hierarchy, joined
    isAOrPartOf: (
        URIRef  # of a class: itself, its superclasses, what it is declared part of (BFO:0000050)
    )
    shortLabel: URIRef  # of a source: first author's surname, year and a letter where needed

    # claims (exokg.compile.claims): what several statements say together, and how strongly the evidence holds
    Claim: URIRef
    claim: URIRef  # statement -> its own claim (its subject, its relation's direction, its object)
    claimSubject: URIRef
    claimObject: URIRef
    supports: URIRef  # statement -> claim
    contradicts: URIRef  # statement -> claim: a negative finding, or the opposite direction
    cautions: URIRef  # caveat statement -> claim
    score: URIRef  # xsd:decimal in [0, 1]; formula in exokg/compile/claims.py and docs/claims.md
    supportCount: URIRef
    sourceCount: URIRef  # independent sources that support the claim
    contradictCount: URIRef
    caveatCount: URIRef
    bestEvidence: URIRef  # "in vivo" > "patient samples" > "ex vivo" > "in vitro" > ...
    supportingIds: (
        URIRef  # the ids of the statements for, against and cautioning, joined with " | "
    )
    contradictingIds: URIRef
    cautioningIds: URIRef

    # sources
    journal: URIRef
    pmid: URIRef
    doi: URIRef

    # the build: digest of the sources a compiled graph was made from
    sourcesDigest: URIRef


EXOKG = Namespace(PREFIXES["EXOKG"])
STATEMENT = Namespace(STATEMENT_BASE)
NS: dict[str, Namespace] = {prefix: Namespace(iri) for prefix, iri in PREFIXES.items()}

ONTOLOGY_IRI = URIRef("https://w3id.org/exokg/exokg.owl")
GRAPH_ONTOLOGY = URIRef(GRAPH_BASE + "ontology")
GRAPH_IMPORTS = URIRef(GRAPH_BASE + "imports")
GRAPH_INFERRED = URIRef(GRAPH_BASE + "inferred")
GRAPH_STATEMENTS = URIRef(GRAPH_BASE + "statements")
GRAPH_BUILD = URIRef(GRAPH_BASE + "build")  # facts about the build itself (sources digest)
