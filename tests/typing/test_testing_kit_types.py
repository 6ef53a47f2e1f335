"""The testing kit is typed with the spec's names: mypy refuses a misspelt operation or error type."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import get_args

from plaid_layer.testing import CATALOG, ErrorType, OperationName, mock_layer
from plaid_layer.testing._mock import LayerMock as GenericLayerMock

# Each line ending `# error` must be refused by mypy, and no other line.
SNIPPET = """\
from plaid_layer.testing import LayerMock, mock_layer


def use(mock: LayerMock) -> None:
    mock.queue("user_account_session_get", json={})
    mock.queue("userAccountSessionGet", json={})
    mock.queue_error("session_token_create", error_type="INVALID_INPUT", error_code="INVALID_API_KEYS")
    mock.queue("user_acount_session_get", json={})  # error
    mock.queue_error("session_token_create", error_type="INVALID_INPUTS", error_code="X")  # error
    mock.queue_timeout("sessionTokenCreat")  # error
    assert mock.calls_for("session_token_create")[0].operation_id == "sessionTokenCreate"
    assert mock.calls_for("session_tokn_create") == []  # error


with mock_layer() as typed:
    typed.queue_deviating("webhook_verification_key_gets", remove=["key"])  # error
"""


def test_a_misspelt_operation_or_error_type_is_a_mypy_error(tmp_path: Path) -> None:
    snippet = tmp_path / "kit_user.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), str(snippet)],
        capture_output=True,
        text=True,
        check=False,
    )
    refused = sorted({int(line) for line in re.findall(r"^[^:\n]+:(\d+): error:", run.stdout, re.MULTILINE)})
    expected = [number for number, line in enumerate(SNIPPET.splitlines(), 1) if line.endswith("# error")]
    assert refused == expected, run.stdout
    assert "has incompatible type \"Literal['user_acount_session_get']\"" in run.stdout
    assert 'Argument "error_type" to "queue_error" of "LayerMock"' in run.stdout


def test_the_literals_are_the_specs_names() -> None:
    names = {name for entry in CATALOG.operations for name in (entry.python_name, entry.operation_id)}
    assert set(get_args(OperationName)) == names
    assert {"INVALID_INPUT", "RATE_LIMIT_EXCEEDED", "API_ERROR"} <= set(get_args(ErrorType))
    assert "INVALID_INPUTS" not in get_args(ErrorType)


def test_the_typed_mock_is_an_instance_of_the_kits_one_class() -> None:
    assert type(mock_layer()) is GenericLayerMock
