"""Static figures (DOT, SVG, PNG drawn by Graphviz), the notebook view and `exokg viz` on a terminal."""

from __future__ import annotations

import html
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from exokg.query.questions import get_question
from exokg.views import page as views
from exokg.views.figure import figure, to_dot
from tests.cli.test_terminal import MINI_KG as QUESTIONS_KG
from tests.cli.test_terminal import on_a_terminal
from tests.conftest import ExokgRunner
from tests.views.test_views import MINI_KG, XSS_LABEL, write_xss_kg

TUMOUR = "exosomes-promoting-tumour-progression"
needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")


def test_dot_encodes_which_way_each_effect_goes() -> None:
    g = views.graph(kg_file=MINI_KG)
    text = to_dot(g, title="mini")
    promotes = re.search(r'"EXOKG:0000022" -> "EXOKG:0000202" \[([^\]]*)\]', text)
    assert promotes and "arrowhead=normal" in promotes[1] and 'label="promotes"' in promotes[1]
    no_effect = re.search(r'"EXOKG:0000023" -> "EXOKG:0000202" \[([^\]]*)\]', text)
    assert no_effect and "arrowhead=odot" in no_effect[1] and "style=dashed" in no_effect[1]
    assert 'label="contrast"' in text and "dir=none" in text


@needs_graphviz
def test_svg_and_png_are_drawn(tmp_path: Path) -> None:
    g = views.graph(kg_file=write_xss_kg(tmp_path / "xss.nq"))
    svg = figure(g, "svg", title="a figure")
    assert isinstance(svg, str)
    root = ET.fromstring(svg)  # well-formed XML, so the hostile label is escaped text
    assert root.tag.endswith("svg")
    texts = [t.text for t in root.iter() if t.tag.endswith("text")]
    assert XSS_LABEL in texts and "a figure" in texts
    assert not any(t.tag.endswith(("script", "image", "foreignObject")) for t in root.iter())
    png = figure(g, "png")
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG\r\n\x1a\n")


@needs_graphviz
def test_cli_figure_of_a_question(exokg: ExokgRunner, tmp_path: Path) -> None:
    out = tmp_path / "tumour.svg"
    result = exokg("viz", "--kg", QUESTIONS_KG, "--question", TUMOUR, "--format", "svg", "-o", out)
    assert result.returncode == 0, result.stderr
    texts = {t.text for t in ET.parse(out).getroot().iter() if t.tag.endswith("text")}
    title = f"exokg: {get_question(TUMOUR).title}"
    assert title in texts
    assert {"small EV from 4T1 cells", "TS/A-derived exosome", "promotes", "no effect"} <= texts


@needs_graphviz
def test_the_file_name_chooses_the_figure(exokg: ExokgRunner, tmp_path: Path) -> None:
    """`-o view.svg` draws an SVG figure, as the name says, not an HTML page with the wrong ending;
    the focus figure of an authors' class says which class its findings sit on."""
    out = tmp_path / "focus.svg"
    result = exokg("viz", "--focus", "4T1-derived exosome", "-o", out)  # the shipped graph
    assert result.returncode == 0, result.stderr
    texts = {t.text for t in ET.parse(out).getroot().iter() if t.tag.endswith("text")}
    assert "small EV from 4T1 cells" in texts
    assert any(text and text.startswith("reported as (") for text in texts)
    clash = exokg("viz", "--kg", MINI_KG, "--format", "html", "-o", tmp_path / "view.png")
    assert clash.returncode == 2 and not (tmp_path / "view.png").exists()
    assert clash.stderr.count("\n") == 1 and "ends in .png but --format html" in clash.stderr


def test_cli_dot_goes_to_standard_output(exokg: ExokgRunner) -> None:
    result = exokg("viz", "--kg", MINI_KG, "--focus", "4T1-derived exosome", "--format", "dot")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("digraph exokg {")
    assert "4T1-derived exosome (EXOKG:0000022) and what lies within 1 link" in result.stdout


def test_viz_refuses_to_fill_a_terminal_with_html(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match=r"writes an HTML page.*-o view.html.*--open"):
        on_a_terminal("viz", "--kg", str(MINI_KG))


def test_page_title_names_the_focus_and_the_question() -> None:
    focused = views.page(kg_file=MINI_KG, focus="EXOKG:0000022")
    assert focused.title == "exokg: 4T1-derived exosome (EXOKG:0000022) and what lies within 1 link"
    assert f"<title>{html.escape(focused.title)}</title>" in focused.html
    asked = views.page(kg_file=QUESTIONS_KG, question=TUMOUR)
    assert asked.title == f"exokg: {get_question(TUMOUR).title}"


def test_a_page_shows_itself_inline_in_a_notebook() -> None:
    page = views.page(kg_file=MINI_KG, focus="EXOKG:0000022")
    frame = page._repr_html_()
    assert frame.startswith("<iframe ") and frame.count("<") == 2  # the page is inside an attribute
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame)
    assert srcdoc and html.unescape(srcdoc[1]) == page.html
    assert "4T1-derived exosome" in repr(page)


# --- issue 27 item 7: the question view reads cleanly ------------------------------------------------


@pytest.fixture(scope="module")
def tumour_view():  # type: ignore[no-untyped-def]
    from exokg.core.resources import KG_FILE

    g, title = views.subgraph(kg_file=KG_FILE, question=TUMOUR)
    return g, title


def test_the_question_view_leaves_out_unlinked_terms(tumour_view) -> None:  # type: ignore[no-untyped-def]
    g, _ = tumour_view
    assert g.number_of_edges() > 0
    assert [n for n in g if g.degree(n) == 0] == []
    assert "GO:0070062" not in g  # extracellular exosome floated alone before


def test_parallel_findings_carry_one_label_with_their_count(tumour_view) -> None:  # type: ignore[no-untyped-def]
    g, title = tumour_view
    net = views.network(g, title=title)
    labels: dict[frozenset[str], list[str]] = {}
    for edge in net.edges:
        if edge["data"]["kind"] == "finding":
            labels.setdefault(frozenset((edge["from"], edge["to"])), []).append(
                edge.get("label", "")
            )
    parallel = {k: v for k, v in labels.items() if len(v) > 1}
    assert parallel, "the tumour question has parallel findings"
    for texts in parallel.values():
        shown = [t for t in texts if t]
        assert len(shown) == 1, f"{len(shown)} labels on parallel links"
    every = [t for texts in parallel.values() for t in texts if t]
    assert any(t.endswith(" findings)") for t in every)
    assert any(", " in t for t in every)  # two effects between one pair: "promotes (2), caveat (4)"


def test_the_static_legend_is_one_side_column_with_node_shapes(tumour_view) -> None:  # type: ignore[no-untyped-def]
    g, title = tumour_view
    dot = to_dot(g, title=title)
    assert "cluster_legend" not in dot and "rank=sink; legend;" in dot
    assert "vesicle class" in dot and "\u25cb" in dot and "\u25a1" in dot
    assert "(2 findings)" in dot or "(3 findings)" in dot or "(4 findings)" in dot
