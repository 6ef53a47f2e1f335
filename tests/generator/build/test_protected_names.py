"""Properties named like pydantic's own methods (`model_dump`, `model_validate_json`) import cleanly.

The generated package is imported, and called, under `python -W error`: a field that pydantic
warns about (its protected namespaces) would stop the import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from generator.build.models_driver import protected_field_aliases
from generator.cli import app
from tests.support import SPEC

PROTECTED = ["model_dump", "model_dump_json", "model_validate", "model_validate_json"]
OTHERS = ["model_config", "model_fields", "schema", "json", "copy", "dict", "validate", "_private"]

CALL = """
import json, httpx
from plaid_layer import PlaidLayer
from plaid_layer.testing import examples

body = {**examples.session_token_create(), "model_dump": "d", "model_validate_json": "v", "json": "j"}
transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
with PlaidLayer(client_id="c", secret="s", http_client=httpx.Client(transport=transport)) as client:
    result = client.session_token_create(template_id="t", model_dump="sent")
assert result.field_model_dump == "d" and result.field_model_validate_json == "v", repr(result)
assert result.model_dump(by_alias=True)["model_dump"] == "d"
print("ok")
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("protected")
    shutil.copytree(SPEC.parent, root / "spec")
    spec = root / "spec" / SPEC.name
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]
    for name in PROTECTED + OTHERS:
        schemas["SessionTokenCreateResponse"]["properties"][name] = {"type": "string"}
    schemas["SessionTokenCreateRequest"]["properties"]["model_dump"] = {"type": "string"}
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["generate", "--spec", str(spec), "--output", str(root / "out")])
    assert result.exit_code == 0, result.output
    return root / "out"


def test_the_package_imports_and_calls_under_warnings_as_errors(generated: Path) -> None:
    code = "import plaid_layer, plaid_layer.models, plaid_layer.testing\n" + CALL
    environment = {**os.environ, "PYTHONPATH": str(generated)}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_only_names_in_a_protected_namespace_are_renamed() -> None:
    properties: dict[str, object] = {name: {} for name in PROTECTED + OTHERS}
    document = {"components": {"schemas": {"A": {"properties": properties}}}}
    assert protected_field_aliases(document) == {name: f"field_{name}" for name in PROTECTED}
