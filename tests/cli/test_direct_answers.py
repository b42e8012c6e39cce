"""Questions a biologist asks, answered directly (issue 27 items 5 and 6): findings narrowed by
system, organism, effect, verification or source; sources by how they relate to the review, with a
DOI or "no DOI verified"; info with findings and children; plain TSV/CSV for spreadsheets.

All through the real CLI on the built graph.
"""

from __future__ import annotations

import csv
import io

from tests.cli.test_terminal import on_a_terminal
from tests.conftest import ExokgRunner


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_findings_only_in_vitro_and_in_mice(exokg: ExokgRunner) -> None:
    every = _csv(exokg("findings", "--format", "csv").stdout)
    result = exokg(
        "findings", "--where", "system=in vitro", "--where", "organism=mouse", "--format", "csv"
    )
    assert result.returncode == 0, result.stderr
    rows = _csv(result.stdout)
    assert 0 < len(rows) < len(every)
    assert {r["system"] for r in rows} == {"https://w3id.org/exokg/schema#inVitro"} or {
        r["system"] for r in rows
    } == {"inVitro"}
    assert all("Mus musculus" in r["organisms"] for r in rows)
    wanted = [
        r for r in every if r["system"].endswith("inVitro") and "Mus musculus" in r["organisms"]
    ]
    assert len(rows) == len(wanted)


def test_where_on_any_question_and_its_errors(exokg: ExokgRunner) -> None:
    result = exokg(
        "ask",
        "evidence-for",
        "-p",
        "term=Rab27a",
        "--organism",
        "mouse",
        "-w",
        "effect=inhibits",
        "--format",
        "csv",
    )
    assert result.returncode == 0, result.stderr
    rows = _csv(result.stdout)
    assert rows and {r["effect"] for r in rows} == {"inhibits"}
    bad = exokg("ask", "sources", "--where", "colour=red")
    assert bad.returncode == 2 and "no column 'colour'" in bad.stderr
    assert "Traceback" not in bad.stderr
    bare = exokg("ask", "sources", "--where", "later")
    assert bare.returncode == 2 and "is not NAME=VALUE" in bare.stderr


def test_sources_say_how_they_relate_to_the_review(exokg: ExokgRunner) -> None:
    rows = _csv(exokg("ask", "sources", "--format", "csv").stdout)
    relations = {r["relation"] for r in rows}
    assert relations == {"stated by it", "relied on", "background", "later work"}
    assert not any("w3id.org" in r["doi"] for r in rows)
    for row in rows:  # a DOI where the source is identified by one, else "no DOI verified"
        if row["source"].startswith("https://doi.org/"):
            assert row["doi"] == row["source"].removeprefix("https://doi.org/")
        else:
            assert row["doi"] == "no DOI verified"
    unverified = {r["source_label"] for r in rows if r["doi"] == "no DOI verified"}
    assert any(label.startswith("Segura 2005") for label in unverified)  # 2005a/b since P-papers
    later = _csv(exokg("ask", "sources", "-w", "relation=later", "--format", "csv").stdout)
    assert later and {r["relation"] for r in later} == {"later work"}
    assert "Welsh 2024" in {r["source_label"] for r in later}  # MISEV2023 is later work


def test_plain_tsv_for_spreadsheets_honours_columns(exokg: ExokgRunner) -> None:
    result = exokg(
        "ask",
        "evidence-for",
        "-p",
        "term=Rab27a",
        "--organism",
        "mouse",
        "--columns",
        "subject,effect,system,source",
        "--format",
        "plain-tsv",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == [
        "subject",
        "subject_id",
        "effect",
        "system",
        "source",
        "source_id",
    ]
    cells = [line.split("\t") for line in lines[1:]]
    assert all(len(c) == 6 for c in cells)
    assert not any(c.startswith(("<", '"', "?")) for row in cells for c in row)
    assert "in vivo" in {row[3] for row in cells}  # enumeration values as words
    assert any(row[1] == "EXOKG:0000450" for row in cells)  # CURIEs, not IRIs
    as_csv = _csv(
        exokg(
            "ask",
            "evidence-for",
            "-p",
            "term=Rab27a",
            "--organism",
            "mouse",
            "--columns",
            "subject,system",
            "--format",
            "plain-csv",
        ).stdout
    )
    assert list(as_csv[0]) == ["subject", "subject_id", "system"]


def test_findings_questions_show_an_effect_column_on_a_terminal() -> None:
    out = on_a_terminal("ask", "evidence-for", "-p", "term=MMP9", "-q", columns=160)
    header = out.splitlines()[0].split()
    assert header[:3] == ["subject", "effect", "object"]
    assert "in vivo" in out or "in vitro" in out or "system" not in header


def test_info_lists_findings_and_children(exokg: ExokgRunner) -> None:
    text = exokg("info", "Rab27a", "--organism", "mouse").stdout
    listed = [line for line in text.splitlines() if line.startswith("    - ")]
    assert len(listed) == 10  # the first 10 of 21
    assert (
        "more; all of them" in text and "exokg ask evidence-for --param term=EXOKG:0000400" in text
    )
    tree = exokg("info", "extracellular vesicle").stdout
    assert "  child:       extracellular exosome [GO:0070062]" in tree
