"""The real release through other projects' validators, offline: ``kgx validate`` with the Biolink
model the biolink-model package ships (tests/kgx_offline.py), ``sssom validate`` (sssom-py); and a
grep of every released file for curators' to-do notes and the team's internal file names."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from exokg.release.assemble import release
from exokg.release.kgx import BIOLINK_PREDICATE, CATEGORY_BY_ANCESTOR, CATEGORY_BY_PREFIX
from tests import TESTS

KGX = TESTS / "kgx_offline.py"
SSSOM = Path(sys.executable).parent / "sssom"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("interop") / "release"
    release(out, date=dt.date(2026, 1, 31))
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _kgx_validate(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(KGX), "validate", "-i", "tsv", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_kgx_validate_accepts_the_nodes_and_edges(released: Path) -> None:
    result = _kgx_validate(released / "nodes.tsv", released / "edges.tsv")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "ERROR" not in result.stdout + result.stderr


def test_kgx_validate_does_reject_a_bad_table(released: Path, tmp_path: Path) -> None:
    bad = tmp_path / "nodes.tsv"
    bad.write_text((released / "nodes.tsv").read_text().replace("HGNC:", "hgnc:"))
    result = _kgx_validate(bad, released / "edges.tsv")
    report = result.stdout + result.stderr
    assert result.returncode != 0 and "CURIE prefix 'hgnc'" in report


def test_nodes_use_biolink_prefixes_and_specific_categories(released: Path) -> None:
    nodes = _rows(released / "nodes.tsv")
    ids = {n["id"] for n in nodes}
    assert any(i.startswith("UniProtKB:") for i in ids) and any(i.startswith("HGNC:") for i in ids)
    assert not any(i.startswith(("uniprot:", "hgnc:")) for i in ids)
    assert all(n["category"] for n in nodes)
    generic = {n["id"] for n in nodes if n["category"] == "biolink:NamedThing"}
    assert generic <= {"BFO:0000002", "BFO:0000004"}, generic  # continuant: nothing more specific
    category = {n["id"]: n["category"] for n in nodes}
    assert category["EXOKG:0000200"] == "biolink:BiologicalProcess"  # tumour progression
    assert category["GO:0070062"] == "biolink:CellularComponent"
    assert category["HGNC:9766"] == "biolink:Gene"


def test_predicates_come_from_biolink_exact_mappings(released: Path) -> None:
    edges = _rows(released / "edges.tsv")
    by_predicate: dict[str, set[str]] = {}
    for edge in edges:
        by_predicate.setdefault(edge["predicate"], set()).add(edge["original_predicate"])
    assert by_predicate["biolink:actively_involved_in"] == {"RO:0002331"}
    assert by_predicate["biolink:derives_from"] == {"RO:0001000"}
    assert by_predicate["biolink:produces"] == {"RO:0003000"}
    assert by_predicate["biolink:expressed_in"] == {"RO:0002206"}
    assert "EXOKG:0000850" in by_predicate["biolink:has_part"]  # via its superproperty has part
    related = by_predicate["biolink:related_to"]
    assert not related & set(BIOLINK_PREDICATE)
    assert sum(e["predicate"] == "biolink:related_to" for e in edges) < 100


def test_the_mapping_tables_agree_with_the_packaged_biolink_model() -> None:
    import biolink_model
    import yaml

    schema = Path(biolink_model.__path__[0]) / "schema" / "biolink_model.yaml"
    model = yaml.safe_load(schema.read_text(encoding="utf-8"))
    exact = {
        mapping: "biolink:" + name.replace(" ", "_")
        for name, slot in model["slots"].items()
        for mapping in (slot or {}).get("exact_mappings") or []
    }
    for term, predicate in BIOLINK_PREDICATE.items():
        if term != "rdfs:subClassOf":
            assert exact.get(term) == predicate, term
    names = {"biolink:" + "".join(w[:1].upper() + w[1:] for w in n.split()): c
             for n, c in model["classes"].items()}  # fmt: skip
    categories = {c for _, c in CATEGORY_BY_ANCESTOR} | set(CATEGORY_BY_PREFIX.values())
    for category in categories - {"biolink:InformationContentEntity"}:
        assert category in names, category
        assert not (names[category] or {}).get("abstract") and not (names[category] or {}).get(
            "mixin"
        )


def _sssom_validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SSSOM), "validate", str(path)], capture_output=True, text=True,
                          timeout=600)  # fmt: skip


def test_sssom_validate_accepts_the_released_mappings(released: Path) -> None:
    result = _sssom_validate(released / "exokg.sssom.tsv")
    assert result.returncode == 0, result.stderr[-2000:]
    assert (result.stdout + result.stderr).strip() == ""
    header = (released / "exokg.sssom.tsv").read_text()
    assert "creator_id" in header and "mapping_date" in header and "Cellosaurus:" not in header


def test_sssom_validate_does_report_a_broken_row(released: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sssom.tsv"
    bad.write_text((released / "exokg.sssom.tsv").read_text().replace("2026-11-27", "sometime"))
    result = _sssom_validate(bad)
    assert "not a valid date" in result.stdout + result.stderr


# curators' reminders and the team's own files, which have no place in what users download
FORBIDDEN = re.compile(
    r"re-?check|\bTODO\b|\bFIXME\b|\bXXX\b|before release|identifiers\.md|seed-review|"
    r"seeds\.tsv|terms\.tsv|make_imports|exokg-edit\.ttl|sources\.yaml|ontology/(imports|curation|build)|"
    r"shared/reference|/work/",
    re.IGNORECASE,
)


def test_no_released_file_holds_a_todo_note_or_an_internal_file_name(released: Path) -> None:
    hits = []
    for path in sorted(released.rglob("*")):
        if path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if match := FORBIDDEN.search(line):
                    hits.append(f"{path.relative_to(released)}:{number}: {match.group(0)}")
    assert hits == [], "\n".join(hits[:20])
