"""Answers written out: an aligned table fitted to a terminal, or the W3C SPARQL 1.1 results formats.

CSV, TSV and JSON (W3C SPARQL 1.1 Query Results) always hold every column and every character; the
table is for people and shows the columns asked for, wrapped to the terminal's width.
"""

from __future__ import annotations

import re

from exokg.core.errors import UsageError
from exokg.core.prefixes import PREFIXES, compact
from exokg.query.store import XSD_STRING

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: `exokg ask` starts cold
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Literal

    from exokg.query.store import Solutions, Term

    Format = Literal["table", "csv", "tsv", "json"]

__all__ = ["FORMATS", "table_columns", "tsv_term", "write_results"]

FORMATS: tuple[Format, ...] = ("table", "csv", "tsv", "json")


def write_results(
    solutions: Solutions,
    fmt: Format,
    *,
    columns: Sequence[str] | None = None,
    width: int | None = None,
) -> str:
    """Write an answer as a table for people, or as W3C SPARQL 1.1 CSV, TSV or JSON results.

    CSV, TSV and JSON always hold every column and every character. The table shows ``columns``
    (default: all) and, given a ``width`` (a terminal's), fits it: long text wraps inside its cell, and
    columns that cannot fit even narrowed are left out and named below the table.
    """
    if fmt == "table":
        return _table(solutions, columns=columns, width=width)
    writers = {"csv": _csv, "tsv": _tsv, "json": _json}
    return writers[fmt](solutions)


def _json(solutions: Solutions) -> str:
    import json

    if solutions.boolean is not None:
        return json.dumps({"head": {}, "boolean": solutions.boolean}) + "\n"
    bindings = [
        {
            name: _json_term(term)
            for name, term in zip(solutions.variables, row, strict=True)
            if term is not None
        }
        for row in solutions.rows
    ]
    document = {"head": {"vars": solutions.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    out = {"type": term.kind, "value": term.value}
    if term.lang:
        out["xml:lang"] = term.lang
    elif term.kind == "literal" and term.datatype != XSD_STRING:
        out["datatype"] = term.datatype or XSD_STRING
    return out


def _csv(solutions: Solutions) -> str:
    import csv
    import io

    if solutions.boolean is not None:
        return f"{str(solutions.boolean).lower()}\r\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(solutions.variables)
    for row in solutions.rows:
        writer.writerow(
            ["" if t is None else ("_:" if t.kind == "bnode" else "") + t.value for t in row]
        )
    return buffer.getvalue()


_NUMBER = {
    PREFIXES["xsd"] + "integer": re.compile(r"[+-]?\d+"),
    PREFIXES["xsd"] + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    PREFIXES["xsd"] + "double": re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+"),
    PREFIXES["xsd"] + "boolean": re.compile(r"true|false"),
}
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def tsv_term(term: Term | None) -> str:
    """A term in the Turtle syntax of the W3C TSV results format (empty when unbound)."""
    if term is None:
        return ""
    if term.kind == "uri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    number = _NUMBER.get(term.datatype or "")
    if number and number.fullmatch(term.value):
        return term.value
    text = f'"{term.value.translate(_ESCAPES)}"'
    if term.lang:
        return f"{text}@{term.lang}"
    return text if term.datatype == XSD_STRING else f"{text}^^<{term.datatype}>"


def _tsv(solutions: Solutions) -> str:
    if solutions.boolean is not None:
        return f"{str(solutions.boolean).lower()}\n"
    lines = ["\t".join(f"?{name}" for name in solutions.variables)]
    lines += ["\t".join(tsv_term(term) for term in row) for row in solutions.rows]
    return "\n".join(lines) + "\n"


_SHOWN_AS = {"doi": "https://doi.org/"}  # display-only CURIEs: not predeclared in SPARQL


def _cell(term: Term | None) -> str:
    if term is None:
        return ""
    text = term.value
    if term.kind == "uri":
        text = compact(text)
        for prefix, namespace in _SHOWN_AS.items():
            if text.startswith(namespace):
                text = f"{prefix}:{text[len(namespace) :]}"
    return " ".join(text.split())


def table_columns(solutions: Solutions) -> list[str]:
    """The columns a table can show: a column ``x_label`` folds into its companion ``x``."""
    names = solutions.variables
    return [n for n in names if not (n.endswith("_label") and n[: -len("_label")] in names)]


_GAP = 2  # spaces between columns
_NARROWEST = 8  # a column is never wrapped narrower than this (or its whole text, if shorter)


def _table(
    solutions: Solutions, *, columns: Sequence[str] | None = None, width: int | None = None
) -> str:
    """Aligned columns; a column ``x`` with a companion ``x_label`` shows ``label [CURIE]``."""
    if solutions.boolean is not None:
        return ("yes" if solutions.boolean else "no") + "\n"
    names = solutions.variables
    available = table_columns(solutions)
    shown = list(available if columns is None else columns)
    unknown = [c for c in shown if c not in available]
    if unknown:
        raise UsageError(
            f"the answer has no column {unknown[0]!r}",
            where="--columns",
            fix=f"its columns are: {', '.join(available)}",
        )
    rows = []
    for row in solutions.rows:
        values = dict(zip(names, row, strict=True))
        cells = []
        for name in shown:
            label, term = values.get(f"{name}_label"), values[name]
            if label is not None and term is not None:
                cells.append(f"{_cell(label)} [{_cell(term)}]")
            else:
                cells.append(_cell(term) or _cell(label))
        rows.append(cells)
    natural = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(shown)]
    words = [  # the longest word of each column (a CURIE, a DOI): its width if possible
        max([len(w) for r in rows for w in r[i].split()] or [0]) for i in range(len(shown))
    ]
    widths = _fit(natural, width, words)
    kept = len(widths)
    left_out = shown[kept:]
    shown, rows = shown[:kept], [r[:kept] for r in rows]
    lines = _wrapped_row(shown, widths)
    lines.append((" " * _GAP).join("─" * w for w in widths))
    wrapped = [_wrapped_row(r, widths) for r in rows]
    spaced = any(len(r) > 1 for r in wrapped)  # rows of several lines: a blank line between rows
    for i, row_lines in enumerate(wrapped):
        if spaced and i:
            lines.append("")
        lines += row_lines
    count = len(rows)
    footer = f"({count} row{'s' if count != 1 else ''}{', cut by --limit' if solutions.truncated else ''}"
    if left_out:
        footer += f"; not shown: {', '.join(left_out)} — see them with --wide or --columns"
    elif columns is not None and len(shown) < len(available):
        hidden = [c for c in available if c not in shown]
        footer += f"; also: {', '.join(hidden)} (--wide or --columns)"
    footer += ")"
    lines += _wrap(footer, width) if width else [footer]
    return "\n".join(lines) + "\n"


def _fit(natural: list[int], width: int | None, words: list[int] | None = None) -> list[int]:
    """Column widths that add up (with the gaps) to at most ``width``; drop the columns that cannot."""
    if width is None or not natural:
        return natural
    least = [min(n, _NARROWEST) for n in natural]
    count = len(natural)
    while count > 1 and sum(least[:count]) + _GAP * (count - 1) > width:
        count -= 1
    room = max(1, width - _GAP * (count - 1))
    wanted = natural[:count]
    if sum(wanted) <= room:
        return wanted
    # every column first gets a readable minimum (its longest word, up to 17 characters, so that a
    # CURIE stays whole); the room left goes to the columns in proportion to what they still lack, so
    # a long free-text column (the finding) gets most of it
    longest = (words or [0] * len(natural))[:count]
    widths = [min(n, max(_NARROWEST, min(w, 17))) for n, w in zip(wanted, longest, strict=True)]
    while sum(widths) > room:  # many columns: take back from the widest
        widths[widths.index(max(widths))] -= 1
    left = room - sum(widths)
    lacking = [n - w for n, w in zip(wanted, widths, strict=True)]
    total = sum(lacking)
    if total and left > 0:
        extra = [left * lack // total for lack in lacking]
        for i in sorted(range(count), key=lambda i: -lacking[i])[: left - sum(extra)]:
            extra[i] += 1
        widths = [min(n, w + e) for n, w, e in zip(wanted, widths, extra, strict=True)]
    return widths


def _wrap(text: str, width: int | None) -> list[str]:
    import textwrap

    if not width or len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _wrapped_row(cells: Sequence[str], widths: Sequence[int]) -> list[str]:
    parts = [_wrap(c, w) for c, w in zip(cells, widths, strict=True)]
    height = max((len(p) for p in parts), default=1)
    lines = []
    for k in range(height):
        line = (" " * _GAP).join(
            (p[k] if k < len(p) else "").ljust(w) for p, w in zip(parts, widths, strict=True)
        )
        lines.append(line.rstrip())
    return lines
