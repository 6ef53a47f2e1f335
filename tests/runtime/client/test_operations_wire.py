"""Each documented request example is exactly what goes over the wire, and each documented
response example parses into the models with every value intact (sync and async)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import respx
from plaid_layer import AsyncPlaidLayer, PlaidLayer
from plaid_layer.models import SessionTokenCreateRequestUser

from tests.runtime.client.support import CLIENT_ID, SECRET, json_response
from tests.support import load_example

# operationId -> (method name, keyword arguments that reproduce the documented request example)
CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "sessionTokenCreate": (
        "session_token_create",
        {"user": {"client_user_id": "user-abc"}, "template_id": "template_4uinBNe4B2x9"},
    ),
    "userAccountSessionGet": (
        "user_account_session_get",
        {"public_token": "profile-sandbox-b0e2c4ee-a763-4df5-bfe9-46a46bce992d"},
    ),
    "webhookVerificationKeyGet": (
        "webhook_verification_key_get",
        {"key_id": "bfbd5111-8e33-4643-8ced-b2e642a72f3c"},
    ),
}
PATHS = {
    "sessionTokenCreate": "/session/token/create",
    "userAccountSessionGet": "/user_account/session/get",
    "webhookVerificationKeyGet": "/webhook_verification_key/get",
}


def _assert_wire(request: Any, operation_id: str) -> None:
    assert request.method == "POST"
    assert str(request.url) == f"https://sandbox.plaid.com{PATHS[operation_id]}"
    assert request.headers["PLAID-CLIENT-ID"] == CLIENT_ID
    assert request.headers["PLAID-SECRET"] == SECRET
    assert request.headers["Plaid-Version"] == "2020-09-14"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == load_example(f"{operation_id}.request")


@pytest.mark.parametrize("operation_id", sorted(CALLS))
def test_sync_call_sends_documented_request_and_parses_documented_response(
    client: PlaidLayer, router: respx.MockRouter, operation_id: str
) -> None:
    expected = load_example(f"{operation_id}.response.200")
    route = router.post(PATHS[operation_id]).mock(return_value=json_response(200, expected))
    method, kwargs = CALLS[operation_id]

    result = getattr(client, method)(**kwargs)

    _assert_wire(route.calls.last.request, operation_id)
    assert result.model_dump(mode="json", exclude_unset=True) == expected


@pytest.mark.parametrize("operation_id", sorted(CALLS))
async def test_async_call_sends_documented_request_and_parses_documented_response(
    async_client: AsyncPlaidLayer, router: respx.MockRouter, operation_id: str
) -> None:
    expected = load_example(f"{operation_id}.response.200")
    route = router.post(PATHS[operation_id]).mock(return_value=json_response(200, expected))
    method, kwargs = CALLS[operation_id]

    result = await getattr(async_client, method)(**kwargs)

    _assert_wire(route.calls.last.request, operation_id)
    assert result.model_dump(mode="json", exclude_unset=True) == expected


def test_nested_argument_accepts_the_model_as_well_as_a_dict(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    route = router.post("/session/token/create").mock(
        return_value=json_response(200, load_example("sessionTokenCreate.response.200"))
    )
    client.session_token_create(
        template_id="template_4uinBNe4B2x9", user=SessionTokenCreateRequestUser(client_user_id="user-abc")
    )
    assert json.loads(route.calls.last.request.content) == load_example("sessionTokenCreate.request")


def test_optional_arguments_left_out_are_not_sent(client: PlaidLayer, router: respx.MockRouter) -> None:
    route = router.post("/session/token/create").mock(
        return_value=json_response(200, load_example("sessionTokenCreate.response.200"))
    )
    client.session_token_create(template_id="t", webhook="https://example.com/hook")
    assert json.loads(route.calls.last.request.content) == {
        "template_id": "t",
        "webhook": "https://example.com/hook",
    }


def test_production_environment_uses_the_production_server(router: respx.MockRouter) -> None:
    with respx.mock(base_url="https://production.plaid.com") as prod:
        route = prod.post("/user_account/session/get").mock(
            return_value=json_response(200, load_example("userAccountSessionGet.response.200"))
        )
        with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, environment="production") as plaid:
            plaid.user_account_session_get(public_token="profile-production-x")
        assert route.called
