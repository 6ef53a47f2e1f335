"""Every command works on the project it runs in: found from the working directory or `--project`."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.build.history import current_version
from generator.build.provenance import templates_digest
from generator.cli import app
from generator.paths import CONFIG, LayoutError, find_layout, load_layout
from generator.project import load_project_config
from tests.support import GENERATED, ROOT, SPEC

runner = CliRunner()
NOT_A_PROJECT = (
    "is not inside a project: no pyproject.toml with a [tool.layer-codegen] table here or above; "
    "run in a project or pass --project DIR"
)


def _project(root: Path, table: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n[tool.layer-codegen]\n{table}", "utf-8")
    return root


def test_the_project_is_found_from_a_folder_inside_it() -> None:
    assert find_layout(ROOT / "spec" / "examples") == load_layout(ROOT)
    layout = load_layout(ROOT)
    assert (layout.spec, layout.output, layout.config) == (SPEC, GENERATED, ROOT / "generator" / "config")


def test_a_pyproject_without_the_table_is_not_a_project(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    with pytest.raises(LayoutError, match="not inside a project"):
        find_layout(tmp_path)


def test_the_table_moves_the_spec_the_output_and_the_config(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", 'spec = "api/layer.yaml"\noutput = "vendor/dist"\nconfig = "conf"\n')
    layout = find_layout(root / "api")
    assert (layout.root, layout.spec, layout.output, layout.config) == (
        root,
        root / "api" / "layer.yaml",
        root / "vendor" / "dist",
        root / "conf",
    )


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ('spce = "api.yaml"\n', "unknown key tool.layer-codegen.spce; expected one of: spec, output, config"),
        ("output = 3\n", "tool.layer-codegen.output must be a path relative to"),
    ],
)
def test_a_bad_key_of_the_table_is_exit_2_naming_it(tmp_path: Path, table: str, named: str) -> None:
    root = _project(tmp_path / "p", table)
    result = runner.invoke(app, ["--project", str(root), "check"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {root / 'pyproject.toml'}: ") and named in line, line


@pytest.mark.parametrize(
    "command",
    [["generate"], ["check"], ["release", "--dry-run"], ["docs-check", "page.md"]],
    ids=lambda command: command[0],
)
def test_a_command_outside_a_project_exits_2_with_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, command)
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path} {NOT_A_PROJECT}\n"
    assert list(tmp_path.iterdir()) == []


def test_project_names_a_folder_that_is_not_one(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--project", str(tmp_path), "check"])
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path} is not a project: it has no pyproject.toml\n"


def test_a_project_without_config_files_reads_the_installed_ones_and_records_releases_at_home(
    tmp_path: Path,
) -> None:
    project = load_project_config(None, tmp_path / "config")
    assert project.config_file("datamodel-codegen.toml") == CONFIG / "datamodel-codegen.toml"
    assert project.config_file("release.toml") == CONFIG / "release.toml"
    assert project.release_file == tmp_path / "config" / "release.toml"
    assert templates_digest(project) == templates_digest(load_project_config())


def test_the_provenance_digests_the_projects_own_config_files(tmp_path: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    assert templates_digest(load_project_config(None, config)) == templates_digest(load_project_config())
    release = config / "release.toml"
    release.write_text(release.read_text(encoding="utf-8").replace('"1.0.0"', '"1.0.1"'), encoding="utf-8")
    project = load_project_config(None, config)
    assert project.config_file("release.toml") == release
    assert templates_digest(project) != templates_digest(load_project_config())


def test_the_projects_own_project_toml_is_read_and_an_unknown_table_in_it_named(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    config = root / "generator" / "config"
    config.mkdir(parents=True)
    (config / "project.toml").write_text('[pakage]\nname = "acme"\n', encoding="utf-8")
    result = runner.invoke(app, ["--project", str(root), "check"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: project config {config / 'project.toml'}: unknown table [pakage]"), line


def test_check_of_a_folder_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent"
    result = runner.invoke(app, ["check", "--output", str(missing)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {missing}: no such folder (give --output the generated folder)\n"


def test_checks_advice_is_the_command_that_regenerates_what_it_checked(tmp_path: Path) -> None:
    output = tmp_path / "my dist"
    shutil.copytree(GENERATED, output, ignore=shutil.ignore_patterns("__pycache__"))
    (output / "README.md").write_text("edited by hand\n", encoding="utf-8")
    arguments = ["--project", str(ROOT), "check", "--spec", str(SPEC), "--output", str(output)]

    stale = runner.invoke(app, arguments)

    assert stale.exit_code == 1
    advice = f"layer-codegen --project {ROOT} generate --spec {SPEC} --output '{output}'"
    assert stale.stdout.splitlines()[:2] == [
        f"{output} is stale or was edited by hand; run `{advice}`:",
        "  changed   README.md",
    ]
    regenerated = runner.invoke(app, shlex.split(advice)[1:])
    assert regenerated.exit_code == 0, regenerated.output
    assert runner.invoke(app, arguments).stdout == f"{output} is fresh\n"


def test_version_names_the_package_of_the_project_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--project", str(ROOT), "--version"])
    assert result.exit_code == 0
    assert result.output.splitlines()[1] == f"plaid-layer {current_version()}"
