"""What a curation file must be before its YAML is read, and the bounds on what it holds.

- It is a regular file of at most :data:`MAX_FILE_BYTES` (a link is followed; a FIFO, a device or a
  folder is refused before it is opened, so ``/dev/zero`` cannot fill the memory).
- It is a curation file: a line starts with ``statements:`` (``sources:`` in ``sources.yaml``).
  Anything else — ``/etc/passwd`` named directly or through a link — gets one problem that quotes
  nothing of it, not even a YAML error, since exokg's messages echo keys and values.
- No line holds a bidirectional control (U+202A to 202E, U+2066 to 2069), a zero-width character
  (U+200B to 200D, U+2060, U+FEFF but for a byte-order mark at the start) or a control character
  (U+0000 to 001F but tab, line feed and carriage return; U+007F to 009F): they make a line show
  something other than what it holds (a terminal runs ``ESC [2J``), so that a reviewer reads one
  text and the graph gets another. Nor does a text once its escapes are read (``"\\u202E"`` or
  ``"\\e[31m"`` in a double-quoted string).
- No text (a YAML scalar) is longer than :data:`MAX_TEXT` characters.

Only the standard library is used; the YAML node walk takes nodes PyYAML composed.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yaml.nodes import Node

__all__ = ["MAX_FILE_BYTES", "MAX_TEXT", "invisible", "is_curation", "read_bounded", "texts"]

# 8 MiB: 300 times the largest curation file shipped (sources.yaml, 24 KB); read in a few seconds
MAX_FILE_BYTES = 8 << 20
# characters in one text field: 14 times the longest shipped (a 348-character paraphrase), room for
# a paragraph; a 50,000,000-character paraphrase was valid and took 24 s and 358 MB
MAX_TEXT = 5000
_CONTROLS = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
_INVISIBLE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
_NAMES = {
    **dict.fromkeys(_CONTROLS, "a control character"),
    **dict.fromkeys(range(0x202A, 0x202F), "a bidirectional control"),
    **dict.fromkeys(range(0x2066, 0x206A), "a bidirectional control"),
    **dict.fromkeys((0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF), "a zero-width character"),
}


def read_bounded(path: Path) -> bytes | str:
    """The file's bytes, or why they are not read (a one-line reason)."""
    try:
        if not path.is_file():
            return "not a regular file" if path.exists() else "no such file"
        with path.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return "not a regular file"
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return f"cannot read the file ({error.strerror})"
    if len(data) > MAX_FILE_BYTES:
        return f"the file is over {MAX_FILE_BYTES >> 20} MiB; a curation file is a few KB"
    return data


def is_curation(text: str, key: str) -> bool:
    """Whether a line of ``text`` starts the top-level ``key:`` mapping entry."""
    return re.search(rf"^\ufeff?{key}[ \t]*:", text, re.MULTILINE) is not None


def invisible(text: str, first_line: int = 1, *, file: bool = True) -> Iterator[tuple[int, str]]:
    """Each line (counted from ``first_line``) holding a bidirectional control or a zero-width
    character, with the first such character described (``a bidirectional control (U+202E)``).
    A byte-order mark may open a ``file``."""
    line, counted, last = first_line, 0, 0
    for match in _INVISIBLE.finditer(text):
        if file and match.start() == 0 and match.group() == "\ufeff":
            continue  # a byte-order mark
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if line != last:
            code = ord(match.group())
            yield line, f"{_NAMES[code]} (U+{code:04X})"
            last = line


def texts(root: Node) -> Iterator[tuple[int, str]]:
    """Each scalar's line and text, in no particular order."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    todo: list[Node] = [root]
    while todo:
        node = todo.pop()
        if isinstance(node, ScalarNode):
            yield node.start_mark.line + 1, str(node.value)
        elif isinstance(node, SequenceNode):
            todo.extend(node.value)
        elif isinstance(node, MappingNode):
            todo.extend(part for pair in node.value for part in pair)
