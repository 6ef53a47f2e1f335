"""The spec rules catch what they promise to: each runs on a copy of the spec broken in one place."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from generator.docs_check.page import PageExample, ReferencePage

from . import spec_rules
from .conftest import EXAMPLES_DIR


def _schemas(spec: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = spec["components"]["schemas"]
    return schemas


def _examples_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLES_DIR, tmp_path / "examples"))


def test_an_example_the_schema_rejects_is_caught_embedded_and_stored(
    spec: dict[str, Any], tmp_path: Path
) -> None:
    examples = _examples_copy(tmp_path)
    media = spec["webhooks"]["SESSION_FINISHED"]["post"]["requestBody"]["content"]["application/json"]
    media["examples"]["documented"]["value"]["public_tokens"] = "one"
    stored = json.loads((examples / "SESSION_FINISHED.json").read_text())
    (examples / "SESSION_FINISHED.json").write_text(json.dumps({**stored, "public_tokens": "one"}))
    problems = spec_rules.example_problems(spec, examples)
    assert problems == [
        "webhook SESSION_FINISHED payload (embedded): 'one' is not of type 'array'",
        "webhook SESSION_FINISHED payload (SESSION_FINISHED.json): 'one' is not of type 'array'",
    ]


def test_a_bad_format_is_caught(spec: dict[str, Any], tmp_path: Path) -> None:
    media = spec["paths"]["/session/token/create"]["post"]["responses"]["200"]["content"]["application/json"]
    media["examples"]["documented"]["value"]["link"]["expiration"] = "soon"
    problems = spec_rules.example_problems(spec, _examples_copy(tmp_path))
    assert "POST /session/token/create response 200 body (embedded): 'soon' is not a 'date-time'" in problems


def test_a_file_that_differs_a_missing_file_and_a_stray_file_are_caught(
    spec: dict[str, Any], tmp_path: Path
) -> None:
    examples = _examples_copy(tmp_path)
    (examples / "sessionTokenCreate.request.json").write_text('{"template_id": "other"}\n')
    (examples / "SESSION_FINISHED.json").unlink()
    (examples / "notes.json").write_text("{}\n")
    assert spec_rules.example_problems(spec, examples) == [
        "POST /session/token/create request body: sessionTokenCreate.request.json differs from the "
        "embedded example",
        "webhook SESSION_FINISHED payload: no file SESSION_FINISHED.json",
        "notes.json: no embedded example has this file",
    ]


def test_an_operation_without_its_promises_is_caught(spec: dict[str, Any]) -> None:
    operation = spec["paths"]["/session/token/create"]["post"]
    del operation["summary"]
    del operation["responses"]["default"]
    operation["responses"]["200"]["content"]["application/json"]["schema"] = {"type": "object"}
    _schemas(spec)["UserAccountSessionGetRequest"]["title"] = "SessionGetBody"
    assert spec_rules.operation_problems(spec) == [
        "POST /session/token/create: no summary",
        "POST /session/token/create: no default response with PlaidError",
        "POST /session/token/create response 200 application/json: the schema is not a $ref to a component",
        "POST /user_account/session/get request application/json: component "
        "#/components/schemas/UserAccountSessionGetRequest has a title other than its key",
    ]


def test_a_missing_description_is_caught_but_a_bare_ref_inherits_one(spec: dict[str, Any]) -> None:
    del _schemas(spec)["RequestID"]["description"]
    del _schemas(spec)["UserAccountItem"]["properties"]["item_id"]["description"]
    assert spec_rules.description_problems(spec) == [
        "RequestID: no description",
        "UserAccountItem.item_id: no description",
    ]


def test_a_webhook_code_that_is_not_const_is_caught(spec: dict[str, Any]) -> None:
    properties = _schemas(spec)["LinkSessionFinishedWebhook"]["properties"]
    properties["webhook_code"] = {"type": "string", "description": "Which webhook."}
    del properties["webhook_type"]["const"]
    assert spec_rules.webhook_problems(spec) == [
        "webhook SESSION_FINISHED: webhook_type is not a const",
        "webhook SESSION_FINISHED: webhook_code is not a const",
    ]


def test_a_webhook_key_that_names_another_code_is_caught(spec: dict[str, Any]) -> None:
    spec["webhooks"]["LINK_SESSION_FINISHED"] = spec["webhooks"].pop("SESSION_FINISHED")  # type and code
    spec["webhooks"]["SESSION_LOST"] = spec["webhooks"].pop("LAYER_AUTHENTICATION_PASSED")
    assert spec_rules.webhook_problems(spec) == [
        "webhook SESSION_LOST: its key names neither its webhook_code nor its type and code",
    ]


def test_a_page_field_the_spec_lacks_is_caught(spec: dict[str, Any]) -> None:
    payload = {"webhook_type": "LINK", "webhook_code": "SESSION_FINISHED", "nested": {"deep": 1}}
    page = ReferencePage(
        (),
        ("SESSION_FINISHED", "SESSION_LOST"),
        (
            PageExample("webhook", "SESSION_FINISHED", None, None, payload, 1),
            PageExample("webhook", "SESSION_LOST", None, None, {}, 2),
        ),
    )
    assert spec_rules.page_field_problems(spec, page, EXAMPLES_DIR) == [
        "webhook SESSION_LOST: the page documents it; the spec has no such webhook",
        "only 1 of the page's 2 examples matched",
        "webhook SESSION_FINISHED payload nested: not in the spec",
    ]
