"""``exokg validate``, ``build``, ``reason`` and ``report``: checking the curation, compiling the
graph, classifying the ontology and its quality checks."""

from __future__ import annotations

from exokg.cli.base import (
    command,
    file_arg,
    format_option,
    ontology_option,
    option,
    progress_for,
    quiet_option,
    warn,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs a cold start
if TYPE_CHECKING:
    from argparse import Namespace


# --- curation, validation and build (issue 4) -----------------------------------------------------


@command(
    "validate",
    option(
        "paths",
        metavar="PATH",
        nargs="*",
        type=file_arg,
        help="Curation YAML files to check (default: every file in ontology/curation/).",
    ),
)
def validate_command(args: Namespace) -> None:
    """Check curation files (default: all shipped ones): one line per problem, exit 1 if any.

    Example: exokg validate ontology/curation/bobrie-2012-cancer-res.yaml
    """
    from exokg.curation.validate import ValidationFailed, validate

    problems = validate(args.paths or None)
    for problem in problems:
        warn(problem.text())
    if problems:
        raise ValidationFailed(problems)
    print(f"ok: {len(args.paths) or 'all'} curation file(s) are valid")


@command(
    "build",
    option(
        "-o",
        "--output",
        metavar="FILE",
        type=file_arg,
        help="Where to write the graph (default: ontology/build/exokg-kg.nq in a checkout; in an "
        "installed package the user's data directory, $EXOKG_DATA_DIR or ~/.local/share/exokg).",
    ),
    quiet_option,
    option(
        "--include-candidates",
        action="store_true",
        help="keep machine-proposed statements (scope: candidate, from exokg propose); "
        "left out by default",
    ),
)
def build_command(args: Namespace) -> None:
    """Validate, reason and write the compiled graph; print the statement coverage.

    An installed exokg never writes inside its package: it builds into the user's data directory,
    and every command then reads that graph instead of the shipped one.
    Example: exokg build --output /tmp/exokg-kg.nq
    """
    from exokg.compile.build import build
    from exokg.curation.validate import ValidationFailed

    try:
        with progress_for(args) as progress:
            report = build(
                args.output, include_candidates=args.include_candidates, progress=progress
            )
    except ValidationFailed as failure:
        for problem in failure.problems:
            warn(problem.text())
        raise
    print("\n".join(report.lines()))


# --- ontology: reasoning and quality control (issue 3) --------------------------------------------


@command(
    "reason",
    option(
        "--reasoner",
        choices=("auto", "hermit", "owlrl"),
        default="auto",
        help="auto: HermiT when Java is there, else the OWL 2 RL fallback (EXOKG_JAVA=none hides "
        "Java) (default: %(default)s).",
    ),
    ontology_option,
    quiet_option,
)
def reason_command(args: Namespace) -> None:
    """Classify the ontology: consistency, unsatisfiable classes, new subclass axioms.

    Exits 1 when the ontology is inconsistent or a class is unsatisfiable.
    Example: exokg reason --reasoner owlrl
    """
    from exokg.compile.reason import describe, raise_for, reason
    from exokg.curation.ontology import load_ontology

    with progress_for(args) as progress:
        progress("loading the ontology and its imports")
        graph = load_ontology(args.edit_file)
        progress(f"classifying ({args.reasoner} reasoner)")
        result = reason(graph, args.reasoner)
    if result.notice:
        warn(f"exokg: notice: {result.notice}")
    print(describe(result, graph))
    raise_for(result)


@command("report", format_option, ontology_option, quiet_option)
def report_command(args: Namespace) -> None:
    """Run the ontology quality checks (queries/qc/*-violation.rq); exit 1 on any ERROR.

    Example: exokg report --format tsv
    """
    from exokg.compile.report import format_violations, load_checks, raise_for_errors, run_checks
    from exokg.curation.ontology import load_ontology

    checks = load_checks()
    with progress_for(args) as progress:
        progress("loading the ontology and its imports")
        ontology = load_ontology(args.edit_file)
        progress(f"running {len(checks)} quality checks")
        violations = run_checks(ontology, checks)
    print(format_violations(violations, args.fmt, checks))
    raise_for_errors(violations)
