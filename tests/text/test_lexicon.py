"""The lexicon (exokg/text/lexicon.py): normal form, exact lookup with organisms, fuzzy search, its cache,
and term lookup for every --param, info, tree and search (issue 12 item 8, issue 16 item 2).

All on the built graph (ontology/build/exokg-kg.nq) through the real Oxigraph store and the real CLI.
"""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from exokg.core.errors import DataError, UsageError
from exokg.core.resources import KG_FILE
from exokg.query.store import Term, open_store
from exokg.text.lexicon import (
    FORMAT,
    Lexicon,
    cache_path,
    lexicon_from_executor,
    load_lexicon,
    normalise,
)
from exokg.text.resolve import resolve_term
from tests.conftest import ExokgRunner

MOUSE, HUMAN = "NCBITaxon:10090", "NCBITaxon:9606"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


@pytest.fixture(scope="module")
def store():  # type: ignore[no-untyped-def]
    return open_store()


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("MFG-E8", "Mfge8"),
        ("TNF-\u03b1", "TNF-alpha"),
        ("tumour-derived exosome", "Tumor derived exosome"),
        ("cell\u2013cell signalling", "cell-cell signaling"),
        ("mobilisation", "mobilization"),
    ],
)
def test_normal_form_ignores_case_hyphens_greek_and_spelling(one: str, other: str) -> None:
    assert normalise(one) == normalise(other)


def test_a_full_stop_or_comma_is_a_boundary() -> None:
    assert normalise("exosome. Secretion") != normalise("exosome secretion")
    assert normalise("CD4-positive, alpha-beta T cell") != normalise(
        "CD4 positive alpha beta T cell"
    )


@pytest.mark.parametrize(
    ("name", "curies"),
    [
        ("MVB", {"GO:0005771"}),
        ("MVE", {"GO:0005771"}),
        ("multivesicular bodies", {"GO:0005771"}),
        ("exosomes", {"GO:0070062"}),
        ("GO:0070062", {"GO:0070062"}),
        ("Cellosaurus:CVCL_0125", {"EXOKG:0000040"}),
        ("4T1", {"EXOKG:0000040"}),
        ("4T1 derived exosome", {"EXOKG:0000022"}),
        ("mice", {MOUSE}),
        ("MET", {"MGI:96969", "hgnc:7029"}),
        ("mfg-e8", {"MGI:102768", "hgnc:7036"}),
        ("Cd63", {"MGI:99529", "hgnc:1692"}),
    ],
)
def test_lookup(lexicon: Lexicon, name: str, curies: set[str]) -> None:
    assert {c.curie for c in lexicon.lookup(name)} == curies


def test_lookup_by_organism(lexicon: Lexicon) -> None:
    assert [c.curie for c in lexicon.lookup("MET", organism="mouse")] == ["MGI:96969"]
    assert [c.curie for c in lexicon.lookup("MET", organism="NCBITaxon:9606")] == ["hgnc:7029"]
    (met,) = lexicon.lookup("MET", organism="human")
    assert (met.organism, met.organism_label, met.kind) == (HUMAN, "human", "gene symbol")


def test_a_label_hides_a_related_synonym_of_another_term(lexicon: Lexicon) -> None:
    # "microvesicle" is GO:1990742's label; GO:1903561 has only related synonyms
    assert [c.curie for c in lexicon.lookup("microvesicle")] == ["GO:1990742"]


def test_fuzzy_search_ranks_the_meant_term_first(lexicon: Lexicon) -> None:
    assert lexicon.search("4T1 exosome")[0][0].curie == "EXOKG:0000022"
    assert lexicon.search("exosme")[0][0].curie == "GO:0070062"  # a typo
    assert lexicon.search("multivesicular bodys")[0][0].curie == "GO:0005771"
    short = [c.label for c, _ in lexicon.search("MET")]
    assert "assertion method" not in short  # a short text does not match inside longer words


def test_cache_is_written_in_the_users_cache_and_keyed_by_its_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    graph = tmp_path / "kg.nq"
    shutil.copy(KG_FILE, graph)
    first = load_lexicon(graph)
    cache = cache_path(graph, first.digest)
    assert cache.parent == tmp_path / "cache" / "exokg" and cache.is_file()
    assert not (tmp_path / "kg.lexicon.json").exists(), "never beside the graph"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.parent.stat().st_mode) == 0o700
    assert json.loads(cache.read_text(encoding="utf-8"))["digest"] == first.digest
    again = load_lexicon(graph)
    assert again.terms == first.terms
    # a changed graph is a new digest: the stale cache is not used
    extra = (
        "<https://w3id.org/exokg/EXOKG_0009999> <http://www.w3.org/2000/01/rdf-schema#label> "
        '"a term added later" <https://w3id.org/exokg/graph/ontology> .\n'
    )
    with graph.open("a", encoding="utf-8") as handle:
        handle.write(extra)
    changed = load_lexicon(graph)
    assert changed.digest != first.digest
    assert [c.curie for c in changed.lookup("a term added later")] == ["EXOKG:0009999"]


def test_cache_for_a_graph_inside_the_package_goes_to_the_user_cache(tmp_path: Path) -> None:
    import exokg

    inside = Path(exokg.__file__).parent / "_data" / "ontology" / "build" / "exokg-kg.nq"
    path = cache_path(inside, "0123456789abcdef0123456789")
    assert Path(exokg.__file__).parent not in path.parents
    assert path.name == "lexicon-0123456789abcdef01234567.json"


def _poisoned(terms: dict[str, Any]) -> dict[str, Any]:
    """The lexicon's terms with 'exosome' naming a made-up term instead."""
    changed = {curie: dict(record) for curie, record in terms.items()}
    changed["EXOKG:9999999"] = {
        "iri": "https://example.org/evil", "label": "exosome", "type": "class",
        "organism": None, "deprecated": False, "names": [["exosome", "label"]],
    }  # fmt: skip
    return changed


@pytest.mark.parametrize(
    "case",
    ["beside-the-graph", "group-writable", "a-link", "truncated", "wrong-shape", "names-not-pairs"],
)
def test_a_cache_that_is_not_the_users_or_not_whole_is_rebuilt_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exokg: ExokgRunner, case: str
) -> None:
    """A cache beside the graph carrying the graph's digest was trusted, so whoever could write
    beside a shared graph changed what annotate finds; a malformed one was an internal error
    (TypeError, exit 3). Now only the user's own, whole cache is read; any other is rebuilt."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    graph = tmp_path / "shared" / "kg.nq"
    graph.parent.mkdir()
    shutil.copy(KG_FILE, graph)
    real = load_lexicon(graph)
    cache = cache_path(graph, real.digest)
    poisoned = {"format": FORMAT, "digest": real.digest, "terms": _poisoned(real.terms)}
    text = json.dumps(poisoned)
    if case == "beside-the-graph":
        cache.unlink()
        (graph.parent / "kg.lexicon.json").write_text(text, encoding="utf-8")
    elif case == "group-writable":
        cache.write_text(text, encoding="utf-8")
        cache.chmod(0o664)
    elif case == "a-link":
        elsewhere = tmp_path / "elsewhere.json"
        elsewhere.write_text(text, encoding="utf-8")
        cache.unlink()
        cache.symlink_to(elsewhere)
    elif case == "truncated":
        cache.write_text(text[: len(text) // 2], encoding="utf-8")
    elif case == "wrong-shape":
        cache.write_text(json.dumps({**poisoned, "terms": {"X:1": {"names": 5}}}), encoding="utf-8")
    else:
        broken = {"iri": "x", "label": "x", "type": "class", "organism": None, "deprecated": False}
        terms = {"X:1": {**broken, "names": ["exosome"]}}
        cache.write_text(json.dumps({**poisoned, "terms": terms}), encoding="utf-8")
    assert "EXOKG:9999999" not in load_lexicon(graph).terms
    result = exokg("annotate", "-", "--kg", graph, "--format", "tsv", input="Exosomes.")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "GO:0070062" in result.stdout and "EXOKG:9999999" not in result.stdout


def test_the_same_lexicon_from_any_executor(lexicon: Lexicon, store) -> None:  # type: ignore[no-untyped-def]
    assert lexicon_from_executor(store).terms == lexicon.terms


# --- resolve_term: every --param term= (issue 12 item 8) ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "organism", "curie"),
    [
        ("MVB", None, "GO:0005771"),
        ("MVE", None, "GO:0005771"),
        ("MET", "mouse", "MGI:96969"),
        ("MET", "human", "hgnc:7029"),
        ("MMP9", "human", "hgnc:7176"),
        ("mmp9", None, "EXOKG:0000401"),  # the only MMP9 with findings
        ("MFG-E8", None, "MGI:102768"),
        ("lactadherin", None, "MGI:102768"),
        ("exosomes", None, "GO:0070062"),
        ("<http://purl.obolibrary.org/obo/GO_0070062>", None, "GO:0070062"),
    ],
)
def test_resolve_term(store, text: str, organism: str | None, curie: str) -> None:  # type: ignore[no-untyped-def]
    from exokg.core.prefixes import compact

    assert compact(resolve_term(text, store, organism=organism).value) == curie


def test_resolve_says_when_it_chose_the_term_with_findings(store) -> None:  # type: ignore[no-untyped-def]
    notes: list[str] = []
    assert resolve_term("MMP9", store, notes=notes) == Term.iri(
        "https://w3id.org/exokg/EXOKG_0000401"
    )
    assert len(notes) == 1 and "MMP9 [hgnc:7176] (human)" in notes[0]


def test_an_ambiguous_name_lists_candidates_with_organisms(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError) as caught:
        resolve_term("MET", store)
    message = caught.value.line()
    assert "Met [MGI:96969] (mouse)" in message and "MET [hgnc:7029] (human)" in message
    assert "--param organism=human|mouse" in message


def test_an_unknown_curie_is_a_data_error(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError, match="GO:9999999 is not a term of the graph"):
        resolve_term("GO:9999999", store)


def test_a_name_matching_nothing_suggests_the_closest(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError) as caught:
        resolve_term("4T1 derived exosme", store)
    assert "did you mean '4T1-derived exosome' [EXOKG:0000022]" in caught.value.line()


def test_an_unknown_organism_is_a_usage_error(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="no organism of the graph is called 'zebrafish'"):
        resolve_term("MET", store, organism="zebrafish")


@pytest.mark.parametrize(
    ("params", "exit_code", "stdout", "stderr"),
    [
        (["term=MET", "organism=mouse"], 0, "MGI:96969", ""),
        (["term=lactadherin"], 0, "MGI:102768", "the only one of 4 terms with findings"),
        (  # issue 27: both species' terms have findings, so the answer covers both
            ["term=MET"],
            0,
            "",
            "'MET' names a term in each of 2 organisms: Met [MGI:96969] (mouse); "
            "MET [hgnc:7029] (human)",
        ),
        (["term=GO:9999999"], 1, "", "GO:9999999 is not a term of the graph"),
        (["term=exosme secretion"], 1, "", "did you mean 'exosomal secretion' [GO:1990182]"),
        (
            ["term=hgnc:7176"],
            0,
            "",
            "hgnc:7176 (term) is in the graph, but no finding names it or its subclasses; "
            "close terms with findings: Mmp9 (mouse) [EXOKG:0000401]",
        ),
    ],
)
def test_ask_with_names(
    exokg: ExokgRunner, params: list[str], exit_code: int, stdout: str, stderr: str
) -> None:
    args = [a for p in params for a in ("-p", p)]
    result = exokg("ask", "evidence-for", *args, "--format", "csv")
    assert result.returncode == exit_code, result.stderr
    # the resolved CURIE is in the rows, or (before the graph is rebuilt for a changed question) in
    # the note that says why the answer is empty
    assert stdout in result.stdout + result.stderr and stderr in result.stderr
    assert "Traceback" not in result.stderr


# --- search, info, tree (issue 16 item 2) -----------------------------------------------------------


def test_search_command(exokg: ExokgRunner) -> None:
    result = exokg("search", "4T1 exosome", "--format", "tsv", "--limit", "3")
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0][:4] == ["rank", "score", "curie", "label"]
    assert rows[1][2:4] == ["EXOKG:0000022", "4T1-derived exosome"]
    assert len(rows) == 4


def test_info_command(exokg: ExokgRunner) -> None:
    result = exokg("info", "4T1", "--json")
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert facts["curie"] == "EXOKG:0000040" and facts["label"] == "4T1 cell"
    assert facts["organism"] == MOUSE
    assert facts["definition"].startswith("A malignant cell of the 4T1 line")
    assert "DOI:10.1158/0008-5472.CAN-12-0925" in facts["definition_sources"]
    assert {"curie": "CL:0001064", "label": "malignant cell"} in facts["parents"]
    assert "cellosaurus:CVCL_0125" in facts["xrefs"]  # one Cellosaurus prefix (the SSSOM file's)
    assert {"name": "4T1", "scope": "related"} in facts["synonyms"]
    assert facts["findings"] > 0
    text = exokg("info", "MVB").stdout
    assert "multivesicular body [GO:0005771]" in text and "synonym:     MVE (exact)" in text


def test_info_of_a_symbol_species_share_answers_for_each(exokg: ExokgRunner) -> None:
    # issue 27: a name shared by species answers for all of them, labelled by organism, with a note
    result = exokg("info", "MET")
    assert result.returncode == 0, result.stderr
    assert "── mouse ──\nMet [MGI:96969]" in result.stdout
    assert "── human ──\nMET [hgnc:7029]" in result.stdout
    assert "narrow it with --organism human|mouse" in result.stderr
    result = exokg("info", "MET", "--organism", "human")
    assert result.returncode == 0 and "MET [hgnc:7029]" in result.stdout
    assert "MGI:96969" not in result.stdout
    rab27a = json.loads(exokg("info", "Rab27a", "--json").stdout)
    assert [(f["curie"], f["findings"] > 0) for f in rab27a] == [
        ("EXOKG:0000400", True),
        ("hgnc:9766", True),
    ]
    assert "(mouse)" not in exokg("info", "Rab27a", "--organism", "mouse").stdout.splitlines()[0]


def test_a_question_on_a_symbol_species_share_answers_for_each(exokg: ExokgRunner) -> None:
    result = exokg("ask", "evidence-for", "-p", "term=Rab27a", "--format", "csv")
    assert result.returncode == 0, result.stderr
    terms = [line.rsplit(",", 1)[-1] for line in result.stdout.splitlines()[1:]]
    mouse, human = "https://w3id.org/exokg/EXOKG_0000400", "hgnc_id/9766"
    assert terms.count(mouse) >= 20 and sum(human in t for t in terms) >= 5
    last_mouse = max(i for i, t in enumerate(terms) if t == mouse)
    assert all(human in t for t in terms[last_mouse + 1 :])  # grouped: mouse, then human
    assert "names a term in each of 2 organisms" in result.stderr
    narrowed = exokg("ask", "evidence-for", "-p", "term=Rab27a", "--organism", "human")
    assert narrowed.returncode == 0 and "EXOKG:0000400" not in narrowed.stdout
    searched = exokg("search", "Rab27a", "--organism", "human", "--format", "tsv")
    assert "EXOKG:0000400" not in searched.stdout and "hgnc:9766" in searched.stdout


def test_tree_command(exokg: ExokgRunner) -> None:
    result = exokg("tree", "extracellular vesicle", "--depth", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "extracellular vesicle [GO:1903561]"
    assert "├── extracellular exosome [GO:0070062]" in lines
    assert "│   └── tumour-derived exosome [EXOKG:0000020]" in lines
    assert not any("4T1-derived exosome" in line for line in lines)  # below depth 2
    ascii_tree = exokg("tree", "GO:0070062", "--ascii").stdout
    assert ascii_tree.isascii() and "    |-- 4T1-derived exosome [EXOKG:0000022]" in ascii_tree
    whole = exokg("tree").stdout
    assert "small extracellular vesicle [EXOKG:0000004]" in whole
