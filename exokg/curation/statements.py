"""Curation records → the statements graph, in the shape docs/design.md fixes ("The compiled graph").

Each finding becomes one reified ``rdf:Statement`` whose IRI is ``https://w3id.org/exokg/statement/<id>``:
the claim itself (``rdf:subject``/``rdf:predicate``/``rdf:object``), how it holds (``exo:polarity``,
context, evidence, verification, scope) and where it comes from (``dcterms:source``). A negative finding
has exactly the same shape as a positive one; only ``exo:polarity exo:negative`` marks it. Reification,
rather than asserting the triple, keeps a negative or hedged finding from reading as a fact about the
world, and gives every statement a node that context and provenance can hang on.

Sources become ``dcterms:BibliographicResource`` nodes named by their DOI (``https://doi.org/<DOI>``),
else their PubMed page, else ``https://w3id.org/exokg/source/<key>`` until an identifier is verified.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from exokg.core.prefixes import EXOKG_BASE, PREFIXES
from exokg.curation.records import Curation, Source, Statement, expand

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

__all__ = ["SOURCE_BASE", "short_labels", "source_iri", "statement_iri", "statements_graph"]

SOURCE_BASE = EXOKG_BASE + "source/"

_POLARITY = {"positive": "positive", "negative": "negative", "caveat": "caveat"}
_SCOPE = {
    "review": "review",
    "relied_on": "reliedOn",
    "context": "context",
    "later": "later",
    "candidate": "candidate",
}
_PERTURBATION_KIND = {
    "secretion_blockade": "secretionBlockade",
    "knockdown": "knockdown",
    "blocking_antibody": "blockingAntibody",
    "inhibitor": "inhibitor",
    "depletion": "depletion",
}
_SYSTEM = {
    "in_vivo": "inVivo",
    "in_vitro": "inVitro",
    "ex_vivo": "exVivo",
    "patient_samples": "patientSamples",
}


def statement_iri(statement_id: str) -> URIRef:
    """The IRI of a statement: ``https://w3id.org/exokg/statement/<id>``."""
    from exokg.core.vocab import STATEMENT

    return STATEMENT[statement_id]


def source_iri(source: Source) -> URIRef:
    """The IRI of a source document: its DOI, else its PubMed page, else an exokg source IRI."""
    from rdflib import URIRef

    if source.doi:
        return URIRef("https://doi.org/" + source.doi)
    if source.pmid:
        return URIRef(f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/")
    return URIRef(SOURCE_BASE + source.key)


def statements_graph(curation: Curation) -> Graph:
    """Compile checked curation records into the statements graph.

    Only sources that some statement cites are written, so the graph holds no dangling documents.

    >>> from exokg.curation.records import read_curation
    >>> graph = statements_graph(read_curation())
    >>> len(graph) > 1000
    True
    """
    from rdflib import Graph

    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    by_id = {statement.id: statement for statement in curation.statements}
    for statement in curation.statements:
        _add_statement(graph, statement, curation.sources[statement.source], by_id)
    labels = short_labels(curation.sources.values())
    for key in sorted({statement.source for statement in curation.statements}):
        _add_source(graph, curation.sources[key], labels[key])
    return graph


def short_labels(sources: Iterable[Source]) -> dict[str, str]:
    """A short label per source key that no other source shares: "Bobrie 2013a", "Bobrie 2013b".

    Sources whose first author and year coincide get letters in the order of their keys, as a
    reference list would; the letters depend only on sources.yaml, not on which statements cite them.
    """
    groups: dict[str, list[str]] = {}
    for source in sorted(sources, key=lambda s: s.key):
        groups.setdefault(f"{source.surname} {source.year}", []).append(source.key)
    labels = {}
    for name, keys in groups.items():
        for index, key in enumerate(keys):
            labels[key] = name + (chr(ord("a") + index) if len(keys) > 1 else "")
    return labels


def _add_statement(
    graph: Graph, statement: Statement, source: Source, by_id: dict[str, Statement]
) -> None:
    from rdflib import RDF, Literal, URIRef
    from rdflib.namespace import DCTERMS

    from exokg.core.vocab import EXO, NS

    node = statement_iri(statement.id)

    def term(curie: str) -> URIRef:
        return URIRef(expand(curie))

    graph.add((node, RDF.type, RDF.Statement))
    graph.add((node, RDF.subject, term(statement.subject)))
    graph.add((node, RDF.predicate, term(statement.relation)))
    graph.add((node, RDF.object, term(statement.object)))
    graph.add((node, EXO.polarity, EXO[_POLARITY[statement.polarity]]))
    graph.add((node, EXO.verification, EXO[statement.verification]))
    graph.add((node, EXO.scope, EXO[_SCOPE[statement.scope]]))
    graph.add((node, EXO.evidence, term(statement.evidence)))
    graph.add((node, EXO.paraphrase, Literal(statement.paraphrase)))
    graph.add((node, DCTERMS.source, source_iri(source)))
    if statement.fact:
        graph.add((node, EXO.factSheetId, Literal(statement.fact)))
    if statement.note:
        graph.add((node, NS["IAO"]["0000232"], Literal(statement.note)))
    if statement.reported_as:
        graph.add((node, EXO.reportedAs, term(statement.reported_as)))
    if statement.reported_term:
        graph.add((node, EXO.reportedTerm, Literal(statement.reported_term)))
    if statement.origin_evidence:
        graph.add((node, EXO.originEvidence, Literal(statement.origin_evidence)))
    if statement.evidence_span:
        start, end = statement.evidence_span
        graph.add((node, EXO.evidenceStart, Literal(start)))
        graph.add((node, EXO.evidenceEnd, Literal(end)))
    if statement.hedge:
        graph.add((node, EXO.hedge, Literal(statement.hedge)))
    for target in statement.qualifies:
        graph.add((node, EXO.qualifies, statement_iri(target)))
    if statement.rule is not None and statement.rule.subject is not None:
        # a caveat about a claim: the claims (subject ⊒ this, an outcome related to these) it weighs on
        graph.add((node, EXO.cautionSubject, term(statement.rule.subject)))
        for outcome in statement.rule.objects:
            graph.add((node, EXO.cautionOutcome, term(outcome)))
    for target in statement.contrasts_with:
        # symmetric: both directions are written, whichever side the curator recorded
        graph.add((node, EXO.contrastsWith, statement_iri(target)))
        if target in by_id:
            graph.add((statement_iri(target), EXO.contrastsWith, node))

    context = statement.context
    for organism in context.organism:
        graph.add((node, EXO.organism, term(organism)))
    for cell_type in context.cell_type:
        graph.add((node, EXO.cellType, term(cell_type)))
    if context.cell_line:
        graph.add((node, EXO.cellLine, term(context.cell_line)))
    if context.disease:
        graph.add((node, EXO.disease, term(context.disease)))
    if context.perturbed_gene:
        graph.add((node, EXO.perturbedGene, term(context.perturbed_gene)))
    if context.system:
        graph.add((node, EXO.system, EXO[_SYSTEM[context.system]]))
    if context.perturbation_kind:
        graph.add((node, EXO.perturbationKind, EXO[_PERTURBATION_KIND[context.perturbation_kind]]))
    for predicate, text in (
        (EXO.method, context.method),
        (EXO.sample, context.sample),
        (EXO.perturbation, context.perturbation),
    ):
        if text:
            graph.add((node, predicate, Literal(text)))


def _add_source(graph: Graph, source: Source, short_label: str) -> None:
    from rdflib import RDF, RDFS, Literal
    from rdflib.namespace import DCTERMS, XSD

    from exokg.core.vocab import EXO

    node = source_iri(source)
    several = len(source.author_names) > 1 or "et al" in source.authors
    who = f"{source.surname} et al." if several else source.surname
    graph.add((node, RDF.type, DCTERMS.BibliographicResource))
    graph.add((node, RDFS.label, Literal(f"{who} {source.year}, {source.journal}")))
    graph.add((node, EXO.shortLabel, Literal(short_label)))
    graph.add((node, DCTERMS.title, Literal(source.title)))
    graph.add((node, DCTERMS.issued, Literal(source.year, datatype=XSD.gYear)))
    # the author list as the curators wrote it (with "et al." where they did not see every name)
    graph.add((node, DCTERMS.creator, Literal(source.authors)))
    graph.add((node, DCTERMS.identifier, Literal(source.key)))
    graph.add((node, EXO.journal, Literal(source.journal)))
    graph.add((node, EXO.sourceVerification, EXO[source.identifier_verification]))
    if source.doi:
        graph.add((node, EXO.doi, Literal(source.doi)))
    if source.pmid:
        graph.add((node, EXO.pmid, Literal(source.pmid)))
    if source.note:
        graph.add((node, RDFS.comment, Literal(source.note)))
