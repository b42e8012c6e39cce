"""The committed import modules, as scripts/make_imports.py generated them (MIREOT, ODK style).

Every imported class carries its upstream definition unless ``no-definition.tsv`` lists it with the
reason, and CL classes keep their upstream path to 'cell' instead of hanging directly under it.
"""

from __future__ import annotations

import csv

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from exokg.core import resources
from exokg.core.prefixes import PREFIXES

DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
CL = PREFIXES["CL"]
CELL = URIRef(f"{CL}0000000")
ALLOW_LIST = resources.IMPORTS_DIR / "no-definition.tsv"


def _curie(node: URIRef) -> str:
    prefix, base = max(
        ((p, b) for p, b in PREFIXES.items() if str(node).startswith(b)), key=lambda pb: len(pb[1])
    )
    return f"{prefix}:{str(node)[len(base) :]}"


@pytest.fixture(scope="module")
def modules() -> dict[str, Graph]:
    paths = sorted(resources.IMPORTS_DIR.glob("*_import.ttl"))
    return {path.name: Graph().parse(path, format="turtle") for path in paths}


def _allow_list() -> dict[str, tuple[str, str]]:
    lines = [
        line
        for line in ALLOW_LIST.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    return {
        row["curie"]: (row["status"], row["reason"])
        for row in csv.DictReader(lines, delimiter="\t")
    }


def _imported_classes(graph: Graph) -> set[URIRef]:
    """Classes the module imports (with a label), not those it only declares for self-containment."""
    return {
        node
        for node in graph.subjects(RDF.type, OWL.Class)
        if isinstance(node, URIRef) and graph.value(node, RDFS.label) is not None
    }


def test_every_imported_class_without_a_definition_is_listed_with_a_reason(
    modules: dict[str, Graph],
) -> None:
    allowed = _allow_list()
    undefined = {
        _curie(node)
        for graph in modules.values()
        for node in _imported_classes(graph)
        if graph.value(node, DEFINITION) is None
    }
    assert sorted(undefined - set(allowed)) == [], (
        "rerun make_imports.py or list them with a reason"
    )
    assert sorted(set(allowed) - undefined) == [], "these have a definition now: drop them"
    assert all(
        status in {"none upstream", "not obtained"} and reason
        for status, reason in allowed.values()
    )
    # Only gene/protein records, NCBITaxon, two CL classes CL leaves undefined, and the GO and MONDO
    # classes whose source file could not be had: 76 without a definition upstream, 11 not obtained.
    statuses = [status for status, _ in allowed.values()]
    assert (statuses.count("none upstream"), statuses.count("not obtained")) == (76, 11)


def test_imported_definitions_are_the_upstream_text(modules: dict[str, Graph]) -> None:
    cl = modules["cl_import.ttl"]
    assert str(cl.value(URIRef(f"{CL}0000084"), DEFINITION)) == (
        "A type of lymphocyte whose defining characteristic is the expression of a T cell receptor "
        "complex."
    )
    go = modules["go_import.ttl"]
    assert str(go.value(URIRef(PREFIXES["GO"] + "0005615"), DEFINITION)).startswith(
        "That part of a multicellular organism outside the cells proper"
    )


def _ancestors(graph: Graph, node: URIRef) -> list[URIRef]:
    return [a for a in graph.transitive_objects(node, RDFS.subClassOf) if isinstance(a, URIRef)]


def test_cl_classes_keep_their_path_to_cell(modules: dict[str, Graph]) -> None:
    cl = modules["cl_import.ttl"]
    labels = {_curie(n): str(cl.value(n, RDFS.label)) for n in _imported_classes(cl)}

    def parents(local: str) -> set[str]:
        return {labels[_curie(p)] for p in cl.objects(URIRef(f"{CL}{local}"), RDFS.subClassOf)}

    assert parents("0000084") == {"lymphocyte"}  # T cell, the genus of its logical definition
    assert parents("0000235") == {"mononuclear phagocyte", "myeloid leukocyte"}  # macrophage
    assert parents("0000624") == {"mature alpha-beta T cell"}
    t_cell_path = {labels.get(_curie(a)) for a in _ancestors(cl, URIRef(f"{CL}0000624"))}
    assert {
        "alpha-beta T cell",
        "T cell",
        "lymphocyte",
        "leukocyte",
        "hematopoietic cell",
    } <= t_cell_path
    # every CL class reaches 'cell', and only 'cell' and the top-level CL groupings sit right under it
    for node in _imported_classes(cl):
        if str(node).startswith(CL):
            assert CELL in _ancestors(cl, node), labels[_curie(node)]
    directly_under_cell = {labels[_curie(s)] for s in cl.subjects(RDFS.subClassOf, CELL)}
    assert "T cell" not in directly_under_cell and "macrophage" not in directly_under_cell


def test_module_headers_name_the_upstream_file_and_version(modules: dict[str, Graph]) -> None:
    cl = modules["cl_import.ttl"]
    module = URIRef("https://w3id.org/exokg/imports/cl_import.owl")
    sources = {str(s) for s in cl.objects(module, URIRef("http://purl.org/dc/terms/source"))}
    assert (
        "https://github.com/obophenotype/cell-ontology/blob/"
        "fd61b954f3eba08f5780f2c86eba72913d35b5d4/src/ontology/cl-edit.owl"
    ) in sources
    versions = {str(v) for v in cl.objects(module, OWL.versionInfo)}
    assert any("fd61b954f3eba08f5780f2c86eba72913d35b5d4 (2026-08-19)" in v for v in versions)


def test_taxa_keep_their_whole_lineage(modules: dict[str, Graph]) -> None:
    taxa = modules["ncbitaxon_import.ttl"]
    base = PREFIXES["NCBITaxon"]

    def lineage(local: str) -> set[str]:
        return {_curie(a) for a in _ancestors(taxa, URIRef(f"{base}{local}"))}

    # human: Homo, Hominidae, Primates … Mammalia … cellular organisms, root (32 taxa with itself)
    assert {"NCBITaxon:9605", "NCBITaxon:9443", "NCBITaxon:40674", "NCBITaxon:1"} <= lineage("9606")
    assert len(lineage("9606")) == 32 and len(lineage("10090")) == 32
    # mouse and human meet at Euarchontoglires, not at Mammalia as the shortened path had it
    common = lineage("9606") & lineage("10090")
    assert "NCBITaxon:314146" in common and "NCBITaxon:9443" not in common
    assert str(taxa.value(URIRef(f"{base}9606"), RDFS.label)) == "Homo sapiens"
    module = URIRef("https://w3id.org/exokg/imports/ncbitaxon_import.owl")
    assert URIRef(
        "http://purl.obolibrary.org/obo/go/releases/2026-07-15/imports/ncbitaxon_import.owl"
    ) in set(taxa.objects(module, URIRef("http://purl.org/dc/terms/source")))
