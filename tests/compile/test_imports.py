"""The committed import modules, as scripts/make_imports.py generated them (MIREOT, ODK style).

Every imported class carries its upstream definition, with the definition's xrefs where the source
gives them, unless ``no-definition.tsv`` lists it with the reason; CL classes keep their upstream path
to 'cell' instead of hanging directly under it; gene, protein and MONDO classes have a named parent.
"""

from __future__ import annotations

import csv

import pytest
from rdflib import DCTERMS, OWL, RDF, RDFS, Graph, URIRef

from exokg.core import resources
from exokg.core.prefixes import PREFIXES

DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
HAS_DBXREF = URIRef(PREFIXES["oboInOwl"] + "hasDbXref")
HAS_SYNONYM_TYPE = URIRef(PREFIXES["oboInOwl"] + "hasSynonymType")
MODULE = "https://w3id.org/exokg/imports/"
CL, GO = PREFIXES["CL"], PREFIXES["GO"]
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
    # Gene and protein records, NCBITaxon, two CL and two MONDO classes their releases leave
    # undefined (78), and two GO classes defined in GO whose text no file at hand holds.
    statuses = [status for status, _ in allowed.values()]
    assert (statuses.count("none upstream"), statuses.count("not obtained")) == (78, 2)
    assert sorted(c for c, (status, _) in allowed.items() if status == "not obtained") == [
        "GO:0140113",
        "GO:1990182",
    ]


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

    assert parents("0000084") == {"lymphocyte"}  # T cell
    assert parents("0000235") == {  # macrophage
        "mononuclear phagocyte",
        "myeloid leukocyte",
        "professional antigen presenting cell",
    }
    # dendritic cell under professional antigen-presenting cell (CL:0000145), as CL's release has it
    assert parents("0000451") == {"mononuclear phagocyte", "professional antigen presenting cell"}
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
    assert {"T cell", "macrophage", "epithelial cell", "dendritic cell"}.isdisjoint(
        directly_under_cell
    )


def test_module_headers_name_the_upstream_release(modules: dict[str, Graph]) -> None:
    expected = {
        "cl_import.ttl": "http://purl.obolibrary.org/obo/cl/releases/2026-03-26/cl.owl",
        "mondo_import.ttl": "http://purl.obolibrary.org/obo/mondo/releases/2026-05-05/mondo.owl",
        "go_import.ttl": "http://purl.obolibrary.org/obo/go/releases/2022-07-01/go-basic.obo",
    }
    for name, release in expected.items():
        module = URIRef(f"https://w3id.org/exokg/imports/{name.replace('.ttl', '.owl')}")
        sources = {str(s) for s in modules[name].objects(module, DCTERMS.source)}
        assert release in sources, name
    cl = modules["cl_import.ttl"]
    versions = {str(v) for v in cl.objects(URIRef(MODULE + "cl_import.owl"), OWL.versionInfo)}
    # and RO's release, which holds the UBERON classes on the path from 'cell' to BFO
    assert versions == {
        "CL v2026-03-26 (cellxgene-ontology-guide 1.11.1)",
        "RO releases/2025-12-17",
    }


def _definition_xrefs(graph: Graph, node: URIRef) -> set[str]:
    return {
        str(xref)
        for axiom in graph.subjects(OWL.annotatedSource, node)
        if graph.value(axiom, OWL.annotatedProperty) == DEFINITION
        and graph.value(axiom, OWL.annotatedTarget) == graph.value(node, DEFINITION)
        for xref in graph.objects(axiom, HAS_DBXREF)
    }


def test_upstream_definitions_keep_their_xrefs(modules: dict[str, Graph]) -> None:
    go, eco, ro = modules["go_import.ttl"], modules["eco_import.ttl"], modules["ro_import.ttl"]
    assert _definition_xrefs(go, URIRef(GO + "1903561")) == {
        "GO_REF:0000064",
        "GOC:TermGenie",
        "GOC:pm",
        "PMID:24769233",
    }
    assert _definition_xrefs(go, URIRef(GO + "0097734")) >= {"PMID:19442504", "PMID:25392495"}
    assert _definition_xrefs(eco, URIRef(PREFIXES["ECO"] + "0000006"))
    with_xrefs = {
        name: sum(1 for n in _imported_classes(g) if _definition_xrefs(g, n))
        for name, g in modules.items()
    }
    # every GO 2020, ECO and RO definition that names its sources; CL, MONDO and GO 2022 carry none
    assert with_xrefs["go_import.ttl"] >= 30 and with_xrefs["eco_import.ttl"] >= 60
    assert sum(with_xrefs.values()) >= 100
    assert _definition_xrefs(ro, URIRef(PREFIXES["BFO"] + "0000015")) == set()  # none upstream


def test_upstream_definitions_replace_the_shortened_ones(modules: dict[str, Graph]) -> None:
    go = modules["go_import.ttl"]

    def definition(local: str) -> str:
        return str(go.value(URIRef(GO + local), DEFINITION))

    assert definition("0070062").endswith("have a diameter of about 40-100 nm.")
    assert definition("0005771").endswith("are sequestered from the cytoplasm.")
    assert "a transporter or a transporter complex, a pore or a motor protein" in definition(
        "0006810"
    )
    # GO:0140113: GO's text was not at hand; exokg's paraphrase is a comment, not a definition
    microvesicle_biogenesis = URIRef(GO + "0140113")
    assert go.value(microvesicle_biogenesis, DEFINITION) is None
    assert "paraphrased" in str(go.value(microvesicle_biogenesis, RDFS.comment))
    everything = Graph()
    for graph in modules.values():
        everything += graph
    everything.parse(resources.IMPORTS_DIR.parent / "exokg-edit.ttl", format="turtle")
    twice = [
        s
        for s in set(everything.subjects(DEFINITION, None))
        if len(set(everything.objects(s, DEFINITION))) > 1
    ]
    assert twice == []


def test_genes_proteins_and_diseases_have_a_named_parent(modules: dict[str, Graph]) -> None:
    genes, mondo = modules["genes_import.ttl"], modules["mondo_import.ttl"]
    gene, protein = URIRef(PREFIXES["EXOKG"] + "0000480"), URIRef(PREFIXES["EXOKG"] + "0000481")
    records = _imported_classes(genes)
    assert len(records) == 33
    for node in records:
        named = {p for p in genes.objects(node, RDFS.subClassOf) if isinstance(p, URIRef)}
        assert named == ({protein} if str(node).startswith(PREFIXES["uniprot"]) else {gene})
        taxa = {
            genes.value(r, OWL.someValuesFrom)
            for r in genes.objects(node, RDFS.subClassOf)
            if genes.value(r, OWL.onProperty) == URIRef(PREFIXES["RO"] + "0002162")
        }
        assert len(taxa) == 1, _curie(node)
    disease = URIRef(PREFIXES["MONDO"] + "0000001")
    for local in ("0004989", "0005105", "0006256", "0007254", "0021100"):
        node = URIRef(PREFIXES["MONDO"] + local)
        assert disease in _ancestors(mondo, node) and mondo.value(node, DEFINITION) is not None
    melanoma_parents = {
        str(mondo.value(p, RDFS.label))
        for p in mondo.objects(URIRef(PREFIXES["MONDO"] + "0005105"), RDFS.subClassOf)
    }
    assert melanoma_parents == {"melanocytic neoplasm"}


def test_synonym_types_come_from_omo(modules: dict[str, Graph]) -> None:
    go = modules["go_import.ttl"]
    abbreviation = URIRef(PREFIXES["OMO"] + "0003000")
    typed = {
        (_curie(go.value(a, OWL.annotatedSource)), str(go.value(a, OWL.annotatedTarget)))
        for a in go.subjects(HAS_SYNONYM_TYPE, abbreviation)
    }
    assert {("GO:0005771", "MVB"), ("GO:0097487", "ILV")} <= typed
    iao = modules["iao_import.ttl"]
    assert str(iao.value(abbreviation, RDFS.label)) == "abbreviation"


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
