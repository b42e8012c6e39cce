"""The release as KGX TSV (``nodes.tsv`` / ``edges.tsv``), for Biolink-style tools such as KGX itself.

Nodes are the classes of the full ontology and everything a statement mentions, with Biolink's
prefixes (``UniProtKB:``, ``HGNC:``) and a category from each class's ancestors (vesicles
``biolink:CellularComponent``, processes ``biolink:BiologicalProcess``, genes ``biolink:Gene`` …); edges
are the direct subclass axioms and the curated statements. A statement edge keeps what makes it a
finding rather than a fact: ``negated`` for a negative finding (with exokg's own ``polarity``), its ECO
evidence and its publications. A relation becomes the Biolink predicate whose ``exact_mappings`` name
it, or that of its nearest such superproperty; otherwise the edge says ``biolink:related_to``. The
exact term always stays in ``original_predicate``. ``kgx validate`` accepts the tables with the Biolink
model the biolink-model package ships, offline (tests/test_kgx.py).
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from exokg.core.prefixes import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node, URIRef

__all__ = [
    "BIOLINK_PREDICATE",
    "BIOLINK_PREFIX",
    "CATEGORY_BY_ANCESTOR",
    "CATEGORY_BY_PREFIX",
    "FALLBACK_PREDICATE",
    "kgx_tables",
]

_OBO = "http://purl.obolibrary.org/obo/"
# Biolink category of a class, from its ancestors (first match wins), else from its prefix
CATEGORY_BY_ANCESTOR = (
    (PREFIXES["EXOKG"] + "0000480", "biolink:Gene"),  # exokg's 'gene', parent of HGNC and MGI genes
    (PREFIXES["EXOKG"] + "0000481", "biolink:Protein"),  # and 'protein', of UniProtKB proteins
    (_OBO + "CL_0000000", "biolink:Cell"),
    (PREFIXES["EXOKG"] + "0000001", "biolink:CellularComponent"),
    (_OBO + "GO_0005575", "biolink:CellularComponent"),
    (_OBO + "GO_0110165", "biolink:CellularComponent"),
    (_OBO + "GO_0008150", "biolink:BiologicalProcess"),
    (_OBO + "BFO_0000015", "biolink:BiologicalProcess"),  # exokg's processes sit under BFO process
    (_OBO + "BFO_0000003", "biolink:BiologicalProcessOrActivity"),
    (_OBO + "MONDO_0000001", "biolink:Disease"),
    (_OBO + "ECO_0000000", "biolink:EvidenceType"),
    (_OBO + "BFO_0000040", "biolink:PhysicalEntity"),  # proteins, complexes, preparations …
)
CATEGORY_BY_PREFIX = {
    "CL": "biolink:Cell",
    "MONDO": "biolink:Disease",
    "NCBITaxon": "biolink:OrganismTaxon",
    "UBERON": "biolink:AnatomicalEntity",
    "HGNC": "biolink:Gene",
    "MGI": "biolink:Gene",
    "NCBIGene": "biolink:Gene",
    "UniProtKB": "biolink:Protein",
    "ECO": "biolink:EvidenceType",
    "IAO": "biolink:InformationContentEntity",
}
# only the upper-level BFO classes (continuant, independent continuant) get no more specific category
FALLBACK_CATEGORY = "biolink:NamedThing"
# exokg's prefixes whose Biolink spelling differs (Biolink's prefix map, biolink-model 4.4.3)
BIOLINK_PREFIX = {"uniprot": "UniProtKB", "hgnc": "HGNC"}
# Biolink predicates whose exact_mappings name the RO/BFO relation (biolink-model 4.4.3;
# tests/test_kgx.py checks this table against the model the biolink-model package ships).
# A relation with none is mapped through its superproperties (p ⊑ q, q ≡ biolink:x, so x holds);
# only when no ancestor is mapped does the edge say biolink:related_to.
BIOLINK_PREDICATE = {
    "rdfs:subClassOf": "biolink:subclass_of",
    "BFO:0000050": "biolink:part_of",
    "BFO:0000051": "biolink:has_part",
    "RO:0001000": "biolink:derives_from",
    "RO:0001025": "biolink:located_in",
    "RO:0002131": "biolink:overlaps",
    "RO:0002162": "biolink:in_taxon",
    "RO:0002204": "biolink:gene_product_of",
    "RO:0002206": "biolink:expressed_in",
    "RO:0002263": "biolink:acts_upstream_of",
    "RO:0002264": "biolink:acts_upstream_of_or_within",
    "RO:0002331": "biolink:actively_involved_in",
    "RO:0002353": "biolink:is_output_of",
    "RO:0003000": "biolink:produces",
    "RO:0003001": "biolink:produced_by",
}
FALLBACK_PREDICATE = "biolink:related_to"
NODE_COLUMNS = ("id", "category", "name", "description", "deprecated", "provided_by")
EDGE_COLUMNS = (
    "id", "subject", "predicate", "object", "original_predicate", "category", "negated",
    "polarity", "has_evidence", "publications", "knowledge_level", "agent_type",
    "primary_knowledge_source",
)  # fmt: skip
SOURCE = "infores:exokg"


def kgx_tables(
    full: Graph, statements: Graph, direct: set[tuple[URIRef, URIRef]]
) -> tuple[bytes, bytes]:
    """``nodes.tsv`` and ``edges.tsv`` for the full ontology, its direct hierarchy and the statements."""
    import curies
    from rdflib import OWL, RDF, RDFS, URIRef

    from exokg.core.vocab import EXO, NS

    prefix_map = {BIOLINK_PREFIX.get(prefix, prefix): iri for prefix, iri in PREFIXES.items()}
    converter = curies.Converter.from_prefix_map(prefix_map)

    def curie(node: Node) -> str:
        return converter.compress(str(node)) or str(node)

    predicates = _predicate_map(full, curie)

    parents: dict[URIRef, set[URIRef]] = {}
    for s, o in direct:
        parents.setdefault(s, set()).add(o)
    edges = [
        _edge(f"{s} {o}", curie(s), "rdfs:subClassOf", curie(o), predicates)
        for s, o in sorted(direct)
    ]
    for statement in sorted(statements.subjects(RDF.type, RDF.Statement), key=str):
        ends = [statements.value(statement, RDF[k]) for k in ("subject", "predicate", "object")]
        subject, predicate, obj = ends
        if subject is None or predicate is None or obj is None:
            continue  # a caveat about other statements has no triple of its own
        polarity = str(statements.value(statement, EXO.polarity) or "")
        edge = _edge(curie(statement), curie(subject), curie(predicate), curie(obj), predicates)
        evidence = sorted(curie(e) for e in statements.objects(statement, EXO.evidence))
        sources = sorted(statements.objects(statement, NS["dcterms"]["source"]), key=str)
        edge.update(
            negated=str(polarity == str(EXO.negative)),
            polarity=polarity.removeprefix(str(EXO)),
            has_evidence="|".join(evidence),
            publications="|".join(_publication(statements, source) for source in sources),
        )
        edges.append(edge)

    everything = full + statements
    ids = {n for e in edges for n in (e["subject"], e["object"])}
    ids |= {curie(c) for c in full.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    nodes = []
    for node_id in sorted(i for i in ids if converter.is_curie(i)):
        term = URIRef(converter.expand(node_id) or node_id)
        nodes.append(
            {
                "id": node_id,
                "category": _category(term, node_id, parents),
                "name": str(everything.value(term, RDFS.label) or ""),
                "description": str(everything.value(term, NS["IAO"]["0000115"]) or ""),
                "deprecated": str(bool(everything.value(term, OWL.deprecated))),
                "provided_by": SOURCE,
            }
        )
    return _tsv(NODE_COLUMNS, nodes), _tsv(EDGE_COLUMNS, edges)


def _predicate_map(full: Graph, curie: Callable[[Node], str]) -> dict[str, str]:
    """Each relation's Biolink predicate: its own exact mapping, else its nearest mapped
    superproperty's (breadth-first up ``rdfs:subPropertyOf``), else ``biolink:related_to``."""
    from rdflib import OWL, RDF, RDFS

    mapped = dict(BIOLINK_PREDICATE)
    for prop in full.subjects(RDF.type, OWL.ObjectProperty):
        name = curie(prop)
        if name in mapped:
            continue
        level, seen = [prop], {prop}
        while level and name not in mapped:
            level = [q for p in level for q in full.objects(p, RDFS.subPropertyOf) if q not in seen]
            seen.update(level)
            found = sorted(
                BIOLINK_PREDICATE[c] for c in map(curie, level) if c in BIOLINK_PREDICATE
            )
            if found:
                mapped[name] = found[0]
    return mapped


def _edge(key: str, s: str, predicate: str, o: str, predicates: dict[str, str]) -> dict[str, str]:
    """An edge; statements keep their own CURIE as ID, others get a UUID derived from their triple."""
    return {
        "id": key if key.startswith("exs:") else f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}",
        "subject": s,
        "predicate": predicates.get(predicate, FALLBACK_PREDICATE),
        "object": o,
        "original_predicate": predicate,
        "category": "biolink:Association",
        "knowledge_level": "knowledge_assertion",
        "agent_type": "manual_agent",
        "primary_knowledge_source": SOURCE,
    }


def _publication(statements: Graph, source: Node) -> str:
    from exokg.core.vocab import EXO

    doi = statements.value(source, EXO.doi)
    pmid = statements.value(source, EXO.pmid)
    return f"doi:{doi}" if doi else f"PMID:{pmid}" if pmid else str(source)


def _category(term: URIRef, curie: str, parents: dict[URIRef, set[URIRef]]) -> str:
    seen: set[URIRef] = set()
    todo = [term]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current, ()))
    seen_iris = {str(node) for node in seen}
    for root, category in CATEGORY_BY_ANCESTOR:
        if root in seen_iris:
            return category
    return CATEGORY_BY_PREFIX.get(curie.partition(":")[0], FALLBACK_CATEGORY)


def _tsv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, columns, delimiter="\t", lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows({c: " ".join(row.get(c, "").split()) for c in columns} for row in rows)
    return out.getvalue().encode()
