"""The lexicon's cache file: in the user's cache folder only, and trusted only if it is ours and whole.

A lexicon decides which terms a text names, so a cache that someone else can write changes what
``exokg annotate`` and ``exokg ask`` find. The cache therefore lives in the user's cache folder
(:func:`exokg.core.resources.user_cache_dir`; never beside a graph, which may lie in a shared or
temporary folder) and is read only when:

- the folder and the file are this user's (their owner is the user, nobody else may write them, the
  file is no link), and
- the file is JSON of the expected shape: the format and the graph's digest, and every term record
  with fields of the right types and known match kinds.

Anything else — another user's file, a truncated or hand-edited one, the wrong shape — is ignored
without a word and the lexicon is rebuilt from the graph and written again (a file readable and
writable by the user alone, in a folder made with mode 0700). On systems without user ids
(Windows), ownership is left to the folder's permissions.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from exokg.core.resources import is_mine, owned

__all__ = ["read_cache", "shaped", "write_cache"]

_TERM_TYPES = frozenset({"class", "relation", "annotation property", "source", "other"})
_LISTS = ("genus", "origin", "superclass", "operational")


def read_cache(path: Path, form: int, digest: str, kinds: frozenset[str]) -> dict[str, Any] | None:
    """The terms of the cache at ``path`` if it is trusted and current (see above), else None."""
    try:
        if not owned(path.parent, folder=True):
            return None
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not (stat.S_ISREG(info.st_mode) and is_mine(info)):
                return None
            data = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return shaped(data, form, digest, kinds)


def shaped(data: object, form: int, digest: str, kinds: frozenset[str]) -> dict[str, Any] | None:
    """``data["terms"]`` if ``data`` is a cache of format ``form`` for ``digest`` whose every
    record has the lexicon's shape, else None."""
    if not isinstance(data, dict) or data.get("format") != form or data.get("digest") != digest:
        return None
    terms = data.get("terms")
    if not isinstance(terms, dict):
        return None
    for curie, record in terms.items():
        if not (
            isinstance(curie, str)
            and isinstance(record, dict)
            and isinstance(record.get("iri"), str)
            and isinstance(record.get("label"), str)
            and record.get("type") in _TERM_TYPES
            and (record.get("organism") is None or isinstance(record["organism"], str))
            and isinstance(record.get("deprecated"), bool)
            and isinstance(names := record.get("names"), list)
            and all(
                isinstance(pair, list)
                and len(pair) == 2
                and isinstance(pair[0], str)
                and pair[1] in kinds
                for pair in names
            )
            and all(
                isinstance(values := record.get(field, []), list)
                and all(isinstance(value, str) for value in values)
                for field in _LISTS
            )
        ):
            return None
    return terms


def write_cache(path: Path, text: str) -> None:
    """Write the cache atomically, readable by the user alone; a cache that cannot be written (or a
    folder that is not the user's) is only a slower next start."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not is_mine(os.lstat(path.parent)):
            return
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(partial, flags, 0o600), "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(partial, path)
    except OSError:
        pass
