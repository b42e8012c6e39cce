"""Bad curation input: each kind gets one clear line per problem (FILE:LINE: [id] what — fix), exit 1.

Fixtures are hand-written files under tests/fixtures/curation/, one defect each (see its README).
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph

from exokg.curation.ontology import load_ontology
from exokg.curation.records import read_curation
from exokg.curation.validate import ValidationFailed, check, validate
from tests import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "curation"
LINE = re.compile(
    r"^(?P<file>[^:]+\.yaml):(?P<line>\d+):( \[(?P<id>[^\]]+)\])? (?P<what>.+) — (?P<fix>.+)$"
)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


# fixture file(s), line of the problem, statement id, words the message must contain
BAD_INPUT = [
    pytest.param(["syntax-error.yaml"], 6, None, "YAML syntax error", id="syntax-error"),
    pytest.param(["empty.yaml"], 1, None, "the file is empty", id="empty-file"),
    pytest.param(["binary.yaml"], 1, None, "binary file", id="binary-garbage"),
    pytest.param(
        ["unknown-prefix.yaml"], 4, "R03-B99", "unknown CURIE prefix 'XYZ'", id="unknown-curie"
    ),
    pytest.param(["malformed-curie.yaml"], 6, "R03-B99", "malformed CURIE", id="malformed-curie"),
    pytest.param(
        ["unknown-relation.yaml"],
        5,
        "R03-B99",
        "unknown relation 'RO:9999999'",
        id="unknown-relation",
    ),
    pytest.param(
        ["class-as-relation.yaml"],
        5,
        "R03-B99",
        "unknown relation 'GO:0070062'",
        id="class-as-relation",
    ),
    pytest.param(
        ["missing-source.yaml"], 2, "R98-B99", "source 'R98' is not in", id="missing-source"
    ),
    pytest.param(
        ["bad-doi/sources.yaml", "bad-doi/statements.yaml"],
        4,
        "R03",
        "malformed DOI",
        id="malformed-doi",
    ),
    pytest.param(["duplicate-id.yaml"], 13, "R03-B99", "duplicate statement id", id="duplicate-id"),
    pytest.param(
        ["invalid-polarity.yaml"], 7, "R03-B99", "invalid polarity 'maybe'", id="invalid-polarity"
    ),
    pytest.param(
        ["invalid-verification.yaml"],
        11,
        "R03-B99",
        "invalid verification 'V3'",
        id="invalid-verification",
    ),
    pytest.param(
        ["unlabelled-term.yaml"],
        6,
        "R03-B99",
        "'EXOKG:0000498' has no label",
        id="term-without-label",
    ),
    pytest.param(
        ["missing-reported-as.yaml"],
        3,
        "R03-B99",
        "must keep the authors' term",
        id="vesicles-without-the-authors-term",
    ),
    pytest.param(
        ["exosome-without-origin.yaml"],
        4,
        "R03-B99",
        "exosome class, but no evidence of endosomal origin",
        id="exosome-without-origin-evidence",
    ),
    pytest.param(
        ["undeclared-effect.yaml"],
        6,
        "R03-B99",
        "does not declare whether it reports an effect",
        id="relation-without-effect-declaration",
    ),
    pytest.param(
        ["invalid-perturbation-kind.yaml"],
        11,
        "R03-B99",
        "invalid perturbation_kind 'squashing'",
        id="invalid-perturbation-kind",
    ),
    pytest.param(
        ["later-work-as-background.yaml"],
        4,
        "P001-E99",
        "published after the review (2013)",
        id="later-work-as-background",
    ),
    *(
        pytest.param([f"continuation-{name}.yaml"], 10, "R03-B99", words, id=f"continuation-{name}")
        for name, words in (
            ("ellipsis", "opens with an ellipsis"),
            ("lowercase", "first word 'nor' is lowercase"),
            ("anaphora", "opens with 'Nor'"),
            ("the-same", "opens with 'The same'"),
        )
    ),
]


@pytest.mark.parametrize(("names", "line", "ident", "words"), BAD_INPUT)
def test_bad_input_is_reported_at_its_line(
    names: list[str], line: int, ident: str | None, words: str, ontology: Graph
) -> None:
    problems = validate([FIXTURES / name for name in names], ontology)
    assert len(problems) == 1, [p.text() for p in problems]
    problem = problems[0]
    assert (problem.line, problem.statement or None) == (line, ident)
    assert words in problem.what
    assert problem.fix, "every problem says how to fix it"
    match = LINE.match(problem.text())
    assert match is not None, problem.text()
    assert match["file"].endswith(names[0])


def test_check_raises_with_every_problem(ontology: Graph) -> None:
    paths = [FIXTURES / "invalid-polarity.yaml", FIXTURES / "missing-source.yaml"]
    with pytest.raises(ValidationFailed) as raised:
        check(paths, ontology)
    assert len(raised.value.problems) == 2
    assert raised.value.exit_code == 1


def test_a_clean_fixture_validates(ontology: Graph) -> None:
    assert validate([FIXTURES / "good.yaml"], ontology) == []


def test_shipped_curation_is_clean(ontology: Graph) -> None:
    problems = validate(None, ontology)
    assert problems == [], "\n".join(p.text() for p in problems)


def test_shacl_catches_a_graph_that_breaks_the_shape(ontology: Graph) -> None:
    from rdflib import Literal

    from exokg.core.vocab import EXO
    from exokg.curation.statements import statement_iri, statements_graph
    from exokg.curation.validate import shacl_problems

    curation = read_curation([FIXTURES / "good.yaml"])
    graph = statements_graph(curation)
    node = statement_iri("R03-B99")
    graph.set((node, EXO.polarity, Literal("probably")))
    problems = shacl_problems(graph, curation)
    assert [p.statement for p in problems] == ["R03-B99"]
    assert "polarity" in problems[0].what


def test_cli_prints_one_line_per_problem_and_exits_1(exokg) -> None:  # type: ignore[no-untyped-def]
    result = exokg(
        "validate", FIXTURES / "duplicate-id.yaml", FIXTURES / "invalid-verification.yaml"
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert sum(bool(LINE.match(line)) for line in lines) == 2, result.stderr
    assert lines[-1].startswith("exokg: error: 2 problems")


def test_cli_is_clean_on_the_shipped_files(exokg) -> None:  # type: ignore[no-untyped-def]
    result = exokg("validate")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_cli_binary_garbage_gives_no_traceback(exokg) -> None:  # type: ignore[no-untyped-def]
    result = exokg("validate", FIXTURES / "binary.yaml")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "binary file" in result.stderr


@pytest.mark.parametrize("pointer", ["IAO:0100001", "oboInOwl:consider"])
def test_a_statement_on_an_obsolete_term_names_where_it_points(
    ontology: Graph, pointer: str
) -> None:
    from rdflib import OWL, Literal, URIRef

    from exokg.curation.records import expand

    good = FIXTURES / "good.yaml"
    statement = read_curation([good]).statements[0]
    obsolete = URIRef(expand(statement.object))
    graph = Graph()
    graph += ontology
    graph.add((obsolete, OWL.deprecated, Literal(True)))
    graph.add((obsolete, URIRef(expand(pointer)), URIRef(expand("EXOKG:0000200"))))
    problems = [p for p in validate([good], graph) if "obsolete" in p.what]
    assert problems, "a statement on an obsolete term must be refused"
    problem = problems[0]
    assert f"'{statement.object}' is obsolete" in problem.what
    assert "EXOKG:0000200" in problem.fix
    assert ("replacement" in problem.fix) == (pointer == "IAO:0100001")
