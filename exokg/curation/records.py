"""Read the curation files: YAML that a biologist edits, checked line by line.

Curators write statements in ``ontology/curation/*.yaml`` (one file per source paper) and source records
in ``ontology/curation/sources.yaml``; the format is described in the README. This module turns them into
typed records and reports every problem it finds as a :class:`Problem` that names the file, the line,
the statement id, what is wrong and how to fix it. It never stops at the first problem, so a curator
sees all of them in one run.

YAML is read through PyYAML's *compose* step, which keeps each node's line number (``start_mark``) and
lets us reject duplicate keys, which a plain ``yaml.safe_load`` would silently overwrite. Scalars are
kept as the strings the curator typed: ``V1`` stays ``"V1"``, a PMID keeps its leading zeros.

This module only checks what the files say on their own and across files (syntax, required fields,
allowed values, CURIE syntax and prefixes, ids, references between statements and to sources). Checks
that need the ontology — is the relation a known property, does every term have a label — and the SHACL
shapes are in :mod:`exokg.curation.validate`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast, get_args

from exokg.core.prefixes import PREFIXES

if TYPE_CHECKING:
    import curies
    from yaml.nodes import MappingNode, Node

__all__ = [
    "SOURCES_FILE_NAME",
    "CaveatRule",
    "Context",
    "Curation",
    "PerturbationKind",
    "Polarity",
    "Problem",
    "Scope",
    "Source",
    "Statement",
    "System",
    "Verification",
    "continuation",
    "converter",
    "curation_files",
    "expand",
    "read_curation",
]

Polarity = Literal["positive", "negative", "caveat"]
Verification = Literal["V1", "V2", "NV"]
Scope = Literal["review", "relied_on", "context", "later", "candidate"]
System = Literal["in_vivo", "in_vitro", "ex_vivo", "patient_samples"]
# how a finding was reached by perturbing the cells: blocking secretion (Rab27a knockdown …), lowering
# one gene, an antibody, a drug, or removing a population (e.g. depleting exosomes from serum)
PerturbationKind = Literal[
    "secretion_blockade", "knockdown", "blocking_antibody", "inhibitor", "depletion"
]

SOURCES_FILE_NAME = "sources.yaml"

# reports a problem at a node (or a line number) of the statement being read: (where, what, fix)
_Report = Callable[["Node | int", str, str], None]

_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_.]*):([A-Za-z0-9_][A-Za-z0-9_.\-]*)$")
_STATEMENT_ID = re.compile(r"^[A-Z][A-Z0-9]*\d-[A-Z]\d{2}[a-z]?$")
_SOURCE_KEY = re.compile(r"^[A-Z][A-Z0-9]*\d$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID = re.compile(r"^[1-9]\d{0,8}$")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_INITIALS = re.compile(r"^[A-Z][A-Z\-]*$")
# a paraphrase is read alone (a row of an answer, a search hit): it must not open as the continuation of
# another sentence — an ellipsis, a lowercase first word ("and ...", not "mTOR" or "siRNA"), or a word
# that points back to something said before
_OPENER = re.compile(
    r"^(?:also|and|as well|besides|both|but|either|furthermore|in addition|in contrast|in turn|its?"
    r"|likewise|moreover|neither|nor|or|similarly|so|such|the latter|the former|the same|their|them"
    r"|then|these|they|this|those|thus|whereas|while|yet)\b",
    re.IGNORECASE,
)


def continuation(paraphrase: str) -> str | None:
    """Why ``paraphrase`` opens as the continuation of another sentence, or None if it reads alone.

    >>> continuation("...and metastasise less.")
    'it opens with an ellipsis'
    >>> continuation("nor glycolytic enzymes.")
    "its first word 'nor' is lowercase"
    >>> continuation("They also carry CD9.")
    "it opens with 'They', which points back to an earlier sentence"
    >>> continuation("mTOR signalling is enriched in exomeres.") is None
    True
    """
    text = paraphrase.lstrip(" \"'(")
    if text.startswith(("...", "…")):
        return "it opens with an ellipsis"
    first = re.match(r"[^\s,;:.]+", text)
    word = first.group(0) if first else ""
    if word.isalpha() and word.islower():
        return f"its first word '{word}' is lowercase"
    opener = _OPENER.match(text)
    if opener:
        return f"it opens with '{opener.group(0)}', which points back to an earlier sentence"
    if text.rstrip().endswith(("...", "…")):
        return "it ends with an ellipsis, as if another sentence went on with it"
    return None


_STATEMENT_KEYS = {
    "id": True,
    "fact": False,
    "subject": True,
    "relation": True,
    "object": True,
    "polarity": True,
    "qualifies": False,
    # a caveat's rule: the findings it qualifies by what they share (see CaveatRule)
    "applies_to": False,
    "contrasts_with": False,
    "context": False,
    "evidence": True,
    "source": True,
    "paraphrase": True,
    "verification": True,
    "scope": True,
    "note": False,
    # what the authors called the vesicles (a class, and their word), and what showed endosomal origin
    "reported_as": False,
    "reported_term": False,
    "origin_evidence": False,
    # machine-proposed statements (exokg propose): where in the source text the sentence is, as
    # [start, end] character offsets (0-based, end excluded), and the hedging word that made it
    # speculative ("may", "suggest" ...)
    "evidence_span": False,
    "hedge": False,
}
_CONTEXT_KEYS = (
    "organism",
    "cell_line",
    "cell_type",
    "disease",
    "system",
    "method",
    "sample",
    "perturbation",
    "perturbation_kind",
    "perturbed_gene",
)
_CONTEXT_CURIES = ("organism", "cell_line", "cell_type", "disease", "perturbed_gene")
_CONTEXT_LISTS = ("organism", "cell_type")
_SOURCE_KEYS = {
    "doi": False,
    "pmid": False,
    "authors": True,
    "title": True,
    "journal": True,
    "year": True,
    "identifier_verification": True,
    "note": False,
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a curation file, told as ``FILE:LINE: [id] what — fix``."""

    file: Path
    line: int
    what: str
    fix: str
    statement: str = ""

    def text(self) -> str:
        where = f"{self.file}:{self.line}:"
        label = f" [{self.statement}]" if self.statement else ""
        return f"{where}{label} {self.what} — {self.fix}"


@dataclass(frozen=True)
class Context:
    """Where a finding holds: organism, cells, disease, experimental system and method."""

    organism: tuple[str, ...] = ()
    cell_line: str | None = None
    cell_type: tuple[str, ...] = ()
    disease: str | None = None
    system: System | None = None
    method: str | None = None
    sample: str | None = None
    perturbation: str | None = None
    perturbation_kind: PerturbationKind | None = None
    perturbed_gene: str | None = None

    def curies(self) -> list[str]:
        """Every term the context points to."""
        single = [self.cell_line, self.disease, self.perturbed_gene]
        return [*self.organism, *self.cell_type, *(c for c in single if c)]


@dataclass(frozen=True)
class CaveatRule:
    """Which findings a caveat qualifies, by what they share rather than by a list of ids.

    A finding (a positive or negative statement) is reached when it matches every field given: its
    perturbation kind is one of ``perturbation_kind``, its perturbed gene is ``perturbed_gene``, its
    cell line (the model) is ``cell_line``, its source is one of ``source``; and, for a rule about a
    claim, its subject is ``subject`` or a subclass and its outcome is one of ``objects``, a subclass or
    a part of one. ``exokg build`` applies the rule to every finding, old and new.
    """

    perturbation_kind: tuple[str, ...] = ()
    perturbed_gene: str | None = None
    cell_line: str | None = None
    source: tuple[str, ...] = ()
    subject: str | None = None
    objects: tuple[str, ...] = ()
    line: int = 0

    @property
    def about_claim(self) -> bool:
        """A rule that names a subject is about a claim: the caveat weighs on the claim, not its evidence."""
        return self.subject is not None


@dataclass(frozen=True)
class Statement:
    """One curated finding: subject, relation, object, with polarity, context, evidence and source."""

    id: str
    subject: str
    relation: str
    object: str
    polarity: Polarity
    evidence: str
    source: str
    paraphrase: str
    verification: Verification
    scope: Scope
    file: Path
    line: int
    fact: str | None = None
    qualifies: tuple[str, ...] = ()
    rule: CaveatRule | None = None
    contrasts_with: tuple[str, ...] = ()
    context: Context = field(default_factory=Context)
    note: str | None = None
    reported_as: str | None = None
    reported_term: str | None = None
    origin_evidence: str | None = None
    evidence_span: tuple[int, int] | None = None
    hedge: str | None = None
    term_lines: dict[str, int] = field(default_factory=dict, compare=False)

    def line_of(self, curie: str) -> int:
        """The line where this statement names ``curie`` (its first line if unknown)."""
        return self.term_lines.get(curie, self.line)

    @property
    def section(self) -> str:
        """The fact-sheet section (``A`` … ``I``), or ``-`` for a statement with no fact-sheet code."""
        return self.fact[0] if self.fact else "-"

    def curies(self) -> list[str]:
        """Every term the statement points to (its relation included)."""
        reported = [self.reported_as] if self.reported_as else []
        rule = self.rule or CaveatRule()
        ruled = [c for c in (rule.perturbed_gene, rule.cell_line, rule.subject) if c]
        return [
            self.subject,
            self.relation,
            self.object,
            self.evidence,
            *reported,
            *self.context.curies(),
            *ruled,
            *rule.objects,
        ]


@dataclass(frozen=True)
class Source:
    """A source document: the paper a statement comes from."""

    key: str
    authors: str
    title: str
    journal: str
    year: str
    identifier_verification: Verification
    file: Path
    line: int
    doi: str | None = None
    pmid: str | None = None
    note: str | None = None

    @property
    def author_names(self) -> tuple[str, ...]:
        """The named authors, in order: "et al." marks a gap in the list, it is not an author.

        >>> Source("R09", "Raposo G, et al., Geuze HJ", "t", "j", "1996", "V1", Path("s"), 1).author_names
        ('Raposo G', 'Geuze HJ')
        """
        names = (name.strip() for name in self.authors.split(","))
        return tuple(name for name in names if name and name.rstrip(".").lower() != "et al")

    @property
    def surname(self) -> str:
        """The first author's surname: every word of the name but its trailing initials."""
        words = self.author_names[0].split() if self.author_names else [self.key]
        if len(words) > 1 and _INITIALS.match(words[-1]):
            words = words[:-1]
        return " ".join(words)


@dataclass
class Curation:
    """Everything read from the curation files, and every problem found on the way."""

    statements: list[Statement] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # sources that are defined but have problems: statements citing them are not reported again
    broken_sources: set[str] = field(default_factory=set)


def curation_files(directory: Path | None = None) -> list[Path]:
    """The shipped curation files, sources first, then statements by file name."""
    from exokg.core import resources

    root = directory or resources.CURATION_DIR
    statements = sorted(p for p in root.glob("*.yaml") if p.name != SOURCES_FILE_NAME)
    sources = root / SOURCES_FILE_NAME
    return [sources, *statements] if sources.is_file() else statements


def converter() -> curies.Converter:
    """The CURIE converter built from exokg's one prefix map (:data:`exokg.core.prefixes.PREFIXES`)."""
    import curies

    return curies.Converter.from_prefix_map(PREFIXES)


def expand(curie: str) -> str:
    """Expand a CURIE checked by :func:`read_curation` to its IRI.

    >>> expand("GO:0070062")
    'http://purl.obolibrary.org/obo/GO_0070062'
    """
    iri = _cached_converter().expand(curie)
    if iri is None:
        raise ValueError(f"unknown CURIE prefix in {curie!r}")
    return str(iri)


@functools.cache
def _cached_converter() -> curies.Converter:
    return converter()


def read_curation(paths: Sequence[Path] | None = None) -> Curation:
    """Read curation files (default: all shipped ones) into records, collecting every problem.

    A file named ``sources.yaml`` holds source records; every other file holds statements. Statements
    may only cite sources that were read, so when ``paths`` names statement files only, the shipped
    ``sources.yaml`` is read as well.
    """
    from exokg.core import resources

    files = list(paths) if paths else curation_files()
    if not any(p.name == SOURCES_FILE_NAME for p in files):
        shipped = resources.CURATION_DIR / SOURCES_FILE_NAME
        if shipped.is_file():
            files.insert(0, shipped)
    result = Curation()
    for path in files:
        root = _compose(path, result.problems)
        if root is None:
            continue
        if path.name == SOURCES_FILE_NAME:
            _read_sources(path, root, result)
        else:
            _read_statements(path, root, result)
    _check_references(result, _shipped_ids() if paths else set())
    return result


def _shipped_ids() -> set[str]:
    """Ids of the shipped statements, so that a file checked alone may refer to them.

    Reading every shipped file is most of the cost of checking one file, so the ids are kept per
    state of the shipped files (path, size and modification time of each): an edited file is read
    again, an unchanged set is not.
    """
    files = [path for path in curation_files() if path.name != SOURCES_FILE_NAME]
    state = tuple((path, path.stat().st_size, path.stat().st_mtime_ns) for path in files)
    return set(_ids_in(state))


@functools.lru_cache(maxsize=4)
def _ids_in(state: tuple[tuple[Path, int, int], ...]) -> frozenset[str]:
    quiet: list[Problem] = []
    shipped = Curation()
    for path, _, _ in state:
        root = _compose(path, quiet)
        if root is not None:
            _read_statements(path, root, shipped)
    return frozenset(statement.id for statement in shipped.statements)


# --- reading YAML with line numbers ---------------------------------------------------------------


def _compose(path: Path, problems: list[Problem]) -> Node | None:
    import yaml

    def problem(line: int, what: str, fix: str) -> None:
        problems.append(Problem(path, line, what, fix))

    from exokg.curation.screen import MAX_TEXT, invisible, is_curation, read_bounded, texts

    data = read_bounded(path)
    if isinstance(data, str):
        problem(0, data, "give a curation .yaml file")
        return None
    if b"\x00" in data:
        problem(1, "this is a binary file, not YAML text", "give a curation .yaml file")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problem(line, "the file is not UTF-8 text", "save it as UTF-8")
        return None
    key = "sources" if path.name == SOURCES_FILE_NAME else "statements"
    if not is_curation(text, key):
        if any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
            # nothing of it is quoted: it may be any file, named directly or through a link
            problem(1, f"this is not a curation file: no line starts with '{key}:'", _NOT_CURATION)
        else:
            problem(1, "the file is empty", f"add a top-level '{key}:' section or delete the file")
        return None
    hidden = dict(invisible(text))
    try:
        root = yaml.compose(text, Loader=_loader())
    except yaml.YAMLError as error:
        if any(what.startswith("a control character") for what in hidden.values()):
            # PyYAML refuses most typed controls at no line, and reads U+0085 as a line end
            _hidden_problems(hidden, problem)
        elif isinstance(error, yaml.MarkedYAMLError):
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 1
            what = f"YAML syntax error: {error.problem or error.context}"
            problem(line, what, "fix the indentation or quoting near this line")
        else:
            problem(1, f"YAML error: {error}".splitlines()[0], "fix the YAML syntax")
        return None
    if root is None:
        problem(1, "the file is empty", f"add a top-level '{key}:' section or delete the file")
        return None
    for line, value in texts(root):
        if len(value) > MAX_TEXT:
            problem(
                line,
                f"a text of {len(value):,} characters; a field holds at most {MAX_TEXT:,}",
                "shorten it: a paraphrase or a note is a few sentences",
            )
        if line not in hidden:  # written as an escape ("\u202E"): the text holds it all the same
            hidden.update(invisible(value, line, file=False))
    _hidden_problems(hidden, problem)
    return root


def _hidden_problems(hidden: dict[int, str], problem: Callable[[int, str, str], None]) -> None:
    for line, what in sorted(hidden.items()):
        problem(
            line,
            f"the line holds {what}, which makes it show something other than what it holds",
            "delete it (an editor that shows invisible characters finds it)",
        )


_NOT_CURATION = (
    "give a statement file (it starts with 'statements:') or sources.yaml (with 'sources:')"
)


MAX_YAML_DEPTH = 50  # lists and mappings inside one another; a curation file needs 4


def _loader() -> type:
    """PyYAML's safe loader, refusing anchors and aliases (a few lines can expand to gigabytes) and
    nesting past :data:`MAX_YAML_DEPTH` (the composer recurses: 20,000 ``[`` exhaust Python's stack).
    """
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Node | None, index: int) -> Node | None:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise yaml.composer.ComposerError(
                    None, None, "anchors and aliases (& and *) are not allowed", event.start_mark
                )
            self.depth += 1
            if self.depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_YAML_DEPTH} deep", event.start_mark
                )
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return Loader


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _pairs(path: Path, node: MappingNode, problems: list[Problem], ident: str) -> dict[str, Node]:
    """A mapping node's keys and value nodes; duplicate keys are reported, not overwritten."""
    pairs: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in pairs:
            problems.append(
                Problem(path, _line(key_node), f"key '{key}' appears twice", "keep one", ident)
            )
            continue
        pairs[key] = value_node
    return pairs


def _is_null(node: Node) -> bool:
    return str(node.tag).endswith(":null")


def _scalar(node: Node) -> str | None:
    from yaml.nodes import ScalarNode

    if not isinstance(node, ScalarNode) or _is_null(node):
        return None
    return str(node.value).strip()


def _strings(node: Node) -> list[tuple[str, int]] | None:
    """A scalar or a list of scalars, each with its line; ``None`` when the shape is wrong."""
    from yaml.nodes import SequenceNode

    if isinstance(node, SequenceNode):
        items = [(_scalar(item), _line(item)) for item in node.value]
        if any(value is None for value, _ in items):
            return None
        return [(value, line) for value, line in items if value is not None]
    value = _scalar(node)
    return None if value is None else [(value, _line(node))]


# --- statements ----------------------------------------------------------------------------------


def _read_statements(path: Path, root: Node, result: Curation) -> None:
    from yaml.nodes import MappingNode, SequenceNode

    problems = result.problems
    if not isinstance(root, MappingNode):
        problems.append(
            Problem(path, _line(root), "the file is not a mapping", "start it with 'statements:'")
        )
        return
    top = _pairs(path, root, problems, "")
    for key in top:
        if key != "statements":
            problems.append(
                Problem(
                    path,
                    _line(top[key]),
                    f"unknown top-level key '{key}'",
                    "a statement file has only 'statements:'",
                )
            )
    items = top.get("statements")
    if items is None or not isinstance(items, SequenceNode):
        line = _line(items) if items is not None else 1
        problems.append(
            Problem(
                path, line, "no list of statements", "write 'statements:' then '- id: ...' items"
            )
        )
        return
    for item in items.value:
        statement = _statement(path, item, problems)
        if statement is not None:
            result.statements.append(statement)


def _statement(path: Path, node: Node, problems: list[Problem]) -> Statement | None:
    from yaml.nodes import MappingNode

    line = _line(node)
    if not isinstance(node, MappingNode):
        problems.append(
            Problem(path, line, "a statement must be a mapping", "write 'key: value' lines")
        )
        return None
    id_node = next((v for k, v in node.value if k.value == "id"), None)
    ident = (_scalar(id_node) or "") if id_node is not None else ""
    before = len(problems)

    def problem(at: Node | int, what: str, fix: str) -> None:
        where = at if isinstance(at, int) else _line(at)
        problems.append(Problem(path, where, what, fix, ident))

    fields = _pairs(path, node, problems, ident)
    values: dict[str, str] = {}
    for key, value_node in fields.items():
        if key not in _STATEMENT_KEYS:
            known = ", ".join(_STATEMENT_KEYS)
            problem(value_node, f"unknown field '{key}'", f"use one of: {known}")
        elif key not in ("qualifies", "applies_to", "contrasts_with", "context", "evidence_span"):
            value = _scalar(value_node)
            if value is None or value == "":
                problem(value_node, f"'{key}' must be a single non-empty value", "give one value")
            else:
                values[key] = value
    for key, required in _STATEMENT_KEYS.items():
        if required and key not in fields:
            problem(line, f"missing required field '{key}'", f"add '{key}:' to the statement")

    if ident and not _STATEMENT_ID.match(ident):
        problem(
            id_node or line,
            f"malformed statement id '{ident}'",
            "write SOURCE-FACT, e.g. R03-B05 or R03-B05b",
        )
    source = values.get("source", "")
    if ident and source and not ident.startswith(source + "-"):
        problem(
            id_node or line, f"id '{ident}' does not start with its source '{source}-'", "rename"
        )
    if "paraphrase" in values:
        why = continuation(values["paraphrase"])
        if why:
            problem(
                fields["paraphrase"],
                f"the paraphrase does not read on its own: {why}",
                "rewrite it as a whole sentence that names its subject, model and outcome",
            )
    for key in ("subject", "relation", "object", "evidence", "reported_as"):
        if key in values:
            _check_curie(values[key], fields[key], problem)
    if values.get("relation", "").split(":")[0] not in ("RO", "BFO", "EXOKG", ""):
        problem(
            fields["relation"],
            f"unknown relation '{values['relation']}': relations are RO, BFO or EXOKG properties",
            "use an RO/BFO relation or an EXOKG relation (EXOKG:0000850-0000899)",
        )
    if values.get("evidence") and not values["evidence"].startswith("ECO:"):
        problem(fields["evidence"], "evidence must be an ECO class", "use e.g. ECO:0000269")
    polarity = _choice(values, fields, "polarity", get_args(Polarity), problem)
    verification = _choice(values, fields, "verification", get_args(Verification), problem)
    scope = _choice(values, fields, "scope", get_args(Scope), problem)

    links: dict[str, tuple[str, ...]] = {}
    for key in ("qualifies", "contrasts_with"):
        if key in fields:
            ids = _strings(fields[key])
            if ids is None:
                problem(fields[key], f"'{key}' must be a list of statement ids", "write [R01-A07]")
            else:
                links[key] = tuple(value for value, _ in ids)
    rule = _rule(fields["applies_to"], problem) if "applies_to" in fields else None
    if polarity == "caveat" and not links.get("qualifies") and "applies_to" not in fields:
        problem(
            line,
            "a caveat must say which statements it qualifies",
            "add 'qualifies: [ID, ...]' or a rule 'applies_to:' (e.g. perturbed_gene: EXOKG:0000400)",
        )
    for key in ("qualifies", "applies_to"):
        if polarity and polarity != "caveat" and key in fields:
            problem(fields[key], f"only a caveat has '{key}'", "set 'polarity: caveat'")
    context = _context(fields.get("context"), problem)
    span = _span(fields["evidence_span"], problem) if "evidence_span" in fields else None
    term_lines = {
        values[k]: _line(fields[k])
        for k in ("subject", "relation", "object", "evidence", "reported_as")
        if k in values
    }
    context_node = fields.get("context")
    if isinstance(context_node, MappingNode):
        for key_node, value_node in context_node.value:
            if key_node.value in _CONTEXT_CURIES:
                for value, at in _strings(value_node) or []:
                    term_lines.setdefault(value, at)

    if len(problems) > before or polarity is None or verification is None or scope is None:
        return None
    return Statement(
        id=ident,
        subject=values["subject"],
        relation=values["relation"],
        object=values["object"],
        polarity=cast(Polarity, polarity),
        evidence=values["evidence"],
        source=values["source"],
        paraphrase=values["paraphrase"],
        verification=cast(Verification, verification),
        scope=cast(Scope, scope),
        file=path,
        line=line,
        fact=values.get("fact"),
        qualifies=links.get("qualifies", ()),
        rule=rule,
        contrasts_with=links.get("contrasts_with", ()),
        context=context or Context(),
        note=values.get("note"),
        reported_as=values.get("reported_as"),
        reported_term=values.get("reported_term"),
        origin_evidence=values.get("origin_evidence"),
        evidence_span=span,
        hedge=values.get("hedge"),
        term_lines=term_lines,
    )


_RULE_KEYS = ("perturbation_kind", "perturbed_gene", "cell_line", "source", "claim")


def _rule(node: Node, problem: _Report) -> CaveatRule | None:
    """``applies_to:``: a mapping of what the qualified findings share (:class:`CaveatRule`)."""
    from yaml.nodes import MappingNode

    if not isinstance(node, MappingNode) or not node.value:
        problem(
            node, "'applies_to' must be a mapping", "write e.g. 'applies_to:' then 'source: R03'"
        )
        return None
    found: dict[str, object] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key not in _RULE_KEYS:
            problem(key_node, f"unknown rule field '{key}'", f"use one of: {', '.join(_RULE_KEYS)}")
            continue
        if key == "claim":
            claim = _rule_claim(value_node, problem)
            if claim is None:
                return None
            found["subject"], found["objects"] = claim
            continue
        values = _strings(value_node)
        if not values:
            problem(value_node, f"rule field '{key}' needs a value", "give a value or a list")
            return None
        plain = tuple(value for value, _ in values)
        if key == "perturbation_kind":
            wrong = [v for v in plain if v not in get_args(PerturbationKind)]
            if wrong:
                allowed = ", ".join(get_args(PerturbationKind))
                problem(
                    value_node, f"invalid perturbation_kind '{wrong[0]}'", f"use one of: {allowed}"
                )
                return None
        if key in ("perturbed_gene", "cell_line"):
            if len(plain) != 1 or not _check_curie(plain[0], value_node, problem):
                return None
            found[key] = plain[0]
        else:
            found[key] = plain
    return CaveatRule(line=_line(node), **found)  # type: ignore[arg-type]


def _rule_claim(node: Node, problem: _Report) -> tuple[str, tuple[str, ...]] | None:
    """``claim: {subject: CURIE, object: CURIE or [CURIE, ...]}``."""
    from yaml.nodes import MappingNode

    fields = {str(k.value): v for k, v in node.value} if isinstance(node, MappingNode) else {}
    subject = _scalar(fields["subject"]) if "subject" in fields else None
    objects = _strings(fields["object"]) if "object" in fields else None
    if not subject or not objects or set(fields) - {"subject", "object"}:
        problem(
            node,
            "a rule's 'claim' needs a subject and an object",
            "write 'claim: {subject: EXOKG:0000028, object: EXOKG:0000200}'",
        )
        return None
    if not all(_check_curie(c, node, problem) for c in (subject, *(v for v, _ in objects))):
        return None
    return subject, tuple(v for v, _ in objects)


def _span(node: Node, problem: _Report) -> tuple[int, int] | None:
    """``[start, end]``: two character offsets, start before end."""
    pair = _strings(node)
    if pair is None or len(pair) != 2 or not all(v.isdigit() for v, _ in pair):
        problem(node, "'evidence_span' must be [start, end] offsets", "write e.g. [120, 245]")
        return None
    start, end = (int(v) for v, _ in pair)
    if start >= end:
        problem(node, f"evidence_span starts at {start}, after its end {end}", "swap them")
        return None
    return start, end


def _choice(
    values: dict[str, str],
    fields: dict[str, Node],
    key: str,
    allowed: tuple[str, ...],
    problem: _Report,
) -> str | None:
    value = values.get(key)
    if value is None:
        return None
    if value not in allowed:
        problem(fields[key], f"invalid {key} '{value}'", f"use one of: {', '.join(allowed)}")
        return None
    return value


def _check_curie(value: str, node: Node | int, problem: _Report) -> bool:
    match = _CURIE.match(value)
    if match is None:
        problem(node, f"malformed CURIE '{value}'", "write PREFIX:ID, e.g. GO:0070062")
        return False
    if match.group(1) not in PREFIXES:
        known = ", ".join(sorted(PREFIXES, key=str.lower))
        problem(
            node, f"unknown CURIE prefix '{match.group(1)}' in '{value}'", f"use one of: {known}"
        )
        return False
    return True


def _context(node: Node | None, problem: _Report) -> Context | None:
    from yaml.nodes import MappingNode

    if node is None:
        return None
    if not isinstance(node, MappingNode):
        problem(node, "'context' must be a mapping", "write 'context:' then indented 'key: value'")
        return None
    kwargs: dict[str, object] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key not in _CONTEXT_KEYS:
            problem(
                key_node,
                f"unknown context field '{key}'",
                f"use one of: {', '.join(_CONTEXT_KEYS)}",
            )
            continue
        values = _strings(value_node) if key in _CONTEXT_LISTS else None
        if key not in _CONTEXT_LISTS:
            one = _scalar(value_node)
            values = None if not one else [(one, _line(value_node))]
        if not values:
            problem(value_node, f"context '{key}' needs a value", "give a value or remove the line")
            continue
        if key in _CONTEXT_CURIES:
            for value, line in values:
                _check_curie(value, line, problem)
        if key == "system" and values[0][0] not in get_args(System):
            problem(
                value_node,
                f"invalid system '{values[0][0]}'",
                f"use one of: {', '.join(get_args(System))}",
            )
            continue
        if key == "perturbation_kind" and values[0][0] not in get_args(PerturbationKind):
            problem(
                value_node,
                f"invalid perturbation_kind '{values[0][0]}'",
                f"use one of: {', '.join(get_args(PerturbationKind))}",
            )
            continue
        plain = [value for value, _ in values]
        kwargs[key] = tuple(plain) if key in _CONTEXT_LISTS else plain[0]
    return Context(**kwargs)  # type: ignore[arg-type]


# --- sources -------------------------------------------------------------------------------------


def _read_sources(path: Path, root: Node, result: Curation) -> None:
    from yaml.nodes import MappingNode

    problems = result.problems
    top = _pairs(path, root, problems, "") if isinstance(root, MappingNode) else {}
    records = top.get("sources")
    if not isinstance(records, MappingNode):
        problems.append(
            Problem(
                path, _line(root), "no 'sources:' mapping", "write 'sources:' then 'R01:' records"
            )
        )
        return
    for key, node in _pairs(path, records, problems, "").items():
        source = _source(path, key, node, problems)
        if source is None:
            result.broken_sources.add(key)
            continue
        if key in result.sources:
            first = result.sources[key]
            problems.append(
                Problem(path, source.line, f"source '{key}' is defined twice", f"see {first.file}")
            )
            continue
        result.sources[key] = source


def _source(path: Path, key: str, node: Node, problems: list[Problem]) -> Source | None:
    from yaml.nodes import MappingNode

    before = len(problems)

    def problem(at: Node | int, what: str, fix: str) -> None:
        problems.append(Problem(path, at if isinstance(at, int) else _line(at), what, fix, key))

    if not _SOURCE_KEY.match(key):
        problem(node, f"malformed source key '{key}'", "use the fact-sheet code, e.g. R03 or L01")
    if not isinstance(node, MappingNode):
        problem(node, "a source record must be a mapping", "write indented 'field: value' lines")
        return None
    fields = _pairs(path, node, problems, key)
    values: dict[str, str] = {}
    for name, value_node in fields.items():
        value = _scalar(value_node)
        if name not in _SOURCE_KEYS:
            problem(value_node, f"unknown field '{name}'", f"use one of: {', '.join(_SOURCE_KEYS)}")
        elif not value:
            problem(value_node, f"'{name}' must be a single non-empty value", "give one value")
        else:
            values[name] = value
    for name, required in _SOURCE_KEYS.items():
        if required and name not in fields:
            problem(node, f"missing required field '{name}'", f"add '{name}:' to the source")
    doi, pmid = values.get("doi"), values.get("pmid")
    if doi is not None and not _DOI.match(doi):
        problem(fields["doi"], f"malformed DOI '{doi}'", "write it bare, e.g. 10.1038/ncb2000")
    if pmid is not None and not _PMID.match(pmid):
        problem(fields["pmid"], f"malformed PMID '{pmid}'", 'write digits only, e.g. "19966785"')
    if "year" in values and not _YEAR.match(values["year"]):
        problem(
            fields["year"], f"malformed year '{values['year']}'", "write four digits, e.g. 2012"
        )
    checked = values.get("identifier_verification")
    if checked is not None and checked not in get_args(Verification):
        problem(
            fields["identifier_verification"],
            f"invalid identifier_verification '{checked}'",
            f"use one of: {', '.join(get_args(Verification))}",
        )
    if len(problems) > before:
        return None
    return Source(
        key=key,
        authors=values["authors"],
        title=values["title"],
        journal=values["journal"],
        year=values["year"],
        identifier_verification=cast(Verification, checked),
        file=path,
        line=_line(node),
        doi=doi,
        pmid=pmid,
        note=values.get("note"),
    )


# --- across files ----------------------------------------------------------------------------------


def _check_references(result: Curation, other_ids: set[str]) -> None:
    """Unique ids, known sources, and links that point to statements that exist."""
    problems = result.problems
    seen: dict[str, Statement] = {}
    unique: list[Statement] = []
    for statement in result.statements:
        first = seen.get(statement.id)
        if first is not None:
            problems.append(
                Problem(
                    statement.file,
                    statement.line,
                    f"duplicate statement id (first used at {first.file.name}:{first.line})",
                    "give this statement a new id; never reuse an id",
                    statement.id,
                )
            )
            continue
        seen[statement.id] = statement
        unique.append(statement)
    result.statements = unique
    for statement in unique:
        if statement.source not in result.sources.keys() | result.broken_sources:
            problems.append(
                Problem(
                    statement.file,
                    statement.line,
                    f"source '{statement.source}' is not in {SOURCES_FILE_NAME}",
                    f"add a record for it to {SOURCES_FILE_NAME} or fix the key",
                    statement.id,
                )
            )
        for key, targets in (
            ("qualifies", statement.qualifies),
            ("contrasts_with", statement.contrasts_with),
        ):
            for target in _missing(targets, seen.keys() | other_ids):
                problems.append(
                    Problem(
                        statement.file,
                        statement.line,
                        f"{key} names '{target}', which is not a statement id",
                        "fix the id or remove it",
                        statement.id,
                    )
                )


def _missing(ids: Iterable[str], known: set[str]) -> list[str]:
    return [i for i in ids if i not in known]
