"""`parse_webhook`: the model chosen by type and code, unknown webhooks kept whole, errors without values."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plaid_layer import WebhookParseError
from plaid_layer.models import LayerAuthenticationPassedWebhook, LinkSessionFinishedWebhook
from plaid_layer.webhooks import UnknownWebhook, WebhookBody, parse_webhook

from tests.runtime.webhooks.support import example_payload, json_values, plaid_body

MODELS = {
    "LAYER_AUTHENTICATION_PASSED": LayerAuthenticationPassedWebhook,
    "SESSION_FINISHED": LinkSessionFinishedWebhook,
}
FORMS: dict[str, Callable[[dict[str, Any]], WebhookBody]] = {
    "bytes": plaid_body,
    "str": lambda payload: plaid_body(payload).decode(),
    "dict": lambda payload: payload,
    "bytearray": lambda payload: bytearray(plaid_body(payload)),
}


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("code", sorted(MODELS))
def test_each_documented_example_parses_to_its_model(code: str, form: str) -> None:
    payload = example_payload(code)
    event = parse_webhook(FORMS[form](payload))
    assert type(event) is MODELS[code]
    assert event.model_dump(mode="json", exclude_unset=True) == payload


def test_session_finished_fields_are_typed() -> None:
    event = parse_webhook(plaid_body(example_payload("SESSION_FINISHED")))
    assert isinstance(event, LinkSessionFinishedWebhook)
    assert event.public_tokens == ["public-sandbox-b0e2c4ee-a763-4df5-bfe9-46a46bce993d"]
    assert event.status == "SUCCESS"


def test_unknown_webhook_type_keeps_every_field() -> None:
    payload = {
        "webhook_type": "IDENTITY_VERIFICATION",
        "webhook_code": "STATUS_UPDATED",
        "identity_verification_id": "idv_52xR9LKo77r1Np",
        "nested": {"a": [1, 2, {"b": None}]},
        "environment": "sandbox",
    }
    event = parse_webhook(json.dumps(payload).encode())
    assert type(event) is UnknownWebhook
    assert (event.webhook_type, event.webhook_code) == ("IDENTITY_VERIFICATION", "STATUS_UPDATED")
    assert event.model_dump() == payload


def test_new_code_of_a_known_type_is_unknown_not_an_error() -> None:
    event = parse_webhook({"webhook_type": "LAYER", "webhook_code": "LAYER_NEW_THING", "x": 1})
    assert type(event) is UnknownWebhook
    assert event.model_extra == {"x": 1}


def test_known_code_under_another_type_is_unknown() -> None:
    payload = {**example_payload("SESSION_FINISHED"), "webhook_type": "LAYER"}
    assert type(parse_webhook(payload)) is UnknownWebhook


def test_new_fields_on_a_known_webhook_are_kept() -> None:
    payload = {**example_payload("LAYER_AUTHENTICATION_PASSED"), "added_later": "value"}
    event = parse_webhook(payload)
    assert isinstance(event, LayerAuthenticationPassedWebhook)
    assert event.model_extra == {"added_later": "value"}


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"", "not valid JSON"),
        (b'{"webhook_type": "LAYER",', "not valid JSON"),
        (b'{"webhook_type": "\xff"}', "not UTF-8"),
        (b"[1, 2]", "JSON list, not an object"),
        (b'"link-sandbox-79e723b0"', "JSON str, not an object"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_parse_error(body: bytes, problem: str) -> None:
    with pytest.raises(WebhookParseError, match=problem) as caught:
        parse_webhook(body)
    assert "link-sandbox" not in str(caught.value)
    assert caught.value.fields == ()


def test_known_code_missing_a_required_field_names_the_field() -> None:
    payload = example_payload("LAYER_AUTHENTICATION_PASSED")
    del payload["link_session_id"]
    with pytest.raises(WebhookParseError) as caught:
        parse_webhook(plaid_body(payload), strict=True)
    assert caught.value.fields == ("link_session_id",)
    assert "link_session_id: Field required" in str(caught.value)
    assert "LayerAuthenticationPassedWebhook" in str(caught.value)


def test_parse_error_names_fields_but_never_their_values() -> None:
    payload: dict[str, Any] = example_payload("SESSION_FINISHED")
    payload["public_tokens"] = "public-sandbox-b0e2c4ee-a763-4df5-bfe9-46a46bce993d"  # not a list
    payload["link_token"] = ["link-sandbox-af1a0311-da53-4636-b754-dd15cc058176"]  # not a string
    with pytest.raises(WebhookParseError) as caught:
        parse_webhook(payload, strict=True)
    assert set(caught.value.fields) == {"public_tokens", "link_token"}
    message = str(caught.value)
    assert "public-sandbox" not in message
    assert "link-sandbox" not in message


def test_unknown_webhook_without_a_code_is_a_parse_error_when_strict() -> None:
    with pytest.raises(WebhookParseError) as caught:
        parse_webhook({"webhook_type": "LAYER"}, strict=True)
    assert caught.value.fields == ("webhook_code",)


def test_reprs_mask_tokens() -> None:
    passed = parse_webhook(example_payload("LAYER_AUTHENTICATION_PASSED"))
    finished = parse_webhook(example_payload("SESSION_FINISHED"))
    for event in (passed, finished):
        assert "link-sandbox" not in repr(event)
        assert "link-sandbox" not in str(event)
        assert "1daca4d5" in repr(passed)  # ids are not secrets and stay readable
    assert "public-sandbox" not in repr(finished)


def test_unknown_webhook_repr_masks_token_shaped_field_names() -> None:
    event = parse_webhook(
        {"webhook_type": "LINK", "webhook_code": "NEW", "public_token": "public-sandbox-1", "status": "ok"}
    )
    assert "public-sandbox-1" not in repr(event)
    assert "'ok'" in repr(event)


@pytest.mark.parametrize(
    "payload",
    [
        {"webhook_type": ["LAYER"], "webhook_code": "LAYER_AUTHENTICATION_PASSED"},
        {"webhook_type": {"LAYER": 1}, "webhook_code": "x"},
        {"webhook_type": "LINK", "webhook_code": ["SESSION_FINISHED"]},
        {"webhook_type": None, "webhook_code": 7},
    ],
    ids=repr,
)
def test_a_type_or_code_that_is_not_a_string_is_a_parse_error_when_strict(payload: dict[str, Any]) -> None:
    with pytest.raises(WebhookParseError) as caught:
        parse_webhook(json.dumps(payload).encode(), strict=True)
    assert caught.value.fields


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"webhook_type": "LINK", "n": ' + b"1" * 5_000 + b"}", "cannot be decoded"),
    ],
    ids=["nested 100,000 deep", "integer of 5,000 digits"],
)
def test_a_body_beyond_jsons_limits_is_a_parse_error(body: bytes, problem: str) -> None:
    with pytest.raises(WebhookParseError, match=problem):
        parse_webhook(body)


@settings(max_examples=300)
@given(
    payload=json_values | st.dictionaries(st.sampled_from(["webhook_type", "webhook_code", "x"]), json_values)
)
def test_bodies_of_any_content_parse_or_raise_only_a_parse_error(payload: object) -> None:
    for body in (json.dumps(payload).encode(), payload):
        for strict in (False, True):
            with contextlib.suppress(WebhookParseError):
                parse_webhook(body, strict=strict)  # type: ignore[arg-type]


@pytest.mark.parametrize("decoded", [[1, 2], None, 7, 1.5, True], ids=repr)
def test_decoded_json_that_is_not_an_object_is_a_parse_error(decoded: object) -> None:
    with pytest.raises(WebhookParseError, match="not a JSON object"):
        parse_webhook(decoded)  # type: ignore[arg-type]
