"""The graph view in a real browser: headless Chromium driven by selenium.

The page must draw exactly the networkx graph, make no request to any other host, log no error, show a
node's details on click, and keep hostile labels as text. A screenshot of each page is saved in the
test's temporary directory.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from exokg.views import page as views
from tests import ROOT
from tests.cli.test_terminal import MINI_KG as QUESTIONS_KG
from tests.views.test_views import MINI_KG, XSS_DEFINITION, XSS_LABEL, XSS_PARAPHRASE, write_xss_kg

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
)
LOCAL = ("file:", "data:", "chrome:", "chrome-untrusted:", "about:", "blob:")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("needs Debian's chromium and chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver: Any, html: str, path: Path) -> list[str]:
    """Open ``html`` from ``path``, wait until the layout is frozen; return the URLs it requested."""
    path.write_text(html, encoding="utf-8")
    driver.get_log("performance")  # drop what the browser did before the page
    driver.get(path.as_uri())
    deadline = time.monotonic() + 60
    while driver.execute_script("return document.body.dataset.state") != "frozen":
        assert time.monotonic() < deadline, "the layout never stabilised"
        time.sleep(0.05)
    events = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    sent = [e["params"] for e in events if e["method"] == "Network.requestWillBeSent"]
    remote = [s["request"]["url"] for s in sent if not s["request"]["url"].startswith(LOCAL)]
    assert remote == [], "something in the browser reached out to another host"
    # the browser's own pages (chrome://…) may still be loading; keep what our page asked for
    return [s["request"]["url"] for s in sent if s.get("documentURL") == path.as_uri()]


def errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def drawn(driver: Any) -> tuple[int, int]:
    return tuple(driver.execute_script("return window.exokgView.shownCounts();"))


def click_node(driver: Any, node: str) -> None:
    """Click where vis-network drew ``node``."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    x, y = driver.execute_script(
        "const n = window.exokgView.network; const p = n.canvasToDOM(n.getPositions([arguments[0]])[arguments[0]]);"
        "return [p.x, p.y];",
        node,
    )
    canvas = driver.find_element(By.CSS_SELECTOR, "#graph canvas")
    size = canvas.size
    offset = (round(x - size["width"] / 2), round(y - size["height"] / 2))
    ActionChains(driver).move_to_element_with_offset(canvas, *offset).click().perform()


def details(driver: Any) -> str:
    return str(driver.execute_script("return document.getElementById('details').innerText"))


def test_page_draws_the_graph_offline_and_shows_details(browser: Any, tmp_path: Path) -> None:
    g = views.graph(kg_file=MINI_KG, context=True)
    page = tmp_path / "exokg.html"
    requests = open_page(browser, views.network(g).generate_html(), page)
    browser.save_screenshot(str(tmp_path / "exokg.png"))

    assert requests == [page.as_uri()], "the page asked another host or file for something"
    assert errors(browser) == []
    assert drawn(browser) == (g.number_of_nodes(), g.number_of_edges())

    click_node(browser, "EXOKG:0000020")
    shown = details(browser)
    assert "tumour-derived exosome" in shown and "EXOKG:0000020" in shown
    assert "an exosome released by a tumour cell" in shown

    edge = "EXOKG:0000022 exs:R03-B05 EXOKG:0000202"
    card = browser.execute_script("return window.exokgView.cardOf(arguments[0]).innerText;", edge)
    for text in (
        "ECO:0000269",
        "Mus musculus",
        "4T1 cell",
        "V1",
        "doi:10.1158/0008-5472.CAN-12-0925",
    ):
        assert text in card
    link = browser.execute_script(
        "return window.exokgView.cardOf(arguments[0]).querySelector('a').href", edge
    )
    assert link == "https://doi.org/10.1158/0008-5472.CAN-12-0925"
    assert errors(browser) == []


def test_filters_hide_findings_by_polarity(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    g = views.graph(kg_file=MINI_KG)
    open_page(browser, views.network(g).generate_html(), tmp_path / "exokg.html")
    negative = sum(1 for *_, p in g.edges(data="polarity") if p == "negative")
    browser.find_element(By.CSS_SELECTOR, "input[data-facet=polarity][value=negative]").click()
    assert drawn(browser) == (g.number_of_nodes(), g.number_of_edges() - negative)


def test_search_finds_a_node_by_label(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    g = views.graph(kg_file=MINI_KG)
    open_page(browser, views.network(g).generate_html(), tmp_path / "exokg.html")
    browser.find_element(By.ID, "search").send_keys("microvesicle", Keys.ENTER)
    assert browser.execute_script("return window.exokgView.network.getSelectedNodes()") == [
        "GO:1990742"
    ]
    assert "GO:1990742" in details(browser)


def test_hostile_text_stays_text(browser: Any, tmp_path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    g = views.graph(kg_file=write_xss_kg(tmp_path / "xss.nq"))
    open_page(browser, views.network(g).generate_html(), tmp_path / "xss.html")
    click_node(browser, "EXOKG:0000023")  # the click leaves the pointer on the node: its card shows
    deadline = time.monotonic() + 5
    tooltip = "return document.querySelector('div.vis-tooltip')?.innerText || ''"
    while XSS_LABEL not in browser.execute_script(tooltip):
        assert time.monotonic() < deadline, "hovering the node showed no card"
        time.sleep(0.05)
    browser.save_screenshot(str(tmp_path / "xss.png"))
    browser.execute_script(  # the cards of every node and edge, as a reader would see them
        "for (const t of window.exokgView.nodes.get().concat(window.exokgView.edges.get()))"
        "  document.body.append(t.title);"
    )
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 -- raises when no alert is open
    assert browser.execute_script("return window.exokgPwned") is None
    assert (
        browser.execute_script("return document.querySelectorAll('img, main script').length") == 0
    )
    shown = details(browser)
    assert XSS_LABEL in shown
    page_text = browser.execute_script("return document.body.innerText")
    assert XSS_DEFINITION in page_text and XSS_PARAPHRASE in page_text
    assert errors(browser) == []


# --- issue 16: the view says which way an effect goes, opens legibly, filters fast, never sticks ---


def edge_drawn(driver: Any, edge: str) -> dict[str, Any]:
    """How vis-network draws one link: colour, dashes, arrowhead and label, from its live options."""
    return dict(
        driver.execute_script(
            "const o = window.exokgView.network.body.edges[arguments[0]].options;"
            "return {color: o.color.color, dashes: o.dashes, head: o.arrows.to.enabled ?"
            " o.arrows.to.type : '', label: o.label || ''};",
            edge,
        )
    )


def test_promotes_and_no_effect_differ_in_colour_and_arrowhead(
    browser: Any, tmp_path: Path
) -> None:
    g = views.graph(kg_file=QUESTIONS_KG)
    open_page(browser, views.network(g).generate_html(), tmp_path / "effects.html")
    promotes = edge_drawn(browser, "EXOKG:0000100 exs:R03-B05 EXOKG:0000202")
    no_effect = edge_drawn(browser, "EXOKG:0000023 exs:R03-B06 EXOKG:0000202")
    assert promotes["label"] == "promotes" and no_effect["label"] == "no effect"
    assert promotes["color"] != no_effect["color"]
    assert (promotes["head"], no_effect["head"]) == ("arrow", "circle")
    assert not promotes["dashes"] and no_effect["dashes"]
    contrast = edge_drawn(
        browser, "EXOKG:0000023 contrast:EXOKG:0000023:EXOKG:0000100 EXOKG:0000100"
    )
    assert contrast["label"].startswith("contrast") and contrast["head"] == ""
    legend = browser.execute_script(
        "return [...document.querySelectorAll('#legend [data-legend]')].map(e => e.dataset.legend)"
    )
    assert "promotes" in legend and "no effect" in legend and "contrast" in legend
    drawn_kinds = {views._style_key(d) for *_, d in g.edges(data=True)}
    assert set(legend) == drawn_kinds, "the legend lists exactly what the page draws"
    assert len(drawn_kinds) < len(views._EDGE_STYLE)
    # hovering a finding shows its sentence
    tip = browser.execute_script(
        "return window.exokgView.edges.get(arguments[0]).title.innerText",
        "EXOKG:0000023 exs:R03-B06 EXOKG:0000202",
    )
    assert "no effect" in tip and "TS/A tumours lacking Rab27a grew as before" in tip
    assert errors(browser) == []


def overlaps(driver: Any) -> list[tuple[str, str]]:
    """Pairs of nodes whose drawn boxes (label included) overlap."""
    boxes = driver.execute_script(
        "const n = window.exokgView.network;"
        "return n.body.nodeIndices.map(id => [id, n.getBoundingBox(id)]);"
    )
    found = []
    for i, (a, p) in enumerate(boxes):
        for b, q in boxes[i + 1 :]:
            if (
                p["left"] < q["right"]
                and q["left"] < p["right"]
                and p["top"] < q["bottom"]
                and q["top"] < p["bottom"]
            ):
                found.append((a, b))
    return found


def test_the_shipped_graph_opens_legibly(browser: Any, tmp_path: Path) -> None:
    from exokg.core.resources import KG_FILE

    page = views.page(kg_file=KG_FILE)
    open_page(browser, page.html, tmp_path / "full.html")
    browser.save_screenshot(str(tmp_path / "full.png"))
    assert overlaps(browser) == [], "nodes overlap another node's label at the opening view"
    scale = browser.execute_script("return window.exokgView.network.getScale()")
    assert scale * views._FONT >= views._MIN_LABEL_PX
    assert browser.execute_script("return document.title") == "exokg: the whole graph"
    # Fit shows everything (smaller), Reset returns to the opening view
    browser.find_element("id", "fit").click()
    time.sleep(0.5)
    assert browser.execute_script("return window.exokgView.network.getScale()") < scale
    browser.find_element("id", "reset").click()
    deadline = time.monotonic() + 10  # the move is animated
    while browser.execute_script("return window.exokgView.network.getScale()") != pytest.approx(
        scale
    ):
        assert time.monotonic() < deadline, "Reset did not return to the opening zoom"
        time.sleep(0.1)
    assert errors(browser) == []


def big_graph(nodes: int = 500, links: int = 5600) -> Any:
    """A generated graph the size of a large view: vesicles and entities, findings of every kind."""
    import random

    import networkx as nx

    rng = random.Random(16)
    g = nx.MultiDiGraph()
    for i in range(nodes):
        kind = "vesicle" if i % 5 == 0 else "entity"
        curie = f"EXOKG:{i:07d}"
        g.add_node(curie, label=f"term {i}", curie=curie, iri=curie, kind=kind, statements=1)
    names = list(g)
    for k in range(links):
        u, v = rng.sample(names, 2)
        polarity = rng.choice(["positive", "positive", "negative", "caveat"])
        effect = {"positive": "promotes", "negative": "no effect", "caveat": "caveat"}[polarity]
        g.add_edge(
            u,
            v,
            key=f"exs:S{k}",
            kind="finding",
            statement=f"exs:S{k}",
            polarity=polarity,
            effect=effect,
            scope=rng.choice(["review", "reliedOn"]),
            source_iri=f"https://doi.org/10.1/{k % 20}",
            paraphrase=f"finding {k}",
        )
    return g


def test_a_filter_at_500_nodes_hides_links_and_orphaned_nodes(browser: Any, tmp_path: Path) -> None:
    """At 500 nodes and 5,600 links (benchmarks/view_filter.py times the click), what vis-network
    draws is what the filters leave: links of the kept polarity, and only nodes that still have one."""
    from selenium.webdriver.common.by import By

    g = big_graph()
    open_page(browser, views.network(g).generate_html(), tmp_path / "big.html")
    browser.find_element(By.CSS_SELECTOR, "input[data-facet=polarity][value=positive]").click()
    browser.find_element(By.CSS_SELECTOR, "input[data-facet=polarity][value=caveat]").click()
    negative = [(u, v) for u, v, p in g.edges(data="polarity") if p == "negative"]
    linked = {n for pair in negative for n in pair}
    expected = (len(linked), len(negative))
    assert drawn(browser) == expected
    indices = "const b = window.exokgView.network.body; return [b.nodeIndices.length, b.edgeIndices.length];"
    assert tuple(browser.execute_script(indices)) == expected
    browser.find_element(By.CSS_SELECTOR, "input[data-facet=polarity][value=positive]").click()
    assert drawn(browser)[1] == len(negative) + sum(
        1 for *_, p in g.edges(data="polarity") if p == "positive"
    )
    assert errors(browser) == []


def test_a_tooltip_does_not_stick_after_a_filter(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    g = views.graph(kg_file=QUESTIONS_KG)
    open_page(browser, views.network(g).generate_html(), tmp_path / "tip.html")
    tooltip = (
        "const t = document.querySelector('div.vis-tooltip');"
        "return t && getComputedStyle(t).visibility === 'visible' ? t.innerText : '';"
    )
    click_node(browser, "EXOKG:0000023")  # TS/A: its only finding is negative
    deadline = time.monotonic() + 5
    while "TS/A-derived exosome" not in browser.execute_script(tooltip):
        assert time.monotonic() < deadline, "hovering the node showed no tooltip"
        time.sleep(0.05)
    browser.find_element(By.CSS_SELECTOR, "input[data-facet=polarity][value=negative]").click()
    time.sleep(0.5)
    assert browser.execute_script(tooltip) == ""
    assert errors(browser) == []


def test_details_open_at_the_top(browser: Any, tmp_path: Path) -> None:
    g = views.graph(kg_file=QUESTIONS_KG)
    open_page(browser, views.network(g).generate_html(), tmp_path / "details.html")
    browser.execute_script("document.querySelector('aside').scrollTop = 10000")
    click_node(browser, "EXOKG:0000100")
    top = browser.execute_script(
        "const a = document.querySelector('aside'), d = document.getElementById('details');"
        "return [a.scrollTop, d.getBoundingClientRect().top - a.getBoundingClientRect().top];"
    )
    assert top[0] == 0 and top[1] < 50
    assert "small EV from 4T1 cells" in details(browser)


def test_an_exported_notebook_shows_the_graph(browser: Any, tmp_path: Path) -> None:
    """A notebook whose last line is a view from the public API, executed by nbclient and exported to
    HTML by nbconvert: the saved file alone (no side files) draws the graph in Chromium."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter
    from selenium.webdriver.common.by import By

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            f"import exokg\nexokg.open({str(QUESTIONS_KG)!r}).view(focus='small EV from 4T1 cells')"
        )
    ]
    work = tmp_path / "notebook"
    work.mkdir()
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(work)}}
    ).execute()
    outputs = notebook.cells[0].outputs
    assert outputs and "text/html" in outputs[0]["data"], outputs
    html, _ = HTMLExporter().from_notebook_node(notebook)
    exported = work / "exported.html"
    exported.write_text(html, encoding="utf-8")
    assert sorted(p.name for p in work.iterdir()) == ["exported.html"], "no side files"

    browser.get(exported.as_uri())  # the notebook page's own assets may ask the network; it is off
    frame = browser.find_element(By.CSS_SELECTOR, "iframe[srcdoc]")
    browser.switch_to.frame(frame)
    deadline = time.monotonic() + 60
    while browser.execute_script("return document.body.dataset.state") != "frozen":
        assert time.monotonic() < deadline, "the graph in the notebook never finished its layout"
        time.sleep(0.1)
    g = views.neighbourhood(views.graph(kg_file=QUESTIONS_KG), "EXOKG:0000100")
    assert drawn(browser) == (g.number_of_nodes(), g.number_of_edges())
    assert "small EV from 4T1 cells" in browser.execute_script("return document.title")
    browser.switch_to.default_content()
    browser.save_screenshot(str(tmp_path / "notebook.png"))


def test_the_readme_picture_is_made_by_the_repository_script(tmp_path: Path) -> None:
    """scripts/screenshot_view.py remakes the README's picture of the question view."""
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("needs Debian's chromium and chromium-driver")
    import runpy

    root = ROOT
    script = runpy.run_path(str(root / "scripts" / "screenshot_view.py"))
    made = script["screenshot"](tmp_path / "question-view.png")
    assert made.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "docs/images/question-view.png" in readme
    assert (root / "docs" / "images" / "question-view.png").is_file()


def edge_label_boxes(driver: Any) -> list[tuple[str, float, float, float, float]]:
    """The drawn labels of the visible links: (text, left, top, right, bottom) in canvas units."""
    return [
        tuple(box)
        for box in driver.execute_script(
            "const n = window.exokgView.network; const out = [];"
            "for (const id of n.body.edgeIndices) { const e = n.body.edges[id];"
            "  if (e.options.hidden || !e.options.label) continue;"
            "  const s = e.labelModule.size;"
            "  out.push([e.options.label, s.left, s.top, s.left + s.width, s.top + s.height]); }"
            "return out;"
        )
    ]


def test_the_question_view_has_no_overlapping_link_labels(browser: Any, tmp_path: Path) -> None:
    """Issue 27: six parallel 'promotes' labels lay on top of each other; now parallel findings of
    one effect carry one label with their count, and once the layout is done no two link labels
    overlap, no label lies on a node it does not belong to, and every link is longer than its label
    (room for its arrowhead)."""
    from exokg.core.resources import KG_FILE

    page = views.page(kg_file=KG_FILE, question="exosomes-promoting-tumour-progression")
    open_page(browser, page.html, tmp_path / "question.html")
    labels = edge_label_boxes(browser)
    assert len(labels) >= 10
    clashes = [
        (a[0], b[0])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]
    assert clashes == []
    assert any(text.endswith("findings)") for text, *_ in labels)
    # no label lies on a node other than its link's two ends
    nodes = browser.execute_script(
        "const n = window.exokgView.network;"
        "return n.body.nodeIndices.map(id => [id, n.getBoundingBox(id)]);"
    )
    ends = browser.execute_script(
        "const n = window.exokgView.network; const out = [];"
        "for (const id of n.body.edgeIndices) { const e = n.body.edges[id];"
        "  if (!e.options.hidden && e.options.label) out.push([e.fromId, e.toId]); }"
        "return out;"
    )
    covered = [
        (text, node)
        for (text, left, top, right, bottom), own in zip(labels, ends, strict=True)
        for node, box in nodes
        if node not in own
        and left < box["right"]
        and box["left"] < right
        and top < box["bottom"]
        and box["top"] < bottom
    ]
    assert covered == []
    assert errors(browser) == []


def test_the_focus_view_of_an_authors_class_draws_its_findings(
    browser: Any, tmp_path: Path
) -> None:
    from exokg.core.resources import KG_FILE

    g, _ = views.subgraph(kg_file=KG_FILE, focus="4T1-derived exosome")
    reported = [
        f"{u} {key} {v}"
        for u, v, key, data in g.edges(keys=True, data=True)
        if "EXOKG:0000022" in data.get("reported_as", "")
    ]
    assert len(reported) == 3  # as `exokg info "4T1-derived exosome"` counts them
    # and a dotted link says why small EV from 4T1 cells is drawn: its findings are reported as it
    link = g.edges["EXOKG:0000029", "EXOKG:0000022", "reported EXOKG:0000029 EXOKG:0000022"]
    assert link["kind"] == "reported" and link["count"] == 3
    assert sorted(link["findings"].split()) == sorted(r.split()[1] for r in reported)
    page = views.page(kg_file=KG_FILE, focus="4T1-derived exosome")
    open_page(browser, page.html, tmp_path / "focus.html")
    drawn_ids = browser.execute_script(
        "const n = window.exokgView.network;"
        "return n.body.edgeIndices.filter(id => !n.body.edges[id].options.hidden);"
    )
    assert set(reported) <= set(drawn_ids)
    assert errors(browser) == []
