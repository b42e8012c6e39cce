"""The release in OBO 1.4: ``exokg.release.obo`` (OBO Graphs JSON: exokg/release/obographs.py).

Written with pronto (a maintained OBO library; fastobo, its Rust parser and writer, underneath), the
way ROBOT ``convert`` would from the full ontology: every named class and object property with its
label, definition (and the definition's xrefs), synonyms, xrefs and comment; named superclasses as
``is_a``; existential restrictions on a named property and class as ``relationship``; a logical
definition ``A ≡ G ⊓ ∃R.F …`` as ``intersection_of``; ``disjoint_from``; obsoletion as
``is_obsolete``, ``replaced_by`` and ``consider``. Axioms OBO cannot say (unions, nested restrictions)
stay in the OWL files only, as in ROBOT's conversion. An ``is_a`` the reasoner added (its subclass
axiom annotated ``oboInOwl:is_inferred "true"``) carries the qualifier ``{is_inferred="true"}``, as in
the OBO releases of GO and CL.

The header is the one OBO releases use, so that the OWL API's OBO parser (which ROBOT runs) reads it
right: ``ontology: exokg`` and ``data-version: releases/YYYY-MM-DD`` become the ontology IRI
``http://purl.obolibrary.org/obo/exokg.owl`` and the version IRI
``http://purl.obolibrary.org/obo/exokg/releases/YYYY-MM-DD/exokg.owl`` (OBO format has no way to name
exokg's own w3id IRI: users who need it read ``exokg.owl``), and the Dublin Core properties of the
header's ``property_value`` lines are declared as metadata tags, so the converted ontology is OWL 2 DL.

Why pronto: it builds an ontology in memory and writes OBO from it; fastobo-py alone has no object model to build from, and py-horned-owl writes only OWL syntaxes.
pronto cannot write clause qualifiers, so the ``is_inferred`` marks are set afterwards with
fastobo-py, which parses pronto's text into its syntax tree, sets ``IsAClause.qualifiers`` and writes
the tree back (byte for byte the same text apart from those qualifiers).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from exokg.core.prefixes import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node, URIRef

__all__ = ["obo_file"]

_OIO = PREFIXES["oboInOwl"]
_SYNONYM_SCOPES = {"hasExactSynonym": "EXACT", "hasRelatedSynonym": "RELATED",
                   "hasBroadSynonym": "BROAD", "hasNarrowSynonym": "NARROW"}  # fmt: skip
_DEFINITION = PREFIXES["IAO"] + "0000115"
_DEFINITION_SOURCE = PREFIXES["IAO"] + "0000119"
_REPLACED_BY = PREFIXES["IAO"] + "0100001"
# the header's property_value annotations, declared as metadata tags (annotation properties)
_HEADER_PROPERTIES = ("description", "license", "title")
# ID spaces that are not OBO PURLs, declared in the header so OBO tools expand them right
_ID_SPACES = {"EXOKG": ("exokg classes and relations", PREFIXES["EXOKG"])}


def obo_file(full: Graph, date: dt.date, header: dict[str, str]) -> bytes:
    """``exokg.release.obo`` for the full ontology (``header``: title, description, license)."""
    from pronto.ontology import Ontology
    from pronto.pv import LiteralPropertyValue, ResourcePropertyValue
    from rdflib import OWL, RDF, RDFS, BNode, URIRef

    ontology = Ontology()
    meta = ontology.metadata
    meta.format_version = "1.4"
    meta.ontology = "exokg"
    meta.data_version = f"releases/{date.isoformat()}"  # OBO's convention, as in GO's and CL's
    meta.date = dt.datetime(date.year, date.month, date.day)
    meta.default_namespace = "exokg"
    meta.idspaces = {prefix: (iri, title) for prefix, (title, iri) in _ID_SPACES.items()}
    meta.annotations = {
        LiteralPropertyValue(PREFIXES["dcterms"] + "title", header["title"]),
        LiteralPropertyValue(PREFIXES["dcterms"] + "description", header["description"]),
        ResourcePropertyValue(PREFIXES["dcterms"] + "license", header["license"]),
    }

    types = _synonym_types(full)
    meta.synonymtypedefs = set(types.values())

    for local in _HEADER_PROPERTIES:  # declared, so the OWL API's OBO parser gives OWL 2 DL
        tag = ontology.create_relationship(PREFIXES["dcterms"] + local)
        tag.name, tag.metadata_tag = local, True
    for kind in sorted(meta.synonymtypedefs, key=lambda k: k.id):  # declared for the same reason
        tag = ontology.create_relationship(kind.id)
        tag.name, tag.metadata_tag = kind.description, True

    curies = _Curies()
    relations: dict[Node, Any] = {}
    for prop in sorted(full.subjects(RDF.type, OWL.ObjectProperty), key=str):
        if isinstance(prop, URIRef) and (curie := curies(prop)):
            relation = ontology.create_relationship(curie)
            _annotate(relation, full, prop, types)
            relation.transitive = (prop, RDF.type, OWL.TransitiveProperty) in full
            relations[prop] = relation
    terms: dict[Node, Any] = {}
    for cls in sorted(full.subjects(RDF.type, OWL.Class), key=str):
        if isinstance(cls, URIRef) and (curie := curies(cls)):
            terms[cls] = ontology.create_term(curie)
            _annotate(terms[cls], full, cls, types)

    for prop, relation in relations.items():
        for parent in full.objects(prop, RDFS.subPropertyOf):
            if parent in relations:
                relation.superproperties().add(relations[parent])
        inverse = full.value(prop, OWL.inverseOf)
        if inverse in relations:
            relation.inverse_of = relations[inverse]
    for cls, term in terms.items():
        for parent in sorted(full.objects(cls, RDFS.subClassOf), key=str):
            if parent in terms:
                term.superclasses().add(terms[parent])
            elif isinstance(parent, BNode) and (edge := _some(full, parent, relations, terms)):
                term.relationships[edge[0]] = {*term.relationships.get(edge[0], ()), edge[1]}
        for equivalent in full.objects(cls, OWL.equivalentClass):
            parts = _intersection(full, equivalent, relations, terms)
            if parts:
                term.intersection_of = parts
        disjoint = {terms[o] for o in full.objects(cls, OWL.disjointWith) if o in terms}
        if disjoint:
            term.disjoint_from = disjoint
        if _deprecated(full, cls):
            term.obsolete = True
            term.replaced_by = {
                terms[o] for o in full.objects(cls, URIRef(_REPLACED_BY)) if o in terms
            }
            term.consider = {
                terms[o] for o in full.objects(cls, URIRef(_OIO + "consider")) if o in terms
            }

    return _mark_inferred(_stable_obo(ontology.dumps(format="obo")), _inferred_is_a(full, curies))


def _inferred_is_a(full: Graph, curies: _Curies) -> set[tuple[str, str]]:
    """``(class, parent)`` CURIE pairs of the subclass axioms annotated ``is_inferred "true"``."""
    from rdflib import OWL, RDFS, Literal, URIRef

    pairs: set[tuple[str, str]] = set()
    for axiom in full.subjects(URIRef(_OIO + "is_inferred"), Literal("true")):
        if full.value(axiom, OWL.annotatedProperty) == RDFS.subClassOf:
            source = full.value(axiom, OWL.annotatedSource)
            target = full.value(axiom, OWL.annotatedTarget)
            child = curies(source) if source is not None else None
            parent = curies(target) if target is not None else None
            if child and parent:
                pairs.add((child, parent))
    return pairs


def _mark_inferred(obo: bytes, pairs: set[tuple[str, str]]) -> bytes:
    """The OBO text with ``{is_inferred="true"}`` on the ``is_a`` lines of ``pairs`` (fastobo-py)."""
    import fastobo
    from fastobo.id import UnprefixedIdent
    from fastobo.qual import Qualifier, QualifierList
    from fastobo.term import IsAClause, TermFrame

    document = fastobo.loads(obo.decode())
    for frame in document:
        if not isinstance(frame, TermFrame):
            continue
        for clause in frame:
            if isinstance(clause, IsAClause) and (str(frame.id), str(clause.term)) in pairs:
                clause.qualifiers = QualifierList(
                    [Qualifier(UnprefixedIdent("is_inferred"), "true")]
                )
    return str(document).encode()


def _stable_obo(text: str) -> bytes:
    """The OBO text with each run of same-tag clauses sorted: pronto keeps synonyms, xrefs and other
    repeated clauses in sets, so their order changed from one process to the next."""
    out: list[str] = []
    run: list[str] = []
    for line in [*text.splitlines(), ""]:
        tag = line.partition(": ")[0] if ": " in line else None
        if run and (tag is None or tag != run[0].partition(": ")[0]):
            out.extend(sorted(run))
            run = []
        if tag is None:
            out.append(line)
        else:
            run.append(line)
    return ("\n".join(out).rstrip("\n") + "\n").encode()


class _Curies:
    """IRI → CURIE for IRIs under a known prefix; None for anything else (skipped in OBO)."""

    def __init__(self) -> None:
        self.bases = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

    def __call__(self, node: Node) -> str | None:
        text = str(node)
        for prefix, base in self.bases:
            if text.startswith(base) and len(text) > len(base) and prefix not in _NOT_OBO:
                return f"{prefix}:{text[len(base) :]}"
        return None


_NOT_OBO = {"rdf", "rdfs", "owl", "xsd", "exo", "exs", "dcterms", "dc", "oboInOwl", "skos"}


def _synonym_types(graph: Graph) -> dict[tuple[Node, str, str], Any]:
    """The OMO synonym type of each typed synonym: ``(term, property, text) -> SynonymType``.

    A synonym's type is an ``oboInOwl:hasSynonymType`` annotation on its assertion; the type's label
    (OMO:0003000 'abbreviation') becomes the ``synonymtypedef`` line of the header.
    """
    from pronto.synonym import SynonymType
    from rdflib import OWL, RDFS, URIRef

    curies = _Curies()
    found: dict[tuple[Node, str, str], Any] = {}
    for axiom, kind in graph.subject_objects(URIRef(_OIO + "hasSynonymType")):
        prop = str(graph.value(axiom, OWL.annotatedProperty))
        curie = curies(kind)
        source = graph.value(axiom, OWL.annotatedSource)
        scoped = prop.startswith(_OIO) and prop[len(_OIO) :] in _SYNONYM_SCOPES
        if curie and source is not None and scoped:
            label = str(graph.value(kind, RDFS.label) or curie)
            key = (source, prop, str(graph.value(axiom, OWL.annotatedTarget)))
            found[key] = SynonymType(curie, label)
    return found


def _annotate(
    entity: Any, graph: Graph, node: URIRef, types: dict[tuple[Node, str, str], Any]
) -> None:
    """Label, definition with its xrefs, synonyms with scope and type, xrefs and comment."""
    from pronto.definition import Definition
    from pronto.xref import Xref
    from rdflib import RDFS, URIRef

    label = graph.value(node, RDFS.label)
    if label is not None:
        entity.name = str(label)
    definition = graph.value(node, URIRef(_DEFINITION))
    if definition is not None:
        xrefs = sorted(_definition_xrefs(graph, node, definition))
        entity.definition = Definition(str(definition), xrefs={Xref(x) for x in xrefs})
    for name, scope in _SYNONYM_SCOPES.items():
        for synonym in sorted(graph.objects(node, URIRef(_OIO + name)), key=str):
            kind = types.get((node, _OIO + name, str(synonym)))
            entity.add_synonym(str(synonym), scope=scope, type=kind)
    db_xrefs = {str(x) for x in graph.objects(node, URIRef(_OIO + "hasDbXref")) if _is_xref(str(x))}
    if db_xrefs:
        entity.xrefs = {Xref(x) for x in sorted(db_xrefs)}
    comments = sorted(str(c) for c in graph.objects(node, RDFS.comment))
    if comments:
        entity.comment = " ".join(comments)


def _definition_xrefs(graph: Graph, node: URIRef, definition: Node) -> set[str]:
    """The definition's sources: ``hasDbXref`` and ``IAO:0000119`` on its axiom annotation."""
    from rdflib import OWL, URIRef

    found: set[str] = set()
    for axiom in graph.subjects(OWL.annotatedSource, node):
        if graph.value(axiom, OWL.annotatedProperty) == URIRef(_DEFINITION):
            for prop in (URIRef(_OIO + "hasDbXref"), URIRef(_DEFINITION_SOURCE)):
                found |= {str(x) for x in graph.objects(axiom, prop) if _is_xref(str(x))}
    for source in graph.objects(node, URIRef(_DEFINITION_SOURCE)):
        if _is_xref(str(source)):
            found.add(str(source))
    return found


def _is_xref(text: str) -> bool:
    """OBO xrefs are ``PREFIX:local`` or URLs, without spaces."""
    prefix, sep, local = text.partition(":")
    return bool(sep and prefix and local) and not any(ch.isspace() for ch in text)


def _some(
    graph: Graph, node: Node, relations: dict[Any, Any], terms: dict[Any, Any]
) -> tuple[Any, Any] | None:
    """``(relation, term)`` for a restriction ``∃ relation . term`` on named entities, else None."""
    from rdflib import OWL

    prop, filler = graph.value(node, OWL.onProperty), graph.value(node, OWL.someValuesFrom)
    if prop in relations and filler in terms:
        return relations[prop], terms[filler]
    return None


def _intersection(
    graph: Graph, node: Node, relations: dict[Any, Any], terms: dict[Any, Any]
) -> set[Any]:
    """A logical definition ``G ⊓ ∃R.F …`` as pronto's ``intersection_of``; empty if OBO cannot say it."""
    from rdflib import OWL, BNode

    members = graph.value(node, OWL.intersectionOf)
    if members is None:
        return set()
    parts: set[Any] = set()
    for member in graph.items(members):
        if member in terms:
            parts.add(terms[member])
        elif isinstance(member, BNode) and (edge := _some(graph, member, relations, terms)):
            parts.add(edge)
        else:
            return set()
    return parts


def _deprecated(graph: Graph, node: Node) -> bool:
    from rdflib import OWL, Literal

    return (node, OWL.deprecated, Literal(True)) in graph
