"""The pre-commit hooks we offer name real `layer-codegen` commands, run once per commit, not per file."""

from __future__ import annotations

import shlex
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from generator.cli import app
from tests.support import ROOT

HOOKS: list[dict[str, Any]] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_the_hooks_offered() -> None:
    assert [hook["id"] for hook in HOOKS] == ["layer-codegen-check", "layer-codegen-docs-check"]


@pytest.mark.parametrize("hook", HOOKS, ids=[hook["id"] for hook in HOOKS])
def test_hook_runs_a_layer_codegen_command_on_the_whole_tree(hook: dict[str, Any]) -> None:
    program, *command = shlex.split(hook["entry"])
    assert program == "layer-codegen"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False  # the commands take no file list
    result = CliRunner().invoke(app, [*command, *hook.get("args", []), "--help"])
    assert result.exit_code == 0, result.output
