"""Run work in a child process that a time limit can stop, and that may crash without taking exokg along.

rdflib evaluates SPARQL in Python: a catastrophic ``regex()`` holds the GIL inside the ``re`` module,
and a deeply nested pattern exhausts Python's stack. A thread cannot be stopped; a process can. On
systems with ``fork`` (Linux, macOS) :func:`in_child` forks — the child shares the loaded graph
copy-on-write, so starting it costs about a millisecond — runs ``work`` there and sends the pickled
result back through a pipe. After ``timeout`` seconds the child is killed (SIGKILL) and the caller gets
:class:`~exokg.core.errors.UsageError` (``QueryTimeout``). Where there is no ``fork`` the work runs in a
thread, as before.
"""

from __future__ import annotations

import os
import sys
import time

from exokg.core.errors import DataError, ExokgError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    T = TypeVar("T")

__all__ = ["in_child"]


def in_child(
    work: Callable[[], T], timeout: float, where: str, stopped: Callable[[], ExokgError]
) -> T:
    """``work()``, run in a forked child; ``stopped()`` is raised when it overruns ``timeout``."""
    import pickle
    import select
    import signal

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer through the pipe, never return into the caller's code
        os.close(reader)
        # rdflib parses and evaluates recursively; the child's own stack (8 MiB) holds far more than
        # Python's default limit of 1000 frames, and exokg refuses nesting past MAX_DEPTH anyway
        sys.setrecursionlimit(20_000)
        outcome: tuple[object, ...]
        try:
            outcome = ("ok", work())
        except ExokgError as error:
            outcome = ("error", type(error).__name__, error.exit_code, error.what, error.where, error.fix)  # fmt: skip
        except RecursionError:
            outcome = ("error", "UsageError", 2, "the query is nested too deeply for rdflib", where, "flatten the query")  # fmt: skip
        except BaseException as error:  # reported by the parent as one line
            outcome = ("crash", f"{type(error).__name__}: {error}")
        try:
            data = pickle.dumps(outcome)
        except Exception as error:
            data = pickle.dumps(("crash", f"unpicklable answer: {error}"))
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(writer, view) :]
        finally:
            os._exit(0)
    os.close(writer)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise stopped()
            ready, _, _ = select.select([reader], [], [], remaining)
            if ready:
                chunk = os.read(reader, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    finally:
        os.close(reader)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        cause = (
            f"signal {os.WTERMSIG(status)}"
            if os.WIFSIGNALED(status)
            else f"exit code {os.waitstatus_to_exitcode(status)}"
        )
        raise DataError(
            f"the query engine stopped ({cause}) before it answered",
            where=where,
            fix="simplify the query, or try --backend oxigraph",
        )
    outcome = pickle.loads(b"".join(chunks))
    if outcome[0] == "ok":
        result: T = outcome[1]  # type: ignore[assignment]  # what work() returned, unpickled
        return result
    if outcome[0] == "error":
        _, _kind, code, what, place, fix = outcome
        kind = UsageError if code == 2 else DataError
        raise kind(str(what), where=str(place), fix=str(fix))
    raise RuntimeError(f"in the query engine: {outcome[1]}")
