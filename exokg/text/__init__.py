"""People's words and the graph's terms: the lexicon, term lookup, annotation and statement proposals.

:mod:`~exokg.text.lexicon` indexes every label, synonym and gene symbol of the compiled graph;
:mod:`~exokg.text.resolve` turns a user's name into a term and asks questions with it;
:mod:`~exokg.text.terms` backs ``search``, ``info`` and ``tree``; :mod:`~exokg.text.annotate` finds terms
in free text; :mod:`~exokg.text.propose` drafts statements from it; :mod:`~exokg.text.evaluate` scores
annotation against gold sets. It may import :mod:`exokg.query`, :mod:`exokg.curation` and
:mod:`exokg.core`.
"""
