"""The architecture contract (import-linter, ``[tool.importlinter]`` in pyproject.toml) holds, and it
would catch an upward import or an import circle: the same check CI runs, on a copy of the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import ROOT

LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent))


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    assert LINT_IMPORTS, "import-linter is in the test extras"
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [LINT_IMPORTS, "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "exokg", tmp_path / "exokg", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_package_keeps_its_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # the query stage reaching up into text: a layer violation
        ("query/store.py", "from exokg.text import resolve  # noqa", "stages import down"),
        # two modules of one stage importing each other: a circle
        ("text/terms.py", "from exokg.text import propose  # noqa", None),
    ],
)
def test_an_upward_import_or_a_circle_fails(
    tmp_path: Path, module: str, line: str, broken: str | None
) -> None:
    root = _copy(tmp_path)
    path = root / "exokg" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    if broken is None:  # make the circle: propose imports terms back
        other = root / "exokg" / "text" / "propose.py"
        other.write_text(
            other.read_text(encoding="utf-8") + "\nfrom exokg.text import terms  # noqa\n",
            encoding="utf-8",
        )
        broken = "no import circles"
    result = _lint(root)
    assert result.returncode != 0
    assert f"{broken}" in result.stdout and "BROKEN" in result.stdout
