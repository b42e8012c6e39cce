"""Stable identifiers: once released, an exokg ID keeps its meaning for good.

``ontology/released-ids.tsv`` is the committed manifest of every released ``EXOKG:`` ID with its label
at release. A release — and a test — fails when a released ID has disappeared from the ontology, or has
changed its label without being obsoleted the OBO way: ``owl:deprecated true`` plus ``IAO:0100001``
(term replaced by) or ``oboInOwl:consider`` (terms to consider instead). People and ontologies that
cite exokg IDs can then rely on them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from exokg.core.errors import DataError
from exokg.core.prefixes import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = [
    "check_released_ids",
    "obsolete_terms",
    "own_labels",
    "read_manifest",
    "record_new_ids",
    "replacements",
]

OWN_TERM = PREFIXES["EXOKG"]
TERM_REPLACED_BY = "http://purl.obolibrary.org/obo/IAO_0100001"
CONSIDER = "http://www.geneontology.org/formats/oboInOwl#consider"


def own_labels(ontology: Graph) -> dict[str, str]:
    """exokg's own terms (``EXOKG:nnnnnnn``) and their labels."""
    from rdflib import RDFS

    labels: dict[str, str] = {}
    for term, label in ontology.subject_objects(RDFS.label):
        if str(term).startswith(OWN_TERM):
            labels["EXOKG:" + str(term)[len(OWN_TERM) :]] = str(label)
    return labels


def obsolete_terms(ontology: Graph) -> set[str]:
    """exokg's own terms marked ``owl:deprecated true``."""
    from rdflib import OWL, Literal

    deprecated = {str(s) for s in ontology.subjects(OWL.deprecated, Literal(True))}
    return {curie for curie in own_labels(ontology) if _iri(curie) in deprecated}


def read_manifest(path: Path) -> dict[str, str]:
    """The manifest of released IDs: ``{"EXOKG:0000001": "extracellular particle", …}``."""
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    if rows and set(rows[0]) != {"id", "label"}:
        raise DataError("the manifest needs the columns id and label", where=str(path))
    return {row["id"]: row["label"] for row in rows}


def check_released_ids(ontology: Graph, released: dict[str, str]) -> list[str]:
    """One line per released ID that vanished, or changed its label without being obsoleted."""
    from rdflib import URIRef

    problems = []
    labels = own_labels(ontology)
    obsolete = obsolete_terms(ontology)
    for curie, label in sorted(released.items()):
        if curie not in labels:
            problems.append(f"{curie} ({label!r}) is gone")
        elif labels[curie] != label and not (
            curie in obsolete and replacements(ontology, URIRef(_iri(curie)))
        ):
            problems.append(f"{curie} was {label!r}, is now {labels[curie]!r} without obsoletion")
    return problems


def replacements(ontology: Graph, term: Node) -> list[str]:
    """Where an obsolete term points: its IAO:0100001 replacement, else its oboInOwl:consider terms."""
    from rdflib import URIRef

    replaced = sorted(str(o) for o in ontology.objects(term, URIRef(TERM_REPLACED_BY)))
    return replaced or sorted(str(o) for o in ontology.objects(term, URIRef(CONSIDER)))


def record_new_ids(ontology: Graph, manifest_file: Path) -> list[str]:
    """Add the own terms not yet in the manifest and return them; released labels stay as released."""
    released = read_manifest(manifest_file)
    new = {c: label for c, label in own_labels(ontology).items() if c not in released}
    text = io.StringIO()
    writer = csv.writer(text, delimiter="\t", lineterminator="\n")
    writer.writerow(("id", "label"))
    writer.writerows(sorted({**released, **new}.items()))
    tmp = manifest_file.with_name(manifest_file.name + ".tmp")
    tmp.write_text(text.getvalue(), encoding="utf-8")
    tmp.replace(manifest_file)
    return sorted(new)


def _iri(curie: str) -> str:
    return OWN_TERM + curie.removeprefix("EXOKG:")
