"""Caveats applied by rule: which findings each caveat qualifies, and which a rule cannot tell about.

A caveat lists the findings it qualifies (``qualifies:``), or says what they share (``applies_to:``, a
:class:`exokg.curation.records.CaveatRule`): a perturbation kind and gene, a model, a source, a claim.
:func:`apply_rules` turns every rule into the list of findings it reaches, in the shipped curation and
in whatever is added later, so that a new finding made by blocking Rab27a carries the blockade caveat
without anyone editing the caveat. :func:`missed` reports the findings a rule would reach if the
curator had recorded the field the rule asks about (a perturbation described in words but without its
kind or gene): there the rule is silent, and the curator should know.

Subject and outcome are matched on the asserted ontology: a subclass of the rule's subject, an outcome
that is the rule's outcome, a subclass of it or a part of one (part of is followed transitively).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from exokg.curation.records import CaveatRule, Curation, Problem, Statement, expand

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["Lineage", "apply_rules", "missed", "reached"]


class Lineage:
    """Named classes above a class (subclass of, named members of an equivalent intersection), and
    the classes it is part of (``subClassOf [part of some W]``, transitively, with W's own lineage)."""

    def __init__(self, ontology: Graph) -> None:
        from rdflib import RDFS, URIRef
        from rdflib.namespace import OWL

        from exokg.core.prefixes import PREFIXES

        self.parents: dict[str, set[str]] = {}
        self.wholes: dict[str, set[str]] = {}
        part_of = URIRef(PREFIXES["BFO"] + "0000050")
        for child, parent in ontology.subject_objects(RDFS.subClassOf):
            if not isinstance(child, URIRef):
                continue
            if isinstance(parent, URIRef):
                self.parents.setdefault(str(child), set()).add(str(parent))
            elif (parent, OWL.onProperty, part_of) in ontology:
                whole = ontology.value(parent, OWL.someValuesFrom)
                if isinstance(whole, URIRef):
                    self.wholes.setdefault(str(child), set()).add(str(whole))
        for child, definition in ontology.subject_objects(OWL.equivalentClass):
            members = ontology.value(definition, OWL.intersectionOf)
            for member in ontology.items(members) if members is not None else ():
                if isinstance(child, URIRef) and isinstance(member, URIRef):
                    self.parents.setdefault(str(child), set()).add(str(member))

    def above(self, iri: str) -> set[str]:
        """``iri`` and every named class above it."""
        seen, todo = {iri}, [iri]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def within(self, iri: str) -> set[str]:
        """Every class ``iri`` is, or is part of: its lineage, and the lineage of every whole it is
        part of (an existential restriction is inherited, so a superclass's wholes count too)."""
        seen: set[str] = set()
        todo = [iri]
        while todo:
            for term in self.above(todo.pop()) - seen:
                seen.add(term)
                todo.extend(self.wholes.get(term, ()))
        return seen


def _matches(rule: CaveatRule, finding: Statement, lineage: Lineage) -> bool | None:
    """True when the finding has everything the rule asks for; False when it differs; None when it
    could only match if it recorded a field it leaves out (a perturbation in words, without its kind
    or gene)."""
    context = finding.context
    unknown = False
    if rule.source and finding.source not in rule.source:
        return False
    if rule.cell_line and context.cell_line != rule.cell_line:
        return False
    if rule.subject and expand(rule.subject) not in lineage.above(expand(finding.subject)):
        return False
    if rule.objects:
        outcomes = lineage.within(expand(finding.object))
        if not any(expand(o) in outcomes for o in rule.objects):
            return False
    for wanted, have in (
        (rule.perturbation_kind or None, context.perturbation_kind),
        (rule.perturbed_gene, context.perturbed_gene),
    ):
        if wanted is None:
            continue
        if have is None:
            if not context.perturbation:
                return False
            unknown = True
        elif have not in (wanted if isinstance(wanted, tuple) else (wanted,)):
            return False
    return None if unknown else True


def _findings(curation: Curation) -> list[Statement]:
    return [s for s in curation.statements if s.polarity != "caveat"]


def reached(curation: Curation, ontology: Graph) -> dict[str, tuple[str, ...]]:
    """Per caveat id, the findings it qualifies: those it lists and those its rule reaches, by id."""
    lineage = Lineage(ontology)
    findings = _findings(curation)
    result: dict[str, tuple[str, ...]] = {}
    for caveat in curation.statements:
        if caveat.polarity != "caveat":
            continue
        ids = dict.fromkeys(caveat.qualifies)
        if caveat.rule is not None:
            for finding in findings:
                if _matches(caveat.rule, finding, lineage):
                    ids.setdefault(finding.id)
        result[caveat.id] = tuple(ids)
    return result


def apply_rules(curation: Curation, ontology: Graph) -> Curation:
    """The curation with every caveat's ``qualifies`` grown to the findings its rule reaches."""
    reach = reached(curation, ontology)
    statements = [
        dataclasses.replace(s, qualifies=reach[s.id]) if s.id in reach else s
        for s in curation.statements
    ]
    return dataclasses.replace(curation, statements=statements)


# words by which a perturbation described in prose shows its kind
_KIND_WORDS = {
    "secretion_blockade": ("block",),
    "knockdown": ("knock", "rnai", "silenc", "shrna", "sirna"),
    "inhibitor": ("inhibit", "amiloride"),
    "blocking_antibody": ("antibod",),
    "depletion": ("deplet",),
}


def missed(curation: Curation, ontology: Graph) -> list[Problem]:
    """Findings a caveat's rule should reach and does not: the finding describes its perturbation in
    words that name the rule's gene or kind, but leaves out the field the rule reads."""
    from rdflib import RDFS, URIRef

    lineage = Lineage(ontology)
    problems = []
    for caveat in curation.statements:
        rule = caveat.rule
        if rule is None:
            continue
        words: list[str] = [w for kind in rule.perturbation_kind for w in _KIND_WORDS[kind]]
        if rule.perturbed_gene:
            label = str(ontology.value(URIRef(expand(rule.perturbed_gene)), RDFS.label) or "")
            words = [label.split(" (")[0].lower()] if label else []
        for finding in _findings(curation):
            text = (finding.context.perturbation or "").lower()
            if finding.id in caveat.qualifies or not any(w and w in text for w in words):
                continue
            if _matches(rule, finding, lineage) is not None:
                continue
            fields = [
                name
                for name, wanted, have in (
                    (
                        "perturbation_kind",
                        rule.perturbation_kind,
                        finding.context.perturbation_kind,
                    ),
                    ("perturbed_gene", rule.perturbed_gene, finding.context.perturbed_gene),
                )
                if wanted and have is None
            ]
            problems.append(
                Problem(
                    finding.file,
                    finding.line,
                    f"caveat {caveat.id} (rule at {caveat.file.name}:{rule.line}) cannot tell whether "
                    f"it qualifies this finding: its perturbation '{finding.context.perturbation}' "
                    f"has no {' or '.join(fields)}",
                    f"add {' and '.join(repr(f + ':') for f in fields)} to the finding's context",
                    finding.id,
                )
            )
    return problems
