"""Vesicles named by their cell of origin (exokg/text/compose.py, issue 27 item 1): search ranks the class
whose logical definition the name states first; every --param, info, viz --focus and annotate resolve it.

On the built graph through the real Oxigraph store, the real lexicon and the real CLI.
"""

from __future__ import annotations

import json

import pytest

from exokg.query.store import open_store
from exokg.text.annotate import annotate
from exokg.text.compose import compose
from exokg.text.lexicon import Lexicon, load_lexicon
from exokg.text.resolve import resolve_term
from tests.conftest import ExokgRunner

DC_EXOSOME, DC_SEV = "EXOKG:0000024", "EXOKG:0000032"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


@pytest.mark.parametrize(
    ("name", "first", "also"),
    [
        (
            "dendritic cell exosomes",
            DC_EXOSOME,
            DC_SEV,
        ),  # the authors' class, then the operational one
        ("exosomes from dendritic cells", DC_EXOSOME, DC_SEV),
        ("exosomes from 4T1 cells", "EXOKG:0000022", "EXOKG:0000029"),
        ("4T1 small EVs", "EXOKG:0000029", None),
        ("melanoma cell small EVs", "EXOKG:0000031", None),
        ("tumour microvesicles", "EXOKG:0000026", None),
        ("Tumor-derived MVs", "EXOKG:0000026", None),
        ("sEVs released by TS/A cells", "EXOKG:0000030", None),
    ],
)
def test_search_ranks_the_defined_class_first(
    lexicon: Lexicon, name: str, first: str, also: str | None
) -> None:
    rows = lexicon.search(name, limit=5)
    assert rows[0][0].curie == first
    assert rows[0][0].kind in ("cell of origin", "exact synonym", "label")
    if also:
        assert also in [c.curie for c, _ in rows[:3]]


def test_a_generic_word_never_outranks_a_specific_match(lexicon: Lexicon) -> None:
    rows = lexicon.search("dendritic cell exosomes", limit=10)
    score = {c.curie: s for c, s in rows}
    assert score["CL:0000451"] > score.get("CL:0000000", 0)  # dendritic cell above cell
    generic = [s for c, s in rows if c.curie in ("CL:0000000", "GO:0070062")]
    assert all(s < score[DC_SEV] for s in generic)


def test_compose_reads_the_definitions_from_the_graph(lexicon: Lexicon) -> None:
    (row, *_) = compose(lexicon, "DC exosomes")  # DC learnt from "DC-derived exosome"
    assert (row.curie, row.genus, row.origin) == (DC_EXOSOME, "GO:0070062", "CL:0000451")
    assert row.exact and DC_SEV in row.operational
    assert compose(lexicon, "exosomes") == []  # one word is no composition
    assert compose(lexicon, "exosomes and dendritic cells") == []
    assert compose(lexicon, "dendritic cell migration") == []


def test_resolve_term_reads_a_composed_name_and_says_so(lexicon: Lexicon) -> None:
    notes: list[str] = []
    term = resolve_term("exosomes from 4T1 cells", open_store(), lexicon=lexicon, notes=notes)
    assert term.value == "https://w3id.org/exokg/EXOKG_0000022"
    assert "4T1-derived exosome [EXOKG:0000022]" in notes[0]
    assert "small EV from 4T1 cells [EXOKG:0000029]" in notes[0]


def test_annotate_keeps_a_composed_name_whole(lexicon: Lexicon) -> None:
    text = "Dendritic cell exosomes differ from small EVs released by melanoma cells."
    spans = [(s.text, s.curies, s.kind) for s in annotate(lexicon, text)]
    assert spans[0] == ("Dendritic cell exosomes", (DC_EXOSOME,), "cell of origin")
    assert spans[1] == (
        "small EVs released by melanoma cells",
        ("EXOKG:0000031",),
        "cell of origin",
    )
    # a bare "by" attaches to what comes before it: the secretion, not the exosomes
    apart = annotate(lexicon, "Secretion of exosomes by tumor cells needs Rab27a.")
    assert "exosomes" in [s.text for s in apart]


def test_ask_info_and_viz_take_a_composed_name(exokg: ExokgRunner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = exokg(
        "ask", "evidence-for", "--param", "term=dendritic cell exosomes", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    assert "read as dendritic-cell-derived exosome [EXOKG:0000024]" in result.stderr
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert rows and {r["subject"]["value"].rsplit("/", 1)[-1] for r in rows} >= {"EXOKG_0000032"}
    info = exokg("info", "exosomes from 4T1 cells", "--json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["curie"] == "EXOKG:0000022"
