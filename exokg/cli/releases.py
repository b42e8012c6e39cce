"""``exokg release`` and ``exokg diff``: the release files, and what changed between two releases."""

from __future__ import annotations

from exokg.cli.base import (
    command,
    day_arg,
    directory_arg,
    existing_arg,
    existing_file_arg,
    option,
    output_name,
    output_option,
    progress_for,
    quiet_option,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs a cold start
if TYPE_CHECKING:
    from argparse import Namespace


# --- release files and diff (issue 7) -------------------------------------------------------------


@command(
    "release",
    option(
        "--out",
        dest="out_dir",
        metavar="DIRECTORY",
        required=True,
        type=directory_arg,
        help="Directory to write (replaced as a whole, only if it holds an earlier release).",
    ),
    option(
        "--date",
        metavar="YYYY-MM-DD",
        type=day_arg,
        help="Release date for the version IRIs (default: today).",
    ),
    option(
        "--kg",
        dest="kg_file",
        metavar="FILE",
        type=existing_file_arg,
        help="Compiled graph to release (default: the one `exokg build` writes).",
    ),
    option(
        "--record-ids",
        action="store_true",
        help="After releasing, add the new IDs to the committed manifest.",
    ),
    quiet_option,
    option(
        "--previous",
        metavar="DIRECTORY",
        type=existing_arg,
        help="Previous release that RELEASE-NOTES.md compares with (default: the one in --out).",
    ),
)
def release(args: Namespace) -> None:
    """Write the release files: full and base OWL, statements, SSSOM, KGX and a catalog.

    Checks first that no released ID vanished or changed its label without obsoletion; a failed
    release leaves DIR as it was.
    Example: exokg release --out release/ --date 2026-12-01
    """
    from exokg.release import assemble as releasing

    options = {"kg_file": args.kg_file} if args.kg_file else {}
    with progress_for(args) as progress:
        progress(f"writing the release files into {args.out_dir}")
        done = releasing.release(
            args.out_dir,
            date=args.date,
            record_ids=args.record_ids,
            previous=args.previous,
            **options,
        )
    print(f"released {len(done.files)} files for {done.date.isoformat()} into {args.out_dir}")
    if done.new_ids:
        what = (
            "recorded in the manifest"
            if args.record_ids
            else "new since the manifest (--record-ids)"
        )
        print(f"{len(done.new_ids)} IDs {what}: {' '.join(done.new_ids)}")


@command(
    "diff",
    option(
        "old", metavar="OLD", type=existing_arg, help="The earlier release: a directory or a file."
    ),
    option(
        "new", metavar="NEW", type=existing_arg, help="The later release: a directory or a file."
    ),
    option(
        "--format",
        dest="fmt",
        choices=("text", "json", "markdown"),
        default="text",
        help="text for people, json for programs, markdown for release notes (default: %(default)s).",
    ),
    output_option,
)
def diff(args: Namespace) -> None:
    """Terms and statements added, removed or changed between two releases (directories or files).

    Example: exokg diff release-2026-11/ release-2026-12/ --format json
    """
    from exokg.core.outputs import write_output
    from exokg.release.diff import diff_releases

    text = diff_releases(args.old, args.new).render(args.fmt)
    write_output(text, args.output, where=output_name(args.output))
