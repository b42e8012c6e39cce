"""The competency questions: headers, answers on both backends, output formats, CLI behaviour.

Answers are checked on a hand-made fixture graph (tests/fixtures/questions/mini-kg.nq, see its header)
whose expected results were reviewed by hand, and on the built graph against queries/expected/.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from exokg.questions import ask, list_questions, parse_question, write_results
from exokg.resources import KG_FILE, QUERIES_DIR
from exokg.store import Solutions, Term, open_store

from .conftest import ExokgRunner

FIXTURES = Path(__file__).parent / "fixtures" / "questions"
MINI_KG = FIXTURES / "mini-kg.nq"
QUESTIONS = [pytest.param(path, id=path.stem) for path in sorted(QUERIES_DIR.glob("*.rq"))]
BACKENDS = ("oxigraph", "rdflib")


@pytest.fixture(scope="module", params=BACKENDS)
def mini_store(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return open_store(request.param, kg_file=MINI_KG)


_ISSUE_NINE = {
    "exosomes-promoting-tumour-progression",
    "vesicle-types",
    "exosome-subpopulations",
    "findings-that-do-not-generalise",
    "secretion-machinery",
    "immune-effects",
    "evidence-for",
    "sources",
    "markers",
}


def test_the_issue_questions_exist() -> None:
    names = {q.name for q in list_questions()}
    required = _ISSUE_NINE
    assert required <= names
    assert len(names) >= len(required) + 6


@pytest.mark.parametrize("path", QUESTIONS)
def test_header_names_every_column(path: Path) -> None:
    question = parse_question(path)
    answer = open_store(kg_file=MINI_KG).select(question.sparql, _defaults(question))
    shown = {
        v for v in answer.variables if not (v.endswith("_label") and v[:-6] in answer.variables)
    }
    assert set(question.columns) == shown, f"{path.name}: fix the '# Columns:' list of the header"
    if len(list_questions()) and question.name not in _ISSUE_NINE:
        assert question.asked_by, f"{path.name}: say who asks this and why ('# Asked by:')"


@pytest.mark.parametrize("path", QUESTIONS)
def test_no_subclass_paths_and_ordered(path: Path) -> None:
    text = re.sub(r"#[^\n]*", "", path.read_text(encoding="utf-8"))
    assert not re.search(r"subClassOf\s*[*+]", text), "use the materialised closure"
    assert "ORDER BY" in text and "PREFIX" in text


@pytest.mark.parametrize("path", QUESTIONS)
def test_order_is_total(path: Path) -> None:
    """Every column is a sort key, so no two rows tie and every engine gives the same order."""
    text = re.sub(r"#[^\n]*", "", path.read_text(encoding="utf-8"))
    select = re.search(r"^SELECT\b(.*?)^WHERE\b", text, re.S | re.M)
    assert select, f"{path.name}: no top-level SELECT … WHERE"
    clause = select[1]
    while "(" in clause:  # an aggregate or expression counts only by its alias
        clause = re.sub(r"\([^()]*\)", lambda m: " ".join(re.findall(r"AS \?\w+", m[0])), clause)
    projected = set(re.findall(r"\?(\w+)", clause))
    keys = set(re.findall(r"\?(\w+)", text[text.rindex("ORDER BY") :]))
    assert projected - keys == set(), f"{path.name}: add {sorted(projected - keys)} to ORDER BY"


def test_markers_answers_with_its_defaults() -> None:
    if not KG_FILE.is_file():
        pytest.skip("no built graph: run `exokg build`")
    for backend in BACKENDS:
        answer = ask("markers", executor=open_store(backend))
        reported = {row[answer.variables.index("reported")].value for row in answer.rows}  # type: ignore[union-attr]
        assert {"present in", "absent from", "enriched in"} <= reported, backend


def test_every_question_has_expected_results() -> None:
    questions = {path.stem for path in QUERIES_DIR.glob("*.rq")}
    fixture = {path.stem for path in (FIXTURES / "expected").glob("*.tsv")}
    assert questions - fixture == set(), "write tests/fixtures/questions/expected/<name>.tsv"
    assert fixture - questions == set(), "expected results without a question"


@pytest.mark.parametrize("path", QUESTIONS)
def test_answers_on_the_fixture_graph(path: Path, mini_store) -> None:  # type: ignore[no-untyped-def]
    answer = ask(path.stem, executor=mini_store, examples=True)
    expected = (FIXTURES / "expected" / f"{path.stem}.tsv").read_text(encoding="utf-8")
    assert write_results(answer, "tsv") == expected


@pytest.mark.parametrize("path", QUESTIONS)
def test_answers_on_the_built_graph(path: Path) -> None:
    if not KG_FILE.is_file():
        pytest.skip("no built graph: run `exokg build`")
    expected = QUERIES_DIR / "expected" / f"{path.stem}.tsv"
    assert expected.is_file(), (
        f"write {expected} (exokg ask {path.stem} --format tsv), then review it"
    )
    for backend in BACKENDS:
        answer = ask(path.stem, executor=open_store(backend), examples=True)
        assert write_results(answer, "tsv") == expected.read_text(encoding="utf-8"), backend


def test_the_tumour_question_keeps_negative_findings(mini_store) -> None:  # type: ignore[no-untyped-def]
    answer = ask("exosomes-promoting-tumour-progression", executor=mini_store)
    rows = [dict(zip(answer.variables, row, strict=True)) for row in answer.rows]
    effects = {(r["vesicle_label"].value, r["effect"].value) for r in rows}  # type: ignore[union-attr]
    assert ("4T1-derived exosome", "promotes") in effects
    assert ("TS/A-derived exosome", "no effect") in effects
    assert ("melanoma-derived exosome", "promotes") in effects


# --- formats ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def answer() -> Solutions:
    return ask("exosomes-promoting-tumour-progression", executor=open_store(kg_file=MINI_KG))


def _from_ox(term: object) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term.iri(term.value)
    assert isinstance(term, ox.Literal)
    return Term.literal(term.value, term.datatype.value, term.language)


@pytest.mark.parametrize("fmt", ["json", "tsv"])
def test_w3c_formats_read_back_with_oxigraph(answer: Solutions, fmt: str) -> None:
    text = write_results(answer, fmt)  # type: ignore[arg-type]
    parsed = ox.parse_query_results(text, format=getattr(ox.QueryResultsFormat, fmt.upper()))
    assert [v.value for v in parsed.variables] == answer.variables
    rows = [tuple(_from_ox(solution[v]) for v in answer.variables) for solution in parsed]
    assert rows == answer.rows


def test_json_reads_back_with_rdflib(answer: Solutions) -> None:
    from rdflib.query import Result

    result = Result.parse(io.StringIO(write_results(answer, "json")), format="json")
    assert [str(v) for v in result.vars] == answer.variables
    assert len(result) == len(answer.rows)
    assert json.loads(write_results(answer, "json"))["head"]["vars"] == answer.variables


def test_csv_reads_back_with_the_csv_module(answer: Solutions) -> None:
    text = write_results(answer, "csv")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == answer.variables
    plain = [["" if t is None else t.value for t in row] for row in answer.rows]
    assert rows[1:] == plain  # W3C CSV: IRIs and lexical forms, no datatypes or language tags


def test_table_shows_labels_and_curies(answer: Solutions) -> None:
    table = write_results(answer, "table")
    assert "4T1-derived exosome [EXOKG:0000022]" in table
    assert "vesicle_label" not in table


# --- the command line ---------------------------------------------------------------------------------


def test_list_shows_every_question(exokg: ExokgRunner) -> None:
    result = exokg("list", "--names")
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == len(QUESTIONS)
    assert "exosomes-promoting-tumour-progression" in result.stdout


def test_ask_with_a_label_parameter(exokg: ExokgRunner) -> None:
    result = exokg(
        "ask", "evidence-for", "--kg", MINI_KG, "-p", "term=TS/A-derived exosome", "--format", "csv"
    )
    assert result.returncode == 0, result.stderr
    assert "R03-B06" in result.stdout and "R03-B05" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "exosomes-promotng-tumour-progression"], "did you mean exosomes-promoting"),
        (["ask", "evidence-for", "-p", "term="], "needs --param term=VALUE"),
        (["ask", "evidence-for", "-p", "terms=EXOKG:0000020"], "has no parameter 'terms'"),
        (["ask", "evidence-for", "-p", "term=no such thing"], "no term is labelled"),
        (["query", "--sparql", "SELECT ?s\nWHERE { ?s ?p }"], "--sparql:2:"),
        (["query", "--sparql", "SELECT ?s WHERE { ?s ?p ?o }", "extra.rq"], "give the query"),
    ],
)
def test_user_errors_are_one_line(exokg: ExokgRunner, args: list[str], message: str) -> None:
    result = exokg(*args, "--kg", MINI_KG)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_limit_caps_rows(exokg: ExokgRunner) -> None:
    result = exokg("ask", "sources", "--kg", MINI_KG, "--limit", "2", "--format", "csv")
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 3
    assert "--limit kept the first 2 rows" in result.stderr


def test_query_predeclares_prefixes_and_reads_stdin(exokg: ExokgRunner) -> None:
    sparql = "SELECT ?c WHERE { ?c rdfs:subClassOf EXOKG:0000020 } ORDER BY ?c"
    result = exokg("query", "-", "--kg", MINI_KG, "--format", "tsv", input=sparql)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 5


def test_store_dir_is_reopened_without_the_source(tmp_path: Path) -> None:
    source = tmp_path / "kg.nq"
    shutil.copy(MINI_KG, source)
    first = ask("sources", executor=open_store(kg_file=source, store_dir=tmp_path / "store"))
    source.unlink()  # nothing left to parse: the store must be reopened as it is
    again = ask("sources", executor=open_store(kg_file=source, store_dir=tmp_path / "store"))
    assert again.rows == first.rows


def test_store_dir_refuses_a_foreign_directory(tmp_path: Path, exokg: ExokgRunner) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = exokg("ask", "sources", "--kg", MINI_KG, "--store", tmp_path)
    assert result.returncode == 2
    assert "not an exokg store" in result.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_the_answer_path_stays_light() -> None:
    code = (
        "import sys\n"
        "from exokg.cli import main\n"
        "try:\n"
        f"    main(['ask', 'sources', '--kg', {str(MINI_KG)!r}, '--format', 'csv'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'rdflib', 'owlready2', 'pyvis', 'pyshacl', 'networkx'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().endswith("[]"), result.stdout


def _defaults(question) -> dict[str, Term]:  # type: ignore[no-untyped-def]
    from exokg.questions import bind

    return bind(question, {}, open_store(kg_file=MINI_KG), examples=True)
