"""``exokg search``, ``info``, ``tree`` and ``annotate``: looking terms up by name, what a term
is, the class hierarchy, and the terms a text names."""

from __future__ import annotations

import sys

from exokg.cli.base import (
    command,
    count_arg,
    emit,
    file_or_stdin_arg,
    kg_option,
    option,
    organism_option,
    output_option,
    terminal_width,
    warn,
)
from exokg.core.errors import DataError, UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs a cold start
if TYPE_CHECKING:
    from argparse import Namespace
    from typing import Any


# --- looking terms up (issues 12, 16, 17) ---------------------------------------------------------


def _lookup_store(args: Namespace) -> tuple[Any, Any]:
    """The compiled graph (``--kg``) and its lexicon, read from the lexicon cache when current."""
    from exokg.core.resources import KG_FILE
    from exokg.query.store import open_store
    from exokg.text.lexicon import load_lexicon

    kg_file = args.kg_file or KG_FILE
    return open_store(kg_file=kg_file), load_lexicon(kg_file)


@command(
    "search",
    option("text", metavar="TEXT", help="Part of a label, synonym, gene symbol or CURIE."),
    option(
        "--limit", metavar="N", type=count_arg(1), default=10, help="Show N terms (default: 10)."
    ),
    option(
        "--format",
        dest="fmt",
        choices=("table", "tsv", "json"),
        default="table",
        help="table for people, or tsv/json (default: %(default)s).",
    ),
    option(
        "--organism",
        metavar="NAME",
        help="Only terms of this organism, and those of none (mouse, human, NCBITaxon:…).",
    ),
    kg_option,
)
def search_command(args: Namespace) -> None:
    """Find terms by label, synonym, gene symbol or CURIE, best match first (fuzzy).

    Example: exokg search "4T1 exosome"
    """
    import json

    from exokg.text.terms import SEARCH_HEADERS, search_rows, table

    _, lexicon = _lookup_store(args)
    rows = search_rows(lexicon, args.text, args.limit, organism=args.organism)
    if args.fmt == "json":
        print(json.dumps([dict(zip(SEARCH_HEADERS, r, strict=True)) for r in rows], indent=1))
    elif args.fmt == "tsv":
        print("\n".join("\t".join(r) for r in [list(SEARCH_HEADERS), *rows]))
    elif rows:
        sys.stdout.write(
            table(SEARCH_HEADERS, rows, terminal_width() if sys.stdout.isatty() else None)
        )
    else:
        raise DataError(f"no term's name is close to {args.text!r}", fix="try fewer words")


@command(
    "info",
    option("term", metavar="TERM", help="A CURIE, an IRI or a name (label, synonym, symbol)."),
    organism_option,
    option("--json", action="store_true", help="Print JSON instead of text."),
    kg_option,
)
def info_command(args: Namespace) -> None:
    """Say what a term is: names, definition and its source, parents, xrefs, number of findings.

    The term is a CURIE, an IRI or a name (label, synonym, gene symbol in any case).

    Example: exokg info MVB
    """
    import json

    from exokg.text.resolve import resolve_terms
    from exokg.text.terms import info, render_info

    store, lexicon = _lookup_store(args)
    notes: list[str] = []
    terms = resolve_terms(
        args.term,
        store,
        where="TERM",
        organism=args.organism,
        lexicon=lexicon,
        organism_option="--organism ",
        notes=notes,
        with_findings=False,
    )
    for note in notes:
        warn(f"exokg: note: {note}")
    every = [info(term, lexicon, store) for term in terms]
    if args.json:  # one object; a name species share: a list, one object per species
        print(json.dumps(every[0] if len(every) == 1 else every, ensure_ascii=False, indent=1))
        return
    width = terminal_width() if sys.stdout.isatty() else None
    blocks = []
    for facts in every:
        organism = facts["organism_name"] or facts["organism_label"]
        heading = f"── {organism} ──\n" if len(every) > 1 else ""
        blocks.append(heading + render_info(facts, width=width))
    sys.stdout.write("\n".join(blocks))


@command(
    "tree",
    option("term", metavar="TERM", nargs="?", help="Draw the classes under this one only."),
    option("--depth", metavar="N", type=count_arg(0), help="Draw N levels at most."),
    option("--ascii", action="store_true", help="Draw with ASCII characters instead of Unicode."),
    organism_option,
    kg_option,
)
def tree_command(args: Namespace) -> None:
    """Draw the class hierarchy (asserted and inferred, direct parents) as an indented tree.

    Example: exokg tree "extracellular vesicle" --depth 2
    """
    from exokg.text.resolve import resolve_term
    from exokg.text.terms import tree

    store, lexicon = _lookup_store(args)
    root = None
    if args.term is not None:
        root = resolve_term(
            args.term,
            store,
            where="TERM",
            organism=args.organism,
            lexicon=lexicon,
            organism_option="--organism ",
        )
    width = terminal_width() if sys.stdout.isatty() else None
    sys.stdout.write(tree(store, lexicon, root, depth=args.depth, ascii=args.ascii, width=width))


@command(
    "annotate",
    option(
        "file",
        metavar="FILE|-",
        nargs="?",
        type=file_or_stdin_arg,
        help="A text file to annotate; - for standard input.",
    ),
    option("--text", metavar="TEXT", help="Annotate this text (a sentence, a title) instead."),
    option(
        "--format",
        dest="fmt",
        choices=("table", "tsv", "json", "pubannotation"),
        default="table",
        help="table for people; tsv; json; or PubAnnotation JSON for other annotation tools "
        "(default: %(default)s).",
    ),
    output_option,
    kg_option,
)
def annotate_command(args: Namespace) -> None:
    """Find exokg's terms in a text: one row per span (start, end, text, CURIE, label, match kind).

    Short forms the text defines ("multivesicular bodies (MVBs)") are resolved; a gene symbol of
    several organisms takes the organism the text names, else all candidates are listed.
    Example: exokg annotate abstract.txt --format tsv
    Example: exokg annotate --text "Dendritic cell exosomes carry MHC class II."
    """
    from exokg.core.resources import KG_FILE
    from exokg.text.annotate import annotate
    from exokg.text.lexicon import load_lexicon
    from exokg.text.terms import write_spans

    if (args.file is None) == (args.text is None):
        raise UsageError(
            "annotate needs one text: a FILE, - for standard input, or --text",
            fix='exokg annotate abstract.txt, or exokg annotate --text "Exosomes carry MHC II."',
        )
    if args.text is not None:
        text, source = args.text, ""
    elif args.file == "-":
        text, source = sys.stdin.read(), ""
    else:
        path = args.file
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UsageError(
                "the file is not UTF-8 text", where=str(path), fix="give a plain-text file"
            ) from None
        source = path.name
    lexicon = load_lexicon(args.kg_file or KG_FILE)
    width = terminal_width() if args.output is None and sys.stdout.isatty() else None
    emit(write_spans(annotate(lexicon, text), args.fmt, text, source, width), args.output)
