"""Files from the graph view: GraphML and node-link JSON for other tools, and atomic writes.

The networkx graph of :func:`exokg.views.page.graph` keeps every attribute a string, an int or a bool, so
both formats carry it unchanged: ``networkx.read_graphml`` and ``networkx.node_link_graph(data,
edges="edges")`` give the same graph back, and Gephi, Cytoscape or yEd open the GraphML.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from exokg.core.errors import UsageError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ExportFormat", "export", "write"]

ExportFormat = Literal["graphml", "json"]


def export(g: nx.MultiDiGraph, fmt: ExportFormat) -> str:
    """``g`` as GraphML or as networkx node-link JSON (``edges`` key), ready to write."""
    import networkx as nx

    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(g, prettyprint=True)) + "\n"
    if fmt == "json":
        data = nx.node_link_data(g, edges="edges")
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    raise UsageError(f"unknown export format {fmt!r}", fix="use --format graphml or --format json")


def write(text: str | bytes, output: Path | None) -> None:
    """Write ``text`` (or bytes: a PNG) to ``output`` (or stdout) through
    :func:`exokg.core.outputs.write_output`, which never replaces what it did not write."""
    from exokg.core.outputs import write_output

    write_output(text, output, where=f"-o {output}" if output is not None else "")
