"""exokg's vocabulary as code.

``EXO`` is the schema of the compiled graph (see docs/design.md): a misspelt term raises
``AttributeError`` instead of silently minting a new IRI. Opaque OBO identifiers that code refers to get
named constants here, and tests use the same constants.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from exokg.prefixes import GRAPH_BASE, PREFIXES, STATEMENT_BASE

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
    qualifies: URIRef  # caveat -> the statements it qualifies
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
    paraphrase: URIRef
    factSheetId: URIRef

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
