"""Broken specs: each document in `broken_specs/` is refused with exit status 2 and its whole message.

Every `<case>.yaml` there is a small, complete OpenAPI document with exactly one problem (its first
line names it); `<case>.expected` holds everything `generate` writes to stderr for it, with `{spec}`
standing for the spec's path. A message is compared whole, so an unrelated error cannot pass for it.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app

CASES = Path(__file__).with_name("broken_specs")
SPEC_PLACEHOLDER = "{spec}"


def _names(suffix: str) -> list[str]:
    return sorted(path.stem for path in CASES.glob(f"*{suffix}"))


def test_every_broken_spec_has_its_expected_message_and_every_message_its_spec() -> None:
    assert {path.suffix for path in CASES.iterdir()} == {".yaml", ".expected"}
    assert _names(".yaml") == _names(".expected")


@pytest.mark.parametrize("name", _names(".yaml"))
def test_broken_spec_exits_2_with_its_whole_message(tmp_path: Path, name: str) -> None:
    # A copy, so that the message names a path of the test's own and nothing is written beside the case.
    spec = tmp_path / f"{name}.yaml"
    shutil.copyfile(CASES / f"{name}.yaml", spec)
    output = tmp_path / "out"
    expected = (CASES / f"{name}.expected").read_text(encoding="utf-8").replace(SPEC_PLACEHOLDER, str(spec))

    result = CliRunner().invoke(app, ["generate", "--spec", str(spec), "--output", str(output)])

    assert (result.exit_code, result.stdout, result.stderr) == (2, "", expected)
    assert not output.exists()


def test_missing_spec_file_exits_2(tmp_path: Path) -> None:
    spec = tmp_path / "nope.yaml"
    result = CliRunner().invoke(app, ["generate", "--spec", str(spec), "--output", str(tmp_path)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {spec}: cannot read: {os.strerror(errno.ENOENT)}\n"
