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

    Format = Literal["table", "csv", "tsv", "json", "plain-tsv", "plain-csv"]

__all__ = ["FORMATS", "fit_table", "table_columns", "tsv_term", "write_results"]

FORMATS: tuple[Format, ...] = ("table", "csv", "tsv", "json", "plain-tsv", "plain-csv")

# Enumeration values as words, in tables and the plain formats (the W3C formats keep the graph's).
WORDS = {
    "inVivo": "in vivo",
    "inVitro": "in vitro",
    "exVivo": "ex vivo",
    "patientSamples": "patient samples",
    "inSilico": "in silico",
}


def write_results(
    solutions: Solutions,
    fmt: Format,
    *,
    columns: Sequence[str] | None = None,
    width: int | None = None,
    compact: bool = False,
) -> str:
    """Write an answer as a table for people, as W3C SPARQL 1.1 CSV, TSV or JSON results, or as
    plain TSV or CSV for a spreadsheet.

    Every format holds every character of the ``columns`` asked for (default: all). The W3C formats
    keep each column's ``_label`` companion beside it; the plain formats write a term's label in its
    column and its CURIE in a column ``<name>_id``, enumeration values as words (in vivo), and no
    SPARQL syntax. The table shows ``label [CURIE]`` (``compact``: the CURIE only where two terms of
    the answer share a label; an empty ``effect`` shows the relation, "has part" say) and, given a ``width`` (a terminal's), fits it: text wraps at spaces
    inside its cell, never inside a word, a CURIE, a DOI or a number; a header never splits; columns
    that cannot fit are left out and named below the table.
    """
    if fmt == "table":
        return _table(solutions, columns=columns, width=width, compact=compact)
    if columns is not None:
        solutions = _only(solutions, columns)
    if fmt in ("plain-tsv", "plain-csv"):
        return _plain(solutions, "\t" if fmt == "plain-tsv" else ",")
    writers = {"csv": _csv, "tsv": _tsv, "json": _json}
    return writers[fmt](solutions)


def _only(solutions: Solutions, columns: Sequence[str]) -> Solutions:
    """The answer with only ``columns`` (and their ``_label`` companions), in that order."""
    from exokg.query.store import Solutions as Answer

    if solutions.boolean is not None:
        return solutions
    available = table_columns(solutions)
    unknown = [c for c in columns if c not in available]
    if unknown:
        raise UsageError(
            f"the answer has no column {unknown[0]!r}",
            where="--columns",
            fix=f"its columns are: {', '.join(available)}",
        )
    names = solutions.variables
    kept = [
        n for c in columns for n in (c, f"{c}_label") if n in names and (n == c or n not in columns)
    ]
    index = [names.index(n) for n in kept]
    rows = [tuple(row[i] for i in index) for row in solutions.rows]
    return Answer(kept, rows, truncated=solutions.truncated)


def _plain(solutions: Solutions, separator: str) -> str:
    """One header row of column names, then the values as people read them (labels, CURIEs)."""
    import csv
    import io

    if solutions.boolean is not None:
        return f"{str(solutions.boolean).lower()}\n"
    names = solutions.variables
    shown = table_columns(solutions)
    headers: list[str] = []
    for name in shown:
        labelled = f"{name}_label" in names
        headers += [name, f"{name}_id"] if labelled else [name]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def write(cells: Sequence[str]) -> None:
        if separator == ",":
            writer.writerow(cells)
        else:  # a tab or a line break inside a value would split the row
            buffer.write("\t".join(" ".join(c.split()) for c in cells) + "\n")

    write(headers)
    for row in solutions.rows:
        values = dict(zip(names, row, strict=True))
        cells: list[str] = []
        for name in shown:
            term = values[name]
            if f"{name}_label" in names:
                label = values[f"{name}_label"]
                cells += [_words(_cell(label)) if label is not None else "", _cell(term)]
            else:
                cells.append(_words(_cell(term)))
        write(cells)
    return buffer.getvalue()


def _words(text: str) -> str:
    return WORDS.get(text, text)


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
    solutions: Solutions,
    *,
    columns: Sequence[str] | None = None,
    width: int | None = None,
    compact: bool = False,
) -> str:
    """Aligned columns; a column ``x`` with a companion ``x_label`` shows ``label [CURIE]``
    (``compact``: the label alone, unless two terms of the answer share it)."""
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
    shared = _shared_labels(solutions, shown) if compact else None
    rows = []
    for row in solutions.rows:
        values = dict(zip(names, row, strict=True))
        cells = []
        for name in shown:
            label, term = values.get(f"{name}_label"), values[name]
            if label is not None and term is not None:
                text = _cell(label)
                if shared is None or text in shared:
                    text = f"{text} [{_cell(term)}]"
                cells.append(text)
            elif name == "effect" and term is None:  # not an effect: the relation says it
                relation = values.get("relation_label") or values.get("relation")
                cells.append(not_an_effect(_cell(relation), _cell(values.get("polarity"))))
            else:
                cells.append(_words(_cell(term) or _cell(label)))
        rows.append(cells)
    lines, kept = fit_table(shown, rows, width)
    left_out = shown[kept:]
    shown = shown[:kept]
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


def not_an_effect(relation: str, polarity: str) -> str:
    """The effect cell of a finding whose relation is not an effect: the relation, and whether it
    was not found ("has part (not found)": the vesicles lacked the protein) or limits others."""
    if polarity in ("negative", "caveat") and relation:
        return f"{relation} ({'not found' if polarity == 'negative' else 'caveat'})"
    return relation


def _shared_labels(solutions: Solutions, shown: Sequence[str]) -> set[str]:
    """The labels that name more than one term in the answer's ``shown`` columns."""
    names = solutions.variables
    seen: dict[str, set[str]] = {}
    for row in solutions.rows:
        values = dict(zip(names, row, strict=True))
        for name in shown:
            label, term = values.get(f"{name}_label"), values[name]
            if label is not None and term is not None:
                seen.setdefault(_cell(label), set()).add(term.value)
    return {label for label, terms in seen.items() if len(terms) > 1}


def fit_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], width: int | None
) -> tuple[list[str], int]:
    """Aligned columns with a rule under the headers, fitted to ``width`` when given; and how many
    columns (from the left) were kept. Cells wrap at spaces only; a column is at least as wide as
    its longest word and its header, so neither ever splits; columns that cannot have that room are
    left out from the right."""
    natural = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    words = [  # the longest word of each column (a CURIE, a DOI), and the header: never split
        max([len(w) for r in rows for w in r[i].split()] + [len(h)]) for i, h in enumerate(headers)
    ]
    widths = _fit(natural, width, words)
    kept = len(widths)
    lines = _wrapped_row(list(headers[:kept]), widths)
    lines.append((" " * _GAP).join("─" * w for w in widths))
    wrapped = [_wrapped_row(list(r[:kept]), widths) for r in rows]
    spaced = any(len(r) > 1 for r in wrapped)  # rows of several lines: a blank line between rows
    for i, row_lines in enumerate(wrapped):
        if spaced and i:
            lines.append("")
        lines += row_lines
    return lines, kept


def _fit(natural: list[int], width: int | None, words: list[int] | None = None) -> list[int]:
    """Column widths that add up (with the gaps) to at most ``width``; drop the columns that cannot."""
    if width is None or not natural:
        return natural
    longest = words or [0] * len(natural)
    # a column's least width: its longest word and its header (never split), or 8 if more
    least = [min(n, max(_NARROWEST, w)) for n, w in zip(natural, longest, strict=True)]
    count = len(natural)
    while count > 1 and sum(least[:count]) + _GAP * (count - 1) > width:
        count -= 1
    room = max(1, width - _GAP * (count - 1))
    wanted = natural[:count]
    if sum(wanted) <= room:
        return wanted
    # the room left after every column's least width goes to the columns in proportion to what
    # they still lack, so a long free-text column (the finding) gets most of it
    widths = least[:count]
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
    from exokg.core.textfit import wrap

    return wrap(text, width)


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
