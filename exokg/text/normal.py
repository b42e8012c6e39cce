"""The normal form in which exokg compares names (:mod:`exokg.text.lexicon`, :mod:`exokg.text.compose`).

Words lower-cased, Greek letters spelt out, British spellings in their American form, joined without
separators; a boundary mark where anything but a space, hyphen, dash, slash, apostrophe, plus sign
or "(+)" stands between two words. A name is also found under the plural of its last word.
"""

from __future__ import annotations

import re
import unicodedata

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["normalise"]

# Greek small letters spelt out: {"\u03b1": "alpha", ...}; capitals are lower-cased first.
_GREEK = {
    chr(code): unicodedata.name(chr(code)).rsplit(" ", 1)[-1].lower()
    for code in range(0x3B1, 0x3CA)
}
_WORD = re.compile(r"[^\W_]+")
# Between two words of one name only spaces, hyphens, dashes, slashes, apostrophes and plus signs may
# stand; anything else (a full stop, a comma, a bracket) is a boundary no match crosses.
# "(+)" joins too: "CD4(+) T cells" are CD4+ T cells.
_JOINER = re.compile(r"(?:[\s\-\u2010-\u2015/+'\u2019]|\(\+\))*")
_BOUNDARY = "|"
_CURIE_LIKE = re.compile(r"[A-Za-z][\w.-]*:\S+")
_IRREGULAR = {"mouse": ("mice",), "body": ("bodies",), "child": ("children",)}


# British spellings in their American form, so "tumour" finds "tumor" and "signalling" "signaling".
_SPELLING = re.compile(r"(?<=\w\w)(?:our(?=s?$)|is(?=ations?$)|l(?=l(?:ing|ed)$))")
_AMERICAN = {"our": "or", "is": "iz", "l": ""}


def _word(token: str) -> str:
    lowered = token.lower()
    if not lowered.isascii():
        lowered = "".join(_GREEK.get(c, c) for c in lowered)
    if lowered.endswith(("our", "ours", "ation", "ations", "lling", "lled")):
        lowered = _SPELLING.sub(lambda m: _AMERICAN[m.group()], lowered)
    return lowered


def _tokens(text: str) -> Iterator[tuple[str, int, int, bool]]:
    """Words in normal form with their offsets, and whether a boundary stands before each."""
    last = 0
    for match in _WORD.finditer(text):
        start = match.start()
        gap = text[last:start]
        boundary = last > 0 and gap != " " and _JOINER.fullmatch(gap) is None
        yield _word(match.group()), start, match.end(), boundary
        last = match.end()


def normalise(text: str) -> str:
    """The normal form of a name: words lower-cased, Greek spelt out, joined without separators.

    >>> normalise("MFG-E8") == normalise("Mfge8") == "mfge8"
    True
    >>> normalise("TNF-\\u03b1")
    'tnfalpha'
    """
    return "".join((_BOUNDARY if b else "") + w for w, _, _, b in _tokens(text))


def _plurals(word: str) -> tuple[str, ...]:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if not word.isalpha() or len(word) < 2:
        return (word + "s",) if word[-1:].isalpha() or word[-1:].isdigit() else ()
    if word.endswith("sis"):
        return (word[:-2] + "es",)
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return (word + "es",)
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return (word[:-1] + "ies",)
    return (word + "s",)


def _variants(name: str) -> set[str]:
    """The normal forms under which a name is found: as it is, with a plural last word, and without
    a trailing qualifier in brackets ("Rab27a (mouse)" is also "Rab27a")."""
    forms = {name}
    bare = re.sub(r"\s*\([^()]*\)\s*$", "", name)
    if bare and bare != name:
        forms.add(bare)
    keys = set()
    for form in forms:
        words = [(_BOUNDARY if b else "") + w for w, _, _, b in _tokens(form)]
        if not words:
            continue
        keys.add("".join(words))
        head, last = "".join(words[:-1]), words[-1]
        sep = _BOUNDARY if last.startswith(_BOUNDARY) else ""
        for plural in _plurals(last.lstrip(_BOUNDARY)):
            keys.add(head + sep + plural)
    return {k for k in keys if len(k) >= 2}


def _tokens_of(text: str) -> list[tuple[str, int, int, bool]]:
    """The words of ``text`` (normal form, start, end, boundary before), for :mod:`exokg.text.annotate`."""
    return list(_tokens(text))
