"""Load the exokg ontology: the editors' file and its import modules, merged into one rdflib graph.

The editors' file declares ``owl:imports`` of the modules by IRI (so Protégé can follow them through
``ontology/catalog-v001.xml``); exokg never dereferences those IRIs. It reads the module files that
ship beside the editors' file instead, so loading works offline and gives the same graph everywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from exokg.core.errors import DataError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["import_files", "load_ontology"]


def import_files(imports_dir: Path | None = None) -> list[Path]:
    """The import modules, in a stable order."""
    from exokg.core import resources

    directory = imports_dir or resources.IMPORTS_DIR
    return sorted(directory.glob("*_import.ttl"))


def load_ontology(
    edit_file: Path | None = None,
    imports_dir: Path | None = None,
    *,
    with_imports: bool = True,
) -> Graph:
    """Parse the editors' file and (by default) every import module into one graph.

    >>> graph = load_ontology()
    >>> len(graph) > 1000
    True
    """
    from rdflib import Graph

    from exokg.core import resources
    from exokg.core.prefixes import PREFIXES

    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    files = [edit_file or resources.EDIT_FILE]
    if with_imports:
        files += import_files(imports_dir)
    for path in files:
        _parse_into(graph, path)
    return graph


def _parse_into(graph: Graph, path: Path) -> None:
    if not path.is_file():
        raise DataError(
            "ontology file not found", where=str(path), fix="check the path, or run from a checkout"
        )
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises several parser-specific exception types
        raise DataError(
            f"cannot parse Turtle: {error}".splitlines()[0],
            where=str(path),
            fix="fix the syntax (rdflib's message names the line)",
        ) from error
