"""exokg propose: the cue rules alone, the gold set's figures, and the CLI on the seed abstract.

The gold sentences are tests/fixtures/propose/gold.yaml (hand-written, one rule each); the seed
abstract is read from ../shared/reference/seed/ at run time and never copied into the project.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from exokg.core.resources import KG_FILE
from exokg.text.propose import RELATION, read_clause, sentences
from tests import FIXTURES, ROOT
from tests.conftest import ExokgRunner

GOLD = FIXTURES / "propose" / "gold.yaml"
SEED = "shared/reference/seed/000_1868c00b8afe5a55.txt"
SEED_DOI = "10.1042/BST20120245"


def _seed() -> Path:
    """The seed abstract in ../shared, beside the checkout (or beside a worktree's parent)."""
    for parent in ROOT.parents:
        if (parent / SEED).is_file():
            return parent / SEED
    pytest.fail(f"no ../{SEED}: the seed abstract is needed to test propose")


def _quality_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "propose_quality", ROOT / "scripts" / "propose_quality.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# --- the cue rules, without any index --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "direction", "polarity"),
    [
        ("Exosomes promote metastasis.", "promotes", "positive"),
        ("Exosomes reduced tumour growth.", "inhibits", "positive"),
        ("Exosomes did not reduce tumour growth.", "inhibits", "negative"),
        ("Exosomes failed to enhance tumour growth.", "promotes", "negative"),
        ("Exosomes were unable to suppress T cells.", "inhibits", "negative"),
        ("Exosomes had no significant effect on tumour growth.", "affects", "negative"),
        ("Neither exosomes nor microvesicles inhibited growth.", "inhibits", "negative"),
        ("Exosomes not only promote growth but also metastasis.", "promotes", "positive"),
        ("No exosome marker was found, but exosomes promote growth.", "promotes", "positive"),
        ("Increased growth was not observed with exosomes.", "promotes", "negative"),
        ("Rab27a knockdown reduced tumour growth.", "promotes", "positive"),
        ("Blocking exosome secretion did not slow tumour growth.", "promotes", "negative"),
        ("Exosome release was required for neutrophil mobilisation.", "promotes", "positive"),
        ("Exosomes were isolated by ultracentrifugation.", None, "positive"),
        ("The role of exosomes in tumour progression has been studied.", None, "positive"),
    ],
)
def test_direction_and_negation(text: str, direction: str | None, polarity: str) -> None:
    reading = read_clause(text)
    assert (reading.direction, reading.polarity) == (direction, polarity)


@pytest.mark.parametrize(
    ("text", "hedge"),
    [
        ("Exosomes may promote metastasis.", "may"),
        ("These data suggest that exosomes suppress T cells.", "suggest"),
        ("Exosomes appear to promote metastasis.", "appear"),
        ("Exosomes are thought to impair NK cells.", "thought"),
        ("Exosomes might not enhance immunity.", "might"),
        ("Exosomes promote metastasis.", None),
        ("Exosomes promote metastasis, as may other vesicles; they also reduce growth.", None),
    ],
)
def test_hedging(text: str, hedge: str | None) -> None:
    assert read_clause(text).hedge == hedge


@pytest.mark.parametrize(
    ("text", "kind", "phrase"),
    [
        ("Rab27a knockdown reduced tumour growth.", "knockdown", "Rab27a knockdown"),
        ("Knockdown of Rab27a reduced tumour growth.", "knockdown", "Knockdown of Rab27a"),
        ("siRNA against Rab27b reduced growth.", "knockdown", "siRNA"),
        (
            "Blocking exosome secretion slowed growth.",
            "secretion_blockade",
            "Blocking exosome secretion",
        ),
        ("Rab27a blockade slowed growth.", "secretion_blockade", "Rab27a blockade"),
        ("The inhibitor GW4869 reduced metastasis.", "inhibitor", "The inhibitor"),
        # the phrase runs to what the antibody blocks, so that CD63 is what was perturbed
        (
            "A blocking antibody to CD63 reduced uptake.",
            "blocking_antibody",
            "blocking antibody to CD63",
        ),
        ("Depletion of exosomes from serum reduced growth.", "depletion", "Depletion of exosomes"),
        ("Exosomes blocked T-cell proliferation.", None, None),
    ],
)
def test_perturbations(text: str, kind: str | None, phrase: str | None) -> None:
    reading = read_clause(text)
    assert (reading.perturbation_kind, reading.perturbation) == (kind, phrase)


def test_sentences_keep_offsets_and_abbreviations() -> None:
    text = "Vesicles (e.g. exosomes) promote growth. Exosomes, et al. 2012 said, fuse.\nNext line"
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "Vesicles (e.g. exosomes) promote growth.",
        "Exosomes, et al. 2012 said, fuse.",
        "Next line",
    ]


def test_relations_declare_their_direction() -> None:
    """Each relation propose uses declares the same exo:effectDirection in the ontology."""
    from rdflib import URIRef

    from exokg.core.vocab import EXO
    from exokg.curation.ontology import load_ontology
    from exokg.curation.records import expand

    ontology = load_ontology(with_imports=False)
    for direction, relation in RELATION.items():
        declared = ontology.value(URIRef(expand(relation)), EXO.effectDirection)
        assert declared == EXO[direction], relation


# --- measured quality on the gold set ---------------------------------------------------------------


@pytest.fixture(scope="module")
def quality():  # type: ignore[no-untyped-def]
    _seed()  # fails (not skips) when ../shared is missing
    return _quality_script().evaluate(GOLD, KG_FILE)


def test_gold_set_is_large_enough() -> None:
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    assert len(gold["sentences"]) >= 20
    assert sum(bool(s.get("negated")) for s in gold["sentences"]) >= 8
    assert sum(bool(s.get("hedged")) for s in gold["sentences"]) >= 5


def test_polarity_right_on_every_negated_and_hedged_sentence(quality) -> None:  # type: ignore[no-untyped-def]
    assert quality.failures() == []


def test_precision_and_recall_on_the_gold_set(quality) -> None:  # type: ignore[no-untyped-def]
    figures = quality.figures()
    assert figures["relation+polarity precision"] >= 0.95, figures
    assert figures["relation+polarity recall"] >= 0.9, figures
    assert any(case.name.startswith("seed") for case in quality.cases), "the seed was not read"


def test_held_out_sentences() -> None:
    held_out = _quality_script().evaluate(GOLD, KG_FILE, heldout=True)
    assert held_out.failures() == []
    assert held_out.figures()["relation+polarity precision"] >= 0.9


# --- the command, from the installed package, on the seed abstract ------------------------------------


def test_propose_on_the_seed_abstract(exokg: ExokgRunner, tmp_path: Path) -> None:
    paragraph = _seed().read_text(encoding="utf-8").split("\n")[0]
    output = tmp_path / "candidates.yaml"
    result = exokg("propose", "-", "--source", SEED_DOI, "-o", output, input=paragraph)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(output.read_text(encoding="utf-8"))
    statements = data["statements"]
    assert {(s["relation"], s["object"], s["polarity"]) for s in statements} == {
        ("RO:0002304", "EXOKG:0000200", "positive"),
        ("RO:0002304", "EXOKG:0000200", "caveat"),
    }
    for statement in statements:
        assert statement["verification"] == "NV" and statement["scope"] == "candidate"
        assert statement["source"] == "R01" and statement["reported_term"] == "exosomes"
        start, end = statement["evidence_span"]
        assert re.search(r"promote tumour progression", paragraph[start:end])
        assert paragraph[start:end] not in output.read_text(encoding="utf-8")  # never copied
    caveat = next(s for s in statements if s["polarity"] == "caveat")
    assert caveat["qualifies"] == [statements[0]["id"]]
    checked = exokg("validate", output)
    assert checked.returncode == 0, checked.stderr


def test_propose_refuses_an_unknown_doi(exokg: ExokgRunner) -> None:
    result = exokg("propose", "-", "--source", "10.9999/not.a.source", input="Exosomes grow.")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "sources.yaml" in result.stderr
    missing = exokg("propose", "no-such-abstract.txt", "--source", SEED_DOI)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert "no such file" in missing.stderr


def test_on_the_annotate_gold_sentences() -> None:
    """The finding labels of tests/gold/sentences.yaml (written by hand for annotate and propose).

    One negated sentence stays out of reach: its outcome ("mesenchymal-epithelial transition") is no
    exokg term, so no statement can name it; the test pins that it is the only one.
    """
    script = _quality_script()
    figures, wrong = script.sentence_figures(script.evaluate_sentences(kg_file=KG_FILE))
    # 8 of 9 proposals right (G29's label gives the vesicles' direction, not the cue's), 8 of 14
    # findings found. Since issue 29 an outcome is a process; a cell is one only as the verb's direct
    # object near the vesicles ("activated T cells"), so G08, G11, G22, G25 and G26 (a cell after a
    # preposition, far from its verb, or no outcome term) give no candidate: on real abstracts cells
    # in those places were where vesicles act or come from, not what they do.
    assert figures["effect+polarity precision"] >= 0.85, figures
    assert figures["effect+polarity recall"] >= 0.55, figures
    assert sorted(line.split(":")[0] for line in wrong) == ["G26"]


def test_build_keeps_candidates_out_unless_asked(
    exokg: ExokgRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A candidate file among the curation files: left out of the build by default; with
    include_candidates it is in the graph and evidence-for marks it "NV (candidate)"."""
    import shutil

    from exokg.compile.build import compile_dataset
    from exokg.core import resources
    from exokg.core.vocab import EXO, GRAPH_STATEMENTS, STATEMENT
    from exokg.query.store import open_store
    from exokg.text.resolve import ask

    curation = tmp_path / "curation"
    shutil.copytree(resources.CURATION_DIR, curation)
    paragraph = _seed().read_text(encoding="utf-8").split("\n")[0]
    result = exokg(
        "propose", "-", "--source", SEED_DOI, "-o", curation / "zz-candidates.yaml", input=paragraph
    )
    assert result.returncode == 0, result.stderr
    monkeypatch.setattr(resources, "CURATION_DIR", curation)

    without, report = compile_dataset()
    assert (STATEMENT["R01-X01"], None, None) not in without.graph(GRAPH_STATEMENTS)
    assert "candidate" not in report.by_scope
    dataset, report = compile_dataset(include_candidates=True)
    assert report.by_scope["candidate"] == 2  # the finding and its caveat
    statements = dataset.graph(GRAPH_STATEMENTS)
    assert (STATEMENT["R01-X01"], EXO.scope, EXO.candidate) in statements
    assert statements.value(STATEMENT["R01-X01"], EXO.evidenceStart) is not None
    kg = tmp_path / "kg.nq"
    kg.write_text(dataset.serialize(format="nquads"), encoding="utf-8")
    answer = ask("evidence-for", {"term": "GO:1903561"}, executor=open_store(kg_file=kg))
    rows = [dict(zip(answer.variables, row, strict=True)) for row in answer.rows]
    marked = {r["statement"].value.rpartition("/")[2]: r["verification"].value for r in rows}  # type: ignore[union-attr]
    assert marked["R01-X01"] == "NV (candidate)"


@pytest.mark.parametrize(
    ("span", "message"),
    [("[245, 120]", "after its end"), ("[12]", "must be [start, end]"), ("[a, 3]", "must be")],
)
def test_a_bad_evidence_span_is_one_line_at_its_line(
    exokg: ExokgRunner, tmp_path: Path, span: str, message: str
) -> None:
    path = tmp_path / "candidate.yaml"
    path.write_text(
        "statements:\n"
        "  - id: R01-X01\n"
        "    subject: GO:1903561\n"
        "    relation: RO:0002304\n"
        "    object: EXOKG:0000200\n"
        "    polarity: positive\n"
        "    reported_as: GO:0070062\n"
        "    reported_term: exosomes\n"
        "    evidence: ECO:0000304\n"
        "    source: R01\n"
        "    paraphrase: Machine-proposed.\n"
        "    verification: NV\n"
        "    scope: candidate\n"
        f"    evidence_span: {span}\n"
        "    hedge: may\n",
        encoding="utf-8",
    )
    result = exokg("validate", path)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "evidence_span" in line]
    assert len(lines) == 1 and message in lines[0] and f"{path}:14:" in lines[0]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "exosomes",
                "did",
                "not",
                "reduce",
                "no",
                "effect",
                "on",
                "may",
                "not",
                "only",
                "but",
                "whereas",
                "knockdown",
                "of",
                "Rab27a",
                "blocking",
                "secretion",
                "with",
                "GW4869",
                ",",
                ";",
                "(",
                ")",
                "was",
                "not",
                "observed",
                "growth",
                "Tumour",
                ".",
                "e.g.",
                "\n",
            ]
        ),
        max_size=30,
    )
)
def test_cue_rules_never_fail_and_spans_stay_in_the_text(words: list[str]) -> None:
    text = " ".join(words)
    for start, end in sentences(text):
        assert 0 <= start < end <= len(text)
        reading = read_clause(text, start, end, [(start, min(end, start + 5))])
        assert reading.direction in (None, "promotes", "inhibits", "affects")
        if reading.perturbation is not None:
            assert reading.perturbation in text[start:end]


def test_a_candidate_paraphrase_names_its_subject_once_and_its_verb_agrees() -> None:
    """The authors' words stand before the class only when they differ from it, and the verb agrees
    with the subject as the authors named it ('Exosomes promote', 'Rab27a promotes')."""
    import yaml

    from exokg.text.propose import Proposal, candidate_yaml

    def paraphrase(**fields: object) -> str:
        base: dict[str, object] = dict(
            subject="EXOKG:0000400",
            relation="RO:0002304",
            object="GO:0097734",
            polarity="positive",
            span=(0, 10),
            reported_as=None,
            reported_term=None,
            subject_label="Rab27a (mouse)",
            object_label="extracellular exosome biogenesis",
            direction="promotes",
        )
        base.update(fields)
        text = candidate_yaml([Proposal(**base)], "k")  # type: ignore[arg-type]
        return str(yaml.safe_load(text)["statements"][0]["paraphrase"])

    assert paraphrase().startswith("Machine-proposed: Rab27a (mouse) promotes extracellular")
    assert paraphrase(reported_term="Rab27a (mouse)").startswith(
        "Machine-proposed: Rab27a (mouse) promotes"
    )
    vesicles = dict(
        subject="GO:1903561", reported_as="GO:0070062", subject_label="extracellular vesicle"
    )
    assert paraphrase(reported_term="Exosomes", **vesicles).startswith(
        "Machine-proposed: Exosomes (extracellular vesicle) promote extracellular"
    )
    assert " does not inhibit " in paraphrase(polarity="negative", direction="inhibits")
    assert " do not inhibit " in paraphrase(
        polarity="negative", direction="inhibits", reported_term="sEVs", **vesicles
    )
    assert "metastasis affects" in paraphrase(subject_label="metastasis", direction="affects")
