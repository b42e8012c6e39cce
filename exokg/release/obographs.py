"""``exokg.obographs.json``: the full ontology as OBO Graphs JSON, written straight from the OWL graph.

OBO Graphs (the geneontology/obographs model, read by OAK, the OLS, kgx, pyobo …) is what ROBOT
``convert --format json`` writes. exokg writes it itself, from the same RDF graph as ``exokg.owl``,
because pronto's writer (used before) dropped synonyms, logical definitions and property definitions,
misspelt predicate IRIs (``RO0002162``) and turned CURIE xrefs into IRIs that resolve nowhere.

What each OWL construct becomes, as in the obographs Java converter:

- every named class, object, annotation and datatype property: a node (``CLASS``/``PROPERTY``) with
  its label and ``meta``: the definition with its xrefs (CURIEs, as the editors wrote them), synonyms
  with scope (``pred``), synonym type and xrefs, database xrefs, comments, ``deprecated``, and every
  other annotation as a ``basicPropertyValue``;
- ``A ⊑ B``: an edge ``is_a``; ``A ⊑ ∃R.B``: an edge with R's IRI as predicate; sub-properties and
  inverses: ``subPropertyOf`` and ``inverseOf`` edges; a subclass axiom the reasoner added carries
  ``oboInOwl:is_inferred "true"`` in the edge's meta;
- ``A ≡ B`` between named classes: an equivalent-nodes set; ``A ≡ G ⊓ ∃R.F …``: a logical definition
  axiom; property chains, domains and ranges: their own axiom lists.

Axioms OBO Graphs cannot say (unions, nested restrictions, disjointness) stay in the OWL files.
Every list is sorted, so one graph always gives the same bytes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from exokg.core.prefixes import PREFIXES, compact

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = ["obographs_json"]

_OIO = PREFIXES["oboInOwl"]
_IAO = PREFIXES["IAO"]
_SCOPES = ("hasExactSynonym", "hasNarrowSynonym", "hasBroadSynonym", "hasRelatedSynonym")
_BUILT_IN = tuple(PREFIXES[p] for p in ("rdf", "rdfs", "owl", "xsd"))
_DEFINITION = _IAO + "0000115"
_DEFINITION_SOURCE = _IAO + "0000119"
_RDFS = PREFIXES["rdfs"]
# annotations that have their own place in an OBO Graphs node, not a basicPropertyValue
_OWN_PLACE = {_RDFS + "label", _RDFS + "comment", _DEFINITION, _OIO + "hasDbXref",
              PREFIXES["owl"] + "deprecated", *(_OIO + s for s in _SCOPES)}  # fmt: skip


def obographs_json(full: Graph, graph_id: str, header: dict[str, str]) -> bytes:
    """OBO Graphs JSON of ``full`` (graph id ``graph_id``; ``header``: title, description, license,
    version IRI, version info), with keys and lists sorted."""
    from rdflib import OWL, RDF, URIRef

    kinds = {OWL.Class: "CLASS", OWL.ObjectProperty: "PROPERTY",
             OWL.AnnotationProperty: "PROPERTY", OWL.DatatypeProperty: "PROPERTY",
             OWL.NamedIndividual: "INDIVIDUAL"}  # fmt: skip
    nodes: dict[str, dict[str, Any]] = {}
    for kind, node_type in kinds.items():
        for entity in full.subjects(RDF.type, kind):
            if isinstance(entity, URIRef) and not str(entity).startswith(_BUILT_IN):
                nodes.setdefault(str(entity), _node(full, entity, node_type))
    meta = {
        "version": header["version"],
        "basicPropertyValues": [
            {"pred": PREFIXES["dcterms"] + "title", "val": header["title"]},
            {"pred": PREFIXES["dcterms"] + "description", "val": header["description"]},
            {"pred": PREFIXES["dcterms"] + "license", "val": header["license"]},
            {"pred": PREFIXES["owl"] + "versionInfo", "val": header["version_info"]},
        ],
    }
    graph = {
        "id": graph_id,
        "meta": meta,
        "nodes": [nodes[key] for key in sorted(nodes)],
        "edges": _edges(full, set(nodes)),
        "equivalentNodesSets": _equivalent_sets(full),
        "logicalDefinitionAxioms": _logical_definitions(full),
        "domainRangeAxioms": _domain_ranges(full),
        "propertyChainAxioms": _property_chains(full),
    }
    document = _sorted({"graphs": [graph]})
    return (json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _sorted(value: Any, key: str = "") -> Any:
    """Every list of the document in a stable order (by its items' JSON), but a property chain's."""
    if isinstance(value, dict):
        return {name: _sorted(item, name) for name, item in value.items()}
    if isinstance(value, list) and key == "chainPredicateIds":
        return value
    if isinstance(value, list):
        items = [_sorted(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def _text(node: Node) -> str:
    """An annotation value as OBO Graphs writes it: literals as their text, IRIs as CURIEs where a
    prefix is known (xrefs are CURIEs in OBO), else the IRI."""
    from rdflib import URIRef

    return compact(str(node)) if isinstance(node, URIRef) else str(node)


def _axiom_annotations(
    graph: Graph, source: Node, prop: Node, target: Node
) -> list[tuple[Any, Any]]:
    """The annotations on the reified axiom ``source prop target`` (OWL 2 mapping to RDF)."""
    from rdflib import OWL

    found: list[tuple[Any, Any]] = []
    for axiom in graph.subjects(OWL.annotatedSource, source):
        if (
            graph.value(axiom, OWL.annotatedProperty) == prop
            and graph.value(axiom, OWL.annotatedTarget) == target
        ):
            found.extend(graph.predicate_objects(axiom))
    return found


def _xrefs_on(graph: Graph, source: Node, prop: Node, target: Node) -> list[str]:
    from rdflib import URIRef

    wanted = {URIRef(_OIO + "hasDbXref"), URIRef(_DEFINITION_SOURCE)}
    pairs = _axiom_annotations(graph, source, prop, target)
    return sorted({_text(value) for key, value in pairs if key in wanted})


def _node(graph: Graph, entity: Any, node_type: str) -> dict[str, Any]:
    from rdflib import OWL, RDFS, BNode, Literal, URIRef

    node: dict[str, Any] = {"id": str(entity), "type": node_type}
    label = graph.value(entity, RDFS.label)
    if label is not None:
        node["lbl"] = str(label)
    meta: dict[str, Any] = {}
    definition = graph.value(entity, URIRef(_DEFINITION))
    if definition is not None:
        xrefs = _xrefs_on(graph, entity, URIRef(_DEFINITION), definition)
        xrefs += [_text(s) for s in graph.objects(entity, URIRef(_DEFINITION_SOURCE))]
        meta["definition"] = {"val": str(definition), "xrefs": sorted(set(xrefs))}
    synonyms = []
    for scope in _SCOPES:
        for value in graph.objects(entity, URIRef(_OIO + scope)):
            synonym: dict[str, Any] = {"pred": scope, "val": str(value)}
            pairs = _axiom_annotations(graph, entity, URIRef(_OIO + scope), value)
            synonym["xrefs"] = sorted(
                {_text(v) for k, v in pairs if k == URIRef(_OIO + "hasDbXref")}
            )
            kind = [v for k, v in pairs if k == URIRef(_OIO + "hasSynonymType")]
            if kind:  # an IRI, as the obographs converter writes it (like node and edge ids)
                synonym["synonymType"] = str(kind[0])
            synonyms.append(synonym)
    if synonyms:
        meta["synonyms"] = synonyms
    db_xrefs = [{"val": _text(x)} for x in graph.objects(entity, URIRef(_OIO + "hasDbXref"))]
    if db_xrefs:
        meta["xrefs"] = db_xrefs
    comments = [str(c) for c in graph.objects(entity, RDFS.comment)]
    if comments:
        meta["comments"] = comments
    if (entity, OWL.deprecated, Literal(True)) in graph:
        meta["deprecated"] = True
    values = [
        {"pred": str(p), "val": _text(o)}
        for p, o in graph.predicate_objects(entity)
        if str(p) not in _OWN_PLACE
        and not str(p).startswith(_BUILT_IN[:3])  # rdf:, rdfs:, owl: axioms are not annotations
        and not isinstance(o, BNode)
    ]
    values += [
        {"pred": str(p), "val": _text(o)}
        for p, o in graph.predicate_objects(entity)
        if p in (RDFS.seeAlso, RDFS.isDefinedBy)
    ]
    if values:
        meta["basicPropertyValues"] = values
    if meta:
        node["meta"] = meta
    return node


def _some(graph: Graph, node: Node) -> tuple[str, str] | None:
    """``(property, filler)`` of a restriction ``∃ property . filler`` on named entities, else None."""
    from rdflib import OWL, URIRef

    prop, filler = graph.value(node, OWL.onProperty), graph.value(node, OWL.someValuesFrom)
    if isinstance(prop, URIRef) and isinstance(filler, URIRef):
        return str(prop), str(filler)
    return None


def _edges(graph: Graph, nodes: set[str]) -> list[dict[str, Any]]:
    from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef

    inferred = {
        (graph.value(axiom, OWL.annotatedSource), graph.value(axiom, OWL.annotatedTarget))
        for axiom in graph.subjects(URIRef(_OIO + "is_inferred"), Literal("true"))
        if graph.value(axiom, OWL.annotatedProperty) == RDFS.subClassOf
    }
    edges: list[dict[str, Any]] = []
    for sub, parent in graph.subject_objects(RDFS.subClassOf):
        if str(sub) not in nodes:
            continue
        if isinstance(parent, URIRef) and str(parent) in nodes:
            edge: dict[str, Any] = {"sub": str(sub), "pred": "is_a", "obj": str(parent)}
            if (sub, parent) in inferred:
                marked = {"pred": _OIO + "is_inferred", "val": "true"}
                edge["meta"] = {"basicPropertyValues": [marked]}
            edges.append(edge)
        elif isinstance(parent, BNode) and (some := _some(graph, parent)):
            edges.append({"sub": str(sub), "pred": some[0], "obj": some[1]})
    for predicate, name in ((RDFS.subPropertyOf, "subPropertyOf"), (OWL.inverseOf, "inverseOf")):
        for sub, obj in graph.subject_objects(predicate):
            if str(sub) in nodes and str(obj) in nodes:
                edges.append({"sub": str(sub), "pred": name, "obj": str(obj)})
    for individual in graph.subjects(RDF.type, OWL.NamedIndividual):
        for cls in graph.objects(individual, RDF.type):
            if str(cls) in nodes:
                edges.append({"sub": str(individual), "pred": "type", "obj": str(cls)})
    return edges


def _equivalent_sets(graph: Graph) -> list[dict[str, Any]]:
    """Named classes stated equivalent, grouped (each set once, its members sorted)."""
    from rdflib import OWL, URIRef

    groups: dict[str, set[str]] = {}
    for a, b in graph.subject_objects(OWL.equivalentClass):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            merged = groups.get(str(a), {str(a)}) | groups.get(str(b), {str(b)})
            for member in merged:
                groups[member] = merged
    unique = {tuple(sorted(members)) for members in groups.values()}
    return [{"nodeIds": list(members)} for members in sorted(unique)]


def _logical_definitions(graph: Graph) -> list[dict[str, Any]]:
    """``A ≡ G ⊓ ∃R.F …`` with named genus classes and restrictions only (what OBO can say)."""
    from rdflib import OWL, URIRef

    axioms = []
    for cls, equivalent in graph.subject_objects(OWL.equivalentClass):
        members = graph.value(equivalent, OWL.intersectionOf)
        if not isinstance(cls, URIRef) or members is None:
            continue
        genus, restrictions = [], []
        for member in graph.items(members):
            if isinstance(member, URIRef):
                genus.append(str(member))
            elif some := _some(graph, member):
                restrictions.append({"propertyId": some[0], "fillerId": some[1]})
            else:
                break
        else:
            axioms.append(
                {"definedClassId": str(cls), "genusIds": genus, "restrictions": restrictions}
            )
    return axioms


def _domain_ranges(graph: Graph) -> list[dict[str, Any]]:
    from rdflib import OWL, RDF, RDFS, URIRef

    axioms = []
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        domains = [str(d) for d in graph.objects(prop, RDFS.domain) if isinstance(d, URIRef)]
        ranges = [str(r) for r in graph.objects(prop, RDFS.range) if isinstance(r, URIRef)]
        if isinstance(prop, URIRef) and (domains or ranges):
            axiom: dict[str, Any] = {"predicateId": str(prop)}
            if domains:
                axiom["domainClassIds"] = domains
            if ranges:
                axiom["rangeClassIds"] = ranges
            axioms.append(axiom)
    return axioms


def _property_chains(graph: Graph) -> list[dict[str, Any]]:
    """``R ⊒ S ∘ T``: ``{"predicateId": R, "chainPredicateIds": [S, T]}`` (chain order kept: it is
    part of the axiom, so these lists are not sorted)."""
    from rdflib import OWL, URIRef

    return [
        {"predicateId": str(prop), "chainPredicateIds": [str(p) for p in graph.items(chain)]}
        for prop, chain in graph.subject_objects(OWL.propertyChainAxiom)
        if isinstance(prop, URIRef)
    ]
