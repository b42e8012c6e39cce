"""Files from the graph view: GraphML and node-link JSON for other tools, and atomic writes.

The networkx graph of :func:`exokg.views.graph` keeps every attribute a string, an int or a bool, so
both formats carry it unchanged: ``networkx.read_graphml`` and ``networkx.node_link_graph(data,
edges="edges")`` give the same graph back, and Gephi, Cytoscape or yEd open the GraphML.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from exokg.errors import UsageError

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
    """Write ``text`` (or bytes: a PNG) to ``output`` atomically (a reader never sees half a file),
    or to stdout."""
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        return
    output = Path(output)
    temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        if isinstance(text, bytes):
            temporary.write_bytes(text)
        else:
            temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, output)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UsageError(f"cannot write the file: {error.strerror}", where=str(output)) from None
