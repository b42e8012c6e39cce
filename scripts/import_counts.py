"""Count what a release says about its classes' parents and definitions (a curator's check).

    python scripts/import_counts.py RELEASE_DIR

prints, for ``RELEASE_DIR/exokg.owl``: the classes without a named parent (each, then the count),
the definitions whose ``IAO:0000115`` assertion carries ``oboInOwl:hasDbXref`` (all, and those on
imported classes), the classes with more than one definition, and the rows of
``ontology/imports/no-definition.tsv``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
HAS_DBXREF = URIRef("http://www.geneontology.org/formats/oboInOwl#hasDbXref")
OWN = "https://w3id.org/exokg/"


def main(release: Path) -> None:
    graph = Graph().parse(release / "exokg.owl", format="xml")
    classes = {
        c
        for c in graph.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and graph.value(c, OWL.deprecated) is None
    }
    orphans = sorted(
        c
        for c in classes
        if not any(
            isinstance(p, URIRef) and p not in (c, OWL.Thing)
            for p in graph.objects(c, RDFS.subClassOf)
        )
    )
    for node in orphans:
        print(f"  no named parent: {node} {graph.value(node, RDFS.label)}")
    sourced = [
        graph.value(axiom, OWL.annotatedSource)
        for axiom in graph.subjects(OWL.annotatedProperty, DEFINITION)
        if graph.value(axiom, HAS_DBXREF) is not None
    ]
    imported = [s for s in sourced if not str(s).startswith(OWN)]
    twice = [c for c in classes if len(set(graph.objects(c, DEFINITION))) > 1]
    table = ROOT / "ontology" / "imports" / "no-definition.tsv"
    lines = [line for line in table.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    rows = lines[1:]  # below the header
    print(f"classes: {len(classes)}; without a named parent: {len(orphans)}")
    print(f"definitions with xrefs: {len(sourced)} (on imported classes: {len(imported)})")
    print(f"classes with two or more definitions: {len(twice)}")
    print(f"no-definition.tsv rows: {len(rows)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
