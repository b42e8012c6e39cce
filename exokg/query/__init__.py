"""Asking the compiled graph: the store, the question library, the query check, answers written out.

:mod:`~exokg.query.store` opens the graph in Oxigraph (in memory or on disk) or rdflib and answers
read-only SPARQL, from answers kept beside the store (:mod:`~exokg.query.kept`) or by running it on the
engine with a timeout (:mod:`~exokg.query.engine`), as :mod:`~exokg.query.solutions`' plain values; :mod:`~exokg.query.sparql_check` reads each query as the engines do and refuses
what could reach outside the graph; :mod:`~exokg.query.isolate` runs rdflib in a child process that can
be stopped; :mod:`~exokg.query.questions` parses the competency questions in ``queries/``;
:mod:`~exokg.query.answers` writes tables, CSV, TSV and JSON; :mod:`~exokg.query.endpoint` asks any
SPARQL 1.1 endpoint the same way, through the bounded HTTP client of :mod:`~exokg.query.http`. It may
import :mod:`exokg.core` only: it never depends on how the graph was made.
"""
