"""An installed generator (as pre-commit installs it, from a wheel) generates what a checkout does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support import GENERATED, ROOT, SPEC

WHERE_AND_WHETHER_RECORDED = """\
from pathlib import Path
from generator.paths import TEMPLATES
from generator.project import load_project_config
from generator.build.provenance import matches_record
print(TEMPLATES)
print(matches_record(Path("spec/layer.yaml"), Path("generated"), load_project_config()))
"""


def _site_packages_layout(root: Path) -> Path:
    """`generator/` and `templates/` laid out as the wheel installs them, with no checkout around."""
    site = root / "site-packages"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "generator", site / "generator", ignore=ignore)
    shutil.copytree(ROOT / "templates", site / "layer_codegen_templates", ignore=ignore)
    return site


def test_the_wheel_maps_templates_and_config_into_the_installed_packages() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert setuptools["package-dir"] == {"layer_codegen_templates": "templates"}
    assert "layer_codegen_templates" in setuptools["packages"]
    assert setuptools["package-data"]["layer_codegen_templates"] == ["**/*"]
    assert "config/*" in setuptools["package-data"]["generator"]
    listed = set(setuptools["packages"])
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "generator").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert on_disk <= listed, f"generator packages missing from pyproject: {sorted(on_disk - listed)}"


def _consumer(root: Path) -> Path:
    """A project that vendors the spec and the generated tree, with no config of its own."""
    workdir = root / "consumer"
    shutil.copytree(SPEC.parent, workdir / "spec")
    shutil.copytree(GENERATED, workdir / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    (workdir / "pyproject.toml").write_text("[tool.layer-codegen]\n", encoding="utf-8")
    return workdir


@pytest.mark.parametrize("mode", [[], ["--full"]], ids=["from the record", "regenerated"])
def test_check_from_an_installed_layout_finds_the_committed_tree_fresh(
    tmp_path: Path, mode: list[str]
) -> None:
    """Both ways: the generator's code has the same digest installed as in a checkout."""
    site = _site_packages_layout(tmp_path)
    workdir = _consumer(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", WHERE_AND_WHETHER_RECORDED],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.splitlines() == [str(site / "layer_codegen_templates"), "True"]
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", *mode],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fresh" in result.stdout


def test_an_installed_generator_outside_a_project_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    site = _site_packages_layout(tmp_path)
    workdir = _consumer(tmp_path)
    (workdir / "pyproject.toml").write_text("[project]\nname = 'consumer'\n", encoding="utf-8")
    before = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*"))
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate"],
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {workdir} is not inside a project: no pyproject.toml with a [tool.layer-codegen] table "
        "here or above; run in a project or pass --project DIR\n"
    )
    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")) == before
