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
from exokg.curation.screen import MAX_FILE_BYTES, MAX_TEXT

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


# --- invisible characters, sizes and files that are not curation (issue 24) -------------------------


INVISIBLE = [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
INVISIBLE += [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]


@pytest.mark.parametrize("code", INVISIBLE, ids=[f"U+{code:04X}" for code in INVISIBLE])
def test_bidi_controls_and_zero_width_characters_are_refused_at_their_line(code: int) -> None:
    """They passed validation in text fields: U+202E shows 'exosomes do not' as what it is not."""
    text = statement_with(paraphrase=f"Exosomes {chr(code)}promote growth.")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "paraphrase" in row)
    problems = read_text(text).problems
    assert [(p.line, f"U+{code:04X}" in p.what) for p in problems] == [(line, True)], problems
    assert chr(code) not in problems[0].what + problems[0].fix


CONTROLS = [0x01, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9B, 0x9F]


@pytest.mark.parametrize("code", CONTROLS, ids=[f"U+{code:04X}" for code in CONTROLS])
def test_control_characters_are_refused_at_their_line(code: int) -> None:
    """Escapes such as "\\e[31m" or "\\x1b[2J" passed validation, and a terminal ran them;
    typed, they were a YAML error at line 1."""
    escaped = statement_with(paraphrase=f"Exosomes {chr(code)}[2J promote growth.")
    line = next(i for i, row in enumerate(escaped.splitlines(), 1) if "paraphrase" in row)
    assert chr(code) not in escaped  # written as a YAML escape
    typed = escaped.replace(escaped.splitlines()[line - 1], f"  paraphrase: a{chr(code)}b")
    for text in (escaped, typed):
        problems = read_text(text).problems
        assert [(p.line, f"U+{code:04X}" in p.what) for p in problems] == [(line, True)], problems
        assert "control character" in problems[0].what
        assert chr(code) not in problems[0].what + problems[0].fix


def test_tabs_and_line_ends_in_texts_are_no_problem() -> None:
    assert not read_text(statement_with(paraphrase="Exosomes\tpromote\r\ngrowth.")).problems


def test_a_byte_order_mark_at_the_start_is_no_problem() -> None:
    assert not read_text("\ufeff" + statement_with()).problems


def test_a_text_over_the_limit_is_one_problem() -> None:
    """A 50,000,000-character paraphrase was valid (24 s, 358 MB)."""
    long = "A" * (MAX_TEXT + 1)
    problems = read_text(statement_with(paraphrase=long)).problems
    assert [p.what for p in problems] == [
        f"a text of {MAX_TEXT + 1:,} characters; a field holds at most {MAX_TEXT:,}"
    ]
    assert not read_text(statement_with(paraphrase="A" * MAX_TEXT)).problems
    huge = read_text(statement_with(paraphrase="A" * (MAX_FILE_BYTES + 1))).problems
    assert [p.what for p in huge] == [
        f"the file is over {MAX_FILE_BYTES >> 20} MiB; a curation file is a few KB"
    ]


SECRET = "s3cr3t-t0ken"


@pytest.mark.parametrize(
    "target",
    [
        "/etc/passwd",
        "kubeconfig",  # YAML whose keys and values exokg's messages would quote
        "broken",  # not YAML: PyYAML's error names what it found
        "/dev/zero",
    ],
)
def test_validate_never_prints_a_file_that_is_not_a_curation_file(
    tmp_path: Path, target: str
) -> None:
    """A curation file that is a link to a system file had that file's lines printed in errors."""
    made = {
        "kubeconfig": f"apiVersion: v1\nusers:\n- name: admin\n  {SECRET}: {SECRET}\n",
        "broken": f"{SECRET}: [\n  !{SECRET} x\n",
    }
    if target in made:
        real = tmp_path / target
        real.write_text(made[target], encoding="utf-8")
        target = str(real)
    link = tmp_path / "link-2024.yaml"
    link.symlink_to(target)
    result = run_validate(link)
    assert result.returncode == 1, result.stderr
    assert len(result.stderr.splitlines()) == 2, result.stderr  # the problem and the summary
    shown = result.stdout + result.stderr
    assert SECRET not in shown and "root:" not in shown, shown
    assert "not a curation file" in shown or "not a regular file" in shown, shown
