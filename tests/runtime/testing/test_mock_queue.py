"""Queued answers: payloads, Plaid errors, network errors, timeouts and delays, used in order."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from plaid_layer import (
    APIConnectionError,
    APITimeoutError,
    AsyncPlaidLayer,
    InvalidInputError,
    PlaidLayer,
    RateLimitError,
    ResponseValidationError,
    deviations,
)
from plaid_layer.testing import LayerMock, examples

from tests.runtime.testing.support import CLIENT_ID, SECRET


def test_queued_payload_is_used_once_then_the_default_returns(
    plaid_layer_mock: LayerMock, client: PlaidLayer
) -> None:
    plaid_layer_mock.queue("user_account_session_get", json=examples.user_account_session_get(identity=None))

    assert client.user_account_session_get(public_token="profile-sandbox-1").identity is None
    assert client.user_account_session_get(public_token="profile-sandbox-1").identity is not None


def test_queued_answers_are_consumed_in_order(plaid_layer_mock: LayerMock, client: PlaidLayer) -> None:
    for request_id in ("first", "second"):
        plaid_layer_mock.queue(
            "session_token_create", json=examples.session_token_create(request_id=request_id)
        )

    ids = [client.session_token_create(template_id="template_1").request_id for _ in range(3)]

    assert ids == ["first", "second", "XQVgFigpGHXkb0b"]


def test_operations_can_be_named_by_operation_id(plaid_layer_mock: LayerMock, client: PlaidLayer) -> None:
    plaid_layer_mock.queue("sessionTokenCreate", json=examples.session_token_create(request_id="by-id"))

    assert client.session_token_create(template_id="template_1").request_id == "by-id"
    assert len(plaid_layer_mock.calls_for("sessionTokenCreate")) == 1


def test_unknown_operation_names_are_refused(plaid_layer_mock: LayerMock) -> None:
    with pytest.raises(ValueError, match="unknown operation 'item_get'; the spec has: session_token_create"):
        plaid_layer_mock.queue("item_get", json={})  # type: ignore[arg-type]  # refused at run time too


def test_queued_error_is_a_plaid_error(plaid_layer_mock: LayerMock, client: PlaidLayer) -> None:
    plaid_layer_mock.queue_error(
        "session_token_create", error_type="INVALID_INPUT", error_code="INVALID_API_KEYS", status=400
    )

    with pytest.raises(InvalidInputError) as caught:
        client.session_token_create(template_id="template_1")

    error = caught.value
    assert (error.status_code, error.error_type, error.error_code) == (
        400,
        "INVALID_INPUT",
        "INVALID_API_KEYS",
    )
    assert error.display_message is None
    assert error.error_message
    assert error.request_id is not None and len(error.request_id) == 15


def test_queued_error_takes_extra_fields_and_headers(plaid_layer_mock: LayerMock, client: PlaidLayer) -> None:
    plaid_layer_mock.queue_error(
        "user_account_session_get",
        error_type="RATE_LIMIT_EXCEEDED",
        error_code="RATE_LIMIT",
        status=429,
        display_message="Try again later",
        headers={"Retry-After": "0"},
        suggested_action="wait",
    )

    with pytest.raises(RateLimitError) as caught:
        client.user_account_session_get(public_token="profile-sandbox-1")

    assert caught.value.display_message == "Try again later"
    assert caught.value.response is not None
    assert caught.value.response.headers["Retry-After"] == "0"
    assert caught.value.response.json()["suggested_action"] == "wait"


def test_retries_reach_the_next_queued_answer(plaid_layer_mock: LayerMock) -> None:
    plaid_layer_mock.queue_error("session_token_create", error_type="API_ERROR", error_code="X", status=500)
    with PlaidLayer(client_id="id-1", secret="secret-1", max_retries=1) as client:
        client._sleep = lambda seconds: None
        assert client.session_token_create(template_id="template_1").request_id == "XQVgFigpGHXkb0b"

    assert [call.status_code for call in plaid_layer_mock.calls] == [500, 200]


def test_queued_network_error_is_a_connection_error(plaid_layer_mock: LayerMock, client: PlaidLayer) -> None:
    plaid_layer_mock.queue_network_error("session_token_create")

    with pytest.raises(APIConnectionError) as caught:
        client.session_token_create(template_id="template_1")

    assert not isinstance(caught.value, APITimeoutError)
    assert plaid_layer_mock.calls[0].status_code is None


async def test_queued_timeout_is_a_timeout(
    plaid_layer_mock: LayerMock, async_client: AsyncPlaidLayer
) -> None:
    plaid_layer_mock.queue_timeout("user_account_session_get")

    with pytest.raises(APITimeoutError):
        await async_client.user_account_session_get(public_token="profile-sandbox-1")


def test_queued_failure_skips_request_validation(plaid_layer_mock: LayerMock) -> None:
    plaid_layer_mock.queue_network_error("session_token_create")

    with pytest.raises(httpx.ConnectError, match="simulated connection failure"):
        httpx.post("https://sandbox.plaid.com/session/token/create", content=b"not json")


def test_queued_delay_holds_the_default_answer_back(
    plaid_layer_mock: LayerMock, client: PlaidLayer, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    monkeypatch.setattr("plaid_layer.testing._replies.time.sleep", slept.append)
    plaid_layer_mock.queue_delay("session_token_create", 0.2)

    result = client.session_token_create(template_id="template_1")

    assert slept == [0.2]
    assert result.request_id == "XQVgFigpGHXkb0b"


async def test_queued_delay_does_not_block_the_event_loop(
    plaid_layer_mock: LayerMock, async_client: AsyncPlaidLayer
) -> None:
    plaid_layer_mock.queue(
        "session_token_create", json=examples.session_token_create(request_id="slow"), delay=0.3
    )

    slow = asyncio.create_task(async_client.session_token_create(template_id="template_1"))
    await asyncio.sleep(0)
    fast = await async_client.user_account_session_get(public_token="profile-sandbox-1")

    assert not slow.done()
    assert fast.request_id == "m8MDnv9okwxFNBV"
    assert (await slow).request_id == "slow"


def test_queued_payload_is_not_checked_so_bad_bodies_can_be_tested(
    plaid_layer_mock: LayerMock, client: PlaidLayer
) -> None:
    plaid_layer_mock.queue("session_token_create", json={"link": None})
    plaid_layer_mock.queue("session_token_create", json={"link": None})

    session = client.session_token_create(template_id="template_1")
    assert session.link is None and deviations(session) == (("request_id", "Field required"),)
    strict = PlaidLayer(client_id=CLIENT_ID, secret=SECRET, strict_response_validation=True)
    with strict, pytest.raises(ResponseValidationError) as caught:
        strict.session_token_create(template_id="template_1")
    assert caught.value.fields == ("request_id",)


def test_a_deviating_answer_can_be_queued_from_the_documented_example(
    plaid_layer_mock: LayerMock, client: PlaidLayer
) -> None:
    plaid_layer_mock.queue_deviating(
        "user_account_session_get", remove=["request_id"], replace={"items.0.access_token": 7}
    )

    raw = client.with_raw_response.user_account_session_get(public_token="profile-sandbox-1")
    assert raw.deviations == (
        ("items.0.access_token", "Input should be a valid string"),
        ("request_id", "Field required"),
    )
    assert raw.parsed.items[0].access_token == 7  # type: ignore[comparison-overlap]
    assert raw.parsed.items[0].item_id == examples.user_account_session_get()["items"][0]["item_id"]
    assert client.user_account_session_get(public_token="profile-sandbox-1").request_id  # then the usual


@pytest.mark.parametrize(
    ("remove", "replace", "problem"),
    [(["nope"], {}, "no 'nope' to remove"), ([], {"items.9.item_id": 1}, "no 'items.9.item_id' to replace")],
)
def test_a_deviation_at_a_path_the_example_lacks_is_refused(
    plaid_layer_mock: LayerMock, remove: list[str], replace: dict[str, object], problem: str
) -> None:
    with pytest.raises(KeyError, match=problem):
        plaid_layer_mock.queue_deviating("user_account_session_get", remove=remove, replace=replace)


def test_handler_replaces_the_default_answer(plaid_layer_mock: LayerMock, client: PlaidLayer) -> None:
    seen = []

    def answer(body: object) -> httpx.Response:
        seen.append(body)
        return httpx.Response(200, json=examples.session_token_create(request_id="handled"))

    plaid_layer_mock.set_handler("session_token_create", answer)
    assert client.session_token_create(template_id="template_1").request_id == "handled"
    plaid_layer_mock.set_handler("session_token_create", None)
    assert client.session_token_create(template_id="template_1").request_id == "XQVgFigpGHXkb0b"
    assert seen == [{"template_id": "template_1"}]
