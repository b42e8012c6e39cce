"""Check the GO terms of ``ontology/imports/go_import.ttl`` against a current GO source.

A dev-time tool (exokg never reads GO at run or test time). GO's full release cannot be downloaded
where exokg is built, so this compares against what a current go-ontology checkout does hold: the
design-pattern tables (``src/design_patterns/*.tsv``, rows of IRI and label for terms and fillers)::

    python scripts/check_go_terms.py /path/to/go-ontology/src/design_patterns

It prints, for each GO class exokg imports, whether current GO has it with the same label, a different
label, or whether the tables do not mention it (then it is unchecked, not wrong).
"""

from __future__ import annotations

import csv
import itertools
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph

ROOT = Path(__file__).resolve().parent.parent
GO = "http://purl.obolibrary.org/obo/GO_"


def current_labels(folder: Path) -> dict[str, str]:
    labels: dict[str, str] = {}
    for table in sorted(folder.glob("*.tsv")):
        with table.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter="\t"):
                for iri, label in itertools.pairwise(row):
                    if iri.startswith(GO) and label and not label.startswith("http"):
                        labels.setdefault(iri, label)
    return labels


def main() -> None:
    labels = current_labels(Path(sys.argv[1]))
    module = Graph().parse(ROOT / "ontology" / "imports" / "go_import.ttl", format="turtle")
    counts = {"same label": 0, "different label": 0, "not in the tables": 0}
    for term in sorted(module.subjects(RDF.type, OWL.Class), key=str):
        if not str(term).startswith(GO):
            continue
        ours = str(module.value(term, RDFS.label) or "")
        theirs = labels.get(str(term))
        status = (
            ("same label" if theirs == ours else "different label")
            if theirs
            else "not in the tables"
        )
        counts[status] += 1
        curie = "GO:" + str(term)[len(GO) :]
        print(f"{curie}\t{ours}\t{status}" + (f"\t{theirs}" if theirs and theirs != ours else ""))
    print("; ".join(f"{n} {status}" for status, n in counts.items()))


if __name__ == "__main__":
    main()
