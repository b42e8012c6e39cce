"""Answers kept beside the store of the shipped graph, so a question asked before is answered cold.

The store of the shipped graph in the user's cache folder (:func:`exokg.query.store.cached_store`)
never changes: a new graph gets a new store. An answer of that store is therefore a function of the
query alone, and :class:`KeptAnswers` keeps each one in the store's folder, under the exact text of
the query, its bindings and prefixes. A cold ``exokg ask`` of a question asked before then reads one
small file instead of opening the store (RocksDB starts about 180 threads to open its tables) and
running the query on it; it is removed with the store when the graph changes.

A limit is not part of the key: exokg applies it by taking the first rows the engine gives
(:func:`exokg.query.engine.select_oxigraph`), so the answer with ``--limit 5`` is the first five rows
of the answer with ``--limit 20`` or with no limit. An answer kept with a larger limit, with none, or
with every row serves any smaller limit; a miss keeps the new, larger answer in its place.

An answer is kept only after its query passed :func:`exokg.query.sparql_check.check_query`, and
the ``SERVICE`` endpoints allowed then are part of its key, so a kept answer is read back without
checking (or importing the check) again. The answer of a query that calls a function whose value
changes each time (``NOW``, ``RAND``, ``UUID`` …) is never kept. A file that cannot be read, or that holds another query
(the file name is a 32-bit hash of the query), is a miss; an answer that cannot be written is simply
not kept.
"""

from __future__ import annotations

import marshal
import os
import zlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: `exokg ask` starts cold
if TYPE_CHECKING:
    from pathlib import Path

    # An answer as it is kept: variables, rows of terms as (kind, value, datatype, lang) or None,
    # the ASK answer, and whether a limit cut rows off (exokg.query.store.Solutions, in plain values)
    Fields = tuple[str, str, str | None, str | None]
    Kept = tuple[list[str], list[tuple[Fields | None, ...]], bool | None, bool]

__all__ = ["KeptAnswers"]

LARGEST = 8 << 20  # bytes: a larger answer is not kept (the shipped graph's are far smaller)
MAX_BYTES = 64 << 20  # bytes of answers kept in all; past that the least recently kept go first
_VERSION = 2  # of the file layout (1 had the limit in the key)


class KeptAnswers:
    """The answers kept in ``folder`` (created, mode 0700, on the first answer kept)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def key(
        sparql: str,
        bindings: list[tuple[str, Fields]],
        prefixes: list[tuple[str, str]],
        allow_service: list[str],
    ) -> str:
        """Everything an answer depends on once the graph is fixed but its limit, and the
        ``SERVICE`` endpoints its query was allowed to reach when it was checked, as one string."""
        return repr((_VERSION, sparql, sorted(bindings), sorted(prefixes), allow_service))

    def _file(self, key: str) -> Path:
        return self.folder / f"{zlib.crc32(key.encode('utf-8')):08x}.answer"

    def get(self, key: str, limit: int | None = None) -> Kept | None:
        """The answer kept for ``key``, cut to ``limit`` rows, or ``None`` when none is kept that
        has those rows (one kept with a smaller limit, which cut rows off); ``None`` also for a file
        (or folder) that is not the user's own, that others may write, or that is a link (read back
        unchecked, an answer must be one exokg wrote for this user)."""
        path = self._file(key)
        from exokg.core.resources import owned

        if not (owned(self.folder, folder=True) and owned(path)):
            return None
        try:
            data = path.read_bytes()
            kept_key, *answer = marshal.loads(data)
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if kept_key != key or len(answer) != 4 or not _well_formed(*answer):
            return None
        variables, rows, boolean, truncated = answer
        if limit is None or len(rows) < limit:
            # every row is wanted (or fewer than the limit): only an answer that cut none off has them
            return None if truncated else (variables, rows, boolean, False)
        return variables, rows[:limit], boolean, truncated or len(rows) > limit

    def put(self, key: str, answer: Kept) -> None:
        """Keep ``answer`` as the answer to ``key`` (written whole, then moved into place); past
        :data:`MAX_BYTES` in all, the answers kept longest ago are removed until a half is left
        (every question answered, and ``exokg query`` too, may add one)."""
        data = marshal.dumps((key, *answer))
        if len(data) > LARGEST:
            return
        target = self._file(key)
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        try:
            self.folder.mkdir(mode=0o700, exist_ok=True)
            partial.write_bytes(data)
            os.replace(partial, target)
            self._prune()
        except OSError:  # a full disk, a folder made read-only: the answer is just not kept
            import contextlib

            with contextlib.suppress(OSError):
                partial.unlink()

    def _prune(self) -> None:
        kept = []
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name.endswith(".answer"):
                    info = entry.stat()
                    kept.append((info.st_mtime_ns, info.st_size, entry.path))
        total = sum(size for _, size, _ in kept)
        if total <= MAX_BYTES:
            return
        for _, size, path in sorted(kept):
            if total <= MAX_BYTES // 2:
                break
            os.unlink(path)
            total -= size


def _well_formed(variables: object, rows: object, boolean: object, truncated: object) -> bool:
    """Whether a kept answer has the shape exokg writes (see ``Kept``); anything else is a miss."""
    if not (isinstance(variables, list) and all(isinstance(v, str) for v in variables)):
        return False
    if not (boolean is None or isinstance(boolean, bool)) or not isinstance(truncated, bool):
        return False
    if not isinstance(rows, list):
        return False
    width = len(variables)
    for row in rows:
        if not isinstance(row, tuple) or len(row) != width:
            return False
        for cell in row:
            if cell is None:
                continue
            if not (isinstance(cell, tuple) and len(cell) == 4):
                return False
            kind, value, datatype, lang = cell
            if kind not in ("uri", "literal", "bnode") or not isinstance(value, str):
                return False
            if not all(x is None or isinstance(x, str) for x in (datatype, lang)):
                return False
    return True
