"""Reason over the exokg ontology: HermiT through owlready2, or an OWL 2 RL fallback without Java.

Two jobs. ``reason`` checks the ontology (is it consistent, which classes are unsatisfiable, which
subclass axioms follow that nobody asserted) for ``exokg reason``. ``materialise`` turns the class
hierarchy into plain ``rdfs:subClassOf`` triples — the reflexive, transitive closure between named
classes, plus the ``rdf:type`` closure of named individuals — so that the build can store them in the
``inferred`` graph and questions need no ``rdfs:subClassOf*`` paths (docs/design.md).

HermiT runs in a private owlready2 ``World``, never ``default_world``. Without Java (none on PATH, or
``EXOKG_JAVA=none``) the fallback applies OWL 2 RL rules with ``owlrl``. OWL RL cannot put a class
under a defined class by itself, so each class gets a prototype individual: when RL types the
prototype of C with D, C is a subclass of D. That finds the cell-of-origin classifications exokg
relies on, but it is weaker than HermiT in general; the output always says which reasoner ran.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from exokg.core.errors import DataError, UsageError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["ReasonerChoice", "Reasoning", "java_missing", "materialise", "reason"]

ReasonerChoice = Literal["auto", "hermit", "owlrl"]
Edge = tuple[str, str]

# A short-lived JVM: C1 only and the serial collector start HermiT about 0.6 s sooner on two cores
# (measured with benchmarks/bench_reason.py). Appended to whatever the user already set.
_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
_OWL = "http://www.w3.org/2002/07/owl#"


@dataclass(frozen=True)
class Reasoning:
    """What a reasoner found. IRIs are plain strings, sorted, so results compare and print stably."""

    reasoner: str
    consistent: bool
    unsatisfiable: tuple[str, ...]
    inferred: tuple[
        Edge, ...
    ]  # (sub, super) between named classes, not entailed by the asserted hierarchy
    edges: frozenset[Edge]  # every named subclass edge known: asserted and inferred
    types: frozenset[Edge]  # (individual, class): asserted and inferred
    notice: str = ""  # why the fallback ran, when it did

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def java_missing() -> str:
    """Why Java cannot be used, or '' when it can."""
    if os.environ.get("EXOKG_JAVA", "").strip().lower() == "none":
        return "Java is hidden (EXOKG_JAVA=none)"
    if shutil.which("java") is None:
        return "no `java` on PATH (HermiT needs a Java runtime >= 11, e.g. Debian's default-jre-headless)"
    return ""


def reason(graph: Graph, reasoner: ReasonerChoice = "auto") -> Reasoning:
    """Classify ``graph`` (an ontology with its imports, as ``exokg.curation.ontology.load_ontology`` gives).

    ``auto`` uses HermiT when Java is there and the OWL RL fallback otherwise, saying why.
    """
    if reasoner == "owlrl":
        return _owlrl(graph, notice="")
    missing = java_missing()
    if missing:
        if reasoner == "hermit":
            raise UsageError(
                f"HermiT cannot run: {missing}",
                where="--reasoner hermit",
                fix="install Java >= 11, or use --reasoner owlrl",
            )
        return _owlrl(graph, notice=f"{missing}; used the OWL 2 RL fallback instead of HermiT")
    return _hermit(graph)


def materialise(graph: Graph, reasoner: ReasonerChoice = "auto") -> Graph:
    """The inferred graph: reflexive, transitive ``rdfs:subClassOf`` between named classes and the
    ``rdf:type`` closure of named individuals.

    Raises :class:`DataError` when the ontology is inconsistent or has unsatisfiable classes, since
    a hierarchy built on a contradiction would be wrong everywhere.
    """
    from rdflib import RDF, RDFS, Graph, URIRef

    result = reason(graph, reasoner)
    raise_for(result)
    closure = _closure(_named_classes(graph), result.edges)
    inferred = Graph()
    for sub, supers in closure.items():
        for sup in supers:
            inferred.add((URIRef(sub), RDFS.subClassOf, URIRef(sup)))
    for individual, cls in result.types:
        for sup in closure.get(cls, {cls}):
            inferred.add((URIRef(individual), RDF.type, URIRef(sup)))
    return inferred


def describe(result: Reasoning, graph: Graph) -> str:
    """What ``exokg reason`` prints: the reasoner, consistency, unsatisfiable classes, and the
    subclass axioms it inferred that the asserted hierarchy does not already say."""
    from rdflib import RDFS, URIRef

    from exokg.core.prefixes import PREFIXES

    bases = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

    def name(iri: str) -> str:
        curie = next((f"{p}:{iri[len(b) :]}" for p, b in bases if iri.startswith(b)), iri)
        label = graph.value(URIRef(iri), RDFS.label)
        return f"{curie} {label}" if label else curie

    lines = [
        f"reasoner: {result.reasoner}",
        f"consistent: {'yes' if result.consistent else 'NO'}",
        f"unsatisfiable classes: {len(result.unsatisfiable)}",
        *(f"  {name(c)}" for c in result.unsatisfiable),
        f"inferred subclass axioms not asserted: {len(result.inferred)}",
        *(f"  {name(sub)}  SubClassOf  {name(sup)}" for sub, sup in result.inferred),
    ]
    return "\n".join(lines)


def raise_for(result: Reasoning) -> None:
    """Raise :class:`DataError` (exit 1) when the ontology is inconsistent or a class is unsatisfiable."""
    if not result.consistent:
        raise DataError(
            f"the ontology is inconsistent ({result.reasoner})",
            where="ontology",
            fix="remove the contradicting axioms (HermiT names no culprit: bisect recent edits)",
        )
    if result.unsatisfiable:
        raise DataError(
            f"{len(result.unsatisfiable)} unsatisfiable class(es): {', '.join(result.unsatisfiable)}",
            where="ontology",
            fix="a class is under two disjoint classes; fix its parents or definition",
        )


# --- the asserted hierarchy ---------------------------------------------------------------------------


def _named_classes(graph: Graph) -> set[str]:
    from rdflib import OWL, RDF, RDFS, URIRef

    named = {str(c) for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            named |= {str(sub), str(sup)}
    return {c for c in named if not c.startswith(_OWL)}


def _asserted_edges(graph: Graph) -> set[Edge]:
    """Named subclass edges, equivalences (both ways) and the named conjuncts of definitions."""
    from rdflib import OWL, RDFS, URIRef
    from rdflib.collection import Collection

    edges: set[Edge] = set()
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            edges.add((str(sub), str(sup)))
    for a, b in graph.subject_objects(OWL.equivalentClass):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            edges |= {(str(a), str(b)), (str(b), str(a))}
        elif isinstance(a, URIRef):
            for members in graph.objects(b, OWL.intersectionOf):
                for member in Collection(graph, members):
                    if isinstance(member, URIRef):
                        edges.add((str(a), str(member)))
    return {(a, b) for a, b in edges if not (a.startswith(_OWL) or b.startswith(_OWL))}


def _asserted_types(graph: Graph) -> set[Edge]:
    from rdflib import OWL, RDF, URIRef

    classes = _named_classes(graph)
    return {
        (str(i), str(c))
        for i, c in graph.subject_objects(RDF.type)
        if isinstance(i, URIRef) and str(c) in classes and (i, RDF.type, OWL.Class) not in graph
    }


def _closure(nodes: Iterable[str], edges: Iterable[Edge]) -> dict[str, set[str]]:
    """Reflexive, transitive closure of ``edges`` over ``nodes`` (and every node an edge names)."""
    parents: dict[str, set[str]] = defaultdict(set)
    for sub, sup in edges:
        parents[sub].add(sup)
    result: dict[str, set[str]] = {}
    for node in set(nodes) | set(parents) | {s for ps in parents.values() for s in ps}:
        seen = {node}
        todo = [node]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        result[node] = seen
    return result


def _new_edges(asserted: set[Edge], inferred: Iterable[Edge]) -> tuple[Edge, ...]:
    """Inferred edges that the asserted hierarchy does not already entail."""
    closure = _closure((), asserted)
    return tuple(sorted({(a, b) for a, b in inferred if b not in closure.get(a, {a})}))


def _logical_copy(graph: Graph) -> Graph:
    """The graph without owl:imports (never fetched) and without annotation-only axiom nodes."""
    from rdflib import OWL, RDF, Graph

    axioms = set(graph.subjects(RDF.type, OWL.Axiom))
    copy = Graph()
    for triple in graph:
        if triple[1] != OWL.imports and triple[0] not in axioms:
            copy.add(triple)
    return copy


# --- HermiT ------------------------------------------------------------------------------------------


@contextmanager
def _jvm_options() -> Iterator[None]:
    """owlready2 starts Java with the process environment; add start-up options for this call only."""
    before = os.environ.get("JAVA_TOOL_OPTIONS")
    os.environ["JAVA_TOOL_OPTIONS"] = f"{before} {_JVM_OPTIONS}" if before else _JVM_OPTIONS
    try:
        yield
    finally:
        if before is None:
            del os.environ["JAVA_TOOL_OPTIONS"]
        else:
            os.environ["JAVA_TOOL_OPTIONS"] = before


def _hermit(graph: Graph) -> Reasoning:
    import io

    import owlready2

    logical = _logical_copy(graph)
    world = owlready2.World()  # private: never the process-wide default_world
    try:
        data = logical.serialize(format="nt", encoding="utf-8")
        world.get_ontology("https://w3id.org/exokg/exokg.owl").load(
            fileobj=io.BytesIO(data), format="ntriples"
        )
        name = f"HermiT (owlready2 {owlready2.VERSION})"
        asserted = _asserted_edges(logical)
        types = _asserted_types(logical)
        try:
            with _jvm_options():
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return Reasoning(name, False, (), (), frozenset(asserted), frozenset(types))
        except owlready2.OwlReadyJavaError as error:
            raise DataError(
                "HermiT failed: " + " ".join(str(error).split())[:300],
                where="java",
                fix="check `java -version` (>= 11), or run with EXOKG_JAVA=none for the OWL RL fallback",
            ) from error
        inferred_edges, unsatisfiable, inferred_types = _read_inferences(world)
    finally:
        world.close()
    return Reasoning(
        reasoner=name,
        consistent=True,
        unsatisfiable=tuple(sorted(unsatisfiable)),
        inferred=_new_edges(asserted, inferred_edges),
        edges=frozenset(asserted | inferred_edges),
        types=frozenset(types | inferred_types),
    )


def _read_inferences(world: object) -> tuple[set[Edge], set[str], set[Edge]]:
    """The triples owlready2 wrote into its inferences ontology, as IRIs."""
    inferences = world.get_ontology("http://inferrences/")  # type: ignore[attr-defined]
    iri = world._unabbreviate  # type: ignore[attr-defined]  # owlready2's storid -> IRI
    edges: set[Edge] = set()
    unsatisfiable: set[str] = set()
    types: set[Edge] = set()
    for s, p, o in inferences.get_triples(None, None, None):
        if not isinstance(o, int) or s < 0 or o < 0:
            continue
        subject, predicate, obj = iri(s), iri(p), iri(o)
        if predicate.endswith("#subClassOf"):
            edges.add((subject, obj))
        elif predicate.endswith("#equivalentClass"):
            if obj == _OWL + "Nothing":
                unsatisfiable.add(subject)
            elif subject != _OWL + "Nothing":
                edges |= {(subject, obj), (obj, subject)}
        elif predicate.endswith("#type") and not obj.startswith(_OWL):
            types.add((subject, obj))
    return edges, unsatisfiable, types


# --- OWL 2 RL fallback -----------------------------------------------------------------------------

_PROTOTYPE = "#exokg-prototype"


def _owlrl(graph: Graph, notice: str) -> Reasoning:
    import owlrl
    from rdflib import OWL, RDF, URIRef

    logical = _logical_copy(graph)
    asserted = _asserted_edges(logical)
    types = _asserted_types(logical)
    classes = _named_classes(logical)
    rules, seeds = _rl_input(logical)
    for cls in seeds:
        rules.add((URIRef(cls + _PROTOTYPE), RDF.type, URIRef(cls)))
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(rules)

    nothing = _OWL + "Nothing"
    disjoint = {
        frozenset((str(a), str(b)))
        for a, b in logical.subject_objects(OWL.disjointWith)
        if isinstance(a, URIRef) and isinstance(b, URIRef)
    }
    edges: set[Edge] = set()
    for cls in seeds:
        found = {str(t) for t in rules.objects(URIRef(cls + _PROTOTYPE), RDF.type)}
        edges |= {(cls, sup) for sup in found if sup != cls and (sup in classes or sup == nothing)}
    closure = _closure(classes, asserted | edges)
    unsatisfiable = {
        cls
        for cls, ancestors in closure.items()
        if nothing in ancestors or any(pair <= ancestors for pair in disjoint)
    }
    edges = {(a, b) for a, b in edges if b != nothing}
    # An individual typed (through the hierarchy) with two disjoint classes makes the ontology
    # inconsistent (OWL RL rule cax-dw); so does one typed with an unsatisfiable class.
    memberships: dict[str, set[str]] = defaultdict(set)
    for individual, cls in types:
        memberships[individual] |= closure.get(cls, {cls})
    consistent = not any(
        nothing in member_of
        or member_of & unsatisfiable
        or any(pair <= member_of for pair in disjoint)
        for member_of in memberships.values()
    )
    return Reasoning(
        reasoner=f"OWL 2 RL (owlrl {owlrl.__version__}, prototype individuals)",
        consistent=consistent,
        unsatisfiable=tuple(sorted(unsatisfiable)),
        inferred=_new_edges(asserted, edges),
        edges=frozenset(asserted | edges),
        types=frozenset(types),
        notice=notice,
    )


def _rl_input(logical: Graph) -> tuple[Graph, set[str]]:
    """Only the axioms that can classify a named class: those reachable upwards from classes that
    have a logical definition, a restriction or a disjointness axiom. Plain named hierarchies (most
    of GO, ECO and RO) are closed in Python instead, which keeps owlrl's fixpoint small and fast."""
    from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef

    structural = {
        RDFS.subClassOf,
        OWL.equivalentClass,
        OWL.intersectionOf,
        OWL.unionOf,
        OWL.someValuesFrom,
        OWL.allValuesFrom,
        OWL.hasValue,
        OWL.onProperty,
        OWL.disjointWith,
        RDF.first,
        RDF.rest,
        RDFS.subPropertyOf,
        OWL.inverseOf,
        OWL.propertyChainAxiom,
    }
    seeds = {s for s, o in logical.subject_objects(OWL.equivalentClass)}
    seeds |= {s for s, o in logical.subject_objects(RDFS.subClassOf) if isinstance(o, BNode)}
    seeds |= {s for s in logical.subjects(OWL.disjointWith)}
    seeds |= {o for o in logical.objects(None, OWL.disjointWith)}
    selected = Graph()
    seen = set()
    todo = list(seeds)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in logical.predicate_objects(node):
            if p in structural or (p == RDF.type and o != OWL.Class):
                selected.add((node, p, o))
                todo.append(o)
    return selected, {str(s) for s in seeds if isinstance(s, URIRef)}
