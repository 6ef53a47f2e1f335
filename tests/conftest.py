"""Fixtures shared by the whole suite."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from generator.cli import app
from generator.project import ProjectConfig, load_project_config
from tests.support import SPEC, built_once

# No test may depend on the machine's speed: hypothesis's per-example deadline (200 ms) and its
# check that data generation is quick both fail on a loaded machine, so the suite turns them off.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")

RENAMED_CONFIG = """\
[package]
name = "acme_layer"
distribution = "acme-layer"

[client]
sync_class = "Acme"
async_class = "AsyncAcme"
client_id_env = "ACME_CLIENT_ID"
secret_env = "ACME_SECRET"
"""


@dataclass(frozen=True)
class RenamedDistribution:
    """Our spec generated with a project config that renames the package, distribution and clients."""

    root: Path
    config: Path
    project: ProjectConfig


@pytest.fixture
def no_plaid_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure credentials from the developer's shell never leak into a test."""
    monkeypatch.delenv("PLAID_CLIENT_ID", raising=False)
    monkeypatch.delenv("PLAID_SECRET", raising=False)


@pytest.fixture(scope="session")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> RenamedDistribution:
    """`spec/layer.yaml` generated once per test run as `acme_layer` (`acme-layer`), by the CLI."""
    folder = built_once(tmp_path_factory, "renamed", _generate_renamed)
    config = folder / "project.toml"
    return RenamedDistribution(folder / "dist", config, load_project_config(config))


def _generate_renamed(folder: Path) -> None:
    folder.mkdir()
    config, root = folder / "project.toml", folder / "dist"
    config.write_text(RENAMED_CONFIG, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["generate", "--spec", str(SPEC), "--output", str(root), "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
