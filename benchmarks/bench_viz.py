"""How fast the graph view is: page generation, and the browser's layout until it freezes.

1. The page for the whole shipped graph (``ontology/build/exokg-kg.nq``): ``views.page()`` timed in
   this process (store load, projection, HTML), median of ``--runs``; target ≤ 1 s.
2. A synthetic graph of ``--nodes`` nodes (2,000 by default) with the real attribute shape: time to
   generate its page, then the time headless Chromium takes from navigation until the physics has
   stabilised and been switched off (``exokgView.frozenAt``, read from the page); target ≤ 10 s.
3. A filter click on a page of ``--filter-nodes`` nodes and ``--filter-links`` links (500 and 5,600,
   the size issue 16 measured 28 s at): the page's own clock around the work of the click, from the
   change event to the end of the redraw (``exokgView.filterMs``), for each of three clicks; target < 1 s.

    python benchmarks/bench_viz.py --runs 5 --nodes 2000

Needs Debian's ``chromium`` and ``chromium-driver`` for part 2 (skipped with a message otherwise).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

from exokg.core.resources import KG_FILE
from exokg.views import page as views

POLARITIES = ("positive", "positive", "positive", "negative", "caveat")
SCOPES = ("review", "reliedOn", "context", "later")


def synthetic(nodes: int, seed: int = 7) -> nx.MultiDiGraph:
    """A graph shaped like exokg's view: a vesicle tree, other terms, ~1.5 findings per node."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph(name="synthetic")
    vesicles = max(2, nodes // 6)
    for i in range(nodes):
        kind = "vesicle" if i < vesicles else "entity"
        curie = f"EXOKG:{i:07d}"
        g.add_node(curie, label=f"term {i}", curie=curie, iri=curie, kind=kind, statements=0)
    names = list(g.nodes)
    for i in range(1, vesicles):
        g.add_edge(
            names[i], names[rng.randrange(i)], key="rdfs:subClassOf", kind="subclass", asserted=True
        )
    for n in range(nodes * 3 // 2):
        u, v = names[rng.randrange(vesicles)], names[rng.randrange(vesicles, nodes)]
        g.add_edge(
            u,
            v,
            key=f"exs:S{n}",
            kind="finding",
            statement=f"exs:S{n}",
            polarity=rng.choice(POLARITIES),
            scope=rng.choice(SCOPES),
            evidence="ECO:0000269",
            experimental=rng.random() < 0.5,
            source_iri=f"https://doi.org/10.0/{n % 40}",
            source_label=f"Author {n % 40} et al. 2012",
            doi=f"10.0/{n % 40}",
        )
        g.nodes[u]["statements"] += 1
        g.nodes[v]["statements"] += 1
    return g


def with_links(nodes: int, links: int, seed: int = 16) -> nx.MultiDiGraph:
    """The synthetic graph of ``nodes`` nodes, with findings added until it has ``links`` links."""
    g = synthetic(nodes, seed)
    rng = random.Random(seed)
    names = list(g.nodes)
    n = g.number_of_edges()
    while g.number_of_edges() < links:
        u, v = rng.sample(names, 2)
        polarity = rng.choice(POLARITIES)
        g.add_edge(
            u,
            v,
            key=f"exs:X{n}",
            kind="finding",
            statement=f"exs:X{n}",
            polarity=polarity,
            scope=rng.choice(SCOPES),
            source_iri=f"https://doi.org/10.0/{n % 40}",
        )
        n += 1
    return g


def timed(work: Any, runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def browser_freeze(
    html: str, clicks: tuple[str, ...] = ()
) -> tuple[float, float, tuple[int, int], list[float]] | None:
    """Seconds from navigation to frozen layout (page clock and wall clock), and what was drawn."""
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory() as work:
        page = Path(work) / "view.html"
        page.write_text(html, encoding="utf-8")
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1400,900",
        ]:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={Path(work) / 'profile'}")
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        try:
            start = time.perf_counter()
            driver.get(page.as_uri())
            while driver.execute_script("return document.body.dataset.state") != "frozen":
                if time.perf_counter() - start > 120:
                    raise RuntimeError("the layout did not freeze within 120 s")
                time.sleep(0.02)
            wall = time.perf_counter() - start
            frozen_at = driver.execute_script("return window.exokgView.frozenAt") / 1000
            body = "const b = window.exokgView.network.body; return [b.nodeIndices.length, b.edgeIndices.length];"
            drawn = tuple(driver.execute_script(body))
            filters = []
            for value in clicks:  # a polarity checkbox, clicked as a person would
                selector = f"input[data-facet=polarity][value={value}]"
                driver.find_element("css selector", selector).click()
                filters.append(driver.execute_script("return window.exokgView.filterMs") / 1000)
        finally:
            driver.quit()
    return frozen_at, wall, (drawn[0], drawn[1]), filters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--filter-nodes", type=int, default=500)
    parser.add_argument("--filter-links", type=int, default=5600)
    args = parser.parse_args()

    views.page(max_nodes=10)  # warm up: imports and the inlined vis-network file
    seconds, shipped = timed(lambda: views.page(kg_file=KG_FILE), args.runs)
    print(f"shipped graph ({KG_FILE.name}): {shipped.nodes} nodes, {shipped.edges} links")
    print(f"  page generated in {seconds:.3f} s (median of {args.runs}; target <= 1 s)")

    g = synthetic(args.nodes)
    seconds, html = timed(lambda: views.network(g, max_nodes=args.nodes).generate_html(), args.runs)
    print(f"synthetic graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} links")
    print(f"  page generated in {seconds:.3f} s (median of {args.runs}), {len(html) / 1e6:.1f} MB")
    freeze = browser_freeze(html)
    if freeze is None:
        print("  browser: skipped (needs chromium and chromedriver)")
        return
    frozen_at, wall, drawn, _ = freeze
    print(f"  browser drew {drawn[0]} nodes and {drawn[1]} links")
    print(f"  physics stabilised and frozen {frozen_at:.2f} s after navigation (target <= 10 s)")
    print(f"  ({wall:.2f} s wall clock, including the driver's polling)")

    g = with_links(args.filter_nodes, args.filter_links)
    html = views.network(g, max_nodes=args.filter_nodes).generate_html()
    clicked = browser_freeze(html, clicks=("positive", "caveat", "positive"))
    assert clicked is not None
    print(f"filters: {g.number_of_nodes()} nodes, {g.number_of_edges()} links")
    times = ", ".join(f"{t:.3f}" for t in clicked[3])
    print(f"  three filter clicks took {times} s each, redraw included (target < 1 s)")


if __name__ == "__main__":
    main()
