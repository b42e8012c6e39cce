"""Where exokg's data files live — the only module that knows.

In a checkout, ``ontology/`` and ``queries/`` sit at the top level, beside ``exokg/``. In an installed
wheel they are copied into ``exokg/_data/`` (see ``[tool.hatch.build.targets.wheel.force-include]`` in
pyproject.toml). Every other module asks here; ``tests/test_resources.py`` checks that each path exists.

The compiled graph: in a checkout ``exokg build`` rewrites ``ontology/build/exokg-kg.nq`` (the file
committed and shipped). An installed package is never written to: there ``exokg build`` writes to the
user's data directory (:func:`user_data_dir`: ``$EXOKG_DATA_DIR``, else ``$XDG_DATA_HOME/exokg``, else
``~/.local/share/exokg``), and :data:`KG_FILE`, the graph every reader opens by default, is that
user-built graph when it exists, else the one shipped in the package.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = [
    "BUILD_DIR",
    "CLASS_TREE_QUERY",
    "CURATION_DIR",
    "DATA_ROOT",
    "EDIT_FILE",
    "FINDINGS_QUERY",
    "IMPORTS_DIR",
    "KG_FILE",
    "LEXICON_QUERY",
    "MAPPINGS_FILE",
    "ONTOLOGY_DIR",
    "PACKAGE_DIR",
    "QC_DIR",
    "QUERIES_DIR",
    "RELEASED_IDS_FILE",
    "SHAPES_DIR",
    "SHIPPED_KG_FILE",
    "SITE_STATIC_DIR",
    "SITE_TEMPLATES_DIR",
    "STATIC_DIR",
    "TERM_FINDINGS_QUERY",
    "TERM_INFO_QUERY",
    "TERM_KNOWN_QUERY",
    "VIEW_QUERIES_DIR",
    "build_output",
    "user_cache_dir",
    "user_data_dir",
]


PACKAGE_DIR = (
    Path(__file__).resolve().parent.parent
)  # exokg/, this file being exokg/core/resources.py


def _data_root() -> Path:
    package = PACKAGE_DIR
    installed = package / "_data"
    return installed if installed.is_dir() else package.parent


DATA_ROOT = _data_root()
INSTALLED = DATA_ROOT.name == "_data"
ONTOLOGY_DIR = DATA_ROOT / "ontology"
QUERIES_DIR = DATA_ROOT / "queries"

BUILD_DIR = ONTOLOGY_DIR / "build"
CURATION_DIR = ONTOLOGY_DIR / "curation"
EDIT_FILE = ONTOLOGY_DIR / "exokg-edit.ttl"
IMPORTS_DIR = ONTOLOGY_DIR / "imports"
SHIPPED_KG_FILE = BUILD_DIR / "exokg-kg.nq"
LEXICON_QUERY = QUERIES_DIR / "lookup" / "lexicon.rq"
MAPPINGS_FILE = ONTOLOGY_DIR / "mappings" / "exokg.sssom.tsv"
QC_DIR = QUERIES_DIR / "qc"
RELEASED_IDS_FILE = ONTOLOGY_DIR / "released-ids.tsv"
SHAPES_DIR = ONTOLOGY_DIR / "shapes"
STATIC_DIR = PACKAGE_DIR / "views" / "_static"
SITE_STATIC_DIR = PACKAGE_DIR / "site" / "_static"  # scripts and styles of `exokg site`
SITE_TEMPLATES_DIR = PACKAGE_DIR / "site" / "_templates"
CLASS_TREE_QUERY = QUERIES_DIR / "lookup" / "class-tree.rq"
TERM_INFO_QUERY = QUERIES_DIR / "lookup" / "term-info.rq"
FINDINGS_QUERY = QUERIES_DIR / "lookup" / "findings.rq"
TERM_FINDINGS_QUERY = QUERIES_DIR / "lookup" / "term-findings.rq"
TERM_KNOWN_QUERY = QUERIES_DIR / "lookup" / "term-known.rq"
RELATION_EFFECTS_QUERY = QUERIES_DIR / "lookup" / "relation-effects.rq"
VIEW_QUERIES_DIR = QUERIES_DIR / "views"


def user_data_dir() -> Path:
    """Where an installed exokg writes what it builds: ``$EXOKG_DATA_DIR``, else the XDG data home."""
    explicit = os.environ.get("EXOKG_DATA_DIR")
    if explicit:
        return Path(explicit)
    home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(home) / "exokg"


def user_cache_dir() -> Path:
    """Where exokg keeps what it can rebuild (a store of the graph, the lexicon): the user's cache
    folder, as ``platformdirs.user_cache_dir("exokg")`` gives it; on Linux read from
    ``$XDG_CACHE_HOME`` directly, since importing platformdirs costs a cold ``exokg ask`` more than
    the lookup."""
    if sys.platform.startswith("linux"):
        home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(home) / "exokg"
    from platformdirs import user_cache_dir as platform_cache_dir

    return Path(platform_cache_dir("exokg"))


def is_mine(info: os.stat_result) -> bool:
    """Whether a file's status says it is this user's and that no one else may write it (on systems
    without user ids, Windows, its permissions alone decide)."""
    getuid = getattr(os, "getuid", None)
    return (getuid is None or info.st_uid == getuid()) and not info.st_mode & 0o022


def owned(path: Path, *, folder: bool = False) -> bool:
    """Whether ``path`` is a file (or, with ``folder``, a folder) of this user's that is no link and
    that no one else may write: what exokg trusts in its cache folder."""
    import stat

    try:
        info = os.lstat(path)
    except OSError:
        return False
    kind = stat.S_ISDIR if folder else stat.S_ISREG
    return kind(info.st_mode) and is_mine(info)


def build_output() -> Path:
    """Where ``exokg build`` writes by default: the checkout's graph, or the user's data directory."""
    return user_data_dir() / SHIPPED_KG_FILE.name if INSTALLED else SHIPPED_KG_FILE


def _kg_file() -> Path:
    """The user's own build when there is one and it is newer than the shipped graph: after an
    upgrade of exokg, the graph it ships is newer, and an old build no longer shadows it."""
    built = build_output()
    try:
        newer = (
            built != SHIPPED_KG_FILE and built.stat().st_mtime >= SHIPPED_KG_FILE.stat().st_mtime
        )
    except OSError:
        newer = built.is_file()
    return built if newer else SHIPPED_KG_FILE


KG_FILE = _kg_file()
