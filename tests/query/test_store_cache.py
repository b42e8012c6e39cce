"""The shipped graph is answered from a store kept in the user's cache folder, not parsed at every start.

Each test gives exokg an empty cache folder (``XDG_CACHE_HOME``) and runs the real command or
:func:`open_store` on the built graph; answers must be those of the graph parsed in memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from exokg.core.resources import KG_FILE
from exokg.query.store import open_store
from exokg.text.resolve import ask

QUESTION = "exosomes-promoting-tumour-progression"
pytestmark = pytest.mark.skipif(not KG_FILE.is_file(), reason="no built graph: run `exokg build`")


def _ask(cache: Path, *extra: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exokg", "ask", QUESTION, "--format", "csv", *extra],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ | {"XDG_CACHE_HOME": str(cache)} | env,
    )


def _stores(cache: Path) -> list[Path]:
    return sorted((cache / "exokg").glob("store-*"))


def test_the_first_ask_builds_the_store_and_later_ones_reuse_it(tmp_path: Path) -> None:
    parsed = _ask(tmp_path, EXOKG_NO_STORE_CACHE="1")
    assert parsed.returncode == 0, parsed.stderr
    assert _stores(tmp_path) == []
    first = _ask(tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == parsed.stdout
    [store] = _stores(tmp_path)
    assert (store.stat().st_mode & 0o777) == 0o700
    built = store.stat().st_mtime_ns
    again = _ask(tmp_path)
    assert again.stdout == parsed.stdout
    assert _stores(tmp_path) == [store] and store.stat().st_mtime_ns == built
    assert [p.name for p in (tmp_path / "exokg").iterdir()] == [
        store.name
    ]  # no building folder left


def test_every_question_reads_the_same_from_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exokg.query.questions import list_questions
    from tests.query.test_questions import BUILT_PARAMS

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cached = open_store()
    assert _stores(tmp_path), "the default graph was parsed, not kept as a store"
    monkeypatch.setenv("EXOKG_NO_STORE_CACHE", "1")
    parsed = open_store()
    for question in list_questions():
        params = BUILT_PARAMS.get(question.name)
        assert (
            ask(question.name, params, executor=cached).rows
            == ask(question.name, params, executor=parsed).rows
        ), question.name


def test_a_store_someone_else_could_write_is_not_used_nor_removed(tmp_path: Path) -> None:
    assert _ask(tmp_path).returncode == 0
    [store] = _stores(tmp_path)
    store.chmod(0o777)  # as if another user could have put their own data there
    (store / "theirs.txt").write_text("kept", encoding="utf-8")
    answer = _ask(tmp_path)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout == _ask(tmp_path, EXOKG_NO_STORE_CACHE="1").stdout
    assert (store / "theirs.txt").read_text(encoding="utf-8") == "kept"


def test_a_cache_folder_that_cannot_be_written_still_answers(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")  # XDG_CACHE_HOME/exokg cannot be created under a file
    answer = _ask(blocked)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout == _ask(tmp_path, EXOKG_NO_STORE_CACHE="1").stdout
    assert answer.stderr == ""


def test_an_answer_asked_before_is_read_back_without_opening_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.query.test_questions import BUILT_PARAMS

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    params = BUILT_PARAMS.get("evidence-for")
    first = open_store()
    asked = ask("evidence-for", params, executor=first)
    limited = ask(QUESTION, executor=first, limit=3)
    assert first._engine is not None  # answered by Oxigraph, and kept
    again = open_store()
    assert ask("evidence-for", params, executor=again).rows == asked.rows
    assert ask(QUESTION, executor=again, limit=3).rows == limited.rows and limited.truncated
    assert again._engine is None, "a kept answer opened the store"
    # a query not asked before opens it, and gets its own answer
    assert ask(QUESTION, executor=again, limit=4).rows[:3] == limited.rows
    assert again._engine is not None
    monkeypatch.setenv("EXOKG_NO_STORE_CACHE", "1")
    assert ask("evidence-for", params, executor=open_store()).rows == asked.rows


def test_an_answer_kept_whole_serves_every_limit_without_opening_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """exokg cuts an answer to its limit by taking the engine's first rows, so ``--limit 5`` is the
    first five rows of the whole answer: asked again with any limit, the kept answer serves it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    whole = ask(QUESTION, executor=open_store())
    assert len(whole.rows) > 5 and not whole.truncated
    again = open_store()
    five = ask(QUESTION, executor=again, limit=5)
    exact = ask(QUESTION, executor=again, limit=len(whole.rows))
    more = ask(QUESTION, executor=again, limit=len(whole.rows) + 10)
    assert again._engine is None, "a limit of a question kept whole opened the store"
    assert (five.rows, five.truncated) == (whole.rows[:5], True)
    assert (exact.rows, exact.truncated) == (whole.rows, False)
    assert (more.rows, more.truncated) == (whole.rows, False)
    # the same limits asked of the engine itself give the same rows and the same 'cut off' flag
    monkeypatch.setenv("EXOKG_NO_STORE_CACHE", "1")
    parsed = open_store()
    for limit, kept in ((5, five), (len(whole.rows), exact), (len(whole.rows) + 10, more)):
        fresh = ask(QUESTION, executor=parsed, limit=limit)
        assert (fresh.rows, fresh.truncated) == (kept.rows, kept.truncated)


def test_an_answer_kept_cut_short_does_not_serve_a_larger_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    three = ask(QUESTION, executor=open_store(), limit=3)
    assert three.truncated
    again = open_store()
    assert ask(QUESTION, executor=again, limit=2).rows == three.rows[:2]
    assert again._engine is None
    whole = ask(QUESTION, executor=again)
    assert again._engine is not None, "rows a kept answer does not have were made up"
    assert whole.rows[:3] == three.rows and not whole.truncated
    # the larger answer is kept in the smaller one's place and serves both from now on
    last = open_store()
    assert ask(QUESTION, executor=last).rows == whole.rows
    assert ask(QUESTION, executor=last, limit=3).rows == three.rows
    assert last._engine is None


def test_a_damaged_kept_answer_is_asked_again(tmp_path: Path) -> None:
    expected = _ask(tmp_path, EXOKG_NO_STORE_CACHE="1").stdout
    assert _ask(tmp_path).stdout == expected
    [store] = _stores(tmp_path)
    kept = sorted((store / "answers").glob("*.answer"))
    assert kept, "no answer was kept"
    for answer in kept:
        answer.write_bytes(answer.read_bytes()[:20])
    assert _ask(tmp_path).stdout == expected
    assert _ask(tmp_path).stdout == expected  # rewritten whole by the ask before


def test_an_answer_is_kept_apart_for_each_set_of_allowed_service_endpoints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answer = open_store().select(query)
    again = open_store()
    assert again.select(query).rows == answer.rows and again._engine is None
    # checked when it was kept with no SERVICE allowed: not read back for a store that allows one
    other = open_store(allow_service=["http://127.0.0.1:9/sparql"])
    assert other.select(query).rows == answer.rows
    assert other._engine is not None


def test_the_answers_kept_stay_within_their_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exokg.query import kept

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(kept, "MAX_BYTES", 4000)
    store = open_store()
    for n in range(1, 40):  # forty distinct queries, each answer some hundred bytes
        store.select(f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {n}")
    [folder] = _stores(tmp_path)
    sizes = [f.stat().st_size for f in (folder / "answers").glob("*.answer")]
    assert 0 < sum(sizes) <= 4000
    latest = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 39"
    again = open_store()
    assert again.select(latest).rows == store.select(latest).rows and again._engine is None


def test_an_answer_that_changes_each_time_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    query = "SELECT (RAND() AS ?r) (STRUUID() AS ?u) WHERE {}"
    first = open_store().select(query)
    again = open_store()
    assert again.select(query).rows != first.rows
    assert again._engine is not None


def test_a_kept_answer_others_could_write_is_not_read(tmp_path: Path) -> None:
    """A kept answer is read back without the query check: one that is a link, or in a file or folder
    that others may write, is asked again instead. Each is forged here to hold no rows."""
    import marshal

    expected = _ask(tmp_path, EXOKG_NO_STORE_CACHE="1").stdout
    assert _ask(tmp_path).stdout == expected
    [store] = _stores(tmp_path)
    folder = store / "answers"

    def forge() -> list[Path]:
        kept = sorted(folder.glob("*.answer"))
        for path in kept:
            key, variables, _rows, boolean, truncated = marshal.loads(path.read_bytes())
            path.write_bytes(marshal.dumps((key, variables, [], boolean, truncated)))
        return kept

    for path in forge():  # the forgery itself, in the user's own files, is read back
        path.chmod(0o600)
    assert _ask(tmp_path).stdout != expected
    for path in forge():
        forged = tmp_path / path.name
        path.rename(forged)
        path.symlink_to(forged)
    assert _ask(tmp_path).stdout == expected
    for path in forge():
        path.chmod(0o666)
    assert _ask(tmp_path).stdout == expected
    for path in forge():
        path.chmod(0o600)
    folder.chmod(0o777)
    assert _ask(tmp_path).stdout == expected


def test_a_new_graph_replaces_its_own_store_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two checkouts (or the shipped graph and a user's own) keep a store each: rebuilding one graph
    removes that graph's earlier store, never the other's, which another exokg may have open."""
    import shutil

    from exokg.core.resources import KG_FILE
    from exokg.query.store import _cached_store_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first, second = tmp_path / "a" / "kg.nq", tmp_path / "b" / "kg.nq"
    for graph in (first, second):
        graph.parent.mkdir()
        shutil.copyfile(KG_FILE, graph)
    mine, theirs = _cached_store_dir(first), _cached_store_dir(second)
    assert (
        mine and theirs and mine != theirs and _stores(tmp_path / "cache") == sorted([mine, theirs])
    )
    with first.open("a", encoding="utf-8") as graph:  # the first checkout rebuilds its graph
        graph.write("\n")
    rebuilt = _cached_store_dir(first)
    assert rebuilt and rebuilt not in (mine, theirs)
    assert _stores(tmp_path / "cache") == sorted([rebuilt, theirs])


def test_a_kept_answer_of_another_shape_is_asked_again(tmp_path: Path) -> None:
    """A kept answer of the user's own, well stamped, but not of the shape exokg writes (rows as a
    number, cells of the wrong width, a boolean 'yes') is a miss, never an internal error."""
    import marshal

    expected = _ask(tmp_path, EXOKG_NO_STORE_CACHE="1").stdout
    assert _ask(tmp_path).stdout == expected
    [store] = _stores(tmp_path)
    kept = sorted((store / "answers").glob("*.answer"))
    for broken in (
        lambda v, r, b, t: (v, 7, b, t),
        lambda v, r, b, t: ([1, 2], r, b, t),
        lambda v, r, b, t: (v, [row[:-1] for row in r], b, t),
        lambda v, r, b, t: (v, [tuple("x" for _ in row) for row in r], b, t),
        lambda v, r, b, t: (v, r, "yes", t),
        lambda v, r, b, t: (v, r, b, None),
    ):
        for path in kept:
            key, *answer = marshal.loads(path.read_bytes())
            path.write_bytes(marshal.dumps((key, *broken(*answer))))
        result = _ask(tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected
