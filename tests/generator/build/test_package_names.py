"""The package and distribution names come from the project config, and nothing else names them."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app
from generator.project import ProjectConfig
from generator.release.command import tag_prefix
from tests.conftest import RenamedDistribution
from tests.support import SPEC

runner = CliRunner()

CALLS = """
import logging, sys

import httpx

from acme_layer import Acme
from acme_layer.testing import examples, mock_layer

sent = []


def answer(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    return httpx.Response(200, json=examples.session_token_create())


transport = httpx.MockTransport(answer)
with Acme(environment="sandbox", http_client=httpx.Client(transport=transport)) as client:
    client.session_token_create(template_id="template_1")
(request,) = sent
assert request.headers["user-agent"].startswith("acme-layer-python/"), request.headers["user-agent"]
assert request.headers["plaid-client-id"] == "id-from-env", request.headers

with mock_layer() as mock, Acme(client_id="id-1", secret="secret-1") as client:
    mock.queue("user_account_session_get", json=examples.user_account_session_get(identity=None))
    assert client.user_account_session_get(public_token="profile-sandbox-1").identity is None
assert [call.operation for call in mock.calls] == ["user_account_session_get"]

assert logging.getLogger("acme_layer").isEnabledFor(logging.DEBUG) is False
from acme_layer._base_client import logger
assert logger.name == "acme_layer", logger.name
assert not [name for name in sys.modules if name.split(".")[0] == "plaid_layer"]
print("called")
"""

FIXTURE_TEST = """
def test_the_fixture_mocks_the_api(acme_layer_mock):
    from acme_layer import Acme

    with Acme(client_id="id-1", secret="secret-1") as client:
        client.session_token_create(template_id="template_1")
    assert len(acme_layer_mock.calls) == 1
"""


def _files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file() and "__pycache__" not in path.parts)


def _run(renamed: RenamedDistribution, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    env.update(PYTHONPATH=str(renamed.root), PYTHONDONTWRITEBYTECODE="1")
    env.update(ACME_CLIENT_ID="id-from-env", ACME_SECRET="secret-from-env")
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )


def test_no_generated_file_names_the_default_package_or_distribution(renamed: RenamedDistribution) -> None:
    named = [
        path.relative_to(renamed.root).as_posix()
        for path in _files(renamed.root)
        if "plaid_layer" in (text := path.read_text(encoding="utf-8")) or "plaid-layer" in text
    ]
    assert named == []


def test_the_layout_follows_the_package_name(renamed: RenamedDistribution) -> None:
    top = sorted(path.name for path in renamed.root.iterdir())
    assert top == [
        "CHANGELOG.md",
        "README.md",
        "_acme_layer_pytest.py",
        "acme_layer",
        "provenance.toml",
        "pyproject.toml",
    ]
    assert (renamed.root / "acme_layer" / "py.typed").is_file()
    assert (renamed.root / "CHANGELOG.md").read_text(encoding="utf-8").count(
        "# Changelog of acme-layer\n"
    ) == 1


def test_the_package_imports_itself_relatively(renamed: RenamedDistribution) -> None:
    # datamodel-code-generator takes only an absolute base class; the model split makes it relative.
    absolute = []
    for path in _files(renamed.root / "acme_layer"):
        if path.suffix == ".py":
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.level == 0
                    and (node.module or "").startswith("acme_layer")
                ):
                    absolute.append(f"{path.name}: {node.module}")
    assert absolute == []


def test_the_distribution_metadata_names_the_package(renamed: RenamedDistribution) -> None:
    pyproject = tomllib.loads((renamed.root / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == "acme-layer"
    assert pyproject["project"]["entry-points"]["pytest11"] == {"acme_layer": "_acme_layer_pytest"}
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["only-include"] == [
        "acme_layer",
        "_acme_layer_pytest.py",
    ]


def test_the_renamed_package_calls_the_api_and_its_testing_kit(
    renamed: RenamedDistribution, tmp_path: Path
) -> None:
    result = _run(renamed, "-c", CALLS, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "called"


def test_the_renamed_pytest_plugin_gives_its_fixture(renamed: RenamedDistribution, tmp_path: Path) -> None:
    (tmp_path / "test_app.py").write_text(FIXTURE_TEST, encoding="utf-8")

    result = _run(
        renamed,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "_acme_layer_pytest",
        str(tmp_path),
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_check_compares_with_the_same_config(renamed: RenamedDistribution) -> None:
    args = ["check", "--spec", str(SPEC), "--output", str(renamed.root)]

    assert runner.invoke(app, [*args, "--config", str(renamed.config)]).exit_code == 0
    assert runner.invoke(app, args).exit_code == 1  # today's names would generate another tree


def test_release_tags_carry_the_distribution_name() -> None:
    assert tag_prefix(ProjectConfig()) == "plaid-layer-v"
    assert tag_prefix(ProjectConfig(distribution="acme-layer")) == "acme-layer-v"


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('name = "class"', "package.name"),
        ('name = "acme-layer"', "package.name"),
        ('name = "json"', "package.name"),
        ('name = "httpx"', "package.name"),
        ("name = 3", "package.name"),
        ('distribution = "acme layer"', "package.distribution"),
        ('distribution = "-acme"', "package.distribution"),
        ('distribution = ""', "package.distribution"),
    ],
)
def test_an_invalid_name_is_exit_2_with_one_line_naming_the_key(tmp_path: Path, table: str, key: str) -> None:
    config = tmp_path / "project.toml"
    config.write_text(f"[package]\n{table}\n", encoding="utf-8")

    result = runner.invoke(app, ["generate", "--output", str(tmp_path / "dist"), "--config", str(config)])

    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: project config: {key} ")
    assert not (tmp_path / "dist").exists()
