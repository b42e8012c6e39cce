"""The documentation site: built strictly, its examples run, its notebook executed with the public API."""

from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import pytest

from tests import ROOT

DOCS = ROOT / "docs"
PAGES_WITH_EXAMPLES = sorted(
    p for p in DOCS.rglob("*.md") if ">>> " in p.read_text(encoding="utf-8")
)


def test_some_pages_have_examples() -> None:
    assert DOCS / "getting-started" / "python.md" in PAGES_WITH_EXAMPLES


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES, ids=lambda p: str(p.relative_to(DOCS)))
def test_every_example_on_a_page_runs(page: Path) -> None:
    failed, attempted = doctest.testfile(
        str(page), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False
    )
    assert attempted > 0 and failed == 0, f"{failed} of {attempted} examples failed in {page}"


def test_the_api_docstring_examples_run() -> None:
    import exokg
    import exokg.api

    for module in (exokg, exokg.api):
        failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert attempted > 0 and failed == 0, module.__name__


@pytest.mark.slow
def test_the_site_builds_strictly(tmp_path: Path) -> None:
    """Sphinx with warnings as errors: a broken cross-reference, a page missing from the table of
    contents or a docstring the API reference cannot render fails the build."""
    site = tmp_path / "site"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            "docs",
            str(site),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    api = (site / "reference" / "api.html").read_text(encoding="utf-8")
    assert "KnowledgeGraph" in api and "to_dataframe" in api
    assert (site / "notebooks" / "python-api.html").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert (
        "fonts.googleapis.com" not in home and 'src="http' not in home
    )  # nothing loaded from outside


@pytest.mark.slow
def test_the_notebook_runs_on_the_public_api_alone(tmp_path: Path) -> None:
    """The notebook in the docs, executed by a real kernel: the main answer as a DataFrame with
    numeric scores, a term with its findings, networkx, owlready2 with every finding, an inline view."""
    import nbformat
    from nbclient import NotebookClient

    path = DOCS / "notebooks" / "python-api.ipynb"
    notebook = nbformat.read(path, as_version=4)
    sources = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    imports = [line for line in sources.splitlines() if line.startswith(("import ", "from "))]
    assert imports == ["import exokg", "import networkx as nx"], "only the public API"
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(o.get("output_type") != "error" for c in code for o in c.outputs)

    def shown(index: int, kind: str) -> str:
        return "".join(
            str(o.get("data", {}).get(kind, "")) + o.get("text", "") for o in code[index].outputs
        )

    assert "small EV from 4T1 cells" in shown(1, "text/html")  # the main answer as a DataFrame
    assert "promotes" in shown(2, "text/plain") and "no effect" in shown(2, "text/plain")
    assert "TS/A-derived exosome" in shown(3, "text/plain")
    assert "findings in the owlready2 world" in shown(6, "text/plain")
    assert int(shown(6, "text/plain").split()[0]) >= 150
    assert "<iframe" in shown(7, "text/html")  # the inline view
