"""``exokg propose`` and ``exokg source``: candidate findings from a text, and a paper added to
sources.yaml."""

from __future__ import annotations

import sys
from argparse import SUPPRESS

from exokg.cli.base import (
    command,
    emit,
    existing_file_arg,
    file_arg,
    kg_option,
    option,
    output_option,
    seconds_arg,
    warn,
)
from exokg.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs a cold start
if TYPE_CHECKING:
    from argparse import Namespace


# --- reading papers: candidate findings (issue 17) -------------------------------------------------


def _read_text(file: str) -> tuple[str, str]:
    """The text of FILE, or of standard input for ``-``, and how to name it in messages."""
    if file == "-":
        return sys.stdin.read(), "standard input"
    from pathlib import Path

    path = Path(file)
    if not path.is_file():
        raise UsageError("no such file", where=file, fix="check the path, or give - for stdin")
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except UnicodeDecodeError as error:
        raise UsageError(
            "the file is not UTF-8 text", where=str(path), fix="save it as UTF-8"
        ) from error


@command(
    "propose",
    option("file", metavar="FILE|-", help="Text to read (an abstract, a paragraph); - for stdin."),
    option("--source", required=True, metavar="DOI", help="DOI of the paper, as in sources.yaml."),
    kg_option,
    output_option,
)
def propose_command(args: Namespace) -> None:
    """Propose candidate findings from a text, as a curation file (scope: candidate, NV).

    Example: exokg propose abstract.txt --source 10.1158/0008-5472.CAN-12-0925 -o candidates.yaml
    """
    from exokg.text.propose import propose_text

    text, origin = _read_text(args.file)
    yaml_text, proposals = propose_text(text, args.source, kg_file=args.kg_file, origin=origin)
    emit(yaml_text, args.output)
    warn(f"exokg: {len(proposals)} candidate statement(s) proposed from {origin}")


@command(
    "source",
    option("action", choices=["add"], help="add: describe a new paper in sources.yaml"),
    option("identifier", metavar="DOI|PMID", help="The paper: a DOI (10.1038/nm.2753) or a PMID."),
    option(
        "--from",
        dest="metadata",
        metavar="FILE",
        type=existing_file_arg,
        help="Its metadata: a BibTeX, RIS, CSL-JSON or PubMed XML file.",
    ),
    option(
        "--fetch", action="store_true", help="Fetch the metadata from Crossref (DOI) or PubMed."
    ),
    option(
        "--fetch-abstract",
        metavar="FILE",
        type=file_arg,
        help="Also write the abstract to FILE (outside the repository), for annotate and propose.",
    ),
    option("--sources", metavar="FILE", type=existing_file_arg, help="sources.yaml to add to."),
    option("--timeout", metavar="SECONDS", type=seconds_arg, default=20.0, help="Per fetch (20)."),
    option("--crossref", metavar="URL", default=None, help=SUPPRESS),
    option("--eutils", metavar="URL", default=None, help=SUPPRESS),
)
def source_command(args: Namespace) -> None:
    """Add a paper to sources.yaml with the next free key (P001, P002, ...), checked.

    The metadata come from a file the curator gives (--from) or, only with --fetch, from Crossref or
    PubMed. The abstract (--fetch-abstract) goes to a file of yours, never into the repository.

    Example: exokg source add 10.1038/nature15756 --fetch --fetch-abstract ~/abstracts/hoshino.txt
    """
    from exokg.core.resources import CURATION_DIR, DATA_ROOT
    from exokg.curation.metadata import add_source, identifier, parse_metadata

    wanted = identifier(args.identifier)
    if (args.metadata is None) == (not args.fetch):
        raise UsageError(
            "say where the metadata come from",
            where="source add",
            fix="give --from FILE (BibTeX, RIS, CSL-JSON, PubMed XML) or --fetch",
        )
    abstract_file = args.fetch_abstract
    if abstract_file is not None:
        inside = abstract_file.resolve().is_relative_to(DATA_ROOT.resolve())
        if inside and (DATA_ROOT / ".git").exists():
            raise UsageError(
                "the abstract would be written into the repository",
                where=str(abstract_file),
                fix="write it to a folder outside the checkout (abstracts are the publishers' text)",
            )
    if args.fetch:
        from exokg.query.metadata import CROSSREF, EUTILS, fetch_paper

        paper, origin = fetch_paper(
            *wanted,
            timeout=args.timeout,
            crossref=args.crossref or CROSSREF,
            eutils=args.eutils or EUTILS,
            abstract=abstract_file is not None,
        )
        verification = "V1"  # identifiers seen in the registry's own record
    else:
        paper = parse_metadata(args.metadata.read_bytes(), str(args.metadata))
        origin, verification = args.metadata.name, "V2"
    sources = args.sources or CURATION_DIR / "sources.yaml"
    key = add_source(sources, wanted, paper, verification, origin)
    print(key)
    warn(f"exokg: {wanted[1]} added to {sources} as {key} ({verification}, from {origin})")
    if abstract_file is not None:
        if not paper.abstract:
            warn(f"exokg: no abstract in the record from {origin}; {abstract_file} not written")
        else:
            abstract_file.parent.mkdir(parents=True, exist_ok=True)
            abstract_file.write_text(paper.abstract + "\n", encoding="utf-8")
            warn(f"exokg: abstract written to {abstract_file}")
