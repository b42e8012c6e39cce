"""Every ``exokg`` command in the README's example blocks runs and succeeds.

The Quickstart's two ``bash`` blocks are run by CI itself (``.ci/run`` reads them from README.md); the
commands named inline in the capability sections (``exokg build``, ``exokg release --out DIR`` …) are
exercised by the tests of those capabilities. This test runs the plain example blocks, as a reader would
paste them, from a scratch directory.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests import ROOT
from tests.conftest import ExokgRunner

README = ROOT / "README.md"


def _example_commands() -> list[str]:
    """Commands starting with ``exokg`` in the README's untagged code blocks, quotes kept whole."""
    fenced = re.findall(r"^```(\w*)\n(.*?)^```$", README.read_text(encoding="utf-8"), re.M | re.S)
    blocks = [body for language, body in fenced if not language]
    commands: list[str] = []
    for block in blocks:
        pending = ""
        for line in block.splitlines():
            if not pending and not line.startswith("exokg "):
                continue
            pending = f"{pending}\n{line}" if pending else line
            try:
                shlex.split(pending, comments=True)
            except ValueError:  # an open quote: the command goes on
                continue
            commands.append(pending)
            pending = ""
    return commands


COMMANDS = _example_commands()


def test_the_readme_has_examples() -> None:
    assert len(COMMANDS) >= 5


@pytest.mark.parametrize("command", COMMANDS, ids=[c.split("\n")[0][:60] for c in COMMANDS])
def test_readme_example_runs(exokg: ExokgRunner, command: str, tmp_path: Path) -> None:
    # the README's example of a query file
    (tmp_path / "my-question.rq").write_text(
        "SELECT ?class ?label WHERE { ?class rdfs:subClassOf EXOKG:0000020 ; rdfs:label ?label }"
        " ORDER BY ?class\n",
        encoding="utf-8",
    )
    args = shlex.split(command, comments=True)
    assert args[0] == "exokg"
    result = exokg(*args[1:], cwd=tmp_path)
    assert result.returncode == 0, f"{command}\n{result.stderr}"
    assert result.stdout.strip(), f"{command} printed nothing"
