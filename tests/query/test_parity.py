"""Every question gives the same whole answer on Oxigraph, rdflib and Virtuoso over a generated graph.

The shipped graph does not reach every branch of every question: every source of a subpopulation
finding has a DOI, no marker finding has a caveat. ``benchmarks/generate.py --vary`` copies the
curated statements (600 here: the curated 150 and three copies) and drops each field of a copied
statement or source that exokg's shapes leave optional (a DOI, a PMID, a caveat, an organism …) with
probability 0.2, or adds a caveat, so each ``OPTIONAL``, ``COALESCE`` and ``IF`` meets both its cases and each
ordered column meets long texts that differ only at their end. The three engines must then give the
same rows in the same order. Generating takes about a second, loading into Virtuoso two, and the
module about a minute on two cores, most of it rdflib answering.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from exokg.query.endpoint import Endpoint, publish
from exokg.query.store import Solutions, Store, open_store
from exokg.text.resolve import ask
from tests import ROOT
from tests.query.test_questions import PARAMS
from tests.query.test_virtuoso import question_names, running_virtuoso

server = pytest.mark.server
STATEMENTS, VARY = 600, 0.2


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "kg.nq"
    script = ROOT / "benchmarks" / "generate.py"
    made = subprocess.run(
        [
            sys.executable,
            str(script),
            f"--statements={STATEMENTS}",
            f"--vary={VARY}",
            "-o",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    return path


@pytest.fixture(scope="module")
def oxigraph(generated: Path) -> Store:
    return open_store(kg_file=generated)


@pytest.fixture(scope="module")
def rdflib_store(generated: Path) -> Store:
    return open_store("rdflib", kg_file=generated)


@pytest.fixture(scope="module")
def answers(oxigraph: Store) -> dict[str, Solutions]:
    return {name: ask(name, PARAMS.get(name), executor=oxigraph) for name in question_names()}


@pytest.fixture(scope="module")
def virtuoso_generated(
    tmp_path_factory: pytest.TempPathFactory, generated: Path
) -> Iterator[Endpoint]:
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-generated")) as base:
        publish(base + "/sparql-graph-crud", source=generated)
        yield Endpoint(base + "/sparql")


def _column(answer: Solutions, name: str) -> list[str | None]:
    index = answer.variables.index(name)
    return [None if row[index] is None else row[index].value for row in answer.rows]  # type: ignore[union-attr]


def test_the_generated_graph_reaches_every_branch(answers: dict[str, Solutions]) -> None:
    for name, answer in answers.items():
        for column in answer.variables:
            assert any(v is not None for v in _column(answer, column)), (
                f"{name}: {column} never set"
            )
    subpopulations = answers["exosome-subpopulations"]
    statements = _column(subpopulations, "statement")
    sources = _column(subpopulations, "source")
    found = {
        "DOI": any(s and s.startswith("DOI:10.") for s in sources),
        "PMID only": any(s and s.startswith("PMID:") for s in sources),
        "no source": any(st and s is None for st, s in zip(statements, sources, strict=True)),
    }
    assert all(found.values()), found
    assert any(_column(answers["markers"], "caveats")), "no marker finding with a caveat"
    # texts that only their end tells apart (Virtuoso compares the first 20 characters when it sorts
    # terms; the questions sort their text columns with STR())
    findings = [f for f in _column(subpopulations, "finding") if f]
    assert any(a != b and a[:20] == b[:20] for a, b in itertools.pairwise(findings))


@pytest.mark.slow
@pytest.mark.parametrize("name", question_names())
def test_rdflib_gives_the_same_answer(
    name: str, rdflib_store: Store, answers: dict[str, Solutions]
) -> None:
    rdflib = ask(name, PARAMS.get(name), executor=rdflib_store, timeout=300)
    assert rdflib.variables == answers[name].variables
    assert rdflib.rows == answers[name].rows, f"{name}: another answer on rdflib"


@server
@pytest.mark.parametrize("name", question_names())
def test_virtuoso_gives_the_same_answer(
    name: str, virtuoso_generated: Endpoint, answers: dict[str, Solutions]
) -> None:
    remote = ask(name, PARAMS.get(name), executor=virtuoso_generated, timeout=120)
    assert remote.variables == answers[name].variables
    assert set(remote.rows) == set(answers[name].rows), f"{name}: other rows on Virtuoso"
    assert remote.rows == answers[name].rows, f"{name}: same rows, other order on Virtuoso"
