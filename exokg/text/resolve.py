"""People's words as the graph's terms: a question's ``--param`` values resolved, then the question asked.

A parameter value is a CURIE (``EXOKG:0000020``), an IRI or a name (``evidence-for --param
term="tumour-derived exosome"``, ``term=MFG-E8 --param organism=mouse``), looked up in the graph's
lexicon (:mod:`exokg.text.lexicon`). :func:`ask` resolves a question's parameters with :func:`bind`
and hands the bindings to an executor (:mod:`exokg.query.store`, or a SPARQL endpoint); names never
reach SPARQL as text. :func:`why_empty` explains an empty answer in the user's terms.
"""

from __future__ import annotations

import re

from exokg.core.errors import DataError, UsageError
from exokg.core.prefixes import PREFIXES, compact
from exokg.core.resources import QUERIES_DIR, TERM_FINDINGS_QUERY, TERM_KNOWN_QUERY
from exokg.query.questions import Question, get_question
from exokg.query.store import Term

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: `exokg ask` starts cold
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from exokg.query.store import Executor, Solutions
    from exokg.text.lexicon import Candidate, Lexicon

__all__ = [
    "ORGANISM_PARAMETER",
    "ask",
    "bind",
    "bind_all",
    "composed_term",
    "findings",
    "resolve_term",
    "resolve_terms",
    "why_empty",
]

_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)


ORGANISM_PARAMETER = "organism"
"""``--param organism=mouse`` picks, among terms a name gives in several organisms, the one of that
organism; a question need not declare it."""


def bind(
    question: Question,
    params: Mapping[str, str],
    executor: Executor,
    *,
    lexicon: Lexicon | None = None,
    notes: list[str] | None = None,
) -> dict[str, Term]:
    """Turn ``--param`` values (or defaults) into IRIs, looking names up in the graph's lexicon."""
    return _bind(question, params, executor, lexicon=lexicon, notes=notes, shared=False)[0]


def bind_all(
    question: Question,
    params: Mapping[str, str],
    executor: Executor,
    *,
    lexicon: Lexicon | None = None,
    notes: list[str] | None = None,
) -> list[dict[str, Term]]:
    """Like :func:`bind`, but a name species share gives one binding per species' term
    (:func:`resolve_terms`): every combination, in order."""
    return _bind(question, params, executor, lexicon=lexicon, notes=notes, shared=True)


def _bind(
    question: Question,
    params: Mapping[str, str],
    executor: Executor,
    *,
    lexicon: Lexicon | None,
    notes: list[str] | None,
    shared: bool,
) -> list[dict[str, Term]]:
    import itertools

    declared = {p.name for p in question.parameters}
    organism = None
    if ORGANISM_PARAMETER not in declared:
        organism = params.get(ORGANISM_PARAMETER)
        params = {k: v for k, v in params.items() if k != ORGANISM_PARAMETER}
    unknown = sorted(set(params) - declared)
    if unknown:
        raise UsageError(
            f"{question.name} has no parameter {unknown[0]!r}",
            fix=f"its parameters are: {', '.join(sorted(declared)) or 'none'}",
        )
    choices: dict[str, list[Term]] = {}
    for parameter in question.parameters:
        value = params.get(parameter.name, parameter.default)
        if value is None or not value.strip():
            raise UsageError(
                f"{question.name} needs --param {parameter.name}=VALUE ({parameter.description})",
                fix=f"for example: exokg ask {question.name} --param {parameter.name}=EXOKG:0000020",
            )
        choices[parameter.name] = _resolve(
            value.strip(),
            executor,
            where=parameter.name,
            organism=organism,
            lexicon=lexicon,
            organism_option="--param organism=",
            notes=notes,
            shared="with findings" if shared else None,
        )
    names = list(choices)
    return [dict(zip(names, terms, strict=True)) for terms in itertools.product(*choices.values())]


def resolve_terms(
    text: str,
    executor: Executor,
    *,
    where: str = "term",
    organism: str | None = None,
    lexicon: Lexicon | None = None,
    organism_option: str | None = "--param organism=",
    notes: list[str] | None = None,
    with_findings: bool = True,
) -> list[Term]:
    """Like :func:`resolve_term`, but a name that species share (``Rab27a``: the mouse and the human
    gene) gives each species' term, ordered by organism, with a note on how to narrow it.

    ``with_findings`` (for questions) keeps those of them that findings name, when at least two do;
    otherwise (for ``info``) all of them. A name several terms of one organism share stays an error.
    """
    return _resolve(
        text,
        executor,
        where=where,
        organism=organism,
        lexicon=lexicon,
        organism_option=organism_option,
        notes=notes,
        shared="with findings" if with_findings else "all",
    )


def resolve_term(
    text: str,
    executor: Executor,
    *,
    where: str = "term",
    organism: str | None = None,
    lexicon: Lexicon | None = None,
    organism_option: str | None = "--param organism=",
    notes: list[str] | None = None,
) -> Term:
    """A CURIE (``EXOKG:0000020``), an IRI (``<…>`` or ``https://…``) or a name, as the term's IRI.

    A name is looked up in the lexicon (:mod:`exokg.text.lexicon`): labels, synonyms and gene symbols, in
    any case, with or without hyphens, singular or plural. A name several terms share is an error that
    lists them with their organisms, unless ``organism`` (``mouse``, ``human``, ``NCBITaxon:9606``)
    leaves one, or only one of them has findings (then ``notes`` gets a line saying so). A name no
    term has that names a vesicle by its cell of origin ("exosomes from 4T1 cells") is the class whose
    logical definition says so (:func:`composed_term`; ``notes`` gets a line). A CURIE or
    IRI the graph does not know, and a name that matches nothing, are data
    errors that suggest the closest names.
    """
    return _resolve(
        text,
        executor,
        where=where,
        organism=organism,
        lexicon=lexicon,
        organism_option=organism_option,
        notes=notes,
        shared=None,
    )[0]


def _resolve(
    text: str,
    executor: Executor,
    *,
    where: str,
    organism: str | None,
    lexicon: Lexicon | None,
    organism_option: str | None,
    notes: list[str] | None,
    shared: str | None,
) -> list[Term]:
    iri = _as_iri(text)
    if iri is not None:
        known = TERM_KNOWN_QUERY.read_text(encoding="utf-8")
        term = Term.iri(iri)
        if executor.select(known, {"term": term}, where=str(TERM_KNOWN_QUERY)).boolean:
            return [term]
        lexicon = lexicon or _lexicon(executor)
        hint = lexicon.suggest(text)
        raise DataError(
            f"{text} is not a term of the graph",
            where=where,
            fix=hint or "`exokg search TEXT` finds terms by name",
        )
    lexicon = lexicon or _lexicon(executor)
    taxon = None
    if organism is not None:
        try:
            taxon = lexicon.organism(organism)
        except KeyError:
            raise UsageError(
                f"no organism of the graph is called {organism!r}",
                where=ORGANISM_PARAMETER,
                fix="give mouse, human or an NCBITaxon CURIE such as NCBITaxon:10090",
            ) from None
    candidates = lexicon.lookup(text, organism=taxon)
    if len(candidates) == 1:
        return [Term.iri(candidates[0].iri)]
    if not candidates:
        composed = composed_term(lexicon, text)
        if composed is not None:
            curie, note = composed
            if notes is not None:
                notes.append(note)
            return [Term.iri(lexicon.terms[curie]["iri"])]
        hint = lexicon.suggest(text)
        raise DataError(
            f"no term is named {text!r}",
            where=where,
            fix=hint
            or "give a CURIE such as EXOKG:0000020; `exokg search TEXT` finds terms by name",
        )
    organisms = sorted({c.organism_label for c in candidates if c.organism_label})
    per_organism = len(organisms) == len(candidates) and organism is None
    if shared == "all" and per_organism:
        _note_shared(notes, text, candidates, organisms, organism_option)
        return [Term.iri(c.iri) for c in candidates]
    counted = [(findings(Term.iri(c.iri), executor), c) for c in candidates]
    used = [c for n, c in counted if n]
    if shared == "with findings" and per_organism and len(used) > 1:
        _note_shared(notes, text, used, organisms, organism_option)
        return [Term.iri(c.iri) for c in used]
    if len(used) == 1:  # the graph says something about one of them only: that is the one meant
        if notes is not None:
            others = "; ".join(c.describe() for c in candidates if c is not used[0])
            notes.append(
                f"{text!r} is {used[0].describe()}, the only one of {len(candidates)} terms with "
                f"findings (also: {others}; give a CURIE for another)"
            )
        return [Term.iri(used[0].iri)]
    shown = "; ".join(c.describe() for c in candidates)
    fix = "give one of these CURIEs instead"
    if len(organisms) > 1 and organism is None and organism_option is not None:
        fix = f"add {organism_option}{'|'.join(organisms)}, or {fix}"
    raise UsageError(f"{text!r} names {len(candidates)} terms: {shown}", where=where, fix=fix)


def _note_shared(
    notes: list[str] | None,
    text: str,
    candidates: list[Candidate],
    organisms: list[str],
    organism_option: str | None,
) -> None:
    if notes is None:
        return
    shown = "; ".join(c.describe() for c in candidates)
    narrow = f"; narrow it with {organism_option}{'|'.join(organisms)}" if organism_option else ""
    notes.append(
        f"{text!r} names a term in each of {len(candidates)} organisms: {shown}. The answer "
        f"covers them all{narrow}"
    )


def composed_term(lexicon: Lexicon, text: str) -> tuple[str, str] | None:
    """The class a vesicle-plus-cell name means ("dendritic cell exosomes"), and a note saying how
    it was read and where the findings sit; None when ``text`` is no such name."""
    from exokg.text.compose import compose

    rows = compose(lexicon, text, limit=1)
    if not rows:
        return None
    row = rows[0]
    terms = lexicon.terms
    note = (
        f"{text!r} read as {row.label} [{row.curie}]: {terms[row.genus]['label']} produced by "
        f"{terms[row.origin]['label']}"
    )
    if row.operational:
        shown = ", ".join(f"{terms[c]['label']} [{c}]" for c in row.operational)
        note += f" (the authors' term; findings reported as it sit on {shown})"
    return row.curie, note


def _as_iri(text: str) -> str | None:
    """The IRI a CURIE or IRI stands for; None for a name."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if _SCHEME.match(text):
        return text
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and " " not in text:
        return PREFIXES[prefix] + local
    return None


def _lexicon(executor: Executor) -> Lexicon:
    from exokg.text.lexicon import lexicon_from_executor

    return lexicon_from_executor(executor)


def findings(term: Term, executor: Executor) -> int:
    """How many statements name ``term`` or one of its subclasses (subject, object or context)."""
    sparql = TERM_FINDINGS_QUERY.read_text(encoding="utf-8")
    answer = executor.select(sparql, {"term": term}, where=str(TERM_FINDINGS_QUERY))
    value = answer.rows[0][answer.variables.index("findings")] if answer.rows else None
    return int(value.value) if value is not None else 0


def why_empty(name: str, params: Mapping[str, str], executor: Executor) -> list[str]:
    """Notes for an empty answer: each parameter that names a term no finding mentions (with the
    closest terms that have findings), or one that findings name in another role."""
    question = get_question(name)
    lexicon = _lexicon(executor)
    notes = []
    every = bind_all(question, params, executor, lexicon=lexicon)
    pairs = dict.fromkeys((n, t) for bindings in every for n, t in bindings.items())
    for parameter_name, term in pairs:
        if term.kind != "uri":
            continue
        count = findings(term, executor)
        curie = compact(term.value)
        if count == 0:
            record = lexicon.term(term.value)
            given = params.get(parameter_name, "")
            text = (
                given
                if given and _as_iri(given) is None
                else str(record["label"] if record else "")
            )
            close = _with_findings(lexicon, text, curie, executor)
            notes.append(
                f"{curie} ({parameter_name}) is in the graph, but no finding names it or its "
                "subclasses" + (f"; close terms with findings: {close}" if close else "")
            )
        else:
            notes.append(
                f"{curie} ({parameter_name}) is named by {count} finding{'s' if count > 1 else ''}, "
                f"but not as this question asks (perhaps as a cell line, organism or context): "
                f"`exokg info {curie}` says more"
            )
    return notes


def _with_findings(lexicon: Lexicon, text: str, skip: str, executor: Executor) -> str:
    """Up to three terms close to ``text`` (fuzzy search) that findings name, with their counts."""
    shown: list[str] = []
    if not text:
        return ""
    for candidate, _ in lexicon.search(text, limit=10):
        if candidate.curie == skip:
            continue
        count = findings(Term.iri(candidate.iri), executor)
        if count:
            shown.append(f"{candidate.label} [{candidate.curie}] ({count})")
        if len(shown) == 3:
            break
    return "; ".join(shown)


def ask(
    name: str,
    params: Mapping[str, str] | None = None,
    *,
    executor: Executor,
    limit: int | None = None,
    timeout: float = 30.0,
    directory: Path = QUERIES_DIR,
    notes: list[str] | None = None,
) -> Solutions:
    """Answer the competency question ``name`` with ``executor`` (a local store or an endpoint).

    ``notes`` (a list) gets a line for each parameter whose name was resolved by a choice the user
    should know of (see :func:`resolve_term`). A name species share (``Rab27a``) is answered for
    each species whose term findings name (:func:`resolve_terms`), one answer after the other.
    """
    question = get_question(name, directory)
    every = bind_all(question, params or {}, executor, notes=notes)
    answer = executor.select(
        question.sparql, every[0], limit=limit, timeout=timeout, where=str(question.path)
    )
    for bindings in every[1:]:  # a name species share: each species' answer after the other
        more = executor.select(
            question.sparql, bindings, limit=limit, timeout=timeout, where=str(question.path)
        )
        answer.rows += more.rows
        answer.truncated = answer.truncated or more.truncated
        if limit is not None and len(answer.rows) > limit:
            answer.rows, answer.truncated = answer.rows[:limit], True
    return answer
