"""The build stage: the ontology reasoned over, the statements added, claims scored, the graph compiled.

:mod:`~exokg.compile.reason` classifies the ontology (HermiT through owlready2, or OWL RL);
:mod:`~exokg.compile.claims` aggregates findings into scored claims; :mod:`~exokg.compile.display`
adds the fields answers show; :mod:`~exokg.compile.build` writes ``exokg-kg.nq``, the compiled graph
every later stage reads; :mod:`~exokg.compile.report` runs the ontology's QC checks. It may import
:mod:`exokg.curation` and :mod:`exokg.core`.
"""
