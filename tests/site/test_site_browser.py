"""The site in a real browser (headless Chromium, network off): the pages a biologist opens, search,
the tables' filters and CSV download, and an accessibility check by axe-core.

axe-core comes from npm (``.ci/run`` installs it into ``tests/site/js``, as the skip message says);
nothing is fetched by the tests themselves.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import TESTS

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
AXE = TESTS / "site" / "js" / "node_modules" / "axe-core" / "axe.min.js"
AXE_INSTALL = "npm install --no-save --prefix tests/site/js axe-core@4.14.1 vnu-jar@26.9.27"
LOCAL = ("file:", "data:", "chrome:", "chrome-untrusted:", "about:", "blob:", "devtools:")
PAGES = (  # one page of each kind
    "index.html",
    "term/EXOKG_0000029.html",
    "term/hgnc_9766.html",
    "source/doi-10.1158_0008-5472.CAN-12-0925.html",
    "question/exosomes-promoting-tumour-progression.html",
    "claims.html",
    "terms.html",
)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("needs Debian's chromium and chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # the network is off: any request to another host fails (and is seen in the log)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    try:
        yield driver
    finally:
        driver.quit()


def wait_ready(driver: Any, path: Path) -> None:
    """Wait until the page's script has run (it marks the body ready), 30 s at most. ChromeDriver may
    return from a navigation while the document is still 'interactive', before deferred scripts ran."""
    deadline = time.monotonic() + 30
    while driver.execute_script("return document.body.dataset.ready") != "true":
        assert time.monotonic() < deadline, f"{path}: the page's script never ran"
        time.sleep(0.05)


def visit(driver: Any, path: Path) -> list[str]:
    """Open a page, wait for its script; return the URLs it requested from elsewhere than the disk."""
    driver.get_log("performance")
    driver.get(path.as_uri())
    wait_ready(driver, path)
    events = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
    sent = [
        e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"
    ]
    return [url for url in sent if not url.startswith(LOCAL)]


def errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def rows(driver: Any) -> list[str]:
    """The first column of the visible rows of the page's first table."""
    return list(
        driver.execute_script(
            "return Array.from(document.querySelector('table.data').tBodies[0].rows)"
            ".filter(r => !r.hidden).map(r => r.cells[0].textContent.trim())"
        )
    )


def test_pages_open_offline_without_errors(browser: Any, site_dir: Path, tmp_path: Path) -> None:
    for page in PAGES:
        assert visit(browser, site_dir / page) == [], f"{page} reached out"
        assert errors(browser) == [], page
    browser.get((site_dir / "term/EXOKG_0000029.html").as_uri())
    browser.save_screenshot(str(tmp_path / "term.png"))


@pytest.mark.slow
def test_no_page_logs_an_error_or_reaches_out(browser: Any, site_dir: Path) -> None:
    """Every page, opened with the network off: its script runs and the console stays clean (a
    request to another host would fail there and be logged)."""
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 400
    browser.get_log("browser")
    for path in pages:
        browser.get(path.as_uri())
        wait_ready(browser, path)
        assert browser.get_log("browser") == [], path
        browser.get_log("performance")  # not kept: emptied as it goes


def test_term_page_shows_the_4t1_findings_with_contrast_and_caveat(
    browser: Any, site_dir: Path
) -> None:
    from selenium.webdriver.common.by import By

    visit(browser, site_dir / "term/EXOKG_0000029.html")
    ids = rows(browser)
    assert {"R03-B05", "R03-B05b", "R03-B06", "R03-B04c"} <= set(ids)
    table = browser.find_element(By.CSS_SELECTOR, "table.data").text
    assert "TS/A" in table and "MMP9" in table
    assert "contrasts with R03-B05" in table and "caveat on R03-B05" in table


def test_search_finds_a_term_by_synonym(browser: Any, site_dir: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    visit(browser, site_dir / "source/doi-10.1158_0008-5472.CAN-12-0925.html")
    box = browser.find_element(By.ID, "search-box")
    box.send_keys("4T1 sEV")  # a related synonym of "small EV from 4T1 cells"
    results = browser.find_elements(By.CSS_SELECTOR, "#search-results a")
    assert results, "no search result"
    assert results[0].get_attribute("href").endswith("/term/EXOKG_0000029.html")
    # keyboard: down to the first result, Enter opens it
    box.send_keys(Keys.ARROW_DOWN)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    deadline = time.monotonic() + 10
    while not browser.current_url.endswith("/term/EXOKG_0000029.html"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("small EV from 4T1 cells")

    visit(browser, site_dir / "index.html")
    browser.find_element(By.ID, "search-box").send_keys("Rab27a")  # a gene symbol
    first = browser.find_elements(By.CSS_SELECTOR, "#search-results a")[0]
    assert "rab27a" in first.text.casefold()


def test_filter_sort_and_csv_download(browser: Any, site_dir: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    visit(browser, site_dir / "term/EXOKG_0000029.html")
    everything = rows(browser)
    Select(browser.find_element(By.CSS_SELECTOR, "select[data-filter=effect]")).select_by_value(
        "no effect"
    )
    kept = rows(browser)
    assert kept and set(kept) < set(everything)
    assert set(kept) == {"R03-B06", "R03-B06b"}
    assert f"{len(kept)} of {len(everything)} rows shown" in browser.page_source

    browser.find_element(By.XPATH, "//button[text()='Download CSV']").click()
    target = downloads / "EXOKG_0000029-findings.csv"
    deadline = time.monotonic() + 20
    while not target.is_file():
        assert time.monotonic() < deadline, os.listdir(downloads)
        time.sleep(0.1)
    with target.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0][:3] == ["Id", "Effect", "Subject"]
    assert [r[0] for r in table[1:]] == kept
    assert all("no effect" in r[1] for r in table[1:])

    Select(browser.find_element(By.CSS_SELECTOR, "select[data-filter=effect]")).select_by_value("")
    browser.find_element(By.XPATH, "//th/button[text()='Id']").click()
    assert rows(browser) == sorted(everything, key=str.casefold)
    header = browser.find_element(By.XPATH, "//th[button[text()='Id']]")
    assert header.get_attribute("aria-sort") == "ascending"


def test_no_serious_accessibility_violation(browser: Any, site_dir: Path) -> None:
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is missing: .ci/run installs it ({AXE_INSTALL})")
        pytest.skip(f"axe-core is not installed: {AXE_INSTALL}")
    axe = AXE.read_text(encoding="utf-8")
    for page in (
        "index.html",
        "term/EXOKG_0000029.html",
        "source/doi-10.1158_0008-5472.CAN-12-0925.html",
        "question/exosomes-promoting-tumour-progression.html",
    ):
        for width in (1280, 390):  # a desktop and a phone
            browser.set_window_size(width, 900)
            visit(browser, site_dir / page)
            browser.execute_script(axe)  # the test injects it; the page's policy is not involved
            result = browser.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document).then(r => done(r.violations.map(v => [v.id, v.impact, v.nodes.length])));"
            )
            serious = [v for v in result if v[1] in ("serious", "critical")]
            assert serious == [], f"{page} at {width}px: {serious}"


def test_screenshot_script_remakes_the_readme_picture(site_dir: Path, tmp_path: Path) -> None:
    """scripts/screenshot_site.py makes the README's picture of a term page."""
    import runpy

    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("needs Debian's chromium and chromium-driver")
    script = runpy.run_path(str(TESTS.parent / "scripts" / "screenshot_site.py"))
    out = script["screenshot"](tmp_path / "term.png", site_dir)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 50_000


def test_search_finds_a_vesicle_named_by_its_cell_of_origin(browser: Any, site_dir: Path) -> None:
    """The CLI's compositional names ("dendritic cell exosomes") are in the site's index too."""
    from selenium.webdriver.common.by import By

    from exokg.site.build import page_name
    from exokg.text.compose import compose
    from exokg.text.lexicon import load_lexicon

    expected = compose(load_lexicon(), "dendritic cell exosomes", limit=1)[0].curie
    visit(browser, site_dir / "index.html")
    browser.find_element(By.ID, "search-box").send_keys("dendritic cell exosomes")
    results = browser.find_elements(By.CSS_SELECTOR, "#search-results a")
    assert results and results[0].get_attribute("href").endswith("/term/" + page_name(expected))


def test_hostile_text_stays_text(browser: Any, tmp_path: Path) -> None:
    """Labels, definitions and findings that look like markup are shown, never run."""
    from selenium.webdriver.common.by import By

    from exokg.site.build import build_site
    from tests.views.test_views import XSS_LABEL, write_xss_kg

    site = tmp_path / "site"
    build_site(site, kg_file=write_xss_kg(tmp_path / "xss.nq"), figures=False)
    for page in ("index.html", "term/EXOKG_0000023.html", "question/claims.html", "terms.html"):
        visit(browser, site / page)
        assert browser.execute_script("return window.exokgPwned") is None, page
        assert errors(browser) == [], page
    assert browser.find_element(By.XPATH, f"//a[text()='{XSS_LABEL}']")
    browser.find_element(By.ID, "search-box").send_keys("img src")
    results = browser.find_elements(By.CSS_SELECTOR, "#search-results a")
    assert results and results[0].text.startswith(XSS_LABEL)
    assert browser.execute_script("return window.exokgPwned") is None
