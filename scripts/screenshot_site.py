"""Make the README's picture of the website: the term page of the 4T1 small EVs, in Chromium.

    python scripts/screenshot_site.py                  # builds the site, writes docs/images/site-term.png
    python scripts/screenshot_site.py --site DIR -o other.png --page term/EXOKG_0000022.html

It opens a page of the site `exokg site` writes from the shipped graph (or of an existing site given
with --site) in headless Chromium (Debian's chromium and chromium-driver) with the network off, filters
the findings to the in-vivo ones so that the 4T1 findings, the TS/A contrast and the caveats show
together, and saves a screenshot. tests/site/test_site_browser.py runs it, so the picture can always be
remade from the repository.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "docs" / "images" / "site-term.png"
PAGE = "term/EXOKG_0000029.html"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1400,1500",
)


def screenshot(out: Path = DEFAULT, site: Path | None = None, page: str = PAGE) -> Path:
    """Save a screenshot of ``page`` of ``site`` (built into a temporary folder when None) to ``out``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        raise SystemExit("needs Debian's chromium and chromium-driver")
    with tempfile.TemporaryDirectory() as work:
        if site is None:
            from exokg.site.build import build_site

            site = Path(work) / "site"
            build_site(site)
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={Path(work) / 'profile'}")
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        try:
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd(
                "Network.emulateNetworkConditions",
                {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            )
            driver.get((site / page).as_uri())
            deadline = time.monotonic() + 30
            while driver.execute_script("return document.body.dataset.ready") != "true":
                if time.monotonic() > deadline:
                    raise SystemExit(f"{page}: the page's script never ran")
                time.sleep(0.05)
            driver.execute_script(
                "const s = document.querySelector('select[data-filter=system]');"
                "if (s) { s.value = 'in vivo'; s.dispatchEvent(new Event('change')); }"
                "const f = document.getElementById('findings-heading');"
                "if (f) window.scrollTo(0, f.getBoundingClientRect().top + window.scrollY - 220);"
            )
            out.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(out))
        finally:
            driver.quit()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT)
    parser.add_argument("--site", type=Path, help="An existing site (default: build one)")
    parser.add_argument("--page", default=PAGE, help="The page, from the site's root")
    args = parser.parse_args()
    print(screenshot(args.output, args.site, args.page))


if __name__ == "__main__":
    main()
