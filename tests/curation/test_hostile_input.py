"""Hostile curation input: whatever a curation file holds, exokg answers with problems or success.

Hypothesis writes random YAML, random bytes, random CURIEs and mutations of a real curation file.
Reading and validating them must return problems (each with file, line and fix) or succeed; it must
never raise anything but exokg's own one-line errors. The CLI must never print a traceback nor an
"internal error", and a failed ``validate`` writes nothing.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exokg.core import resources
from exokg.core.errors import ExokgError
from exokg.curation.records import Curation, expand, read_curation

REAL = sorted(p for p in resources.CURATION_DIR.glob("*.yaml") if p.name != "sources.yaml")
SAMPLE = REAL[0].read_text(encoding="utf-8") if REAL else ""
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_text(text: str | bytes, name: str = "hostile-2024.yaml") -> Curation:
    """Read one curation file with this content; only exokg's own errors may escape."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        try:
            result = read_curation([path])
        except ExokgError:
            return Curation()
    for problem in result.problems:
        assert problem.what and problem.fix, problem
        assert problem.line >= 0
    return result


# --- strategies -------------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30)
)
yaml_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
curie_like = st.one_of(
    st.text(max_size=25),
    st.from_regex(r"[A-Za-z]{1,8}:[A-Za-z0-9_.:-]{0,12}", fullmatch=True),
    st.sampled_from(
        [
            "GO:",
            ":0070062",
            "GO:0070062 ",
            "GO:GO:1",
            "EXOKG:9999999",
            "javascript:alert(1)",
            "http://x",
            "<https://w3id.org/exokg/EXOKG_0000020>",
            "EXOKG:0000020\nrelation: x",
            "GO:0070062\x00",
            "ﬁ:1",
            "G\u200bO:0070062",
        ]
    ),
)


@st.composite
def mutated_sample(draw: st.DrawFn) -> str:
    """The real curation file with a few lines deleted, duplicated, cut or overwritten."""
    lines = SAMPLE.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "cut", "replace", "indent"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif action == "replace":
            lines[i] = draw(st.text(max_size=40)) + "\n"
        else:
            lines[i] = " " * draw(st.integers(1, 6)) + lines[i]
    return "".join(lines)


def statement_with(**fields: object) -> str:
    record: dict[str, object] = {
        "id": "R03-X01", "fact": "X01", "subject": "GO:0070062", "relation": "RO:0002304",
        "object": "EXOKG:0000200", "polarity": "positive", "evidence": "ECO:0000304",
        "source": "R03", "paraphrase": "Text.", "verification": "V1", "scope": "relied_on",
    }  # fmt: skip
    record.update(fields)
    return yaml.safe_dump({"statements": [record]}, allow_unicode=True)


# --- reading ----------------------------------------------------------------------------------------


@FAST
@given(st.binary(max_size=300))
def test_random_bytes_are_problems_not_crashes(data: bytes) -> None:
    read_text(data)


@FAST
@given(yaml_values)
def test_random_yaml_structures_are_problems_not_crashes(value: object) -> None:
    read_text(yaml.safe_dump(value, allow_unicode=True))
    read_text(yaml.safe_dump({"statements": value}, allow_unicode=True))
    read_text(yaml.safe_dump(value, allow_unicode=True), name="sources.yaml")


@pytest.mark.skipif(not SAMPLE, reason="no curation file shipped")
@FAST
@given(mutated_sample())
def test_mutated_curation_files_are_problems_not_crashes(text: str) -> None:
    read_text(text)


@FAST
@given(field=st.sampled_from(["subject", "object", "relation", "evidence"]), curie=curie_like)
def test_a_hostile_curie_is_refused_or_expands(field: str, curie: str) -> None:
    result = read_text(statement_with(**{field: curie}))
    if not result.problems:
        for statement in result.statements:
            for value in statement.curies():
                assert expand(value).startswith(("http://", "https://"))


def test_the_yaml_reader_refuses_aliases_and_tags() -> None:
    bomb = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nstatements: [*c, *c]\n"
    tagged = "statements: !!python/object/apply:os.system ['echo pwned']\n"
    for text in (bomb, tagged):
        assert read_text(text).problems


# --- validate through the CLI -----------------------------------------------------------------------


def run_validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exokg", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=path.parent,
    )


@pytest.mark.skipif(not SAMPLE, reason="no curation file shipped")
@pytest.mark.slow
@SLOW
@given(mutated_sample())
def test_validate_answers_in_one_line_and_writes_nothing(text: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "hostile-2024.yaml"
        path.write_text(text, encoding="utf-8")
        result = run_validate(path)
        assert result.returncode in (0, 1, 2), result.stderr
        assert "Traceback" not in result.stderr
        assert "internal error" not in result.stderr
        assert sorted(p.name for p in Path(scratch).iterdir()) == [path.name]


# --- aliases and deep nesting (issue 13) ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["a: &a [x]\nstatements: *a\n", "statements: &x []\n", "statements:\n  - &s {id: R03-X01}\n"],
    ids=["alias", "anchor-alone", "anchor-on-a-statement"],
)
def test_every_anchor_and_alias_is_refused(text: str) -> None:
    problems = read_text(text).problems
    assert any("anchors and aliases" in problem.what for problem in problems), problems


def test_deep_nesting_is_one_problem_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "deep-2024.yaml"
    path.write_text("statements: " + "[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")
    result = run_validate(path)
    assert result.returncode == 1, result.stderr
    assert "nested more than" in result.stderr and "internal error" not in result.stderr
    assert "Traceback" not in result.stderr
