"""Make the README's picture of the graph view: the question view of the main question, in Chromium.

    python scripts/screenshot_view.py                # writes docs/images/question-view.png
    python scripts/screenshot_view.py -o other.png --question evidence-for --param term=EXOKG:0000022

It draws the page `exokg viz --question NAME` writes from the shipped graph, in headless Chromium
(Debian's chromium and chromium-driver) with the network off, waits until the layout is frozen, clicks
one finding so that its details show, and saves a screenshot. tests/test_views_browser.py runs it, so
the picture can always be remade from the repository.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from exokg.views import page as views

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "docs" / "images" / "question-view.png"
QUESTION = "exosomes-promoting-tumour-progression"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1400,1000",
)


def screenshot(
    out: Path = DEFAULT,
    question: str = QUESTION,
    params: dict[str, str] | None = None,
    finding: str | None = "exs:R03-B06",
) -> Path:
    """Save a screenshot of the question view to ``out``; click ``finding`` (a statement) first."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        raise SystemExit("needs Debian's chromium and chromium-driver")
    page = views.page(question=question, params=params)
    with tempfile.TemporaryDirectory() as work:
        html = Path(work) / "view.html"
        html.write_text(page.html, encoding="utf-8")
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={Path(work) / 'profile'}")
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        try:
            driver.get(html.as_uri())
            deadline = time.monotonic() + 120
            while driver.execute_script("return document.body.dataset.state") != "frozen":
                if time.monotonic() > deadline:
                    raise SystemExit("the layout did not freeze within 120 s")
                time.sleep(0.1)
            if finding:  # show one finding's card, as a reader who clicked it would see it
                driver.execute_script(
                    "const v = window.exokgView;"
                    "const id = v.edges.getIds().find(i => i.split(' ')[1] === arguments[0]);"
                    "if (id) { v.network.selectEdges([id]);"
                    "  document.getElementById('details').replaceChildren(v.cardOf(id)); }",
                    finding,
                )
            out.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(out))
        finally:
            driver.quit()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT)
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--finding", default="exs:R03-B06", help="statement whose card to show")
    args = parser.parse_args()
    params = dict(p.split("=", 1) for p in args.param)
    print(screenshot(args.output, args.question, params or None, args.finding or None))


if __name__ == "__main__":
    main()
