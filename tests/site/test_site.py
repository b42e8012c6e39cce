"""`exokg site`: the pages of the shipped graph, read as files (the browser tests open them)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from exokg.site.build import page_name
from tests import TESTS
from tests.conftest import ExokgRunner

EXOKG = [sys.executable, "-m", "exokg"]
VNU = TESTS / "site" / "js" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
NPM_INSTALL = "npm install --no-save --prefix tests/site/js axe-core@4.14.1 vnu-jar@26.9.27"


class _Page(HTMLParser):
    """What a page loads (scripts, styles, images) and its ids, and whether its tags nest."""

    VOID: ClassVar[set[str]] = {
        "meta",
        "link",
        "br",
        "input",
        "img",
        "hr",
        "col",
        "source",
        "wbr",
        "area",
        "base",
    }

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.ids: list[str] = []
        self.open: list[str] = []
        self.errors: list[str] = []
        self.csp = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.loads.append(a["src"] or "")
        if tag == "link" and a.get("rel") == "stylesheet":
            self.loads.append(a.get("href") or "")
        if tag in ("img", "iframe", "image") and (a.get("src") or a.get("href")):
            self.loads.append(a.get("src") or a.get("href") or "")
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a.get("content") or ""
        if "id" in a:
            self.ids.append(a["id"] or "")
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.open[-1] if self.open else '-'}>")
            return
        self.open.pop()


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_every_page_loads_only_its_own_files_under_a_policy(site_dir: Path) -> None:
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 400
    for path in pages:
        page = parse(path)
        assert page.errors == [] and page.open == [], f"{path.name}: tags do not nest"
        assert "default-src 'none'" in page.csp, path
        for target in page.loads:
            assert "://" not in target and not target.startswith("//"), f"{path}: loads {target}"
            assert (path.parent / target).is_file(), f"{path}: {target} is missing"
        duplicated = {i for i in page.ids if page.ids.count(i) > 1}
        assert not duplicated, f"{path.name}: ids used twice: {duplicated}"


@pytest.mark.slow
def test_every_page_is_valid_html(site_dir: Path) -> None:
    """The Nu Html Checker (the W3C's validator, vnu.jar from npm) finds no error in any page."""
    java = shutil.which("java")
    if not (VNU.is_file() and java):
        if os.environ.get("CI"):
            pytest.fail(f"the Nu Html Checker is missing: .ci/run installs it ({NPM_INSTALL})")
        pytest.skip(f"the Nu Html Checker is not installed: {NPM_INSTALL}")
    done = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--skip-non-html", str(site_dir)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[:3000]


def test_term_page_of_the_4t1_vesicles_shows_contrast_and_caveat(site_dir: Path) -> None:
    html = (site_dir / "term" / "EXOKG_0000029.html").read_text(encoding="utf-8")
    assert "small EV from 4T1 cells" in html and "https://w3id.org/exokg/EXOKG_0000029" in html
    assert 'id="R03-B05"' in html  # the 4T1 finding, with its anchor
    # the caption counts the term's own findings, as `exokg ask evidence-for` does (3), not the
    # caveats and contrasts shown beside them
    assert re.search(r'<span class="count">\(3, with \d+ caveats and contrasts beside them\)', html)
    # the TS/A findings it contrasts with, and the MMP9 caveat, beside it
    assert re.search(r"R03-B06</a>.*?TS/A.*?contrasts with R03-B05", html, re.S)
    assert re.search(r"R03-B04c</a>.*?MMP9.*?caveat on R03-B05", html, re.S)
    assert 'href="../source/doi-10.1158_0008-5472.CAN-12-0925.html"' in html
    assert "https://doi.org/10.1158/0008-5472.CAN-12-0925" in html
    assert 'href="../term/EXOKG_0000028.html">small EV from tumour cells</a>' in html  # parent
    if shutil.which("dot"):
        assert '<figure class="graph">' in html and "<svg" in html


def test_findings_under_the_authors_term_are_on_the_reported_class_too(site_dir: Path) -> None:
    reported = (site_dir / "term" / page_name("EXOKG:0000022")).read_text(encoding="utf-8")
    assert "4T1-derived exosome" in reported
    assert "R03-B05</a>" in reported and "small EV from 4T1 cells" in reported


def test_home_source_claim_and_question_pages(site_dir: Path) -> None:
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "Exosomes that promote tumour progression" in home and "R03-B05b" in home
    source = (site_dir / "source" / "doi-10.1158_0008-5472.CAN-12-0925.html").read_text("utf-8")
    assert "Rab27a supports exosome-dependent" in source and "R03-B06" in source
    claims = sorted((site_dir / "claim").glob("*.html"))
    assert claims and "Supporting findings" in claims[0].read_text(encoding="utf-8")
    question = (site_dir / "question" / "negative-findings.html").read_text(encoding="utf-8")
    assert 'href="../question/negative-findings.rq"' in question and "<table" in question
    assert (site_dir / "question" / "negative-findings.rq").read_text().lstrip().startswith("#")
    index = (site_dir / "static" / "search-index.js").read_text(encoding="utf-8")
    assert "4T1 sEV" in index  # a synonym, searchable


def test_cli_builds_and_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "todo.txt").write_text("mine")
    done = subprocess.run(
        [*EXOKG, "site", "-o", str(mine), "--no-figures"], capture_output=True, text=True
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert (mine / "todo.txt").read_text() == "mine" and len(list(mine.iterdir())) == 1

    out = tmp_path / "site"
    manifests = []
    for _ in range(2):  # a second build replaces the first one, byte for byte the same
        done = subprocess.run(
            [*EXOKG, "site", "-o", str(out), "--no-figures"], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        manifests.append((out / "exokg-release.json").read_text(encoding="utf-8"))
    assert manifests[0] == manifests[1]
    assert re.search(r"wrote \d+ pages \(.*\d+ term", done.stdout), done.stdout
    assert (out / "term" / "EXOKG_0000022.html").is_file()


@pytest.mark.parametrize("name", ["EXOKG:0000022", "hgnc:7176", "GO:0070062"])
def test_page_names_follow_the_identifiers(name: str) -> None:
    assert page_name(name) == name.replace(":", "_") + ".html"


def test_organism_and_disease_pages_list_the_findings_made_in_them(
    site_dir: Path, exokg: ExokgRunner
) -> None:
    """A mouse page lists the findings made in mice (the same ones `exokg findings --where
    organism=NCBITaxon:10090` gives), and a disease page those whose model has the disease."""

    def html_of(name: str) -> str:
        return (site_dir / "term" / name).read_text(encoding="utf-8")

    def made_in(name: str) -> tuple[set[str], set[str]]:
        html = (site_dir / "term" / name).read_text(encoding="utf-8")
        section = html.split('id="made-in-heading"', 1)[1].split("</section>", 1)[0]
        rows = re.findall(r'<tr class="finding [^"]*">\s*<td>(?:<a [^>]*>)?([\w-]+)<', section)
        why = re.findall(r"<td>(caveat on [\w-]+|contrasts with [\w-]+)?</td>\s*</tr>", section)
        assert len(rows) == len(why)
        # the findings listed for themselves, and all rows (with the caveats and contrasts beside)
        return {i for i, reason in zip(rows, why, strict=True) if not reason}, set(rows)

    direct, _ = made_in("NCBITaxon_10090.html")
    listed = exokg("findings", "--where", "organism=NCBITaxon:10090", "--format", "plain-tsv")
    assert listed.returncode == 0, listed.stderr
    header, *lines = listed.stdout.splitlines()
    column = header.split("\t").index("statement")
    in_mice = {line.split("\t")[column].removeprefix("exs:") for line in lines}
    assert direct == in_mice  # the caveats and contrasts beside them are marked as such
    caption = re.search(
        r"Findings made in Mus musculus <span class=\"count\">\(([^)]*)\)",
        html_of("NCBITaxon_10090.html"),
    )
    assert caption and caption[1].startswith(f"{len(in_mice)}")
    assert "R03-B05" in direct  # 4T1 exosomes promote metastasis in mice
    breast, beside = made_in(page_name("MONDO:0004989"))  # breast carcinoma: 4T1 and TS/A models
    assert "R03-B05" in breast and "R03-B06" in beside  # TS/A contrasts with 4T1
