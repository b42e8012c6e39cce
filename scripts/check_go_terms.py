"""Check the GO terms of ``ontology/imports/go_import.ttl`` against current GO sources.

A dev-time tool (exokg never reads GO at run or test time). Each argument is one source:

- an OBO file: ``go-edit.obo`` or ``go.obo`` from a go-ontology checkout or release, or any GO
  import module written in OBO (``[Term]`` stanzas with ``id``, ``name``, ``is_obsolete``);
- another file: an OWL import module of GO in RDF/XML or Turtle (``rdfs:label``, ``owl:deprecated``),
  e.g. another project's ``src/ontology/imports/go_import.owl``;
- a folder: go-ontology's design-pattern tables (``src/design_patterns/*.tsv``, rows of IRI and label
  for terms and fillers).

::

    python scripts/check_go_terms.py /path/to/go-ontology/src/ontology/go-edit.obo
    python scripts/check_go_terms.py /path/to/go-ontology/src/design_patterns other/go_import.owl

It prints, for each GO class exokg imports, whether the sources have it with the same label, a
different label, obsolete, or not at all (then it is unchecked, not wrong); the first source that
has a term decides.
"""

from __future__ import annotations

import csv
import itertools
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

ROOT = Path(__file__).resolve().parent.parent
GO = "http://purl.obolibrary.org/obo/GO_"


def table_labels(folder: Path) -> dict[str, tuple[str, bool]]:
    """IRI -> (label, obsolete) from the design-pattern tables (which hold no obsolete terms)."""
    labels: dict[str, tuple[str, bool]] = {}
    for table in sorted(folder.glob("*.tsv")):
        with table.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter="\t"):
                for iri, label in itertools.pairwise(row):
                    if iri.startswith(GO) and label and not label.startswith("http"):
                        labels.setdefault(iri, (label, False))
    return labels


def obo_labels(path: Path) -> dict[str, tuple[str, bool]]:
    """IRI -> (label, obsolete) from the ``[Term]`` stanzas of an OBO file."""
    labels: dict[str, tuple[str, bool]] = {}
    stanza: dict[str, str] = {}

    def close() -> None:
        curie = stanza.get("id", "")
        if curie.startswith("GO:") and "name" in stanza:
            labels[GO + curie[3:]] = (stanza["name"], stanza.get("is_obsolete") == "true")

    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("["):
                close()
                stanza = {} if line.startswith("[Term]") else {"skip": ""}
            elif "skip" not in stanza:
                tag, sep, value = line.rstrip("\n").partition(": ")
                if sep and tag in ("id", "name", "is_obsolete"):
                    stanza.setdefault(tag, value.split(" ! ")[0].strip())
    close()
    return labels


def owl_labels(path: Path) -> dict[str, tuple[str, bool]]:
    """IRI -> (label, obsolete) of the GO classes of an OWL file (RDF/XML or Turtle)."""
    fmt = "turtle" if path.suffix == ".ttl" else "xml"
    graph = Graph().parse(path, format=fmt)
    labels: dict[str, tuple[str, bool]] = {}
    for term in graph.subjects(RDF.type, OWL.Class):
        label = graph.value(term, RDFS.label)
        if isinstance(term, URIRef) and str(term).startswith(GO) and label is not None:
            obsolete = (term, OWL.deprecated, Literal(True)) in graph
            labels[str(term)] = (str(label), obsolete)
    return labels


def current_labels(sources: list[Path]) -> dict[str, tuple[str, bool]]:
    labels: dict[str, tuple[str, bool]] = {}
    for source in sources:
        if source.is_dir():
            found = table_labels(source)
        elif source.suffix == ".obo":
            found = obo_labels(source)
        else:
            found = owl_labels(source)
        for iri, value in found.items():
            labels.setdefault(iri, value)
    return labels


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    labels = current_labels([Path(arg) for arg in sys.argv[1:]])
    module = Graph().parse(ROOT / "ontology" / "imports" / "go_import.ttl", format="turtle")
    counts = {"same label": 0, "different label": 0, "obsolete": 0, "not in the sources": 0}
    for term in sorted(module.subjects(RDF.type, OWL.Class), key=str):
        if not str(term).startswith(GO) or module.value(term, RDFS.label) is None:
            continue
        ours = str(module.value(term, RDFS.label))
        theirs, obsolete = labels.get(str(term), ("", False))
        if not theirs:
            status = "not in the sources"
        elif obsolete:
            status = "obsolete"
        else:
            status = "same label" if theirs == ours else "different label"
        counts[status] += 1
        curie = "GO:" + str(term)[len(GO) :]
        print(f"{curie}\t{ours}\t{status}" + (f"\t{theirs}" if theirs and theirs != ours else ""))
    print("; ".join(f"{n} {status}" for status, n in counts.items()))


if __name__ == "__main__":
    main()
