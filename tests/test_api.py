"""The public Python API (exokg.api): what a notebook or script user gets from ``exokg.open()``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import exokg
from exokg.api import Answer, KnowledgeGraph
from tests import FIXTURES

MINI_KG = FIXTURES / "questions" / "mini-kg.nq"


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return exokg.open()


def test_importing_exokg_stays_cheap_and_lists_the_api() -> None:
    code = (
        "import sys, exokg\n"
        "heavy = [m for m in ('rdflib', 'owlready2', 'pyoxigraph', 'pyvis', 'pyshacl', 'typing',"
        " 'dataclasses') if m in sys.modules]\n"
        "print(heavy, sorted(n for n in dir(exokg) if not n.startswith('_')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("[] "), out
    for name in ("open", "Answer", "KnowledgeGraph", "TermRecord", "Match", "ExokgError"):
        assert f"'{name}'" in out


def test_the_main_answer_has_plain_values_and_numeric_scores(kg: KnowledgeGraph) -> None:
    answer = kg.ask("exosomes-promoting-tumour-progression")
    assert isinstance(answer, Answer) and len(answer) > 5
    assert answer.columns[:3] == ["vesicle", "reported_as", "effect"]
    assert "vesicle_label" not in answer.columns  # labels fold into their column
    first = answer[0]
    assert first["vesicle"] == "small EV from 4T1 cells [EXOKG:0000029]"
    scores = [s for s in answer.column("score") if s is not None]
    assert scores and all(isinstance(s, float) and 0 <= s <= 1 for s in scores)
    effects = set(answer.column("effect"))
    assert {"promotes", "inhibits", "no effect"} <= effects  # negative findings beside the positive
    assert None in answer.column("perturbation")  # unbound stays None, not ""
    rows = list(answer)
    assert rows[0] == first and len(rows) == len(answer)


def test_label_styles(kg: KnowledgeGraph) -> None:
    curies = kg.ask("exosomes-promoting-tumour-progression", labels="curie").column("vesicle")
    assert "EXOKG:0000029" in curies
    iris = kg.ask("exosomes-promoting-tumour-progression", labels="iri").column("vesicle")
    assert "https://w3id.org/exokg/EXOKG_0000029" in iris
    labels = kg.ask("exosomes-promoting-tumour-progression", labels="label").column("vesicle")
    assert "small EV from 4T1 cells" in labels
    with pytest.raises(exokg.UsageError, match="label style"):
        kg.ask("vesicle-types", labels="fancy")  # type: ignore[arg-type]


def test_to_dataframe_keeps_numbers_numeric(kg: KnowledgeGraph) -> None:
    pandas = pytest.importorskip("pandas")
    frame = kg.ask("exosomes-promoting-tumour-progression").to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert frame["score"].dtype.kind == "f"
    assert list(frame.columns) == kg.ask("exosomes-promoting-tumour-progression").columns


def test_parameters_by_name_or_mapping_resolve_like_the_cli(kg: KnowledgeGraph) -> None:
    by_name = kg.ask("evidence-for", term="TS/A-derived exosome")
    by_mapping = kg.ask("evidence-for", {"term": "EXOKG:0000023"})
    assert by_name.rows == by_mapping.rows
    assert "no effect" in by_name.column("effect")
    chosen = kg.ask("evidence-for", term="MMP9")  # one organism has findings: a note says so
    assert chosen.notes and "MMP9" in chosen.notes[0]
    with pytest.raises(exokg.DataError, match="no term is named"):
        kg.ask("evidence-for", term="no such vesicle at all")


def test_query_is_checked_and_answers(kg: KnowledgeGraph) -> None:
    answer = kg.query("SELECT ?c WHERE { ?c rdfs:subClassOf EXOKG:0000020 } ORDER BY ?c", limit=3)
    assert len(answer) == 3 and answer.truncated
    assert kg.query("ASK { ?s ?p ?o }").boolean is True
    with pytest.raises(exokg.UsageError):
        kg.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_a_term_with_its_names_hierarchy_and_findings(kg: KnowledgeGraph) -> None:
    mvb = kg.term("multivesicular bodies")
    assert (mvb.curie, mvb.label) == ("GO:0005771", "multivesicular body")
    assert {"curie": "GO:0005770", "label": "late endosome"} in mvb.parents
    assert mvb.definition and len(mvb.findings) > 0
    assert "MVB" in {s["name"] for s in mvb.synonyms}
    ev = kg.term("extracellular vesicle")
    assert any(c["curie"] == "GO:0070062" for c in ev.children)
    with pytest.raises(exokg.UsageError, match="organism="):
        kg.term("Rab27a")  # two species' genes: the error says how to choose
    mouse = kg.term("Rab27a", organism="mouse")
    assert mouse.organism == "Mus musculus" and len(mouse.findings) > 0


def test_search_ranks_matches(kg: KnowledgeGraph) -> None:
    matches = kg.search("dexosomes", limit=3)
    assert matches[0].curie == "EXOKG:0000024"
    assert matches[0].score >= matches[-1].score
    assert "dexosome" in matches[0].matched


def test_findings_filter_as_a_biologist_does(kg: KnowledgeGraph) -> None:
    everything = kg.findings()
    assert len(everything) >= 150
    promoted = kg.findings(effect="promotes", organism="mouse")
    assert 0 < len(promoted) < len(everything)
    assert set(promoted.column("effect")) == {"promotes"}
    assert all("Mus musculus" in o for o in promoted.column("organisms"))
    in_vivo = kg.findings("Rab27a", organism="mouse", system="in vivo")
    assert len(in_vivo) > 0 and set(in_vivo.column("system")) == {"inVivo"}
    assert all(v.startswith("V1") for v in kg.findings(verification="V1").column("verification"))
    bobrie = kg.findings(source="Bobrie 2012")
    assert len(bobrie) > 0 and all("Bobrie 2012" in s for s in bobrie.column("source"))
    with pytest.raises(exokg.UsageError, match="organism"):
        kg.findings(organism="unicorn")


def test_annotate_gives_spans(kg: KnowledgeGraph) -> None:
    spans = kg.annotate("Multivesicular bodies (MVBs) release exosomes.")
    assert [(s["text"], s["curies"]) for s in spans][:2] == [
        ("Multivesicular bodies", ["GO:0005771"]),
        ("MVBs", ["GO:0005771"]),
    ]


def test_networkx_rdflib_and_owlready2(kg: KnowledgeGraph) -> None:
    graph = kg.networkx()
    assert graph.number_of_nodes() > 50 and graph.number_of_edges() > 50
    dataset = kg.rdflib()
    graphs = {str(g.identifier) for g in dataset.graphs()}
    assert "https://w3id.org/exokg/graph/statements" in graphs
    world = kg.owlready()
    statements = list(
        world.sparql(
            "SELECT ?s ?subject ?predicate ?object ?evidence WHERE { "
            "?s a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> ; "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?subject ; "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?predicate ; "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?object ; "
            "<https://w3id.org/exokg/schema#evidence> ?evidence }"
        )
    )
    assert len({row[0] for row in statements}) == len(kg.findings()) >= 150  # every finding
    tumour_exosome = world.search_one(iri="https://w3id.org/exokg/EXOKG_0000022")
    assert tumour_exosome is not None and "4T1-derived exosome" in tumour_exosome.label


def test_a_view_renders_inline(kg: KnowledgeGraph) -> None:
    page = kg.view(focus="small EV from 4T1 cells")
    assert page.nodes > 1 and "<iframe" in page._repr_html_()
    question = kg.view("exosomes-promoting-tumour-progression")
    assert question.edges > 0


def test_open_a_graph_of_ones_own_and_bad_input(tmp_path: Path) -> None:
    mini = exokg.open(MINI_KG)
    assert len(mini.ask("vesicle-types")) > 0
    store = tmp_path / "store"
    on_disk = exokg.open(MINI_KG, store=store)
    assert on_disk.ask("vesicle-types").rows == mini.ask("vesicle-types").rows
    assert store.is_dir()
    with pytest.raises(exokg.DataError, match="no such graph file"):
        exokg.open(tmp_path / "missing.nq")
    with pytest.raises(exokg.UsageError, match="endpoint"):
        exokg.open(MINI_KG, endpoint="http://127.0.0.1:1/query")
