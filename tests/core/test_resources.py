"""exokg finds its data files in a checkout and in an installed wheel alike (resources.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from exokg.core import resources
from tests import ROOT

PATHS = sorted(
    name
    for name in resources.__all__
    if name != "DATA_ROOT" and isinstance(getattr(resources, name), Path)
)

_LIST_PATHS = (
    "import json, exokg.core.resources as r; "
    "from pathlib import Path; "
    "print(json.dumps({n: [str(getattr(r, n)), getattr(r, n).exists()] for n in r.__all__ "
    "if isinstance(getattr(r, n), Path)}))"
)


@pytest.mark.parametrize("name", PATHS)
def test_path_exists_in_checkout(name: str) -> None:
    path = getattr(resources, name)
    assert path.exists(), f"resources.{name} = {path} is missing from the checkout"


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built wheel, unpacked as pip would install it."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("exokg-*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def test_every_path_exists_in_the_wheel(unpacked_wheel: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _LIST_PATHS],
        env={
            "PYTHONPATH": str(unpacked_wheel),
            "PATH": "/usr/bin:/bin",
            "EXOKG_DATA_DIR": str(tmp_path / "nothing-built-yet"),
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout)
    for name, (path, exists) in found.items():
        assert path.startswith(str(unpacked_wheel)), f"{name} points outside the wheel: {path}"
        assert exists, f"resources.{name} = {path} is missing from the wheel"


def test_build_in_an_installed_package_writes_to_the_user_data_dir(
    unpacked_wheel: Path, tmp_path: Path
) -> None:
    """`exokg build` never rewrites the graph inside site-packages; readers then prefer the user's."""
    shipped = unpacked_wheel / "exokg" / "_data" / "ontology" / "build" / "exokg-kg.nq"
    before = shipped.read_bytes()
    data = tmp_path / "data"
    env = {"PYTHONPATH": str(unpacked_wheel), "PATH": "/usr/bin:/bin", "EXOKG_DATA_DIR": str(data)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], env=env, cwd=tmp_path, capture_output=True, text=True
        )

    where = "import exokg.core.resources as r; print(r.KG_FILE)"
    assert run("-c", where).stdout.strip() == str(shipped)
    built = run("-m", "exokg", "build")
    assert built.returncode == 0, built.stderr
    assert f"wrote {data / 'exokg-kg.nq'}" in built.stdout
    assert built.stderr == "", "no progress line when stderr is not a terminal"
    assert shipped.read_bytes() == before
    assert run("-c", where).stdout.strip() == str(data / "exokg-kg.nq")
    elsewhere = tmp_path / "elsewhere.nq"
    assert run("-m", "exokg", "build", "--output", str(elsewhere)).returncode == 0
    assert elsewhere.is_file()


def test_annotate_from_the_wheel_caches_outside_site_packages(
    unpacked_wheel: Path, tmp_path: Path
) -> None:
    """The installed package builds its lexicon from the shipped graph and caches it in the user's
    cache folder (XDG_CACHE_HOME here), never beside the graph inside site-packages."""
    for shipped in unpacked_wheel.rglob("*.lexicon.json"):  # a cache a checkout had when it built
        shipped.unlink()
    before = {p for p in unpacked_wheel.rglob("*") if p.is_file()}
    env = {
        "PYTHONPATH": str(unpacked_wheel),
        "PATH": "/usr/bin:/bin",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "HOME": str(tmp_path),
    }
    for _ in range(2):  # the second run reads the cache
        result = subprocess.run(
            [sys.executable, "-m", "exokg", "annotate", "-", "--format", "tsv"],
            input="Multivesicular bodies (MVBs) release exosomes.",
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        assert "MVBs\tGO:0005771" in result.stdout
    assert len(list((tmp_path / "cache" / "exokg").glob("lexicon-*.json"))) == 1
    after = {p for p in unpacked_wheel.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert after <= before
