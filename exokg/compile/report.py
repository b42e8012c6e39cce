"""Quality checks on the ontology, in the spirit of ROBOT ``report``.

Each check is one SPARQL file ``queries/qc/<name>-violation.rq`` that returns the offending rows
(``?entity ?property ?value``) and must return none. Its header says what it checks, how bad a hit is
(``# level: ERROR`` or ``WARN``) and how to fix it, so adding a check means adding a file. The report
runs every check over the editors' file merged with its import modules; any ERROR makes
``exokg report`` exit non-zero.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from exokg.core.errors import DataError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "Check",
    "Violation",
    "format_violations",
    "load_checks",
    "raise_for_errors",
    "run_checks",
]

Level = Literal["ERROR", "WARN"]
_HEADER = re.compile(r"^#\s*(title|level|what|fix):\s*(.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")


@dataclass(frozen=True)
class Check:
    """One quality check: its name (the file stem without ``-violation``) and its header."""

    name: str
    title: str
    level: Level
    what: str
    fix: str
    path: Path


@dataclass(frozen=True)
class Violation:
    """One offending row, with CURIEs where exokg knows the prefix."""

    level: Level
    check: str
    entity: str
    property: str
    value: str


def load_checks(qc_dir: Path | None = None) -> list[Check]:
    """Read the headers of every ``*-violation.rq`` file, sorted by name."""
    from exokg.core import resources

    directory = qc_dir or resources.QC_DIR
    checks = [_parse_header(path) for path in sorted(directory.glob("*-violation.rq"))]
    if not checks:
        raise DataError("no quality checks found", where=str(directory), fix="reinstall exokg")
    return checks


def _parse_header(path: Path) -> Check:
    fields: dict[str, str] = {}
    last = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if match := _HEADER.match(line):
            last = match.group(1)
            fields[last] = match.group(2).strip()
        elif (match := _CONTINUATION.match(line)) and last in ("what", "fix"):
            fields[last] += " " + match.group(1).strip()
        else:
            last = ""
    level = fields.get("level", "")
    if level not in ("ERROR", "WARN") or not fields.get("title") or not fields.get("fix"):
        raise DataError(
            "quality check header needs '# title:', '# level: ERROR|WARN' and '# fix:'",
            where=str(path),
            fix="copy the header of another queries/qc/*-violation.rq file",
        )
    return Check(
        name=path.name.removesuffix("-violation.rq"),
        title=fields["title"],
        level=level,  # type: ignore[arg-type]  # checked above
        what=fields.get("what", ""),
        fix=fields["fix"],
        path=path,
    )


def run_checks(graph: Graph, checks: list[Check] | None = None) -> list[Violation]:
    """Run each check over ``graph``; violations sorted ERROR first, then by check and entity."""
    from exokg.core.prefixes import PREFIXES

    bases = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

    def short(term: object) -> str:
        text = "" if term is None else str(term)
        for prefix, base in bases:
            if text.startswith(base) and len(text) > len(base):
                return f"{prefix}:{text[len(base) :]}"
        return text

    violations: list[Violation] = []
    for check in checks if checks is not None else load_checks():
        try:
            rows = graph.query(check.path.read_text(encoding="utf-8"))
        except Exception as error:  # a malformed query is a bug in the check file
            raise DataError(
                f"quality check cannot run: {error}".splitlines()[0],
                where=str(check.path),
                fix="fix the SPARQL in the check file",
            ) from error
        for row in rows:
            binding = row.asdict()  # type: ignore[union-attr]  # a SELECT yields ResultRows
            entity, prop, value = (short(binding.get(n)) for n in ("entity", "property", "value"))
            violations.append(Violation(check.level, check.name, entity, prop, value))
    return sorted(violations, key=lambda v: (v.level != "ERROR", v.check, v.entity, v.value))


def format_violations(
    violations: list[Violation], fmt: str = "table", checks: list[Check] | None = None
) -> str:
    """Render violations as a table for people, or as csv, tsv or json for tools."""
    rows = [asdict(v) for v in violations]
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False)
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.DictWriter(
            out,
            fieldnames=["level", "check", "entity", "property", "value"],
            delimiter="," if fmt == "csv" else "\t",
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    errors = sum(v.level == "ERROR" for v in violations)
    lines = [
        f"{v.level:<5}  {v.check:<26}  {v.entity:<24}  {v.property:<16}  {v.value[:60]}"
        for v in violations
    ]
    fixes = {c.name: c.fix for c in checks or []}
    for name in sorted({v.check for v in violations} & set(fixes)):
        lines.append(f"fix {name}: {fixes[name]}")
    lines.append(
        f"{len(checks or [])} checks: {errors} error(s), {len(violations) - errors} warning(s)"
        if checks is not None
        else f"{errors} error(s), {len(violations) - errors} warning(s)"
    )
    return "\n".join(lines)


def raise_for_errors(violations: list[Violation]) -> None:
    """Fail (exit 1) when any ERROR-level check fired; warnings alone pass."""
    errors = [v for v in violations if v.level == "ERROR"]
    if errors:
        names = ", ".join(sorted({v.check for v in errors}))
        raise DataError(
            f"{len(errors)} quality error(s) in the ontology ({names})",
            where="exokg report",
            fix="each check's fix is printed above; see queries/qc/<check>-violation.rq",
        )
