"""exokg release: files other ontologies can import, stable IDs, checked mappings, atomic writing.

Most tests release the miniature compiled graph in tests/fixtures/release/ (see its README); the
last ones release the real built graph and check the committed manifest against the real ontology.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef

from exokg.core import resources
from exokg.core.errors import DataError
from exokg.core.prefixes import EXOKG_BASE
from exokg.core.vocab import EXOKG, GRAPH_ONTOLOGY, GRAPH_STATEMENTS, NS, ONTOLOGY_IRI
from exokg.curation.ids import check_released_ids, read_manifest, record_new_ids
from exokg.release.assemble import (
    BASE_IRI,
    BRIDGE_IRI,
    IMPORT_IRI,
    read_catalog,
    release,
    version_iri,
)
from exokg.release.names import SIMPLE_IRI
from tests import FIXTURES as ALL_FIXTURES
from tests.conftest import ExokgRunner

FIXTURES = ALL_FIXTURES / "release"
KG = FIXTURES / "kg.nq"
# the files the fixture's kg.nq was compiled from: its sources digest is theirs
SOURCES = [FIXTURES / name for name in ("ontology.ttl", "imports.ttl", "statements.ttl")]
DATE = dt.date(2026, 1, 31)
GO, CL, TME = NS["GO"], NS["CL"], "https://example.org/tme/TME_"
ONTOLOGY_FILES = (
    "exokg.owl",
    "exokg.ttl",
    "exokg.jsonld",
    "exokg-base.owl",
    "exokg-bridge.owl",
    "exokg-simple.owl",
    "imports/merged_import.owl",
)
LOGICAL = {RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith, RDFS.domain, RDFS.range,
           RDFS.subPropertyOf, OWL.inverseOf, OWL.propertyChainAxiom}  # fmt: skip
JAVA = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")


def _release(out: Path, kg: Path = KG, **options: object) -> object:
    return release(
        out,
        date=DATE,
        kg_file=kg,
        mappings_file=FIXTURES / "mappings.sssom.tsv",
        manifest_file=FIXTURES / "released-ids.tsv",
        **{"sources": SOURCES, **options},  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "exokg-release"
    _release(out)
    return out


def _parse(path: Path) -> Graph:
    fmt = {".owl": "xml", ".ttl": "turtle", ".jsonld": "json-ld", ".nq": "nquads"}[path.suffix]
    graph = Dataset() if fmt == "nquads" else Graph()
    graph.parse(path, format=fmt)
    return graph


def test_release_writes_every_file(released: Path) -> None:
    names = {str(p.relative_to(released)) for p in released.rglob("*") if p.is_file()}
    assert names - {"exokg-release.json"} == {  # the manifest: tests/test_outputs.py
        "RELEASE-NOTES.md", "catalog-v001.xml", "edges.tsv", "exokg-base.owl", "exokg-bridge.owl",
        "exokg-simple.owl", "exokg-statements.nq", "exokg-statements.nt", "exokg-statements.ttl",
        "exokg.context.jsonld", "exokg.jsonld", "exokg.release.obo", "exokg.obographs.json",
        "exokg.owl", "exokg.sssom.tsv", "exokg.ttl", "imports/merged_import.owl", "nodes.tsv",
    }  # fmt: skip


@pytest.mark.parametrize("name", ONTOLOGY_FILES)
def test_every_ontology_file_has_a_versioned_header(released: Path, name: str) -> None:
    graph = _parse(released / name)
    (iri,) = set(graph.subjects(RDF.type, OWL.Ontology))
    expected = {"exokg-base.owl": BASE_IRI, "imports/merged_import.owl": IMPORT_IRI,
                "exokg-bridge.owl": BRIDGE_IRI, "exokg-simple.owl": SIMPLE_IRI}  # fmt: skip
    assert str(iri) == expected.get(name, str(ONTOLOGY_IRI))
    assert graph.value(iri, OWL.versionIRI) == URIRef(version_iri(DATE, name))
    assert graph.value(iri, OWL.versionInfo) == Literal("2026-01-31")
    assert graph.value(iri, NS["dcterms"]["license"]) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert graph.value(iri, NS["dcterms"]["title"])
    assert (iri, OWL.imports, None) not in graph, "a merged file must not make tools fetch imports"


def test_the_three_serialisations_of_the_full_ontology_hold_the_same_graph(released: Path) -> None:
    from rdflib.compare import to_isomorphic

    owl, ttl, jsonld = (_parse(released / n) for n in ("exokg.owl", "exokg.ttl", "exokg.jsonld"))
    version = OWL.versionIRI
    for graph in (owl, ttl, jsonld):
        graph.remove((None, version, None))
    assert to_isomorphic(owl) == to_isomorphic(ttl) == to_isomorphic(jsonld)


def test_full_asserts_the_inferred_hierarchy_without_its_redundant_closure(released: Path) -> None:
    full = _parse(released / "exokg.ttl")
    # inferred by HermiT (4T1 cells are malignant cells), not asserted in the fixture's edit file
    assert (EXOKG["0000022"], RDFS.subClassOf, EXOKG["0000020"]) in full
    # implied through EXOKG:0000020, so not asserted again
    assert (EXOKG["0000022"], RDFS.subClassOf, GO["1903561"]) not in full
    assert (EXOKG["0000022"], RDFS.subClassOf, EXOKG["0000022"]) not in full
    assert not any("/.well-known/genid/" in str(n) for t in full for n in t)


def test_inferred_subclass_axioms_are_marked_is_inferred(released: Path) -> None:
    full = _parse(released / "exokg.ttl")
    axiom = next(full.subjects(OWL.annotatedSource, EXOKG["0000022"]))
    assert full.value(axiom, OWL.annotatedTarget) == EXOKG["0000020"]
    assert full.value(axiom, NS["oboInOwl"]["is_inferred"]) == Literal("true")
    # asserted axioms carry no such mark
    marked = {
        full.value(a, OWL.annotatedSource)
        for a in full.subjects(NS["oboInOwl"]["is_inferred"], None)
    }
    assert EXOKG["0000040"] not in marked


def test_simple_keeps_labels_and_the_named_hierarchy_only(released: Path) -> None:
    simple = _parse(released / "exokg-simple.owl")
    assert (EXOKG["0000022"], RDFS.subClassOf, EXOKG["0000020"]) in simple
    assert (EXOKG["0000022"], RDFS.label, Literal("4T1-derived exosome")) in simple
    assert not list(simple.triples((None, OWL.equivalentClass, None)))
    assert not list(simple.triples((None, RDFS.domain, None)))
    assert all(isinstance(o, URIRef) for o in simple.objects(None, RDFS.subClassOf))
    assert not any(isinstance(s, BNode) for s in simple.subjects())


def test_obo_release_reads_back_in_pronto(released: Path) -> None:
    import pronto

    obo = pronto.Ontology(str(released / "exokg.release.obo"))
    term = obo["EXOKG:0000022"]
    assert term.name == "4T1-derived exosome"
    assert {t.id for t in term.superclasses(distance=1)} >= {"EXOKG:0000020"}
    assert (
        obo["EXOKG:0000001"].definition
        == "A particle released by a cell into the extracellular region."
    )
    text = (released / "exokg.release.obo").read_text()
    assert "intersection_of: RO:0003001 EXOKG:0000040" in text
    assert "data-version: releases/2026-01-31" in text and "\nontology: exokg\n" in text
    assert "idspace: EXOKG https://w3id.org/exokg/EXOKG_" in text


def test_obo_release_marks_inferred_is_a_and_only_those(released: Path) -> None:
    import fastobo
    from fastobo.term import IsAClause, TermFrame

    qualified: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for frame in fastobo.load(str(released / "exokg.release.obo")):
        if isinstance(frame, TermFrame):
            for clause in frame:
                if isinstance(clause, IsAClause):
                    pairs = [(str(q.key), str(q.value)) for q in clause.qualifiers or []]
                    qualified[(str(frame.id), str(clause.term))] = pairs
    # inferred by HermiT (the is_inferred axiom of the OWL files), asserted in no source file
    assert qualified[("EXOKG:0000022", "EXOKG:0000020")] == [("is_inferred", "true")]
    full = _parse(released / "exokg.ttl")
    marked_in_owl = {
        (_curie(full.value(a, OWL.annotatedSource)), _curie(full.value(a, OWL.annotatedTarget)))
        for a in full.subjects(NS["oboInOwl"]["is_inferred"], Literal("true"))
    }
    marked_in_obo = {pair for pair, qualifiers in qualified.items() if qualifiers}
    assert marked_in_obo == {pair for pair in marked_in_owl if pair in qualified}
    assert len(marked_in_obo) == len(marked_in_owl) > 0
    # an asserted is_a (the fixture's edit file puts EXOKG:0000040 under a CL class) has none
    asserted = [pair for pair in qualified if pair[0] == "EXOKG:0000040"]
    assert asserted and all(qualified[pair] == [] for pair in asserted)
    # pronto, which cannot write qualifiers, still reads the file and the hierarchy
    import pronto

    term = pronto.Ontology(str(released / "exokg.release.obo"))["EXOKG:0000022"]
    assert "EXOKG:0000020" in {t.id for t in term.superclasses(distance=1)}


def _curie(node: object) -> str:
    from exokg.core.prefixes import PREFIXES

    text = str(node)
    prefix, base = max(
        ((p, b) for p, b in PREFIXES.items() if text.startswith(b)), key=lambda pb: len(pb[1])
    )
    return f"{prefix}:{text[len(base) :]}"


def test_obographs_json_holds_the_same_terms(released: Path) -> None:
    import json

    import pronto

    data = json.loads((released / "exokg.obographs.json").read_text())
    (graph,) = data["graphs"]
    assert graph["id"] == str(ONTOLOGY_IRI)
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes[str(EXOKG["0000022"])]["lbl"] == "4T1-derived exosome"
    edge = {"sub": str(EXOKG["0000022"]), "pred": "is_a", "obj": str(EXOKG["0000020"])}
    assert any(all(e.get(k) == v for k, v in edge.items()) for e in graph["edges"])
    obo = pronto.Ontology(str(released / "exokg.release.obo"))
    assert len([n for n in graph["nodes"] if n["type"] == "CLASS"]) == len(obo.terms())
    # the inferred is_a edge says so, as the obographs converter writes it
    inferred = next(e for e in graph["edges"] if all(e.get(k) == v for k, v in edge.items()))
    assert inferred["meta"]["basicPropertyValues"] == [
        {"pred": str(NS["oboInOwl"]["is_inferred"]), "val": "true"}
    ]


def test_two_releases_of_the_same_sources_and_date_are_byte_identical(tmp_path: Path) -> None:
    """Each release in its own process, with a different string-hash seed: set and dict orders,
    blank-node labels and serialiser orders must not leak into the bytes."""
    script = (
        "import datetime, sys; from pathlib import Path; import exokg.release.assemble as r; "
        f"F = Path({str(FIXTURES)!r}); "
        "r.release(Path(sys.argv[1]), date=datetime.date(2026, 1, 31), kg_file=F / 'kg.nq', "
        "mappings_file=F / 'mappings.sssom.tsv', manifest_file=F / 'released-ids.tsv', "
        "sources=[F / n for n in ('ontology.ttl', 'imports.ttl', 'statements.ttl')])"
    )
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"r{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script, str(out)], env=env,
                              capture_output=True, text=True, timeout=600)  # fmt: skip
        assert done.returncode == 0, done.stderr
        outs.append(
            {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        )
    assert outs[0].keys() == outs[1].keys() and len(outs[0]) == 19  # with the manifest
    differing = [name for name in outs[0] if outs[0][name] != outs[1][name]]
    assert differing == []


def test_base_and_bridge_split_the_edit_file_and_hold_nothing_of_the_imports(
    released: Path,
) -> None:
    """ODK's base: the edit file's axioms about exokg's terms, and those on imported classes that
    name an exokg term; the rest of the edit file (exokg's word on GO, RO …) is the bridge."""
    base = _parse(released / "exokg-base.owl")
    bridge = _parse(released / "exokg-bridge.owl")
    # the fixture's edit file asserts GO:1903561 ⊑ EXOKG:0000001: it names exokg's class: base
    assert (GO["1903561"], RDFS.subClassOf, EXOKG["0000001"]) in base
    assert (GO["1903561"], RDFS.subClassOf, EXOKG["0000001"]) not in bridge
    assert (EXOKG["0000020"], RDFS.subClassOf, GO["0070062"]) in base  # inferred, own subject
    edit = Graph().parse(FIXTURES / "ontology.ttl", format="turtle")
    headers = set(edit.subjects(RDF.type, OWL.Ontology))
    for s, p, o in edit:
        if s not in headers and not isinstance(s, BNode) and not isinstance(o, BNode):
            own = str(s).startswith(EXOKG_BASE) or str(o).startswith(EXOKG_BASE)
            declaration = p == RDF.type and str(o).startswith(str(OWL))
            assert (s, p, o) in (base if own or declaration else bridge), (s, p, o)
    imports = Graph().parse(FIXTURES / "imports.ttl", format="turtle")
    for s, p, o in imports:
        if p in LOGICAL and not isinstance(o, BNode) and (s, p, o) not in edit:
            assert (s, p, o) not in base, f"import axiom {(s, p, o)} leaked into base"
            assert (s, p, o) not in bridge, f"import axiom {(s, p, o)} leaked into bridge"


def test_own_terms_say_where_they_are_defined_and_imported_ones_do_not(released: Path) -> None:
    for name in ("exokg.owl", "exokg-base.owl", "exokg-simple.owl"):
        graph = _parse(released / name)
        assert graph.value(EXOKG["0000022"], RDFS.isDefinedBy) == ONTOLOGY_IRI, name
        assert graph.value(GO["0070062"], RDFS.isDefinedBy) is None, name


def test_base_is_typed_as_an_iao_base_module(released: Path) -> None:
    base = _parse(released / "exokg-base.owl")
    dc_type = URIRef("http://purl.org/dc/elements/1.1/type")
    assert base.value(URIRef(BASE_IRI), dc_type) == NS["IAO"]["8000001"]
    bridge = _parse(released / "exokg-bridge.owl")
    assert bridge.value(URIRef(BRIDGE_IRI), dc_type) == NS["IAO"]["8000004"]  # bridge module


def test_statements_files_hold_the_statements_graph(released: Path) -> None:
    from rdflib.compare import to_isomorphic

    dataset = Dataset()
    dataset.parse(KG, format="nquads")
    expected = dataset.graph(GRAPH_STATEMENTS)
    turtle = _parse(released / "exokg-statements.ttl")
    quads = _parse(released / "exokg-statements.nq")
    triples = Graph().parse(released / "exokg-statements.nt", format="nt")
    assert isinstance(quads, Dataset)
    for graph in (turtle, quads.graph(GRAPH_STATEMENTS), triples):
        header = set(graph.subjects(RDF.type, OWL.Ontology))
        body = Graph()
        for triple in graph:
            if triple[0] not in header:
                body.add(triple)
        assert to_isomorphic(body) == to_isomorphic(expected)
    assert len(quads.graph(GRAPH_ONTOLOGY)) == 0


def test_no_release_file_names_a_local_path(released: Path, tmp_path: Path) -> None:
    forbidden = [str(released.parent), str(Path.home()), str(FIXTURES), "file:/", os.getcwd()]
    for path in released.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for needle in forbidden:
                assert needle not in text, f"{path.name} names {needle}"


def test_catalog_maps_the_import_iris_to_the_release_files(released: Path) -> None:
    entries = read_catalog(released / "catalog-v001.xml")
    assert entries[BASE_IRI] == (released / "exokg-base.owl").resolve()
    assert entries[IMPORT_IRI] == (released / "imports" / "merged_import.owl").resolve()
    assert entries[str(ONTOLOGY_IRI)] == (released / "exokg.owl").resolve()
    assert entries[BRIDGE_IRI] == (released / "exokg-bridge.owl").resolve()
    assert entries[SIMPLE_IRI] == (released / "exokg-simple.owl").resolve()
    assert all(path.is_file() for path in entries.values())


def test_sssom_copy_keeps_the_required_slots_and_adds_the_version(released: Path) -> None:
    from exokg.release.sssom import read_sssom

    header, rows = read_sssom(released / "exokg.sssom.tsv")
    assert header["mapping_set_version"] == "2026-01-31"
    assert header["subject_source_version"] == version_iri(DATE, "exokg.owl")
    assert rows and all(r["mapping_justification"] == "semapv:ManualMappingCuration" for r in rows)


def test_kgx_edges_keep_negative_findings_and_their_evidence(released: Path) -> None:
    with (released / "edges.tsv").open(newline="") as handle:
        edges = {row["id"]: row for row in csv.DictReader(handle, delimiter="\t")}
    with (released / "nodes.tsv").open(newline="") as handle:
        nodes = {row["id"]: row for row in csv.DictReader(handle, delimiter="\t")}
    assert edges["exs:T02"]["negated"] == "True" and edges["exs:T01"]["negated"] == "False"
    assert edges["exs:T01"]["original_predicate"] == "RO:0002304"
    assert edges["exs:T01"]["publications"] == "doi:10.1158/0008-5472.CAN-12-0925"
    assert edges["exs:T01"]["has_evidence"] == "ECO:0000269"
    assert nodes["EXOKG:0000040"]["category"] == "biolink:Cell"
    assert nodes["EXOKG:0000022"]["category"] == "biolink:CellularComponent"
    assert {e["subject"] for e in edges.values()} | {e["object"] for e in edges.values()} <= set(
        nodes
    )


# --- a foreign ontology builds on exokg-base ---------------------------------------------------


def _foreign_with_imports(released: Path) -> Graph:
    """tme.owl plus everything it imports, each import found through the release's catalog."""
    catalog = read_catalog(released / "catalog-v001.xml")
    graph = Graph().parse(FIXTURES / "tme.owl", format="xml")
    for iri in list(graph.objects(None, OWL.imports)):
        graph.parse(catalog[str(iri)], format="xml")
    return graph


def test_foreign_ontology_loads_in_rdflib_through_the_catalog(released: Path) -> None:
    graph = _foreign_with_imports(released)
    assert (URIRef(TME + "0000001"), RDFS.subClassOf, EXOKG["0000040"]) in graph
    assert graph.value(EXOKG["0000040"], RDFS.label) == Literal("4T1 cell")


def test_foreign_ontology_loads_in_owlready2_through_the_catalog(released: Path) -> None:
    import owlready2

    world = owlready2.World()
    for iri, path in read_catalog(released / "catalog-v001.xml").items():
        if iri in (BASE_IRI, IMPORT_IRI):  # resolve the imports from the local files, not the web
            with path.open("rb") as handle:
                world.get_ontology(iri).load(fileobj=handle)
    with (FIXTURES / "tme.owl").open("rb") as handle:
        tme = world.get_ontology("https://example.org/tme/tme.owl").load(fileobj=handle)
    assert {o.base_iri.rstrip("#") for o in tme.imported_ontologies} == {BASE_IRI, IMPORT_IRI}
    cell = world[TME + "0000001"]
    assert world[str(EXOKG["0000040"])] in cell.is_a


@pytest.mark.java
@JAVA
def test_hermit_finds_the_foreign_ontology_consistent_and_classifies_it(released: Path) -> None:
    from exokg.compile.reason import reason

    result = reason(_foreign_with_imports(released), "hermit")
    assert result.consistent and not result.unsatisfiable

    def ancestors(term: str) -> set[str]:
        found, todo = set(), [term]
        while todo:
            for sub, sup in result.edges:
                if sub == todo[-1] and sup not in found:
                    found.add(sup)
                    todo.insert(0, sup)
            todo.pop()
        return found

    expected = {EXOKG["0000022"], EXOKG["0000020"], GO["0070062"], GO["1903561"]}
    assert {str(term) for term in expected} <= ancestors(TME + "0000002")
    assert str(CL["0001064"]) in ancestors(TME + "0000001")


# --- stable identifiers -------------------------------------------------------------------------


def _ontology() -> Graph:
    dataset = Dataset()
    dataset.parse(KG, format="nquads")
    graph = Graph()
    for triple in dataset.graph(GRAPH_ONTOLOGY):
        graph.add(triple)
    return graph


def test_an_unchanged_ontology_keeps_its_released_ids() -> None:
    assert check_released_ids(_ontology(), read_manifest(FIXTURES / "released-ids.tsv")) == []


def test_a_released_id_that_disappears_fails() -> None:
    ontology = _ontology()
    ontology.remove((EXOKG["0000020"], None, None))
    (problem,) = check_released_ids(ontology, read_manifest(FIXTURES / "released-ids.tsv"))
    assert "EXOKG:0000020" in problem and "gone" in problem


def test_a_relabelled_id_fails_unless_obsoleted_with_a_replacement() -> None:
    released = read_manifest(FIXTURES / "released-ids.tsv")
    ontology = _ontology()
    ontology.set((EXOKG["0000020"], RDFS.label, Literal("obsolete tumour-derived exosome")))
    assert len(check_released_ids(ontology, released)) == 1
    ontology.add((EXOKG["0000020"], OWL.deprecated, Literal(True)))
    assert len(check_released_ids(ontology, released)) == 1, "deprecated alone is not enough"
    ontology.add((EXOKG["0000020"], NS["IAO"]["0100001"], EXOKG["0000022"]))
    assert check_released_ids(ontology, released) == []


def test_obsoleting_with_consider_alone_keeps_the_released_id() -> None:
    """OBO allows an obsolete term with no single replacement to point to terms to consider."""
    released = read_manifest(FIXTURES / "released-ids.tsv")
    ontology = _ontology()
    ontology.set((EXOKG["0000020"], RDFS.label, Literal("obsolete tumour-derived exosome")))
    ontology.add((EXOKG["0000020"], OWL.deprecated, Literal(True)))
    ontology.add((EXOKG["0000020"], NS["oboInOwl"]["consider"], EXOKG["0000022"]))
    assert check_released_ids(ontology, released) == []


def test_a_release_refuses_a_broken_id_and_writes_nothing(tmp_path: Path) -> None:
    dataset = Dataset()
    dataset.parse(KG, format="nquads")
    dataset.graph(GRAPH_ONTOLOGY).set((EXOKG["0000001"], RDFS.label, Literal("particle")))
    broken = tmp_path / "kg.nq"
    dataset.serialize(broken, format="nquads")
    with pytest.raises(DataError, match="EXOKG:0000001"):
        _release(tmp_path / "out", kg=broken)
    assert not (tmp_path / "out").exists()


def test_record_new_ids_adds_new_terms_and_keeps_released_labels(tmp_path: Path) -> None:
    manifest = tmp_path / "released-ids.tsv"
    shutil.copy(FIXTURES / "released-ids.tsv", manifest)
    added = record_new_ids(_ontology(), manifest)
    assert "EXOKG:0000022" in added and "EXOKG:0000001" not in added
    assert read_manifest(manifest)["EXOKG:0000022"] == "4T1-derived exosome"


def test_the_committed_manifest_matches_the_ontology() -> None:
    """No ID exokg has released has vanished or changed meaning in the editors' file."""
    from exokg.curation.ontology import load_ontology

    problems = check_released_ids(load_ontology(), read_manifest(resources.RELEASED_IDS_FILE))
    assert problems == [], "; ".join(problems)


# --- mappings -----------------------------------------------------------------------------------


def test_a_mapping_without_justification_stops_the_release(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sssom.tsv"
    text = (FIXTURES / "mappings.sssom.tsv").read_text()
    bad.write_text(text.replace("semapv:ManualMappingCuration", "", 1))
    with pytest.raises(DataError, match="mapping_justification"):
        release(tmp_path / "out", date=DATE, kg_file=KG, mappings_file=bad,
                manifest_file=FIXTURES / "released-ids.tsv", sources=SOURCES)  # fmt: skip
    assert not (tmp_path / "out").exists()


def test_the_committed_mappings_are_valid_sssom() -> None:
    from exokg.curation.ids import obsolete_terms, own_labels
    from exokg.curation.ontology import load_ontology
    from exokg.release.sssom import check_mappings, read_sssom

    ontology = load_ontology()
    mappings = read_sssom(resources.MAPPINGS_FILE)
    check_mappings(
        mappings, own_labels(ontology), obsolete_terms(ontology), resources.MAPPINGS_FILE
    )


# --- a release ships only a fresh, clean graph ----------------------------------------------------


def test_a_release_refuses_a_graph_older_than_its_sources(tmp_path: Path) -> None:
    sources = []
    for path in SOURCES:
        shutil.copy(path, tmp_path / path.name)
        sources.append(tmp_path / path.name)
    _release(tmp_path / "ok", sources=sources)  # same bytes: the digest matches
    with (tmp_path / "ontology.ttl").open("a") as handle:
        handle.write("\n# an edit after the last build\n")
    with pytest.raises(DataError, match="stale: the ontology or curation files changed"):
        _release(tmp_path / "out", sources=sources)
    assert not (tmp_path / "out").exists()


def test_a_release_refuses_a_graph_without_a_sources_digest(tmp_path: Path) -> None:
    old = tmp_path / "kg.nq"
    old.write_text("".join(line for line in KG.read_text().splitlines(keepends=True)
                           if "/graph/build>" not in line))  # fmt: skip
    with pytest.raises(DataError, match="records no digest"):
        _release(tmp_path / "out", kg=old)
    assert not (tmp_path / "out").exists()


def test_a_quality_error_blocks_the_release(tmp_path: Path) -> None:
    from exokg.compile.build import record_sources_digest

    dataset = Dataset()
    dataset.parse(KG, format="nquads")
    ontology = dataset.graph(GRAPH_ONTOLOGY)
    ontology.remove((EXOKG["0000004"], RDFS.subClassOf, None))  # now an orphan: an ERROR
    record_sources_digest(dataset, SOURCES)
    broken = tmp_path / "kg.nq"
    dataset.serialize(broken, format="nquads")
    with pytest.raises(DataError, match=r"quality error.*orphan-class.*EXOKG:0000004"):
        _release(tmp_path / "out", kg=broken)
    assert not (tmp_path / "out").exists()


def test_cli_refuses_a_stale_graph_in_one_line(exokg: ExokgRunner, tmp_path: Path) -> None:
    # the fixture graph was not compiled from the shipped sources
    result = exokg("release", "--out", tmp_path / "r", "--kg", KG)
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and "stale" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "r").exists()


# --- atomic writing -----------------------------------------------------------------------------


def test_a_release_replaces_an_earlier_release_in_place(tmp_path: Path) -> None:
    out = tmp_path / "release"
    _release(out)
    (out / "stale.txt").write_text("from an older release")  # listed in that release's manifest:
    manifest = json.loads((out / "exokg-release.json").read_text())
    manifest["files"]["stale.txt"] = hashlib.sha256(b"from an older release").hexdigest()
    (out / "exokg-release.json").write_text(json.dumps(manifest))
    _release(out)
    assert not (out / "stale.txt").exists() and (out / "exokg.owl").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["release"], "no temporary directory left"


def test_a_release_refuses_to_replace_a_directory_that_is_not_a_release(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(DataError):
        _release(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_release_killed_midway_leaves_the_old_release_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "release"
    _release(out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # a real process, SIGKILLed by the operating system after it has written its third file
    script = f"""
import datetime, os, signal
from pathlib import Path
import exokg.release.assemble as r
written = []
real = Path.write_bytes
def write_then_die(self, data):
    written.append(self)
    if len(written) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(self, data)
Path.write_bytes = write_then_die
F = Path({str(FIXTURES)!r})
r.release(Path({str(out)!r}), date=datetime.date(2026, 2, 28), kg_file=F / "kg.nq",
          mappings_file=F / "mappings.sssom.tsv", manifest_file=F / "released-ids.tsv",
          sources=[F / n for n in ("ontology.ttl", "imports.ttl", "statements.ttl")])
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300)
    assert result.returncode == -9, result.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_cli_release_and_its_errors(exokg: ExokgRunner, tmp_path: Path) -> None:
    result = exokg("release", "--out", tmp_path / "r", "--kg", tmp_path / "missing.nq")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("x")
    result = exokg("release", "--out", tmp_path / "busy", "--kg", KG)
    assert result.returncode == 1 and "files exokg did not write" in result.stderr


# --- the real graph -----------------------------------------------------------------------------


@pytest.mark.skipif(not resources.KG_FILE.is_file(), reason="run `exokg build` first")
def test_the_built_graph_releases(exokg: ExokgRunner, tmp_path: Path) -> None:
    result = exokg("release", "--out", tmp_path / "release", "--date", "2026-01-31")
    assert result.returncode == 0, result.stderr
    base = _parse(tmp_path / "release" / "exokg-base.owl")
    assert (EXOKG["0000022"], RDFS.label, Literal("4T1-derived exosome")) in base
