"""The store: the compiled graph, opened for read-only SPARQL in Oxigraph (default) or rdflib.

Every question and every ad-hoc query goes through :class:`Store.select`, which

* refuses what could change the graph or reach outside it (SPARQL Update, ``SERVICE``, ``FROM`` with
  a foreign IRI) *before* the query reaches an engine — see :mod:`exokg.query.sparql_check`;
* stops a runaway query after ``timeout`` seconds and returns at most ``limit`` rows;
* returns :class:`Solutions` made of plain :class:`Term` values, so formatting and tests do not care
  which engine answered, and another executor (a SPARQL endpoint, see ``serve.py``) can return the same.

The default backend loads ``ontology/build/exokg-kg.nq`` into an in-memory pyoxigraph store (fast: no
Turtle, no reasoning). With ``store_dir`` it keeps an on-disk Oxigraph store that is built once and then
reopened without parsing. ``backend="rdflib"`` loads the same file into rdflib's Memory store, for
comparison and for users who need rdflib's API; both give identical results on the question suite.

``Executor`` (the protocol a store and an endpoint share) and ``Backend`` are names for type checkers
only: import them under ``if TYPE_CHECKING:``. This module is on the path of every cold ``exokg ask``,
so it imports neither typing nor dataclasses at run time, and it holds only what an answer kept
beside the store needs: :class:`Term` and :class:`Solutions` live in :mod:`exokg.query.solutions`,
and running a query on an engine (the time limit, the ``VALUES`` block of :func:`bind_values`,
turning the engine's terms into ``Term``) in :mod:`exokg.query.engine`, imported when a query runs.
"""

from __future__ import annotations

import os
from pathlib import Path

from exokg.core.errors import DataError, UsageError, one_line
from exokg.core.resources import KG_FILE
from exokg.query.solutions import XSD_STRING, QueryTimeout, Solutions, Term

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping
    from typing import Any, Literal, Protocol

    import pyoxigraph

    from exokg.query.kept import KeptAnswers

    Backend = Literal["oxigraph", "rdflib"]
    TermKind = Literal["uri", "literal", "bnode"]

    class Executor(Protocol):
        """Anything that answers read-only SPARQL with bindings: a local :class:`Store` or an endpoint."""

        def select(
            self,
            sparql: str,
            bindings: Mapping[str, Term] | None = None,
            *,
            prefixes: Mapping[str, str] | None = None,
            limit: int | None = None,
            timeout: float = 30.0,
            where: str = "query",
        ) -> Solutions: ...


__all__ = [
    "XSD_STRING",
    "QueryTimeout",
    "Solutions",
    "Store",
    "Term",
    "cached_store",
    "open_store",
    "prepare_store_dir",
]


def __getattr__(name: str) -> Any:
    """``GRAPHS`` and ``check_query`` (from :mod:`exokg.query.sparql_check`), ``bind_values`` and
    ``where_group_start`` (from :mod:`exokg.query.engine`), imported on first use: a cold
    ``exokg ask`` whose answers are kept never needs them."""
    if name in ("GRAPHS", "check_query"):
        from exokg.query import sparql_check

        return getattr(sparql_check, name)
    if name in ("bind_values", "where_group_start"):
        from exokg.query import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


STAMP = "exokg-source.txt"  # in a --store directory: which graph file it was built from


# --- the store: kept answers, else a query run on an engine (exokg/query/engine.py) ---------------


class Store:
    """The compiled graph, ready for read-only SPARQL over the union of its four graphs."""

    def __init__(
        self,
        backend: Backend,
        engine: Any,
        allow_service: Collection[str] = (),
        *,
        opener: Callable[[], Any] | None = None,
        kept: KeptAnswers | None = None,
    ) -> None:
        self.backend = backend
        self._engine = engine
        self._opener = opener  # opens the engine on the first query that is not kept
        self.allow_service = frozenset(allow_service)
        self.kept = kept
        """Answers kept on disk (the shipped graph's store only): see :mod:`exokg.query.kept`."""

    @property
    def engine(self) -> Any:
        """The pyoxigraph store or rdflib dataset, opened on first use when an opener was given."""
        if self._engine is None and self._opener is not None:
            self._engine = self._opener()
        return self._engine

    def select(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        prefixes: Mapping[str, str] | None = None,
        limit: int | None = None,
        timeout: float = 30.0,
        where: str = "query",
    ) -> Solutions:
        """Answer a ``SELECT`` or ``ASK`` query; ``prefixes`` are predeclared for ad-hoc queries.

        A kept answer (see :mod:`exokg.query.kept`) was kept only after its query passed the check
        below, with the same ``SERVICE`` endpoints allowed (they are part of its key), so it is
        read back without checking again.
        """
        key = None
        if self.kept is not None:
            bound = [(k, v._key()) for k, v in (bindings or {}).items()]
            asked = list((prefixes or {}).items())
            key = self.kept.key(sparql, bound, asked, sorted(self.allow_service))
            kept = self.kept.get(key, limit)
            if kept is not None:
                return _unkept(*kept)
        from exokg.query.engine import (
            bounded,
            select_oxigraph,
            select_rdflib,
            service_failed,
            stopped,
        )
        from exokg.query.sparql_check import GRAPHS, check_query, is_federated, is_volatile

        read = check_query(
            sparql,
            prefixes=prefixes,
            allow_service=self.allow_service,
            allow_from=GRAPHS if self.backend == "oxigraph" else (),
            where=where,
        )
        # the engine is opened here, on the caller's thread, so that an error is the caller's
        engine, allowed = self.engine, self.allow_service

        federated = is_federated(read)

        def work() -> Solutions:
            try:
                if self.backend == "oxigraph":
                    return select_oxigraph(engine, sparql, bindings or {}, prefixes, limit, where)
                return select_rdflib(
                    engine, allowed, sparql, bindings or {}, prefixes, limit, where
                )
            except OSError as error:  # the engine's own call to a SERVICE endpoint
                if not federated:
                    raise
                raise service_failed(error, allowed, where) from None

        if self.backend == "rdflib" and hasattr(os, "fork"):
            # rdflib runs in Python: only a child process can be stopped (see exokg/query/isolate.py)
            from exokg.query.isolate import in_child

            return in_child(work, timeout, where, lambda: stopped(timeout, where))
        answer = bounded(work, timeout, where)
        if self.kept is not None and key is not None and not is_volatile(read):  # NOW(), RAND() …
            rows = [tuple(None if t is None else t._key() for t in row) for row in answer.rows]
            self.kept.put(key, (answer.variables, rows, answer.boolean, answer.truncated))
        return answer


def _unkept(
    variables: list[str],
    rows: list[tuple[tuple[str, str, str | None, str | None] | None, ...]],
    boolean: bool | None,
    truncated: bool,
) -> Solutions:
    """A kept answer (see :mod:`exokg.query.kept`) as :class:`Solutions`; each term made once."""
    terms: dict[Any, Term | None] = {None: None}

    def term(fields: tuple[str, str, str | None, str | None] | None) -> Term | None:
        if fields not in terms:
            kind, value, datatype, lang = fields  # type: ignore[misc]  # None is in terms
            terms[fields] = Term(kind, value, datatype, lang)  # type: ignore[arg-type]
        return terms[fields]

    return Solutions(variables, [tuple(term(f) for f in row) for row in rows], boolean, truncated)


# --- opening the graph ----------------------------------------------------------------------------


def open_store(
    backend: Backend = "oxigraph",
    *,
    kg_file: Path = KG_FILE,
    store_dir: Path | None = None,
    allow_service: Collection[str] = (),
) -> Store:
    """Open the compiled graph for questions.

    ``store_dir`` keeps an on-disk Oxigraph store: built from ``kg_file`` on first use (or when the
    file changed), then reopened read-only without parsing; it works even where ``kg_file`` is absent.

    >>> store = open_store()  # doctest: +SKIP
    >>> store.select("ASK { ?s ?p ?o }").boolean  # doctest: +SKIP
    True
    """
    if store_dir is not None:
        if backend != "oxigraph":
            raise UsageError(
                "--store holds an Oxigraph store", fix="drop --backend rdflib or drop --store"
            )
        return Store(backend, _open_store_dir(Path(store_dir), Path(kg_file)), allow_service)
    if not Path(kg_file).is_file():
        raise _missing(kg_file)
    if backend == "rdflib":
        return Store(backend, _load_rdflib(Path(kg_file)), allow_service)
    if Path(kg_file) == KG_FILE:
        folder = _cached_store_dir(Path(kg_file))
        if folder is not None:
            from exokg.query.kept import KeptAnswers

            def reopen() -> pyoxigraph.Store:
                import pyoxigraph as ox

                try:
                    return ox.Store.read_only(str(folder))
                except (OSError, SyntaxError):  # a store being replaced meanwhile: parse
                    return _load_oxigraph(Path(kg_file))

            kept = KeptAnswers(folder / "answers")
            return Store(backend, None, allow_service, opener=reopen, kept=kept)
    return Store(backend, _load_oxigraph(Path(kg_file)), allow_service)


def _load_oxigraph(kg_file: Path) -> pyoxigraph.Store:
    import pyoxigraph as ox

    engine = ox.Store()
    try:
        # lenient: the compiled graph was validated when it was built; skipping IRI checks halves the
        # load time.
        engine.load(path=str(kg_file), format=ox.RdfFormat.N_QUADS, lenient=True)
    except SyntaxError as error:
        raise DataError(
            f"not valid N-Quads: {one_line(str(error))}", where=str(kg_file), fix=_rebuild(kg_file)
        ) from None
    return engine


def _rebuild(kg_file: Path) -> str:
    """How to get a good graph: rebuild the shipped one, or give one as exokg build writes it."""
    if kg_file == KG_FILE:
        return "run `exokg build` to compile the graph"
    return (
        "give a compiled exokg graph in N-Quads, as `exokg build` writes ontology/build/exokg-kg.nq"
    )


def _missing(kg_file: Path) -> DataError:
    return DataError("the compiled graph does not exist", where=str(kg_file), fix=_rebuild(kg_file))


def _load_rdflib(kg_file: Path) -> Any:
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    try:
        dataset.parse(kg_file, format="nquads")
    except Exception as error:  # rdflib raises several parser exception types
        raise DataError(
            f"not valid N-Quads: {one_line(str(error))}", where=str(kg_file), fix=_rebuild(kg_file)
        ) from None
    return dataset


def prepare_store_dir(store_dir: Path, kg_file: Path = KG_FILE) -> Path:
    """Make ``store_dir`` an on-disk Oxigraph store of ``kg_file``, reusing it while it is current.

    The stamp (file name, size and modification time of the graph it was built from; the same stamp
    ``exokg serve`` writes) decides: a current store is reused as it is, without reading the graph; a
    store whose graph is absent is reused too. A new store is built beside the old one and moved in
    place only when complete. A directory with no stamp is never touched: it may be someone's data.
    """
    import pyoxigraph as ox

    stamp = store_dir / STAMP
    if store_dir.is_symlink() and not store_dir.exists():  # following it would create its target
        raise UsageError(
            f"the store is a link to {os.readlink(store_dir)}, which does not exist",
            where=str(store_dir),
            fix="remove the link, or pass --store a directory (new, empty or an exokg store)",
        )
    if store_dir.exists() and any(store_dir.iterdir()) and not stamp.is_file():
        raise UsageError(
            "the directory is not an exokg store and is not empty",
            where=str(store_dir),
            fix="pass a new or empty directory to --store",
        )
    if not kg_file.is_file():
        if stamp.is_file():
            return store_dir
        raise _missing(kg_file)
    info = kg_file.stat()
    current = f"{kg_file.name} {info.st_size} {info.st_mtime_ns}\n"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == current:
        return store_dir
    import shutil
    import tempfile

    if store_dir.is_symlink():  # a link to a store: the store it names is rebuilt, the link stays
        store_dir = store_dir.resolve()
    store_dir.parent.mkdir(parents=True, exist_ok=True)  # --store a/new/folder
    # A folder exokg creates for this build alone (never one of the user's, such as DIR.building)
    building = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.building-", dir=store_dir.parent))
    engine = ox.Store(str(building))
    try:
        # lenient: the IRIs are not validated again (exokg build wrote and checked them; the
        # in-memory store reads the same file the same way); N-Quads syntax is still checked. At
        # 10^5 statements it saves about 2 s of the build's 33 s of CPU time (median of 2 rounds,
        # benchmarks/results/20261207T2155Z-store-build-100000.md, benchmarks/store_build.py)
        engine.bulk_load(path=str(kg_file), format=ox.RdfFormat.N_QUADS, lenient=True)
        # Compacting the table files the bulk loader wrote (one RocksDB compaction) makes every later
        # read cheaper. At 10^5 statements: 6 s more here, twice the disk space, and each question
        # that takes over a second 1.4-2.3x faster (benchmarks/results/20261202T221401Z-store-costs.md)
        engine.optimize()
        engine.flush()
    except SyntaxError as error:
        del engine
        shutil.rmtree(building, ignore_errors=True)
        raise DataError(
            f"not valid N-Quads: {one_line(str(error))}", where=str(kg_file), fix=_rebuild(kg_file)
        ) from None
    del engine  # closes the database files before they move
    (building / STAMP).write_text(current, encoding="utf-8")
    if store_dir.exists():
        shutil.rmtree(store_dir)
    building.rename(store_dir)
    return store_dir


def _open_store_dir(store_dir: Path, kg_file: Path) -> pyoxigraph.Store:
    import pyoxigraph as ox

    return ox.Store.read_only(str(prepare_store_dir(store_dir, kg_file)))


# --- the default graph, kept as a store in the user's cache folder --------------------------------


def cached_store(kg_file: Path) -> pyoxigraph.Store | None:
    """``kg_file`` as a read-only on-disk store kept in the user's cache folder, built on first use.

    Parsing the shipped 2.6 MB of N-Quads was the largest part of a cold ``exokg ask`` (about 20 ms,
    more than importing pyoxigraph); reopening a store costs less than half of that. The store is
    named by the graph's path, size and modification time, so a rebuilt graph gets a new one (the old
    one is removed when the new one is built). It is built in a folder exokg creates for it and moved
    into place when complete; it is used only if it is a real folder owned by this user, writable by
    no one else, holding the stamp of this graph. ``None`` (the caller parses the file) when the cache
    folder cannot be used or ``EXOKG_NO_STORE_CACHE`` is set.
    """
    path = _cached_store_dir(kg_file)
    if path is None:
        return None
    import pyoxigraph as ox

    try:
        return ox.Store.read_only(str(path))
    except (OSError, SyntaxError):  # a store being replaced: parse
        return None


def _cached_store_dir(kg_file: Path) -> Path | None:
    """The folder of :func:`cached_store`'s store of ``kg_file``, built if needed; ``None`` when the
    cache folder cannot be used or ``EXOKG_NO_STORE_CACHE`` is set."""
    from exokg.core.resources import user_cache_dir

    if os.environ.get("EXOKG_NO_STORE_CACHE"):
        return None
    import zlib

    try:
        info = kg_file.stat()
        stamp = f"{kg_file.resolve()}\n{info.st_size} {info.st_mtime_ns}\n"
        root = user_cache_dir()
        path = root / f"store-{zlib.crc32(stamp.encode('utf-8')):08x}"  # hashlib costs a start more
        if not _ours(path, stamp):
            path = _build_cached(kg_file, root, path, stamp)
        return path
    except (OSError, SyntaxError):  # no usable cache folder: parse
        return None


def _ours(path: Path, stamp: str | None = None) -> bool:
    """``path`` is a store folder this user made: not a link, owned by us, writable by us only, and
    (with ``stamp``) built from that graph."""
    from exokg.core.resources import owned

    if not owned(path, folder=True):
        return False
    try:
        return stamp is None or (path / STAMP).read_text(encoding="utf-8") == stamp
    except (OSError, ValueError):
        return False


def _same_file(store: Path, stamp: str) -> bool:
    """Whether ``store`` was built from the graph file ``stamp`` names (its first line, the path)."""
    try:
        built = (store / STAMP).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return True  # no readable stamp: a half-built or broken store of ours, not worth keeping
    return built.partition("\n")[0] == stamp.partition("\n")[0]


def _build_cached(kg_file: Path, root: Path, path: Path, stamp: str) -> Path:
    import shutil
    import tempfile

    import pyoxigraph as ox

    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=root))  # ours, mode 0700
    try:
        engine = ox.Store(str(building / "db"))
        engine.bulk_load(path=str(kg_file), format=ox.RdfFormat.N_QUADS, lenient=True)
        engine.flush()
        del engine  # closes the database files before they move
        (building / "db" / STAMP).write_text(stamp, encoding="utf-8")
        os.chmod(building / "db", 0o700)
        # the stores of earlier versions of this same graph file, if we made them; a store of
        # another file (another checkout, the user's own --kg) may be open in another exokg
        for old in root.glob("store-*"):
            if old != path and _ours(old) and _same_file(old, stamp):
                shutil.rmtree(old, ignore_errors=True)
        if _ours(path):  # a stale or half-removed store of ours with this name
            shutil.rmtree(path, ignore_errors=True)
        try:
            os.rename(building / "db", path)
        except OSError:  # another exokg built it meanwhile: use theirs if it is good
            if not _ours(path, stamp):
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return path
