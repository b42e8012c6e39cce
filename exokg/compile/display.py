"""What each finding shows in an answer, computed once at build time.

A question about findings wants, per statement, a handful of things that take many joins to compute:
the effect in words (from the relation's declared ``exo:effectDirection`` and the polarity), the model
("4T1 cell (Mus musculus)"), the caveats' own words, the findings it contrasts with, how a perturbation
was used, and the authors' term. Computing them in every question made each answer join fifteen
optional patterns per row, and let each question spell the rules its own way. ``exokg build`` writes
them on the statement node instead (docs/design.md, "Display fields"), so a question reads a few
triples per finding, and every question says "promotes" for the same findings.

Multi-valued fields are joined with :data:`SEPARATOR`, in sorted order, so the build stays
reproducible and a finding stays one row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from rdflib import Graph
    from rdflib.term import Node

    _Labeller = Callable[[Node | None], str | None]

__all__ = ["SEPARATOR", "class_display_graph", "display_graph", "is_a_or_part_of_graph"]

SEPARATOR = " | "

_VERBS = {"promotes": "promotes", "inhibits": "inhibits", "affects": "affects"}


def display_graph(statements: Graph, ontology: Graph) -> Graph:
    """The display fields of every statement in ``statements``, as a graph to add beside it.

    ``ontology`` is the editors' file with its import modules: it gives labels and each relation's
    ``exo:effectDirection``. A statement whose relation is not an effect gets no ``exo:effect``, so
    it never appears in a question about effects.
    """
    from rdflib import RDF, RDFS, Graph, Literal

    from exokg.core.vocab import EXO

    def label(term: Node | None) -> str | None:
        if term is None:
            return None
        found = ontology.value(term, RDFS.label) or statements.value(term, RDFS.label)
        return str(found) if found is not None else None

    result = Graph()
    for node in sorted(statements.subjects(RDF.type, RDF.Statement), key=str):
        relation = statements.value(node, RDF.predicate)
        polarity = statements.value(node, EXO.polarity)
        direction = ontology.value(relation, EXO.effectDirection) if relation else None
        verb = _VERBS.get(str(direction).rpartition("#")[2]) if direction is not None else None
        if verb:
            effect = (
                "no effect"
                if polarity == EXO.negative
                else "caveat"
                if polarity == EXO.caveat
                else verb
            )
            result.add((node, EXO.effect, Literal(effect)))
        result.add((node, EXO.modelLabel, Literal(_model(statements, node, label))))
        caveats = sorted(
            str(statements.value(caveat, EXO.paraphrase))
            for caveat in statements.subjects(EXO.qualifies, node)
        )
        if caveats:
            result.add((node, EXO.caveatText, Literal(SEPARATOR.join(caveats))))
        contrasts = sorted(
            str(other).rpartition("/")[2] for other in statements.objects(node, EXO.contrastsWith)
        )
        if contrasts:
            result.add((node, EXO.contrastsIds, Literal(SEPARATOR.join(contrasts))))
        perturbed = _perturbation(statements, node, label)
        if perturbed:
            result.add((node, EXO.perturbationLabel, Literal(perturbed)))
        types = sorted(filter(None, (label(t) for t in statements.objects(node, EXO.cellType))))
        if types:
            result.add((node, EXO.cellTypeLabels, Literal(SEPARATOR.join(types))))
        reported = statements.value(node, EXO.reportedAs)
        if reported is not None:
            word = statements.value(node, EXO.reportedTerm)
            text = label(reported) or str(reported)
            result.add((node, EXO.reportedLabel, Literal(f'{text} ("{word}")' if word else text)))
    return result


def _model(statements: Graph, node: Node, label: _Labeller) -> str:
    """The cells (cell line, else disease, else cell types) and organisms a finding was made in."""
    from exokg.core.vocab import EXO

    line = label(statements.value(node, EXO.cellLine))
    disease = label(statements.value(node, EXO.disease))
    types = sorted(filter(None, (label(t) for t in statements.objects(node, EXO.cellType))))
    cells = line or disease or ", ".join(types) or "unspecified"
    organisms = sorted(filter(None, (label(o) for o in statements.objects(node, EXO.organism))))
    return f"{cells} ({', '.join(organisms)})" if organisms else cells


def _perturbation(statements: Graph, node: Node, label: _Labeller) -> str | None:
    """How a perturbation-derived finding was reached, e.g. "inferred from blocking Rab27a-dependent
    secretion": the effect is that of the perturbation, credited to what it removed."""
    from exokg.core.vocab import EXO

    kind = statements.value(node, EXO.perturbationKind)
    if kind is None:
        return None
    gene = statements.value(node, EXO.perturbedGene)
    symbol = _symbol(label(gene)) if gene is not None else None
    name = str(kind).rpartition("#")[2]
    if name == "secretionBlockade":
        return (
            f"inferred from blocking {symbol}-dependent secretion"
            if symbol
            else ("inferred from blocking secretion")
        )
    text = statements.value(node, EXO.perturbation)
    what = {
        "knockdown": f"knockdown of {symbol}" if symbol else "a knockdown",
        "blockingAntibody": f"an antibody blocking {symbol}" if symbol else "a blocking antibody",
        "inhibitor": f"inhibiting {symbol}" if symbol else "an inhibitor",
        "depletion": str(text) if text is not None else "a depletion",
    }.get(name, name)
    return f"inferred from {what}"


def _symbol(text: str | None) -> str | None:
    """A gene's symbol from its label: "Rab27a (mouse gene)" → "Rab27a"."""
    return text.split(" (")[0] if text else None


def class_display_graph(ontology: Graph, closure: Graph) -> Graph:
    """Per class: its definition's sources and its direct parents in the reasoned hierarchy, joined.

    ``closure`` is the materialised reflexive, transitive ``rdfs:subClassOf`` closure. A direct
    parent is an ancestor with no other named ancestor in between. Written so that a question about
    classes gives one row per class, whatever the number of parents or definition sources.
    """
    from rdflib import RDFS, Graph, Literal, URIRef
    from rdflib.namespace import OWL

    from exokg.core.prefixes import PREFIXES, compact
    from exokg.core.vocab import EXO

    iao_definition = URIRef(PREFIXES["IAO"] + "0000115")
    xref = URIRef(PREFIXES["oboInOwl"] + "hasDbXref")
    result = Graph()
    size = URIRef(PREFIXES["EXOKG"] + "0000800")
    for annotated, field in ((iao_definition, EXO.definitionSources), (size, EXO.sizeSources)):
        for axiom in ontology.subjects(OWL.annotatedProperty, annotated):
            term = ontology.value(axiom, OWL.annotatedSource)
            sources = sorted(str(x) for x in ontology.objects(axiom, xref))
            if isinstance(term, URIRef) and sources:
                result.add((term, field, Literal(SEPARATOR.join(sources))))
    ancestors: dict[URIRef, set[URIRef]] = {}
    for child, parent in closure.subject_objects(RDFS.subClassOf):
        if isinstance(child, URIRef) and isinstance(parent, URIRef) and child != parent:
            ancestors.setdefault(child, set()).add(parent)
    for child, above in ancestors.items():
        direct = {p for p in above if not any(p in ancestors.get(o, ()) for o in above)}
        named = sorted(
            f"{ontology.value(p, RDFS.label)} [{compact(str(p))}]"
            for p in direct
            if ontology.value(p, RDFS.label) is not None
        )
        if named:
            result.add((child, EXO.directParents, Literal(SEPARATOR.join(named))))
    return result


def is_a_or_part_of_graph(graph: Graph) -> Graph:
    """``C exo:isAOrPartOf P`` for every named class C that is P, a subclass of P, or part of one.

    ``graph`` holds the ontology, its imports and the reflexive, transitive ``rdfs:subClassOf``
    closure. "Part of one" is C ⊑ (BFO:0000050 some W) with W ⊑ P or W itself part of one (part of is
    transitive), the restriction asserted on C or on a superclass of C: metastasis counts towards
    tumour progression. Restrictions inside equivalent-class definitions are not followed. A question that asks about an outcome and everything within it then reads one
    triple per candidate outcome, starting from the outcome asked for, instead of testing every
    finding against the part-of restrictions (a join Oxigraph plans as a cross product).
    """
    from rdflib import RDFS, Graph, URIRef
    from rdflib.namespace import OWL

    from exokg.core.prefixes import PREFIXES
    from exokg.core.vocab import EXO

    part_of = URIRef(PREFIXES["BFO"] + "0000050")
    above: dict[URIRef, set[URIRef]] = {}
    for child, parent in graph.subject_objects(RDFS.subClassOf):
        if isinstance(child, URIRef) and isinstance(parent, URIRef):
            above.setdefault(child, {child}).add(parent)
    # the wholes each class is declared part of; an existential restriction is inherited, so every
    # subclass of the class that carries it is part of the whole too (D ⊑ C ⊑ part_of some W)
    wholes: dict[URIRef, set[URIRef]] = {}
    for restriction in graph.subjects(OWL.onProperty, part_of):
        for whole in graph.objects(restriction, OWL.someValuesFrom):
            if not isinstance(whole, URIRef):
                continue
            for part in graph.subjects(RDFS.subClassOf, restriction):
                for child in {part, *graph.subjects(RDFS.subClassOf, part)}:
                    if isinstance(child, URIRef):
                        wholes.setdefault(child, set()).add(whole)
    # part of is transitive (bone-marrow education is part of pre-metastatic niche formation, which is
    # part of metastasis, which is part of tumour progression): grow each set to a fixed point
    changed = True
    while changed:
        changed = False
        for child, found in above.items():
            extra = set()
            for whole in wholes.get(child, ()):
                extra |= above.get(whole, {whole})
            if not extra <= found:
                found |= extra
                changed = True
    result = Graph()
    for child, found in above.items():
        for parent in found:
            result.add((child, EXO.isAOrPartOf, parent))
    return result
