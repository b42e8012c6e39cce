"""Pictures of the graph: the interactive HTML view and the static figure.

:mod:`~exokg.views.page` draws a question's answer or a term's neighbourhood as a self-contained page
(vis-network, bundled in ``_static/``, no external request); :mod:`~exokg.views.figure` draws the same
as SVG or PNG with Graphviz. It may import :mod:`exokg.text`, :mod:`exokg.query` and :mod:`exokg.core`.
"""
