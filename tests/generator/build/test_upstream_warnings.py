"""Upstream generator warnings are summarised in a few lines and do not stop the build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build.pipeline import generate_distribution
from tests.support import SPEC


def test_datamodel_codegen_warnings_are_counted_and_shown_briefly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    properties = spec["components"]["schemas"]["UserAccountItem"]["properties"]
    for index in range(6):  # formats the models library does not know, as in Plaid's spec
        properties[f"odd_{index}"] = {"type": "string", "format": f"made_up_{index}"}
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")

    generate_distribution(spec_path, tmp_path / "out")

    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "datamodel-code-generator: 6 warning(s)"
    assert lines[-1] == "  ... and 3 more"
    assert len(lines) == 5
    assert (tmp_path / "out" / "plaid_layer" / "models" / "_user_account_session_get.py").exists()
