"""exokg annotate (issue 17 items 1 and 4): the rules, the output formats, and its measured quality on
hand-made gold annotations (tests/gold/), pinned at the issue's targets.

The seed abstract is read from the shared folder beside the repository (../shared, which CI has; set
EXOKG_SHARED to use another copy); its text is never copied into the project.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from exokg.text.annotate import annotate
from exokg.text.evaluate import read_gold, score_annotations
from exokg.text.lexicon import Lexicon, load_lexicon
from tests import GOLD, ROOT
from tests.conftest import ExokgRunner

SHARED = Path(os.environ.get("EXOKG_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def _spans(lexicon: Lexicon, text: str) -> list[tuple[str, tuple[str, ...], str]]:
    return [(s.text, s.curies, s.kind) for s in annotate(lexicon, text)]


# --- the rules ------------------------------------------------------------------------------------


def test_longest_match_first(lexicon: Lexicon) -> None:
    spans = _spans(lexicon, "Tumour-derived exosomes reached the extracellular space.")
    assert [(t, c) for t, c, _ in spans] == [
        ("Tumour-derived exosomes", ("EXOKG:0000020",)),
        ("extracellular space", ("GO:0005615",)),
    ]


def test_matches_do_not_cross_a_full_stop(lexicon: Lexicon) -> None:
    spans = _spans(lexicon, "They were exosome. Secretion followed.")
    assert [(t, c) for t, c, _ in spans] == [("exosome", ("GO:0070062",))]


def test_abbreviation_defined_in_the_text(lexicon: Lexicon) -> None:
    text = "Multivesicular bodies (MVBs) fuse with the membrane; MVBs then release exosomes."
    spans = _spans(lexicon, text)
    assert spans[:2] == [
        ("Multivesicular bodies", ("GO:0005771",), "label"),
        ("MVBs", ("GO:0005771",), "abbreviation"),
    ]
    assert ("MVBs", ("GO:0005771",), "abbreviation") in spans[2:]


def test_a_short_form_defined_again_takes_its_new_meaning_from_there(lexicon: Lexicon) -> None:
    text = (
        "Extracellular vesicles (EVs) are small. EVs carry RNA. "
        "Here, enveloped viruses (EVs) differ; EVs bud."
    )
    evs = [(s.start, s.kind) for s in annotate(lexicon, text) if s.text == "EVs"]
    second = text.index("(EVs)", text.index("enveloped"))
    assert evs == [
        (text.index("(EVs)") + 1, "abbreviation"),
        (text.index("EVs carry"), "abbreviation"),
    ]
    assert all(start < second for start, _ in evs)


def test_a_repeated_definition_costs_one_look_per_use(
    lexicon: Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each of 300 definitions re-annotated every use after it (about 45,000 candidates made, and
    the spans scanned for each: 64 KB took minutes); now each use is annotated once."""
    made: list[str] = []
    real = Lexicon.candidate

    def counting(self: Lexicon, *args: str) -> object:
        made.append(args[0])
        return real(self, *args)

    monkeypatch.setattr(Lexicon, "candidate", counting)
    unit = "Extracellular vesicles (EVs) released by dendritic cells carry MHC class II; EVs were isolated. "
    spans = annotate(lexicon, unit * 300)
    uses = [s for s in spans if s.kind == "abbreviation"]
    assert len(uses) == 600 and {s.text for s in uses} == {"EVs"}
    assert len(made) <= 2 * len(spans), len(made)


def test_a_short_form_inside_a_longer_term_means_the_words_it_spells(lexicon: Lexicon) -> None:
    """'prostate cancer (PC) progression' is tumour progression, but PC spells 'prostate cancer', not
    the progression: a later 'PC' is not tumour progression. 'natural killer (NK) cells' still makes
    NK the natural killer cell, because NK spells the words of the term before the bracket."""
    text = (
        "Exosomes promote prostate cancer (PC) progression. PC cells release exosomes. "
        "Natural killer (NK) cells respond; NK cells kill."
    )
    spans = {(t, c) for t, c, _ in _spans(lexicon, text)}
    assert ("cancer (PC) progression", ("EXOKG:0000200",)) in spans
    assert not any(t == "PC" for t, _ in spans), spans
    assert ("NK cells", ("CL:0000623",)) in spans


def test_abbreviation_the_lexicon_does_not_know_stays_unannotated(lexicon: Lexicon) -> None:
    """'MET' spelt out as a transition is not the MET gene anywhere after the definition."""
    text = "The mesenchymal-epithelial transition (MET) was rare; MET needs exosomes."
    assert [(t, c) for t, c, _ in _spans(lexicon, text)] == [("exosomes", ("GO:0070062",))]


def test_an_abbreviation_of_an_unannotated_long_form_is_left_alone(lexicon: Lexicon) -> None:
    # "EV" is a synonym of extracellular vesicle; defined here as something else, it is not one
    text = "Each experimental variant (EV) was run twice."
    assert _spans(lexicon, text) == []


def test_a_lowercase_word_in_brackets_is_no_short_form(lexicon: Lexicon) -> None:
    text = "Mice and more mice carried Rab27a (mouse); the mouse gene was knocked down."
    spans = [t for t, _, _ in _spans(lexicon, text)]
    assert spans == ["Mice", "mice", "Rab27a (mouse)", "mouse"]


def test_ambiguous_symbol_takes_the_organism_the_text_names(lexicon: Lexicon) -> None:
    (met,) = [s for s in annotate(lexicon, "In mice, MET was enriched.") if s.text == "MET"]
    assert met.curies == ("MGI:96969",) and met.note == "organism named in the text: mouse"
    (met,) = [s for s in annotate(lexicon, "MET was found in HeLa cells.") if s.text == "MET"]
    assert met.curies == ("hgnc:7029",)  # HeLa is a human cell line


def test_ambiguous_symbol_without_organism_lists_every_candidate(lexicon: Lexicon) -> None:
    (cd63,) = annotate(lexicon, "Cd63 marks them.")
    assert cd63.ambiguous and set(cd63.curies) == {"MGI:99529", "hgnc:1692"}
    assert {c.organism_label for c in cd63.candidates} == {"mouse", "human"}


def test_a_gene_symbol_written_as_a_plain_word_is_not_the_gene(lexicon: Lexicon) -> None:
    assert _spans(lexicon, "We met twice.") == []


def test_greek_letters_and_british_spelling(lexicon: Lexicon) -> None:
    spans = _spans(lexicon, "CD4-positive, \u03b1\u03b2 T cells showed juxtacrine signaling.")
    assert [c for _, c, _ in spans] == [("CL:0000624",), ("EXOKG:0000203",)]


# --- measured quality (issue 17 item 4) ----------------------------------------------------------


def test_gold_sentences_cover_every_rule() -> None:
    documents = read_gold(GOLD / "sentences.yaml")
    assert len(documents) >= 20
    rules = {rule for d in documents for rule in d.rules}
    assert {"negation", "hedging", "abbreviation", "ambiguous-symbol", "plural"} <= rules
    for document in documents:  # propose is scored on the same sentences
        if document.finding is not None:
            assert document.finding["polarity"] in ("positive", "negative")
            assert isinstance(document.finding["hedged"], bool)


@pytest.mark.parametrize("name", ["sentences.yaml", "heldout.yaml"])
def test_annotate_quality_on_the_gold_sentences(lexicon: Lexicon, name: str) -> None:
    """sentences.yaml prompted vocabulary fixes; heldout.yaml was written after them, and not tuned on."""
    score = score_annotations(lexicon, read_gold(GOLD / name))
    detail = f"{score.summary()}; wrong {score.wrong}; missed {score.missed}"
    assert score.precision >= 0.95, detail
    assert score.recall >= 0.9, detail


def test_annotate_quality_on_the_seed_abstract(lexicon: Lexicon) -> None:
    seed = SHARED / "reference" / "seed" / "000_1868c00b8afe5a55.txt"
    if not seed.is_file():
        pytest.skip(f"the shared folder is not at {SHARED}: set EXOKG_SHARED")
    score = score_annotations(lexicon, read_gold(GOLD / "seed-abstract.yaml", SHARED))
    detail = f"{score.summary()}; wrong {score.wrong}; missed {score.missed}"
    assert score.precision >= 0.95, detail
    assert score.recall >= 0.9, detail


# --- the command ----------------------------------------------------------------------------------

TEXT = "Extracellular vesicles (EVs) carry Cd63; EVs from 4T1 cells carry Mfge8 in mice.\n"


def test_annotate_tsv_from_standard_input(exokg: ExokgRunner) -> None:
    result = exokg("annotate", "-", "--format", "tsv", input=TEXT)
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == ["start", "end", "text", "curie", "label", "kind"]
    by_text = {r[2]: r for r in rows[1:]}
    assert by_text["EVs"][3] == "GO:1903561" and by_text["EVs"][5] == "abbreviation"
    assert by_text["Cd63"][3] == "MGI:99529"  # the text names mice
    # a vesicle named by its cell of origin is one span: the class whose logical definition says so
    assert by_text["EVs from 4T1 cells"][:4] == ["41", "59", "EVs from 4T1 cells", "EXOKG:0000029"]
    assert by_text["EVs from 4T1 cells"][5] == "cell of origin"
    for row in rows[1:]:
        assert TEXT[int(row[0]) : int(row[1])] == row[2]


def test_annotate_json_and_pubannotation(exokg: ExokgRunner, tmp_path: Path) -> None:
    source = tmp_path / "abstract.txt"
    source.write_text("Cd63 and MET mark exosomes.", encoding="utf-8")
    spans = json.loads(exokg("annotate", source, "--format", "json").stdout)
    (cd63,) = [s for s in spans if s["text"] == "Cd63"]
    assert cd63["ambiguous"] and {c["curie"] for c in cd63["candidates"]} == {
        "MGI:99529",
        "hgnc:1692",
    }
    out = tmp_path / "pa.json"
    result = exokg("annotate", source, "--format", "pubannotation", "-o", out)
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert (
        document["text"] == "Cd63 and MET mark exosomes." and document["sourceid"] == "abstract.txt"
    )
    assert {"id": "T1", "span": {"begin": 0, "end": 4}, "obj": "MGI:99529"} in document[
        "denotations"
    ]
    exosomes = [d for d in document["denotations"] if d["obj"] == "GO:0070062"]
    assert exosomes == [
        {"id": exosomes[0]["id"], "span": {"begin": 18, "end": 26}, "obj": "GO:0070062"}
    ]


def test_annotate_table_and_errors(exokg: ExokgRunner, tmp_path: Path) -> None:
    result = exokg("annotate", "-", input=TEXT)
    assert result.returncode == 0 and "Extracellular vesicles" in result.stdout
    assert result.stdout.rstrip().endswith("spans)")
    missing = exokg("annotate", tmp_path / "nope.txt")
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\xff\xfe\x00bad")
    result = exokg("annotate", binary)
    assert result.returncode == 2 and "not UTF-8" in result.stderr
