"""The oxigraph server process: finding its binary, starting it, waiting for it, stopping it.

Shared by :mod:`exokg.server.serve` (``running_server``, ``serve``) and :mod:`exokg.server.guard` (the supervised
process behind the guard), so that neither imports the other's private helpers.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from exokg.core.errors import DataError, UsageError

__all__ = [
    "STARTUP_SECONDS",
    "base_url",
    "cannot_listen",
    "oxigraph_binary",
    "stop",
    "wait_until_ready",
]

STARTUP_SECONDS = 30.0


def oxigraph_binary() -> Path:
    """The ``oxigraph`` executable installed with the PyPI ``oxigraph`` package.

    pip puts it beside the Python interpreter (``bin/`` or ``Scripts/``) of the environment exokg runs
    in; a system-wide one on ``PATH`` is the fallback.
    """
    here = Path(sys.executable).parent
    for candidate in (here / "oxigraph", here / "oxigraph.exe"):
        if candidate.is_file():
            return candidate
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise UsageError(
        "the oxigraph server binary is not installed",
        where="exokg serve",
        fix="pip install oxigraph (it comes with exokg's dependencies)",
    )


def cannot_listen(host: str, port: int, error: OSError) -> UsageError:
    return UsageError(
        f"cannot listen on {host}:{port} ({error.strerror})",
        where="exokg serve",
        fix="choose another port with --port, or stop the program that uses it",
    )


def base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def wait_until_ready(
    process: subprocess.Popen[bytes], url: str, abandon: threading.Event | None = None
) -> None:
    """Return once the server at ``url`` answers; an error if it exits or stays silent.

    ``abandon`` set (the caller is shutting down) ends the wait early with an error too, so that a
    restart under way never holds up ``exokg serve`` stopping.
    """
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if abandon is not None and abandon.is_set():
            raise DataError("the oxigraph server was stopped while it started", where=url)
        if process.poll() is not None:
            raise DataError(
                f"the oxigraph server stopped at start (exit code {process.returncode})",
                where="exokg serve",
                fix="read its message above",
            )
        try:
            with urllib.request.urlopen(url + "/", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise DataError(f"the oxigraph server did not answer within {STARTUP_SECONDS:.0f} s", where=url)


def stop(process: subprocess.Popen[Any], timeout: float = 10.0) -> None:
    """Ask ``process`` to end (SIGTERM); kill it if it has not within ``timeout`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
