"""Errors a user can cause, and how they reach the user.

Every problem that bad input or bad usage can cause is raised as an :class:`ExokgError` that knows
*what* is wrong, *where* (a file and line, a statement id, an option) and *how to fix it*. The CLI
prints it as one line on stderr and exits with the error's code: 1 for bad data, 2 for bad usage.
"""

from __future__ import annotations

__all__ = ["DataError", "ExokgError", "UsageError", "one_line"]


def one_line(text: str) -> str:
    """The first line of ``text`` that says something: a library's message may add detail, or
    noise, on further lines, and exokg's messages are one line each."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


class ExokgError(Exception):
    """A problem the user can fix, told in one line: ``where: what — fix``."""

    exit_code = 1

    def __init__(self, what: str, *, where: str = "", fix: str = "") -> None:
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(self.line())

    def line(self) -> str:
        """The one-line message shown to the user."""
        what, where, fix = one_line(self.what), one_line(self.where), one_line(self.fix)
        text = f"{where}: {what}" if where else what
        return f"{text} — {fix}" if fix else text


class DataError(ExokgError):
    """Bad data: a curation file, an ontology, a graph or a release that cannot be used (exit 1)."""

    exit_code = 1


class UsageError(ExokgError):
    """Bad usage: an unknown question, a missing parameter, a malformed query or option (exit 2)."""

    exit_code = 2
