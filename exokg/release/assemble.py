"""Release files that other ontologies and knowledge graphs can import.

``exokg release --out DIR`` turns the compiled graph (``ontology/build/exokg-kg.nq``, see
docs/design.md) into the files the OBO Foundry and the Ontology Development Kit (ODK) have taught
ontology users to expect:

- ``exokg.owl`` (RDF/XML), ``exokg.ttl`` and ``exokg.jsonld`` (expanded JSON-LD, which the OWL API
  reads; ``exokg.context.jsonld`` compacts it): the *full* ontology, own terms and import modules merged, with the
  reasoner's direct subclass axioms asserted (those not asserted before marked
  ``oboInOwl:is_inferred``), so it can be used without a reasoner;
- ``exokg.release.obo`` and ``exokg.obographs.json``: the full ontology in OBO 1.4 and OBO Graphs JSON
  (exokg/release/obo.py, exokg/release/obographs.py);
- ``exokg-simple.owl``: ODK's *simple* variant, labels and the non-redundant named ``is_a`` only,
  under its own IRI;
- ``exokg-base.owl``: the ODK *base* module, exokg's axioms about its own terms plus declarations, for
  other ontologies to ``owl:imports`` beside their own GO, CL, RO …;
- ``exokg-bridge.owl``: exokg's axioms on imported GO, CL and RO terms (disjointness of GO classes,
  effect directions on RO relations …), for those who accept them (full = base + imports + bridge);
- ``imports/merged_import.owl``: exokg's import modules, for users of the base who have no GO/CL/RO;
- ``exokg-statements.ttl``, ``.nq`` and ``.nt``: the curated statements with their evidence and
  sources (the N-Triples for owlready2, which reads neither Turtle nor N-Quads);
- ``exokg.sssom.tsv``: the curated mappings, checked against the SSSOM required slots;
- ``nodes.tsv`` / ``edges.tsv``: KGX TSV for Biolink-style tools;
- ``catalog-v001.xml``: an OASIS catalog mapping the ontology IRIs to the local files.

Every ontology file carries its ontology IRI, a dated version IRI, ``owl:versionInfo``, a licence and a
title, and no path of the machine that made it; every file has the same bytes for the same sources and
date. The release is checked first — the compiled graph must carry the digest of the current sources
(recorded by ``exokg build``), ``exokg report`` must find no ERROR, identifiers must be stable and the
mappings valid — then written into a temporary sibling of DIR and swapped into place, so a failed or
killed release leaves DIR as it was.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

from exokg.core import resources
from exokg.core.errors import DataError, UsageError
from exokg.core.prefixes import EXOKG_BASE, GRAPH_BASE, PREFIXES
from exokg.release.names import (
    _HEADER_SET,
    BASE_IRI,
    BASE_MODULE,
    BRIDGE_IRI,
    BRIDGE_MODULE,
    CATALOG,
    ENTITY_TYPES,
    IMPORT_IRI,
    IMPORT_MODULE,
    LICENSE,
    MAIN_MODULE,
    NOTES,
    ONTOLOGY,
    OWN_TERM,
    RELEASES,
    SIMPLE_IRI,
    SKOLEM_MARK,
    STATEMENTS_IRI,
)

if TYPE_CHECKING:
    from rdflib import Dataset, Graph
    from rdflib.term import Node, URIRef

__all__ = [
    "BASE_IRI",
    "BRIDGE_IRI",
    "IMPORT_IRI",
    "STATEMENTS_IRI",
    "Release",
    "read_catalog",
    "release",
    "version_iri",
]


@dataclass(frozen=True)
class Release:
    """What a release wrote: where, which version, which files, which IDs are new since the manifest."""

    out_dir: Path
    date: dt.date
    files: tuple[str, ...]
    new_ids: tuple[str, ...]


def version_iri(date: dt.date, name: str) -> str:
    """The dated IRI of one release file: ``https://w3id.org/exokg/releases/2026-01-31/exokg.owl``."""
    return f"{RELEASES}{date.isoformat()}/{name}"


# --- the release --------------------------------------------------------------------------------


def release(
    out_dir: Path,
    *,
    date: dt.date | None = None,
    kg_file: Path = resources.KG_FILE,
    mappings_file: Path = resources.MAPPINGS_FILE,
    manifest_file: Path = resources.RELEASED_IDS_FILE,
    record_ids: bool = False,
    sources: list[Path] | None = None,
    previous: Path | None = None,
) -> Release:
    """Check the compiled graph, then write every release file into ``out_dir`` at once.

    Raises :class:`DataError` (nothing written) when the graph is missing, a released identifier has
    vanished or changed its label without being obsoleted, or the mappings break the SSSOM rules.
    Also refuses a graph that was not compiled from the current ``sources`` (default: the shipped
    editors' file, import modules, curation files and shapes), and an ontology with an ERROR-level
    quality finding (``exokg report``).
    ``RELEASE-NOTES.md`` is the diff against ``previous`` (default: the release ``out_dir`` holds).
    With ``record_ids``, the own terms not yet in the manifest are added to it after the release.
    """
    from rdflib import Dataset

    from exokg.curation import ids
    from exokg.release import sssom

    date = date or dt.date.today()
    _check_destination(out_dir)
    if not kg_file.is_file():
        raise DataError("no compiled graph", where=str(kg_file), fix="run `exokg build` first")
    dataset = Dataset()
    dataset.parse(kg_file, format="nquads" if kg_file.suffix == ".nq" else None)
    ontology, imports, inferred, statements = (
        dataset.graph(_graph_iri(name))
        for name in ("ontology", "imports", "inferred", "statements")
    )
    if len(ontology) == 0:
        raise DataError("the ontology graph is empty", where=str(kg_file), fix="run `exokg build`")
    _check_fresh(dataset, kg_file, sources)
    _check_quality(ontology, imports)

    problems = ids.check_released_ids(ontology, ids.read_manifest(manifest_file))
    if problems:
        raise DataError(
            f"{len(problems)} released identifier(s) broken: {'; '.join(problems)}",
            where=str(manifest_file),
            fix="never delete or relabel a released term: mark it owl:deprecated true with "
            "IAO:0100001 (term replaced by) and keep its ID",
        )
    mappings = sssom.read_sssom(mappings_file)
    labels, obsolete = ids.own_labels(ontology), ids.obsolete_terms(ontology)
    sssom.check_mappings(mappings, labels, obsolete, mappings_file)

    before = _previous_release(previous, out_dir)
    files = _render_files(ontology, imports, _direct_subclasses(inferred), statements, date)
    files["exokg.sssom.tsv"] = sssom.sssom_text(mappings, date, version_iri(date, "exokg.owl"))
    files[NOTES] = _release_notes(files, before, date)
    _write_atomically(out_dir, files)
    if record_ids:
        new_ids = tuple(ids.record_new_ids(ontology, manifest_file))
    else:
        new_ids = tuple(sorted(set(labels) - set(ids.read_manifest(manifest_file))))
    return Release(out_dir, date, tuple(sorted(files)), new_ids)


def _check_fresh(dataset: Dataset, kg_file: Path, sources: list[Path] | None) -> None:
    """The compiled graph must carry the digest of the sources as they are now (see build.py)."""
    from exokg.compile.build import sources_digest
    from exokg.core.vocab import EXO, GRAPH_BUILD

    recorded = dataset.graph(GRAPH_BUILD).value(GRAPH_BUILD, EXO.sourcesDigest)
    if recorded is None or str(recorded) != sources_digest(sources):
        state = (
            "it records no digest of its sources"
            if recorded is None
            else "the ontology or curation files changed after it was built"
        )
        raise DataError(
            f"the compiled graph is stale: {state}",
            where=str(kg_file),
            fix="run `exokg build` (and fix what it reports) before `exokg release`",
        )


def _check_quality(ontology: Graph, imports: Graph) -> None:
    """Run ``exokg report``'s checks on what is about to be released; an ERROR stops the release."""
    from exokg.compile.report import run_checks

    violations = run_checks(_deskolemise(ontology) + _without_headers(_deskolemise(imports)))
    errors = [v for v in violations if v.level == "ERROR"]
    if errors:
        names = ", ".join(sorted({v.check for v in errors}))
        raise DataError(
            f"{len(errors)} quality error(s) in the ontology ({names}; first: {errors[0].entity})",
            where="exokg report",
            fix="run `exokg report` and fix its errors before releasing",
        )


def _previous_release(previous: Path | None, out_dir: Path) -> tuple[Graph, Graph, str] | None:
    """The release to compare with: ``previous``, else the one ``out_dir`` holds, else none."""
    from exokg.release.diff import load_side

    if previous is None and (out_dir / "exokg.owl").is_file():
        previous = out_dir
    if previous is None:
        return None
    if not (previous / "exokg.owl").is_file():
        raise UsageError(
            "--previous is not an exokg release (no exokg.owl)",
            where=str(previous),
            fix="give the directory of the previous release",
        )
    return load_side(previous)


def _release_notes(
    files: dict[str, bytes], before: tuple[Graph, Graph, str] | None, date: dt.date
) -> bytes:
    """``RELEASE-NOTES.md``: ``exokg diff`` of the previous release and this one, as Markdown."""
    from rdflib import Graph

    from exokg.release.diff import diff_graphs

    ontology = Graph().parse(data=files["exokg.owl"], format="xml")
    statements = Graph().parse(data=files["exokg-statements.ttl"], format="turtle")
    new = (ontology, statements, version_iri(date, "exokg.owl"))
    old = before or (Graph(), Graph(), "none (first release: everything below is new)")
    title = f"exokg {date.isoformat()}"
    return diff_graphs(old, new).markdown(title).encode()


def _graph_iri(name: str) -> URIRef:
    from rdflib import URIRef

    return URIRef(GRAPH_BASE + name)


def _render_files(
    ontology: Graph,
    imports: Graph,
    direct: set[tuple[URIRef, URIRef]],
    statements: Graph,
    date: dt.date,
) -> dict[str, bytes]:
    """Every RDF, KGX and catalog file, keyed by its path inside the release directory."""
    from rdflib import Dataset, URIRef

    from exokg.release.kgx import kgx_tables

    files: dict[str, bytes] = {}
    full = _full(ontology, imports, direct)
    for name in ("exokg.owl", "exokg.ttl", "exokg.jsonld"):
        files[name] = _serialise(
            _with_header(full, URIRef(ONTOLOGY), date, name, MAIN_MODULE), name
        )
    files["exokg.context.jsonld"] = _json({"@context": _jsonld_context(full)})

    title = str(ontology.value(URIRef(ONTOLOGY), _ns("dcterms:title")) or "exokg")
    files.update(_obo_files(full, date, title, ontology))
    simple = _with_header(_simple(full, direct), URIRef(SIMPLE_IRI), date, "exokg-simple.owl",
                          MAIN_MODULE, title=f"{title} (simple: labels and is_a only)")  # fmt: skip
    files["exokg-simple.owl"] = _rdf_xml(simple)
    base, bridge = _base_and_bridge(ontology, imports, direct)
    base = _with_header(base, URIRef(BASE_IRI), date, "exokg-base.owl", BASE_MODULE,
                        title=f"{title} (base module)")  # fmt: skip
    files["exokg-base.owl"] = _rdf_xml(base)
    bridge = _with_header(bridge, URIRef(BRIDGE_IRI), date, "exokg-bridge.owl", BRIDGE_MODULE,
                          title=f"{title}: its axioms on GO, CL and RO terms (bridge)")  # fmt: skip
    files["exokg-bridge.owl"] = _rdf_xml(bridge)

    name = "imports/merged_import.owl"
    merged = _without_headers(_deskolemise(imports))
    merged = _with_header(merged, URIRef(IMPORT_IRI), date, name, IMPORT_MODULE,
                          title=f"{title}: import modules (extracts of GO, CL, RO, ECO …)")  # fmt: skip
    files[name] = _rdf_xml(merged)

    title = f"{title}: curated statements with their evidence, context and sources"
    stated = _with_header(statements, URIRef(STATEMENTS_IRI), date, "exokg-statements.ttl", None,
                          title=title)  # fmt: skip
    files["exokg-statements.ttl"] = stated.serialize(format="turtle").encode()
    quads = Dataset()
    named = quads.graph(_graph_iri("statements"))
    for triple in _with_header(statements, URIRef(STATEMENTS_IRI), date, "exokg-statements.nq",
                               None, title=title):  # fmt: skip
        named.add(triple)
    lines = quads.serialize(format="nquads").splitlines(keepends=True)
    files["exokg-statements.nq"] = "".join(sorted(lines)).encode()
    # N-Triples for owlready2, which reads neither Turtle nor N-Quads (exokg.api's owlready())
    triples = _with_header(statements, URIRef(STATEMENTS_IRI), date, "exokg-statements.nt", None,
                           title=title).serialize(format="nt")  # fmt: skip
    files["exokg-statements.nt"] = "".join(sorted(set(triples.splitlines(keepends=True)))).encode()

    files["nodes.tsv"], files["edges.tsv"] = kgx_tables(full, statements, direct)
    files[CATALOG] = _catalog(date)
    return files


def _serialise(graph: Graph, name: str) -> bytes:
    """RDF/XML, Turtle or JSON-LD (by the file's suffix), the same bytes for the same graph."""
    if name.endswith(".owl"):
        return _rdf_xml(graph)
    if name.endswith(".ttl"):
        return _stable_turtle(graph)
    return _stable_jsonld(graph)


def _stable_turtle(graph: Graph) -> bytes:
    """Turtle in a stable order: rdflib sorts subjects and predicates; its blank-node labels are
    random, so blank nodes are first given canonical labels (rdflib.compare)."""
    return _canonical(graph).serialize(format="turtle", encoding="utf-8")


def _stable_jsonld(graph: Graph) -> bytes:
    """Expanded JSON-LD (full IRIs, no ``@context``), nodes sorted, canonical blank-node labels.

    Expanded, because the OWL API (5.1, the one ROBOT and Protégé run) refuses a document with an
    ``@context`` ("Not a valid (absolute) IRI: @context") and reads the expanded form; every JSON-LD
    processor reads it too, and ``exokg.context.jsonld`` compacts it to CURIEs for those who want
    them (``pyld.jsonld.compact``). rdflib's writer follows the graph's hash order and names blank
    nodes at random, so the document is re-sorted here.
    """
    import json

    data = json.loads(_canonical(graph).serialize(format="json-ld"))
    nodes = data if isinstance(data, list) else [data]
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list) and key != "@list":
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    nodes = sorted(nodes, key=lambda node: json.dumps(node, sort_keys=True))
    return (json.dumps(nodes, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _canonical(graph: Graph) -> Graph:
    """The graph with blank nodes relabelled canonically (the same graph, the same labels)."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True)
    for triple in to_canonical_graph(graph):
        out.add(triple)
    return out


def _obo_files(full: Graph, date: dt.date, title: str, ontology: Graph) -> dict[str, bytes]:
    """``exokg.release.obo`` (exokg/release/obo.py) and ``exokg.obographs.json``
    (exokg/release/obographs.py)."""
    from rdflib import URIRef

    from exokg.release.obo import obo_file
    from exokg.release.obographs import obographs_json

    description = ontology.value(URIRef(ONTOLOGY), _ns("dcterms:description"))
    header = {"title": title, "description": str(description or title), "license": LICENSE,
              "version": version_iri(date, "exokg.owl"), "version_info": date.isoformat()}  # fmt: skip
    return {
        "exokg.release.obo": obo_file(full, date, header),
        "exokg.obographs.json": obographs_json(full, ONTOLOGY, header),
    }


def _json(value: object) -> bytes:
    import json

    return (json.dumps(value, indent=2, sort_keys=True) + "\n").encode()


# --- graphs -------------------------------------------------------------------------------------


def _ns(curie: str) -> URIRef:
    from rdflib import URIRef

    prefix, _, local = curie.partition(":")
    extra = {"dc": "http://purl.org/dc/elements/1.1/"}
    return URIRef(extra.get(prefix, PREFIXES.get(prefix, "")) + local)


def _is_skolem(node: Node) -> bool:
    from rdflib import URIRef

    return isinstance(node, URIRef) and SKOLEM_MARK in node


def _deskolemise(graph: Graph) -> Graph:
    """Blank nodes back where the compiled graph named them (OWL needs blank restrictions)."""
    from rdflib import BNode, Graph

    def node(term: Node) -> Node:
        return BNode(str(term).rsplit("/", 1)[-1]) if _is_skolem(term) else term

    out = Graph()
    for s, p, o in graph:
        out.add((node(s), p, node(o)))
    return out


def _headers(graph: Graph) -> set[Node]:
    return set(graph.subjects(_ns("rdf:type"), _ns("owl:Ontology")))


def _without_headers(graph: Graph) -> Graph:
    from rdflib import Graph

    out = Graph()
    headers = _headers(graph)
    for triple in graph:
        if triple[0] not in headers:
            out.add(triple)
    return out


def _with_header(
    graph: Graph,
    iri: URIRef,
    date: dt.date,
    name: str,
    module_type: str | None,
    *,
    title: str | None = None,
) -> Graph:
    """A copy of ``graph`` with the release header: IRI, version IRI and info, licence, title."""
    from rdflib import Graph, Literal, URIRef

    out = Graph()
    headers = _headers(graph)
    own_title = None
    for s, p, o in graph:
        if s not in headers:
            out.add((s, p, o))
        elif p == _ns("dcterms:title"):
            own_title = str(o)
        elif p not in {_ns(c) for c in _HEADER_SET} and p != _ns("rdf:type"):
            out.add((iri, p, o))
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    out.add((iri, _ns("rdf:type"), _ns("owl:Ontology")))
    out.add((iri, _ns("owl:versionIRI"), URIRef(version_iri(date, name))))
    out.add((iri, _ns("owl:versionInfo"), Literal(date.isoformat())))
    out.add((iri, _ns("dcterms:license"), URIRef(LICENSE)))
    out.add((iri, _ns("dcterms:title"), Literal(title or own_title or "exokg")))
    if module_type:
        out.add((iri, _ns("dc:type"), URIRef(module_type)))
        declare_entities(out, graph)
    return out


def _direct_subclasses(inferred: Graph) -> set[tuple[URIRef, URIRef]]:
    """The transitive reduction of the inferred hierarchy: a ⊑ b with no named class in between.

    The compiled graph holds the reflexive, transitive closure; releasing all of it would bury the
    hierarchy under redundant axioms. Equivalent classes (a ⊑ b ⊑ a) are left to the asserted axioms.
    """
    from rdflib import URIRef

    up: dict[URIRef, set[URIRef]] = {}
    pairs = {
        (s, o)
        for s, o in inferred.subject_objects(_ns("rdfs:subClassOf"))
        if isinstance(s, URIRef) and isinstance(o, URIRef) and not (_is_skolem(s) or _is_skolem(o))
    }
    for s, o in pairs:
        if s != o and (o, s) not in pairs and o != _ns("owl:Thing"):
            up.setdefault(s, set()).add(o)
    return {
        (s, o)
        for s, supers in up.items()
        for o in supers
        if not any(o in up.get(mid, ()) for mid in supers if mid != o)
    }


def _full(ontology: Graph, imports: Graph, direct: set[tuple[URIRef, URIRef]]) -> Graph:
    """Own terms and import modules merged, inferred direct subclass axioms asserted."""
    from rdflib import Graph

    full = Graph()
    for triple in _deskolemise(ontology):  # its header becomes the release header (_with_header)
        full.add(triple)
    for triple in _without_headers(_deskolemise(imports)):  # import modules are merged away
        full.add(triple)
    _add_inferred(full, direct)
    _add_defined_by(full)
    return full


def _add_defined_by(graph: Graph) -> None:
    """``rdfs:isDefinedBy <https://w3id.org/exokg/exokg.owl>`` on each of exokg's own terms, as
    ROBOT ``annotate --annotate-defined-by`` does in ODK releases: tools that show where a term comes
    from (OLS, Protégé, OAK) read it there."""
    from rdflib import URIRef

    kinds = {_ns(f"owl:{kind}") for kind in ENTITY_TYPES}
    for entity, kind in list(graph.subject_objects(_ns("rdf:type"))):
        if kind in kinds and isinstance(entity, URIRef) and str(entity).startswith(OWN_TERM):
            graph.add((entity, _ns("rdfs:isDefinedBy"), URIRef(ONTOLOGY)))


def _add_inferred(graph: Graph, direct: Iterable[tuple[URIRef, URIRef]]) -> None:
    """Assert the reasoner's direct subclass axioms; those not asserted before are marked
    ``oboInOwl:is_inferred "true"`` on an axiom annotation, as ROBOT ``reason
    --annotate-inferred-axioms`` and the OBO releases of GO and CL do."""
    from rdflib import BNode, Literal

    sub_class_of = _ns("rdfs:subClassOf")
    for s, o in sorted(direct):
        if (s, sub_class_of, o) in graph:
            continue
        graph.add((s, sub_class_of, o))
        axiom = BNode("inferred" + uuid.uuid5(uuid.NAMESPACE_URL, f"{s} {o}").hex)
        graph.add((axiom, _ns("rdf:type"), _ns("owl:Axiom")))
        graph.add((axiom, _ns("owl:annotatedSource"), s))
        graph.add((axiom, _ns("owl:annotatedProperty"), sub_class_of))
        graph.add((axiom, _ns("owl:annotatedTarget"), o))
        graph.add((axiom, _ns("oboInOwl:is_inferred"), Literal("true")))


def _simple(full: Graph, direct: set[tuple[URIRef, URIRef]]) -> Graph:
    """ODK's *simple* variant: declarations, annotations of named entities and the non-redundant
    named ``is_a`` hierarchy (the reasoner's direct superclasses), nothing else — no restrictions,
    equivalences, disjointness or property axioms — for tools that only walk a tree."""
    from rdflib import BNode, Graph, URIRef

    logical = {_ns(c) for c in ("rdfs:subClassOf", "owl:equivalentClass", "owl:disjointWith",
               "rdfs:subPropertyOf", "owl:inverseOf", "owl:propertyChainAxiom",
               "rdfs:domain", "rdfs:range")}  # fmt: skip
    simple = Graph()
    for s, p, o in full:
        if isinstance(s, URIRef) and not isinstance(o, BNode) and p not in logical:
            simple.add((s, p, o))
    classes = set(full.subjects(_ns("rdf:type"), _ns("owl:Class")))
    asserted = {(s, o) for s, o in full.subject_objects(_ns("rdfs:subClassOf"))
                if s in classes and o in classes}  # fmt: skip
    for s, o in direct | _reduce(asserted):
        simple.add((s, _ns("rdfs:subClassOf"), o))
    return simple


def _reduce(pairs: set[tuple[Node, Node]]) -> set[tuple[URIRef, URIRef]]:
    """The pairs a ⊑ b not implied by another path a ⊑ m ⊑ … ⊑ b (named classes only)."""
    from rdflib import URIRef

    up: dict[Node, set[Node]] = {}
    for s, o in pairs:
        if s != o:
            up.setdefault(s, set()).add(o)

    def above(node: Node) -> set[Node]:
        seen: set[Node] = set()
        todo = list(up.get(node, ()))
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(up.get(current, ()))
        return seen

    return {
        (s, o)
        for s, supers in up.items()
        for o in supers
        if isinstance(s, URIRef)
        and isinstance(o, URIRef)
        and not any(o in above(mid) for mid in supers if mid != o)
    }


def _base_and_bridge(
    ontology: Graph, imports: Graph, direct: set[tuple[URIRef, URIRef]]
) -> tuple[Graph, Graph]:
    """The ODK base module and the bridge: the editors' file split by what each axiom is about.

    The base holds, as ODK's base does (``robot remove --base-iri … --axioms external
    --preserve-structure false --trim false``), every axiom about an exokg entity and every logical
    axiom on an imported class that names an exokg entity (``GO:1903561 ⊑ EXOKG:0000001``), plus
    declarations. exokg's other axioms on imported classes and relations — the disjointness of GO's
    vesicle classes, restrictions between GO classes, exokg's annotations on GO and RO terms such as
    the effect directions — would change GO or RO for anyone who imports the base beside them: they go
    to the bridge, ``exokg-bridge.owl``, which a user imports when they accept them. ``full`` = base +
    import modules + bridge. Added to the base: the inferred direct superclasses of exokg's own terms;
    to both: declarations of every entity they use, so each parses as OWL 2 DL on its own.
    """
    from rdflib import Graph

    base, bridge = Graph(), Graph()
    for triples, own in _axioms(_deskolemise(ontology)):
        for triple in triples:
            (base if own else bridge).add(triple)
    _add_inferred(base, {(s, o) for s, o in direct if str(s).startswith(EXOKG_BASE)})
    _add_defined_by(base)
    declare_entities(base, ontology + imports)
    declare_entities(bridge, ontology + imports)
    return base, bridge


# predicates whose triples are logical axioms or declarations, not annotations (OWL 2 mapping to RDF)
_LOGICAL = ("rdf:type", "rdfs:subClassOf", "owl:equivalentClass", "owl:disjointWith",
            "rdfs:subPropertyOf", "owl:inverseOf", "owl:propertyChainAxiom", "rdfs:domain",
            "rdfs:range", "owl:disjointUnionOf", "owl:equivalentProperty",
            "owl:propertyDisjointWith", "owl:sameAs", "owl:differentFrom")  # fmt: skip


def _axioms(graph: Graph) -> Iterable[tuple[list[tuple[Node, Node, Node]], bool]]:
    """Each axiom of ``graph`` as its triples (a named subject's triple with the blank nodes below
    it; a blank-node axiom such as ``owl:AllDisjointClasses``; an axiom annotation), and whether it
    belongs in the base (see :func:`_base_and_bridge`)."""
    from rdflib import BNode, URIRef

    def below(node: Node) -> list[tuple[Node, Node, Node]]:
        found: list[tuple[Node, Node, Node]] = []
        todo, seen = [node], set()
        while todo:
            current = todo.pop()
            if isinstance(current, BNode) and current not in seen:
                seen.add(current)
                for p, o in graph.predicate_objects(current):
                    found.append((current, p, o))
                    todo.append(o)
        return found

    def own(node: Node) -> bool:
        return isinstance(node, URIRef) and str(node).startswith(EXOKG_BASE)

    logical = {_ns(c) for c in _LOGICAL}
    declarations = {_ns(f"owl:{kind}") for kind in ENTITY_TYPES}

    def in_base(s: Node, p: Node, o: Node, nested: list[tuple[Node, Node, Node]]) -> bool:
        if own(s) or (p == _ns("rdf:type") and o in declarations):
            return True
        if p not in logical and not isinstance(o, BNode):
            return False  # an annotation on an imported entity: exokg's word on GO, RO …
        return own(o) or any(own(x) for t in nested for x in (t[0], t[2]))

    referenced = {o for o in graph.objects() if isinstance(o, BNode)}
    annotated = _ns("owl:annotatedSource")
    for s, p, o in graph:
        if isinstance(s, URIRef):
            nested = below(o)
            yield [(s, p, o), *nested], in_base(s, p, o, nested)
        elif s not in referenced and p == _ns("rdf:type"):  # a root blank node: one axiom
            nested = below(s)
            source = graph.value(s, annotated)
            prop = graph.value(s, _ns("owl:annotatedProperty"))
            target = graph.value(s, _ns("owl:annotatedTarget"))
            if source is not None and prop is not None and target is not None:
                yield nested, in_base(source, prop, target, below(target))  # where its axiom is
            else:
                yield nested, in_base(s, p, o, nested)


# RDF, RDFS, OWL and XSD terms are built into OWL 2 and need no declaration
_BUILT_IN = tuple(PREFIXES[p] for p in ("rdf", "rdfs", "owl", "xsd"))
# where an IRI stands, the kind of entity it must be declared as (OWL 2 mapping to RDF, table 5-16)
_CLASS_POSITIONS = ("rdfs:subClassOf", "owl:equivalentClass", "owl:disjointWith",
                    "owl:someValuesFrom", "owl:allValuesFrom", "owl:complementOf")  # fmt: skip
_PROPERTY_POSITIONS = ("owl:onProperty", "owl:inverseOf", "rdfs:subPropertyOf")


def declare_entities(graph: Graph, known: Graph) -> None:
    """Add to ``graph`` a declaration for every entity it uses but does not declare.

    The kind comes from ``known`` (the ontology and its imports) where it is declared there, else from
    where the IRI stands: a property of an annotation (literal or IRI value, not built in) is an
    annotation property, the value of ``rdfs:subClassOf`` or a restriction's filler a class, a
    restriction's property an object property. OWL 2 DL (§5.8.1 of the structural specification)
    requires a declaration for each; the OWL API's profile checker reports each missing one.
    """
    from rdflib import BNode, Literal, URIRef

    rdf_type = _ns("rdf:type")
    kinds = {_ns(f"owl:{kind}") for kind in ENTITY_TYPES}
    declared = {s for s, o in graph.subject_objects(rdf_type) if o in kinds}

    def declare(node: Node, default: str) -> None:
        if not isinstance(node, URIRef) or node in declared or str(node).startswith(_BUILT_IN):
            return
        found = [o for o in known.objects(node, rdf_type) if o in kinds]
        for kind in found or [_ns(f"owl:{default}")]:
            graph.add((node, rdf_type, kind))
        declared.add(node)

    class_positions = {_ns(c) for c in _CLASS_POSITIONS}
    property_positions = {_ns(c) for c in _PROPERTY_POSITIONS}
    for s, p, o in list(graph):
        if p in class_positions:
            declare(o, "Class")
            if p != _ns("owl:someValuesFrom") and p != _ns("owl:allValuesFrom"):
                declare(s, "Class")
        elif p in property_positions:
            declare(o, "ObjectProperty")
            if p != _ns("owl:onProperty"):
                declare(s, "ObjectProperty")
        elif p == _ns("owl:propertyChainAxiom"):
            declare(s, "ObjectProperty")
        elif p == rdf_type and o not in kinds and not isinstance(o, BNode):
            declare(o, "Class")  # an individual's class
        elif p == _ns("rdf:first") and isinstance(o, URIRef):
            declare(o, "Class")  # members of intersections, unions and property chains
        if not str(p).startswith(_BUILT_IN):
            declare(
                p, "AnnotationProperty" if isinstance(o, (Literal, URIRef)) else "ObjectProperty"
            )


def _jsonld_context(graph: Graph) -> dict[str, str]:
    """The prefixes the graph uses, as a JSON-LD context."""
    used = {str(n) for t in graph for n in t}
    return {
        prefix: iri
        for prefix, iri in sorted(PREFIXES.items())
        if any(n.startswith(iri) for n in used)
    }


# --- catalog ------------------------------------------------------------------------------------


def _catalog(date: dt.date) -> bytes:
    """An OASIS XML catalog (Protégé, ROBOT and the OWL API read it) from IRIs to the local files."""
    entries = []
    for iri, name in ((ONTOLOGY, "exokg.owl"), (BASE_IRI, "exokg-base.owl"),
                      (BRIDGE_IRI, "exokg-bridge.owl"), (SIMPLE_IRI, "exokg-simple.owl"),
                      (IMPORT_IRI, "imports/merged_import.owl")):  # fmt: skip
        for key in (iri, version_iri(date, name)):
            entries.append(f"    <uri name={quoteattr(key)} uri={quoteattr(name)}/>")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
        + "\n".join(entries)
        + "\n</catalog>\n"
    ).encode()


def read_catalog(path: Path) -> dict[str, Path]:
    """The IRI → local file entries of an XML catalog, resolved against the catalog's directory."""
    import xml.etree.ElementTree as ET

    ns = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
    root = ET.parse(path).getroot()
    return {
        entry.attrib["name"]: (path.parent / entry.attrib["uri"]).resolve()
        for entry in root.iter(f"{ns}uri")
    }


# --- writing ------------------------------------------------------------------------------------


def _check_destination(out_dir: Path) -> None:
    """Refuse, before any work, a folder that holds anything but an earlier exokg release."""
    from exokg.core.outputs import check_release_dir

    check_release_dir(out_dir)


def _rdf_xml(graph: Graph) -> bytes:
    """RDF/XML in a stable order, so that one graph gives the same bytes in every release.

    rdflib's RDF/XML writer follows the order of Python's per-process randomised string hashes, and
    names its namespaces in that order too; two releases of one graph would then differ line by line.
    Oxigraph writes the triples in the order it is given them: here, sorted N-Triples.
    """
    import pyoxigraph as ox

    lines = sorted(set(graph.serialize(format="nt").splitlines()))
    triples = ox.parse("\n".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
    prefixes = dict(sorted(PREFIXES.items()))
    out = ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=prefixes)
    return out or b""  # serialize() returns None only when it is given a file to write to


def _write_atomically(out_dir: Path, files: dict[str, bytes]) -> None:
    """Write the release and its manifest next to ``out_dir``, then swap it in (exokg/core/outputs.py)."""
    from exokg.core.outputs import write_release_dir

    write_release_dir(out_dir, files)
