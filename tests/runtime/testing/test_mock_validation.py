"""Requests that the real API would refuse get Plaid's 400 errors from the mock."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from plaid_layer import InvalidInputError, PlaidLayer
from plaid_layer.testing import LayerMock, mock_layer

URL = "https://sandbox.plaid.com/session/token/create"
CREDENTIALS = {"PLAID-CLIENT-ID": "id-1", "PLAID-SECRET": "secret-1"}


def _error(response: httpx.Response) -> tuple[int, str, str]:
    body: dict[str, Any] = response.json()
    assert body["display_message"] is None
    assert len(body["request_id"]) == 15
    return response.status_code, body["error_type"], body["error_code"]


def test_unknown_field_is_unknown_fields(plaid_layer_mock: LayerMock) -> None:
    response = httpx.post(URL, json={"template_id": "template_1", "colour": "red"}, headers=CREDENTIALS)

    assert _error(response) == (400, "INVALID_REQUEST", "UNKNOWN_FIELDS")
    assert (
        response.json()["error_message"] == "the following fields are not recognized by this endpoint: colour"
    )
    assert plaid_layer_mock.calls[0].status_code == 400


def test_unknown_nested_field_is_named_by_its_path(plaid_layer_mock: LayerMock) -> None:
    body = {"template_id": "template_1", "user": {"client_user_id": "user-1", "colour": "red"}}

    response = httpx.post(URL, json=body, headers=CREDENTIALS)

    assert _error(response) == (400, "INVALID_REQUEST", "UNKNOWN_FIELDS")
    assert response.json()["error_message"].endswith(": user.colour")


def test_missing_required_field_is_missing_fields(plaid_layer_mock: LayerMock) -> None:
    response = httpx.post(URL, json={"user": {"client_user_id": "user-1"}}, headers=CREDENTIALS)

    assert _error(response) == (400, "INVALID_REQUEST", "MISSING_FIELDS")
    assert response.json()["error_message"] == "the following required fields are missing: template_id"


def test_wrong_type_is_invalid_field(plaid_layer_mock: LayerMock) -> None:
    response = httpx.post(URL, json={"template_id": 42}, headers=CREDENTIALS)

    assert _error(response) == (400, "INVALID_REQUEST", "INVALID_FIELD")
    assert response.json()["error_message"].startswith("template_id: ")
    assert "42" not in response.json()["error_message"]


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"null"])
def test_body_that_is_not_a_json_object_is_invalid_body(plaid_layer_mock: LayerMock, content: bytes) -> None:
    headers = {**CREDENTIALS, "Content-Type": "application/json"}

    response = httpx.post(URL, content=content, headers=headers)

    assert _error(response) == (400, "INVALID_REQUEST", "INVALID_BODY")
    assert plaid_layer_mock.calls[0].json is None or not isinstance(plaid_layer_mock.calls[0].json, dict)


def test_wrong_content_type_is_invalid_headers(plaid_layer_mock: LayerMock) -> None:
    headers = {**CREDENTIALS, "Content-Type": "text/plain"}

    response = httpx.post(URL, content=b'{"template_id": "template_1"}', headers=headers)

    assert _error(response) == (400, "INVALID_REQUEST", "INVALID_HEADERS")


def test_missing_credentials_are_missing_fields(plaid_layer_mock: LayerMock) -> None:
    response = httpx.post(URL, json={"template_id": "template_1"}, headers={"PLAID-CLIENT-ID": "id-1"})

    assert _error(response) == (400, "INVALID_REQUEST", "MISSING_FIELDS")
    assert response.json()["error_message"] == "the following required fields are missing: secret"


def test_credentials_may_travel_in_the_body(plaid_layer_mock: LayerMock) -> None:
    body = {"client_id": "id-1", "secret": "secret-1", "template_id": "template_1"}

    assert httpx.post(URL, json=body).status_code == 200


def test_invalid_request_leaves_queued_answers_for_the_next_call(plaid_layer_mock: LayerMock) -> None:
    plaid_layer_mock.queue("session_token_create", json={"request_id": "queued"})

    assert httpx.post(URL, json={"colour": "red"}, headers=CREDENTIALS).status_code == 400
    assert httpx.post(URL, json={"template_id": "t"}, headers=CREDENTIALS).json() == {"request_id": "queued"}


def test_expected_credentials_refuse_other_keys_with_invalid_api_keys() -> None:
    with mock_layer(client_id="id-1", secret="secret-1"):
        with PlaidLayer(client_id="id-1", secret="secret-1") as good:
            good.session_token_create(template_id="template_1")
        with (
            PlaidLayer(client_id="id-1", secret="wrong", max_retries=0) as bad,
            pytest.raises(InvalidInputError) as caught,
        ):
            bad.session_token_create(template_id="template_1")

    assert (caught.value.status_code, caught.value.error_code) == (400, "INVALID_API_KEYS")
    assert "wrong" not in str(caught.value)
