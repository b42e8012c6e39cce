"""The release's fixed names: ontology and module IRIs, file names, IAO module types, OWL entity types.

Kept apart from :mod:`exokg.release.assemble` so the writers it calls (:mod:`~exokg.release.obo`,
:mod:`~exokg.release.diff`) can use them without importing it back.
"""

from __future__ import annotations

from exokg.core.prefixes import EXOKG_BASE, PREFIXES

ONTOLOGY = EXOKG_BASE + "exokg.owl"
BASE_IRI = EXOKG_BASE + "exokg-base.owl"
BRIDGE_IRI = EXOKG_BASE + "exokg-bridge.owl"
SIMPLE_IRI = EXOKG_BASE + "exokg-simple.owl"
IMPORT_IRI = EXOKG_BASE + "imports/merged_import.owl"
STATEMENTS_IRI = EXOKG_BASE + "exokg-statements.ttl"
RELEASES = EXOKG_BASE + "releases/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
OWN_TERM = PREFIXES["EXOKG"]
SKOLEM_MARK = "/.well-known/genid/"  # RDF 1.1 §3.5: how the compiled graph names its blank nodes
CATALOG = "catalog-v001.xml"
NOTES = "RELEASE-NOTES.md"
_OBO = "http://purl.obolibrary.org/obo/"

# IAO ontology-module classes, for dc:type on each release file
MAIN_MODULE = _OBO + "IAO_8000003"
BASE_MODULE = _OBO + "IAO_8000001"
IMPORT_MODULE = _OBO + "IAO_8000005"
BRIDGE_MODULE = _OBO + "IAO_8000004"  # bridge ontology module
_DEPRECATED_BY = _OBO + "IAO_0100001"  # term replaced by

# header properties the release sets itself, dropped from the editors' header
_HEADER_SET = ("owl:imports", "owl:versionIRI", "owl:versionInfo", "dcterms:license", "dc:type")
ENTITY_TYPES = (  # the OWL declarations that make an IRI a term of the ontology
    "Class",
    "ObjectProperty",
    "DatatypeProperty",
    "AnnotationProperty",
    "NamedIndividual",
)
