"""The small core every stage stands on: errors, prefixes, vocabulary, data files, safe writes, progress.

Owns :mod:`~exokg.core.errors` (the one-line errors a user can cause), :mod:`~exokg.core.prefixes`
(CURIE prefixes and :func:`~exokg.core.prefixes.compact`), :mod:`~exokg.core.vocab` (exokg's schema as
rdflib ``DefinedNamespace`` classes), :mod:`~exokg.core.resources` (where the ontology, curation files
and questions live, in a checkout or an installed wheel), :mod:`~exokg.core.outputs` (writes that never
destroy what exokg did not write) and :mod:`~exokg.core.progress`. It imports nothing else of exokg.
"""
