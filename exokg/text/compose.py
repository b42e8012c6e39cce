"""Vesicles named by their cell of origin: "dendritic cell exosomes", "sEVs from 4T1 cells".

Biologists name a vesicle by its type and the cell that released it, in any order and with any
connecting words. exokg's ontology already says what such names mean: each cell-of-origin class has a
logical definition, a vesicle type (its *genus*) and ``RO:0003001`` *produced by* some cell type (its
*origin*) — ``dendritic-cell-derived exosome`` is an extracellular exosome produced by a dendritic cell.
:func:`compose` reads a name as a vesicle type plus a cell type, each looked up in the lexicon, and
returns the defined classes that fit, best first. The definitions, the superclasses of the types they
use and the operational classes findings sit on come from the compiled graph (``queries/lookup/
lexicon.rq``, cached with the lexicon); no name is listed here by hand.

How a name is read:

1. One run of its words names a vesicle type that some definition uses (``exosomes``, ``small EVs``,
   ``sEV``, ``microvesicles``, ``EVs``), by any of its names in the lexicon's normal form (any case,
   hyphens, plural, British or American spelling).
2. The other words, less connecting words (``from``, ``derived``, ``released by`` …) and organism
   names (``mouse``), name a cell type: as a name of a cell type (``4T1 cells``, ``mature DC``), as
   that name plus ``cell`` (``melanoma`` → ``melanoma cell``, ``tumour`` → ``tumour cell``), or as the
   cell part of another name of a defined class (``DC-derived exosome`` teaches that ``DC`` is the
   dendritic cell of that class's definition).
3. Each defined class is ranked by how close its origin is to the cell named (the same; a broader cell
   than named; a narrower one) and then its genus to the vesicle type named (the same; a subtype of
   it; a sibling type). Between classes equally close, the operational one (the class findings that
   the authors reported as the other sit on) comes first; right after a class come its operational
   classes, so "dendritic cell exosomes" gives the authors' class and then the one findings sit on.

>>> from exokg.text.lexicon import load_lexicon
>>> [c.curie for c in compose(load_lexicon(), "exosomes from dendritic cells")][:2]  # doctest: +SKIP
['EXOKG:0000024', 'EXOKG:0000032']
"""

from __future__ import annotations

import itertools
import re

from exokg.text.normal import _tokens_of, _variants, normalise

TYPE_CHECKING = False
if TYPE_CHECKING:
    from exokg.text.lexicon import Lexicon

__all__ = ["Composed", "compose", "vesicle_types"]

# Words that join a vesicle word and a cell word without naming either (in the lexicon's normal form).
_CONNECTORS = frozenset(
    {"from", "of", "by", "derived", "released", "secreted", "produced", "shed", "isolated"}
    | {"purified", "obtained", "the"}
)
_CELL_WORDS = frozenset({"cell", "cells"})
_WORD = re.compile(r"[^\W_]+(?:/[^\W_]+)*")  # "TS/A" is one word here


class Composed:
    """A defined class a name may mean: its CURIE, label, genus and origin, and how close it is.

    ``cell_distance`` is 0 when the class's origin is the cell named, 1 when it is broader, 2 when
    narrower; ``genus_distance`` is 0 for the vesicle type named, 1 for a subtype, 2 for a sibling.
    ``score`` (up to 100) ranks them in search. ``operational`` lists the classes findings that the
    authors reported as this class sit on.
    """

    __slots__ = (
        "cell_distance",
        "curie",
        "genus",
        "genus_distance",
        "label",
        "operational",
        "origin",
        "score",
    )

    def __init__(
        self,
        curie: str,
        label: str,
        genus: str,
        origin: str,
        cell_distance: int,
        genus_distance: int,
        operational: tuple[str, ...],
    ) -> None:
        self.curie, self.label, self.genus, self.origin = curie, label, genus, origin
        self.cell_distance, self.genus_distance = cell_distance, genus_distance
        self.operational = operational
        self.score = 100.0 - 2 * cell_distance - genus_distance

    @property
    def exact(self) -> bool:
        """The name states this class's definition exactly (same vesicle type, same cell)."""
        return self.cell_distance == 0 and self.genus_distance == 0

    def __repr__(self) -> str:
        return f"Composed({self.curie!r}, {self.label!r}, score={self.score})"


class _Definitions:
    """The cell-of-origin definitions of one lexicon, and the names learnt from them."""

    def __init__(self, lexicon: Lexicon) -> None:
        terms = lexicon.terms
        self.defined = {
            curie: (genus, origin)
            for curie, record in terms.items()
            if not record.get("deprecated")
            for genus, origin in itertools.product(
                record.get("genus", ()), record.get("origin", ())
            )
        }
        self.genera = {genus for genus, _ in self.defined.values()}
        self.origins = {origin for _, origin in self.defined.values()}
        self.superclasses = {
            curie: set(terms[curie].get("superclass", ())) if curie in terms else set()
            for curie in self.genera | self.origins
        }
        broader = (
            set().union(*(self.superclasses[o] for o in self.origins)) if self.origins else set()
        )
        self.cells = self.origins | broader
        self.operational = {
            curie: tuple(c for c in terms[curie].get("operational", ()) if c in self.defined)
            for curie in self.defined
        }
        self.is_operational = {c for ops in self.operational.values() for c in ops}
        self.learnt = self._learn(lexicon)

    def _learn(self, lexicon: Lexicon) -> dict[str, set[str]]:
        """Cell names read off the names of defined classes: "DC-derived exosome" → DC."""
        learnt: dict[str, set[str]] = {}
        for curie, (genus, origin) in self.defined.items():
            genus_names = [_words(name) for name, _ in lexicon.terms[genus]["names"]]
            for name, kind in lexicon.terms[curie]["names"]:
                if kind in ("CURIE", "xref"):
                    continue
                words = _words(name)
                for part in genus_names:
                    rest = _without(words, part)
                    if rest is None:
                        continue
                    cell = [w for w in rest if w not in _CONNECTORS]
                    if cell and cell != words:
                        for key in _variants(" ".join(cell)):
                            learnt.setdefault(key, set()).add(origin)
        return learnt

    def cell_types(self, lexicon: Lexicon, words: list[str]) -> set[str]:
        """The cell types (origins or broader) that these words name."""
        text = " ".join(words)
        found = set(self.learnt.get(normalise(text), ()))
        names = [text] if words[-1].lower() in _CELL_WORDS else [text, text + " cell"]
        for name in names:
            found |= {c.curie for c in lexicon.lookup(name, types={"class"})}
        return found & self.cells


def _words(text: str) -> list[str]:
    return [word for word, _, _, _ in _tokens_of(text)]


def _without(words: list[str], part: list[str]) -> list[str] | None:
    """``words`` less one run equal to ``part`` (the last word may be plural), or None."""
    n = len(part)
    if not n:
        return None
    for i in range(len(words) - n + 1):
        window = words[i : i + n]
        if window[:-1] == part[:-1] and window[-1] in (part[-1], part[-1] + "s", part[-1] + "es"):
            return words[:i] + words[i + n :]
    return None


def _definitions(lexicon: Lexicon) -> _Definitions:
    if lexicon._definitions is None:
        lexicon._definitions = _Definitions(lexicon)
    definitions: _Definitions = lexicon._definitions
    return definitions


def vesicle_types(lexicon: Lexicon) -> frozenset[str]:
    """The vesicle types (CURIEs) some cell-of-origin definition of the lexicon's graph uses."""
    return frozenset(_definitions(lexicon).genera)


def compose(lexicon: Lexicon, text: str, *, limit: int = 5) -> list[Composed]:
    """The defined classes a vesicle-plus-cell name means, best first (empty if it is no such name).

    ``text`` is read as in the module's description; ``limit`` caps the rows.
    """
    definitions = _definitions(lexicon)
    if not definitions.defined:
        return []
    words = _WORD.findall(text)
    if not 2 <= len(words) <= 12:
        return []
    best: dict[str, tuple[int, int]] = {}
    for i, j in itertools.combinations(range(len(words) + 1), 2):
        vesicle = " ".join(words[i:j])
        genera = {c.curie for c in lexicon.lookup(vesicle, types={"class"})} & definitions.genera
        if not genera:
            continue
        rest = [w for w in words[:i] + words[j:] if normalise(w) not in _CONNECTORS]
        rest = [w for w in rest if not _is_organism(lexicon, w)]
        if not rest:
            continue
        cells = definitions.cell_types(lexicon, rest)
        for curie, (genus, origin) in definitions.defined.items():
            for named_genus, named_cell in itertools.product(genera, cells):
                distance = _distances(definitions, genus, origin, named_genus, named_cell)
                if distance is not None and (curie not in best or distance < best[curie]):
                    best[curie] = distance
    if not best:
        return []

    def key(curie: str) -> tuple[int, int, int, str]:
        cell, genus = best[curie]
        return (cell, genus, curie not in definitions.is_operational, curie)

    order = sorted(best, key=key)
    ranked: list[str] = []
    for (
        curie
    ) in order:  # a class, then the operational classes of the same cell its findings sit on
        if curie in ranked:
            continue
        ranked.append(curie)
        ranked += [
            c
            for c in definitions.operational[curie]
            if c in best and c not in ranked and best[c][0] == best[curie][0]
        ]
    rows: list[Composed] = []
    for curie in ranked[:limit]:
        genus, origin = definitions.defined[curie]
        row = Composed(
            curie,
            lexicon.terms[curie]["label"],
            genus,
            origin,
            *best[curie],
            definitions.operational[curie],
        )
        if rows:  # scores follow the order
            row.score = round(min(row.score, rows[-1].score - 0.1), 1)
        rows.append(row)
    return rows


def _distances(
    definitions: _Definitions, genus: str, origin: str, named_genus: str, named_cell: str
) -> tuple[int, int] | None:
    """(cell distance, genus distance) of a defined class from the types named; None if unrelated."""
    if origin == named_cell:
        cell = 0
    elif origin in definitions.superclasses.get(named_cell, ()):
        cell = 1  # the class's cell is broader than the one named
    elif named_cell in definitions.superclasses[origin]:
        cell = 2  # narrower
    else:
        return None
    up = definitions.superclasses[genus]
    if genus == named_genus:
        distance = 0
    elif named_genus in up:
        distance = 1  # a subtype of the vesicle type named
    elif up & definitions.superclasses.get(named_genus, set()) & definitions.genera:
        distance = 2  # a sibling under a vesicle type some definition uses
    else:
        return None
    return cell, distance


def _is_organism(lexicon: Lexicon, word: str) -> bool:
    try:
        lexicon.organism(word)
    except KeyError:
        return False
    return True
