"""How :meth:`exokg.text.lexicon.Lexicon.annotate` finds terms in text (kept apart to keep lexicon.py short).

1. The text's words, in the lexicon's normal form, are joined into one string; a boundary mark stands
   where anything but a space, hyphen, slash or plus separates two words. One pass of the Aho-Corasick
   automaton over that string finds every normal form; a hit counts only if it starts and ends on word
   edges. Overlapping hits are settled longest first.
2. Short forms the text defines in brackets (Schwartz & Hearst 2003: the letters of the short form
   appear, in order, in the words before the bracket, the first at the start of a word) name what their
   long form names, everywhere in the text; a short form defined as something exokg does not know is
   not annotated at all.
   A short form whose letters spell only the last words of the long form names those words' term
   ("mature dendritic cells (DC)": DC is the dendritic cell); a long form that is no single term
   names, as a whole, a vesicle by its cell of origin ("dendritic cell (DC) derived-exosomes (Dex)"),
   else the term of its last words ("GPC1+ circulating exosomes (crExos)": exosomes).
   "Metastatic burden", "metastatic behaviour", "metastatic capacity" … name metastasis.
   A cancer named before "cell(s)" is a malignant cell ("breast cancer cells"); "<noun> of <term>"
   names the term "<term> <noun>" when exokg has it ("expansion of Treg", "maturation of DCs").
3. Two neighbouring spans that together name a vesicle by its cell of origin ("dendritic cell" +
   "exosomes", "small EVs" released by "melanoma cells") become one span of the class whose logical
   definition says so (:mod:`exokg.text.compose`), matched as ``cell of origin``.
4. A span naming terms of several organisms keeps the organism the text names (a taxon such as "mice"
   or "human", or the organism of a cell line it mentions), when it names exactly one of them.
"""

from __future__ import annotations

import bisect
import contextlib
import re

from exokg.text.lexicon import _TIER, Candidate, Lexicon, Span
from exokg.text.normal import _tokens_of

__all__ = ["annotate"]

_SHORT_FORM = re.compile(r"\(\s*([^()\s][^()]{0,11}?)\s*\)")
_ORGANISM_CUES = {"murine": "mouse", "humans": "human"}
_ANNOTATED_TYPES = frozenset({"class"})


# roots too general to tell a curator anything ("cells" in "Kupffer cells", "process", "evidence")
_ROOTS = frozenset(
    {
        "CL:0000000",
        "GO:0008150",
        "GO:0009987",
        "GO:0005575",
        "GO:0110165",
        "GO:0003674",
        "ECO:0000000",
        "UBERON:0000061",
        "UBERON:0000465",
        "UBERON:0001062",
        "NCBITaxon:1",
        "GO:0006810",  # transport
        "GO:0043226",  # organelle
        "GO:0043227",  # membrane-bounded organelle
        # upper classes the import modules hold only as the path to their roots ("secretion",
        # "tumour", "disorder", "nucleate cell") and exokg's groupings of genes and proteins
        "GO:0032940",  # secretion by cell
        "GO:0043229",  # intracellular organelle
        "GO:0046903",  # secretion
        "GO:0051641",  # cellular localization
        "GO:0051649",  # establishment of localization in cell
        "GO:0097708",  # intracellular vesicle
        "GO:0140352",  # export from cell
        "CL:0000225",  # anucleate cell
        "CL:0000226",  # single nucleate cell
        "CL:0000255",  # eukaryotic cell
        "CL:0002242",  # nucleate cell
        "CL:0011115",  # precursor cell
        "MONDO:0000001",  # disease
        "MONDO:0004992",  # cancer
        "MONDO:0005070",  # neoplasm
        "MONDO:0021147",  # disorder of development or morphogenesis
        "MONDO:0023370",  # neoplastic disease or syndrome
        "MONDO:0045024",  # cancer or benign tumor
        "MONDO:0700096",  # human disease
        "MONDO:7770006",  # disease by body system or component
        "MONDO:7770007",  # disease by developmental or physiological process
        "MONDO:7770008",  # disease by etiologic mechanism
        "EXOKG:0000480",  # gene
        "EXOKG:0000481",  # protein
    }
)
# one-word terms that, followed by a noun, modify it rather than name themselves: "membrane
# trafficking", "transport machinery", "extracellular domain"
_MODIFIERS = frozenset({"GO:0016020", "GO:0006810", "GO:0005576", "GO:0023052"})
_FUNCTION_WORDS = frozenset(
    [
        "of",
        "in",
        "on",
        "at",
        "to",
        "from",
        "by",
        "with",
        "and",
        "or",
        "nor",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "that",
        "which",
        "whereas",
        "while",
        "into",
        "onto",
        "than",
        "as",
        "for",
    ]
)
_COMPOUND_MODIFIER = re.compile(r"-(?:inducing|related)\b", re.IGNORECASE)
_NEXT_WORD = re.compile(r"(?:[ \t]+|-)([a-z][a-z-]*)")


def annotate(lexicon: Lexicon, text: str, *, cell_of_origin: bool = True) -> list[Span]:
    """The terms ``text`` mentions; ``cell_of_origin=False`` keeps a vesicle word and its cell apart."""
    spans = _select(_hits(lexicon, text))
    spans = [s for s in spans if not _uninformative(s, text)]
    spans = _inverted(lexicon, text, _malignant_cells(lexicon, text, spans))
    spans = _metastatic(lexicon, text, spans)
    spans = _abbreviations(lexicon, text, spans)
    if cell_of_origin:
        spans = _cell_of_origin(lexicon, text, spans)
    return _by_organism(lexicon, text, spans)


def _uninformative(span: Span, text: str) -> bool:
    """A root class (every cell is a "cell"), or a general one-word term used as a modifier."""
    curies = set(span.curies)
    if all(c in _ROOTS or c.startswith(("BFO:", "ECO:")) for c in curies):
        return True  # a root, or a kind of evidence ("siRNA" names the method, not the biology)
    if text[max(0, span.start - 4) : span.start].lower() == "non-":
        return True  # "non-tumour cells" are not tumour cells
    if _COMPOUND_MODIFIER.match(text, span.end):
        return True  # "apoptosis-inducing ligand", "immune response-related genes"
    if curies <= _MODIFIERS and " " not in span.text:
        following = _NEXT_WORD.match(text, span.end)
        return following is not None and following.group(1) not in _FUNCTION_WORDS
    return False


def _hits(lexicon: Lexicon, text: str) -> list[Span]:
    """Every hit of the automaton that starts and ends on word edges and names a class."""
    tokens = _tokens_of(text)
    parts: list[str] = []
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    position = 0
    for i, (word, _, _, boundary) in enumerate(tokens):
        if boundary:
            parts.append("|")
            position += 1
        starts[position] = i
        parts.append(word)
        position += len(word)
        ends[position] = i
    stream = "".join(parts)
    memo = lexicon._annotation_memo
    hits = []
    for last, key in lexicon.automaton().iter(stream):
        first = last + 1 - len(key)
        if first not in starts or last + 1 not in ends:
            continue
        start, end = tokens[starts[first]][1], tokens[ends[last + 1]][2]
        if text.count("(", start, end) > text.count(")", start, end) and text[end : end + 1] == ")":
            end += 1  # "Rab27a (mouse)": the name's closing bracket belongs to the span
        found = text[start:end]
        plain_word = found.isalpha() and found.islower()
        candidates = memo.get((key, plain_word))
        if candidates is None:
            candidates = memo[key, plain_word] = _candidates(lexicon, key, plain_word)
        if candidates:
            hits.append(Span(start, end, found, candidates, candidates[0].kind))
    return hits


def _candidates(lexicon: Lexicon, key: str, plain_word: bool) -> tuple[Candidate, ...]:
    """The best-tier class candidates of one normal form; a gene symbol needs a capital or a digit."""
    best: dict[str, tuple[str, str]] = {}
    for curie, kind, name in lexicon.entries(key):
        record = lexicon.terms[curie]
        if record["type"] not in _ANNOTATED_TYPES or record["deprecated"]:
            continue
        if kind in ("gene symbol", "CURIE", "xref") and plain_word:
            continue  # "met" in prose is a verb, not the MET gene
        if curie not in best or _TIER[kind] < _TIER[best[curie][0]]:
            best[curie] = (kind, name)
    if not best:
        return ()
    tier = min(_TIER[kind] for kind, _ in best.values())
    chosen = [lexicon.candidate(c, k, n) for c, (k, n) in best.items() if _TIER[k] == tier]
    # a name shared by a reference ontology's class and a class exokg minted beside it (CL's
    # "CD8+ T cell" and exokg's cytotoxic T cell) means the reference class: the text does not say more
    if any(c.organism is None and not c.curie.startswith("EXOKG:") for c in chosen):
        chosen = [c for c in chosen if c.organism is not None or not c.curie.startswith("EXOKG:")]
    return tuple(sorted(chosen, key=lambda c: (c.organism or "", c.curie)))


def _select(hits: list[Span]) -> list[Span]:
    """Longest first; a hit overlapping one already kept is dropped."""
    kept: list[Span] = []
    taken = bytearray()
    for hit in sorted(hits, key=lambda s: (s.start - s.end, s.start)):
        if len(taken) < hit.end:
            taken.extend(bytes(hit.end - len(taken)))
        if any(taken[hit.start : hit.end]):
            continue
        taken[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)
        kept.append(hit)
    return sorted(kept, key=lambda s: s.start)


# --- abbreviations --------------------------------------------------------------------------------


def _defines(short: str, long: str) -> bool:
    """Schwartz & Hearst's test: does ``long`` spell ``short`` out?"""
    return _spelt_from(short, long) >= 0


def _short_forms(short: str) -> set[str]:
    forms = {short}
    if len(short) > 2 and short.endswith("s") and short[-2].isupper():
        forms.add(short[:-1])
    else:
        forms.add(short + "s")
    return forms


def _spelt_from(short: str, long: str) -> int:
    """Where in ``long`` the spelling of ``short`` starts (the word its first letter begins), or -1."""
    s, l_ = short.lower(), long.lower()
    i, j = len(s) - 1, len(l_) - 1
    while i >= 0:
        c = s[i]
        if not c.isalnum():
            i -= 1
            continue
        while j >= 0 and (l_[j] != c or (i == 0 and j > 0 and l_[j - 1].isalnum())):
            j -= 1
        if j < 0:
            return -1
        i -= 1
        j -= 1
    return j + 1


_BRACKETED = re.compile(r"\s*\([^()]*\)")


def _long_form(
    lexicon: Lexicon, long: str, core: str, *, longest: bool = True
) -> tuple[Candidate, ...] | None:
    """The terms a long form that is no single term names: the longest run of its last words (at
    least those its short form spells) that is one term or a vesicle named by its cell of origin,
    else the term of its last words."""
    begin = _spelt_from(core, long)
    if begin < 0:
        return None
    starts = [m.start() for m in re.finditer(r"(?<!\S)\S", long) if m.start() <= begin]
    if not longest:
        starts = starts[-1:]
    spans: list[Span] = []
    for first in starts:  # longest first
        words = _BRACKETED.sub("", long[first:]).strip(" ,;-")
        if not words:
            continue
        spans = [s for s in _select(_hits(lexicon, words)) if not _uninformative(s, words)]
        whole = [s for s in spans if s.start == 0 and s.end == len(words)]
        if whole:
            return whole[0].candidates
        composed = _cell_of_origin(lexicon, words, spans)
        if len(composed) == 1 and composed[0].kind == "cell of origin":
            return composed[0].candidates
    words = _BRACKETED.sub("", long[begin:]).strip(" ,;-")
    last = spans[-1] if spans else None
    if last is not None and last.end == len(words) and core[-1:].lower() in last.text.lower():
        return last.candidates  # "circulating exosomes (crExos)": exosomes
    return None


def _last_words(text: str, end: int, count: int) -> list[str]:
    """``text[:end].split()[-count:]``, reading only as far back as those words reach."""
    window = 256
    while True:
        start = max(0, end - window)
        words = text[start:end].split()
        # the window's first word may be cut: enough only if it is not among those returned
        if start == 0 or len(words) > count:
            return words[-count:] if count else []
        window *= 4


def _abbreviations(lexicon: Lexicon, text: str, spans: list[Span]) -> list[Span]:
    """Short forms the text defines, annotated as their long form wherever they stand after it.

    Linear in the text: each definition looks only at the words just before it, and every use of
    every short form is found in one pass; a use takes the meaning of the last definition of its
    form before it. (A text that defined a short form again and again took time growing with the
    square of its length when each definition searched the rest of the text.)
    """
    ending_at = {s.end: s for s in spans}
    ends = [s.end for s in spans]
    interrupted_spans: list[Span] = []
    defined: dict[str, list[tuple[int, tuple[Candidate, ...] | None]]] = {}

    def define(position: int, short: str, meaning: tuple[Candidate, ...] | None) -> None:
        for form in _short_forms(short):
            defined.setdefault(form, []).append((position, meaning))

    for match in _SHORT_FORM.finditer(text):
        short = match.group(1)
        if (
            not 2 <= len(short) <= 10
            or not any(c.isalpha() for c in short)
            or not any(c.isupper() or c.isdigit() for c in short)  # "(mouse)" is no short form
            or len(short.split()) > 2
        ):
            continue
        before = match.start()
        while before > 0 and text[before - 1].isspace():
            before -= 1
        core = short[:-1] if short.endswith("s") and short[-2:-1].isupper() else short
        interrupted = _interrupted(lexicon, text, match, before)
        if interrupted is not None:
            # "natural killer (NK) cells": the term goes on after the short form
            i = bisect.bisect_right(ends, interrupted.start)
            while i < len(spans) and spans[i].start < interrupted.end:
                if ending_at.get(spans[i].end) is spans[i]:
                    del ending_at[spans[i].end]
                i += 1
            while interrupted_spans and interrupted_spans[-1].end > interrupted.start:
                interrupted_spans.pop()
            interrupted_spans.append(interrupted)
            ending_at[interrupted.end] = interrupted
            if _defines(core, text[interrupted.start : before]):
                define(match.end(), short, interrupted.candidates)
                continue
            # "prostate cancer (PC) progression": the term goes on, but the short form spells words
            # before it begins, so it is defined by those words below, not by the whole term
        long_span = ending_at.get(before)
        if long_span is not None and long_span.text != short and _defines(core, long_span.text):
            meant: tuple[Candidate, ...] = long_span.candidates
            begin = _spelt_from(core, long_span.text)
            if (
                begin > 0
                and long_span.text[begin - 1] in " -"
                and core[0].lower() != long_span.text[0].lower()
            ):
                # "mature dendritic cells (DC)": the short form spells only "dendritic cells"
                tail = _long_form(lexicon, long_span.text, core, longest=False)
                if tail is not None:
                    meant = tail
            define(match.start(1), short, meant)
            continue
        words = _last_words(text, before, min(len(core) + 5, 2 * len(core)))
        if (
            words
            and not short.isdigit()
            and words[-1] != short
            and core[0].lower() in {w[0].lower() for w in words}
            and _defines(core, " ".join(words))
        ):
            define(match.start(1), short, _long_form(lexicon, " ".join(words), core))
    if interrupted_spans:
        spans = sorted(
            [*_apart(spans, [(s.start, s.end) for s in interrupted_spans]), *interrupted_spans],
            key=lambda s: s.start,
        )
    if not defined:
        return spans
    # a short form may open a compound word ("TDE-associated", "DC-derived")
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(map(re.escape, sorted(defined, key=len, reverse=True)))
        + r")(?![\w])"
    )
    starts = [s.start for s in spans]
    uses: list[Span] = []
    taken: list[tuple[int, int]] = []
    first = min(at for definitions in defined.values() for at, _ in definitions)
    for found in pattern.finditer(text, first):
        start, end = found.span()
        definitions = defined[found.group()]
        latest = bisect.bisect_right(definitions, start, key=lambda d: d[0]) - 1
        if latest < 0:
            continue  # used before it is defined
        inside = bisect.bisect_right(starts, start) - 1
        if (
            inside >= 0
            and spans[inside].end >= end
            and spans[inside].end - spans[inside].start > end - start
        ):
            continue  # inside a longer term ("NK cells", "NK cytotoxicity")
        taken.append((start, end))
        meaning = definitions[latest][1]
        if meaning is not None:
            kept = tuple(lexicon.candidate(c.curie, "abbreviation", found.group()) for c in meaning)
            uses.append(Span(start, end, found.group(), kept, "abbreviation"))
    return sorted([*_apart(spans, taken), *uses], key=lambda s: s.start)


def _apart(spans: list[Span], taken: list[tuple[int, int]]) -> list[Span]:
    """The spans that overlap none of ``taken`` (both in text order, neither overlapping itself)."""
    kept: list[Span] = []
    i = 0
    for span in spans:
        while i < len(taken) and taken[i][1] <= span.start:
            i += 1
        if i < len(taken) and taken[i][0] < span.end:
            continue
        kept.append(span)
    return kept


_NEXT = re.compile(r"\s+([A-Za-z][\w-]*)")
_WORD_START = re.compile(r"(?<![\w-])[\w-]")


def _interrupted(lexicon: Lexicon, text: str, match: re.Match[str], before: int) -> Span | None:
    """A term whose words a bracketed short form interrupts ("natural killer (NK) cells");
    ``before`` is where the words before the bracket end."""
    following = _NEXT.match(text, match.end())
    if following is None:
        return None
    window = 256
    while True:  # the last four words' starts, read only as far back as they reach
        begin = max(0, before - window)
        starts = [m.start() for m in _WORD_START.finditer(text, begin, before)][-4:]
        if begin == 0 or len(starts) == 4:
            break
        window *= 4
    for first in starts:  # longest first
        name = f"{text[first:before]} {following.group(1)}"
        found = lexicon.lookup(name, types={"class"})
        if found and not all(c.curie in _ROOTS for c in found):
            shown = text[first : following.end(1)]
            kept = tuple(lexicon.candidate(c.curie, c.kind, shown) for c in found)
            return Span(first, following.end(1), shown, kept, kept[0].kind)
    return None


# --- compound and inverted names -------------------------------------------------------------------

_MALIGNANT_CELL = "CL:0001064"
_CELL_AFTER = re.compile(r"[\s-]+cells?\b(?![\s-]+lines?\b)", re.IGNORECASE)


def _malignant_cells(lexicon: Lexicon, text: str, spans: list[Span]) -> list[Span]:
    """A cancer named before "cell(s)" names a malignant cell ("breast cancer cells", "mammary
    carcinoma cells"); a cell line stays what it is."""
    if _MALIGNANT_CELL not in lexicon.terms:
        return spans
    result = []
    for span in spans:
        after = _CELL_AFTER.match(text, span.end)
        if after is not None and all(c.curie.startswith("MONDO:") for c in span.candidates):
            end = after.end()
            found = text[span.start : end]
            candidate = lexicon.candidate(_MALIGNANT_CELL, "cell of origin", found)
            span = Span(span.start, end, found, (candidate,), "cell of origin")
        result.append(span)
    return result


_METASTATIC = re.compile(
    r"\bmetastatic\s+(?:burden|behaviou?rs?|capacity|potential|ability|outgrowth|colonization|"
    r"colonisation|dissemination|spread|progression)\b",
    re.IGNORECASE,
)


def _metastatic(lexicon: Lexicon, text: str, spans: list[Span]) -> list[Span]:
    """ "Metastatic burden", "metastatic behaviour" … measure metastasis (the label's adjective)."""
    found = [c for c in lexicon.lookup("metastasis", types={"class"})]
    if not found or "metastatic" not in text.lower():
        return spans
    result = list(spans)
    for match in _METASTATIC.finditer(text):
        start, end = match.span()
        if text[max(0, start - 4) : start].lower() in ("pro-", "ati-"):
            continue  # "pro-metastatic behaviour", "anti-metastatic effects" say more
        if any(s.start < end and start < s.end for s in result):
            continue
        kept = tuple(lexicon.candidate(c.curie, "related synonym", match.group()) for c in found)
        result.append(Span(start, end, match.group(), kept, "related synonym"))
    return sorted(result, key=lambda s: s.start)


_OF_BEFORE = re.compile(r"\b([a-z]{4,})\s+of\s+(?:the\s+)?$")


_INTO_BEFORE = re.compile(
    r"\b([a-z]{4,})\s+of\s+(?:the\s+)?\S+(?:\s+\S+){0,3}?\s+(?:to|into|towards?)\s+$"
)


def _inverted(lexicon: Lexicon, text: str, spans: list[Span]) -> list[Span]:
    """ "<noun> of <term>" names the term "<term> <noun>" when exokg has one: "expansion of Treg"
    (Treg expansion), "secretion of exosomes" (exosome secretion); so does "<noun> of <cells> into
    <term>" ("differentiation of monocytes to myeloid-derived suppressor cells")."""
    result: list[Span] = []
    for span in spans:
        for pattern in (_OF_BEFORE, _INTO_BEFORE):
            match = pattern.search(text, max(0, span.start - 60), span.start)
            if match is None or span.ambiguous:
                continue
            head = span.candidates[0]
            noun = match.group(1)
            found: list[Candidate] = []
            for name in dict.fromkeys((head.name, head.label)):
                found = lexicon.lookup(f"{name} {noun}", types={"class"})
                if found:
                    break
            start = match.start(1)
            if found and not (result and result[-1].end > start and pattern is _OF_BEFORE):
                while result and result[-1].start >= start:
                    result.pop()  # "differentiation of monocytes into ...": the cells are inside
                shown = text[start : span.end]
                kept = tuple(lexicon.candidate(c.curie, c.kind, shown) for c in found)
                span = Span(start, span.end, shown, kept, kept[0].kind)
                break
        result.append(span)
    return result


# --- vesicles named by their cell of origin ------------------------------------------------------

# What may stand between a cell word and a vesicle word of one name: spaces and hyphens ("4T1 small
# EVs", "melanoma-derived EVs"), or "from" with a participle before it ("exosomes released by 4T1
# cells"). A bare "by" or "of" is left out: "secretion of exosomes by tumour cells" is about secretion.
_GAP = re.compile(
    r"[\s\-\u2010-\u2015]+(?:derived[\s\-\u2010-\u2015]+)?"
    r"|\s+(?:derived|released|secreted|produced|shed|isolated|purified)\s+(?:from|by)\s+"
    r"|\s+from\s+",
    re.IGNORECASE,
)


def _cell_of_origin(lexicon: Lexicon, text: str, spans: list[Span]) -> list[Span]:
    from exokg.text.compose import compose, vesicle_types

    genera = vesicle_types(lexicon)
    result: list[Span] = []
    i = 0
    while i < len(spans):
        span = spans[i]
        pair = spans[i : i + 2]
        if (
            len(pair) == 2
            and any(c.curie in genera for s in pair for c in s.candidates)
            and _GAP.fullmatch(text, span.end, pair[1].start)
        ):
            end = spans[i + 1].end
            rows = compose(lexicon, text[span.start : end], limit=1)
            if rows:
                found = text[span.start : end]
                candidate = lexicon.candidate(rows[0].curie, "cell of origin", found)
                result.append(Span(span.start, end, found, (candidate,), "cell of origin"))
                i += 2
                continue
        result.append(span)
        i += 1
    return result


# --- organisms ------------------------------------------------------------------------------------


def _by_organism(lexicon: Lexicon, text: str, spans: list[Span]) -> list[Span]:
    if not any(s.ambiguous for s in spans):
        return spans
    named: set[str] = set()
    for span in spans:
        if span.ambiguous:
            continue
        only = span.candidates[0]
        if only.iri.startswith(_TAXON_IRI):
            named.add(only.curie)
        elif only.organism:
            named.add(only.organism)
    lowered = text.lower()
    for cue, organism in _ORGANISM_CUES.items():
        if re.search(rf"\b{cue}\b", lowered):
            with contextlib.suppress(KeyError):
                named.add(lexicon.organism(organism))
    result = []
    for span in spans:
        organisms = {c.organism for c in span.candidates}
        if span.ambiguous and None not in organisms and len(organisms) > 1:
            chosen = organisms & named
            if len(chosen) == 1:
                (taxon,) = chosen
                kept = tuple(c for c in span.candidates if c.organism == taxon)
                common = kept[0].organism_label or taxon
                span = Span(
                    span.start,
                    span.end,
                    span.text,
                    kept,
                    span.kind,
                    note=f"organism named in the text: {common}",
                )
        result.append(span)
    return result


_TAXON_IRI = "http://purl.obolibrary.org/obo/NCBITaxon_"
