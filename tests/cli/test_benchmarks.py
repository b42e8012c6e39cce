"""The benchmark still runs: ``benchmarks/run.py --sizes 1000`` on a small synthetic graph.

Speed targets live in the benchmark's own table, never in tests; this only checks that the script
generates the graph, builds the on-disk store, answers every question from memory and from disk in
fresh processes and writes its table (so the figures in README can be made again).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from exokg.query.questions import list_questions
from tests import ROOT


def _script(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``benchmarks/NAME`` with ``args`` as a user would, in a fresh interpreter."""
    command = [sys.executable, str(ROOT / "benchmarks" / name), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_run_py_measures_every_question_at_1000_statements(tmp_path: Path) -> None:
    result = _script(
        "run.py",
        *("--sizes", "1000", "--runs", "1"),
        *("--out", tmp_path / "results", "--scratch", tmp_path / "scratch"),
    )
    assert result.returncode == 0, result.stderr
    (table,) = (tmp_path / "results").glob("*.md")
    text = table.read_text(encoding="utf-8")
    assert "### 1,000 statements" in text
    assert "Machine: " in text and "logical CPUs" in text
    assert "On-disk store built once with Oxigraph's bulk loader" in text
    for question in list_questions():
        (row,) = [line for line in text.splitlines() if line.startswith(f"| {question.name} |")]
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        memory, on_disk = cells[2], cells[4]
        assert float(memory) >= 0 and float(on_disk) >= 0, row  # measured, not "-"
    assert (tmp_path / "scratch" / "1000.store" / "exokg-source.txt").is_file()


@pytest.mark.slow
def test_store_costs_py_reports_each_operation_and_question(tmp_path: Path) -> None:
    data = tmp_path / "1000.nq"
    generated = _script("generate.py", "--statements", "1000", "-o", data)
    assert generated.returncode == 0, generated.stderr
    result = _script("store_costs.py", data, "--repeat", "1", "--out", tmp_path / "results")
    assert result.returncode == 0, result.stderr
    (report,) = (tmp_path / "results").glob("*-store-costs.md")
    text = report.read_text(encoding="utf-8")
    assert "1,000 statements" in text and "`optimize()` then" in text
    for name in ("count", "iris", "literals", "lookup", "hash join", "sort"):
        (row,) = [line for line in text.splitlines() if line.startswith(f"| {name}: ")]
        assert all(float(cell) >= 0 for cell in row.strip("|").split("|")[1:]), row
    for question in list_questions():
        (row,) = [line for line in text.splitlines() if line.startswith(f"| {question.name} |")]
        assert len(row.strip("|").split("|")) == 6, row


@pytest.mark.server
def test_load_test_py_compares_the_guard_with_and_without_answers_kept_and_raw_oxigraph(
    tmp_path: Path,
) -> None:
    from exokg.server.serve import prepare_store

    store = prepare_store(tmp_path / "store")
    result = _script("load_test.py", "--store", store, "--clients", "2", "--seconds", "1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    questions = sum(all(p.default for p in q.parameters) for q in list_questions())
    for server in ("exokg serve (answers kept)", "exokg serve (no answers kept)", "oxigraph"):
        (at,) = [i for i, line in enumerate(lines) if line.startswith(server)]
        assert f"first asks, one at a time: {questions} answers in" in lines[at], lines[at]
        assert lines[at].endswith(", 0 errors") and lines[at + 1].endswith(", 0 errors")
        assert " questions/s, p50 " in lines[at + 1], lines[at + 1]
    assert lines[-1].startswith("guard cost: raw / guarded (no answers kept) throughput = ")
