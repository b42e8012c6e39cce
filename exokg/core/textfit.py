"""Text fitted to a terminal's width without breaking what must stay whole.

Lines wrap only at spaces: never inside a word, a CURIE, a DOI, an IRI or a number, and never at a
hyphen. A token longer than the room it has goes to a line of its own (and may then run past the
width: cutting it would make it wrong to copy). Without a width (output to a file or a pipe) text is
left as it is.
"""

from __future__ import annotations

__all__ = ["hanging", "wrap"]


def wrap(text: str, width: int | None) -> list[str]:
    """``text`` as lines of at most ``width`` characters, broken at spaces only."""
    if not width or len(text) <= width:
        return [text]
    import textwrap

    return textwrap.wrap(
        text,
        width,
        break_long_words=False,
        break_on_hyphens=False,
        drop_whitespace=True,
    ) or [""]


def hanging(prefix: str, text: str, width: int | None) -> list[str]:
    """``prefix`` then ``text``, continued under the text's first character (a hanging indent)."""
    if not width or len(prefix) + len(text) <= width:
        return [prefix + text]
    room = max(width - len(prefix), 20)
    lines = wrap(text, room)
    return [prefix + lines[0], *(" " * len(prefix) + line for line in lines[1:])]
