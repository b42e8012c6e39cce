"""Writes never destroy what exokg did not write (exokg/core/outputs.py), and every failed write is one line.

Through the real CLI: a FIFO and a character device are written in place, a symbolic link is followed
and stays a link, a missing folder or a full disk is one line; ``release --out`` refuses a folder that
holds anything but an earlier exokg release (a Protégé project with its catalog-v001.xml stays as it
was) and proves an earlier release by its manifest.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from exokg.core.errors import DataError
from exokg.core.outputs import MANIFEST, write_output
from tests import FIXTURES
from tests.conftest import ExokgRunner

MINI_KG = FIXTURES / "questions" / "mini-kg.nq"
RELEASE = FIXTURES / "release"
ASK = ("query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--kg", MINI_KG)


def _release(exokg: ExokgRunner, out: Path | str, cwd: Path | None = None) -> object:
    return exokg(
        "release", "--out", out, "--kg", RELEASE / "kg.nq", "--date", "2026-01-31", cwd=cwd
    )


def _release_here(out: Path) -> None:
    """The library call behind ``exokg release``, with the fixture's own ID manifest and mappings."""
    import datetime as dt

    from exokg.release.assemble import release

    release(
        out,
        date=dt.date(2026, 1, 31),
        kg_file=RELEASE / "kg.nq",
        mappings_file=RELEASE / "mappings.sssom.tsv",
        manifest_file=RELEASE / "released-ids.tsv",
        sources=[RELEASE / name for name in ("ontology.ttl", "imports.ttl", "statements.ttl")],
    )


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


def _read_fifo(path: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(path, "rb") as stream:
            into.append(stream.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("command", ["query", "viz", "export"])
def test_a_fifo_is_written_in_place(exokg: ExokgRunner, tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = _read_fifo(fifo, received)
    args = {
        "query": ASK,
        "viz": ("viz", "--kg", MINI_KG),
        "export": ("export", "--format", "json", "--kg", MINI_KG),
    }[command]
    result = exokg(*args, "-o", fifo)
    reader.join(60)
    assert result.returncode == 0, result.stderr
    assert received and received[0], "nothing arrived through the FIFO"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced"


def test_a_symbolic_link_is_followed_and_stays_a_link(exokg: ExokgRunner, tmp_path: Path) -> None:
    target, link = tmp_path / "answer.csv", tmp_path / "link.csv"
    target.write_text("old\n")
    target.chmod(0o600)
    link.symlink_to(target)
    result = exokg(*ASK, "--format", "csv", "-o", link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and target.read_text().startswith("n\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600, "the file's permissions were not kept"


def test_a_link_to_nothing_is_refused(exokg: ExokgRunner, tmp_path: Path) -> None:
    link = tmp_path / "dangling"
    link.symlink_to(tmp_path / "nowhere" / "x")
    result = exokg(*ASK, "-o", link)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert link.is_symlink()


def test_a_missing_folder_is_one_line(exokg: ExokgRunner) -> None:
    result = exokg(*ASK, "-o", "/nonexistent/x")
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_device_is_one_line_and_stays_a_device(exokg: ExokgRunner) -> None:
    result = exokg(*ASK, "-o", "/dev/full")
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and "No space left" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_dash_is_standard_output(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    write_output("to stdout\n", "-")
    assert capfd.readouterr().out == "to stdout\n"
    assert not (Path.cwd() / "-").exists()


# --- release folders --------------------------------------------------------------------------------


def test_release_never_touches_a_folder_it_did_not_write(
    exokg: ExokgRunner, tmp_path: Path
) -> None:
    project = tmp_path / "my-ontology"  # a Protégé project: it writes catalog-v001.xml everywhere
    (project / "imports").mkdir(parents=True)
    (project / "catalog-v001.xml").write_text("<catalog/>\n")
    (project / "mine.owl").write_text("<rdf:RDF/>\n")
    (project / "imports" / "other.owl").write_text("<rdf:RDF/>\n")
    before = _snapshot(project)
    result = _release(exokg, project)
    assert result.returncode == 1, result.stderr  # type: ignore[attr-defined]
    assert result.stderr.count("\n") == 1  # type: ignore[attr-defined]
    assert _snapshot(project) == before


def test_release_out_dot_is_one_line(exokg: ExokgRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    result = _release(exokg, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # type: ignore[attr-defined]
    assert result.stderr.count("\n") == 1  # type: ignore[attr-defined]
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_release_is_proven_by_its_manifest_and_replaced(tmp_path: Path) -> None:
    out = tmp_path / "release"
    _release_here(out)
    manifest = json.loads((out / MANIFEST).read_text())
    written = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} - {MANIFEST}
    assert set(manifest["files"]) == written
    _release_here(out)  # an earlier release, proven: replaced
    (out / "exokg.ttl").write_text("edited by hand\n")  # now the folder holds someone's work
    before = _snapshot(out)
    with pytest.raises(DataError, match="exokg did not write"):
        _release_here(out)
    assert _snapshot(out) == before
    (out / "exokg.ttl").unlink()
    (out / "notes.txt").write_text("mine\n")  # a file exokg did not write
    with pytest.raises(DataError):
        _release_here(out)
    assert (out / "notes.txt").read_text() == "mine\n"


def test_release_into_an_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    _release_here(out)
    assert (out / MANIFEST).is_file()


def test_a_store_in_a_folder_that_does_not_exist_yet(exokg: ExokgRunner, tmp_path: Path) -> None:
    result = exokg(*ASK, "--store", tmp_path / "a" / "b" / "store", "--format", "csv")
    assert result.returncode == 0, result.stderr
