"""exokg diff: terms and statements added, removed or changed between two fixture releases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Dataset, Literal

from exokg.compile.build import record_sources_digest
from exokg.core.vocab import EXO, EXOKG, GRAPH_ONTOLOGY, GRAPH_STATEMENTS, NS, STATEMENT
from exokg.release.assemble import release
from exokg.release.diff import diff_releases
from tests import FIXTURES as ALL_FIXTURES
from tests.conftest import ExokgRunner

FIXTURES = ALL_FIXTURES / "release"
IAO, OIO = NS["IAO"], NS["oboInOwl"]


SOURCES = [FIXTURES / name for name in ("ontology.ttl", "imports.ttl", "statements.ttl")]


def _release(
    out: Path, kg: Path, date: dt.date, mappings: Path | None = None, previous: Path | None = None
) -> Path:
    release(out, date=date, kg_file=kg, mappings_file=mappings or FIXTURES / "mappings.sssom.tsv",
            manifest_file=FIXTURES / "released-ids.tsv", sources=SOURCES, previous=previous)  # fmt: skip
    return out


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture released twice; in between, one term is relabelled, one added, one obsoleted, one
    restriction changed, one statement removed and one turned into a negative finding."""
    tmp = tmp_path_factory.mktemp("diff")
    old = _release(tmp / "old", FIXTURES / "kg.nq", dt.date(2026, 1, 31))
    dataset = Dataset()
    dataset.parse(FIXTURES / "kg.nq", format="nquads")
    ontology, statements = dataset.graph(GRAPH_ONTOLOGY), dataset.graph(GRAPH_STATEMENTS)
    ontology.set((EXOKG["0000202"], RDFS.label, Literal("primary tumour growth in vivo")))
    ontology.add((EXOKG["0000203"], RDF.type, OWL.Class))
    ontology.add((EXOKG["0000203"], RDFS.label, Literal("tumour vascularisation")))
    ontology.add((EXOKG["0000203"], RDFS.subClassOf, EXOKG["0000200"]))
    ontology.add(
        (EXOKG["0000203"], IAO["0000115"], Literal("Growth of blood vessels in a tumour."))
    )
    ontology.add((EXOKG["0000203"], IAO["0000119"], Literal("fixture")))
    # obsoleted the OBO way, pointing to a term to consider instead
    ontology.set((EXOKG["0000004"], RDFS.label, Literal("obsolete small extracellular vesicle")))
    ontology.remove((EXOKG["0000004"], RDFS.subClassOf, None))
    ontology.add((EXOKG["0000004"], OWL.deprecated, Literal(True)))
    ontology.add((EXOKG["0000004"], OIO.consider, EXOKG["0000001"]))
    ontology.add((OIO.consider, RDF.type, OWL.AnnotationProperty))  # as exokg-edit.ttl declares it
    ontology.add((OIO.consider, RDFS.label, Literal("consider")))
    restriction = next(ontology.subjects(OWL.someValuesFrom, EXOKG["0000040"]))
    ontology.set((restriction, OWL.someValuesFrom, EXOKG["0000042"]))
    statements.remove((STATEMENT["T02"], None, None))
    statements.set((STATEMENT["T01"], EXO.polarity, EXO.negative))
    record_sources_digest(dataset, SOURCES)
    kg = tmp / "kg-next.nq"
    dataset.serialize(kg, format="nquads")
    mappings = tmp / "mappings.sssom.tsv"  # an obsolete term is mapped no more
    lines = (FIXTURES / "mappings.sssom.tsv").read_text().splitlines(keepends=True)
    mappings.write_text("".join(line for line in lines if not line.startswith("EXOKG:0000004")))
    new = _release(tmp / "new", kg, dt.date(2026, 3, 1), mappings, previous=old)
    return old, new


def test_a_release_does_not_differ_from_itself(releases: tuple[Path, Path]) -> None:
    old, _ = releases
    result = diff_releases(old, old)
    for section in (result.terms, result.statements):
        assert (section.added, section.removed, section.changed) == ([], [], [])


def test_terms_added_and_changed(releases: tuple[Path, Path]) -> None:
    terms = diff_releases(*releases).terms
    assert [(c.id, c.label) for c in terms.added] == [
        ("EXOKG:0000203", "tumour vascularisation"),
        ("oboInOwl:consider", "consider"),
    ]
    assert terms.removed == []
    changed = {c.id: c for c in terms.changed}
    assert set(changed) == {"EXOKG:0000022", "EXOKG:0000202"}
    assert "EXOKG:0000004" not in changed, "an obsoletion is not a mere change"
    relabel = changed["EXOKG:0000202"]
    assert relabel.removed == ['rdfs:label "primary tumour growth"']
    assert relabel.added == ['rdfs:label "primary tumour growth in vivo"']
    (axiom,) = changed["EXOKG:0000022"].added
    assert "owl:someValuesFrom EXOKG:0000042" in axiom, "restrictions compare by content"


def test_an_obsoleted_term_has_its_own_section(releases: tuple[Path, Path]) -> None:
    (obsoleted,) = diff_releases(*releases).terms.obsoleted
    assert (obsoleted.id, obsoleted.label) == (
        "EXOKG:0000004",
        "obsolete small extracellular vesicle",
    )
    assert "oboInOwl:consider EXOKG:0000001" in obsoleted.added
    assert diff_releases(releases[0], releases[0]).terms.obsoleted == []


def test_release_notes_are_the_diff_against_the_previous_release(
    releases: tuple[Path, Path],
) -> None:
    old, new = releases
    notes = (new / "RELEASE-NOTES.md").read_text()
    assert notes.startswith("# exokg 2026-03-01\n")
    assert "previous release `https://w3id.org/exokg/releases/2026-01-31/exokg.owl`" in notes
    assert "## Terms: 2 added, 0 removed, 2 changed, 1 obsoleted" in notes
    assert '### Obsoleted\n\n- EXOKG:0000004 "obsolete small extracellular vesicle"' in notes
    assert '- EXOKG:0000203 "tumour vascularisation"' in notes
    assert "## Statements: 0 added, 1 removed, 1 changed, 0 obsoleted" in notes
    assert notes == diff_releases(old, new).markdown("exokg 2026-03-01")
    first = (old / "RELEASE-NOTES.md").read_text()
    assert "first release" in first and '- EXOKG:0000001 "extracellular particle"' in first


def test_statements_removed_and_changed(releases: tuple[Path, Path]) -> None:
    statements = diff_releases(*releases).statements
    assert [c.id for c in statements.removed] == ["exs:T02"]
    (changed,) = statements.changed
    assert (changed.id, changed.removed, changed.added) == (
        "exs:T01", ["exo:polarity exo:positive"], ["exo:polarity exo:negative"]
    )  # fmt: skip


def test_text_for_people_and_json_for_programs(
    exokg: ExokgRunner, releases: tuple[Path, Path]
) -> None:
    old, new = releases
    text = exokg("diff", old, new)
    assert text.returncode == 0, text.stderr
    assert "terms: 2 added, 0 removed, 2 changed, 1 obsoleted" in text.stdout
    assert (
        '  x EXOKG:0000004 "obsolete small extracellular vesicle" (oboInOwl:consider EXOKG:0000001)'
        in text.stdout
    )
    assert '  + EXOKG:0000203 "tumour vascularisation"' in text.stdout
    assert "      + exo:polarity exo:negative" in text.stdout
    assert "old: https://w3id.org/exokg/releases/2026-01-31/exokg.owl" in text.stdout
    machine = exokg("diff", old, new, "--format", "json")
    data = json.loads(machine.stdout)
    assert data["new"] == "https://w3id.org/exokg/releases/2026-03-01/exokg.owl"
    assert [c["id"] for c in data["statements"]["removed"]] == ["exs:T02"]


def test_diff_of_something_that_is_not_a_release(exokg: ExokgRunner, tmp_path: Path) -> None:
    result = exokg("diff", tmp_path, tmp_path)
    assert result.returncode == 1
    assert "not an exokg release" in result.stderr and "Traceback" not in result.stderr
