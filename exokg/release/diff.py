"""What changed between two exokg releases: terms and statements added, removed or changed.

Modelled on ROBOT ``diff``: each side is reduced to comparable axioms, here one line per triple about a
named entity (blank-node structures such as restrictions written out in full, so they compare by
content, not by blank-node name), and the two sets are compared entity by entity. The result reads as
text for people (``+`` added, ``-`` removed, ``~`` changed, then the changed axioms) and as JSON for
programs. A side is a release directory (``exokg.owl`` plus ``exokg-statements.ttl``) or one RDF file.
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from exokg.core.errors import DataError
from exokg.core.prefixes import PREFIXES
from exokg.release.names import ENTITY_TYPES

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.namespace import NamespaceManager
    from rdflib.term import Node

__all__ = ["Change", "ReleaseDiff", "Section", "diff_graphs", "diff_releases", "load_side"]

_ANNOTATED_SOURCE = "http://www.w3.org/2002/07/owl#annotatedSource"
_POINTERS = ("IAO:0100001 ", "oboInOwl:consider ")  # where an obsolete term points


@dataclass(frozen=True)
class Change:
    """One entity or statement that differs, with the axioms (``predicate object``) that differ."""

    id: str
    label: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    added: list[Change]
    removed: list[Change]
    changed: list[Change]
    obsoleted: list[Change] = field(default_factory=list)  # newly owl:deprecated, not "changed"

    def counts(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed, "
            f"{len(self.obsoleted)} obsoleted"
        )


@dataclass(frozen=True)
class ReleaseDiff:
    old: str
    new: str
    terms: Section
    statements: Section

    def render(self, fmt: Literal["text", "json", "markdown"] | str = "text") -> str:
        """The diff as text for people, as JSON (``{"old", "new", "terms", "statements"}``) for
        programs, or as the Markdown of a release's notes."""
        if fmt == "json":
            return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"
        if fmt == "markdown":
            return self.markdown()
        lines = [f"old: {self.old}", f"new: {self.new}"]
        for name, section in (("terms", self.terms), ("statements", self.statements)):
            lines.append(f"{name}: {section.counts()}")
            for sign, changes in (("+", section.added), ("-", section.removed)):
                lines += [f"  {sign} {_title(c)}" for c in changes]
            for change in section.obsoleted:
                replaced = [a for a in change.added if a.startswith(_POINTERS)]
                lines.append(
                    f"  x {_title(change)}" + (f" ({'; '.join(replaced)})" if replaced else "")
                )
            for change in section.changed:
                lines.append(f"  ~ {_title(change)}")
                lines += [f"      - {axiom}" for axiom in change.removed]
                lines += [f"      + {axiom}" for axiom in change.added]
        return "\n".join(lines) + "\n"

    def markdown(self, title: str = "") -> str:
        """Release notes: what changed since the previous release, section by section."""
        lines = [f"# {title or 'exokg release notes'}", "", f"Compared with the previous release `{self.old}`.", ""]  # fmt: skip
        for name, section in (("Terms", self.terms), ("Statements", self.statements)):
            lines += [f"## {name}: {section.counts()}", ""]
            for heading, changes in (("Added", section.added), ("Obsoleted", section.obsoleted),
                                     ("Removed", section.removed), ("Changed", section.changed)):  # fmt: skip
                if not changes:
                    continue
                lines += [f"### {heading}", ""]
                for change in changes:
                    lines.append(f"- {_title(change)}")
                    if heading in ("Changed", "Obsoleted"):
                        lines += [f"  - removed: `{axiom}`" for axiom in change.removed]
                        lines += [f"  - added: `{axiom}`" for axiom in change.added]
                lines.append("")
        return "\n".join(lines).rstrip("\n") + "\n"


def _title(change: Change) -> str:
    return f'{change.id} "{change.label}"' if change.label else change.id


def diff_releases(old: Path, new: Path) -> ReleaseDiff:
    """Compare two releases (directories) or two RDF files."""
    return diff_graphs(load_side(old), load_side(new))


def load_side(path: Path) -> tuple[Graph, Graph, str]:
    """The ontology graph, the statements graph and the version IRI of a release or RDF file."""
    return _load(path)


def diff_graphs(old: tuple[Graph, Graph, str], new: tuple[Graph, Graph, str]) -> ReleaseDiff:
    """Compare two sides given as (ontology graph, statements graph, version)."""
    old_terms, old_statements, old_version = old
    new_terms, new_statements, new_version = new
    return ReleaseDiff(
        old=old_version,
        new=new_version,
        terms=_compare(_entities(old_terms), _entities(new_terms), old_terms, new_terms),
        statements=_compare(
            _statements(old_statements), _statements(new_statements), old_statements, new_statements
        ),
    )


def _load(path: Path) -> tuple[Graph, Graph, str]:
    """The ontology graph, the statements graph and the version IRI (or path name) of one side."""
    from rdflib import OWL, Graph

    files = [path / "exokg.owl", path / "exokg-statements.ttl"] if path.is_dir() else [path]
    if not files[0].is_file():
        raise DataError(
            "not an exokg release", where=str(path), fix="give a release directory or an RDF file"
        )
    graphs = []
    for file in files:
        graph = Graph()
        if file.is_file():
            try:
                graph.parse(file, format="xml" if file.suffix in {".owl", ".rdf"} else None)
            except Exception as error:  # rdflib raises many parser-specific types
                raise DataError(f"cannot parse: {error}", where=str(file)) from error
        graphs.append(graph)
    ontology = graphs[0]
    statements = graphs[1] if len(graphs) > 1 else ontology
    version = next(iter(ontology.objects(None, OWL.versionIRI)), None)
    return ontology, statements, str(version or path.name)


def _entities(graph: Graph) -> dict[str, set[str]]:
    """Each named entity's axioms, keyed by CURIE; axiom annotations count as axioms of their source."""
    from rdflib import OWL, RDF, URIRef

    names = {
        s
        for kind in ENTITY_TYPES
        for s in graph.subjects(RDF.type, OWL[kind])
        if isinstance(s, URIRef)
    }
    axioms = {
        _curie(n): {_axiom(graph, p, o) for p, o in graph.predicate_objects(n)} for n in names
    }
    for annotation in graph.subjects(RDF.type, OWL.Axiom):
        source = graph.value(annotation, OWL.annotatedSource)
        if isinstance(source, URIRef) and source in names:
            axioms[_curie(source)].add("annotated " + _render(graph, annotation))
    return axioms


def _statements(graph: Graph) -> dict[str, set[str]]:
    from rdflib import RDF

    return {
        _curie(s): {_axiom(graph, p, o) for p, o in graph.predicate_objects(s)}
        for s in graph.subjects(RDF.type, RDF.Statement)
    }


def _compare(
    old: dict[str, set[str]], new: dict[str, set[str]], old_graph: Graph, new_graph: Graph
) -> Section:
    def label(key: str) -> str:
        from rdflib import RDFS, URIRef

        iri = URIRef(_expand(key))
        value = new_graph.value(iri, RDFS.label) or old_graph.value(iri, RDFS.label)
        return str(value or "")

    def change(key: str, added: set[str], removed: set[str]) -> Change:
        return Change(key, label(key), sorted(added), sorted(removed))

    differing = [k for k in sorted(old.keys() & new.keys()) if old[k] != new[k]]

    def obsoleted(key: str) -> bool:
        return _is_deprecated(new[key]) and not _is_deprecated(old[key])

    return Section(
        added=[change(k, new[k], set()) for k in sorted(new.keys() - old.keys())],
        removed=[change(k, set(), old[k]) for k in sorted(old.keys() - new.keys())],
        changed=[
            change(k, new[k] - old[k], old[k] - new[k]) for k in differing if not obsoleted(k)
        ],
        obsoleted=[change(k, new[k] - old[k], old[k] - new[k]) for k in differing if obsoleted(k)],
    )


def _is_deprecated(axioms: set[str]) -> bool:
    return bool(axioms & {'owl:deprecated "true"^^xsd:boolean', "owl:deprecated true"})


def _axiom(graph: Graph, predicate: Node, value: Node) -> str:
    return f"{_render(graph, predicate)} {_render(graph, value)}"


def _render(graph: Graph, node: Node, depth: int = 0) -> str:
    """A node as text that does not depend on blank-node names: lists as ( … ), others as [ … ]."""
    from rdflib import RDF, BNode
    from rdflib import Literal as RDFLiteral

    if isinstance(node, RDFLiteral):
        return node.n3(_namespace_manager())
    if not isinstance(node, BNode):
        return _curie(node)
    if depth > 50:
        return "[…]"
    if graph.value(node, RDF.first) is not None:
        items = graph.items(node)
        return "( " + " ".join(_render(graph, item, depth + 1) for item in items) + " )"
    parts = sorted(
        f"{_render(graph, p)} {_render(graph, o, depth + 1)}"
        for p, o in graph.predicate_objects(node)
        if str(p) != _ANNOTATED_SOURCE
    )
    return "[ " + " ; ".join(parts) + " ]"


def _curie(node: Node) -> str:
    text = str(node)
    best = max((iri for iri in PREFIXES.values() if text.startswith(iri)), key=len, default="")
    if not best:
        return f"<{text}>"
    prefix = next(p for p, iri in PREFIXES.items() if iri == best)
    return f"{prefix}:{text[len(best) :]}"


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else curie.strip("<>")


@functools.cache
def _namespace_manager() -> NamespaceManager:
    from rdflib import Graph

    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph.namespace_manager
