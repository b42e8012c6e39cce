"""Views: the compiled graph as a networkx graph, an interactive offline page, GraphML and JSON.

People would rather look at the vesicle hierarchy and the web of findings than read tables. This
module projects the compiled graph (docs/design.md) onto a networkx ``MultiDiGraph``:

* nodes are terms, keyed by CURIE: vesicle classes (``kind="vesicle"``), the other subjects and objects
  of statements (``kind="entity"``) and, on request, cell lines and organisms (``kind="context"``);
  each carries ``label``, ``curie``, ``iri``, ``definition`` and ``statements`` (how many statements
  mention it);
* edges are the direct links of the vesicle hierarchy (``kind="subclass"``), one edge per curated
  statement from its subject to its object (``kind="finding"``, keyed by the statement's CURIE, with its
  polarity, evidence, context, verification, scope and source), and optional context links.

Every attribute is a string, an int or a bool, so the same graph is written to GraphML and node-link
JSON unchanged. :func:`network` turns it into a pyvis ``Network`` whose page is exokg's own template:
self-contained (vis-network is inlined from the pyvis package), making no request to any other host,
and building every text from the data with ``textContent``, so a label is shown and never run.

>>> g = graph()  # doctest: +SKIP
>>> g.nodes["EXOKG:0000022"]["label"]  # doctest: +SKIP
'4T1-derived exosome'
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exokg.core.errors import DataError, UsageError
from exokg.core.prefixes import PREFIXES
from exokg.core.resources import KG_FILE, STATIC_DIR, VIEW_QUERIES_DIR

if TYPE_CHECKING:
    import networkx as nx
    from pyvis.network import Network

    from exokg.query.store import Executor, Term

__all__ = [
    "EDGE_STYLE",
    "MAX_NODES",
    "Page",
    "cap",
    "graph",
    "neighbourhood",
    "network",
    "page",
    "restrict",
    "subgraph",
    "view",
]

MAX_NODES = 500

_RDF = PREFIXES["rdf"]
_EXO = PREFIXES["exo"]
_SOURCE = PREFIXES["dcterms"] + "source"
_NOTE = PREFIXES["IAO"] + "0000232"
# exo: properties of a statement whose value is a term shown as "label (CURIE)"
_CONTEXT = {
    "organism": "organism",
    "cellLine": "cell_line",
    "cellType": "cell_type",
    "disease": "disease",
    "perturbedGene": "perturbed_gene",
}
# exo: properties whose value is an exo: enumeration, shown by its local name ("positive", "V1", …)
_ENUMS = {
    "polarity": "polarity",
    "verification": "verification",
    "scope": "scope",
    "system": "system",
}
# exo: properties whose value is text, or another statement
_TEXTS = {
    "method": "method",
    "sample": "sample",
    "perturbation": "perturbation",
    "paraphrase": "paraphrase",
    "factSheetId": "fact_sheet",
    "effect": "effect",  # model v2 materialises it; graphs built before get it from _effect()
}
_LINKS = {"qualifies": "qualifies", "contrastsWith": "contrasts_with"}
_CONTEXT_NODES = ("cell_line", "organism")  # context that becomes nodes with context=True


# --- reading the compiled graph -------------------------------------------------------------------


@cache
def _converter() -> Any:
    import curies

    return curies.Converter.from_prefix_map(PREFIXES)


def _curie(iri: str) -> str:
    compressed: str = _converter().compress(iri, passthrough=True)
    return compressed


def _select(executor: Executor, name: str) -> list[dict[str, Term]]:
    """Run ``queries/views/<name>.rq`` and return its rows as dicts of bound variables."""
    path = VIEW_QUERIES_DIR / f"{name}.rq"
    solutions = executor.select(path.read_text(encoding="utf-8"), where=str(path), timeout=120)
    return [
        {var: term for var, term in zip(solutions.variables, row, strict=True) if term is not None}
        for row in solutions.rows
    ]


def graph(
    executor: Executor | None = None, *, kg_file: Path = KG_FILE, context: bool = False
) -> nx.MultiDiGraph:
    """Project the compiled graph onto a networkx ``MultiDiGraph`` (see the module docstring).

    ``executor`` is anything that answers SPARQL like :class:`exokg.query.store.Store` (a SPARQL endpoint
    too); by default ``kg_file`` is opened in Oxigraph. ``context=True`` adds cell-line and organism
    nodes, linked from the subjects of the statements studied in them.
    """
    import networkx as nx

    if executor is None:
        from exokg.query.store import open_store

        executor = open_store(kg_file=kg_file)
    terms = {
        row["term"].value: (
            row["label"].value,
            row["definition"].value if "definition" in row else "",
        )
        for row in _select(executor, "terms")
    }
    sources = {row["source"].value: _source_fields(row) for row in _select(executor, "sources")}
    experimental = {row["evidence"].value for row in _select(executor, "experimental-evidence")}
    g = nx.MultiDiGraph(name="exokg")

    def add_node(iri: str, kind: str) -> str:
        curie = _curie(iri)
        if curie not in g:
            label, definition = terms.get(iri, (curie, ""))
            g.add_node(curie, label=label, curie=curie, iri=iri, kind=kind, statements=0)
            if definition:
                g.nodes[curie]["definition"] = definition
        return curie

    hierarchy = nx.DiGraph()
    for row in _select(executor, "hierarchy"):
        child, parent = (
            add_node(row["child"].value, "vesicle"),
            add_node(row["parent"].value, "vesicle"),
        )
        hierarchy.add_edge(child, parent, asserted=row["asserted"].value == "true")
    if not nx.is_directed_acyclic_graph(hierarchy):
        raise DataError(
            "the vesicle hierarchy has a cycle (equivalent classes?)",
            where="inferred graph",
            fix="check the classes that subclass each other in ontology/exokg-edit.ttl",
        )
    for child, parent in sorted(nx.transitive_reduction(hierarchy).edges):
        asserted = hierarchy.edges[child, parent]["asserted"]
        g.add_edge(child, parent, key="rdfs:subClassOf", kind="subclass", asserted=asserted)

    for statement, fields in _statements(executor, terms).items():
        subject, obj = fields.pop("subject"), fields.pop("object")
        if not subject or not obj:
            raise DataError(
                "a statement has no rdf:subject or no rdf:object", where=statement, fix="rebuild"
            )
        fields.update(sources.get(fields.get("source_iri", ""), {}))
        evidence_iri = fields.pop("evidence_iri", "")
        fields["experimental"] = evidence_iri in experimental
        u, v = add_node(subject, "entity"), add_node(obj, "entity")
        g.add_edge(
            u, v, key=_curie(statement), kind="finding", statement=_curie(statement), **fields
        )
        mentioned = {u, v}
        for attribute in _CONTEXT_NODES if context else ():
            for iri in fields.pop(f"{attribute}_iris", "").split():
                node = add_node(iri, "context")
                mentioned.add(node)
                key = f"{attribute}:{node}"
                if g.has_edge(u, node, key):
                    g.edges[u, node, key]["statements"] += 1
                else:
                    g.add_edge(u, node, key=key, kind="context", context=attribute, statements=1)
        for node in mentioned:
            g.nodes[node]["statements"] += 1
    for _, _, data in g.edges(data=True):
        data.pop("cell_line_iris", None)
        data.pop("organism_iris", None)
    _add_contrasts(g)
    return _in_order(g)


def _in_order(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``g`` with its nodes sorted, and the edges of each node sorted by their other end and key.

    The engine's rows and networkx's sets come in an order that changes from run to run; what is
    drawn or exported from the graph follows its order, and should be the same file every run.
    """
    import networkx as nx

    ordered = nx.MultiDiGraph()
    ordered.graph.update(g.graph)
    ordered.add_nodes_from(sorted(g.nodes(data=True), key=lambda item: item[0]))
    ordered.add_edges_from(sorted(g.edges(keys=True, data=True), key=lambda edge: edge[:3]))
    return ordered


def _part(g: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """The part of ``g`` on ``nodes`` and the edges between them, in ``g``'s order (networkx's
    ``subgraph`` lists the nodes of a small part in the order of a set, which changes every run)."""
    import networkx as nx

    kept = set(nodes)
    part = nx.MultiDiGraph()
    part.graph.update(g.graph)
    part.add_nodes_from((n, dict(data)) for n, data in g.nodes(data=True) if n in kept)
    part.add_edges_from(
        (u, v, key, dict(data))
        for u, v, key, data in g.edges(keys=True, data=True)
        if u in kept and v in kept
    )
    return part


def _effect(fields: dict[str, Any]) -> str:
    """Which way a finding goes: promotes, inhibits, affects, no effect, caveat, or "" (no effect
    relation, such as "has part").

    A graph built with statement model v2 carries it (``exo:effect``); for an older graph it is read
    from the relation's label (RO's "… positive effect", "positively regulates", …) and the polarity.
    """
    if fields.get("effect"):
        return str(fields["effect"])
    if fields.get("polarity") == "caveat":
        return "caveat"
    label = fields.get("predicate_label", "").casefold()
    if "positive" in label:
        direction = "promotes"
    elif "negative" in label:
        direction = "inhibits"
    elif "regulates" in label or "causally" in label or "effect" in label:
        direction = "affects"
    else:
        return ""
    return "no effect" if fields.get("polarity") == "negative" else direction


def _add_contrasts(g: nx.MultiDiGraph) -> None:
    """A ``kind="contrast"`` link where findings contrast (``exo:contrastsWith``).

    It joins the two findings' subjects (4T1- and TS/A-derived exosomes), or their objects when the
    subjects are the same, so that the pair is seen together; several contrasting pairs between the
    same two terms share one link (``count``, and ``findings`` lists them). A finding whose partner is
    not in the graph adds nothing.
    """
    ends = {k: (u, v) for u, v, k, kind in g.edges(keys=True, data="kind") if kind == "finding"}
    for key, (u, v) in sorted(ends.items()):
        data = g.edges[u, v, key]
        for other in filter(None, data.get("contrasts_with", "").split("; ")):
            if other not in ends or (other < key and key in _partners(g, ends, other)):
                continue
            ou, ov = ends[other]
            a, b = (u, ou) if u != ou else (v, ov)
            if a == b:
                continue
            a, b = sorted((a, b))
            pair = f"contrast:{a}:{b}"
            says = f"{key} ({_says(data)}) vs {other} ({_says(g.edges[ou, ov, other])})"
            if g.has_edge(a, b, pair):  # one link per pair of terms, however many findings
                g.edges[a, b, pair]["findings"] += "; " + says
                g.edges[a, b, pair]["count"] += 1
            else:
                g.add_edge(a, b, key=pair, kind="contrast", findings=says, count=1)


def _says(data: dict[str, Any]) -> str:
    return str(data.get("effect") or data.get("polarity", "finding"))


def _partners(g: nx.MultiDiGraph, ends: dict[str, tuple[str, str]], key: str) -> list[str]:
    u, v = ends[key]
    return [p for p in g.edges[u, v, key].get("contrasts_with", "").split("; ") if p]


def _statements(executor: Executor, terms: dict[str, tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """Pivot the long rows of ``statements.rq`` into one dict of edge attributes per statement."""
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in _select(executor, "statements"):
        prop, value = row["property"].value, row["value"]
        shown = value.value
        if value.kind == "uri":
            label = row["label"].value if "label" in row else ""
            if prop.startswith(_EXO) and prop[len(_EXO) :] in _CONTEXT:
                attribute = _CONTEXT[prop[len(_EXO) :]]
                if attribute in _CONTEXT_NODES:
                    values[row["statement"].value][f"{attribute}_iris"].append(value.value)
                shown = f"{label} ({_curie(value.value)})" if label else _curie(value.value)
            elif value.value.startswith(_EXO):
                shown = value.value[len(_EXO) :]
            elif prop not in (_RDF + "subject", _RDF + "object", _SOURCE):
                shown = _curie(value.value)
        values[row["statement"].value][prop].append(shown)

    result: dict[str, dict[str, Any]] = {}
    for statement, props in values.items():
        first = {prop: vals[0] for prop, vals in props.items()}
        predicate = first.get(_RDF + "predicate", "")
        evidence = first.get(_EXO + "evidence", "")
        fields: dict[str, Any] = {
            "subject": first.get(_RDF + "subject", ""),
            "object": first.get(_RDF + "object", ""),
            "predicate": predicate,
            "predicate_label": _label_of(predicate, terms),
            "evidence": evidence,
            "evidence_label": _label_of(evidence, terms),
            "evidence_iri": _expand(evidence),
            "source_iri": first.get(_SOURCE, ""),
            "note": first.get(_NOTE, ""),
        }
        for table in (_ENUMS, _TEXTS, _CONTEXT, _LINKS):
            for name, attribute in table.items():
                fields[attribute] = "; ".join(props.get(_EXO + name, []))
        for attribute in _CONTEXT_NODES:
            fields[f"{attribute}_iris"] = " ".join(props.get(f"{attribute}_iris", []))
        reported = props.get(_EXO + "reportedAs", [])
        if reported:  # the authors' class: --focus on it finds the findings reported as it
            fields["reported_as"] = "; ".join(reported)
        fields["effect"] = _effect(fields)
        result[statement] = {k: v for k, v in fields.items() if v != ""}
    return result


def _expand(curie: str) -> str:
    expanded = _converter().expand(curie)
    return expanded if isinstance(expanded, str) else curie


def _label_of(curie: str, terms: dict[str, tuple[str, str]]) -> str:
    return terms.get(_expand(curie), ("", ""))[0] if curie else ""


def _source_fields(row: dict[str, Term]) -> dict[str, str]:
    """How a finding names its source: "Bobrie A, Krumeich S … 2012, Cancer Research", and its DOI."""
    authors = row["creator"].value.split(", ") if "creator" in row else []
    who = f"{authors[0]} et al." if len(authors) > 2 else " & ".join(authors)
    parts = [p for p in (who, row["year"].value if "year" in row else "") if p]
    journal = row["journal"].value if "journal" in row else ""
    label = ", ".join(p for p in (" ".join(parts), journal) if p) or row["source"].value
    fields = {"source_label": label}
    if "title" in row:
        fields["source_title"] = row["title"].value
    if "doi" in row:
        fields["doi"] = row["doi"].value
    return fields


# --- choosing what to show ------------------------------------------------------------------------


def _find(g: nx.MultiDiGraph, term: str) -> str:
    """The node a user means by a CURIE, an IRI or a label (case-insensitive)."""
    if term in g:
        return term
    wanted = term.strip().casefold()
    for node, data in g.nodes(data=True):
        if wanted in (data["iri"].casefold(), data["label"].casefold(), node.casefold()):
            return str(node)
    raise UsageError(
        f"no node of the graph view is {term!r}",
        where="--focus",
        fix="give a CURIE (EXOKG:0000022), an IRI or an exact label; `exokg export --format json` lists them",
    )


def neighbourhood(g: nx.MultiDiGraph, term: str, depth: int = 1) -> nx.MultiDiGraph:
    """The nodes within ``depth`` links of ``term`` (in either direction) and the edges between them.

    A class the authors' term of some findings names (``4T1-derived exosome``) also brings the class
    those findings sit on (``small EV from 4T1 cells``) and what lies within ``depth`` links of it.
    """
    import networkx as nx

    if depth < 0:
        raise UsageError(f"--depth {depth} is negative", where="--depth", fix="give 0 or more")
    centre = _find(g, term)
    # the findings the authors reported as the term sit on another class (small EV from 4T1 cells
    # for the 4T1-derived exosome): that class counts as the centre too, as `exokg info` counts them
    sources = {centre} | {
        u
        for u, _, data in g.edges(data=True)
        if centre in str(data.get("reported_as", "")).split("; ")
    }
    undirected = g.to_undirected(as_view=True)
    near: set[str] = set()
    for source in sources:
        near.update(nx.single_source_shortest_path_length(undirected, source, depth))
    sub = _part(g, near)
    # a dotted link says why the class the findings sit on is drawn: they are reported as the centre
    for source in sorted(sources - {centre}):
        reported = [
            key
            for u, _, key, data in g.edges(keys=True, data=True)
            if u == source and centre in str(data.get("reported_as", "")).split("; ")
        ]
        sub.add_edge(
            source,
            centre,
            key=f"reported {source} {centre}",
            kind="reported",
            count=len(reported),
            findings=" ".join(sorted(reported)),
        )
    sub.graph["focus"] = centre
    return sub


def restrict(g: nx.MultiDiGraph, iris: Iterable[str]) -> nx.MultiDiGraph:
    """The part of ``g`` that a set of IRIs names: those terms, the statements, and their ends.

    This is how a question's answer becomes a picture: its rows name vesicle classes, entities and
    statements; a named statement brings its subject and object along. A term no link reaches is
    left out (unless nothing is linked at all).
    """
    wanted = {_curie(iri) for iri in iris}
    nodes = {n for n in wanted if n in g}
    for u, v, key in g.edges(keys=True):
        if key in wanted:
            nodes.update((u, v))
    sub = _part(g, nodes)
    statements = wanted - set(g.nodes)
    if statements:  # keep only the statements the answer names, where it names any
        drop = [
            (u, v, k)
            for u, v, k, kind in sub.edges(keys=True, data="kind")
            if kind == "finding" and k not in statements
        ]
        if len(drop) < sum(1 for *_, kind in sub.edges(data="kind") if kind == "finding"):
            sub.remove_edges_from(drop)
    if (
        sub.number_of_edges()
    ):  # a term the answer names but no link reaches floats alone: leave it out
        sub.remove_nodes_from([n for n in list(sub) if sub.degree(n) == 0])
    return sub


def cap(g: nx.MultiDiGraph, max_nodes: int = MAX_NODES) -> tuple[nx.MultiDiGraph, str | None]:
    """Keep at most ``max_nodes`` nodes, the most mentioned first; say what was left out and why.

    The focus node (``g.graph["focus"]``) is always kept. Returns the graph and a message, or ``None``
    when nothing was left out.
    """
    if max_nodes < 1:
        raise UsageError(f"--max-nodes {max_nodes} is too small", fix="give 1 or more")
    if g.number_of_nodes() <= max_nodes:
        return g, None
    focus = g.graph.get("focus")

    def rank(node: str) -> tuple[bool, int, int, str]:
        return (node != focus, -g.nodes[node]["statements"], -g.degree(node), str(node))

    ranked = sorted(g.nodes, key=rank)
    kept = _part(g, ranked[:max_nodes])
    left = ranked[max_nodes:]
    examples = ", ".join(f"{g.nodes[n]['label']} ({n})" for n in left[:3])
    more = "…" if len(left) > 3 else ""
    message = (
        f"Showing {max_nodes} of {g.number_of_nodes()} nodes and {kept.number_of_edges()} of "
        f"{g.number_of_edges()} links: {len(left)} nodes mentioned by the fewest statements were "
        f"left out (e.g. {examples}{more}). To see them, raise --max-nodes to {g.number_of_nodes()}, "
        "or look at part of the graph with --focus TERM or --question NAME."
    )
    kept.graph["omitted"] = message
    return kept, message


# --- the interactive page -------------------------------------------------------------------------

_KIND_STYLE = {  # node kind -> (shape, fill, border); every shape holds its label inside it
    "vesicle": ("ellipse", "#c6dbef", "#2171b5"),
    "entity": ("box", "#fdd0a2", "#d94801"),
    "context": ("box", "#e5f5e0", "#41ab5d"),
}
# how a link looks, by the effect of its finding (or its polarity, or its kind): colour, dashes,
# arrowhead and, in small views, a label; the legend is drawn from the same table
_EDGE_STYLE: dict[str, dict[str, Any]] = {
    "promotes": {"color": "#1a9850", "dashes": False, "head": "arrow"},
    "inhibits": {"color": "#d73027", "dashes": False, "head": "bar"},
    "affects": {"color": "#4575b4", "dashes": False, "head": "vee"},
    "no effect": {"color": "#636363", "dashes": [8, 6], "head": "circle"},
    "caveat": {"color": "#e08214", "dashes": [2, 5], "head": "diamond"},
    "positive": {"color": "#807dba", "dashes": False, "head": "arrow"},
    "negative": {"color": "#807dba", "dashes": [8, 6], "head": "circle"},
    "contrast": {"color": "#e7298a", "dashes": [12, 4], "head": "", "width": 2.5},
    "subclass": {"color": "#9e9e9e", "dashes": False, "head": "triangle", "width": 1},
    "context": {"color": "#74add1", "dashes": [1, 4], "head": "", "width": 1},
    "reported": {"color": "#2171b5", "dashes": [2, 4], "head": "arrow", "width": 1.5},
}
EDGE_STYLE = _EDGE_STYLE  # the site's effect glyphs (exokg.site) draw findings the same way
_LABELLED_EDGES = 150  # up to this many links, each effect link carries its word ("inhibits")
_FONT = 14  # node label size in px at scale 1
_MIN_LABEL_PX = 11  # the opening view never draws labels smaller than this


def _style_key(data: dict[str, Any]) -> str:
    if data["kind"] != "finding":
        return str(data["kind"])
    return str(data.get("effect") or data.get("polarity", "positive"))


def _options(nodes: int, edges: int = 0) -> dict[str, Any]:
    """vis-network options: a stabilisation that shortens as graphs grow (each step costs ~n log n;
    ~50 ms at 2,000 nodes in headless Chromium), then the page turns physics off (frozen) and moves
    apart any nodes whose boxes (label included) still overlap."""
    iterations = max(50, min(1000, 100_000 // max(nodes, 1)))
    overlap = 1 if nodes <= 500 else 0  # the overlap term is costly on large graphs
    return {
        "layout": {"improvedLayout": nodes <= 100, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": nodes > 500},
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {
                # small pages pull tighter, so that they open whole at a readable zoom
                "gravitationalConstant": -4000 if nodes <= 60 else -8000,
                "springLength": 170 if nodes <= 60 else 180,
                "avoidOverlap": overlap,
            },
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25},
        },
        # curves cost most of a redraw: straight links on large pages (repeated links still fan out)
        "edges": {"smooth": {"enabled": nodes <= 500 and edges <= 1500, "type": "continuous"}},
        "nodes": {"font": {"size": _FONT}, "margin": 6, "widthConstraint": {"maximum": 220}},
    }


def _edge_options(data: dict[str, Any], key: str, labelled: bool) -> dict[str, Any]:
    style = _EDGE_STYLE[key]
    options: dict[str, Any] = {"color": style["color"], "dashes": style["dashes"]}
    options["width"] = style.get("width", 3 if data.get("experimental") else 1.5)
    head = style["head"]
    if key == "contrast":
        options["arrows"] = {"to": {"enabled": False}}
        count = data.get("count", 1)
        options["label"] = "contrast" + (f" ({count} pairs)" if count > 1 else "")
    elif key == "reported":
        options["label"] = f"reported as ({data.get('count', 1)})"
    elif head:
        options["arrows"] = {"to": {"enabled": True, "type": head, "scaleFactor": 0.9}}
    if labelled and data["kind"] == "finding" and data.get("effect"):
        options["label"] = data["effect"]
    elif labelled and data["kind"] == "finding" and data.get("predicate_label"):
        # not an effect (has part, distinct from, depends on …): the relation names the link, so
        # that 'distinct from' never reads as the 'has part' drawn in the same colour
        negative = data.get("polarity") == "negative"
        options["label"] = data["predicate_label"] + (" (not found)" if negative else "")
    if "label" in options:
        # labels read level, on a white halo, at the middle of their link; the page moves apart any
        # label that meets another label or a node once the layout is done (view.js, separate)
        options["font"] = {
            "size": 11,
            "color": style["color"],
            "strokeWidth": 4,
            "align": "horizontal",
        }
    return options


def network(
    g: nx.MultiDiGraph,
    *,
    max_nodes: int = MAX_NODES,
    title: str = "exokg graph view",
    notebook: bool = False,
    height: str = "640px",
) -> Network:
    """A pyvis ``Network`` of ``g`` (capped at ``max_nodes``) that renders exokg's offline page.

    ``.generate_html()`` gives the page as text; in a notebook use :func:`view`, whose result shows
    itself inline.
    """
    import jinja2
    from pyvis.network import Network

    shown, message = cap(g, max_nodes)
    net = Network(height=height, directed=True, notebook=notebook, cdn_resources="remote")
    for node, data in shown.nodes(data=True):
        shape, fill, border = _KIND_STYLE.get(data["kind"], _KIND_STYLE["entity"])
        colour = {"background": fill, "border": border}
        net.add_node(node, label=data["label"], shape=shape, color=colour, data=data)
    labelled = shown.number_of_edges() <= _LABELLED_EDGES
    parallel: Counter[frozenset[str]] = Counter()
    # the findings between two terms carry one label, on the first of their links, with the count of
    # each effect ("promotes (2), caveat (4)"), so that parallel labels never lie on top of each
    # other; each link still shows its own finding on hover and click
    effects: dict[frozenset[str], Counter[str]] = {}
    for u, v, d in shown.edges(data=True):
        if d["kind"] == "finding" and d.get("effect"):
            effects.setdefault(frozenset((u, v)), Counter())[_style_key(d)] += 1
    labelled_pairs: set[frozenset[str]] = set()
    used: set[str] = set()
    for u, v, key, data in shown.edges(keys=True, data=True):
        style_key = _style_key(data)
        used.add(style_key)
        together = effects.get(frozenset((u, v)))
        first = data["kind"] != "finding" or frozenset((u, v)) not in labelled_pairs
        options = _edge_options(data, style_key, labelled and first)
        if data["kind"] == "finding" and "label" in options and together:
            labelled_pairs.add(frozenset((u, v)))
            if sum(together.values()) > 1:
                options["label"] = ", ".join(
                    f"{effect} ({count})" if len(together) > 1 else f"{effect} ({count} findings)"
                    for effect, count in together.items()
                )
        pair = frozenset((u, v))
        parallel[pair] += 1
        if parallel[pair] > 1:  # fan out the links between two terms, with a capped curvature
            n = parallel[pair] - 1
            side = "curvedCW" if n % 2 else "curvedCCW"
            options["smooth"] = {"type": side, "roundness": min(0.6, 0.3 * ((n + 1) // 2))}
        net.add_edge(u, v, id=f"{u} {key} {v}", data=data, **options)
    net.set_options(json.dumps(_options(len(net.nodes), len(net.edges))))

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(STATIC_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["json"] = _html_safe_json
    kinds = {data["kind"] for _, data in shown.nodes(data=True)}
    legend = {
        "nodes": {
            kind: {"shape": sh, "color": fill, "border": border}
            for kind, (sh, fill, border) in _KIND_STYLE.items()
            if kind in kinds
        },
        "edges": {key: style for key, style in _EDGE_STYLE.items() if key in used},
    }
    focus = shown.graph.get("focus")
    if focus not in shown:
        focus = None  # the opening view then centres on the middle of the whole graph
    environment.globals.update(
        exokg_title=title,
        exokg_page={
            "note": message or shown.graph.get("omitted", ""),
            "legend": legend,
            "centre": focus,
            "font": _FONT,
            "min_label_px": _MIN_LABEL_PX,
        },
        vis_js=_vis_network_js(),
        view_js=(STATIC_DIR / "view.js").read_text(encoding="utf-8"),
        view_css=(STATIC_DIR / "view.css").read_text(encoding="utf-8"),
    )
    net.templateEnv, net.path = environment, "view.html"
    net.template = environment.get_template("view.html")
    return net


def _html_safe_json(value: Any) -> Any:
    """JSON safe inside ``<script>``: pyvis hands options over as a JSON string, the rest as objects."""
    from jinja2.utils import htmlsafe_json_dumps

    return htmlsafe_json_dumps(json.loads(value) if isinstance(value, str) else value)


@cache
def _vis_network_js() -> str:
    """vis-network as shipped inside the pyvis package (Apache-2.0 / MIT), to inline into the page."""
    import pyvis

    bundled = sorted(Path(pyvis.__file__).parent.glob("templates/lib/vis-*/vis-network.min.js"))
    if not bundled:
        raise DataError(
            "vis-network is missing from the installed pyvis package",
            where=str(Path(pyvis.__file__).parent),
            fix="reinstall pyvis (pip install --force-reinstall 'pyvis>=0.3.2')",
        )
    return bundled[-1].read_text(encoding="utf-8")


@dataclass(frozen=True)
class Page:
    """A generated page, with what it draws and, if the cap applied, what it left out.

    In a Jupyter notebook a ``Page`` as a cell's last line shows itself: the whole page inline in an
    ``<iframe srcdoc>``, so an exported notebook (HTML) shows the graph with no side file.
    """

    html: str
    nodes: int
    edges: int
    note: str | None
    title: str = "exokg graph view"
    height: str = "640px"

    def _repr_html_(self) -> str:
        from html import escape

        return (
            f'<iframe title="{escape(self.title)}" srcdoc="{escape(self.html, quote=True)}" '
            f'style="width: 100%; height: {escape(self.height)}; border: 1px solid #ddd;" '
            'sandbox="allow-scripts"></iframe>'
        )

    def __repr__(self) -> str:
        return f"<exokg graph view {self.title!r}: {self.nodes} nodes, {self.edges} links>"


def view(
    g: nx.MultiDiGraph,
    *,
    title: str = "exokg graph view",
    max_nodes: int = MAX_NODES,
    height: str = "640px",
) -> Page:
    """The page of any projection of the graph (``graph()``, ``neighbourhood()``, ``restrict()``).

    >>> view(neighbourhood(graph(), "4T1-derived exosome"))  # doctest: +SKIP
    <exokg graph view 'exokg graph view': 12 nodes, 20 links>
    """
    shown, note = cap(g, max_nodes)
    html = network(shown, max_nodes=max_nodes, title=title).generate_html()
    return Page(html, shown.number_of_nodes(), shown.number_of_edges(), note, title, height)


def subgraph(
    *,
    kg_file: Path = KG_FILE,
    focus: str | None = None,
    depth: int = 1,
    question: str | None = None,
    params: dict[str, str] | None = None,
    context: bool = False,
    organism: str | None = None,
    executor: Executor | None = None,
) -> tuple[nx.MultiDiGraph, str]:
    """The part of the graph ``exokg viz`` draws, and a title that names it.

    ``executor`` answers the queries (an open store or an endpoint); by default ``kg_file`` is opened.
    ``organism`` (mouse, human) picks among terms of several organisms that ``focus`` names.
    """
    if executor is None:
        from exokg.query.store import open_store

        executor = open_store(kg_file=kg_file)
    g = graph(executor, context=context)
    title = "exokg: the whole graph"
    if question is not None:
        from exokg.query.questions import get_question

        asked = get_question(question)
        g = restrict(g, _answer_iris(question, params or {}, executor))
        given = ", ".join(f"{k}={v}" for k, v in (params or {}).items())
        title = f"exokg: {asked.title}" + (f" ({given})" if given else "")
    if focus is not None:
        import networkx as nx

        from exokg.core.prefixes import compact
        from exokg.text.resolve import resolve_terms

        # a name species share (Rab27a) focuses on each species' term that findings name, and the
        # note that says so travels with the graph (g.graph["notes"]) for the command to show
        notes: list[str] = []
        centres = [
            compact(term.value)
            for term in resolve_terms(
                focus,
                executor,
                where="--focus",
                organism=organism,
                organism_option="--organism ",
                notes=notes,
            )
        ]
        parts = [neighbourhood(g, centre, depth) for centre in centres]
        g = parts[0] if len(parts) == 1 else nx.compose_all(parts)
        g.graph["focus"] = parts[0].graph["focus"]
        g.graph["notes"] = notes
        shown = [g.nodes[p.graph["focus"]] for p in parts]
        what = " and ".join(f"{c['label']} ({c['curie']})" for c in shown)
        near = f"{depth} link{'s' if depth != 1 else ''}"
        title = f"exokg: {what} and what lies within {near}" + (
            f" — {title.removeprefix('exokg: ')}" if question is not None else ""
        )
    return g, title


def page(
    *,
    kg_file: Path = KG_FILE,
    focus: str | None = None,
    depth: int = 1,
    question: str | None = None,
    params: dict[str, str] | None = None,
    max_nodes: int = MAX_NODES,
    context: bool = False,
    height: str = "640px",
    executor: Executor | None = None,
) -> Page:
    """The page for ``exokg viz``: the whole graph, one term's neighbourhood, or one question's answer.

    In a notebook, ``page(focus="4T1-derived exosome")`` as a cell's last line draws it inline.
    """
    g, title = subgraph(
        kg_file=kg_file,
        focus=focus,
        depth=depth,
        question=question,
        params=params,
        context=context,
        executor=executor,
    )
    return view(g, title=title, max_nodes=max_nodes, height=height)


def _answer_iris(name: str, params: dict[str, str], executor: Executor) -> set[str]:
    """Every IRI in the rows of a competency question's answer."""
    from exokg.text.resolve import ask

    answer = ask(name, params, executor=executor)
    return {
        term.value for row in answer.rows for term in row if term is not None and term.kind == "uri"
    }
