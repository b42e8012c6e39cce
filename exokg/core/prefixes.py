"""The CURIE prefixes exokg uses, defined once.

A plain dictionary with no imports, so the fast answer path (``exokg ask``) can use it without loading
rdflib. ``core/vocab.py`` builds rdflib namespaces from it, ``curation/records.py`` builds a ``curies``
converter from it, and ``query/questions.py`` predeclares it in ad-hoc queries; :func:`compact` turns an
IRI back into a CURIE. Prefix spellings follow the Bioregistry's
preferred prefixes where the OBO Foundry uses them (``GO``, ``RO``, ``CL``, …).
"""

from __future__ import annotations

import re

__all__ = ["EXOKG_BASE", "GRAPH_BASE", "PREFIXES", "SCHEMA_BASE", "STATEMENT_BASE", "compact"]

EXOKG_BASE = "https://w3id.org/exokg/"
SCHEMA_BASE = "https://w3id.org/exokg/schema#"
STATEMENT_BASE = "https://w3id.org/exokg/statement/"
GRAPH_BASE = "https://w3id.org/exokg/graph/"

_OBO = "http://purl.obolibrary.org/obo/"

PREFIXES: dict[str, str] = {
    "BFO": _OBO + "BFO_",
    "CL": _OBO + "CL_",
    "cellosaurus": "https://www.cellosaurus.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "ECO": _OBO + "ECO_",
    "exo": SCHEMA_BASE,
    "EXOKG": EXOKG_BASE + "EXOKG_",
    "exs": STATEMENT_BASE,
    "GO": _OBO + "GO_",
    "hgnc": "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/",
    "IAO": _OBO + "IAO_",
    "MGI": "http://www.informatics.jax.org/accession/MGI:",
    "MONDO": _OBO + "MONDO_",
    "NCBIGene": "https://www.ncbi.nlm.nih.gov/gene/",
    "NCBITaxon": _OBO + "NCBITaxon_",
    "NCIT": _OBO + "NCIT_",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "OMO": _OBO + "OMO_",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "RO": _OBO + "RO_",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "UBERON": _OBO + "UBERON_",
    "uniprot": "http://purl.uniprot.org/uniprot/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def compact(iri: str) -> str:
    """``http://purl.obolibrary.org/obo/GO_0070062`` → ``GO:0070062``; other IRIs stay as they are."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    local = iri[len(PREFIXES[best]) :] if best else ""
    return f"{best}:{local}" if best and re.fullmatch(r"[\w.-]*", local) else iri
