"""Validate the curation: file checks, checks against the ontology, and SHACL on the compiled graph.

Three layers, each reporting :class:`exokg.curation.records.Problem` lines (``FILE:LINE: [id] what — fix``):

1. :func:`exokg.curation.records.read_curation` — syntax, fields, allowed values, CURIEs, ids, references.
2. Against the ontology (editors' file + import modules): the relation is a declared object property,
   and every term a statement points to has an ``rdfs:label`` — a term without one is most often a
   typo in its number, or a term that still has to be added to an import module.
3. SHACL (pySHACL, ``ontology/shapes/*.ttl``) on the compiled statements graph, so the graph that
   ``exokg build`` writes has the shape docs/design.md promises, whoever produced it.

:func:`validate` never stops at the first problem; :func:`check` raises :class:`ValidationFailed` with
all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from exokg.core.errors import DataError
from exokg.curation.records import SOURCES_FILE_NAME, Curation, Problem, Statement, read_curation

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["ValidationFailed", "check", "check_against_ontology", "shacl_problems", "validate"]


class ValidationFailed(DataError):
    """The curation has problems; :attr:`problems` holds every one, in file and line order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the curation files",
            fix="fix the lines above and rerun `exokg validate`",
        )


def validate(paths: Sequence[Path] | None = None, ontology: Graph | None = None) -> list[Problem]:
    """Every problem in the curation files (default: all shipped ones), sorted by file and line."""
    curation = read_curation(paths)
    problems = list(curation.problems)
    if ontology is None:
        from exokg.curation.ontology import load_ontology

        ontology = load_ontology()
    problems += check_against_ontology(curation, ontology)
    problems += check_scopes(curation)
    if not problems:
        from exokg.curation.caveats import apply_rules, missed
        from exokg.curation.statements import statements_graph

        problems += missed(curation, ontology)
        curation = apply_rules(curation, ontology)
        problems += shacl_problems(statements_graph(curation), curation)
    return sorted(problems, key=lambda p: (str(p.file), p.line, p.statement, p.what))


def check(paths: Sequence[Path] | None = None, ontology: Graph | None = None) -> Curation:
    """Read and validate the curation; raise :class:`ValidationFailed` unless it is clean.

    The curation comes back with the caveats' rules applied: each caveat qualifies every finding its
    rule reaches (:func:`exokg.curation.caveats.apply_rules`).
    """
    from exokg.curation.caveats import apply_rules

    if ontology is None:
        from exokg.curation.ontology import load_ontology

        ontology = load_ontology()
    problems = validate(paths, ontology)
    if problems:
        raise ValidationFailed(problems)
    return apply_rules(read_curation(paths), ontology)


def check_against_ontology(curation: Curation, ontology: Graph) -> list[Problem]:
    """Relations must be declared object properties; every term a statement uses needs a label."""
    from rdflib import RDF, RDFS, Literal, URIRef
    from rdflib.namespace import OWL

    from exokg.core.vocab import EXO
    from exokg.curation.records import expand

    problems: list[Problem] = []
    labelled = set(ontology.subjects(RDFS.label, None))
    properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    declared = set(ontology.subjects(EXO.effectDirection, None))
    ancestors = _Ancestors(ontology)
    obsolete = set(ontology.subjects(OWL.deprecated, Literal(True)))
    for statement in curation.statements:
        found = len(problems)
        relation = URIRef(expand(statement.relation))
        if relation not in properties:
            problems.append(
                _problem(
                    statement,
                    statement.line_of(statement.relation),
                    f"unknown relation '{statement.relation}': not an object property of the ontology",
                    "use an RO/BFO relation from the import modules or an EXOKG relation "
                    "(EXOKG:0000850-0000899) declared in ontology/exokg-edit.ttl",
                )
            )
        elif relation not in declared:
            problems.append(
                _problem(
                    statement,
                    statement.line_of(statement.relation),
                    f"relation '{statement.relation}' does not declare whether it reports an effect",
                    f"add '{statement.relation} exo:effectDirection exo:promotes' (or exo:inhibits, "
                    "exo:affects, exo:notAnEffect) to ontology/exokg-edit.ttl",
                )
            )
        problems += _vesicle_identity(statement, ancestors)
        for curie in dict.fromkeys(statement.curies()):
            if curie == statement.relation and len(problems) > found:
                continue
            if URIRef(expand(curie)) in obsolete:
                problems.append(_obsolete_problem(statement, curie, ontology))
            elif URIRef(expand(curie)) not in labelled:
                problems.append(
                    _problem(
                        statement,
                        statement.line_of(curie),
                        f"term '{curie}' has no label in the ontology or its import modules",
                        "check the number for a typo, or add the term (with its label) to an "
                        "import module or to exokg-edit.ttl",
                    )
                )
    return problems


REVIEW_YEAR = 2013  # Bobrie & Théry 2013, the review exokg starts from


def check_scopes(curation: Curation) -> list[Problem]:
    """A finding from a paper published after the review is later work: 'context' (background) is
    earlier literature and 'relied_on' the work the review discusses, so neither can be later."""
    problems: list[Problem] = []
    for statement in curation.statements:
        source = curation.sources.get(statement.source)
        if source is None or not source.year.isdigit():
            continue
        if int(source.year) > REVIEW_YEAR and statement.scope in ("context", "relied_on"):
            problems.append(
                _problem(
                    statement,
                    statement.line,
                    f"scope '{statement.scope}', but its source {source.key} ({source.year}) was "
                    f"published after the review ({REVIEW_YEAR})",
                    "write 'scope: later' (later work); 'context' is for earlier literature, "
                    "'relied_on' for the work the review discusses",
                )
            )
    return problems


class _Ancestors:
    """Named superclasses of a class in the asserted ontology, before any reasoning.

    Follows ``rdfs:subClassOf`` and the named members of an ``owl:equivalentClass`` intersection (a
    cell-of-origin class such as *4T1-derived exosome* is defined as *exosome and derives from some
    4T1 cell*), which is what the curation rules below need to know.
    """

    def __init__(self, ontology: Graph) -> None:
        from rdflib import RDFS, URIRef
        from rdflib.namespace import OWL

        self.parents: dict[URIRef, set[URIRef]] = {}
        for child, parent in ontology.subject_objects(RDFS.subClassOf):
            if isinstance(child, URIRef) and isinstance(parent, URIRef):
                self.parents.setdefault(child, set()).add(parent)
        for child, definition in ontology.subject_objects(OWL.equivalentClass):
            if not isinstance(child, URIRef):
                continue
            members = ontology.value(definition, OWL.intersectionOf)
            for member in ontology.items(members) if members is not None else ():
                if isinstance(member, URIRef):
                    self.parents.setdefault(child, set()).add(member)

    def of(self, term: str) -> set[str]:
        """``term`` (an IRI) and every named class above it."""
        from rdflib import URIRef

        seen = {URIRef(term)}
        todo = [URIRef(term)]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return {str(iri) for iri in seen}


def _vesicle_identity(statement: Statement, ancestors: _Ancestors) -> list[Problem]:
    """MISEV2023: a statement about vesicles keeps the authors' term beside the class its evidence
    supports, and calls them exosomes only with evidence of endosomal origin."""
    from exokg.core.prefixes import PREFIXES
    from exokg.curation.records import expand

    particle = PREFIXES["EXOKG"] + "0000001"
    exosome = PREFIXES["GO"] + "0070062"
    ends = {"subject": statement.subject, "object": statement.object}
    lineage = {end: ancestors.of(expand(curie)) for end, curie in ends.items()}
    problems = []
    if statement.reported_as is None and any(particle in above for above in lineage.values()):
        problems.append(
            _problem(
                statement,
                statement.line,
                "a statement about vesicles or particles must keep the authors' term",
                "add 'reported_as:' with the class of the authors' word (e.g. GO:0070062 for "
                "'exosomes') and 'reported_term:' with the word",
            )
        )
    if statement.reported_as is not None and particle not in ancestors.of(
        expand(statement.reported_as)
    ):
        problems.append(
            _problem(
                statement,
                statement.line_of(statement.reported_as),
                f"reported_as '{statement.reported_as}' is not a vesicle or particle class",
                "name the class of the authors' term, e.g. GO:0070062, GO:1990742 or GO:1903561",
            )
        )
    for end, above in lineage.items():
        if exosome in above and not statement.origin_evidence:
            problems.append(
                _problem(
                    statement,
                    statement.line_of(ends[end]),
                    f"the {end} is an exosome class, but no evidence of endosomal origin is given",
                    "add 'origin_evidence:' saying what showed it (MISEV2023), or make the "
                    f"{end} an operational class such as a small EV from the named cells",
                )
            )
    return problems


def _obsolete_problem(statement: Statement, curie: str, ontology: Graph) -> Problem:
    """A statement on an obsolete term, naming where the term points (OBO obsoletion)."""
    from rdflib import URIRef

    from exokg.core.prefixes import compact
    from exokg.curation.ids import TERM_REPLACED_BY, replacements
    from exokg.curation.records import expand

    term = URIRef(expand(curie))
    targets = [compact(str(t)) for t in replacements(ontology, term)]
    if (term, URIRef(TERM_REPLACED_BY), None) in ontology:
        fix = f"use its replacement {targets[0]} instead"
    elif targets:
        fix = f"use one of the terms to consider instead: {', '.join(targets)}"
    else:
        fix = "use a current term instead"
    return _problem(statement, statement.line_of(curie), f"term '{curie}' is obsolete", fix)


def _problem(statement: Statement, line: int, what: str, fix: str) -> Problem:
    return Problem(statement.file, line, what, fix, statement.id)


def shacl_problems(graph: Graph, curation: Curation) -> list[Problem]:
    """Run the SHACL shapes on a statements graph; map each result back to its file and line."""
    import pyshacl
    from rdflib import Graph as RdfGraph
    from rdflib import URIRef
    from rdflib.namespace import SH

    from exokg.core import resources
    from exokg.curation.statements import source_iri, statement_iri

    shapes = RdfGraph()
    for path in sorted(resources.SHAPES_DIR.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    conforms, results, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    if conforms:
        return []
    where: dict[URIRef, tuple[Path, int, str]] = {}
    for statement in curation.statements:
        where[statement_iri(statement.id)] = (statement.file, statement.line, statement.id)
    for source in curation.sources.values():
        where[source_iri(source)] = (source.file, source.line, source.key)
    fallback = (resources.CURATION_DIR / SOURCES_FILE_NAME, 0, "")
    problems = []
    report = cast(RdfGraph, results)
    for result in report.subjects(SH.resultMessage, None):
        focus = report.value(result, SH.focusNode)
        message = str(report.value(result, SH.resultMessage))
        result_path = report.value(result, SH.resultPath)
        file, line, ident = where.get(URIRef(str(focus)), fallback)
        detail = (
            f" ({graph.namespace_manager.normalizeUri(str(result_path))})" if result_path else ""
        )
        problems.append(
            Problem(
                file,
                line,
                f"SHACL: {message}{detail}",
                "correct the field in the curation file",
                ident,
            )
        )
    return problems
