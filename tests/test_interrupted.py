"""Interrupted runs lose nothing; outputs hold no path of the machine that made them.

``exokg release`` is killed with SIGKILL (no chance to clean up) as soon as it has started writing
its temporary directory; the previous release must be byte for byte what it was. ``exokg build`` is
killed the same way while it runs; the compiled graph must still parse and be unchanged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import pytest

from exokg import resources

EXOKG = [sys.executable, "-m", "exokg"]


def snapshot(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def kill_when(
    process: subprocess.Popen[bytes], started: Callable[[], bool], limit: float = 300
) -> bool:
    """SIGKILL ``process`` as soon as ``started()`` is true; False if it finished first."""
    deadline = time.monotonic() + limit
    while process.poll() is None and time.monotonic() < deadline:
        if started():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.005)
    if process.poll() is None:
        process.kill()
        process.wait()
    return False


def release(out: Path, date: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*EXOKG, "release", "--out", str(out), "--date", date],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_killing_release_midway_keeps_the_previous_release(tmp_path: Path) -> None:
    out = tmp_path / "release"
    first = release(out, "2024-01-01")
    assert first.wait(timeout=600) == 0
    before = snapshot(out)
    assert before

    def writing() -> bool:
        return any(p.name.startswith(f".{out.name}.tmp-") for p in tmp_path.iterdir())

    assert kill_when(release(out, "2025-06-30"), writing), "release finished before it was killed"
    assert snapshot(out) == before
    # and the test can fail: an uninterrupted release with another date does change the files
    assert release(out, "2025-06-30").wait(timeout=600) == 0
    assert snapshot(out) != before


@pytest.mark.slow
def test_killing_build_midway_keeps_the_previous_graph(tmp_path: Path) -> None:
    if not resources.KG_FILE.is_file():
        pytest.fail("the compiled graph is missing: run `exokg build`")
    before = resources.KG_FILE.read_bytes()
    build = subprocess.Popen(
        [*EXOKG, "build"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    start = time.monotonic()
    # kill it part-way: after it has read its inputs and is reasoning or writing
    killed = kill_when(build, lambda: time.monotonic() - start > 2.0)
    assert killed, "build finished within 2 s; the kill came too late to test anything"
    assert resources.KG_FILE.read_bytes() == before
    list(pyoxigraph.parse(path=str(resources.KG_FILE), format=pyoxigraph.RdfFormat.N_QUADS))


# --- no local paths in outputs ----------------------------------------------------------------------


def local_markers() -> list[str]:
    """Strings that would betray the machine that made a file: its checkout, home and temp dirs."""
    markers = {str(resources.DATA_ROOT), str(Path.home()), os.environ.get("TMPDIR", "/tmp") + "/"}
    return sorted(m for m in markers if len(m) > 4)


@pytest.mark.slow
def test_outputs_hold_no_local_paths(tmp_path: Path) -> None:
    out = tmp_path / "release"
    assert release(out, "2024-01-01").wait(timeout=600) == 0
    files = [resources.KG_FILE, *(p for p in out.rglob("*") if p.is_file())]
    markers = [*local_markers(), str(tmp_path)]
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace")
        for marker in markers:
            assert marker not in text, f"{path.name} contains the local path {marker!r}"
        assert "file://" not in text, f"{path.name} contains a file: IRI"
    shutil.rmtree(out)
