"""Interrupted runs lose nothing; outputs hold no path of the machine that made them.

``exokg release`` is killed with SIGKILL (no chance to clean up) as soon as it has started writing
its temporary directory; the release directory must then hold one whole release, the old or the new. ``exokg build`` is
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

from exokg.core import resources

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
def test_killing_release_while_it_writes_leaves_a_whole_release(tmp_path: Path) -> None:
    """SIGKILL as soon as the temporary directory appears: DIR is the old release or the new one.

    The release writes its files and swaps the directories within milliseconds, so the kill can land
    before or after the swap; either way DIR must hold one whole release, never a mix or nothing.
    (The new release is recognised by its dated version IRIs: rdflib's RDF/XML and JSON-LD writers do
    not order their output, so two releases of the same date need not be byte for byte equal.)
    A kill at a fixed point inside the writing, which must leave the old release, is
    ``tests/test_release.py::test_a_release_killed_midway_leaves_the_old_release_as_it_was``.
    """
    out = tmp_path / "release"
    assert release(out, "2024-01-01").wait(timeout=600) == 0
    before = snapshot(out)

    def writing() -> bool:
        return any(p.name.startswith(f".{out.name}.tmp-") for p in tmp_path.iterdir())

    assert kill_when(release(out, "2025-06-30"), writing), "release finished before it was killed"
    now = snapshot(out)
    if now != before:  # the kill landed after the swap: every file must be the new release's
        assert set(now) == set(before)
        for name in ("exokg.owl", "exokg.ttl", "exokg-base.owl", "imports/merged_import.owl"):
            text = (out / name).read_text(encoding="utf-8")
            assert "releases/2025-06-30/" in text and "releases/2024-01-01/" not in text, name


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
