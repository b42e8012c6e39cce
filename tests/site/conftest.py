"""The site of the shipped graph, built once for the site's tests (figures included when Graphviz is
there, as in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from exokg.site.build import build_site

    out = tmp_path_factory.mktemp("site") / "site"
    build_site(out)
    return out
