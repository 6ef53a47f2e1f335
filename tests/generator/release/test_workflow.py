"""The release job of the CI workflow: built and checked on every run, published only from a tag."""

from __future__ import annotations

from typing import Any

import yaml

from generator.project import load_project_config
from generator.release.command import tag_prefix
from tests.support import ROOT

# The tags of the distribution the project config names (today's: plaid-layer-v1.0.0).
TAG_PREFIX = tag_prefix(load_project_config())

WORKFLOW: dict[Any, Any] = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
JOB: dict[str, Any] = WORKFLOW["jobs"]["release"]
STEPS: list[dict[str, Any]] = JOB["steps"]


def _step(command: str) -> dict[str, Any]:
    (step,) = [step for step in STEPS if command in step.get("run", "")]
    return step


def test_release_tags_trigger_the_workflow() -> None:
    # YAML 1.1 reads the key `on` as True.
    assert WORKFLOW[True]["push"]["tags"] == [f"{TAG_PREFIX}*"]


def test_check_and_build_run_on_every_event() -> None:
    assert "if" not in JOB
    assert "if" not in _step("layer-codegen check")
    assert "if" not in _step("nox -s build")


def test_publishing_needs_a_release_tag_and_the_secret() -> None:
    publish = _step("twine upload")
    assert publish["if"] == "env.IS_RELEASE_TAG == 'true' && env.HAS_PYPI_TOKEN == 'true'"
    assert JOB["env"]["IS_RELEASE_TAG"] == f"${{{{ startsWith(github.ref, 'refs/tags/{TAG_PREFIX}') }}}}"
    assert JOB["env"]["HAS_PYPI_TOKEN"] == "${{ secrets.PYPI_API_TOKEN != '' }}"
    assert STEPS.index(publish) > STEPS.index(_step("nox -s build"))


def test_a_tag_must_name_the_recorded_version_before_anything_is_built() -> None:
    tag_check = _step("current_version()")
    assert tag_check["if"] == "env.IS_RELEASE_TAG == 'true'"
    assert f'"{TAG_PREFIX}$version"' in tag_check["run"]
    assert STEPS.index(tag_check) < STEPS.index(_step("nox -s build"))
