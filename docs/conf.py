"""Sphinx configuration of exokg's documentation site (``python -m sphinx -W -b html docs site``)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # document the checkout's exokg, installed or not

import exokg  # noqa: E402

project = "exokg"
author = "the exokg team"
copyright = "the exokg team; code MIT, data CC BY 4.0"
version = release = exokg.__version__

extensions = [
    "myst_nb",  # Markdown pages (MyST) and the notebook, shown as committed
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "images"]
nb_execution_mode = "off"  # tests/test_docs.py executes the notebook with a real kernel
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}

html_theme = "furo"
html_title = f"exokg {release}"
html_static_path: list[str] = []
html_show_sourcelink = False
