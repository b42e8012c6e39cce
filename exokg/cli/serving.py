"""``exokg serve`` and ``exokg publish``: the graph as a read-only SPARQL endpoint, or uploaded to
a Graph Store."""

from __future__ import annotations

from exokg.cli.base import (
    command,
    count_arg,
    existing_arg,
    existing_file_arg,
    option,
    say,
    store_option,
    timeout_option,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs a cold start
if TYPE_CHECKING:
    from argparse import Namespace


# --- serving and publishing (issue 8) -------------------------------------------------------------


@command(
    "serve",
    option(
        "--host", default="127.0.0.1", help="Address to listen on (default: %(default)s, loopback)."
    ),
    option(
        "--port",
        metavar="PORT",
        type=count_arg(1, 65535),
        default=7878,
        help="Port to listen on (default: %(default)s).",
    ),
    option(
        "--kg",
        dest="kg_file",
        metavar="FILE",
        type=existing_file_arg,
        help="Compiled graph (N-Quads) to serve (default: the one exokg build writes).",
    ),
    store_option,
    timeout_option,
    option(
        "--cache-mib",
        metavar="MIB",
        type=count_arg(0, 1 << 16),
        default=512,
        help="Keep up to this many MiB of answers (and, in 1/16 of it, at least 4, of query checks),"
        " so that a query asked again is answered from memory (default: %(default)s; 0 keeps no"
        " answers).",
    ),
    option(
        "--site",
        metavar="DIRECTORY",
        type=existing_arg,
        help="Serve this website (built by `exokg site -o DIRECTORY`) at /, beside the endpoint;"
        " the query page then moves to /sparql.html.",
    ),
)
def serve(args: Namespace) -> None:
    """Serve the graph read-only with the Oxigraph SPARQL server until Ctrl-C.

    Prints the endpoint URL and one link per competency question to the server's query page.
    Example: exokg serve --port 7878 --store ~/.cache/exokg-store
    A larger graph: exokg serve --kg big.nq --store ~/big-store (built once, then reopened)
    With the website: exokg site -o site/ && exokg serve --site site/
    """
    from exokg.core.resources import KG_FILE
    from exokg.server.serve import serve as run_server

    run_server(
        host=args.host,
        port=args.port,
        store_dir=args.store_dir,
        timeout=args.timeout,
        source=args.kg_file or KG_FILE,
        cache_bytes=args.cache_mib << 20,
        say=say,
        site=args.site,
    )


@command(
    "publish",
    option(
        "--endpoint",
        metavar="URL",
        required=True,
        help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store.",
    ),
    option(
        "--graph",
        metavar="IRI",
        help="Put every triple into this one graph instead of exokg's four.",
    ),
)
def publish(args: Namespace) -> None:
    """Upload the graph to a SPARQL 1.1 Graph Store (each named graph replaced, never duplicated).

    Example: exokg publish --endpoint http://127.0.0.1:7878/store
    """
    from exokg.query.endpoint import publish as upload

    for name, size in upload(args.endpoint, graph=args.graph).items():
        print(f"{name}\t{size} triples")
