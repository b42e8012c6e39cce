"""Looking terms up, as ontology users do with OAK: search, info, tree, and annotated text written out.

``exokg search``, ``exokg info``, ``exokg tree`` and ``exokg annotate`` are thin commands over these
functions. Names come from the lexicon (:mod:`exokg.text.lexicon`); definitions, superclasses and finding
counts from SPARQL files in ``queries/lookup/``.

>>> from exokg.query.store import open_store  # doctest: +SKIP
>>> print(tree(open_store(), "GO:1903561", depth=1))  # doctest: +SKIP
extracellular vesicle [GO:1903561]
├── extracellular exosome [GO:0070062]
…
"""

from __future__ import annotations

from exokg.core.errors import DataError, UsageError
from exokg.core.resources import CLASS_TREE_QUERY, TERM_INFO_QUERY
from exokg.query.store import Term

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Literal

    from exokg.query.store import Executor
    from exokg.text.lexicon import Candidate, Lexicon, Span

    SpanFormat = Literal["table", "tsv", "json", "pubannotation"]

__all__ = [
    "SPAN_FORMATS",
    "children",
    "direct_parents",
    "info",
    "render_info",
    "search_rows",
    "table",
    "tree",
    "write_spans",
]

SPAN_FORMATS: tuple[SpanFormat, ...] = ("table", "tsv", "json", "pubannotation")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None) -> str:
    """Aligned columns with a rule under the headers, for a terminal; fitted to ``width`` when given
    (text wraps at spaces, never inside a word, a CURIE or a number; columns that cannot fit are
    named below the table)."""
    from exokg.query.answers import fit_table

    lines, kept = fit_table(headers, rows, width)
    if kept < len(headers):
        from exokg.core.textfit import wrap

        lines += wrap(
            f"(not shown: {', '.join(headers[kept:])} — see them with --format tsv)", width
        )
    return "\n".join(lines) + "\n"


# --- search ---------------------------------------------------------------------------------------


def search_rows(
    lexicon: Lexicon, text: str, limit: int = 10, *, organism: str | None = None
) -> list[list[str]]:
    """``exokg search``: rank, score, CURIE, label, organism, the name that matched and how.

    ``organism`` (mouse, human, a taxon CURIE) keeps that organism's terms and those of none. The
    label leaves out an ``(organism)`` its column already says.
    """
    rows = []
    found = lexicon.search(text, limit=limit, organism=organism)
    for rank, (candidate, score) in enumerate(found, start=1):
        matched = "" if candidate.name == candidate.label else candidate.name
        rows.append(
            [
                str(rank),
                f"{score:g}",
                _short_id(candidate.curie),
                candidate.short_label,
                candidate.organism_label or "",
                candidate.type,
                f"{candidate.kind}: {matched}" if matched else candidate.kind,
            ]
        )
    return rows


def _short_id(curie: str) -> str:
    """A source's DOI address as ``doi:…``, as answers show it; any other identifier as it is."""
    return (
        "doi:" + curie[len("https://doi.org/") :] if curie.startswith("https://doi.org/") else curie
    )


SEARCH_HEADERS = ("rank", "score", "curie", "label", "organism", "type", "matched")


# --- info -----------------------------------------------------------------------------------------


def info(term: Term, lexicon: Lexicon, executor: Executor) -> dict[str, Any]:
    """What exokg knows of one term: names, definition and its sources, supers, xrefs, findings."""
    from exokg.core.prefixes import compact
    from exokg.text.resolve import findings

    curie = compact(term.value)
    record = lexicon.term(term.value)
    if record is None:
        raise DataError(
            f"{curie} has no label in the graph", fix="`exokg search TEXT` finds terms by name"
        )
    sparql = TERM_INFO_QUERY.read_text(encoding="utf-8")
    answer = executor.select(sparql, {"term": term}, where=str(TERM_INFO_QUERY))
    fields: dict[str, list[str]] = {}
    for _, field, value in answer.rows:
        if field is not None and value is not None:
            fields.setdefault(field.value, []).append(value.value)
    supers = [compact(iri) for iri in fields.get("super", [])]
    organism = record["organism"]
    return {
        "curie": curie,
        "iri": record["iri"],
        "label": record["label"],
        "type": record["type"],
        "organism": organism,
        "organism_label": lexicon.terms[organism]["label"] if organism in lexicon.terms else None,
        "organism_name": lexicon.candidate(curie, "CURIE", curie).organism_label,
        "definition": " ".join(fields.get("definition", [])[:1]),
        "definition_sources": fields.get("definition source", []),
        "definition_verification": [
            v.rsplit("#", 1)[-1] for v in fields.get("definition verification", [])
        ],
        "synonyms": [
            {"name": name, "scope": kind.split()[0]}
            for name, kind in record["names"]
            if kind.endswith("synonym")
        ],
        "xrefs": [name for name, kind in record["names"] if kind == "xref"],
        "parents": [
            {"curie": c, "label": _label(lexicon, c)} for c in _direct(supers, lexicon, executor)
        ],
        "notes": fields.get("note", []),
        "findings": findings(term, executor),
        "deprecated": record["deprecated"],
        "children": children(term, lexicon, executor),
        "finding_list": finding_list(term, executor),
    }


def finding_list(term: Term, executor: Executor) -> list[dict[str, str]]:
    """The findings on a term (as ``evidence-for`` lists them): subject, effect or relation, object,
    model and source, one dict each, in the question's order."""
    from exokg.core.resources import RELATION_EFFECTS_QUERY
    from exokg.query.answers import not_an_effect
    from exokg.text.resolve import ask

    answer = ask("evidence-for", {"term": f"<{term.value}>"}, executor=executor)
    names = answer.variables
    found = []
    directions: dict[str, str] = {}
    polarity = names.index("polarity")
    if any(getattr(row[polarity], "value", "") == "caveat" for row in answer.rows):
        sparql = RELATION_EFFECTS_QUERY.read_text(encoding="utf-8")
        read = executor.select(sparql, where=str(RELATION_EFFECTS_QUERY))
        directions = {r.value: d.value for r, d in read.rows if r is not None and d is not None}
    for row in answer.rows:
        values = {n: (t.value if t is not None else "") for n, t in zip(names, row, strict=True)}
        effect = values["effect"]
        if effect == "caveat" and values["relation"] in directions:  # which way the caveat goes
            effect = f"(caveat) {directions[values['relation']]}"
        found.append(
            {
                "subject": values["subject_label"] or values["subject"],
                "effect": effect
                or not_an_effect(
                    values["relation_label"] or values["relation"], values["polarity"]
                ),
                "object": values["object_label"] or values["object"],
                "model": values["model"],
                "source": values["source_label"],
                "statement": values["statement"],
            }
        )
    return found


def _label(lexicon: Lexicon, curie: str) -> str:
    record = lexicon.terms.get(curie)
    return str(record["label"]) if record else curie


def _direct(supers: list[str], lexicon: Lexicon, executor: Executor) -> list[str]:
    """The supers that no other super lies under: the direct parents."""
    if len(supers) < 2:
        return supers
    ancestors = _ancestors(executor)
    kept = []
    for parent in supers:
        below = [
            other
            for other in supers
            if other != parent
            and parent in ancestors.get(other, set())
            and other not in ancestors.get(parent, set())  # equivalent classes stay side by side
        ]
        if not below:
            kept.append(parent)
    return kept


def render_info(facts: dict[str, Any], *, width: int | None = None, shown: int = 10) -> str:
    """``exokg info`` for a terminal: one labelled line per fact, wrapped at word boundaries to
    ``width``; the first ``shown`` findings and how to see all of them; the children."""
    from exokg.core.textfit import hanging

    label = facts["label"]  # its organism has a line of its own
    for name in (facts.get("organism_name"), facts["organism_label"]):
        if name and label.endswith(f" ({name})"):
            label = label[: -len(name) - 3]
    lines = [f"{label} [{facts['curie']}]"]

    def add(name: str, value: str) -> None:
        lines.extend(hanging(f"  {name + ':':<13}", value, width))

    add("iri", facts["iri"])
    add("type", facts["type"] + (" (deprecated)" if facts["deprecated"] else ""))
    if facts["organism"]:
        add("organism", f"{facts['organism_label']} [{facts['organism']}]")
    if facts["definition"]:
        add("definition", facts["definition"])
        sources = ", ".join(facts["definition_sources"]) or "none given"
        level = ", ".join(facts["definition_verification"])
        add("source", sources + (f" (verification {level})" if level else ""))
    for synonym in facts["synonyms"]:
        add("synonym", f"{synonym['name']} ({synonym['scope']})")
    for parent in facts["parents"]:
        add("parent", f"{parent['label']} [{parent['curie']}]")
    children = facts.get("children", [])
    for child in children[:shown]:
        add("child", f"{child['label']} [{child['curie']}]")
    if len(children) > shown:
        add("child", f"… {len(children) - shown} more: exokg tree {facts['curie']} --depth 1")
    if facts["xrefs"]:
        add("xrefs", ", ".join(facts["xrefs"]))
    listed = facts.get("finding_list", [])
    count = len(listed) if "finding_list" in facts else facts["findings"]
    add("findings", f"{count} (statements naming it or a subclass)")
    if facts["findings"] > count:  # named only as the model's organism or disease
        how = (
            f": exokg findings --where organism={facts['curie']}"
            if facts["curie"].startswith("NCBITaxon:")
            else ""
        )
        add("made in", f"{facts['findings'] - count} statements whose model is in it{how}")
    for finding in listed[:shown]:
        lines.extend(
            hanging(
                "    - ",
                f"{finding['subject']} {finding['effect']} {finding['object']} "
                f"({finding['model']}; {finding['source']})",
                width,
            )
        )
    if listed:
        every = f"{len(listed) - shown} more; all" if len(listed) > shown else "All"
        lines.extend(
            hanging(
                "    ",
                f"{every} of them with caveats, evidence and scores: exokg ask evidence-for "
                f"--param term={facts['curie']}",
                width,
            )
        )
    return "\n".join(lines) + "\n"


# --- tree -----------------------------------------------------------------------------------------


def _ancestors(executor: Executor) -> dict[str, set[str]]:
    from exokg.core.prefixes import compact

    sparql = CLASS_TREE_QUERY.read_text(encoding="utf-8")
    answer = executor.select(sparql, where=str(CLASS_TREE_QUERY))
    ancestors: dict[str, set[str]] = {}
    for child, parent in answer.rows:
        if child is not None and parent is not None:
            ancestors.setdefault(compact(child.value), set()).add(compact(parent.value))
    return ancestors


_UNICODE = ("├── ", "└── ", "│   ", "    ")
_ASCII = ("|-- ", "`-- ", "|   ", "    ")


def tree(
    executor: Executor,
    lexicon: Lexicon,
    root: Term | None = None,
    *,
    depth: int | None = None,
    ascii: bool = False,
    width: int | None = None,
) -> str:
    """The class hierarchy (direct parents only) as an indented tree, from ``root`` or every top class.

    A class with several parents appears under each; its subtree is drawn the first time only, and
    later marked ``(see above)``. Given a ``width``, a long line continues under its label, at a
    space.
    """
    from exokg.core.prefixes import compact
    from exokg.core.textfit import hanging

    ancestors = _ancestors(executor)
    classes = {c for c, r in lexicon.terms.items() if r["type"] == "class"}
    children = _children(ancestors, classes)
    if root is None:
        tops = sorted(
            (c for c in classes if not any(s in classes for s in ancestors.get(c, set()))),
            key=lambda c: _label(lexicon, c).lower(),
        )
    else:
        top = compact(root.value)
        if top not in classes:
            raise UsageError(
                f"{top} is not a class of the graph", fix="give a class's CURIE or name"
            )
        tops = [top]
    marks = _ASCII if ascii else _UNICODE
    lines: list[str] = []
    drawn: set[str] = set()

    def draw(node: str, prefix: str, branch: str, level: int) -> None:
        kids = sorted(children.get(node, []), key=lambda c: _label(lexicon, c).lower())
        repeat = node in drawn and bool(kids)
        inner = prefix + ((marks[3] if branch == marks[1] else marks[2]) if branch else "")
        text = f"{_label(lexicon, node)} [{node}]" + (" (see above)" if repeat else "")
        drawn_lines = hanging(prefix + branch, text, width)
        below = inner + (marks[2] if kids and not repeat else "    ")  # continuation lines
        lines.append(drawn_lines[0])
        lines.extend(below + line[len(prefix + branch) :] for line in drawn_lines[1:])
        if repeat or (depth is not None and level >= depth):
            return
        drawn.add(node)
        for i, kid in enumerate(kids):
            draw(kid, inner, marks[1] if i == len(kids) - 1 else marks[0], level + 1)

    for top in tops:
        draw(top, "", "", 0)
    return "\n".join(lines) + "\n"


def children(term: Term, lexicon: Lexicon, executor: Executor) -> list[dict[str, str]]:
    """The direct subclasses of ``term`` (CURIE and label), by label."""
    from exokg.core.prefixes import compact

    classes = {c for c, r in lexicon.terms.items() if r["type"] == "class"}
    kids = _children(_ancestors(executor), classes).get(compact(term.value), [])
    return [
        {"curie": c, "label": _label(lexicon, c)}
        for c in sorted(kids, key=lambda c: _label(lexicon, c).lower())
    ]


def _children(ancestors: dict[str, set[str]], classes: set[str]) -> dict[str, list[str]]:
    """Each class's direct subclasses, from the materialised ancestors of every class."""
    children: dict[str, list[str]] = {}
    for child in sorted(classes):
        supers = [s for s in ancestors.get(child, set()) if s in classes]
        for parent in direct_parents(supers, ancestors):
            children.setdefault(parent, []).append(child)
    return children


def direct_parents(supers: list[str], ancestors: dict[str, set[str]]) -> list[str]:
    """The supers that no other super lies under (equivalent classes stay side by side)."""
    return [
        parent
        for parent in supers
        if not any(
            other != parent
            and parent in ancestors.get(other, set())
            and other not in ancestors.get(parent, set())
            for other in supers
        )
    ]


# --- annotated text -------------------------------------------------------------------------------


def _curies(span: Span) -> str:
    return " | ".join(span.curies)


def _labels(candidates: Sequence[Candidate]) -> str:
    return " | ".join(
        c.label + (f" ({c.organism_label})" if c.organism_label and len(candidates) > 1 else "")
        for c in candidates
    )


def write_spans(
    spans: Sequence[Span], fmt: SpanFormat, text: str, source: str = "", width: int | None = None
) -> str:
    """Spans as a table, TSV (one row per span; several CURIEs joined with " | "), JSON, or
    PubAnnotation JSON (one denotation per candidate, so an ambiguous span has several)."""
    import json

    if fmt == "json":
        return json.dumps([s.as_dict() for s in spans], ensure_ascii=False, indent=1) + "\n"
    if fmt == "pubannotation":
        denotations: list[dict[str, Any]] = []
        for span in spans:
            for candidate in span.candidates:
                denotations.append(
                    {
                        "id": f"T{len(denotations) + 1}",
                        "span": {"begin": span.start, "end": span.end},
                        "obj": candidate.curie,
                    }
                )
        document: dict[str, Any] = {"text": text, "denotations": denotations}
        if source:
            document["sourceid"] = source
        return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    headers = ("start", "end", "text", "curie", "label", "kind")
    rows = [
        [
            str(s.start),
            str(s.end),
            s.text,
            _curies(s),
            _labels(s.candidates),
            s.kind + (" (ambiguous)" if s.ambiguous else "") + (f"; {s.note}" if s.note else ""),
        ]
        for s in spans
    ]
    if fmt == "tsv":
        clean = [[cell.replace("\t", " ").replace("\n", " ") for cell in row] for row in rows]
        return "\n".join("\t".join(row) for row in [list(headers), *clean]) + "\n"
    count = len(rows)
    return table(headers, rows, width) + f"({count} span{'s' if count != 1 else ''})\n"
