"""Errors survive pickling and copying with their typed fields, and carry no credentials across."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from plaid_layer import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InvalidHeaderError,
    InvalidInputError,
    PlaidLayer,
    PlaidLayerError,
    RequestValidationError,
    ResponseDecodingError,
    ResponseTooLargeError,
    ResponseValidationError,
    WebhookParseError,
    WebhookVerificationError,
    WebhookVerificationFailure,
)
from plaid_layer.models import PlaidError

from tests.runtime.client.support import CLIENT_ID, SECRET, json_response

PATH = "/user_account/session/get"
PUBLIC_TOKEN = "public-sandbox-5c224a01-8314-4491-a06f-39e193d5cddc"
ROUND_TRIPS: list[Callable[[Any], Any]] = [
    lambda error: pickle.loads(pickle.dumps(error)),
    copy.copy,
    copy.deepcopy,
]
IDS = ["pickle", "copy", "deepcopy"]


def _status_error(client: PlaidLayer, router: respx.MockRouter) -> InvalidInputError:
    router.post(PATH).mock(
        return_value=json_response(
            400,
            {
                "error_type": "INVALID_INPUT",
                "error_code": "INVALID_PUBLIC_TOKEN",
                "error_message": f"token {PUBLIC_TOKEN} is not valid for client {CLIENT_ID}",
                "display_message": None,
                "request_id": "req-1",
            },
            **{"Retry-After": "1"},
        )
    )
    with pytest.raises(InvalidInputError) as caught:
        client.user_account_session_get(public_token=PUBLIC_TOKEN)
    return caught.value


@pytest.mark.parametrize("round_trip", ROUND_TRIPS, ids=IDS)
def test_a_status_error_round_trips_with_its_typed_fields(
    client: PlaidLayer, router: respx.MockRouter, round_trip: Callable[[Any], Any]
) -> None:
    error = _status_error(client, router)
    restored = round_trip(error)
    assert type(restored) is InvalidInputError
    assert str(restored) == str(error)
    for field in (
        "status_code",
        "error_type",
        "error_code",
        "error_message",
        "display_message",
        "request_id",
    ):
        assert getattr(restored, field) == getattr(error, field), field
    assert restored.operation_id == "userAccountSessionGet"
    assert restored.retry_after == 1.0
    assert isinstance(restored.error, PlaidError)
    assert restored.error.error_code == "INVALID_PUBLIC_TOKEN"
    assert restored.response is None  # the request inside it carries the credentials
    assert error.response is not None  # the original keeps it


def test_a_pickled_status_error_holds_no_credential_or_token(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    payload = pickle.dumps(_status_error(client, router))
    for private in (CLIENT_ID, SECRET, PUBLIC_TOKEN):
        assert private.encode() not in payload


def test_a_pickled_connection_error_keeps_where_it_happened(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    router.post(PATH).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError) as caught:
        client.user_account_session_get(public_token=PUBLIC_TOKEN, max_retries=0)
    payload = pickle.dumps(caught.value)
    restored = pickle.loads(payload)
    assert (restored.method, restored.url, restored.operation_id) == (
        "POST",
        "https://sandbox.plaid.com/user_account/session/get",
        "userAccountSessionGet",
    )
    assert SECRET.encode() not in payload and PUBLIC_TOKEN.encode() not in payload


def _request_validation_error() -> RequestValidationError:
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET) as plaid:
        try:
            plaid.session_token_create(template_id="t", user={"surprise": 1})  # type: ignore[arg-type]
        except RequestValidationError as exc:
            return exc
    raise AssertionError("no error")


@pytest.mark.parametrize(
    "make",
    [
        lambda: PlaidLayerError("plain"),
        _request_validation_error,
        lambda: InvalidHeaderError("op", "X-Trace", "bad"),
        lambda: APIConnectionError("down", method="POST", url="https://x/y", operation_id="op"),
        lambda: APITimeoutError("slow", method="POST", url="https://x/y", operation_id="op"),
        lambda: ResponseDecodingError("op", 500, "bad gzip"),
        lambda: ResponseTooLargeError("op", 200, 10),
        lambda: ResponseValidationError("op", 200, "items: missing", ("items",)),
        lambda: WebhookParseError("bad body", ("webhook_code",)),
        lambda: WebhookVerificationError(WebhookVerificationFailure.STALE, "too old"),
    ],
    ids=[
        "base",
        "request-validation",
        "invalid-header",
        "connection",
        "timeout",
        "decoding",
        "too-large",
        "response-validation",
        "webhook-parse",
        "webhook-verification",
    ],
)
@pytest.mark.parametrize("round_trip", ROUND_TRIPS, ids=IDS)
def test_every_error_type_round_trips(
    make: Callable[[], PlaidLayerError], round_trip: Callable[[Any], Any]
) -> None:
    error = make()
    restored = round_trip(error)
    assert type(restored) is type(error)
    assert str(restored) == str(error)
    assert vars(restored) == vars(error)


def test_an_unpickled_status_error_without_a_plaid_body_still_describes_itself(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    router.post(PATH).mock(return_value=httpx.Response(502, content=b"<html>bad gateway</html>"))
    with pytest.raises(APIStatusError) as caught:
        client.user_account_session_get(public_token="p", max_retries=0)
    restored = pickle.loads(pickle.dumps(caught.value))
    assert (restored.status_code, restored.error, restored.body) == (502, None, "<html>bad gateway</html>")
