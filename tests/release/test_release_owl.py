"""The real release as OWL tools see it: OWL 2 DL by the OWL API's profile checker, and a base that
keeps exokg's own axioms on imported terms, so a foreign ontology importing base + import modules
reasons as one importing the full file.

The profile checker is Debian's OWL API 5.1 (package ``libowlapi-java``, installed by .ci/run), driven
by tests/java/ProfileCheck.java with Java's single-file source launcher.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from exokg.core import resources
from exokg.core.vocab import EXOKG, NS, ONTOLOGY_IRI
from exokg.release.assemble import BASE_IRI, BRIDGE_IRI, IMPORT_IRI, read_catalog, release
from tests import TESTS

CHECKER = TESTS / "java" / "ProfileCheck.java"
OWLAPI = Path("/usr/share/java/owlapi-distribution.jar")
CLASSPATH = "/usr/share/java/*"
DATE = dt.date(2026, 1, 31)
GO = NS["GO"]
FOREIGN = "https://example.org/foreign/"

pytestmark = [
    pytest.mark.java,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="needs Java"),
    pytest.mark.skipif(not OWLAPI.is_file(), reason="needs Debian's libowlapi-java"),
]


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("owl") / "release"
    release(out, date=DATE)
    return out


def _profile(*args: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["java", "-cp", CLASSPATH, str(CHECKER), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_each_release_ontology_file_is_owl2_dl_on_its_own(released: Path) -> None:
    # exokg.jsonld too: the OWL API refuses JSON-LD with an @context, so it is released expanded
    names = ("exokg-base.owl", "exokg-bridge.owl", "imports/merged_import.owl", "exokg.owl",
             "exokg-simple.owl", "exokg.jsonld")  # fmt: skip
    files = [released / name for name in names if (released / name).is_file()]
    result = _profile("--each", *files)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    for file in files:
        assert f"{file}: 0 violations" in result.stdout
    assert f"{released / 'exokg.jsonld'}: ontology IRI {ONTOLOGY_IRI} version IRI" in result.stdout


def test_the_owl_api_obo_parser_reads_the_obo_release_with_its_iris_and_as_owl2_dl(
    released: Path,
) -> None:
    """What ROBOT does with exokg.release.obo: the OWL API's OBO parser turns the header into the
    ontology and version IRIs of the OBO convention, and the result is OWL 2 DL."""
    obo = released / "exokg.release.obo"
    result = _profile("--each", obo)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert f"{obo}: 0 violations" in result.stdout
    assert (
        f"{obo}: ontology IRI http://purl.obolibrary.org/obo/exokg.owl version IRI "
        "http://purl.obolibrary.org/obo/exokg/releases/2026-01-31/exokg.owl"
    ) in result.stdout


def test_import_modules_are_self_contained_and_dl_with_the_edit_file() -> None:
    modules = sorted(resources.IMPORTS_DIR.glob("*_import.ttl"))
    assert len(modules) >= 8
    alone = _profile("--each", *modules)
    assert alone.returncode == 0, alone.stdout[-3000:] + alone.stderr[-2000:]
    together = _profile(resources.EDIT_FILE, *modules)
    assert together.returncode == 0, together.stdout[-3000:] + together.stderr[-2000:]
    assert f"{resources.EDIT_FILE}: 0 violations" in together.stdout


def test_the_checker_does_report_a_violation(tmp_path: Path) -> None:
    """The check can fail: a file using an undeclared annotation property is not OWL 2 DL."""
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://example.org/o> a owl:Ontology .\n"
        '<https://example.org/C> a owl:Class ; <https://example.org/note> "x" .\n'
    )
    result = _profile("--each", bad)
    assert result.returncode == 1 and "1 violations" in result.stdout


# --- a foreign ontology on base + import modules -----------------------------------------------


def _foreign(released: Path, imports: list[str]) -> Graph:
    """A foreign ontology with two classes that exokg's own axioms on GO classes make unsatisfiable:
    a vesicle both exosome and microvesicle (disjoint in exokg-edit.ttl), and an extracellular vesicle
    that is also a non-vesicular extracellular particle (disjoint in exokg-edit.ttl)."""
    catalog = read_catalog(released / "catalog-v001.xml")
    graph = Graph()
    ontology = URIRef(FOREIGN + "foreign.owl")
    graph.add((ontology, RDF.type, OWL.Ontology))
    for iri in imports:
        graph.add((ontology, OWL.imports, URIRef(iri)))
        graph.parse(catalog[iri], format="xml")
    for local, parents in (
        ("hybrid", (GO["0070062"], GO["1990742"])),
        ("vesicular_non_vesicle", (GO["1903561"], EXOKG["0000002"])),
        ("fine", (GO["0070062"],)),
    ):
        term = URIRef(FOREIGN + local)
        graph.add((term, RDF.type, OWL.Class))
        for parent in parents:
            graph.add((term, RDFS.subClassOf, parent))
    return graph


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        ([BASE_IRI, IMPORT_IRI, BRIDGE_IRI], {"hybrid", "vesicular_non_vesicle"}),
        ([str(ONTOLOGY_IRI)], {"hybrid", "vesicular_non_vesicle"}),
        # without the bridge, GO's exosome and microvesicle are not disjoint: GO does not say so
        ([BASE_IRI, IMPORT_IRI], {"vesicular_non_vesicle"}),
    ],
    ids=["base+imports+bridge", "full", "base+imports"],
)
def test_hermit_finds_the_unsatisfiable_classes_through_base_bridge_or_full(
    released: Path, imports: list[str], expected: set[str]
) -> None:
    from exokg.compile.reason import reason

    result = reason(_foreign(released, imports), "hermit")
    assert result.consistent
    unsatisfiable = {str(term) for term in result.unsatisfiable}
    assert unsatisfiable == {FOREIGN + name for name in expected}


def _axiom_triples(path: Path) -> set[tuple[object, object, object]]:
    """The file's triples without its header and declarations, blank nodes as one placeholder."""
    from exokg.release.names import ENTITY_TYPES

    graph = Graph().parse(path, format="xml")
    headers = set(graph.subjects(RDF.type, OWL.Ontology))
    declarations = {OWL[kind] for kind in ENTITY_TYPES}
    return {
        tuple("_" if isinstance(x, BNode) else x for x in (s, p, o))
        for s, p, o in graph
        if s not in headers and not (p == RDF.type and o in declarations)
    }


def test_full_is_base_imports_and_bridge(released: Path) -> None:
    base, bridge, imports, full = (
        _axiom_triples(released / name)
        for name in ("exokg-base.owl", "exokg-bridge.owl", "imports/merged_import.owl", "exokg.owl")
    )
    assert base | bridge | imports <= full
    inferred = OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget, RDF.type
    extra = {t for t in full - (base | bridge | imports)
             if not (t[1] == RDFS.subClassOf or (t[0] == "_" and t[1] in inferred))}  # fmt: skip
    # only the reasoner's subclass axioms on imported classes (and their is_inferred marks) are extra
    assert extra <= {("_", URIRef(NS["oboInOwl"] + "is_inferred"), Literal("true"))}, extra


def test_base_says_nothing_about_go_that_does_not_name_exokg(released: Path) -> None:
    """Importing the base beside GO adds exokg's classes, and changes GO only through them."""
    base = Graph().parse(released / "exokg-base.owl", format="xml")
    bridge = Graph().parse(released / "exokg-bridge.owl", format="xml")
    declarations = {OWL.Class, OWL.ObjectProperty, OWL.AnnotationProperty}
    about_go = [
        (s, p, o)
        for s, p, o in base
        if str(s).startswith(GO)
        and not (p == RDF.type and o in declarations)
        and not (isinstance(o, URIRef) and str(o).startswith(str(EXOKG)))
    ]
    assert about_go == []
    assert (GO["0070062"], OWL.disjointWith, GO["1990742"]) in bridge
    assert (GO["0070062"], OWL.disjointWith, GO["1990742"]) not in base
    effect = URIRef("https://w3id.org/exokg/schema#effectDirection")
    assert (NS["RO"]["0002213"], effect, None) in bridge
    # exokg's own relations keep theirs in the base; RO's are the bridge's
    assert {str(s)[: len(str(EXOKG))] for s in base.subjects(effect)} == {str(EXOKG)}


def test_base_declares_every_entity_it_uses(released: Path) -> None:
    base = Graph().parse(released / "exokg-base.owl", format="xml")
    declared = {s for s, o in base.subject_objects(RDF.type) if str(o).startswith(str(OWL))}
    builtin = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")
    used = {p for p in base.predicates() if not str(p).startswith(builtin)}
    assert used <= declared, used - declared
    assert not any(
        isinstance(s, BNode) and (s, RDF.type, OWL.Ontology) in base for s in base.subjects()
    )


# Upstream roots: BFO's two top classes (RO's release carries no 'entity'), ECO's two, GO's two
# namespaces used, MONDO's 'disease' and NCBITaxon's 'root'.
ROOTS = {
    "BFO_0000002",
    "BFO_0000003",
    "ECO_0000000",
    "ECO_0000217",
    "GO_0005575",
    "GO_0008150",
    "MONDO_0000001",
    "NCBITaxon_1",
}
DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
HAS_DBXREF = URIRef(NS["oboInOwl"] + "hasDbXref")


def test_every_class_but_the_upstream_roots_has_a_named_parent(released: Path) -> None:
    """Genes, proteins and MONDO classes included: 45 had none before the imports kept their paths."""
    full = Graph().parse(released / "exokg.owl", format="xml")
    classes = {c for c in full.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    orphans = {
        str(c).rsplit("/", 1)[-1]
        for c in classes
        if not any(
            isinstance(p, URIRef) and p not in (c, OWL.Thing)
            for p in full.objects(c, RDFS.subClassOf)
        )
        and full.value(c, OWL.deprecated) is None
    }
    assert orphans == ROOTS


def test_definitions_keep_their_upstream_xrefs_and_no_class_has_two(released: Path) -> None:
    full = Graph().parse(released / "exokg.owl", format="xml")
    twice = [
        s for s in set(full.subjects(DEFINITION, None)) if len(set(full.objects(s, DEFINITION))) > 1
    ]
    assert twice == []
    sourced = {
        full.value(axiom, OWL.annotatedSource)
        for axiom in full.subjects(OWL.annotatedProperty, DEFINITION)
        if full.value(axiom, HAS_DBXREF) is not None
    }
    imported = {s for s in sourced if not str(s).startswith(str(EXOKG))}
    # GO's 2020 extract, ECO and RO give xrefs; CL, MONDO and the GO 2022 file give none
    assert len(imported) >= 100
    assert {GO["1903561"], GO["0005615"], NS["ECO"]["0000006"]} <= imported
    # the upstream text, not exokg's shortened one
    assert str(full.value(GO["0070062"], DEFINITION)).endswith("a diameter of about 40-100 nm.")
    assert full.value(GO["0140113"], DEFINITION) is None


def test_synonym_types_reach_the_obo_and_obographs_files(released: Path) -> None:
    import json

    obo = (released / "exokg.release.obo").read_text(encoding="utf-8")
    assert 'synonymtypedef: OMO:0003000 "abbreviation"' in obo
    assert 'synonym: "sEV" EXACT OMO:0003000 []' in obo
    assert 'synonym: "MVB" EXACT OMO:0003000 []' in obo  # an imported class's
    graphs = json.loads((released / "exokg.obographs.json").read_text(encoding="utf-8"))
    typed = {
        (node["id"].rsplit("/", 1)[-1], synonym["val"], synonym["synonymType"])
        for node in graphs["graphs"][0]["nodes"]
        for synonym in node.get("meta", {}).get("synonyms", [])
        if "synonymType" in synonym
    }
    omo = "http://purl.obolibrary.org/obo/OMO_"
    assert ("EXOKG_0000004", "sEV", omo + "0003000") in typed
    assert ("EXOKG_0000370", "endosomes", omo + "0003004") in typed
