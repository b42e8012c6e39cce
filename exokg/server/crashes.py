"""Which query stopped the query server: so that no client's query can stop ``exokg serve``.

The query check's budget keeps every query it knows to crash Oxigraph from reaching it, but a query
that crashes it some other way must not be able to do so again and again, nor make the supervisor
give up (``exokg serve`` stops when the oxigraph process keeps exiting). :class:`Blame` records which
queries were being answered by each oxigraph process; when a process exits:

- with no query in flight, the exit is the server's own (a bad store, the machine out of memory, a
  ``kill``) and counts towards the supervisor's limit;
- with queries in flight, it counts for nothing, and each of those queries becomes a *suspect*: it is
  answered alone from then on (:class:`Turns`: no other query in flight meanwhile);
- a suspect in flight alone when the process exits is the cause: it is refused from then on.

A query is known by the SHA-256 of its tokens (keywords in capitals, comments and white space left
out), so re-spacing, re-casing or commenting it does not make it new. Two exits are needed to refuse
a query, so a process killed for another reason while an innocent query was in flight (the
out-of-memory killer, an operator) refuses nothing: that query is answered alone once, and cleared.

Only the standard library is used.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["MAX_REMEMBERED", "Blame", "Turns"]

MAX_REMEMBERED = 4096  # refused queries (and suspects) remembered, 32-byte hashes: about 0.5 MiB


class Turns:
    """Queries in flight share the query server, except a suspect, which waits for it to be idle
    and has it alone; queries arriving meanwhile wait for it (writer-preferring, bounded waits)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._sharing = 0
        self._alone = False
        self._waiting_alone = 0

    @contextmanager
    def take(self, alone: bool, timeout: float) -> Iterator[bool]:
        """Yields whether the turn was had within ``timeout`` seconds (if not, send nothing)."""
        with self._condition:
            if alone:
                self._waiting_alone += 1
                try:
                    had = self._condition.wait_for(
                        lambda: not self._alone and not self._sharing, timeout
                    )
                finally:
                    self._waiting_alone -= 1
                if had:
                    self._alone = True
            else:
                had = self._condition.wait_for(
                    lambda: not self._alone and not self._waiting_alone, timeout
                )
                if had:
                    self._sharing += 1
            if not had:
                self._condition.notify_all()
        try:
            yield had
        finally:
            if had:
                with self._condition:
                    if alone:
                        self._alone = False
                    else:
                        self._sharing -= 1
                    self._condition.notify_all()


class Blame:
    """Queries in flight per oxigraph process (its generation), and what each exit is put down to.

    Not thread-safe by itself: the :class:`~exokg.server.guard.Backend` calls it under its lock.
    """

    def __init__(self) -> None:
        self._flying: dict[int, Counter[bytes]] = {}
        self._verdicts: OrderedDict[int, bool] = OrderedDict()  # generation → a query caused it
        self.suspects: OrderedDict[bytes, None] = OrderedDict()
        self.refused: OrderedDict[bytes, None] = OrderedDict()

    def board(self, generation: int, query: bytes) -> None:
        self._flying.setdefault(generation, Counter())[query] += 1

    def leave(self, generation: int, query: bytes) -> None:
        flying = self._flying.get(generation)
        if flying is None:
            return
        flying[query] -= 1
        if flying[query] <= 0:
            del flying[query]
        if not flying:
            del self._flying[generation]

    def verdict(self, generation: int) -> bool | None:
        """Whether the exit of ``generation`` was put down to a query; None if not yet judged."""
        return self._verdicts.get(generation)

    def stopped(self, generation: int) -> None:
        """``generation`` was stopped by the guard (a timeout), not by a query crashing it."""
        self._judged(generation, False)

    def exited(self, generation: int) -> bool:
        """``generation``'s process exited by itself: blame the queries in flight; returns whether
        any was (and so whether the exit was caused by a query)."""
        known = self._verdicts.get(generation)
        if known is not None:
            return known
        flying = self._flying.pop(generation, Counter())
        if len(flying) == 1 and next(iter(flying)) in self.suspects:
            (query,) = flying
            del self.suspects[query]
            _remember(self.refused, query)
        else:
            for query in flying:
                _remember(self.suspects, query)
        self._judged(generation, bool(flying))
        return bool(flying)

    def cleared(self, query: bytes) -> None:
        """A suspect was answered alone without a crash: it is innocent."""
        self.suspects.pop(query, None)

    def _judged(self, generation: int, caused: bool) -> None:
        self._verdicts[generation] = caused
        while len(self._verdicts) > 64:
            self._verdicts.popitem(last=False)


def _remember(kept: OrderedDict[bytes, None], query: bytes) -> None:
    kept[query] = None
    kept.move_to_end(query)
    while len(kept) > MAX_REMEMBERED:
        kept.popitem(last=False)
