"""Broken specs: each is refused with exit status 2 and a message naming the problem."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from generator.cli import app
from tests.support import SPEC

BASE: dict[str, Any] = yaml.safe_load(SPEC.read_text())
OP = ("paths", "/session/token/create", "post")


def _at(spec: dict[str, Any], *keys: str) -> dict[str, Any]:
    for key in keys:
        spec = spec[key]
    return spec


def _drop_operation_id(spec: dict[str, Any]) -> None:
    del _at(spec, *OP)["operationId"]


def _inline_request_body(spec: dict[str, Any]) -> None:
    _at(spec, *OP, "requestBody", "content", "application/json")["schema"] = {"type": "object"}


def _webhook_without_const(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["LinkSessionFinishedWebhook"]["properties"]["webhook_code"] = {
        "type": "string"
    }


def _dangling_ref(spec: dict[str, Any]) -> None:
    _at(spec, *OP, "responses", "200", "content", "application/json")["schema"] = {
        "$ref": "#/components/schemas/Nowhere"
    }


def _no_servers(spec: dict[str, Any]) -> None:
    spec["servers"] = []


def _no_credential_scheme(spec: dict[str, Any]) -> None:
    scheme = spec["components"]["securitySchemes"]["secret"]
    del scheme["x-body-field"]
    scheme["name"] = "X-Token"  # named after no body property, so no twin is inferred either


def _duplicate_method_name(spec: dict[str, Any]) -> None:
    _at(spec, "paths", "/user_account/session/get", "post")["operationId"] = "session_token_create"


def _no_success_response(spec: dict[str, Any]) -> None:
    del _at(spec, *OP, "responses")["200"]


def _missing_version(spec: dict[str, Any]) -> None:
    del spec["info"]["version"]


def _cookie_parameter(spec: dict[str, Any]) -> None:
    _at(spec, *OP)["parameters"] = [{"name": "session", "in": "cookie", "schema": {"type": "string"}}]


def _callback(spec: dict[str, Any]) -> None:
    done = {"post": {"responses": {"200": {"description": "ok"}}}}
    _at(spec, *OP)["callbacks"] = {"done": {"{$request.body#/webhook}": done}}


def _multipart_body(spec: dict[str, Any]) -> None:
    content = _at(spec, *OP, "requestBody", "content")
    content["multipart/form-data"] = content.pop("application/json")  # no JSON choice left


def _remote_ref(spec: dict[str, Any]) -> None:
    _at(spec, *OP, "responses", "200", "content", "application/json")["schema"] = {
        "$ref": "https://example.com/schemas.yaml#/Thing"
    }


def _rename(operation_id: str) -> Callable[[dict[str, Any]], None]:
    def mutate(spec: dict[str, Any]) -> None:
        _at(spec, *OP)["operationId"] = operation_id

    return mutate


def _property_called(name: str) -> Callable[[dict[str, Any]], None]:
    def mutate(spec: dict[str, Any]) -> None:
        spec["components"]["schemas"]["SessionTokenCreateRequest"]["properties"][name] = {"type": "string"}

    return mutate


def _duplicate_webhook_identity(spec: dict[str, Any]) -> None:
    spec["webhooks"]["SESSION_FINISHED_AGAIN"] = copy.deepcopy(spec["webhooks"]["SESSION_FINISHED"])


def _two_key_operations(spec: dict[str, Any]) -> None:
    _at(spec, *OP)["x-webhook-verification-key"] = True


def _webhook_identity_disagrees(spec: dict[str, Any]) -> None:
    spec["webhooks"]["SESSION_FINISHED"]["post"]["x-webhook-identity"] = {
        "webhook_type": "LINK",
        "webhook_code": "SOMETHING_ELSE",
    }


def _component_key_not_identifier(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    schemas["Session-Token-Response"] = schemas.pop("SessionTokenCreateResponse")
    _at(spec, *OP, "responses", "200", "content", "application/json")["schema"] = {
        "$ref": "#/components/schemas/Session-Token-Response"
    }


def _invalid_constraint(spec: dict[str, Any]) -> None:
    counts = spec["components"]["schemas"]["UserAccountIdentityEditCounts"]
    counts["properties"]["edits_1d"]["minimum"] = "zero"


def _undeclared_path_parameter(spec: dict[str, Any]) -> None:
    spec["paths"]["/session/{session_id}/get"] = spec["paths"].pop("/user_account/session/get")


CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    (
        "cookie-parameter",
        _cookie_parameter,
        "cookie parameter 'session' is not supported (at #/paths/~1session",
    ),
    (
        "callback",
        _callback,
        "callbacks are not supported (at #/paths/~1session~1token~1create/post/callbacks)",
    ),
    ("multipart-body", _multipart_body, "request body media type 'multipart/form-data' is not supported"),
    ("remote-ref", _remote_ref, "only local $refs"),
    ("shadows-close", _rename("close"), "becomes method 'close', which would shadow a client attribute"),
    ("shadows-raw-view", _rename("withRawResponse"), "which would shadow a client attribute"),
    ("shadows-base-url", _rename("base_url"), "which would shadow a client attribute"),
    ("code-in-operation-id", _rename('x"""; import os #'), 'operationId \'x"""; import os #\' may only hold'),
    ("property-called-body", _property_called("body"), "'body' would take the method's own argument"),
    (
        "property-called-timeout",
        _property_called("timeout"),
        "would take the method's own argument 'timeout'",
    ),
    ("duplicate-webhook-identity", _duplicate_webhook_identity, "share webhook_type 'LINK' and webhook_code"),
    ("two-key-operations", _two_key_operations, "x-webhook-verification-key is on more than one operation"),
    ("webhook-identity-disagrees", _webhook_identity_disagrees, "the payload's const 'SESSION_FINISHED'"),
    (
        "component-key-not-identifier",
        _component_key_not_identifier,
        "'Session-Token-Response' is not a Python",
    ),
    (
        "invalid-constraint",
        _invalid_constraint,
        "component schema UserAccountIdentityEditCounts, property edits_1d",
    ),
    ("undeclared-path-parameter", _undeclared_path_parameter, "session_id"),
    ("no-operation-id", _drop_operation_id, "POST /session/token/create has no operationId"),
    ("inline-request-body", _inline_request_body, "request body must be a $ref"),
    ("webhook-without-const", _webhook_without_const, "needs `webhook_code` as a string const"),
    ("dangling-ref", _dangling_ref, "Nowhere"),
    ("no-servers", _no_servers, "server"),
    ("no-credential-scheme", _no_credential_scheme, "'X-Token' has no value"),
    ("duplicate-method-name", _duplicate_method_name, "same method name: session_token_create"),
    ("no-success-response", _no_success_response, "has no 2xx response"),
    ("missing-info-version", _missing_version, "version"),
]


@pytest.mark.parametrize(("mutate", "message"), [(m, msg) for _, m, msg in CASES], ids=[c[0] for c in CASES])
def test_broken_spec_exits_2_with_a_named_problem(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], None], message: str
) -> None:
    spec = copy.deepcopy(BASE)
    mutate(spec)
    spec_path = tmp_path / "broken.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    output = tmp_path / "out"

    result = CliRunner().invoke(app, ["generate", "--spec", str(spec_path), "--output", str(output)])

    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: {spec_path}: "), result.output  # the file, as `diff` names it
    assert message in result.output
    assert not output.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("openapi: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("{}", "not an OpenAPI"),
    ],
)
def test_unparseable_spec_exits_2(tmp_path: Path, content: str, message: str) -> None:
    spec_path = tmp_path / "bad.yaml"
    spec_path.write_text(content)
    result = CliRunner().invoke(app, ["generate", "--spec", str(spec_path), "--output", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert message in result.output


def test_missing_spec_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["generate", "--spec", str(tmp_path / "nope.yaml"), "--output", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "cannot read" in result.output
