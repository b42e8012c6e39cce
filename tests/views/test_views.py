"""The graph view: the networkx projection, the offline page, the cap and the exports.

Unit tests run on ``tests/fixtures/views/mini-kg.nq`` (a hand-written compiled graph in the shape of
docs/design.md); expected counts are read from that file with pyoxigraph's quad patterns, not from the
view's own queries, so a query that drops statements fails here.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from exokg.core.errors import UsageError
from exokg.core.prefixes import PREFIXES
from exokg.core.vocab import EXO, GRAPH_STATEMENTS
from exokg.release.export import export, write
from exokg.views import page as views
from tests import FIXTURES
from tests.conftest import ExokgRunner

MINI_KG = FIXTURES / "views" / "mini-kg.nq"
RDF = PREFIXES["rdf"]
XSS_LABEL = "<img src=x onerror=alert(1)>"
XSS_DEFINITION = "<script>window.exokgPwned=1</script>"
XSS_PARAPHRASE = "<img src=x onerror=window.exokgPwned=2>"


def write_xss_kg(path: Path) -> Path:
    """The mini graph with hostile text in a label, a definition and a finding's paraphrase."""
    text = MINI_KG.read_text(encoding="utf-8")
    text = text.replace('"TS/A-derived exosome"', f'"{XSS_LABEL}"')
    text = text.replace(
        '"Fixture definition: an exosome released by a tumour cell."', f'"{XSS_DEFINITION}"'
    )
    text = text.replace(
        '"Blocking Rab27a in TS/A cells left the growth of their tumours unchanged."',
        f'"{XSS_PARAPHRASE}"',
    )
    assert text.count("<img") == 2 and "<script>" in text  # the replacements took
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def mini() -> nx.MultiDiGraph:
    return views.graph(kg_file=MINI_KG)


@pytest.fixture(scope="module")
def quads() -> ox.Store:
    store = ox.Store()
    store.load(path=str(MINI_KG), format=ox.RdfFormat.N_QUADS)
    return store


def _statements(store: ox.Store) -> dict[str, ox.NamedNode]:
    """statement CURIE -> its exo:polarity, straight from the quads."""
    graph = ox.NamedNode(str(GRAPH_STATEMENTS))
    polarity = ox.NamedNode(str(EXO.polarity))
    found = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None, graph):
        if quad.object.value == RDF + "Statement":
            (value,) = [q.object for q in store.quads_for_pattern(quad.subject, polarity, None)]
            found["exs:" + quad.subject.value.rsplit("/", 1)[1]] = value
    return found


def test_one_finding_edge_per_statement_with_its_polarity(
    mini: nx.MultiDiGraph, quads: ox.Store
) -> None:
    expected = _statements(quads)
    findings = {k: d for _, _, k, d in mini.edges(keys=True, data=True) if d["kind"] == "finding"}
    assert set(findings) == set(expected)
    for key, data in findings.items():
        assert data["polarity"] == expected[key].value.removeprefix(str(EXO))
    assert {d["polarity"] for d in findings.values()} == {"positive", "negative", "caveat"}


def test_finding_edges_run_from_subject_to_object(mini: nx.MultiDiGraph, quads: ox.Store) -> None:
    for u, v, key, kind in mini.edges(keys=True, data="kind"):
        if kind != "finding":
            continue
        statement = ox.NamedNode(PREFIXES["exs"] + key.removeprefix("exs:"))
        (subject,) = quads.quads_for_pattern(statement, ox.NamedNode(RDF + "subject"), None)
        (obj,) = quads.quads_for_pattern(statement, ox.NamedNode(RDF + "object"), None)
        assert (mini.nodes[u]["iri"], mini.nodes[v]["iri"]) == (
            subject.object.value,
            obj.object.value,
        )


def test_a_finding_carries_evidence_context_verification_and_source(mini: nx.MultiDiGraph) -> None:
    data = mini.edges["EXOKG:0000022", "EXOKG:0000202", "exs:R03-B05"]
    assert data["evidence"] == "ECO:0000269" and data["experimental"] is True
    assert data["organism"] == "Mus musculus (NCBITaxon:10090)"
    assert data["cell_line"] == "4T1 cell (EXOKG:0000040)"
    assert (data["verification"], data["scope"], data["system"]) == ("V1", "reliedOn", "inVivo")
    assert data["doi"] == "10.1158/0008-5472.CAN-12-0925"
    assert data["source_label"] == "Bobrie A et al. 2012, Cancer Research"
    assert data["contrasts_with"] == "exs:R03-B06"
    caveat = mini.edges["EXOKG:0000020", "EXOKG:0000200", "exs:R01-A08"]
    assert caveat["qualifies"] == "exs:R01-A07; exs:R03-B05" and caveat["experimental"] is False


def test_hierarchy_is_the_direct_links_between_vesicle_classes(mini: nx.MultiDiGraph) -> None:
    links = {(u, v) for u, v, kind in mini.edges(data="kind") if kind == "subclass"}
    assert links == {
        ("GO:1903561", "EXOKG:0000001"),
        ("GO:0070062", "GO:1903561"),
        ("GO:1990742", "GO:1903561"),
        ("EXOKG:0000020", "GO:0070062"),
        ("EXOKG:0000022", "EXOKG:0000020"),
        ("EXOKG:0000023", "EXOKG:0000020"),
    }
    vesicles = {n for n, kind in mini.nodes(data="kind") if kind == "vesicle"}
    assert vesicles == {n for link in links for n in link}
    assert "malignant cell" not in {d["label"] for _, d in mini.nodes(data=True)}


def test_node_size_counts_the_statements_that_mention_it(
    mini: nx.MultiDiGraph, quads: ox.Store
) -> None:
    for node, data in mini.nodes(data=True):
        iri = ox.NamedNode(data["iri"])
        mentions = {
            q.subject
            for p in ("subject", "object")
            for q in quads.quads_for_pattern(None, ox.NamedNode(RDF + p), iri)
        }
        assert data["statements"] == len(mentions), node


def test_nodes_carry_label_curie_and_definition(mini: nx.MultiDiGraph) -> None:
    node = mini.nodes["EXOKG:0000020"]
    assert node["label"] == "tumour-derived exosome"
    assert node["iri"] == "https://w3id.org/exokg/EXOKG_0000020"
    assert node["definition"].startswith("Fixture definition")


def test_context_nodes_are_optional() -> None:
    g = views.graph(kg_file=MINI_KG, context=True)
    context = {n for n, kind in g.nodes(data="kind") if kind == "context"}
    assert context == {"EXOKG:0000040", "EXOKG:0000041", "NCBITaxon:10090"}
    assert g.nodes["NCBITaxon:10090"]["statements"] == 2
    assert g.edges["EXOKG:0000022", "EXOKG:0000040", "cell_line:EXOKG:0000040"]["kind"] == "context"


def test_focus_keeps_the_neighbourhood(mini: nx.MultiDiGraph) -> None:
    near = views.neighbourhood(mini, "4T1-derived exosome", 1)
    # TS/A-derived exosome: the contrast link of its finding (no effect) with 4T1's (promotes)
    assert set(near) == {"EXOKG:0000022", "EXOKG:0000020", "EXOKG:0000202", "EXOKG:0000023"}
    assert set(views.neighbourhood(mini, "EXOKG:0000022", 0)) == {"EXOKG:0000022"}
    with pytest.raises(UsageError, match="no node"):
        views.neighbourhood(mini, "no such term", 1)


def test_restrict_to_an_answer_keeps_named_statements_and_their_ends(
    mini: nx.MultiDiGraph,
) -> None:
    sub = views.restrict(mini, [PREFIXES["exs"] + "R03-B06"])
    assert set(sub) == {"EXOKG:0000023", "EXOKG:0000202"}
    assert [k for *_, k in sub.edges(keys=True)] == ["exs:R03-B06"]


def test_cap_keeps_the_most_mentioned_and_says_what_was_left_out(mini: nx.MultiDiGraph) -> None:
    kept, note = views.cap(mini, 3)
    assert kept.number_of_nodes() == 3
    assert set(kept) == {"EXOKG:0000020", "EXOKG:0000200", "EXOKG:0000202"}  # 2 statements each
    assert note is not None
    assert "Showing 3 of 9 nodes" in note and "6 nodes" in note and "--max-nodes to 9" in note
    assert views.cap(mini, 9) == (mini, None)


def test_cli_prints_the_cap_message(exokg: ExokgRunner, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    result = exokg("viz", "--kg", MINI_KG, "--max-nodes", "4", "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Showing 4 of 9 nodes" in result.stderr and "--max-nodes to 9" in result.stderr
    assert "Showing 4 of 9 nodes" in out.read_text(encoding="utf-8")  # shown on the page too


def test_cli_unknown_focus_is_a_data_error(exokg: ExokgRunner, tmp_path: Path) -> None:
    """--focus goes through the same term lookup as --param: an unknown CURIE is bad data (exit 1)."""
    result = exokg("viz", "--kg", MINI_KG, "--focus", "EXOKG:9999999", "-o", tmp_path / "v.html")
    assert result.returncode == 1
    assert (
        result.stderr.startswith("exokg: error: --focus: EXOKG:9999999 is not a term of the graph")
        and "Traceback" not in result.stderr
    )
    assert not (tmp_path / "v.html").exists()


def test_cli_focus_takes_a_loose_name(exokg: ExokgRunner, tmp_path: Path) -> None:
    """Case, hyphens and plurals do not matter: "4t1 derived exosomes" is 4T1-derived exosome."""
    out = tmp_path / "v.html"
    result = exokg("viz", "--kg", MINI_KG, "--focus", "4t1 derived exosomes", "-o", out)
    assert result.returncode == 0, result.stderr
    assert "4T1-derived exosome" in out.read_text(encoding="utf-8")


def test_page_is_self_contained(mini: nx.MultiDiGraph) -> None:
    html = views.network(mini).generate_html()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.IGNORECASE)
    assert not re.search(r"<link\b|@import|url\(\s*['\"]?https?:", html, re.IGNORECASE)
    assert "default-src 'none'" in html  # and the browser is told to refuse any request
    assert "vis-network" in html  # inlined, not fetched


def test_text_from_the_data_cannot_become_markup(tmp_path: Path) -> None:
    html = views.page(kg_file=write_xss_kg(tmp_path / "xss.nq")).html
    assert "<img" not in html and "<script>window" not in html
    assert json.dumps(XSS_LABEL).replace("<", "\\u003c").replace(">", "\\u003e") in html
    script = (Path(views.__file__).parent / "_static" / "view.js").read_text(encoding="utf-8")
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", script)


def test_network_is_a_pyvis_network_usable_in_a_notebook(
    mini: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyvis.network import Network

    monkeypatch.chdir(tmp_path)
    net = views.network(mini, notebook=True)
    assert isinstance(net, Network)
    assert (len(net.nodes), len(net.edges)) == (mini.number_of_nodes(), mini.number_of_edges())
    frame = net.show("exokg.html")  # what a notebook cell does
    assert frame.src == "exokg.html"
    page = (tmp_path / "exokg.html").read_text(encoding="utf-8")
    assert "exokg-nodes" in page and "cdn" not in page.lower()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exokg.html"]  # no lib/ folder copied


@pytest.mark.parametrize("context", [False, True])
def test_graphml_round_trip(tmp_path: Path, context: bool) -> None:
    g = views.graph(kg_file=MINI_KG, context=context)
    path = tmp_path / "exokg.graphml"
    write(export(g, "graphml"), path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert isinstance(back, nx.MultiDiGraph)
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(g.edges(keys=True, data=True))


@pytest.mark.parametrize("context", [False, True])
def test_json_round_trip(tmp_path: Path, context: bool) -> None:
    g = views.graph(kg_file=MINI_KG, context=context)
    path = tmp_path / "exokg.json"
    write(export(g, "json"), path)
    back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    assert isinstance(back, nx.MultiDiGraph)
    assert nx.utils.graphs_equal(back, g)


def test_cli_export_writes_what_networkx_reads(exokg: ExokgRunner, tmp_path: Path) -> None:
    result = exokg("export", "--kg", MINI_KG, "--format", "graphml", "-o", tmp_path / "g.graphml")
    assert result.returncode == 0, result.stderr
    back = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    # 10 links of the fixture, and the contrast link between 4T1's and TS/A's findings
    assert (back.number_of_nodes(), back.number_of_edges()) == (9, 11)
    result = exokg("export", "--kg", MINI_KG, "--format", "json")
    assert json.loads(result.stdout)["directed"] is True


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--format", "json"),
        ("export", "--format", "graphml"),
        ("viz", "--format", "html"),
        ("viz", "--format", "dot"),
        ("viz", "--format", "dot", "--focus", "exosome"),  # a part of the graph
        ("site", "-q"),  # every page, with its figure
    ],
    ids=" ".join,
)
def test_the_same_graph_gives_the_same_file_every_run(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    """Two runs on the shipped graph, in processes whose sets and dicts hash differently, write
    the same bytes: a figure or an export can be compared, kept in version control, and cited."""
    import os

    written = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.out"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "exokg", *args, "-o", str(out)]
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        files = sorted(f for f in out.rglob("*") if f.is_file()) if out.is_dir() else [out]
        written.append({f.relative_to(out).as_posix(): f.read_bytes() for f in files})
    assert written[0] == written[1]


def test_importing_the_views_loads_nothing_heavy() -> None:
    code = (
        "import sys, exokg.views.page, exokg.release.export; "
        "print(sorted(m for m in ('pyvis', 'networkx', 'pyoxigraph', 'rdflib') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_question_draws_the_statements_of_its_answer(mini: nx.MultiDiGraph) -> None:
    from exokg.query.store import open_store
    from exokg.text.resolve import ask

    store = open_store(kg_file=MINI_KG)
    answer = ask("exosomes-promoting-tumour-progression", executor=store)
    iris = {t.value for row in answer.rows for t in row if t is not None and t.kind == "uri"}
    named = {"exs:" + i.rsplit("/", 1)[1] for i in iris if i.startswith(PREFIXES["exs"])}
    assert named, "the question named no statement on the fixture"
    sub = views.restrict(mini, iris)
    assert {k for *_, k, kind in sub.edges(keys=True, data="kind") if kind == "finding"} == named


def test_cli_question_view(exokg: ExokgRunner, tmp_path: Path) -> None:
    out = tmp_path / "q.html"
    args = ("viz", "--kg", MINI_KG, "--question", "exosomes-promoting-tumour-progression")
    result = exokg(*args, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "exs:R01-A08" in out.read_text(encoding="utf-8")
    result = exokg("viz", "--kg", MINI_KG, "--question", "no-such-question", "-o", out)
    assert result.returncode == 2 and "no question called" in result.stderr


def test_focus_on_an_authors_class_shows_the_findings_reported_as_it() -> None:
    """Issue 27: `info` counts 3 findings for the 4T1-derived exosome (they sit on small EV from 4T1
    cells, reported as the 4T1-derived exosome); the focus view shows those 3 as well."""
    from exokg.core.resources import KG_FILE
    from exokg.query.store import Term, open_store
    from exokg.text.lexicon import load_lexicon
    from exokg.text.resolve import findings

    g, _ = views.subgraph(kg_file=KG_FILE, focus="4T1-derived exosome", depth=1)
    reported = {
        key
        for _, _, key, data in g.edges(keys=True, data=True)
        if data.get("kind") == "finding" and "EXOKG:0000022" in data.get("reported_as", "")
    }
    iri = load_lexicon(KG_FILE).terms["EXOKG:0000022"]["iri"]
    assert len(reported) == findings(Term.iri(iri), open_store(kg_file=KG_FILE)) == 3
    assert "EXOKG:0000029" in g  # small EV from 4T1 cells, where they sit


def test_focus_on_a_name_species_share_shows_each_species() -> None:
    """Issue 27: viz --focus Rab27a draws the mouse and the human gene; --organism narrows it."""
    from exokg.core.resources import KG_FILE

    g, title = views.subgraph(kg_file=KG_FILE, focus="Rab27a")
    assert {"EXOKG:0000400", "hgnc:9766"} <= set(g)
    assert "Rab27a (mouse) (EXOKG:0000400) and RAB27A (hgnc:9766)" in title
    human, _ = views.subgraph(kg_file=KG_FILE, focus="Rab27a", organism="human")
    assert "hgnc:9766" in human and "EXOKG:0000400" not in human


def test_links_that_are_not_effects_say_their_relation() -> None:
    """In the focus view of dendritic-cell EVs, 'distinct from apoptotic body' was an unlabelled arrow
    drawn like 'has part': read as DC vesicles containing apoptotic bodies."""
    from exokg.core.resources import KG_FILE

    g, _ = views.subgraph(kg_file=KG_FILE, focus="dendritic cell exosomes")
    labels = {(e["from"], e["to"]): e.get("label") for e in views.network(g).edges}
    assert labels[("EXOKG:0000032", "GO:0097189")] == "distinct from"  # apoptotic body
    assert labels[("EXOKG:0000032", "EXOKG:0000201")] == "inhibits"  # metastasis
