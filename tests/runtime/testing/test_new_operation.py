"""A new operation in the spec is served by the mock after one generation, with no kit changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from generator.build.pipeline import generate_package
from tests.support import SPEC

PING_PATH = "/user_account/session/ping"


def _add_ping_operation(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    schemas["UserAccountSessionPingRequest"] = {
        "title": "UserAccountSessionPingRequest",
        "type": "object",
        "additionalProperties": False,
        "required": ["public_token"],
        "properties": {
            "client_id": {"$ref": "#/components/schemas/APIClientID"},
            "secret": {"$ref": "#/components/schemas/APISecret"},
            "public_token": {"type": "string", "description": "The token to ping."},
        },
    }
    schemas["UserAccountSessionPingResponse"] = {
        "title": "UserAccountSessionPingResponse",
        "type": "object",
        "additionalProperties": True,
        "required": ["alive", "request_id"],
        "properties": {"alive": {"type": "boolean"}, "request_id": {"type": "string"}},
    }

    def body(name: str, example: dict[str, Any]) -> dict[str, Any]:
        media = {
            "schema": {"$ref": f"#/components/schemas/{name}"},
            "examples": {"documented": {"value": example}},
        }
        return {"content": {"application/json": media}}

    spec["paths"][PING_PATH] = {
        "post": {
            "operationId": "userAccountSessionPing",
            "summary": "Check that a session is alive",
            "requestBody": {
                "required": True,
                **body("UserAccountSessionPingRequest", {"public_token": "p-1"}),
            },
            "responses": {
                "200": {
                    "description": "Alive.",
                    **body(
                        "UserAccountSessionPingResponse", {"alive": True, "request_id": "Pq1Pq1Pq1Pq1Pq1"}
                    ),
                }
            },
        }
    }


PROBE = """
from plaid_layer import PlaidLayer
from plaid_layer.testing import examples, mock_layer

with mock_layer() as mock, PlaidLayer(client_id="id-1", secret="secret-1") as client:
    assert client.user_account_session_ping(public_token="p-1").alive is True
    mock.queue("userAccountSessionPing", json=examples.user_account_session_ping(alive=False))
    assert client.user_account_session_ping(public_token="p-1").alive is False
    calls = mock.calls_for("user_account_session_ping")
    assert [call.json for call in calls] == [{"public_token": "p-1"}] * 2
print("served")
"""


def test_mock_serves_an_operation_added_to_the_spec(tmp_path: Path) -> None:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    _add_ping_operation(spec)
    spec_path = tmp_path / "layer.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    out_dir = tmp_path / "dist"

    generate_package(spec_path, out_dir)

    env = {**os.environ, "PYTHONPATH": str(out_dir), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "served"
