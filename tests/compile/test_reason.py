"""Reasoning: HermiT (Java) classifies the cell-of-origin classes, finds contradictions, and the
OWL 2 RL fallback does the same jobs with Java hidden."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import RDFS, BNode, Graph

from exokg.compile.reason import materialise, reason
from exokg.core import resources
from exokg.core.errors import DataError, UsageError
from exokg.core.vocab import EXOKG, NS
from exokg.curation.ontology import load_ontology
from tests import FIXTURES
from tests.conftest import ExokgRunner

UNSATISFIABLE = FIXTURES / "reason" / "unsatisfiable.ttl"
GO = NS["GO"]
FOUR_T1_EXOSOME = str(EXOKG["0000022"])
TUMOUR_EXOSOME = str(EXOKG["0000020"])

java = pytest.mark.java
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="no java on PATH")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def contradictory() -> Graph:
    graph = load_ontology()
    graph.parse(UNSATISFIABLE)
    return graph


@pytest.fixture
def no_java(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXOKG_JAVA", "none")


def test_4t1_exosome_is_not_asserted_a_tumour_exosome(ontology: Graph) -> None:
    """The premise of the classification tests: nobody wrote this subclass axiom."""
    assert (EXOKG["0000022"], RDFS.subClassOf, EXOKG["0000020"]) not in ontology


@java
@needs_java
def test_hermit_infers_4t1_exosome_is_a_tumour_exosome(ontology: Graph) -> None:
    result = reason(ontology, "hermit")
    assert result.reasoner.startswith("HermiT")
    assert result.ok
    assert (FOUR_T1_EXOSOME, TUMOUR_EXOSOME) in result.inferred
    assert result.notice == ""


@java
@needs_java
def test_hermit_reports_class_under_exosome_and_apoptotic_body(contradictory: Graph) -> None:
    result = reason(contradictory, "hermit")
    assert result.consistent
    assert result.unsatisfiable == (str(EXOKG["0000199"]),)


def test_fallback_runs_with_java_hidden_and_classifies(ontology: Graph, no_java: None) -> None:
    result = reason(ontology)
    assert result.reasoner.startswith("OWL 2 RL")
    assert "EXOKG_JAVA=none" in result.notice
    assert (FOUR_T1_EXOSOME, TUMOUR_EXOSOME) in result.inferred


def test_fallback_finds_the_contradiction_too(contradictory: Graph) -> None:
    result = reason(contradictory, "owlrl")
    assert result.unsatisfiable == (str(EXOKG["0000199"]),)


def test_hermit_refused_without_java_is_a_usage_error(ontology: Graph, no_java: None) -> None:
    with pytest.raises(UsageError, match="EXOKG_JAVA=none"):
        reason(ontology, "hermit")


def test_materialise_with_java_hidden_gives_the_reflexive_transitive_hierarchy(
    ontology: Graph, no_java: None
) -> None:
    inferred = materialise(ontology)
    four_t1 = EXOKG["0000022"]
    assert (four_t1, RDFS.subClassOf, four_t1) in inferred  # reflexive
    assert (four_t1, RDFS.subClassOf, EXOKG["0000020"]) in inferred  # inferred
    assert (four_t1, RDFS.subClassOf, GO["1903561"]) in inferred  # transitive
    assert (four_t1, RDFS.subClassOf, EXOKG["0000001"]) in inferred  # through axiom injection
    assert not any(isinstance(term, BNode) for triple in inferred for term in triple)


@java
@needs_java
def test_materialise_with_hermit_matches_the_fallback_on_exokg_classes(ontology: Graph) -> None:
    hermit = materialise(ontology, "hermit")
    owlrl = materialise(ontology, "owlrl")
    prefix = str(EXOKG)
    assert {t for t in hermit if t[0].startswith(prefix)} == {
        t for t in owlrl if t[0].startswith(prefix)
    }


def test_materialise_refuses_a_contradiction(contradictory: Graph) -> None:
    with pytest.raises(DataError, match="unsatisfiable"):
        materialise(contradictory, "owlrl")


@java
@needs_java
def test_cli_reason_with_hermit(exokg: ExokgRunner) -> None:
    result = exokg("reason")
    assert result.returncode == 0, result.stderr
    assert "reasoner: HermiT" in result.stdout
    assert "EXOKG:0000022 4T1-derived exosome  SubClassOf  EXOKG:0000020" in result.stdout


def test_cli_reason_without_java_says_so_and_falls_back(exokg: ExokgRunner, no_java: None) -> None:
    result = exokg("reason")
    assert result.returncode == 0, result.stderr
    assert "reasoner: OWL 2 RL" in result.stdout
    assert "Java is hidden" in result.stderr


def test_cli_reason_exits_1_on_unsatisfiable_class(exokg: ExokgRunner, tmp_path: Path) -> None:
    edit = tmp_path / "exokg-edit.ttl"
    edit.write_text(
        resources.EDIT_FILE.read_text(encoding="utf-8")
        + UNSATISFIABLE.read_text(encoding="utf-8").split("\n\n", 1)[1],
        encoding="utf-8",
    )
    result = exokg("reason", "--ontology", edit)
    assert result.returncode == 1
    assert "EXOKG:0000199 contradictory vesicle" in result.stdout
    assert "unsatisfiable" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "reasoner", [pytest.param("hermit", marks=[java, needs_java]), pytest.param("owlrl")]
)
def test_inconsistent_ontology_is_reported_and_refused(reasoner: str) -> None:
    graph = load_ontology()
    graph.parse(UNSATISFIABLE.with_name("inconsistent.ttl"))
    result = reason(graph, reasoner)  # type: ignore[arg-type]
    assert not result.consistent
    with pytest.raises(DataError, match="inconsistent"):
        materialise(graph, reasoner)  # type: ignore[arg-type]
