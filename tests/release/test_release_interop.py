"""The real release through other projects' validators, offline: ``kgx validate`` with the Biolink
model the biolink-model package ships (tests/kgx_offline.py), ``sssom validate`` (sssom-py); and a
grep of every released file for curators' to-do notes and the team's internal file names."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from exokg.release.assemble import release
from exokg.release.kgx import BIOLINK_PREDICATE, CATEGORY_BY_ANCESTOR, CATEGORY_BY_PREFIX
from tests import TESTS

KGX = TESTS / "kgx_offline.py"
SSSOM = Path(sys.executable).parent / "sssom"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("interop") / "release"
    release(out, date=dt.date(2026, 1, 31))
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _kgx_validate(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(KGX), "validate", "-i", "tsv", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_kgx_validate_accepts_the_nodes_and_edges(released: Path) -> None:
    result = _kgx_validate(released / "nodes.tsv", released / "edges.tsv")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "ERROR" not in result.stdout + result.stderr


def test_kgx_validate_does_reject_a_bad_table(released: Path, tmp_path: Path) -> None:
    bad = tmp_path / "nodes.tsv"
    bad.write_text((released / "nodes.tsv").read_text().replace("HGNC:", "hgnc:"))
    result = _kgx_validate(bad, released / "edges.tsv")
    report = result.stdout + result.stderr
    assert result.returncode != 0 and "CURIE prefix 'hgnc'" in report


def test_nodes_use_biolink_prefixes_and_specific_categories(released: Path) -> None:
    nodes = _rows(released / "nodes.tsv")
    ids = {n["id"] for n in nodes}
    assert any(i.startswith("UniProtKB:") for i in ids) and any(i.startswith("HGNC:") for i in ids)
    assert not any(i.startswith(("uniprot:", "hgnc:")) for i in ids)
    assert all(n["category"] for n in nodes)
    generic = {n["id"] for n in nodes if n["category"] == "biolink:NamedThing"}
    assert generic <= {"BFO:0000002", "BFO:0000004"}, generic  # continuant: nothing more specific
    category = {n["id"]: n["category"] for n in nodes}
    assert category["EXOKG:0000200"] == "biolink:BiologicalProcess"  # tumour progression
    assert category["GO:0070062"] == "biolink:CellularComponent"
    assert category["HGNC:9766"] == "biolink:Gene"


def test_predicates_come_from_biolink_exact_mappings(released: Path) -> None:
    edges = _rows(released / "edges.tsv")
    by_predicate: dict[str, set[str]] = {}
    for edge in edges:
        by_predicate.setdefault(edge["predicate"], set()).add(edge["original_predicate"])
    assert by_predicate["biolink:actively_involved_in"] == {"RO:0002331"}
    assert by_predicate["biolink:derives_from"] == {"RO:0001000"}
    assert by_predicate["biolink:produces"] == {"RO:0003000"}
    assert by_predicate["biolink:expressed_in"] == {"RO:0002206"}
    assert "EXOKG:0000850" in by_predicate["biolink:has_part"]  # via its superproperty has part
    related = by_predicate["biolink:related_to"]
    assert not related & set(BIOLINK_PREDICATE)
    # the fallback stays the exception: the effect relations (RO:0002304/5), which Biolink maps to no
    # exact predicate, are most of it; a bound on the share, since the graph grows with each paper
    generic = sum(e["predicate"] == "biolink:related_to" for e in edges)
    assert generic < len(edges) / 4, f"{generic} of {len(edges)} edges are biolink:related_to"


def test_the_mapping_tables_agree_with_the_packaged_biolink_model() -> None:
    import biolink_model
    import yaml

    schema = Path(biolink_model.__path__[0]) / "schema" / "biolink_model.yaml"
    model = yaml.safe_load(schema.read_text(encoding="utf-8"))
    exact = {
        mapping: "biolink:" + name.replace(" ", "_")
        for name, slot in model["slots"].items()
        for mapping in (slot or {}).get("exact_mappings") or []
    }
    for term, predicate in BIOLINK_PREDICATE.items():
        if term != "rdfs:subClassOf":
            assert exact.get(term) == predicate, term
    names = {"biolink:" + "".join(w[:1].upper() + w[1:] for w in n.split()): c
             for n, c in model["classes"].items()}  # fmt: skip
    categories = {c for _, c in CATEGORY_BY_ANCESTOR} | set(CATEGORY_BY_PREFIX.values())
    for category in categories - {"biolink:InformationContentEntity"}:
        assert category in names, category
        assert not (names[category] or {}).get("abstract") and not (names[category] or {}).get(
            "mixin"
        )


def _sssom_validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SSSOM), "validate", str(path)], capture_output=True, text=True,
                          timeout=600)  # fmt: skip


def test_sssom_validate_accepts_the_released_mappings(released: Path) -> None:
    result = _sssom_validate(released / "exokg.sssom.tsv")
    assert result.returncode == 0, result.stderr[-2000:]
    assert (result.stdout + result.stderr).strip() == ""
    header = (released / "exokg.sssom.tsv").read_text()
    assert "creator_id" in header and "mapping_date" in header and "Cellosaurus:" not in header


def test_sssom_validate_does_report_a_broken_row(released: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sssom.tsv"
    bad.write_text((released / "exokg.sssom.tsv").read_text().replace("2026-11-27", "sometime"))
    result = _sssom_validate(bad)
    assert "not a valid date" in result.stdout + result.stderr


# curators' reminders and the team's own files, which have no place in what users download
FORBIDDEN = re.compile(
    r"re-?check|\bTODO\b|\bFIXME\b|\bXXX\b|before release|identifiers\.md|seed-review|"
    r"seeds\.tsv|terms\.tsv|make_imports|exokg-edit\.ttl|sources\.yaml|ontology/(imports|curation|build)|"
    r"shared/reference|/work/",
    re.IGNORECASE,
)


def test_no_released_file_holds_a_todo_note_or_an_internal_file_name(released: Path) -> None:
    hits = []
    for path in sorted(released.rglob("*")):
        if path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if match := FORBIDDEN.search(line):
                    hits.append(f"{path.relative_to(released)}:{number}: {match.group(0)}")
    assert hits == [], "\n".join(hits[:20])


# --- OBO Graphs JSON: the schema, a reader, and the same content as the .obo and the OWL file ------

OBO = "http://purl.obolibrary.org/obo/"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
SCOPES = ("hasExactSynonym", "hasNarrowSynonym", "hasBroadSynonym", "hasRelatedSynonym")


def test_obographs_json_is_valid_against_the_obographs_schema(released: Path) -> None:
    import json

    import jsonschema

    from tests import FIXTURES

    schema = json.loads((FIXTURES / "obographs" / "obograph.schema.json").read_text())
    validator = jsonschema.Draft7Validator({**schema, "$ref": "#/$defs/GraphDocument"})
    document = json.loads((released / "exokg.obographs.json").read_text())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == [], errors[:5]
    # the schema does catch what it should: a node key it does not define, a scope it does not know
    broken = json.loads(json.dumps(document))
    broken["graphs"][0]["nodes"][0]["label"] = "x"
    synonyms = next(n["meta"]["synonyms"] for n in broken["graphs"][0]["nodes"]
                    if n.get("meta", {}).get("synonyms"))  # fmt: skip
    synonyms[0]["pred"] = "EXACT"
    assert len(list(validator.iter_errors(broken))) == 2


def _obo_counts(path: Path) -> dict[str, int]:
    """Counts of the .obo as fastobo (the OBO 1.4 parser pronto uses) reads it."""
    import fastobo
    from fastobo.term import (
        DefClause,
        IntersectionOfClause,
        IsAClause,
        RelationshipClause,
        SynonymClause,
        TermFrame,
        XrefClause,
    )
    from fastobo.typedef import DefClause as TypedefDef
    from fastobo.typedef import IsMetadataTagClause, TypedefFrame
    from fastobo.typedef import SynonymClause as TypedefSynonym

    counts = dict.fromkeys(("terms", "properties", "synonyms", "definitions", "definition xrefs",
                            "xrefs", "edges", "logical definitions"), 0)  # fmt: skip
    for frame in fastobo.load(str(path)):
        if any(isinstance(clause, IsMetadataTagClause) for clause in frame):
            continue  # the header's annotation properties, declared for the OWL API
        defined = False
        if isinstance(frame, TermFrame):
            counts["terms"] += 1
        elif isinstance(frame, TypedefFrame):
            counts["properties"] += 1
        for clause in frame:
            if isinstance(clause, (SynonymClause, TypedefSynonym)):
                counts["synonyms"] += 1
            elif isinstance(clause, (DefClause, TypedefDef)):
                counts["definitions"] += 1
                counts["definition xrefs"] += len(list(clause.xrefs))
            elif isinstance(clause, XrefClause):
                counts["xrefs"] += 1
            elif isinstance(clause, (IsAClause, RelationshipClause)) and isinstance(
                frame, TermFrame
            ):
                counts["edges"] += 1
            elif isinstance(clause, IntersectionOfClause) and not defined:
                counts["logical definitions"] += 1
                defined = True
    return counts


def _owl_counts(path: Path) -> dict[str, int]:
    """The same counts from exokg.owl (rdflib), for the object properties the .obo can hold."""
    from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef

    graph = Graph().parse(path, format="xml")
    classes = {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    properties = {p for p in graph.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef)}
    entities = classes | properties
    definition = URIRef(OBO + "IAO_0000115")
    definition_xrefs = sum(
        1
        for axiom in graph.subjects(OWL.annotatedProperty, definition)
        if graph.value(axiom, OWL.annotatedSource) in entities
        for _ in graph.objects(axiom, URIRef(OIO + "hasDbXref"))
    )
    edges = sum(
        1
        for c in classes
        for parent in graph.objects(c, RDFS.subClassOf)
        if parent in classes
        or (isinstance(parent, BNode) and graph.value(parent, OWL.someValuesFrom) in classes)
    )
    return {
        "terms": len(classes),
        "properties": len(properties),
        "synonyms": sum(
            1 for e in entities for s in SCOPES for _ in graph.objects(e, URIRef(OIO + s))
        ),
        "definitions": sum(1 for e in entities if graph.value(e, definition) is not None),
        "definition xrefs": definition_xrefs,
        "xrefs": sum(1 for e in entities for _ in graph.objects(e, URIRef(OIO + "hasDbXref"))),
        "edges": edges,
        "logical definitions": sum(
            1
            for c in classes
            for e in graph.objects(c, OWL.equivalentClass)
            if graph.value(e, OWL.intersectionOf) is not None
        ),
    }


def _obographs_counts(path: Path, object_properties: set[str]) -> dict[str, int]:
    """The same counts from exokg.obographs.json as the ``obographs`` package reads it."""
    import obographs

    graph = obographs.read(path, squeeze=True)
    classes = {n.id for n in graph.nodes if n.type == "CLASS"}
    kept = [n for n in graph.nodes if n.id in classes | object_properties]
    metas = [n.meta for n in kept if n.meta is not None]
    return {
        "terms": len(classes),
        "properties": len([n for n in graph.nodes if n.id in object_properties]),
        "synonyms": sum(len(m.synonyms or ()) for m in metas),
        "definitions": sum(m.definition is not None for m in metas),
        "definition xrefs": sum(len(m.definition.xrefs or ()) for m in metas if m.definition),
        "xrefs": sum(len(m.xrefs or ()) for m in metas),
        "edges": sum(e.sub in classes for e in graph.edges),
        "logical definitions": len(graph.logicalDefinitionAxioms),
    }


def test_obographs_json_holds_what_the_obo_and_owl_files_hold(released: Path) -> None:
    from rdflib import OWL, RDF, Graph, URIRef

    owl = _owl_counts(released / "exokg.owl")
    graph = Graph().parse(released / "exokg.owl", format="xml")
    object_properties = {str(p) for p in graph.subjects(RDF.type, OWL.ObjectProperty)
                         if isinstance(p, URIRef)}  # fmt: skip
    obo = _obo_counts(released / "exokg.release.obo")
    graphs = _obographs_counts(released / "exokg.obographs.json", object_properties)
    assert graphs == owl == obo, {"obographs": graphs, "owl": owl, "obo": obo}
    # the figures of the release this was written against: nothing of them lost in any file
    assert graphs["synonyms"] >= 370 and graphs["logical definitions"] >= 14
    assert graphs["definitions"] >= 350 and graphs["edges"] >= 398


def test_obographs_predicates_are_nodes_and_xrefs_are_curies(released: Path) -> None:
    import obographs

    graph = obographs.read(released / "exokg.obographs.json", squeeze=True)
    nodes = {n.id: n for n in graph.nodes}
    builtin = {"is_a", "subPropertyOf", "inverseOf", "type"}
    for edge in graph.edges:
        assert edge.pred in builtin or nodes[edge.pred].type == "PROPERTY", edge
    assert "http://purl.obolibrary.org/obo/RO_0002162" in {e.pred for e in graph.edges}
    xrefs = [x.val for n in graph.nodes if n.meta for x in n.meta.xrefs or ()]
    xrefs += [x for n in graph.nodes if n.meta and n.meta.definition
              for x in n.meta.definition.xrefs or ()]  # fmt: skip
    assert xrefs and all(re.fullmatch(r"[A-Za-z][\w.]*:\S+", x) for x in xrefs), xrefs[:5]
    assert not [x for x in xrefs if x.startswith("http://purl.obolibrary.org/obo/")]
    assert any(x.startswith("DOI:") for x in xrefs) and any(x.startswith("PMID:") for x in xrefs)
    # property definitions, logical definitions with their restrictions, synonym scopes
    located = nodes[OBO + "RO_0001025"]
    assert located.lbl == "located in" and located.meta and located.meta.definition
    assert any(axiom.restrictions for axiom in graph.logicalDefinitionAxioms)
    scopes = {s.pred for n in graph.nodes if n.meta for s in n.meta.synonyms or ()}
    assert {"hasExactSynonym", "hasRelatedSynonym"} <= scopes


# --- owlready2 reads the ontology and the findings as shipped ------------------------------------


def test_owlready2_loads_the_ontology_and_finds_every_statement_with_its_evidence(
    released: Path,
) -> None:
    import owlready2

    world = owlready2.World()
    world.get_ontology((released / "exokg.owl").as_uri()).load()
    world.get_ontology((released / "exokg-statements.nt").as_uri()).load()
    rows = list(world.sparql("""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX exo: <https://w3id.org/exokg/schema#>
        SELECT ?statement ?subject ?predicate ?object ?evidence WHERE {
            ?statement rdf:type rdf:Statement ; rdf:subject ?subject ; rdf:predicate ?predicate ;
                       rdf:object ?object ; exo:evidence ?evidence }"""))  # fmt: skip
    from rdflib import RDF, Graph

    released_statements = set(
        Graph().parse(released / "exokg-statements.nt").subjects(RDF.type, RDF.Statement)
    )
    assert len({row[0] for row in rows}) == len(released_statements) >= 150
    # subject, relation, object and evidence are the ontology's own classes and relation, labelled
    first = {row[0].name: row for row in rows}["D01-H04"]
    assert [list(x.label) for x in first[1:]] == [
        ["extracellular exosome"], ["derives from"], ["multivesicular body"],
        ["author statement supported by traceable reference used in manual assertion"],
    ]  # fmt: skip
    assert isinstance(first[1], owlready2.ThingClass)
    assert isinstance(first[2], owlready2.ObjectPropertyClass)
