"""Serving the graph: ``oxigraph serve-read-only`` behind exokg's guard, supervised.

:mod:`~exokg.server.serve` prepares the on-disk store and runs the server; :mod:`~exokg.server.guard`
is the allow-list proxy in front of it (query check, timeouts, bounded requests, kept answers);
:mod:`~exokg.server.oxigraph_process` starts, watches and stops the oxigraph child. It may import
:mod:`exokg.query` and :mod:`exokg.core`.
"""
