"""exokg build: the shipped graph is what the sources produce, it covers the fact sheet, it answers the
issue's questions, and a failed build leaves the old graph in place."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset

from exokg.compile.build import BuildReport, _write_atomically, build, compile_dataset, read_quads
from exokg.core import resources
from exokg.core.errors import DataError
from exokg.core.vocab import EXO, GRAPH_STATEMENTS, STATEMENT
from exokg.curation.validate import ValidationFailed
from tests import FIXTURES

QUERIES = FIXTURES / "queries"
R03_DOI = "10.1158/0008-5472.CAN-12-0925"

# Fact-sheet statements verified against their source (V1) or a secondary source (V2) in sections
# A, B, D, E, F and G: issue 4 asks for every one of them.
REQUIRED_FACTS = (
    [f"A{n:02}" for n in range(1, 15)]
    + [f"B{n:02}" for n in range(1, 12)]
    + [f"D{n:02}" for n in range(1, 8)]
    + [f"E{n:02}" for n in range(1, 9)]
    + [f"F{n:02}" for n in range(1, 13)]
    + [f"G{n:02}" for n in range(1, 11)]
)


@pytest.fixture(scope="module")
def compiled() -> tuple[Dataset, BuildReport]:
    return compile_dataset()


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(resources.KG_FILE), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def _quads(dataset: Dataset) -> set[tuple[str, str, str, str]]:
    return {
        (str(s), str(p), o.n3(), str(getattr(g, "identifier", g))) for s, p, o, g in dataset.quads()
    }


def test_shipped_graph_is_what_the_sources_produce(compiled: tuple[Dataset, BuildReport]) -> None:
    dataset, _ = compiled
    shipped = read_quads(resources.KG_FILE)
    fresh = _quads(dataset)
    missing, extra = fresh - shipped, shipped - fresh
    assert not missing and not extra, (
        f"ontology/build/exokg-kg.nq is stale ({len(missing)} quads missing, {len(extra)} extra): "
        "run `exokg build` and commit the result"
    )


def test_shipped_file_is_sorted_and_has_no_blank_nodes() -> None:
    lines = resources.KG_FILE.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    assert not any(" _:" in line or line.startswith("_:") for line in lines)


def test_statement_count_and_coverage(compiled: tuple[Dataset, BuildReport]) -> None:
    dataset, report = compiled
    statements = dataset.graph(GRAPH_STATEMENTS)
    facts = {str(f) for f in statements.objects(None, EXO.factSheetId)}
    assert report.statements >= 70
    assert sorted(set(REQUIRED_FACTS) - facts) == []
    assert {"A", "B", "D", "E", "F", "G", "I"} <= set(report.by_section)
    assert sum(report.by_section.values()) == report.statements
    assert report.by_polarity["negative"] > 0 and report.by_polarity["caveat"] > 0
    assert "statements: " + str(report.statements) in report.lines()


def test_section_i_is_later_work_and_nv_stays_visible(
    compiled: tuple[Dataset, BuildReport],
) -> None:
    dataset, _ = compiled
    graph = dataset.graph(GRAPH_STATEMENTS)
    for node in graph.subjects(EXO.factSheetId, None):
        if str(graph.value(node, EXO.factSheetId)).startswith("I"):
            assert graph.value(node, EXO.scope) == EXO.later, node
    assert (STATEMENT["R26-G11"], EXO.verification, EXO.NV) in graph


def test_negative_finding_contrasts_both_ways(compiled: tuple[Dataset, BuildReport]) -> None:
    dataset, _ = compiled
    graph = dataset.graph(GRAPH_STATEMENTS)
    tsa, t41 = STATEMENT["R03-B06"], STATEMENT["R03-B05"]
    assert (tsa, EXO.polarity, EXO.negative) in graph
    assert (tsa, EXO.contrastsWith, t41) in graph and (t41, EXO.contrastsWith, tsa) in graph
    assert (STATEMENT["R01-A08"], EXO.qualifies, t41) in graph


def test_the_ts_a_negative_finding_is_found_by_sparql(store: pyoxigraph.Store) -> None:
    rows = _ask(store, "tsa-negative-finding.rq")
    assert [(row[0], row[3], row[4]) for row in rows] == [
        (str(STATEMENT["R03-B06"]), "primary tumour growth", R03_DOI),
        (str(STATEMENT["R03-B06b"]), "metastasis", R03_DOI),
    ]


def test_the_mmp9_finding_is_found_with_its_doi(store: pyoxigraph.Store) -> None:
    rows = _ask(store, "mmp9-finding.rq")
    found = {row[0].rsplit("/", 1)[1]: (row[1].rsplit("#", 1)[1], row[3]) for row in rows}
    assert found["R03-B04"] == ("positive", R03_DOI)
    assert found["R03-B04b"] == ("negative", R03_DOI)


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "exokg-kg.nq"
    output.write_text("old\n", encoding="utf-8")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("exokg.core.outputs.os.replace", broken_replace)
    with pytest.raises(DataError, match="disk full"):  # one line, not a traceback
        _write_atomically(output, "new\n")
    assert output.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["exokg-kg.nq"]


def test_bad_curation_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    curation = tmp_path / "curation"
    curation.mkdir()
    sources = resources.CURATION_DIR / "sources.yaml"
    (curation / "sources.yaml").write_bytes(sources.read_bytes())
    bad = FIXTURES / "curation" / "invalid-polarity.yaml"
    (curation / "bad.yaml").write_bytes(bad.read_bytes())
    monkeypatch.setattr(resources, "CURATION_DIR", curation)
    output = tmp_path / "out" / "exokg-kg.nq"
    with pytest.raises(ValidationFailed) as raised:
        build(output)
    assert [p.statement for p in raised.value.problems] == ["R03-B99"]
    assert not output.exists()


def _ask(store: pyoxigraph.Store, name: str) -> list[list[str]]:
    query = (QUERIES / name).read_text(encoding="utf-8")
    solutions = store.query(query, use_default_graph_as_union=True)
    return [[term.value for term in solution] for solution in solutions]  # type: ignore[union-attr]


def test_is_a_or_part_of_follows_subclasses_and_part_of_restrictions() -> None:
    """The index the main question starts from: is, is a subclass of, or is (declared) part of."""
    from rdflib import RDFS, BNode, Graph, URIRef
    from rdflib.namespace import OWL

    from exokg.compile.display import is_a_or_part_of_graph

    x = "https://w3id.org/exokg/test/"
    whole, process, part, narrower, other = (URIRef(x + n) for n in ("W", "P", "C", "D", "E"))
    graph = Graph()
    # reflexive, transitive closure, as the build materialises it
    for sub, sup in [(whole, process), (narrower, part)]:
        graph.add((sub, RDFS.subClassOf, sup))
    for cls in (whole, process, part, narrower, other):
        graph.add((cls, RDFS.subClassOf, cls))
    part_of, has_part = BNode(), BNode()
    graph.add((part_of, OWL.onProperty, URIRef("http://purl.obolibrary.org/obo/BFO_0000050")))
    graph.add((part_of, OWL.someValuesFrom, whole))
    graph.add((part, RDFS.subClassOf, part_of))  # C ⊑ part_of some W
    graph.add((has_part, OWL.onProperty, URIRef("http://purl.obolibrary.org/obo/BFO_0000051")))
    graph.add((has_part, OWL.someValuesFrom, whole))
    graph.add((other, RDFS.subClassOf, has_part))  # E ⊑ has_part some W: not part of W

    index = {(s, o) for s, _, o in is_a_or_part_of_graph(graph)}
    assert {(part, whole), (part, process), (narrower, whole), (narrower, process)} <= index
    assert (whole, process) in index and (narrower, part) in index and (process, process) in index
    assert (other, whole) not in index and (other, process) not in index
    assert all(isinstance(o, URIRef) for _, o in index)
