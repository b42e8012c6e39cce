"""How much of the fact sheet's vocabulary a user can name: every protein, gene, cell type, site,
process and kind of molecule of a V1 fact (tests/fixtures/vocabulary/fact-entities.tsv) should resolve
to a term of the built graph by its usual name, as `exokg search` and `--param term=` read it."""

from __future__ import annotations

import csv

import pytest

from exokg.core.resources import KG_FILE
from exokg.text.lexicon import load_lexicon
from tests import FIXTURES

ENTITIES = FIXTURES / "vocabulary" / "fact-entities.tsv"
TARGET = 1.0  # share of the V1 facts' named entities that must resolve


def _entities() -> list[dict[str, str]]:
    lines = [line for line in ENTITIES.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return list(csv.DictReader(lines, delimiter="\t"))


def test_the_fact_sheet_vocabulary_resolves(capsys: pytest.CaptureFixture[str]) -> None:
    if not KG_FILE.is_file():
        pytest.skip("no built graph: run `exokg build`")
    lexicon = load_lexicon(KG_FILE, cache=False)
    entities = _entities()
    missing = [e for e in entities if not lexicon.lookup(e["name"])]
    share = 1 - len(missing) / len(entities)
    with capsys.disabled():
        print(
            f"\nV1 fact-sheet names that resolve: {len(entities) - len(missing)} of {len(entities)}"
        )
    assert share >= TARGET, "no term is named: " + ", ".join(
        f"{e['name']} ({e['fact']}, {e['kind']})" for e in missing
    )
