"""One lexical index of exokg's terms: exact lookup, fuzzy search and text annotation.

The index holds every name the compiled graph gives a term — ``rdfs:label``, oboInOwl exact, related,
broad and narrow synonyms, database cross-references, the CURIE itself — with the term's organism (its
``RO:0002162`` *in taxon* restriction, asserted on it or on a superclass). A gene's label is its symbol.
Names are compared in a normal form that ignores case, hyphens and other separators (``MFG-E8`` =
``Mfge8``), spells Greek letters out (Greek alpha = ``alpha``) and accepts a plural of the last word
(``exosomes``, ``multivesicular bodies``, ``MVBs``).

The public API is small and stays stable:

* :func:`load_lexicon` — the index of a compiled graph, cached in the user's cache folder (keyed by the graph's digest);
  :func:`lexicon_from_executor` builds the same index from any SPARQL executor (a store or an endpoint).
* :meth:`Lexicon.lookup` — exact lookup of a name or CURIE: :class:`Candidate` rows, best match first.
* :meth:`Lexicon.search` — ranked fuzzy search (rapidfuzz), for ``exokg search`` and "did you mean".
* :meth:`Lexicon.annotate` — the terms a text mentions, as :class:`Span` rows (pyahocorasick),
  longest match first, abbreviations the text defines resolved, ambiguous symbols resolved by the
  organism the text names.

>>> lexicon = load_lexicon()  # doctest: +SKIP
>>> [c.curie for c in lexicon.lookup("MFG-E8", organism="mouse")]  # doctest: +SKIP
['MGI:102768']
>>> from exokg.text.annotate import annotate
>>> [(s.text, s.curies) for s in annotate(lexicon, "MVBs fuse with the plasma membrane.")]  # doctest: +SKIP
[('MVBs', ('GO:0005771',)), ('plasma membrane', ('GO:0005886',))]

Why these libraries: pyahocorasick finds every key in one pass over the text whatever the number of
keys (an Aho-Corasick automaton in C, maintained, wheels for every platform, no model to download);
rapidfuzz gives maintained, C++-fast edit-distance scorers (``WRatio`` copes with word order and
partial names). Both are imported only when annotate or search needs them.
"""

from __future__ import annotations

import json
from pathlib import Path

from exokg.core.prefixes import PREFIXES
from exokg.core.resources import KG_FILE, LEXICON_QUERY
from exokg.text.normal import _CURIE_LIKE, _tokens, _variants, normalise

TYPE_CHECKING = (
    False  # typing.TYPE_CHECKING without importing typing: term lookup is on `exokg ask`
)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from exokg.query.store import Executor

__all__ = [
    "KINDS",
    "Candidate",
    "Lexicon",
    "Span",
    "cache_path",
    "lexicon_from_executor",
    "load_lexicon",
    "normalise",
]

FORMAT = 2  # of the cache file; bump when the cached structure changes

KINDS = (
    "CURIE",
    "label",
    "gene symbol",
    "exact synonym",
    "xref",
    "related synonym",
    "narrow synonym",
    "broad synonym",
    "abbreviation",
    "cell of origin",
)
"""How a name matched, best first. ``abbreviation``: a short form the annotated text itself defines;
``cell of origin``: a vesicle type and a cell type whose logical definition the class has
(:mod:`exokg.text.compose`)."""

# Lookup prefers the best tier: a label beats a related synonym of another term.
_TIER = {
    "CURIE": 0,
    "label": 1,
    "gene symbol": 1,
    "exact synonym": 2,
    "xref": 2,
    "related synonym": 3,
    "narrow synonym": 3,
    "broad synonym": 4,
    "abbreviation": 1,
    "cell of origin": 2,
}
_FIELD_KIND = {
    "label": "label",
    "exact": "exact synonym",
    "related": "related synonym",
    "broad": "broad synonym",
    "narrow": "narrow synonym",
    "xref": "xref",
}
_TYPES = {
    PREFIXES["owl"] + "Class": "class",
    PREFIXES["owl"] + "ObjectProperty": "relation",
    PREFIXES["owl"] + "AnnotationProperty": "annotation property",
    PREFIXES["dcterms"] + "BibliographicResource": "source",
}
_GENE_PREFIXES = ("hgnc", "MGI", "NCBIGene")
_TAXON = PREFIXES["NCBITaxon"]

# --- what the index returns -----------------------------------------------------------------------


class Candidate:
    """A term a name may stand for: its CURIE, label, organism, and how the name matched."""

    __slots__ = ("curie", "iri", "kind", "label", "name", "organism", "organism_label", "type")

    def __init__(
        self,
        *,
        curie: str,
        iri: str,
        label: str,
        type: str,
        organism: str | None,
        organism_label: str | None,
        kind: str,
        name: str,
    ) -> None:
        self.curie, self.iri, self.label, self.type = curie, iri, label, type
        self.organism, self.organism_label = organism, organism_label
        self.kind, self.name = kind, name

    @property
    def short_label(self) -> str:
        """The label without a trailing ``(organism)`` that the organism column or suffix says."""
        if self.organism_label and self.label.endswith(f" ({self.organism_label})"):
            return self.label[: -len(self.organism_label) - 3]
        return self.label

    def describe(self) -> str:
        """``label [CURIE] (organism)``, as the CLI and error messages show a candidate."""
        organism = f" ({self.organism_label})" if self.organism_label else ""
        return f"{self.short_label} [{self.curie}]{organism}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "curie": self.curie,
            "iri": self.iri,
            "label": self.label,
            "type": self.type,
            "organism": self.organism,
            "organism_label": self.organism_label,
            "kind": self.kind,
            "name": self.name,
        }

    def __repr__(self) -> str:
        return f"Candidate({self.curie!r}, {self.label!r}, kind={self.kind!r})"


class Span:
    """A stretch of annotated text (``text[start:end]``) and the terms it names.

    One candidate when the span is resolved; several when it stays ambiguous (``ambiguous`` True), for
    example a gene symbol of mouse and human in a text that names neither organism. ``kind`` is how the
    name matched (one of :data:`KINDS`); ``note`` says how an ambiguity was settled, if it was.
    """

    __slots__ = ("candidates", "end", "kind", "note", "start", "text")

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        candidates: tuple[Candidate, ...],
        kind: str,
        note: str = "",
    ) -> None:
        self.start, self.end, self.text = start, end, text
        self.candidates, self.kind, self.note = candidates, kind, note

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    @property
    def curies(self) -> tuple[str, ...]:
        return tuple(c.curie for c in self.candidates)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "ambiguous": self.ambiguous,
            "note": self.note,
            "candidates": [c.as_dict() for c in self.candidates],
        }

    def __repr__(self) -> str:
        return f"Span({self.start}, {self.end}, {self.text!r}, {self.curies!r}, kind={self.kind!r})"


# --- the index ------------------------------------------------------------------------------------


class Lexicon:
    """Every named term of a graph and the normal forms of its names. Build with :func:`load_lexicon`.

    ``terms`` maps a CURIE to its record: ``iri``, ``label``, ``type`` (class, relation, annotation
    property, source, other), ``organism`` (a CURIE or None), ``deprecated`` and ``names`` (pairs of
    name and match kind).
    """

    def __init__(self, terms: dict[str, dict[str, Any]], digest: str = "") -> None:
        self.terms = terms
        self.digest = digest
        self._index: dict[str, list[tuple[str, str, str]]] = {}
        for curie, record in terms.items():
            for name, kind in record["names"]:
                keys = {normalise(name)} if kind in ("CURIE", "xref") else _variants(name)
                for key in keys:
                    self._index.setdefault(key, []).append((curie, kind, name))
        self._automaton: Any = None
        # normal form and "is the hit a plain lower-case word" -> candidates (exokg.text.annotate)
        self._annotation_memo: dict[tuple[str, bool], tuple[Candidate, ...]] = {}
        self._choices: list[tuple[str, str, str]] | None = None
        self._by_iri = {record["iri"]: curie for curie, record in terms.items()}
        self._definitions: Any = None  # cell-of-origin definitions (exokg.text.compose)

    # --- exact lookup ---

    def term(self, curie_or_iri: str) -> dict[str, Any] | None:
        """The record of a term named by CURIE or IRI, or None."""
        if curie_or_iri in self.terms:
            return self.terms[curie_or_iri]
        curie = self._by_iri.get(curie_or_iri)
        return self.terms[curie] if curie else None

    def candidate(self, curie: str, kind: str, name: str) -> Candidate:
        record = self.terms[curie]
        organism = record["organism"]
        organism_record = self.terms.get(organism) if organism else None
        return Candidate(
            curie=curie,
            iri=record["iri"],
            label=record["label"],
            type=record["type"],
            organism=organism,
            organism_label=_common_name(organism_record) if organism_record else None,
            kind=kind,
            name=name,
        )

    def lookup(
        self, name: str, *, organism: str | None = None, types: Iterable[str] | None = None
    ) -> list[Candidate]:
        """The terms ``name`` names exactly (in normal form), best match first, one row per term.

        Only the best tier is kept: a term labelled ``name`` hides another whose related synonym it
        is. ``organism`` (a CURIE, ``mouse``, ``human``, a taxon's label) keeps the candidates of that
        organism (and those with none); ``types`` keeps those of these types (e.g. ``{"class"}``).
        """
        found: dict[str, tuple[str, str]] = {}
        for curie, kind, shown in self._index.get(normalise(name), ()):
            if curie not in found or _TIER[kind] < _TIER[found[curie][0]]:
                found[curie] = (kind, shown)
        if types is not None:
            wanted = set(types)
            found = {c: v for c, v in found.items() if self.terms[c]["type"] in wanted}
        if organism is not None and found:
            taxon = self.organism(organism)
            found = {
                c: v
                for c, v in found.items()
                if self.terms[c]["organism"] in (None, taxon) or c == taxon
            }
        if not found:
            return []
        best = min(_TIER[kind] for kind, _ in found.values())
        rows = [
            self.candidate(curie, kind, shown)
            for curie, (kind, shown) in found.items()
            if _TIER[kind] == best
        ]
        return sorted(rows, key=lambda c: (c.organism or "", c.label.lower(), c.curie))

    def _taxon(self, text: str) -> str:
        from exokg.core.errors import UsageError

        try:
            return self.organism(text)
        except KeyError:
            raise UsageError(
                f"no organism of the graph is called {text!r}",
                where="--organism",
                fix="give mouse, human or an NCBITaxon CURIE such as NCBITaxon:10090",
            ) from None

    def organism(self, text: str) -> str:
        """The taxon CURIE that ``text`` (``mouse``, ``Homo sapiens``, ``NCBITaxon:10090``) names.

        Raises ``KeyError`` when no taxon in the graph has that name.
        """
        for curie, _kind, _name in self._index.get(normalise(text), ()):
            if self.terms[curie]["iri"].startswith(_TAXON):
                return curie
        raise KeyError(text)

    # --- fuzzy search ---

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        cutoff: float = 60.0,
        types: Iterable[str] | None = None,
        organism: str | None = None,
    ) -> list[tuple[Candidate, float]]:
        """Terms ranked by how well one of their names matches ``text`` (score 0 to 100; exact is 100).

        Names are compared with rapidfuzz's ``WRatio`` on lower-cased, separator-free words, so word
        order, a missing word or a typo cost a few points instead of the match; ``organism`` (mouse,
        human, a taxon CURIE) keeps that organism's terms and those of none; a name of fewer words
        than the text loses up to 10 points more, so a generic word inside the text ("cell") never
        outranks a name that covers more of it. A vesicle named by its cell of origin ("exosomes from
        4T1 cells") finds the classes whose logical definition says so (:mod:`exokg.text.compose`),
        scored 94 to 100. One row per term.
        """
        from rapidfuzz import fuzz, process, utils

        wanted = set(types) if types is not None else None
        if self._choices is None:
            self._choices = [
                (curie, kind, name)
                for curie, record in self.terms.items()
                for name, kind in record["names"]
            ]
        best: dict[str, tuple[float, int, str, str]] = {}
        for candidate in self.lookup(text):
            best[candidate.curie] = (100.0, _TIER[candidate.kind], candidate.kind, candidate.name)
        from exokg.text.compose import compose

        for composed in compose(self, text, limit=limit):  # "dendritic cell exosomes"
            if composed.curie not in best:
                best[composed.curie] = (composed.score, 2, "cell of origin", composed.label)
        query = utils.default_process(_spaced(text))
        query_words = len(query.split())
        curie_like = _CURIE_LIKE.fullmatch(text.strip()) is not None
        if curie_like:  # GO:9999999 is close to other GO CURIEs only if its digits are
            choices = [
                i for i, (_, kind, _) in enumerate(self._choices) if kind in ("CURIE", "xref")
            ]
            scorer, cutoff = fuzz.ratio, max(cutoff, 80.0)
        else:  # a short text would match inside longer words ("MET" in "method") with WRatio
            choices = list(range(len(self._choices)))
            scorer = fuzz.WRatio if len(query) > 4 else fuzz.token_ratio
        names = [utils.default_process(_spaced(self._choices[i][2])) for i in choices]
        for _, score, j in process.extract(
            query,
            names,
            scorer=scorer,
            processor=None,
            limit=max(limit * 8, 50),
            score_cutoff=cutoff,
        ):
            i = choices[j]
            curie, kind, name = self._choices[i]
            score = float(score)
            words = len(names[j].split())
            if words < query_words:  # a part of the text: "cell" in "dendritic cell exosomes"
                score -= 10.0 * (1 - words / query_words)
            key = (score, -_TIER[kind])
            if curie not in best or key > (best[curie][0], -best[curie][1]):
                best[curie] = (score, _TIER[kind], kind, name)
        taxon = self._taxon(organism) if organism is not None else None
        rows = []
        for curie, (score, _, kind, name) in best.items():
            if wanted is not None and self.terms[curie]["type"] not in wanted:
                continue
            if taxon is not None and self.terms[curie]["organism"] not in (None, taxon):
                continue
            if self.terms[curie]["deprecated"]:
                score -= 1
            rows.append((self.candidate(curie, kind, name), round(score, 1)))
        rows.sort(key=lambda r: (-r[1], _TIER[r[0].kind], len(r[0].label), r[0].curie))
        return rows[:limit]

    def suggest(self, text: str, *, limit: int = 3, types: Iterable[str] | None = None) -> str:
        """``"did you mean …?"`` text for a name that matched nothing, or "" when nothing is close."""
        rows = self.search(text, limit=limit, types=types)
        if not rows:
            return ""
        shown = ", ".join(f"{c.label!r} [{c.curie}]" for c, _ in rows)
        return f"did you mean {shown}?"

    # --- annotation ---

    def automaton(self) -> Any:
        """The Aho-Corasick automaton over every normal form (built on first use)."""
        if self._automaton is None:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for key in self._index:
                automaton.add_word(key, key)
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def entries(self, key: str) -> list[tuple[str, str, str]]:
        """``(CURIE, kind, name)`` for every name whose normal form is ``key``."""
        return self._index.get(key, [])

    def to_json(self) -> str:
        return json.dumps(
            {"format": FORMAT, "digest": self.digest, "terms": self.terms},
            ensure_ascii=False,
            separators=(",", ":"),
        )


def _spaced(text: str) -> str:
    return " ".join(w for w, _, _, _ in _tokens(text))


def _common_name(taxon: dict[str, Any]) -> str:
    """``mouse`` for Mus musculus: the shortest exact synonym of a taxon, else its label."""
    common = [n for n, kind in taxon["names"] if kind == "exact synonym"]
    return min(common, key=len) if common else str(taxon["label"])


# --- building and caching -------------------------------------------------------------------------


def _curie(iri: str) -> str:
    from exokg.core.prefixes import compact

    return compact(iri)


def _records(rows: Iterable[tuple[str, str, str]]) -> dict[str, dict[str, Any]]:
    """Term records from the rows of ``queries/lookup/lexicon.rq`` (term IRI, field, value)."""
    raw: dict[str, dict[str, list[str]]] = {}
    for iri, field, value in rows:
        raw.setdefault(iri, {}).setdefault(field, []).append(value)
    terms: dict[str, dict[str, Any]] = {}
    for iri, fields in sorted(raw.items()):
        labels = sorted(fields.get("label", []))
        if not labels:
            continue
        curie = _curie(iri)
        types = [_TYPES[t] for t in fields.get("type", []) if t in _TYPES]
        kind = "class" if "class" in types else (types[0] if types else "other")
        gene = curie.split(":", 1)[0] in _GENE_PREFIXES
        extra: dict[str, list[str]] = {}
        names: list[list[str]] = []  # [name, kind] pairs, as lists: the cache is JSON
        if curie != iri:
            names.append([curie, "CURIE"])
        for label in labels:
            names.append([label, "gene symbol" if gene else "label"])
        for field in ("exact", "related", "narrow", "broad", "xref"):
            names += [[value, _FIELD_KIND[field]] for value in sorted(set(fields.get(field, [])))]
        taxa = sorted(_curie(t) for t in set(fields.get("taxon", [])))
        # a class named by its cell of origin (exokg.text.compose), and the types such names use
        for field in ("genus", "origin", "superclass", "operational"):
            if field in fields:
                extra[field] = sorted({_curie(v) for v in fields[field]})
        terms[curie] = {
            "iri": iri,
            "label": labels[0],
            "type": kind,
            "organism": taxa[0] if len(taxa) == 1 else None,
            "deprecated": bool(fields.get("deprecated")),
            "names": names,
            **extra,
        }
    return terms


def lexicon_from_executor(executor: Executor) -> Lexicon:
    """The lexicon of whatever graph ``executor`` answers for (a local store or an endpoint)."""
    sparql = LEXICON_QUERY.read_text(encoding="utf-8")
    solutions = executor.select(sparql, where=str(LEXICON_QUERY), timeout=60.0)
    rows = (
        (row[0].value, row[1].value, row[2].value)
        for row in solutions.rows
        if row[0] is not None and row[1] is not None and row[2] is not None
    )
    return Lexicon(_records(rows))


def _digest(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def cache_path(kg_file: Path = KG_FILE, digest: str = "") -> Path:
    """Where the lexicon of ``kg_file`` (whose SHA-256 is ``digest``) is cached: the user's cache
    folder, never beside the graph, which may lie where others can write
    (:mod:`exokg.text.lexicon_cache`)."""
    from exokg.core.resources import user_cache_dir

    return user_cache_dir() / f"lexicon-{digest[:24]}.json"


def load_lexicon(kg_file: Path = KG_FILE, *, cache: bool = True) -> Lexicon:
    """The lexicon of the compiled graph ``kg_file``, read from its cache when the cache is current.

    The cache is keyed by the SHA-256 digest of the graph file and lives in the user's cache folder
    (:func:`cache_path`); it is used only if it is the user's own, of the lexicon's shape and of the
    graph's digest (:mod:`exokg.text.lexicon_cache`). Any other is rebuilt silently (the graph loaded
    into an in-memory Oxigraph store and ``queries/lookup/lexicon.rq`` run on it) and written again.
    """
    kg_file = Path(kg_file)
    if not kg_file.is_file():
        from exokg.query.store import _missing

        raise _missing(kg_file)
    digest = _digest(kg_file)
    path = cache_path(kg_file, digest)
    if cache:
        from exokg.text.lexicon_cache import read_cache

        terms = read_cache(path, FORMAT, digest, frozenset(_TIER))
        if terms is not None:
            try:
                return Lexicon(terms, digest)
            except (TypeError, ValueError, KeyError, AttributeError):
                pass  # shaped, yet not a lexicon after all: rebuilt below
    from exokg.query.store import open_store

    lexicon = lexicon_from_executor(open_store(kg_file=kg_file))
    lexicon.digest = digest
    if cache:
        from exokg.text.lexicon_cache import write_cache

        write_cache(path, lexicon.to_json())
    return lexicon
