"""Propose candidate findings from a paper's text, for a curator to check.

``exokg propose paper.txt --source DOI`` reads a text (an abstract, a results paragraph), finds the
sentences that name a vesicle and something the vesicles could act on (a process, a cell, a molecule),
and writes each as a candidate statement in the curation format of ``ontology/curation/`` —
``verification: NV``, ``scope: candidate``, and ``evidence_span: [start, end]``, the sentence's
character offsets in the text, so the curator can read it in place. ``exokg validate`` checks the
file; ``exokg build`` leaves candidates out unless ``--include-candidates``.

How a sentence is read (rules, not a trained model: every decision can be traced to a word):

* **Terms** come from the lexical index (:mod:`exokg.text.lexicon`, ``annotate``); what kind of thing each
  term is (vesicle, process, cell, cell line, molecule, organism) comes from the class hierarchy
  (``queries/lookup/term-categories.rq``).
* **Direction** comes from a cue word outside the term spans: promote, increase, enhance, induce,
  "required for" … (promotes, RO:0002304); inhibit, reduce, suppress, decrease … (inhibits,
  RO:0002305); affect, regulate, modulate, "role in" … (direction not given, RO:0002411). "No
  effect", "unaffected", "no difference" state a negative finding with no direction (RO:0002411,
  negative). The cue nearest after the vesicle term wins. "The role of X in Y has been studied"
  states no finding.
* **Negation**, NegEx-style (Chapman et al. 2001): a trigger (not, no, never, failed to, unable to,
  without, neither/nor, lack of …) negates the words after it, up to six words or a scope
  terminator (but, however, although, whereas, a comma or semicolon); "not only" and "no longer" are
  pseudo-triggers. A cue inside a negation scope makes the finding negative: "did not reduce tumour
  growth" is a negative finding of *inhibits*. "was not observed" negates the cue before it.
* **Contrast and caveat**: "X enhanced Y, whereas Z did not" also proposes the negative finding for
  Z; "… can promote Y, but this cannot be generalised" (not all, only in some) adds a caveat that
  qualifies the finding.
* **Hedging**: may, might, could, possibly, likely, suggest, whether, unknown, appear/seem/thought/
  believed to, putative … in the cue's clause make the finding speculative: the statement keeps its
  polarity and records the hedging word in ``hedge:``.
* **Perturbation**: knockdown, siRNA, shRNA, RNAi, silencing, knockout → ``knockdown``; blocking or
  inhibiting secretion/release, blockade → ``secretion_blockade``; blocking or neutralising
  antibody → ``blocking_antibody``; inhibitor, GW4869 → ``inhibitor``; depletion → ``depletion``. The
  gene or molecule named next to it (or that the antibody is against: "blocking antibody against
  Hsp72", "anti-FasL antibody") is the ``perturbed_gene``; knockout and deficient mice count too. An effect seen when the vesicles are
  removed is the vesicles' effect reversed (loss of function): "Rab27a knockdown reduced tumour
  growth" proposes that the vesicles *promote* tumour growth.
* **Cargo and outcomes**: a molecule the vesicles carry, named as what acts ("Hsp72 on tumour
  exosomes", "TDE-associated Hsp72", "exosomal Hsp70"), is a subject beside them; a receptor or
  cargo they merely carry ("EVs carry mRNAs involved in metastasis", "through the receptor MET") is
  no outcome. A verb and the cell it acts on name a process when exokg has one ("expand Treg" is
  Treg expansion); a molecule a verb acts on ("activates STAT3") is an outcome when no process is.
  Several outcomes, each with its own verb, give several findings.
* **Model**: a cell line named in the sentence (else the one cell line the text names), the organism
  named in the sentence (else the one the text names, else the cell line's), and the system (in vivo
  from "in vivo", mice, xenograft …; in vitro from "in vitro", cultured …).
* **Subject**: MISEV2023 — a sentence cannot show endosomal origin, so a vesicle reported as an
  exosome is proposed as an extracellular vesicle (GO:1903561), with the authors' class in
  ``reported_as`` and their word in ``reported_term``; the curator narrows it. Without a vesicle
  word, the release of vesicles ("exosome secretion") named before the cue is the subject, else the
  perturbed genes ("silencing of RAB27A and RAB27B reduced exosome secretion").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from exokg.text.annotate import annotate
from exokg.text.lexicon import Span

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from exokg.curation.records import Source
    from exokg.text.lexicon import Lexicon

__all__ = [
    "RELATION",
    "Proposal",
    "Reading",
    "candidate_yaml",
    "load_categories",
    "load_vesicle_sources",
    "propose",
    "propose_text",
    "read_clause",
    "sentences",
]

# the relation a candidate uses for each direction; each declares that exo:effectDirection in
# ontology/exokg-edit.ttl (a test checks it)
RELATION = {
    "promotes": "RO:0002304",  # causally upstream of, positive effect
    "inhibits": "RO:0002305",  # causally upstream of, negative effect
    "affects": "RO:0002411",  # causally upstream of
}
EXTRACELLULAR_VESICLE = "GO:1903561"
AUTHOR_STATEMENT = (
    "ECO:0000304"  # author statement supported by traceable reference, in manual assertion
)
# the evidence a sentence's method gives, in manual assertion (ECO)
RNAI_EVIDENCE = "ECO:0006052"  # RNAi evidence
SIRNA_EVIDENCE = "ECO:0001585"  # small interfering RNA knockdown evidence
KNOCKOUT_EVIDENCE = "ECO:0001225"  # knockout evidence
IN_VIVO_EVIDENCE = "ECO:0007119"  # in vivo assay evidence
IN_VITRO_EVIDENCE = "ECO:0007122"  # in vitro assay evidence

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019\-]*|[;:,()]")

_PROMOTE = re.compile(
    r"^(promot|increas|enhanc|induc|stimulat|facilitat|accelerat|augment|activat|up-?regulat|"
    r"trigger|boost|elicit|favou?r|driv|drove|potentiat|amplif|contribut|foster|educat|prepar(e|es|ed|ing)$|"
    r"prime[sd]?$|priming|initiat|establish|restor|determin(e|es|ed|ing)$|licens|enabl|"
    r"allow(s|ed|ing)?$|permit(s|ted|ting)?$|"
    r"exacerbat|elevat|strengthen|expand|recruit|mobili[sz]|support|provok)"
)
_INHIBIT = re.compile(
    r"^(inhibit|reduc|suppress|decreas|impair|attenuat|diminish|prevent|abolish|abrogat|slow|"
    r"down-?regulat|lower|limit|repress|dampen|hinder|curtail|restrain|delay|antagoni|weaken|"
    r"block|disrupt|counteract|protect|revers(e|ed|es|ing)$|less$|fewer$)"
)
_AFFECT = re.compile(
    r"^(affect|alter|modulat|regulat|influenc|chang|impact|shap|respond|redirect|control)"
)
# a cue noun in a phrase that says when ("after PHA stimulation", "upon activation")
_NOUN_CUE = re.compile(r"(?:tion|ment|sis)$")
_WHEN = frozenset({"after", "before", "upon", "following", "during", "prior"})
# a noun for what does something is no cue: "two exosome regulators", "tumour suppressors",
# "enhancers" ("triggers" and "lowers" stay verbs)
_AGENT_NOUN = re.compile(r"(?:ors?|ncers?|ucers?|oters?)$")
_NO_EFFECT = re.compile(
    r"\b(no|not any|without)\s+(significant\s+|detectable\s+|measurable\s+|apparent\s+)?"
    r"(effect|impact|influence|difference|change)s?\b|\bunaffected\b|\bunchanged\b|\bunaltered\b",
    re.I,
)
_STUDIED = re.compile(r"\b(stud(y|ied|ies)|investigat\w*|examin\w*|explor\w*)\b", re.I)
_ROLE = re.compile(r"\brole\b", re.I)

_NEGATIONS = (
    "not",
    "no",
    "never",
    "neither",
    "nor",
    "without",
    "cannot",
    "can't",
    "didn't",
    "doesn't",
    "don't",
    "wasn't",
    "weren't",
    "isn't",
    "aren't",
    "failed",
    "fails",
    "fail",
    "unable",
    "lack",
    "lacks",
    "lacked",
    "lacking",
)
_PSEUDO_NEGATIONS = (("not", "only"), ("not", "just"), ("no", "longer"), ("not", "necessarily"))
_TERMINATORS = {
    "but",
    "however",
    "although",
    "though",
    "whereas",
    "while",
    "yet",
    "except",
    "which",
    "whereby",
    ",",
    ";",
    ":",
    "(",
    ")",
}
_NEGATION_WINDOW = 6
_POST_NEGATION = re.compile(
    r"\b(was|were|is|are|been)\s+not\s+(observed|seen|detected|found|affected|altered|changed)\b",
    re.I,
)
_HEDGES = re.compile(
    r"^(may|might|could|possibl[ey]|potentially|likely|unlikely|probabl[ey]|suggest\w*|"
    r"hypothes\w*|speculat\w*|putative\w*|presumabl[ey]|perhaps|conceivabl[ey]|whether|"
    r"unclear|unknown|appear(s|ed)?|seem(s|ed)?|thought|believed|proposed|assumed|expected)$",
    re.I,
)
_PERTURBATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^((\S+-)?(blocking|neutrali[sz]ing)|\S+-specific|anti-\S+)$", re.I),
        "blocking_antibody?",
    ),
    (
        re.compile(
            r"^(knock-?downs?|knocked|si-?rnas?|sh-?rnas?|rnai|silenc\w*|knock-?outs?)$", re.I
        ),
        "knockdown",
    ),
    (re.compile(r"^(inhibitors?|gw4869)$", re.I), "inhibitor"),
    (
        re.compile(r"^(blockade|blocking|blocked|block|inhibiting|inhibition|impairing)$", re.I),
        "blockade?",
    ),
    (re.compile(r"^(deplet\w*|removal|removing)$", re.I), "depletion"),
    # a gerund that opens the clause names the perturbation, not the finding ("Reducing Met
    # expression in exosomes diminished ...", "Targeting the integrins decreased ...")
    (
        re.compile(r"^(reducing|lowering|decreasing|inactivating|deleting|ablating)$", re.I),
        "opening?knockdown",
    ),
    (re.compile(r"^(targeting|inhibiting|inhibition|antagoni[sz]ing)$", re.I), "opening?inhibitor"),
    # "Loss of ALIX impaired ...": the thing lost, when the phrase opens the clause
    (re.compile(r"^loss$", re.I), "opening?depletion"),
    (
        re.compile(
            r"^(\S+-(deficient|null|knockout|knockdown|depleted|silenced)|deficient|deficiency|-/-|ko)$",
            re.I,
        ),
        "knockdown",
    ),
    (re.compile(r"^(interference)$", re.I), "knockdown"),
    # "in the absence of CD63": the thing is missing, as in a knockout
    (re.compile(r"^absence$", re.I), "absent?depletion"),
    # "cells lacking Rab27a", "exosomes devoid of PD-L1"
    (re.compile(r"^(lacking|devoid)$", re.I), "depletion"),
)
# a perturbation named as the method of a screen finds genes; it is not the finding's cause
_SCREEN = re.compile(r"^screen(s|ing)?$", re.I)
_CAVEAT = re.compile(
    r"\b(cannot|can ?not|could not|should not|may not)\s+be\s+(generali[sz]ed|extrapolated|extended)"
    r"|\bnot\s+(all|every|universal\w*|general\w*)\b|\bonly\s+(in\s+)?some\b",
    re.I,
)
# a join and up to two words that modify the next item ("and lung", ", liver and brain")
_JOINED = re.compile(r"^(?:,\s*)?(?:and|or|as well as)\s+[a-z-]+(?:\s+[a-z-]+)?$")
# what joins the items of a list ("Rab27a and Rab27b", "TGF-beta1 and/or IL-10")
_JOINS = ("and", "or", "and/or", ",", ", and", ", or", "as well as")
_DRUG = re.compile(r"^(gw4869|inhibitors?|manumycin\w*|spiroepoxide|dimethyl)$", re.I)
_SECRETION = re.compile(r"^(secretion|release|production|biogenesis|exocytosis)$", re.I)
_ANTIBODY = re.compile(r"^(antibod(y|ies)|m?abs?)$", re.I)
_IN_VIVO = re.compile(
    r"\b(in vivo|mice|mouse|rats?|xenografts?|tumour-bearing|tumor-bearing|patients?)\b", re.I
)
_IN_VITRO = re.compile(r"\b(in vitro|cultured|culture|cell lines?|supernatants?)\b", re.I)
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|et al|vs|cf|fig|figs|approx|ca|resp)\.$", re.I)

# what a sentence's terms may be: the subject is a vesicle, the object one of these
_OBJECT_CATEGORIES = ("process", "cell", "molecule")
# roots too general to be what a finding is about ("cells", "process")
_TOO_GENERAL = frozenset(
    {
        "CL:0000000",
        "BFO:0000015",
        "BFO:0000040",
        "GO:0008150",
        "GO:0009987",
        "GO:0023052",  # signalling
        "GO:0006810",  # transport
        "GO:0007154",  # cell communication
        "GO:0007267",  # cell-cell signalling: "EVs mediate intercellular communication" frames a paper
        "GO:0051179",  # localization
        "GO:0051234",  # establishment of localization
    }
)


@dataclass(frozen=True)
class Token:
    """A word (or a punctuation mark that ends a scope) and where it is in the text."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return str(self.text.lower())


@dataclass(frozen=True)
class Reading:
    """What the cue rules read in one clause: direction, polarity, hedge and perturbation."""

    direction: str | None  # promotes | inhibits | affects | studied, or None without a cue
    negated: bool = False
    hedge: str | None = None
    cue: str | None = None
    cue_start: int = -1
    perturbation_kind: str | None = None
    perturbation: str | None = None
    perturbation_start: int = -1
    perturbation_end: int = -1
    cue_direction: str | None = None  # what the cue word says, before a perturbation reverses it
    passive: bool = (
        False  # the perturbation is the agent of a passive cue ("was reduced by X knockdown")
    )

    @property
    def polarity(self) -> str:
        return "negative" if self.negated else "positive"


@dataclass
class Proposal:
    """One candidate statement, as :func:`candidate_yaml` writes it."""

    subject: str
    relation: str
    object: str
    polarity: str
    span: tuple[int, int]
    reported_as: str | None  # the class of the authors' vesicle word (None: not a vesicle)
    reported_term: str | None
    subject_label: str
    object_label: str
    direction: str
    hedge: str | None = None
    cue_direction: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    evidence: str = AUTHOR_STATEMENT
    qualifies_previous: bool = False  # a caveat that limits the proposal before it


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence: a full stop, ! or ? then space and a capital or digit, or a
    line break; "e.g.", "et al." and "Fig." do not end a sentence."""
    spans = []
    start = 0
    for match in re.finditer(r"[.!?](?=\s+[A-Z0-9(\"\u201c\u2018])|\n+", text):
        if match.group().startswith(".") and _ABBREVIATIONS.search(
            text[max(0, match.start() - 8) : match.end()]
        ):
            continue
        end = match.end() if not match.group().startswith("\n") else match.start()
        if text[start:end].strip():
            spans.append(_strip(text, start, end))
        start = match.end()
    if text[start:].strip():
        spans.append(_strip(text, start, len(text)))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _tokens(text: str, start: int, end: int, masked: Sequence[tuple[int, int]] = ()) -> list[Token]:
    """The words of ``text[start:end]``; words inside a masked span (a term) become one token "TERM"."""
    tokens: list[Token] = []
    spans = sorted(masked)
    for match in _WORD.finditer(text, start, end):
        inside = next((s for s in spans if s[0] <= match.start() < s[1]), None)
        if inside is not None:
            if not tokens or tokens[-1].start != inside[0]:
                tokens.append(Token("TERM", inside[0], inside[1]))
            continue
        tokens.append(Token(match.group(), match.start(), match.end()))
    return tokens


def read_clause(
    text: str,
    start: int = 0,
    end: int | None = None,
    masked: Sequence[tuple[int, int]] = (),
    *,
    anchor: int | None = None,
    last: bool = False,
) -> Reading:
    """Read ``text[start:end]`` with the cue rules of the module docstring.

    ``masked`` are the term spans (their words are not cues); ``anchor`` is where the subject is, so
    that the cue nearest after it wins. Pure: no index, no graph.

    >>> read_clause("Exosomes did not reduce tumour growth.").polarity
    'negative'
    >>> read_clause("Exosomes may promote metastasis.").hedge
    'may'
    """
    end = len(text) if end is None else end
    tokens = _tokens(text, start, end, masked)
    words = [t.lower for t in tokens]
    perturbation = _perturbation(_tokens(text, start, end))  # also inside terms: "Rab27a blockade"
    taken = {
        index
        for index, token in enumerate(tokens)
        if perturbation and perturbation[1] <= token.start < perturbation[2]
    }
    cues: list[tuple[int, str]] = []
    for index, word in enumerate(words):
        if index in taken or word == "term" or _AGENT_NOUN.search(word):
            continue
        if word.startswith("determin") and words[index + 1 : index + 2] != ["the"]:
            continue  # "determines the suppressive activity" is a cue; "determined by NTA" is not
        if _NOUN_CUE.search(word) and _WHEN & set(words[max(0, index - 2) : index]):
            continue  # "released shortly after PHA stimulation": when, not what the finding is
        if word in ("less", "fewer") and words[index + 1 : index + 2] not in ([], ["term"]):
            continue  # "less malignant tumour cells" compares; "less metastasis" is a cue
        if _PROMOTE.match(word):
            cues.append((index, "promotes"))
        elif _INHIBIT.match(word):
            cues.append((index, "inhibits"))
        elif (
            _AFFECT.match(word)
            or word == "role"
            or (
                word in ("involved", "implicated")
                and index + 1 < len(words)
                and words[index + 1] == "in"
            )
        ):
            cues.append((index, "affects"))
        elif word in ("required", "necessary", "essential", "needed") and (
            index + 1 < len(words) and words[index + 1] == "for"
        ):
            cues.append((index, "promotes"))  # "X was required for Y": X promotes Y
    clause = text[start:end]
    no_effect = _NO_EFFECT.search(clause)
    if not cues and no_effect is None:
        return Reading(direction=None)
    if cues:
        here = anchor if anchor is not None else start
        after = [c for c in cues if tokens[c[0]].start >= here]
        index, direction = cues[-1] if last else (after or cues)[0]
        if direction == "affects" and words[index] == "role" and _STUDIED.search(clause):
            return Reading(direction=None)  # "the role of X in Y has been studied": no finding
        cue, cue_start = tokens[index].text, tokens[index].start
        negated = _negated(words, index) or bool(
            _POST_NEGATION.search(text, tokens[index].end, end)
        )
        if (
            no_effect is not None
            and no_effect.start() + start < cue_start
            and direction == "affects"
        ):
            negated = True
    elif no_effect is not None:  # "had no effect on": a negative finding with no direction
        cue, cue_start = no_effect.group(), no_effect.start() + start
        index = next((i for i, t in enumerate(tokens) if t.start >= cue_start), len(tokens) - 1)
        direction, negated = "affects", True
    hedge = _hedge(tokens, index)
    said = direction
    kind, phrase, p_start = None, None, -1
    p_end = -1
    passive = False
    if perturbation is not None:
        kind, p_start, p_end = perturbation
        phrase = text[p_start:p_end]
        passive = p_start > cue_start and _passive_agent(
            words, index, text, tokens[index].end, p_start
        )
        if (
            (p_start < cue_start or passive)
            and direction in ("promotes", "inhibits")
            and words[index] not in _REQUIRED
        ):
            direction = "inhibits" if direction == "promotes" else "promotes"
    return Reading(
        direction, negated, hedge, cue, cue_start, kind, phrase, p_start, p_end, said, passive
    )


_BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
# "knockout mice showed that X is required for Y": the cue already says what the loss showed
_REQUIRED = frozenset({"required", "necessary", "essential", "needed"})
# what introduces the agent of a passive: "by", "upon", "after", "following", "in the absence of" ...
_AGENT_OF = re.compile(
    r"^\s*(?:by|upon|after|following|with|in\s+the\s+(?:absence|presence)\s+of|in)\s+"
    r"(?:(?:the|an?|a\s+\w+)\s+)?(?:(?:cells?|mice|animals|tumou?rs)\s+)?$",
    re.I,
)


def _passive_agent(words: list[str], cue: int, text: str, cue_end: int, p_start: int) -> bool:
    """Is the perturbation the agent of a passive cue ("MVE size was strongly increased by Rab27a
    silencing", "lytic activity was blockable by Hsp70-specific antibody")? Then what was observed
    is the perturbation's effect, as when it opens the clause."""
    before = [w for w in words[max(0, cue - 3) : cue] if not w.endswith("ly")]
    return bool(before) and before[-1] in _BE and bool(_AGENT_OF.match(text[cue_end:p_start]))


def _negated(words: list[str], cue: int) -> bool:
    """NegEx: is the cue within six words after a negation trigger, with no terminator between?"""
    for index in range(cue - 1, max(-1, cue - 1 - _NEGATION_WINDOW), -1):
        word = words[index]
        if word in _TERMINATORS:
            return False
        if word.endswith("n't") or word in _NEGATIONS:
            following = words[index + 1] if index + 1 < len(words) else ""
            if (word, following) in _PSEUDO_NEGATIONS:
                continue
            if word == "no" and following in ("longer",):
                continue
            if (
                word == "not"
                and index > 0
                and words[index - 1] in ("but", "and")
                and index + 1 < cue
            ):
                # "TMV from tumour cells but not normal cells induced ...": "but not" sets a noun
                # aside; the verb after it is the main subject's
                continue
            return True
    return False


def _hedge(tokens: list[Token], cue: int) -> str | None:
    """The hedging word of the cue's clause, if any (the nearest before the cue, else after it)."""
    left = cue
    while left > 0 and tokens[left - 1].lower not in _TERMINATORS:
        left -= 1
    right = cue
    while right + 1 < len(tokens) and tokens[right + 1].lower not in _TERMINATORS:
        right += 1
    for index in [*range(cue - 1, left - 1, -1), *range(cue + 1, right + 1)]:
        word = tokens[index].lower
        if _HEDGES.match(word):
            if word.startswith(
                ("appear", "seem", "thought", "believed", "proposed", "assumed", "expected")
            ) and not (index + 1 < len(tokens) and tokens[index + 1].lower == "to"):
                continue
            return str(tokens[index].text)
    return None


_PHRASE_ENDS = frozenset(
    [
        "in",
        "from",
        "by",
        "to",
        "on",
        "at",
        "was",
        "were",
        "is",
        "are",
        "did",
        "does",
        "do",
        "had",
        "has",
        "have",
        "and",
        "or",
        "which",
        "that",
    ]
)


def _phrase_ends(word: str) -> bool:
    """Does the perturbed thing's name end before this word (a verb, a preposition, a cue)?"""
    return (
        word in _TERMINATORS
        or word in _PHRASE_ENDS
        or bool(_PROMOTE.match(word) or _INHIBIT.match(word) or _AFFECT.match(word))
    )


def _perturbation(tokens: list[Token]) -> tuple[str, int, int] | None:
    """``(kind, start, end)`` of the perturbation named: the trigger word with the word before it
    ("Rab27a knockdown") or the words after it up to the thing perturbed ("knockdown of Rab27a",
    "blocking exosome secretion"). Of several ("depletion of microRNAs or blockade of exosome
    secretion"), the first that names vesicles or their release, else the first."""
    found = list(_perturbations(tokens))
    for kind, start, end in found:
        words = [t.lower for t in tokens if start <= t.start < end]
        if any(_SECRETION.match(w) or w.startswith(("exosom", "vesic")) for w in words):
            return kind, start, end
    return found[0] if found else None


def _perturbations(tokens: list[Token]) -> Iterable[tuple[str, int, int]]:
    words = [t.lower for t in tokens]
    for index, word in enumerate(words):
        for pattern, kind in _PERTURBATIONS:
            if not pattern.match(word):
                continue
            window = words[index + 1 : index + 5]
            if any(_SCREEN.match(w) for w in window):
                continue  # "Using an RNA interference (RNAi) screen, we identified ..."
            if kind.startswith("absent?"):
                if words[max(0, index - 2) : index] != ["in", "the"] or window[:1] != ["of"]:
                    continue
                kind = kind.removeprefix("absent?")
            opening = kind.startswith("opening?")
            if opening:
                if index > 0 and words[index - 1] not in _TERMINATORS:
                    continue  # "... exosomes, reducing growth": a cue, not a perturbation
                kind = kind.removeprefix("opening?")
            if kind == "blocking_antibody?":
                if not any(_ANTIBODY.match(w) for w in window):
                    continue
                kind = "blocking_antibody"
            elif kind == "blockade?":
                if word != "blockade" and not any(_SECRETION.match(w) for w in window):
                    continue
                kind = "secretion_blockade"
            last = index + 1
            if last < len(words) and words[last] in ("of", "with"):
                last += 1
                while last < len(words) and last < index + 5 and not _phrase_ends(words[last]):
                    done = _SECRETION.match(words[last]) or _ANTIBODY.match(words[last])
                    last += 1
                    if done:
                        break
            elif opening:  # "Reducing Met expression", "Targeting the integrins"
                while last < len(words) and last < index + 5 and not _phrase_ends(words[last]):
                    last += 1
            else:
                while (
                    last < len(words)
                    and last < index + 4
                    and (
                        _SECRETION.match(words[last])
                        or _ANTIBODY.match(words[last])
                        or words[last].startswith(("exosom", "vesic", "ev"))
                    )
                ):
                    last += 1
                if kind == "blocking_antibody" and last < len(words):
                    # "blocking antibody against Hsp72", "antibodies specific for TGF-beta1"
                    if words[last] in ("against", "to", "for"):
                        last = min(len(words), last + 2)
                    elif (
                        words[last] == "specific"
                        and last + 1 < len(words)
                        and words[last + 1] in ("for", "to")
                    ):
                        last = min(len(words), last + 3)
            if last + 1 < len(words) and words[last] == "with" and _DRUG.match(words[last + 1]):
                kind, last = "inhibitor", last + 2  # "blocking exosome secretion with GW4869"
            first = index
            if (
                index > 0
                and words[index - 1] not in _TERMINATORS
                and words[index - 1] not in _PHRASE_ENDS
                and last == index + 1
            ):
                first = index - 1  # "Rab27a knockdown", "GW4869 inhibitor" (not "in Rab27a-null")
                if word == "interference" and index > 1 and words[index - 1] == "rna":
                    first = index - 2  # "Rab27A RNA interference"
            yield kind, tokens[first].start, tokens[last - 1].end
            break


# --- from a text to candidate statements ------------------------------------------------------------


def load_categories(kg_file: Path | None = None) -> dict[str, set[str]]:
    """Per CURIE, what kind of thing it is (``queries/lookup/term-categories.rq`` on the graph)."""
    from exokg.core.prefixes import compact
    from exokg.core.resources import KG_FILE, QUERIES_DIR
    from exokg.query.store import open_store

    query = QUERIES_DIR / "lookup" / "term-categories.rq"
    store = open_store(kg_file=kg_file or KG_FILE)
    answer = store.select(query.read_text(encoding="utf-8"), where=str(query))
    result: dict[str, set[str]] = {}
    for term, category in answer.rows:
        if term is not None and category is not None:
            result.setdefault(compact(term.value), set()).add(category.value)
    return result


def propose(
    text: str,
    lexicon: Lexicon,
    categories: dict[str, set[str]],
    sources: dict[tuple[str, str], str] | None = None,
) -> list[Proposal]:
    """The candidate findings of ``text``, in text order (module docstring for the rules).

    ``sources`` maps (vesicle class, the cell it comes from) to the class of those vesicles
    (:func:`load_vesicle_sources`), so that "exosomes from melanoma cells" is the melanoma class.
    """
    # the vesicle type and the cells stay separate spans: propose fills subject and cell line from them
    spans = [s for s in annotate(lexicon, text, cell_of_origin=False) if s.candidates]
    spans = _exo_short_forms(text, spans, lexicon)
    organisms = _named(spans, categories, "organism")
    lines = _named(spans, categories, "cell_line")
    proposals: list[Proposal] = []
    antecedent: Span | None = None  # the vesicles the previous sentence was about
    for start, end in sentences(text):
        inside = [s for s in spans if start <= s.start and s.end <= end]
        # "DC maturation", "suppressive activity of the MDSCs": a cell and what it does name a process
        inside = _cell_processes(text, (start, end), inside, lexicon, categories)
        # "secreted fewer exosomes", "the number of exosomes": the vesicles' release is the outcome
        inside = _released(text, inside, lexicon, categories)
        # "They induce Treg", "These vesicles suppress ...": the vesicles of the sentence before
        inside = _anaphora(text, (start, end), inside, antecedent, lexicon, categories, sources)
        antecedent = _topic(text, inside, categories, lexicon, sources)
        vesicles = [
            s
            for s in inside
            if _is(s, categories, "vesicle")
            and not _MEASURED.search(text, max(start, s.start - 60), s.start)
        ]
        # without a vesicle word, the release of vesicles ("exosome secretion") or a perturbed
        # gene ("knockdown of Rab27a") may still be what the finding is about
        processes = [s for s in inside if _is(s, categories, "vesicle_process")]
        # an outcome is a process: a cell the vesicles reach, or a receptor or cargo they carry
        # ("educating progenitors through the receptor MET"), is not what they do
        objects = [
            s
            for s in inside
            if _is(s, categories, "process")
            and not _is(s, categories, "vesicle")
            and not set(s.curies) <= _TOO_GENERAL
            and not _NAMES_A_THING.match(text, s.end)
        ]
        # the release of vesicles is what acts, not an outcome, when nothing else is named
        cells_only = all(_is(o, categories, "vesicle_process") for o in objects)
        if cells_only:
            # no process named: a cell the verb acts on directly ("activated T cells", "educated
            # bone-marrow progenitor cells"); a cell after a preposition is a place or a source
            objects = objects + [
                s
                for s in inside
                if _is(s, categories, "cell")
                and not _is(s, categories, "cell_line")
                and not set(s.curies) <= _TOO_GENERAL
                and _acted_on(text, s)
            ]
            # a molecule the verb acts on ("activates STAT3", "triggered Stat3 activation")
            objects += [
                s
                for s in inside
                if _molecule(s, categories)
                and (_acted_on(text, s) or _ACTIVATION.match(text, s.end))
            ]
        if not objects:
            continue
        masked = [(s.start, s.end) for s in inside]
        depends = _depends(text, (start, end), inside, objects, categories)
        if depends:
            # "Exosome release depended on Rab11": what it depends on promotes it
            context = _context(
                text, start, end, inside, categories, organisms, lines, Reading("promotes"), None
            )
            for agent, outcome, reading in depends:
                proposals.append(
                    _proposal(
                        agent,
                        outcome,
                        reading,
                        (start, end),
                        categories,
                        context,
                        text,
                        inside,
                        sources,
                    )
                )
            continue
        anchor = (vesicles or processes or inside)[0].start
        reading = read_clause(text, start, end, masked, anchor=anchor)
        if reading.direction is None:
            continue
        if reading.perturbation_kind is not None:
            # the perturbation is no outcome ("reduced by Rab27a knockdown")
            objects = [
                o
                for o in objects
                if o.end <= reading.perturbation_start or o.start >= reading.perturbation_end
            ]
        context = _context(text, start, end, inside, categories, organisms, lines, reading, None)
        if reading.perturbation_kind is not None and (
            reading.perturbation_start < reading.cue_start or reading.passive
        ):
            proposals.extend(
                _loss_of_function(
                    text,
                    (start, end),
                    inside,
                    objects,
                    reading,
                    masked,
                    lexicon,
                    categories,
                    organisms,
                    lines,
                    sources,
                )
            )
            continue
        if vesicles:
            subjects = _subjects(text, vesicles, reading)
            # cargo named as what acts is the subject in the vesicles' place: "Hsp72 on tumour
            # exosomes", "TDE-associated Hsp72 triggered ..." are about Hsp72 (the vesicles say where
            # it is)
            subjects = _carried(text, inside, subjects, categories, reading) or subjects
        elif _carried(text, inside, [], categories, reading):
            subjects = _carried(text, inside, [], categories, reading)  # "exosomal Hsp70"
        elif [p for p in processes if p.start < reading.cue_start]:
            subjects = _subjects(text, processes, reading)
        elif regulators := _regulators(text, inside, objects, categories, reading):
            # "Rab GTPases that promote exosome secretion": a gene or protein acting on the release
            # or making of vesicles is the subject of that finding (and of no other)
            subjects = regulators
            objects = [o for o in objects if _is(o, categories, "vesicle_process")]
            cells_only = False
        else:
            continue
        if not subjects:
            continue
        if cells_only and len(text[subjects[-1].end : reading.cue_start].split()) > 6:
            continue  # the verb acting on the cell is too far to be the vesicles' own
        if _ASSOCIATION.search(text, start, end):
            continue  # "X correlated with Y": an association, not an effect
        if _AIM.search(text, start, reading.cue_start):
            continue  # "we investigated whether X induces Y": the question, not the finding
        studied = _STUDY.search(text, start, reading.cue_start)
        if studied and not _SHOWN.search(text, studied.end(), reading.cue_start):
            continue  # "we investigate exosomes ... as means of inhibiting Y": what was studied
        if _PURPOSE.search(text[start : reading.cue_start]):
            continue  # "strategies to modulate Y", "the potential of X for activating Y"
        if _CARGO.search(text, subjects[-1].end, reading.cue_start):
            continue  # "EVs carry mRNAs involved in metastasis": what they carry does it
        free = [
            o
            for o in objects
            if o not in subjects
            and o.start > subjects[-1].end
            and not _PLACE.search(text, 0, o.start)
        ]
        # "enhance Treg resistance to apoptosis": the outcome is the resistance, not apoptosis
        targets = [
            o
            for o in free
            if o.start > reading.cue_start and not _RESISTANCE.search(text, start, o.start)
        ]
        if cells_only:
            # "expand Treg", "activate NK cells": the process exokg names for the verb and its cell
            targets = [_nominal(text, o, lexicon) or o for o in targets]
        if targets:
            outcomes = _outcomes(text, targets, reading, masked, start, subjects[-1].end)
        elif reading.cue_start < subjects[0].start:
            # the outcome before its subject: "Increased X was not observed with microvesicles"
            before = [
                o
                for o in objects
                if o not in subjects
                and o.end <= subjects[0].start
                and not _PLACE.search(text, 0, o.start)
            ]
            outcomes = [(before[-1], reading)] if before else []
        else:
            outcomes = []
        limit = _CAVEAT.search(text, reading.cue_start, end)
        for target, target_reading in outcomes:
            for subject in subjects:
                proposal = _proposal(
                    subject,
                    target,
                    target_reading,
                    (start, end),
                    categories,
                    context,
                    text,
                    inside,
                    sources,
                )
                proposals.append(proposal)
                if limit is not None and proposal.polarity == "positive":
                    # "... can promote tumour progression, but this cannot be generalised"
                    proposals.append(replace(proposal, polarity="caveat", qualifies_previous=True))
            for other in _contrasted(text, vesicles, reading, end) + _set_aside(
                text, vesicles, reading
            ):
                # "X enhanced Y, whereas Z did not": the same finding, denied for Z
                denied = _proposal(
                    other,
                    target,
                    target_reading,
                    (start, end),
                    categories,
                    context,
                    text,
                    inside,
                    sources,
                )
                polarity = "negative" if proposal.polarity == "positive" else "positive"
                proposals.append(replace(denied, polarity=polarity))
    return proposals


# what a study set out to look at, and a word that reports what it found after all
_STUDY = re.compile(r"\bwe\s+(?:investigat|examin|explor|stud(?:y|ied))\w*\b", re.I)
_SHOWN = re.compile(r"\b(?:found|find|show\w*|demonstrat\w*|reveal\w*|observ\w*|report\w*)\b", re.I)
# a cue that says what something is for: "strategies to modulate", "for activating"
_PURPOSE = re.compile(
    r"\b(?:strateg\w+|approach\w*|tools?|means|ways?|methods?|therap\w+|potential|aim)\s+"
    r"(?:\w+\s+){0,2}?to\s*$|\bpotential\s+of\b.*\bfor\s*$",
    re.I,
)
_RESISTANCE = re.compile(r"\b(?:resistan(?:ce|t)\s+to|protect\w*\s+(?:from|against))\s+$", re.I)
# a process word that names a thing: "tumour growth factors", "apoptosis-inducing ligand"
_NAMES_A_THING = re.compile(
    r"[\s-]+(?:factors?|inducing|ligands?|receptors?|genes?|markers?)\b", re.I
)
_ASSOCIATION = re.compile(r"\b(correlat\w*|associated with|association)\b", re.I)
_CARGO = re.compile(
    # finite forms only: "exosomes containing OVA suppressed ..." says what acts, not what is carried
    r"\b(carr(?:y|ies|ied)|contain(?:s|ed)?|harbou?r(?:s|ed)?|bears?|bore|transport(?:s|ed)?)\b",
    re.I,
)
_AIM = re.compile(
    r"\b(investigat\w*|examin\w*|asked|test\w*|explor\w*|determin\w*|addressed)\s+"
    r"(whether|if|how)\b"
    # "we compared ... for their ability to induce X": what was measured, not what was found
    r"|\b(?:for|of)\s+(?:their|its)\s+(?:ability|capacity|potential|potency)\s+to\b",
    re.I,
)
# an outcome named as the place something happens ("glucose uptake in the premetastatic niche")
# a clause with a subject of its own: ", and we hypothesize", "; these"
_NEW_CLAUSE = re.compile(
    r"(?:[,;]\s*(?:and|but|while|whereas)?|\b(?:and|but))\s+(?:we|they|it|these|this|our)\s", re.I
)
# ... or the time it happens in ("during an immune response")
_PLACE = re.compile(
    r"\b(in|at|within|into|throughout)\s+the\s+$|\bduring\s+(?:an?\s+|the\s+)?$", re.I
)
_DIRECT_OBJECT = re.compile(
    r"(?:^|\s)([A-Za-z-]+)(?:\s+(?:the|a|an|more|fewer|many|human|mouse|murine|naive|naïve|"
    r"activated|resting|primed|effector|memory|tumou?r-specific|antigen-specific))?\s*$",
    re.I,
)


_NOT_MODIFYING = (
    "and|or|but|in|of|to|from|by|with|that|which|through|via|at|on|into|as|than|were|was|are|is|"
    "toward|towards|after|during|without|while|whereas|for|when|where|both|not|also"
)
_MODIFIES = re.compile(
    r"(?:\s*\([^()]{1,12}\))?(?:-[a-z]|\s+(?!(?:" + _NOT_MODIFYING + r")\b)[a-z]{3,})"
)


_NOMINALS = (
    ("expan", "expansion"),
    ("prolifer", "proliferation"),
    ("mobili", "mobilization"),
    ("recruit", "recruitment"),
    ("activat", "activation"),
    ("educat", "education"),
    ("induc", "induction"),
    ("differentiat", "differentiation"),
    ("matur", "maturation"),
    ("kill", "killing"),
    ("stimulat", "activation"),  # "stimulate CD4 T cells": CD4+ T-cell activation
)


# what a cell does, as the noun after the cell ("DC maturation") or before "of" ("lytic activity of NK
# cells"), and the word exokg's process classes use for it
_CELL_DOES = (
    (r"matur(?:ation|ing)", "maturation"),
    (r"proliferation", "proliferation"),
    (r"expansion", "expansion"),
    (r"activation", "activation"),
    (r"differentiation", "differentiation"),
    (
        r"(?:suppressive|suppressor|immunosuppressive)\s+(?:activit(?:y|ies)|functions?)",
        "suppressive activity",
    ),
    (r"(?:cyto)?lytic\s+(?:activit(?:y|ies)|functions?)|cytotoxicity|killing", "cytotoxicity"),
    (r"mobili[sz]ation", "mobilisation"),
    (r"recruitment", "recruitment"),
    (r"apoptosis", "apoptosis"),
    (r"responses?", "response"),
)
_DOES = "|".join(f"(?:{pattern})" for pattern, _ in _CELL_DOES)
# "DC maturation", "T-cell proliferation", "CD8(+) T cell apoptosis", "MDSC suppressive functions"
_DOES_AFTER = re.compile(rf"(?:\s*\(\+\)|\+)?[\s-]+({_DOES})\b", re.I)
# "suppressive activity of the MDSCs", "proliferation of activated CD8+ T cells"
_DOES_BEFORE = re.compile(
    rf"\b({_DOES})\s+(?:of|in|by)\s+(?:the\s+)?(?:(?:activated|resting|human|murine|mouse|naive|"
    r"naïve|primary|tumou?r-reactive|effector|these)\s+)*$",
    re.I,
)
# "activated human MDSCs and triggered their suppressive function": "their" is the cell just named
_THEIR = re.compile(rf"\btheir\s+({_DOES})\b", re.I)


def _cell_processes(
    text: str,
    span: tuple[int, int],
    inside: list[Span],
    lexicon: Lexicon,
    categories: dict[str, set[str]],
) -> list[Span]:
    """The sentence's spans, with a cell and what the text says it does ("DC maturation", "lytic
    activity of NK cells", "their suppressive function" after MDSCs) made one process span when
    exokg has that process: for the cell's class, else for lymphocytes when the cell is one ("T-cell
    proliferation" is lymphocyte proliferation). A mediator the sentence names (Fas ligand) narrows
    it when exokg has the narrower process ("Fas ligand-mediated lymphocyte apoptosis")."""
    start, end = span
    cells = [
        s
        for s in inside
        if _is(s, categories, "cell")
        and not _is(s, categories, "cell_line")
        and not _is(s, categories, "process")
        and not s.ambiguous
    ]
    made: list[tuple[Span, Span]] = []  # (process span, the cell it is about)
    for cell in cells:
        after = _DOES_AFTER.match(text, cell.end)
        before = _DOES_BEFORE.search(text, max(0, cell.start - 80), cell.start)
        if after is not None:
            noun, at, to = after.group(1), cell.start, after.end()
        elif before is not None:
            noun, at, to = before.group(1), before.start(1), cell.end
        else:
            continue
        found = _cell_process(text, cell, noun, inside, lexicon, categories)
        if found:
            made.append((Span(at, to, text[at:to], found, found[0].kind), cell))
    for their in _THEIR.finditer(text, start, end):
        named = [c for c in cells if c.end <= their.start()]
        if not named or any(m[0].start <= their.start() < m[0].end for m in made):
            continue
        found = _cell_process(text, named[-1], their.group(1), inside, lexicon, categories)
        if found:
            at, to = their.start(), their.end()
            made.append((Span(at, to, text[at:to], found, found[0].kind), named[-1]))
    if not made:
        return inside
    taken = [(m[0].start, m[0].end) for m in made]
    kept = [s for s in inside if not any(a <= s.start and s.end <= b for a, b in taken)]
    return sorted(kept + [m[0] for m in made], key=lambda s: (s.start, -s.end))


def _cell_process(
    text: str,
    cell: Span,
    noun: str,
    inside: list[Span],
    lexicon: Lexicon,
    categories: dict[str, set[str]],
) -> tuple[Any, ...]:
    """The candidates of the process "<cell> <noun>", or ()."""
    word = next(w for p, w in _CELL_DOES if re.fullmatch(p, noun, re.I))
    curie = cell.candidates[0].curie
    names = [n for n, kind in lexicon.terms[curie]["names"] if kind in ("label", "exact synonym")]
    if "lymphocyte" in categories.get(curie, ()):
        names.append("lymphocyte")
    mediators = [
        name
        for span in inside
        if _molecule(span, categories) and not span.ambiguous
        for name, kind in lexicon.terms[span.candidates[0].curie]["names"]
        if kind in ("label", "exact synonym")
    ]
    if word == "response" and "lymphocyte" in categories.get(curie, ()):
        names.append("immune")  # a lymphocyte's response ("T-cell responses") is an immune response
    for name in names:
        tried = [f"{m}-mediated {name} {word}" for m in mediators] + [f"{name} {word}"]
        for phrase in tried:
            found = [
                c
                for c in lexicon.lookup(phrase, types={"class"})
                if "process" in categories.get(c.curie, ())
            ]
            if found:
                return tuple(lexicon.candidate(c.curie, c.kind, phrase) for c in found[:1])
    return ()


def _nominal(text: str, span: Span, lexicon: Lexicon) -> Span | None:
    """The process a verb and the cell it acts on name, when exokg has it: "expand Treg" is Treg
    expansion, "mobilize neutrophils" neutrophil mobilisation."""
    match = _DIRECT_OBJECT.search(text[max(0, span.start - 40) : span.start])
    if match is None or span.ambiguous:
        return None
    verb = match.group(1).lower()
    cell = span.candidates[0]
    for stem, noun in _NOMINALS:
        if not verb.startswith(stem):
            continue
        for name in dict.fromkeys((cell.name, cell.label)):
            found = lexicon.lookup(f"{name} {noun}", types={"class"})
            if found:
                start = max(0, span.start - 40) + match.start(1)
                shown = text[start : span.end]
                kept = tuple(lexicon.candidate(c.curie, c.kind, shown) for c in found)
                return Span(start, span.end, shown, kept, kept[0].kind)
    return None


def _processes_of(
    text: str, targets: list[Span], lexicon: Lexicon, categories: dict[str, set[str]]
) -> list[Span]:
    """The outcomes of a loss of function, each cell a verb acts on as the process the two name
    ("expand Treg" is Treg expansion); a cell no process names is dropped: "X knockout showed X is
    required to prime T cells" is about priming, which "promotes T cells" does not say."""
    found = []
    for target in targets:
        if _is(target, categories, "cell") and not _is(target, categories, "process"):
            named = _nominal(text, target, lexicon)
            if named is not None:
                found.append(named)
        else:
            found.append(target)
    return found


def _acted_on(text: str, span: Span) -> bool:
    """Is the cell the direct object of a cue verb ("activate myeloid-derived suppressor cells")?
    A cell word that modifies the next noun ("promote breast cancer cell (BCC) protrusive activity",
    "T cell-dependent rejection") is not."""
    if _MODIFIES.match(text, span.end):
        return False
    match = _DIRECT_OBJECT.search(text[max(0, span.start - 40) : span.start])
    if match is None:
        return False
    verb = match.group(1).lower()
    return bool(_PROMOTE.match(verb) or _INHIBIT.match(verb) or _AFFECT.match(verb))


def _outcomes(
    text: str,
    targets: list[Span],
    reading: Reading,
    masked: Sequence[tuple[int, int]],
    start: int,
    after: int,
) -> list[tuple[Span, Reading]]:
    """Each outcome with the reading of the cue nearest before it: "induced vascular leakiness and
    reprogrammed progenitors", "preventing education and reducing growth and metastasis" are
    several findings, each with its own verb; outcomes joined by "and"/"or"/a comma share one."""
    found: list[tuple[Span, Reading]] = []
    boundary = after
    current = reading
    for target in targets:
        if _NEW_CLAUSE.search(text, boundary, target.start):
            break  # ", and we hypothesize that ...": another clause, with its own subject
        local = read_clause(text, boundary, target.start, masked, last=True)
        if local.direction is not None and local.cue_start >= boundary:
            current = replace(
                local,
                hedge=local.hedge or reading.hedge,
                # a negation before the subject ("neither exosomes nor ...") holds for its first cue
                negated=local.negated or (not found and reading.negated),
            )
        elif found:
            between = text[found[-1][0].end : target.start].strip().lower()
            # "exosome secretion and lung metastasis": a modifier may stand before the next one
            joined = _JOINED.match(between)
            if between not in (*_JOINS, "and of") and not (
                joined and not read_clause(between).direction
            ):
                break
        found.append((target, current))
        boundary = target.end
    return found


def _loss_of_function(
    text: str,
    span: tuple[int, int],
    inside: list[Span],
    objects: list[Span],
    reading: Reading,
    masked: Sequence[tuple[int, int]],
    lexicon: Lexicon,
    categories: dict[str, set[str]],
    organisms: list[str],
    lines: list[str],
    sources: dict[tuple[str, str], str] | None,
) -> list[Proposal]:
    """A sentence whose finding comes from removing something: the direction the text observes is
    reversed onto the thing removed. "Rab27A RNA interference decreased exosome production,
    preventing bone marrow education and reducing tumor growth and metastasis" proposes that Rab27a
    promotes exosome production and that exosome production promotes education, growth and
    metastasis. When the thing removed is not an exokg term ("Targeting the integrins ...") nothing
    is proposed: the vesicles are not what was removed."""
    start, end = span
    p_start, p_end = reading.perturbation_start, reading.perturbation_end
    removed = [
        s for s in inside if (s.start < p_end and s.end > p_start) or (p_end <= s.start < p_end + 2)
    ]
    vesicle_removed = [
        s for s in removed if _is(s, categories, "vesicle") or _is(s, categories, "vesicle_process")
    ]
    molecule_removed = [
        s
        for s in removed
        if _is(s, categories, "molecule")
        and not _is(s, categories, "cell")
        and not _is(s, categories, "vesicle")
        and not _is(s, categories, "process")
    ]
    if not vesicle_removed and not molecule_removed:
        # "Rab27a and Rab27b double knockout cells": the genes stand just before the word
        before = [
            s
            for s in inside
            if s.end <= p_start and _molecule(s, categories) and p_start - s.end <= 12
        ]
        if before and re.fullmatch(
            r"\s*(?:double|triple|dual)?\s*", text[before[-1].end : p_start]
        ):
            molecule_removed = before[-1:]
            for prior in reversed(before[:-1]):
                if text[prior.end : molecule_removed[0].start].strip().lower() not in _JOINS:
                    break
                molecule_removed.insert(0, prior)
            removed = removed + molecule_removed
    listed: list[Span] = []
    if not vesicle_removed and not molecule_removed and not reading.passive:
        # "silencing two known Rab27 effectors, Slp4 (also known as SYTL4) and Slac2b, inhibited
        # ...": what was removed is named after the perturbation word, before the cue (each once)
        for s in inside:
            if (
                p_end <= s.start
                and s.end <= reading.cue_start
                and _molecule(s, categories)
                and s.curies[0] not in {t.curies[0] for t in listed}
            ):
                listed.append(s)
        if _TERMINATORS & {w.lower() for w in _WORD.findall(text[p_end : reading.cue_start])} - {
            ",",
            "(",
            ")",
        }:
            listed = []  # another clause comes between ("silencing X, which ..., reduced")
    gene = (
        molecule_removed[0].candidates[0].curie
        if molecule_removed and not molecule_removed[0].ambiguous
        else listed[0].candidates[0].curie
        if listed
        else _gene(text, reading, lexicon, categories, organisms)
    )
    if reading.passive:
        # "The size of MVEs was increased by Rab27a silencing": the outcome is the passive's subject,
        # in the clause before the cue (not across "which", a relative whose antecedent is unclear)
        clause = text[start : reading.cue_start]
        opening = max(clause.rfind(w) for w in (",", ";", " which ", " that ")) + start
        targets = [
            o
            for o in objects
            if opening < o.start and o.end <= reading.cue_start and o not in removed
        ]
        chosen = targets[-1:]
        for target in reversed(targets[:-1]):
            if text[target.end : chosen[0].start].strip().lower() not in _JOINS:
                break
            chosen.insert(0, target)
        targets = chosen
    else:
        targets = [o for o in objects if o.start >= p_end and o not in removed]
    # "inhibited TMV ability to expand Treg": the verb and its cell are the outcome (Treg expansion)
    targets = _processes_of(text, targets, lexicon, categories)
    subjects: list[Span]
    if vesicle_removed:
        subjects = [vesicle_removed[0]]
    elif molecule_removed:
        # "silencing of Rab27a and Rab27b": each gene removed is a subject
        subjects = [molecule_removed[0]]
        for other in [s for s in inside if s.start > molecule_removed[0].end]:
            between = text[subjects[-1].end : other.start].strip().lower()
            if between not in _JOINS or not (
                _is(other, categories, "molecule") and not _is(other, categories, "process")
            ):
                break
            subjects.append(other)
            targets = [o for o in targets if o is not other]
    elif listed:
        subjects = listed
        targets = [o for o in targets if o not in listed]
    elif any(_DRUG.match(w) for w in (reading.perturbation or "").lower().split()):
        # a drug that blocks vesicle release (GW4869): the vesicles, or their release, were removed
        released = [o for o in targets if _is(o, categories, "vesicle_process")]
        vesicles = [s for s in inside if _is(s, categories, "vesicle")]
        if released:
            subjects = [released[0]]
            targets = [o for o in targets if o is not released[0]]
        elif vesicles:
            subjects = [vesicles[0]]
        else:
            return []
    elif gene is not None:
        # the gene is a word of a term that names its removal ("Rab27a knockdown")
        term = lexicon.candidate(gene, "gene symbol", text[p_start:p_end])
        subjects = [Span(p_start, p_end, text[p_start:p_end], (term,), "gene symbol")]
    else:
        return []  # what was removed is not named by an exokg term
    context = _context(text, start, end, inside, categories, organisms, lines, reading, gene)
    proposals = []
    found = (
        [(t, reading) for t in targets]
        if reading.passive
        else _outcomes(text, targets, reading, masked, start, p_end)
    )
    for target, local in found:
        said = local.cue_direction or local.direction
        if (
            said in ("promotes", "inhibits")
            and not {
                (local.cue or "").lower(),
                (reading.cue or "").lower(),
            }
            & _REQUIRED
        ):
            said = "inhibits" if said == "promotes" else "promotes"
        flipped = replace(local, direction=said)
        if local.negated and local.cue_direction in ("promotes", "inhibits"):
            # without X, Y "failed to increase": X is needed for it (promotes); Y "was not reduced":
            # X is not needed (promotes, negative)
            flipped = replace(
                local, direction="promotes", negated=local.cue_direction == "inhibits"
            )
        for subject in subjects:
            proposals.append(
                _proposal(
                    subject, target, flipped, span, categories, context, text, inside, sources
                )
            )
        if _is(target, categories, "vesicle_process") and target not in subjects:
            subjects = [target]  # the chain: the gene makes the vesicles, the vesicles act
    return proposals


_CONTRAST = re.compile(r"(whereas|while|but|unlike)\s*$", re.I)
_ELLIPSIS = re.compile(
    r"^\s*(did|do|does|was|were|is|are|had|has|have|could|would)\s*(not|n't)"
    r"(\s+(do\s+so|so|have\s+this\s+effect))?\s*[.;]?\s*$",
    re.I,
)


def _contrasted(text: str, vesicles: list[Span], reading: Reading, end: int) -> list[Span]:
    """Vesicles of a contrasting clause that denies the finding by ellipsis ("whereas microvesicles
    did not"), after the cue."""
    found = []
    for vesicle in vesicles:
        if vesicle.start <= reading.cue_start:
            continue
        before = text[max(0, vesicle.start - 12) : vesicle.start]
        after = text[vesicle.end : end]
        if _CONTRAST.search(before.rstrip(" ,")) and _ELLIPSIS.match(after):
            found.append(vesicle)
    return found


_ACTIVATION = re.compile(r"\s+(activation|phosphorylation)\b", re.I)
_CARRIED_BY = re.compile(
    r"\s*(?:on|in|of|within|from|associated\s+with|expressed\s+(?:on|at|by|in))\s+(?:the\s+)?"
    r"(?:surface\s+of\s+(?:the\s+)?)?(?:\S+\s+){0,2}?$",
    re.I,
)
_CARRIED_AFTER = re.compile(r"(?:exosomal|vesicular|-associated|-bound)\s+$", re.I)


def _molecule(span: Span, categories: dict[str, set[str]]) -> bool:
    return (
        _is(span, categories, "molecule")
        and not _is(span, categories, "vesicle")
        and not _is(span, categories, "process")
        and not _is(span, categories, "cell")
    )


def _carried(
    text: str,
    inside: list[Span],
    subjects: list[Span],
    categories: dict[str, set[str]],
    reading: Reading,
) -> list[Span]:
    """A molecule the vesicles carry, named as what acts before the cue ("Hsp72 on tumour
    exosomes triggered ...", "TDE-associated Hsp72 triggered ...", "exosomal Hsp70 triggers ...")."""
    found = []
    for span in inside:
        if span.start >= reading.cue_start or not _molecule(span, categories):
            continue
        if span.ambiguous:
            continue
        carried = any(
            _CARRIED_BY.match(text, span.end, v.start) for v in subjects if v.start > span.end
        )
        if carried or _CARRIED_AFTER.search(text, max(0, span.start - 20), span.start):
            found.append(span)
    return found[-1:]


# "OVA-Exo", "Pep-Exo", "Exos": the field's short form for exosomes, often never spelt out
_EXO = re.compile(r"(?<![\w-])(?:(?:[A-Za-z0-9]+-)*Exos?|[a-z]{1,2}Exosomes?)(?![\w-])")
EXOSOME = "GO:0070062"


# how much of the vesicles a cell releases: "secreted fewer exosomes", "the number of exosomes"
_AMOUNT = re.compile(
    r"(?:\b(?:secret|releas|produc|shed)\w*\s+(?:significantly\s+)?(?:fewer|less|more|"
    r"lower|higher|increased|reduced|decreased)\s+(?:amounts?\s+of\s+|numbers?\s+of\s+)?"
    r"|\b(?:number|amount|quantity|release|secretion)\s+of\s+(?:the\s+)?(?:secreted\s+)?)$",
    re.I,
)


def _released(
    text: str, inside: list[Span], lexicon: Lexicon, categories: dict[str, set[str]]
) -> list[Span]:
    """The spans, with vesicles named as an amount a cell releases ("secreted fewer exosomes",
    "decreased the number of exosomes") read as the release of those vesicles, when exokg has that
    process ("exosome secretion")."""
    found = []
    for span in inside:
        if not _is(span, categories, "vesicle") or span.ambiguous:
            continue
        if not _AMOUNT.search(text, max(0, span.start - 60), span.start):
            continue
        record = lexicon.terms[span.candidates[0].curie]
        names = [n for n, kind in record["names"] if kind in ("label", "exact synonym")]
        for name in names:
            hits = [
                c
                for c in lexicon.lookup(f"{name} secretion", types={"class"})
                if "vesicle_process" in categories.get(c.curie, ())
            ]
            if hits:
                kept = (lexicon.candidate(hits[0].curie, hits[0].kind, span.text),)
                found.append((span, Span(span.start, span.end, span.text, kept, hits[0].kind)))
                break
    if not found:
        return inside
    swapped = dict((id(old), new) for old, new in found)
    return [swapped.get(id(s), s) for s in inside]


def _exo_short_forms(text: str, spans: list[Span], lexicon: Lexicon) -> list[Span]:
    """The spans, with each "X-Exo" that no term covers read as exosomes (the authors' word; the
    subject stays an extracellular vesicle under MISEV2023)."""
    if EXOSOME not in lexicon.terms:
        return spans
    found = [
        Span(
            m.start(),
            m.end(),
            m.group(),
            (lexicon.candidate(EXOSOME, "abbreviation", m.group()),),
            "abbreviation",
        )
        for m in _EXO.finditer(text)
        if not any(s.start < m.end() and m.start() < s.end for s in spans)
    ]
    return sorted([*spans, *found], key=lambda s: (s.start, -s.end)) if found else spans


# a sentence that opens with a pronoun or a demonstrative for what the sentence before was about
_PRONOUN = re.compile(
    r"(?:(?:moreover|furthermore|in\s+addition|in\s+turn|thus|therefore|finally|importantly|"
    r"notably|indeed|in\s+vivo|in\s+vitro)\s*,?\s*)?(they|these|those|such)\b",
    re.I,
)


def _topic(
    text: str,
    inside: list[Span],
    categories: dict[str, set[str]],
    lexicon: Lexicon,
    sources: dict[tuple[str, str], str] | None,
) -> Span | None:
    """The vesicles a sentence is about, for a pronoun in the next one: its first term, when that
    term is a vesicle (its subject, as abstracts write), as the most specific class the text names
    ("TMV" -> tumour-derived microvesicle, "exosomes from melanoma cells" -> the melanoma class)."""
    named = [s for s in inside if not _is(s, categories, "organism")]
    if not named or not _is(named[0], categories, "vesicle") or named[0].ambiguous:
        return None
    first = named[0]
    curie = _specific(first, text, inside, sources)
    kept = (lexicon.candidate(curie, first.candidates[0].kind, first.text),)
    return Span(first.start, first.end, first.text, kept, first.kind)


def _anaphora(
    text: str,
    span: tuple[int, int],
    inside: list[Span],
    antecedent: Span | None,
    lexicon: Lexicon,
    categories: dict[str, set[str]],
    sources: dict[tuple[str, str], str] | None,
) -> list[Span]:
    """The sentence's spans with a pronoun that opens it ("They induce Treg") standing for the
    vesicles the sentence before was about, and "these exosomes" taking their more specific class
    ("TMV ... These microvesicles ..." are the tumour-derived ones)."""
    if antecedent is None:
        return inside
    start, end = span
    opening = _PRONOUN.match(text, start, end)
    if opening is None:
        return inside
    at, to = opening.span(1)
    following = next((s for s in inside if s.start >= to), None)
    if (
        following is not None
        and following.start - to <= 1
        and _is(following, categories, "vesicle")
    ):
        # "These microvesicles": the same vesicles, named in the antecedent's class when it is a
        # kind of what this sentence calls them
        mine, theirs = following.candidates[0].curie, antecedent.candidates[0].curie
        kinds = {kind for (vesicle, _cell), kind in (sources or {}).items() if vesicle == mine}
        if theirs != mine and theirs in kinds:
            kept = (lexicon.candidate(theirs, following.candidates[0].kind, antecedent.text),)
            named = Span(following.start, following.end, following.text, kept, following.kind)
            return [named if s is following else s for s in inside]
        return inside
    if opening.group(1).lower() != "they" or (following is not None and following.start < to):
        return inside
    named = Span(at, to, antecedent.text, antecedent.candidates, antecedent.kind)
    return sorted([*inside, named], key=lambda s: (s.start, -s.end))


_DEPENDS = re.compile(
    r"\b(?:(not|no\s+longer)\s+)?(?:depend(?:s|ed|ent)?|reli(?:es|ed)|rel(?:y|ying))\s+"
    r"(?:\w+\s+)?(?:up)?on\s+(?:the\s+)?",
    re.I,
)


def _depends(
    text: str,
    span: tuple[int, int],
    inside: list[Span],
    objects: list[Span],
    categories: dict[str, set[str]],
) -> list[tuple[Span, Span, Reading]]:
    """(what it depends on, the outcome, the reading) of "Y depends on X" (X promotes Y; "did not
    depend on X": negative), for a process Y just before the verb and the genes, proteins, vesicles
    or vesicle release named after it and joined by "and"/"or"."""
    found = _DEPENDS.search(text, *span)
    if found is None:
        return []
    before = [o for o in objects if o.end <= found.start() and found.start() - o.end <= 30]
    after = [
        s
        for s in inside
        if s.start >= found.end()
        and (
            _molecule(s, categories)
            or _is(s, categories, "vesicle")
            or _is(s, categories, "vesicle_process")
        )
    ]
    if not before or not after or after[0].start - found.end() > 2:
        return []
    agents = after[:1]
    for other in after[1:]:
        if text[agents[-1].end : other.start].strip().lower() not in _JOINS:
            break
        agents.append(other)
    negated = bool(found.group(1)) or bool(
        re.search(r"\b(?:not|n't)\s+$", text[max(span[0], found.start() - 12) : found.start()])
    )
    reading = Reading(
        "promotes", negated=negated, cue=found.group().strip(), cue_start=found.start()
    )
    return [(agent, before[-1], reading) for agent in agents]


def _regulators(
    text: str,
    inside: list[Span],
    objects: list[Span],
    categories: dict[str, set[str]],
    reading: Reading,
) -> list[Span]:
    """The gene, protein or cell named before the cue, with those joined to it by "and"/"or", when
    the cue acts on the release or making of vesicles ("syntenin controls the formation of
    exosomes", "CD4 T cells stimulate exosome release")."""
    if not any(
        _is(o, categories, "vesicle_process") and o.start > reading.cue_start for o in objects
    ):
        return []
    named = [
        s
        for s in inside
        if s.end <= reading.cue_start
        and (
            _molecule(s, categories)
            # "engagement of B cells with CD4 T cells stimulates exosome release"
            or (
                _is(s, categories, "cell")
                and not _is(s, categories, "cell_line")
                and not s.ambiguous
            )
        )
    ]
    if not named or _TERMINATORS & set(_WORD.findall(text[named[-1].end : reading.cue_start])):
        return []
    chosen = [named[-1]]
    for span in reversed(named[:-1]):
        if text[span.end : chosen[0].start].strip().lower() not in _JOINS:
            break
        chosen.insert(0, span)
    return chosen


def _is(span: Span, categories: dict[str, set[str]], category: str) -> bool:
    return any(category in categories.get(c.curie, ()) for c in span.candidates)


def _named(spans: Sequence[Span], categories: dict[str, set[str]], category: str) -> list[str]:
    """The distinct terms of a category the whole text names, in order of first mention."""
    found: list[str] = []
    for span in spans:
        for candidate in span.candidates:
            if category in categories.get(candidate.curie, ()) and candidate.curie not in found:
                found.append(candidate.curie)
    return found


_AGENT = re.compile(
    r"\b(by|with|(?:exposure|exposed|addition|added)\s+to)\s+(?:\S+\s+){0,3}$", re.I
)
# a vesicle measured, not acting: "accumulation of endosomal vesicles", "the number of exosomes"
_MEASURED = re.compile(
    r"\b(accumulation|uptake|internali[sz]ation|number|numbers|size|density|release|secretion|"
    r"production|loading|composition|content|contents|levels?|amounts?|quantity|heterogeneity|"
    r"isolation|purification|transfer|characteri[sz]ation)\s+of\s+(?:the\s+)?(?:\S+\s+){0,2}$",
    re.I,
)


_SET_ASIDE = re.compile(
    r"(?:\b(?:but|and)\s+not|\brather\s+than|\bunlike|\bin\s+contrast\s+to)\s+"
    r"(?:by\s+|from\s+|with\s+)?(?:the\s+)?$",
    re.I,
)


def _set_aside(text: str, vesicles: list[Span], reading: Reading) -> list[Span]:
    """Vesicles set aside before the cue ("exosomes, but not microvesicles, suppressed ..."): the
    finding is denied for them."""
    return [
        v
        for v in vesicles
        if v.start < reading.cue_start and _SET_ASIDE.search(text, max(0, v.start - 30), v.start)
    ]


_EXAMPLE = re.compile(r"\b(?:including|such\s+as|e\.g\.,?|notably)\s+(?:the\s+)?$", re.I)


def _subjects(text: str, vesicles: list[Span], reading: Reading) -> list[Span]:
    """The vesicle term nearest before the cue (else the first one), with the vesicle terms joined
    to it by "and", "or", "nor" or a comma ("neither exosomes nor microvesicles")."""
    # "small EVs (sEVs), including exosomes, ...": an example inside the list is not the subject;
    # "exosomes but not microvesicles suppressed ...": the one set aside is denied the finding
    before = [
        v
        for v in vesicles
        if v.start < reading.cue_start
        and not _EXAMPLE.search(text, max(0, v.start - 30), v.start)
        and not _SET_ASIDE.search(text, max(0, v.start - 30), v.start)
    ]
    if not before:
        # after the cue, a vesicle acts only as the agent of a passive ("was induced by exosomes",
        # "treatment with exosomes"), not as a word further on ("metastasis dependent on the
        # exosome component Cd81")
        agents = [
            v
            for v in vesicles
            if _AGENT.search(text, max(reading.cue_start, v.start - 40), v.start)
        ]
        return agents[:1]
    chosen = [before[-1]]
    for vesicle in reversed(before[:-1]):
        between = text[vesicle.end : chosen[0].start].strip().lower()
        if between == ", or" and text[chosen[0].end : chosen[0].end + 1] == ",":
            return [
                vesicle
            ]  # "Tumor-released microvesicles, or exosomes, ...": one thing, two names
        if between not in (*_JOINS, "nor"):
            break
        chosen.insert(0, vesicle)
    return chosen


def _gene(
    text: str,
    reading: Reading,
    lexicon: Lexicon,
    categories: dict[str, set[str]],
    organisms: Sequence[str] = (),
) -> str | None:
    """A molecule named by one word of the perturbation phrase, when no term span covers it alone
    ("Rab27a" inside the term "Rab27a blockade"); of a gene several species share, the one of the
    organism the text names, else the first."""
    if reading.perturbation_kind is None:
        return None
    phrase = text[reading.perturbation_start : reading.perturbation_end]
    # each word, and each part of a hyphenated one ("Rab27a-knockdown")
    words = [w for m in _WORD.finditer(phrase) for w in (m.group(), *m.group().split("-")[:-1])]
    for word in words:
        found = [
            c.curie
            for c in lexicon.lookup(word, types={"class"})
            if "molecule" in categories.get(c.curie, ())
            and "vesicle" not in categories.get(c.curie, ())
        ]
        if len(found) == 1:
            return found[0]
        if found:
            named = [c for c in found if lexicon.terms[c]["organism"] in organisms]
            return (named or found)[0]
    return None


def _context(
    text: str,
    start: int,
    end: int,
    inside: list[Span],
    categories: dict[str, set[str]],
    organisms: list[str],
    lines: list[str],
    reading: Reading,
    gene: str | None,
) -> dict[str, Any]:
    sentence = text[start:end]
    context: dict[str, Any] = {}
    here_lines = _named(inside, categories, "cell_line")
    line = here_lines[0] if here_lines else (lines[0] if len(lines) == 1 else None)
    here_organisms = _named(inside, categories, "organism")
    organism = here_organisms or (organisms if len(organisms) == 1 else [])
    if not organism and line is not None:
        found = next((s for s in inside if line in s.curies), None)
        owner = (
            next((c.organism for c in found.candidates if c.curie == line), None) if found else None
        )
        organism = [owner] if owner else []
    if organism:
        context["organism"] = organism
    if line:
        context["cell_line"] = line
    if _IN_VIVO.search(sentence):
        context["system"] = "in_vivo"
    elif _IN_VITRO.search(sentence) or any(
        re.search(r"\bin\s+(?:the\s+)?$", text[max(start, s.start - 8) : s.start])
        for s in inside
        if _is(s, categories, "cell_line")
    ):
        context["system"] = "in_vitro"  # "in HeLa cells": the cell line is where it was seen
    if reading.perturbation_kind is not None:
        context["perturbation"] = reading.perturbation
        context["perturbation_kind"] = reading.perturbation_kind
        if gene is not None:
            context["perturbed_gene"] = gene
    return context


_FROM = re.compile(
    r"^\s*(?:-|\s)?(?:derived\s+from|released\s+(?:from|by)|secreted\s+by|produced\s+by|shed\s+by|"
    r"isolated\s+from|purified\s+from|from|of)\s+(?:\w+\s+){0,4}?$",
    re.I,
)
_TUMOUR_WORDS = re.compile(
    r"\b(tumou?rs?|cancers?|\w*carcinomas?|malignant|metastatic|PDAC|melanomas?|gliomas?|"
    r"glioblastomas?|sarcomas?|lymphomas?|leuka?emias?|myelomas?|mesotheliomas?)\b",
    re.I,
)
_MELANOMA = frozenset({"MONDO:0005105", "EXOKG:0000044"})
_TUMOUR_CELL = frozenset({"CL:0001063", "CL:0001064"})


_PREFIX_SOURCE = re.compile(r"([A-Za-z][\w]*)[\s-]+(?:derived|secreted|released)[\s-]+$", re.I)


def _tumour_word(text: str, word: str) -> bool:
    """A tumour word, or a short form the text defines as one ("PDAC", "pancreatic ductal
    adenocarcinomas (PDACs)")."""
    if _TUMOUR_WORDS.fullmatch(word):
        return True
    definition = re.search(rf"([\w ,-]{{3,80}}?)\s*\(\s*{re.escape(word)}s?\s*\)", text)
    return definition is not None and bool(_TUMOUR_WORDS.search(definition.group(1)))


def _source_cell(text: str, vesicle: Span, inside: list[Span]) -> str | None:
    """The cell the vesicles come from, when the text says so right after the vesicle word
    ("exosomes from highly metastatic melanomas", "EVs released by malignant tumor cells") or by a
    tumour word before it ("PDAC-derived exosomes")."""
    prefix = _PREFIX_SOURCE.search(text, max(0, vesicle.start - 40), vesicle.start)
    if prefix is not None and _tumour_word(text, prefix.group(1)):
        return "CL:0001064"
    for span in inside:
        if span.start <= vesicle.end or span.start - vesicle.end > 60:
            continue
        if not _FROM.match(text[vesicle.end : span.start]):
            continue
        curies = set(span.curies)
        if curies & _MELANOMA:
            return "EXOKG:0000044"
        if curies & _TUMOUR_CELL:
            return "CL:0001064"
        return span.candidates[0].curie
    return None


def _specific(
    vesicle: Span, text: str, inside: list[Span], sources: dict[tuple[str, str], str] | None
) -> str:
    """The most specific vesicle class the text names: "exosomes from melanomas" is the
    melanoma-derived exosome when exokg has that class, else the authors' class."""
    reported = vesicle.candidates[0].curie
    if not sources:
        return reported
    cell = _source_cell(text, vesicle, inside)
    if cell is None:
        return reported
    if (reported, cell) not in sources and cell in _MELANOMA:
        cell = "CL:0001064"  # no class of vesicles from melanoma cells: those from tumour cells
    return sources.get((reported, cell), reported)


def _evidence(text: str, span: tuple[int, int], context: dict[str, Any]) -> str:
    """The evidence code of the method the sentence describes; an author statement otherwise."""
    sentence = text[span[0] : span[1]]
    if re.search(r"\b(RNA interference|RNAi)\b", sentence, re.I):
        return RNAI_EVIDENCE
    if re.search(r"\b(siRNAs?|shRNAs?|small interfering RNA|short hairpin RNA)\b", sentence, re.I):
        return SIRNA_EVIDENCE
    if re.search(r"\b(knock-?out|KO|-/-|\S+-deficient|deficient mice)\b", sentence, re.I):
        return KNOCKOUT_EVIDENCE
    if context.get("system") == "in_vivo":
        return IN_VIVO_EVIDENCE
    if context.get("system") == "in_vitro":
        return IN_VITRO_EVIDENCE
    return AUTHOR_STATEMENT


def _proposal(
    subject: Span,
    target: Span,
    reading: Reading,
    span: tuple[int, int],
    categories: dict[str, set[str]],
    context: dict[str, Any],
    text: str = "",
    inside: list[Span] | None = None,
    sources: dict[tuple[str, str], str] | None = None,
) -> Proposal:
    vesicle = "vesicle" in categories.get(subject.candidates[0].curie, ())
    reported = (
        _specific(subject, text, inside or [], sources) if vesicle else subject.candidates[0].curie
    )
    exosome = "exosome" in categories.get(reported, ())
    direction = reading.direction or "affects"
    label = subject.candidates[0].label if reported == subject.candidates[0].curie else reported
    return Proposal(
        subject=EXTRACELLULAR_VESICLE if exosome else reported,
        relation=RELATION[direction],
        object=target.candidates[0].curie,
        polarity=reading.polarity,
        span=span,
        reported_as=reported if vesicle else None,
        reported_term=subject.text if vesicle else None,
        subject_label="extracellular vesicle" if exosome else label,
        object_label=target.candidates[0].label,
        direction=direction,
        hedge=reading.hedge,
        cue_direction=reading.cue_direction,
        context=context,
        evidence=_evidence(text, span, context) if text else AUTHOR_STATEMENT,
    )


def load_vesicle_sources(kg_file: Path | None = None) -> dict[tuple[str, str], str]:
    """(vesicle class, the cell it comes from) -> the class of those vesicles
    (``queries/lookup/vesicle-sources.rq`` on the graph)."""
    from exokg.core.prefixes import compact
    from exokg.core.resources import KG_FILE, QUERIES_DIR
    from exokg.query.store import open_store

    query = QUERIES_DIR / "lookup" / "vesicle-sources.rq"
    store = open_store(kg_file=kg_file or KG_FILE)
    answer = store.select(query.read_text(encoding="utf-8"), where=str(query))
    return {
        (compact(base.value), compact(cell.value)): compact(vesicle.value)
        for vesicle, base, cell in answer.rows
        if vesicle is not None and base is not None and cell is not None
    }


# --- writing the curation file ------------------------------------------------------------------


def _reads_plural(name: str) -> bool:
    """Whether a subject's name reads as a plural ("Exosomes", "sEVs") rather than one thing
    ("Rab27a", "exosome biogenesis", "metastasis"), so that the candidate's verb agrees with it."""
    words = re.findall(r"[A-Za-z]+", name.split(" (")[0])
    last = words[-1] if words else ""
    return len(last) > 2 and last.endswith("s") and not last.endswith(("ss", "is", "us"))


def candidate_yaml(
    proposals: Iterable[Proposal], source: Source | str, *, first: int = 1, origin: str = ""
) -> str:
    """The proposals as a curation file (``scope: candidate``, ``verification: NV``).

    ``source`` is a shipped source record, or a new key whose record the caller writes under
    ``sources:``. Statement ids are ``<source key>-X<nn>`` from ``first``.
    """
    import yaml

    key = source if isinstance(source, str) else source.key
    items: list[dict[str, Any]] = []
    for number, proposal in enumerate(proposals, start=first):
        named = proposal.subject_label
        said = proposal.reported_term
        if said and said.casefold() != named.casefold():  # the authors' words, then the class
            named = f"{said} ({named})"
        plural = _reads_plural(said or proposal.subject_label)
        effect = {"promotes": "promote", "inhibits": "inhibit", "affects": "affect"}.get(
            proposal.direction, "be studied for a role in"
        )
        if proposal.polarity == "negative":
            verb = f"{'do' if plural else 'does'} not {effect}"
        elif proposal.direction in ("promotes", "inhibits", "affects") and not plural:
            verb = proposal.direction
        elif not plural:
            verb = "is studied for a role in"
        else:
            verb = effect
        if proposal.polarity == "caveat":
            verb = f"{verb}, but not in general,"
        hedge = f" (hedged: {proposal.hedge!r})" if proposal.hedge else ""
        paraphrase = (
            f"Machine-proposed: {named} {verb} {proposal.object_label}{hedge}; "
            f"check characters {proposal.span[0]}-{proposal.span[1]}."
        )
        item: dict[str, Any] = {
            "id": f"{key}-X{number:02d}",
            "subject": proposal.subject,
            "relation": proposal.relation,
            "object": proposal.object,
            "polarity": proposal.polarity,
            **({"qualifies": [items[-1]["id"]]} if proposal.qualifies_previous and items else {}),
        }
        if proposal.reported_as:
            item["reported_as"] = proposal.reported_as
            item["reported_term"] = proposal.reported_term
        if proposal.context:
            item["context"] = proposal.context
        item.update(
            {
                "evidence": proposal.evidence,
                "source": key,
                "paraphrase": paraphrase,
                "verification": "NV",
                "scope": "candidate",
                "evidence_span": list(proposal.span),
            }
        )
        if proposal.hedge:
            item["hedge"] = proposal.hedge
        items.append(item)
    header = (
        "# Candidate findings proposed by `exokg propose`"
        + (f" from {origin}" if origin else "")
        + ": not curated.\n# Check each against the text at its evidence_span, then fix"
        " subject, relation, object and context,\n# set verification and scope, and move it into"
        " ontology/curation/.\n\n"
    )

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True  # a curator reads each statement alone: no &anchors

    body = yaml.dump(
        {"statements": items},
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=None,
    )
    return header + body


def propose_text(
    text: str, doi: str, *, kg_file: Path | None = None, origin: str = ""
) -> tuple[str, list[Proposal]]:
    """``exokg propose``: the candidate file for ``text``, whose source has this DOI, and its proposals.

    The DOI must be in ``ontology/curation/sources.yaml``: a candidate cites a described source.
    """
    from exokg.core.errors import UsageError
    from exokg.core.resources import CURATION_DIR, KG_FILE
    from exokg.curation.records import read_curation
    from exokg.text.lexicon import load_lexicon

    wanted = doi.strip().removeprefix("https://doi.org/").removeprefix("doi:").lower()
    sources = read_curation([CURATION_DIR / "sources.yaml"]).sources
    source = next((s for s in sources.values() if (s.doi or "").lower() == wanted), None)
    if source is None:
        raise UsageError(
            f"no source in sources.yaml has DOI {doi}",
            where="--source",
            fix="add the paper to ontology/curation/sources.yaml (key, authors, title, journal, "
            "year) first, or check the DOI",
        )
    graph = kg_file or KG_FILE
    proposals = propose(
        text, load_lexicon(graph), load_categories(graph), load_vesicle_sources(graph)
    )
    return candidate_yaml(proposals, source, origin=origin), proposals
