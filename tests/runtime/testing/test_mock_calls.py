"""The mock records each request with its operation, JSON body and headers, credentials masked."""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from plaid_layer import PlaidLayer
from plaid_layer.testing import CATALOG, LayerMock

from tests.runtime.testing.support import CLIENT_ID, SECRET


def test_calls_record_operation_body_and_masked_headers(
    plaid_layer_mock: LayerMock, client: PlaidLayer
) -> None:
    client.session_token_create(template_id="template_1", user={"client_user_id": "user-1"})

    (call,) = plaid_layer_mock.calls_for("session_token_create")
    assert (call.operation, call.operation_id, call.status_code) == (
        "session_token_create",
        "sessionTokenCreate",
        200,
    )
    assert call.json == {"template_id": "template_1", "user": {"client_user_id": "user-1"}}
    assert call.headers["PLAID-CLIENT-ID"] == "<redacted>"
    assert call.headers["PLAID-SECRET"] == "<redacted>"
    assert call.headers["Plaid-Version"] == "2020-09-14"
    assert CLIENT_ID not in repr(plaid_layer_mock.calls)
    assert SECRET not in repr(plaid_layer_mock.calls)


def test_credentials_sent_in_the_body_are_masked_too(plaid_layer_mock: LayerMock) -> None:
    body = {"client_id": CLIENT_ID, "secret": SECRET, "public_token": "profile-sandbox-1"}

    response = httpx.post("https://sandbox.plaid.com/user_account/session/get", json=body)

    assert response.status_code == 200
    assert plaid_layer_mock.calls[0].json == {
        "client_id": "<redacted>",
        "secret": "<redacted>",
        "public_token": "profile-sandbox-1",
    }


def test_calls_for_keeps_operations_apart_and_in_order(
    plaid_layer_mock: LayerMock, client: PlaidLayer
) -> None:
    client.session_token_create(template_id="template_1")
    client.user_account_session_get(public_token="profile-sandbox-1")
    client.session_token_create(template_id="template_2")

    assert [call.json["template_id"] for call in plaid_layer_mock.calls_for("session_token_create")] == [
        "template_1",
        "template_2",
    ]
    assert [call.operation for call in plaid_layer_mock.calls] == [
        "session_token_create",
        "user_account_session_get",
        "session_token_create",
    ]


def test_an_operation_without_documented_example_asks_for_a_queued_answer(client: PlaidLayer) -> None:
    entry = CATALOG.operation("session_token_create")
    catalog = dataclasses.replace(CATALOG, operations=(dataclasses.replace(entry, response_example=None),))

    with LayerMock(catalog), pytest.raises(RuntimeError, match=r"mock.queue\('session_token_create'"):
        client.session_token_create(template_id="template_1")
