"""Where exokg's data files live — the only module that knows.

In a checkout, ``ontology/`` and ``queries/`` sit at the top level, beside ``exokg/``. In an installed
wheel they are copied into ``exokg/_data/`` (see ``[tool.hatch.build.targets.wheel.force-include]`` in
pyproject.toml). Every other module asks here; ``tests/test_resources.py`` checks that each path exists.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BUILD_DIR",
    "CLASS_TREE_QUERY",
    "CURATION_DIR",
    "DATA_ROOT",
    "EDIT_FILE",
    "IMPORTS_DIR",
    "KG_FILE",
    "LEXICON_QUERY",
    "MAPPINGS_FILE",
    "ONTOLOGY_DIR",
    "QC_DIR",
    "QUERIES_DIR",
    "RELEASED_IDS_FILE",
    "SHAPES_DIR",
    "STATIC_DIR",
    "TERM_FINDINGS_QUERY",
    "TERM_INFO_QUERY",
    "TERM_KNOWN_QUERY",
    "VIEW_QUERIES_DIR",
]


def _data_root() -> Path:
    package = Path(__file__).resolve().parent
    installed = package / "_data"
    return installed if installed.is_dir() else package.parent


DATA_ROOT = _data_root()
ONTOLOGY_DIR = DATA_ROOT / "ontology"
QUERIES_DIR = DATA_ROOT / "queries"

BUILD_DIR = ONTOLOGY_DIR / "build"
CURATION_DIR = ONTOLOGY_DIR / "curation"
EDIT_FILE = ONTOLOGY_DIR / "exokg-edit.ttl"
IMPORTS_DIR = ONTOLOGY_DIR / "imports"
KG_FILE = BUILD_DIR / "exokg-kg.nq"
LEXICON_QUERY = QUERIES_DIR / "lookup" / "lexicon.rq"
MAPPINGS_FILE = ONTOLOGY_DIR / "mappings" / "exokg.sssom.tsv"
QC_DIR = QUERIES_DIR / "qc"
RELEASED_IDS_FILE = ONTOLOGY_DIR / "released-ids.tsv"
SHAPES_DIR = ONTOLOGY_DIR / "shapes"
STATIC_DIR = Path(__file__).resolve().parent / "_static"
CLASS_TREE_QUERY = QUERIES_DIR / "lookup" / "class-tree.rq"
TERM_INFO_QUERY = QUERIES_DIR / "lookup" / "term-info.rq"
TERM_FINDINGS_QUERY = QUERIES_DIR / "lookup" / "term-findings.rq"
TERM_KNOWN_QUERY = QUERIES_DIR / "lookup" / "term-known.rq"
VIEW_QUERIES_DIR = QUERIES_DIR / "views"
