"""A progress line on stderr for long work (build, reason, report, release, loading a large graph).

On a terminal, each step replaces the previous one on a single line (``exokg: reasoning with
HermiT…``) and the line is cleared when the work ends, so the answer is left alone on the screen.
When stderr is not a terminal (a pipe, a log file, CI) or with ``--quiet``, nothing is written.

Library functions take a ``progress`` callable (``Callable[[str], None]``) and call it with each step's
name; :func:`reporter` makes one for the CLI, and ``None`` means say nothing.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: the CLI starts cold
if TYPE_CHECKING:
    from typing import TextIO

__all__ = ["Reporter", "reporter"]


class Reporter:
    """Call it with a step's name; :meth:`close` (or leaving a ``with`` block) clears the line."""

    __slots__ = ("_shown", "_stream", "enabled")

    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self.enabled = not quiet and _is_terminal(self._stream)
        self._shown = False

    def __call__(self, step: str) -> None:
        if not self.enabled:
            return
        width = _columns() - 1
        line = f"exokg: {step}…"
        if len(line) > width:
            line = line[: max(0, width - 1)] + "…"
        self._stream.write(f"\r\x1b[K{line}")
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._shown = False

    def __enter__(self) -> Reporter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def reporter(*, quiet: bool = False) -> Reporter:
    """The CLI's reporter: on stderr, silent unless stderr is a terminal and ``quiet`` is false."""
    return Reporter(sys.stderr, quiet=quiet)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


def _columns() -> int:
    import os

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns or 80
    except (OSError, ValueError):
        return 80
