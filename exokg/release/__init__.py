"""Release files other ontologies and tools import: OWL, OBO, OBO Graphs, SSSOM, KGX, and their diff.

:mod:`~exokg.release.assemble` writes the ODK-style release (full, base, simple, imports, statements,
catalog) from the compiled graph; :mod:`~exokg.release.obo`, :mod:`~exokg.release.kgx` and
:mod:`~exokg.release.sssom` write their formats; :mod:`~exokg.release.diff` compares two releases;
:mod:`~exokg.release.export` writes the graph in other RDF syntaxes; :mod:`~exokg.release.names` holds
the release's fixed IRIs. It may import :mod:`exokg.compile` and the stages below it.
"""
