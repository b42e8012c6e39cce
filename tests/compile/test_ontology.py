"""The exokg ontology as shipped: fixed identifiers, MISEV2023 frame, sourced definitions, imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from exokg.core import resources
from exokg.core.errors import DataError
from exokg.core.vocab import EXOKG, NS, ONTOLOGY_IRI
from exokg.curation.ontology import import_files, load_ontology

GO, IAO, OIO = NS["GO"], NS["IAO"], NS["oboInOwl"]

# The core identifiers that docs/design.md fixes for everyone.
CORE = {
    "0000001": "extracellular particle",
    "0000002": "non-vesicular extracellular particle",
    "0000003": "extracellular vesicle mimetic",
    "0000004": "small extracellular vesicle",
    "0000005": "large extracellular vesicle",
    "0000006": "exomere",
    "0000010": "Rab27a-dependent exosome",
    "0000011": "Rab27a-independent co-isolated small vesicle",
    "0000012": "small exosome subpopulation (Exo-S)",
    "0000013": "large exosome subpopulation (Exo-L)",
    "0000014": "tetraspanin-enriched small extracellular vesicle",
    "0000020": "tumour-derived exosome",
    "0000021": "melanoma-derived exosome",
    "0000022": "4T1-derived exosome",
    "0000023": "TS/A-derived exosome",
    "0000024": "dendritic-cell-derived exosome",
    "0000025": "B-cell-derived exosome",
    "0000026": "tumour-derived microvesicle",
    "0000040": "4T1 cell",
    "0000041": "TS/A cell",
    "0000042": "B16-F10 cell",
    "0000043": "HeLa cell",
    "0000044": "melanoma cell",
    "0000200": "tumour progression",
    "0000201": "metastasis",
    "0000202": "primary tumour growth",
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_ontology()


@pytest.mark.parametrize("number,label", sorted(CORE.items()))
def test_core_identifier_has_its_label(graph: Graph, number: str, label: str) -> None:
    assert list(graph.objects(EXOKG[number], RDFS.label)) == [Literal(label)]


def own_classes(graph: Graph) -> list[URIRef]:
    return sorted(
        c
        for c in graph.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and c.startswith(str(EXOKG))
    )


def test_every_own_class_has_one_sourced_definition_with_verification(graph: Graph) -> None:
    exo_verification = URIRef("https://w3id.org/exokg/schema#verification")
    problems = []
    for cls in own_classes(graph):
        definitions = list(graph.objects(cls, IAO["0000115"]))
        axioms = [
            a
            for a in graph.subjects(OWL.annotatedSource, cls)
            if (a, OWL.annotatedProperty, IAO["0000115"]) in graph
        ]
        sourced = [a for a in axioms if (a, OIO.hasDbXref, None) in graph]
        verified = [a for a in axioms if (a, exo_verification, None) in graph]
        if len(definitions) != 1 or not sourced or not verified:
            problems.append(str(cls))
    assert problems == []


def test_misev_frame(graph: Graph) -> None:
    assert (GO["1903561"], RDFS.subClassOf, EXOKG["0000001"]) in graph
    assert (EXOKG["0000002"], RDFS.subClassOf, EXOKG["0000001"]) in graph
    assert (EXOKG["0000006"], RDFS.subClassOf, EXOKG["0000002"]) in graph  # exomere is no EV
    assert (GO["1903561"], OWL.disjointWith, EXOKG["0000002"]) in graph
    assert (GO["0070062"], OWL.disjointWith, GO["0097189"]) in graph


def test_ectosome_maps_to_go_microvesicle_not_to_a_class_of_its_own(graph: Graph) -> None:
    assert Literal("ectosome") in set(graph.objects(GO["1990742"], OIO.hasExactSynonym))
    assert not list(graph.subjects(RDFS.label, Literal("ectosome")))


def test_exosome_origin_axioms(graph: Graph) -> None:
    """Exosome derives from an intraluminal vesicle, which is part of a multivesicular body."""
    ro, bfo = NS["RO"], NS["BFO"]

    def fillers(cls: URIRef, prop: URIRef) -> set[object]:
        return {
            graph.value(r, OWL.someValuesFrom)
            for r in graph.objects(cls, RDFS.subClassOf)
            if (r, OWL.onProperty, prop) in graph
        }

    assert GO["0097487"] in fillers(GO["0070062"], ro["0001000"])
    assert GO["0005771"] in fillers(GO["0097487"], bfo["0000050"])


def test_never_go_0000178(graph: Graph) -> None:
    rnase_exosome = GO["0000178"]
    assert not list(graph.triples((rnase_exosome, None, None)))
    assert not list(graph.triples((None, None, rnase_exosome)))


def test_header(graph: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert graph.value(ONTOLOGY_IRI, DCTERMS.title) and graph.value(ONTOLOGY_IRI, OWL.versionInfo)


def test_each_import_module_records_its_release() -> None:
    files = import_files()
    assert {f.name for f in files} >= {
        f"{m}_import.ttl" for m in ("go", "ro", "eco", "iao", "cl", "ncbitaxon", "mondo", "genes")
    }
    for path in files:
        module = Graph().parse(path)
        ontology = next(module.subjects(RDF.type, OWL.Ontology))
        assert list(module.objects(ontology, DCTERMS.source)), path.name


def test_imported_terms_reach_a_root_and_are_labelled(graph: Graph) -> None:
    """MIREOT: 4T1-derived exosome's genus climbs to GO's cellular_component root."""
    ancestors = set(graph.transitive_objects(GO["0070062"], RDFS.subClassOf))
    assert GO["0005575"] in ancestors
    for term in ancestors:
        if isinstance(term, URIRef):
            assert graph.value(term, RDFS.label) is not None, term


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not found"):
        load_ontology(tmp_path / "nope.ttl")


def test_bad_turtle_is_a_data_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "exokg-edit.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_ontology(bad)
    assert caught.value.where == str(bad)


def test_edit_file_is_the_one_resources_names() -> None:
    assert resources.EDIT_FILE.name == "exokg-edit.ttl" and resources.EDIT_FILE.is_file()


def test_every_seed_is_in_the_generated_modules(graph: Graph) -> None:
    """Catches a seed table edited without rerunning scripts/make_imports.py."""
    from exokg.core.prefixes import PREFIXES

    bases = {**PREFIXES, "dc": "http://purl.org/dc/elements/1.1/"}
    missing = []
    for table in ("seeds.tsv", "terms.tsv"):
        for line in (resources.IMPORTS_DIR / table).read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or line.startswith("module\t") or not line.strip():
                continue
            prefix, _, local = line.split("\t")[1].partition(":")
            if graph.value(URIRef(bases[prefix] + local), RDFS.label) is None:
                missing.append(line.split("\t")[1])
    assert missing == [], "rerun: python scripts/make_imports.py <reference ontologies folder>"
