"""``exokg viz``, ``export`` and ``site``: the graph view, its networkx graph for other tools, and
the static website."""

from __future__ import annotations

import sys

from exokg.cli.base import (
    command,
    context_option,
    count_arg,
    directory_arg,
    kg_option,
    option,
    organism_option,
    output_option,
    parse_params,
    progress_for,
    quiet_option,
    say,
    warn,
)
from exokg.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs a cold start
if TYPE_CHECKING:
    from argparse import Namespace
    from pathlib import Path


# --- views (issue 6) ------------------------------------------------------------------------------


@command(
    "viz",
    output_option,
    kg_option,
    option(
        "--focus",
        metavar="TERM",
        help="Show only this term (CURIE, IRI or label) and its neighbours.",
    ),
    organism_option,
    option(
        "--depth",
        metavar="N",
        type=count_arg(0),
        default=1,
        help="How many links from --focus (default: %(default)s).",
    ),
    option(
        "--question", metavar="NAME", help="Show only the subgraph behind this question's answer."
    ),
    option(
        "--param",
        dest="params",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="A parameter of --question.",
    ),
    option(
        "--max-nodes",
        metavar="N",
        type=count_arg(1),
        default=500,
        help="Draw at most N nodes, the most mentioned first (default: %(default)s).",
    ),
    context_option,
    option(
        "--format",
        dest="fmt",
        choices=("html", "svg", "png", "dot"),
        default=None,
        help="html: the interactive page; svg, png: a static figure drawn by Graphviz; dot: the "
        "figure as Graphviz source (default: what -o ends in, else html).",
    ),
    option("--open", action="store_true", help="Open the result in a web browser."),
    quiet_option,
)
def viz_command(args: Namespace) -> None:
    """Write the interactive graph view: one HTML file that works offline in any browser.

    --format svg, png or dot draws a static figure instead (with Graphviz), for a paper or a slide.
    Example: exokg viz --question exosomes-promoting-tumour-progression -o tumour.html --open
    """
    from exokg.core.resources import KG_FILE
    from exokg.release.export import write
    from exokg.views.page import cap, subgraph, view

    args.fmt = _viz_format(args.fmt, args.output)
    if args.output is None and args.fmt != "dot" and sys.stdout.isatty() and not args.open:
        raise UsageError(
            f"exokg viz writes {'an HTML page' if args.fmt == 'html' else 'a picture'}, "
            "not text for the terminal",
            fix=f"write it to a file with -o view.{args.fmt}, or open it in a browser with --open",
        )
    content: str | bytes
    with progress_for(args) as progress:
        progress("reading the graph")
        g, title = subgraph(
            kg_file=args.kg_file or KG_FILE,
            focus=args.focus,
            depth=args.depth,
            question=args.question,
            params=parse_params(args.params),
            context=args.context,
            organism=args.organism,
        )
        progress("drawing")
        if args.fmt == "html":
            drawn = view(g, title=title, max_nodes=args.max_nodes)
            content, nodes, edges, note = drawn.html, drawn.nodes, drawn.edges, drawn.note
        else:
            from exokg.views.figure import figure

            shown, note = cap(g, args.max_nodes)
            content = figure(shown, args.fmt, title=title)
            nodes, edges = shown.number_of_nodes(), shown.number_of_edges()
    output = args.output
    if output is None and args.open:
        import tempfile
        from pathlib import Path

        output = Path(tempfile.mkdtemp(prefix="exokg-view-")) / f"view.{args.fmt}"
    write(content, output)
    for said in g.graph.get("notes", []):  # how a name was read (Rab27a: mouse and human)
        warn(f"exokg: note: {said}")
    warn(f"exokg: drew {nodes} nodes and {edges} links")
    if note:
        warn(f"exokg: note: {note}")
    if args.open and output is not None:
        import webbrowser

        if not webbrowser.open(output.resolve().as_uri()):
            warn(f"exokg: no browser could be started; open {output} yourself")


def _viz_format(fmt: str | None, output: Path | None) -> str:
    """The format --format names, else the one -o ends in (view.svg draws a figure), else html."""
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    suffix = {"htm": "html"}.get(suffix, suffix)
    known = ("html", "svg", "png", "dot")
    if fmt is None:
        return suffix if suffix in known else "html"
    if suffix in known and suffix != fmt:
        raise UsageError(
            f"-o {output} ends in .{suffix} but --format {fmt} writes {fmt}",
            where="--format",
            fix=f"drop --format (the ending chooses it) or name the file view.{fmt}",
        )
    return fmt


@command(
    "export",
    option(
        "--format",
        dest="fmt",
        choices=("graphml", "json"),
        required=True,
        help="GraphML, or networkx node-link JSON.",
    ),
    output_option,
    kg_option,
    context_option,
)
def export_command(args: Namespace) -> None:
    """Export the graph view's networkx graph (every node and link, no cap) for other tools.

    Example: exokg export --format graphml -o exokg.graphml
    """
    from exokg.core.resources import KG_FILE
    from exokg.release.export import export, write
    from exokg.views.page import graph

    write(
        export(graph(kg_file=args.kg_file or KG_FILE, context=args.context), args.fmt), args.output
    )


# --- the static website (issue 28) ---------------------------------------------------------------


@command(
    "site",
    option(
        "-o",
        "--out",
        dest="out_dir",
        metavar="DIRECTORY",
        required=True,
        type=directory_arg,
        help="Directory to write (new, empty, or a site exokg wrote before, replaced as a whole).",
    ),
    kg_option,
    option(
        "--no-figures",
        dest="figures",
        action="store_false",
        help="Leave out the small graph on each term page (drawn with Graphviz when it is installed).",
    ),
    quiet_option,
)
def site_command(args: Namespace) -> None:
    """Write a static website of the graph: term, source, claim and question pages, with search.

    Open DIR/index.html in a browser (it works from the disk), put DIR on any static host, or serve it
    with the SPARQL endpoint: exokg serve --site DIR.
    Example: exokg site -o site/
    """
    import shutil

    from exokg.core.resources import KG_FILE
    from exokg.site.build import build_site

    if args.figures and shutil.which("dot") is None:
        warn("exokg: note: Graphviz's dot is not installed; term pages are written without figures")
    with progress_for(args) as progress:
        counts = build_site(
            args.out_dir, kg_file=args.kg_file or KG_FILE, progress=progress, figures=args.figures
        )
    pages = sum(n for kind, n in counts.items() if kind != "bytes")
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()) if kind != "bytes")
    say(
        f"wrote {pages} pages ({kinds}; {counts['bytes'] / 1e6:.1f} MB) into {args.out_dir}; "
        f"open {args.out_dir / 'index.html'}"
    )
