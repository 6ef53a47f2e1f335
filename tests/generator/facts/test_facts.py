"""The parser stage: names and annotations the templates render."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from generator.facts import collect_facts
from generator.facts.names import snake_case
from tests.support import SPEC

FACTS = collect_facts(yaml.safe_load(SPEC.read_text()))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sessionTokenCreate", "session_token_create"),
        ("userAccountSessionGet", "user_account_session_get"),
        ("LAYER_AUTHENTICATION_PASSED", "layer_authentication_passed"),
        ("getHTTPStatus", "get_http_status"),
        ("already_snake", "already_snake"),
    ],
)
def test_snake_case(name: str, expected: str) -> None:
    assert snake_case(name) == expected


def test_credentials_are_not_method_parameters() -> None:
    for operation in FACTS.operations:
        assert {"client_id", "secret"}.isdisjoint(p.json_name for p in operation.params)


def test_required_parameters_come_first_and_nested_objects_accept_dicts() -> None:
    create = FACTS.operation("session_token_create")
    assert create.params[0].python_name == "template_id"
    user = next(p for p in create.params if p.python_name == "user")
    assert user.annotation == "SessionTokenCreateRequestUser | SessionTokenCreateRequestUserParam"
    assert not user.required


def test_servers_headers_and_credentials_come_from_the_spec() -> None:
    assert FACTS.environments == {
        "sandbox": "https://sandbox.plaid.com",
        "production": "https://production.plaid.com",
    }
    assert FACTS.default_headers == {"Plaid-Version": "2020-09-14"}
    assert FACTS.credential_headers == {"client_id": "PLAID-CLIENT-ID", "secret": "PLAID-SECRET"}


def test_webhooks_and_their_union_are_found() -> None:
    assert [(w.name, w.webhook_type, w.model_class) for w in FACTS.webhooks] == [
        ("LAYER_AUTHENTICATION_PASSED", "LAYER", "LayerAuthenticationPassedWebhook"),
        ("SESSION_FINISHED", "LINK", "LinkSessionFinishedWebhook"),
    ]
    assert FACTS.webhook_union_class == "LayerWebhook"


@pytest.mark.parametrize(
    ("schema", "annotation"),
    [
        ({"type": ["string", "null"]}, ("str", True)),
        ({"type": "array", "items": {"type": "integer"}}, ("Sequence[int]", False)),
        ({"anyOf": [{"enum": ["a"], "type": "string"}, {"type": "string"}]}, ("str", False)),
        ({"type": "string", "format": "date-time"}, ("datetime.datetime | str", False)),
        ({"type": "string", "format": "date"}, ("datetime.date | str", False)),
        ({"const": "LAYER"}, ("Literal['LAYER']", False)),
    ],
)
def test_annotations(schema: dict[str, Any], annotation: tuple[str, bool]) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    spec["components"]["schemas"]["SessionTokenCreateRequest"]["properties"]["probe"] = schema
    probe = next(
        p for p in collect_facts(spec).operation("session_token_create").params if p.json_name == "probe"
    )
    assert (probe.annotation, probe.nullable) == annotation
