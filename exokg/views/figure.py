"""Static pictures of the graph view for papers and slides: Graphviz DOT, SVG and PNG.

The interactive page is for exploring; a figure must be a file that prints. exokg writes the
subgraph (a term's neighbourhood or a question's answer, see :func:`exokg.views.page.subgraph`) as
Graphviz DOT with the page's encoding (promotes: green, normal arrowhead; inhibits: red, tee ⊣;
no effect: grey, dashed, round head; caveat: orange, dotted, diamond; contrasting findings: a pink
dashed pair), and lets Graphviz's ``dot`` lay it out and draw it.

Why Graphviz (Debian's ``graphviz`` package) and not a pure-Python layout: ``dot`` places labelled
nodes without overlap and routes edges around them, which networkx's spring layouts and matplotlib
do not; it writes real vector SVG; and it is one system program rather than a heavy Python stack
(matplotlib, numpy) in every install. DOT output needs nothing: it is text that any Graphviz reads.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from typing import TYPE_CHECKING, Any, Literal

from exokg.core.errors import DataError, UsageError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["FigureFormat", "figure", "to_dot"]

FigureFormat = Literal["dot", "svg", "png"]

_NODE = {  # kind -> (shape, fill, border), as on the page
    "vesicle": ("ellipse", "#c6dbef", "#2171b5"),
    "entity": ("box", "#fdd0a2", "#d94801"),
    "context": ("box", "#e5f5e0", "#41ab5d"),
}
_EDGE = {  # effect, polarity or kind -> (colour, style, arrowhead)
    "promotes": ("#1a9850", "solid", "normal"),
    "inhibits": ("#d73027", "solid", "tee"),
    "affects": ("#4575b4", "solid", "vee"),
    "no effect": ("#636363", "dashed", "odot"),
    "caveat": ("#e08214", "dotted", "diamond"),
    "positive": ("#807dba", "solid", "normal"),
    "negative": ("#807dba", "dashed", "odot"),
    "contrast": ("#e7298a", "dashed", "none"),
    "subclass": ("#9e9e9e", "solid", "empty"),
    "context": ("#74add1", "dotted", "none"),
    "reported": ("#2171b5", "dotted", "none"),
}


def _quote(text: object) -> str:
    """A DOT double-quoted string: the text stays text (no HTML labels, no escapes run)."""
    value = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{value}"'


def _key(data: dict[str, Any]) -> str:
    if data["kind"] != "finding":
        return str(data["kind"])
    return str(data.get("effect") or data.get("polarity", "positive"))


def to_dot(g: nx.MultiDiGraph, *, title: str = "exokg") -> str:
    """``g`` as Graphviz DOT, nodes and links styled like the graph view, with a legend of its links."""
    lines = [
        "digraph exokg {",
        f"  graph [label={_quote(title)}, labelloc=t, fontname=Helvetica, fontsize=16, "
        "rankdir=LR, nodesep=0.3, ranksep=0.6];",
        '  node [fontname=Helvetica, fontsize=11, style="filled", penwidth=1.2];',
        "  edge [fontname=Helvetica, fontsize=9, penwidth=1.4];",
    ]
    for node, data in sorted(g.nodes(data=True)):
        shape, fill, border = _NODE.get(data.get("kind", "entity"), _NODE["entity"])
        style = "filled,rounded" if shape == "box" else "filled"
        lines.append(
            f"  {_quote(node)} [label={_quote(data.get('label', node))}, shape={shape}, "
            f'fillcolor="{fill}", color="{border}", style="{style}", tooltip={_quote(node)}];'
        )
    used = set()
    kinds = {data.get("kind", "entity") for _, data in g.nodes(data=True)}
    # parallel findings of one effect between two terms: one label with their count, not one each
    same: Counter[tuple[str, str, str]] = Counter(
        (u, v, _key(d)) for u, v, d in g.edges(data=True) if d["kind"] == "finding"
    )
    labelled: set[tuple[str, str, str]] = set()
    for u, v, _, data in sorted(g.edges(keys=True, data=True), key=lambda e: str(e[2])):
        what = _key(data)
        used.add(what)
        colour, style, head = _EDGE.get(what, _EDGE["positive"])
        attributes = [f'color="{colour}"', f"style={style}", f"arrowhead={head}"]
        if data["kind"] == "finding":
            attributes.append(f"penwidth={2.4 if data.get('experimental') else 1.2}")
            bundle = (u, v, what)
            if data.get("effect") and bundle not in labelled:
                labelled.add(bundle)
                count = same[bundle]
                text = data["effect"] + (f" ({count} findings)" if count > 1 else "")
                attributes.append(f'label={_quote(text)}, fontcolor="{colour}"')
            if data.get("paraphrase"):
                attributes.append(f"tooltip={_quote(data['paraphrase'])}")
        elif what == "contrast":
            count = data.get("count", 1)
            label = _quote("contrast" + (f" ({count} pairs)" if count > 1 else ""))
            attributes += [
                "dir=none",
                f"label={label}",
                f'fontcolor="{colour}"',
                "constraint=false",
            ]
        elif what == "reported":
            label = _quote(f"reported as ({data.get('count', 1)})")
            attributes += [f"label={label}", f'fontcolor="{colour}"']
        lines.append(f"  {_quote(u)} -> {_quote(v)} [{', '.join(attributes)}];")
    lines += _legend(used, kinds)
    lines.append("}")
    return "\n".join(lines) + "\n"


_WORDS = {
    "promotes": "promotes",
    "inhibits": "inhibits",
    "affects": "affects (direction unknown)",
    "no effect": "no effect found",
    "caveat": "caveat",
    "positive": "other finding",
    "negative": "other finding, not observed",
    "contrast": "contrasting findings",
    "subclass": "is a",
    "context": "studied in",
    "reported": "reported by the authors as",
}


_SHAPES = {"ellipse": "\u25cb", "box": "\u25a1"}  # ○ and □: the shapes the nodes are drawn in
_KINDS = {"vesicle": "vesicle class", "entity": "gene, process or other term", "context": "cells"}


def _legend(used: set[str], kinds: set[str] | None = None) -> list[str]:
    """A compact legend in a side column: one line per kind of link drawn, one per node shape."""
    if not used:
        return []
    rows = []
    for what in (k for k in _EDGE if k in used):
        colour, style, _head = _EDGE[what]
        line = {"solid": "\u2500\u2500\u25b6", "dashed": "\u254c\u254c\u25b6"}.get(
            style, "\u2508\u2508\u25b6"
        )
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT COLOR="{colour}">{line} {_html(_WORDS[what])}</FONT>'
            "</TD></TR>"
        )
    for kind in (k for k in _NODE if k in (kinds or set())):
        shape, _fill, border = _NODE[kind]
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT COLOR="{border}">{_SHAPES.get(shape, "")}</FONT> '
            f"{_html(_KINDS.get(kind, kind))}</TD></TR>"
        )
    table = (
        '<<TABLE BORDER="1" COLOR="#bbbbbb" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
        + "".join(rows)
        + "</TABLE>>"
    )
    return [
        f"  legend [shape=plaintext, style=solid, fontsize=9, label={table}];",
        "  { rank=sink; legend; }",
    ]


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def figure(g: nx.MultiDiGraph, fmt: FigureFormat, *, title: str = "exokg") -> str | bytes:
    """The figure of ``g``: DOT text, or SVG text / PNG bytes drawn by Graphviz's ``dot``."""
    text = to_dot(g, title=title)
    if fmt == "dot":
        return text
    if fmt not in ("svg", "png"):
        raise UsageError(f"unknown figure format {fmt!r}", fix="use dot, svg or png")
    program = shutil.which("dot")
    if program is None:
        raise UsageError(
            f"drawing {fmt.upper()} needs Graphviz's dot program, which is not installed",
            fix="install Graphviz (Debian: apt-get install graphviz), or write --format dot",
        )
    done = subprocess.run(
        [program, f"-T{fmt}"], input=text.encode("utf-8"), capture_output=True, timeout=300
    )
    if done.returncode != 0:
        raise DataError(
            f"Graphviz could not draw the figure: {done.stderr.decode(errors='replace').strip()}",
            where="dot",
            fix="write --format dot and report the problem",
        )
    return done.stdout.decode("utf-8") if fmt == "svg" else done.stdout
