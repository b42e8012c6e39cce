"""The ontology quality report: clean on the shipped ontology, and every check proven to fire.

Each ``queries/qc/<check>-violation.rq`` has a tiny hand-made fixture ``tests/fixtures/qc/<check>.ttl``
that breaks exactly that rule; a new check without a fixture fails ``test_check_fires_on_its_fixture``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from exokg.compile.report import load_checks, raise_for_errors, run_checks
from exokg.core.errors import DataError
from exokg.curation.ontology import load_ontology
from tests import FIXTURES as ALL_FIXTURES
from tests.conftest import ExokgRunner

FIXTURES = ALL_FIXTURES / "qc"
CHECKS = load_checks()


@pytest.fixture(scope="module")
def shipped() -> Graph:
    return load_ontology()


def test_shipped_ontology_is_clean(shipped: Graph) -> None:
    violations = run_checks(shipped, CHECKS)
    assert violations == [], "\n".join(map(str, violations))


@pytest.mark.parametrize("check", CHECKS, ids=[c.name for c in CHECKS])
def test_check_fires_on_its_fixture(check: object) -> None:
    from exokg.compile.report import Check

    assert isinstance(check, Check)
    fixture = FIXTURES / f"{check.name}.ttl"
    assert fixture.is_file(), f"write {fixture} breaking the rule of {check.path.name}"
    fired = run_checks(Graph().parse(fixture), [check])
    assert fired, f"{check.name} did not fire on {fixture.name}"
    assert {v.check for v in fired} == {check.name}


@pytest.mark.parametrize("check", CHECKS, ids=[c.name for c in CHECKS])
def test_check_header_says_how_to_fix(check: object) -> None:
    from exokg.compile.report import Check

    assert isinstance(check, Check)
    assert check.level in ("ERROR", "WARN")
    assert len(check.fix) > 20 and len(check.what) > 20


def test_errors_fail_and_warnings_pass() -> None:
    error = run_checks(Graph().parse(FIXTURES / "orphan-class.ttl"), CHECKS)
    with pytest.raises(DataError, match="orphan-class"):
        raise_for_errors(error)
    warning = run_checks(Graph().parse(FIXTURES / "id-range.ttl"), CHECKS)
    raise_for_errors([v for v in warning if v.check == "id-range"])


def test_cli_report_is_clean_on_shipped_ontology(exokg: ExokgRunner) -> None:
    result = exokg("report")
    assert result.returncode == 0, result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout


def test_cli_report_exits_1_on_an_error(exokg: ExokgRunner, tmp_path: Path) -> None:
    from exokg.core import resources

    broken = tmp_path / "exokg-edit.ttl"
    broken.write_text(
        resources.EDIT_FILE.read_text(encoding="utf-8")
        + (FIXTURES / "go-rnase-exosome.ttl").read_text(encoding="utf-8").split("\n\n", 1)[1],
        encoding="utf-8",
    )
    result = exokg("report", "--ontology", broken, "--format", "tsv")
    assert result.returncode == 1
    assert "ERROR\tgo-rnase-exosome\tEXOKG:0000190\trdfs:subClassOf\tGO:0000178" in result.stdout
    assert result.stderr.startswith("exokg: error:") and "Traceback" not in result.stderr


def test_checks_skip_a_term_obsoleted_the_obo_way(shipped: Graph) -> None:
    """An obsolete class has no parent and may lose its definition: orphan and definition checks
    skip it, while a live class that still names it as its superclass is flagged."""
    from rdflib import OWL, RDFS, Literal, URIRef

    from exokg.core.vocab import EXOKG, NS

    graph = Graph()
    graph += shipped
    small_ev, particle = EXOKG["0000004"], EXOKG["0000001"]
    label = graph.value(small_ev, RDFS.label)
    graph.remove((small_ev, RDFS.subClassOf, None))
    graph.remove((small_ev, OWL.equivalentClass, None))
    graph.remove((small_ev, NS["IAO"]["0000115"], None))
    graph.set((small_ev, RDFS.label, Literal(f"obsolete {label}")))
    graph.add((small_ev, OWL.deprecated, Literal(True)))
    graph.add((small_ev, URIRef(NS["oboInOwl"] + "consider"), particle))
    violations = run_checks(graph, CHECKS)
    assert not [v for v in violations if v.entity == "EXOKG:0000004"], violations
    # the classes that were under it now hang from an obsolete class: flagged, not skipped
    # (asserted subclasses, and the operational classes whose logical definition names it)
    defined = {
        c
        for c, definition in shipped.subject_objects(OWL.equivalentClass)
        if small_ev in set(shipped.items(shipped.value(definition, OWL.intersectionOf)))
    }
    children = {
        f"EXOKG:{str(c).rsplit('_', 1)[1]}"
        for c in {*shipped.subjects(RDFS.subClassOf, small_ev), *defined}
    }
    assert children and {v.entity for v in violations} == children
    assert {v.check for v in violations} == {"obsolete-with-logical-axiom", "orphan-class"}
