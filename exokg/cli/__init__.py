"""The ``exokg`` command: a thin layer of argument parsing and printing over the stages and the API.

:mod:`~exokg.cli.app` parses arguments and turns every :class:`~exokg.core.errors.ExokgError` into one
line and an exit code; :mod:`~exokg.cli.base` declares commands, their argument types and shared
options; each command lives in the module :data:`~exokg.cli.app.COMMAND_MODULES` names (``ask``,
``questions``, ``terms`` …), imported only when it runs; :mod:`~exokg.cli.completion` writes bash and
zsh completion. Nothing imports it.
"""
