"""The mock answers like the API: Plaid's documented status per error, and read timeouts honoured."""

from __future__ import annotations

import asyncio
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plaid_layer import (
    APIServerError,
    APIStatusError,
    APITimeoutError,
    AsyncPlaidLayer,
    InvalidInputError,
    InvalidRequestError,
    PlaidLayer,
    RateLimitError,
)
from plaid_layer.testing import ErrorType, LayerMock, documented_status, mock_layer

from tests.runtime.testing.support import CLIENT_ID, SECRET

# Plaid's errors reference: (error_type, error_code) -> the HTTP status it documents.
DOCUMENTED = [
    ("RATE_LIMIT_EXCEEDED", "RATE_LIMIT", 429),
    ("RATE_LIMIT_EXCEEDED", "INSTITUTION_RATE_LIMIT", 429),
    ("API_ERROR", "INTERNAL_SERVER_ERROR", 500),
    ("API_ERROR", "PLANNED_MAINTENANCE", 503),
    ("INVALID_REQUEST", "MISSING_FIELDS", 400),
    ("INVALID_REQUEST", "NOT_FOUND", 404),
    ("INVALID_REQUEST", "NO_LONGER_AVAILABLE", 404),
    ("INVALID_INPUT", "INVALID_PUBLIC_TOKEN", 400),
    ("INVALID_INPUT", "INVALID_API_KEYS", 400),
    ("ITEM_ERROR", "INVALID_OTP", 400),
    ("INSTITUTION_ERROR", "INSTITUTION_DOWN", 400),
    ("OAUTH_ERROR", "OAUTH_STATE_ID_ALREADY_PROCESSED", 208),
    ("OAUTH_ERROR", "OAUTH_STATE_ID_NOT_FOUND", 404),
    ("USER_ERROR", "USER_NOT_FOUND", 400),
    ("USER_ERROR", "INVALID_USER_IDENTITY_DATA", 403),
]


@pytest.mark.parametrize(("error_type", "error_code", "status"), DOCUMENTED)
def test_documented_status_follows_plaids_errors_reference(
    error_type: str, error_code: str, status: int
) -> None:
    assert documented_status(error_type, error_code) == status


OWN_STATUS_CODES = {code for error_type, code, status in DOCUMENTED}
TYPE_STATUS = {"RATE_LIMIT_EXCEEDED": 429, "API_ERROR": 500}


@given(
    error_type=st.sampled_from([*TYPE_STATUS, "INVALID_INPUT", "ITEM_ERROR", "A_NEW_ERROR_TYPE"]),
    error_code=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ_", min_size=1, max_size=30).filter(
        lambda code: code not in OWN_STATUS_CODES
    ),
)
def test_any_other_code_takes_the_status_of_its_type(error_type: str, error_code: str) -> None:
    assert documented_status(error_type, error_code) == TYPE_STATUS.get(error_type, 400)


@pytest.mark.parametrize(
    ("error_type", "error_code", "status", "error_class"),
    [
        ("RATE_LIMIT_EXCEEDED", "RATE_LIMIT", 429, RateLimitError),
        ("API_ERROR", "INTERNAL_SERVER_ERROR", 500, APIServerError),
        ("API_ERROR", "PLANNED_MAINTENANCE", 503, APIServerError),
        ("INVALID_INPUT", "INVALID_PUBLIC_TOKEN", 400, InvalidInputError),
        ("INVALID_REQUEST", "NOT_FOUND", 404, InvalidRequestError),
    ],
)
def test_queued_error_gets_the_documented_status_unless_given(
    plaid_layer_mock: LayerMock,
    client: PlaidLayer,
    error_type: ErrorType,
    error_code: str,
    status: int,
    error_class: type[APIStatusError],
) -> None:
    plaid_layer_mock.queue_error("session_token_create", error_type=error_type, error_code=error_code)

    with pytest.raises(error_class) as caught:
        client.session_token_create(template_id="template_1")

    assert caught.value.status_code == status
    assert plaid_layer_mock.calls[-1].status_code == status


def test_a_given_status_wins_over_the_documented_one(plaid_layer_mock: LayerMock, client: PlaidLayer) -> None:
    plaid_layer_mock.queue_error(
        "session_token_create", error_type="RATE_LIMIT_EXCEEDED", error_code="RATE_LIMIT", status=400
    )

    with pytest.raises(RateLimitError) as caught:
        client.session_token_create(template_id="template_1")

    assert caught.value.status_code == 400


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the mock sleeps, sync or async, recorded instead of waited for."""
    delays: list[float] = []
    real_asyncio_sleep = asyncio.sleep

    def sleep(seconds: float) -> None:
        delays.append(seconds)

    async def asleep(seconds: float) -> None:
        delays.append(seconds)
        await real_asyncio_sleep(0)

    monkeypatch.setattr("plaid_layer.testing._replies.time.sleep", sleep)
    monkeypatch.setattr("plaid_layer.testing._replies.asyncio.sleep", asleep)
    return delays


def test_a_delay_longer_than_the_timeout_is_a_timeout_once_the_timeout_passed(
    plaid_layer_mock: LayerMock, slept: list[float]
) -> None:
    plaid_layer_mock.queue_delay("session_token_create", 30.0)

    with (
        PlaidLayer(client_id=CLIENT_ID, secret=SECRET, max_retries=0, timeout=2.5) as client,
        pytest.raises(APITimeoutError),
    ):
        client.session_token_create(template_id="template_1")

    assert slept == [2.5]
    assert plaid_layer_mock.calls[-1].status_code is None


async def test_a_delay_longer_than_the_timeout_is_a_timeout_for_async_clients(
    plaid_layer_mock: LayerMock, slept: list[float]
) -> None:
    plaid_layer_mock.queue_delay("user_account_session_get", 30.0)

    async with AsyncPlaidLayer(client_id=CLIENT_ID, secret=SECRET, max_retries=0, timeout=4.0) as client:
        with pytest.raises(APITimeoutError):
            await client.user_account_session_get(public_token="profile-sandbox-1")

    assert slept == [4.0]


def test_the_per_call_timeout_is_the_one_honoured(plaid_layer_mock: LayerMock, slept: list[float]) -> None:
    plaid_layer_mock.queue_delay("session_token_create", 3.0)
    plaid_layer_mock.queue_delay("session_token_create", 3.0)

    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, max_retries=0, timeout=60.0) as client:
        with pytest.raises(APITimeoutError):
            client.session_token_create(template_id="template_1", timeout=1.0)
        assert client.session_token_create(template_id="template_1", timeout=10.0).request_id

    assert slept == [1.0, 3.0]
    assert [call.status_code for call in plaid_layer_mock.calls] == [None, 200]


def test_queued_errors_and_payloads_honour_the_timeout_too(
    plaid_layer_mock: LayerMock, slept: list[float]
) -> None:
    plaid_layer_mock.queue_error(
        "session_token_create", error_type="API_ERROR", error_code="INTERNAL_SERVER_ERROR", delay=9.0
    )

    with (
        PlaidLayer(client_id=CLIENT_ID, secret=SECRET, max_retries=0, timeout=1.5) as client,
        pytest.raises(APITimeoutError),
    ):
        client.session_token_create(template_id="template_1")

    assert slept == [1.5]


# The client's deadline also counts the real time an attempt takes (the mock's sleep is patched
# out), so timeouts start at a second: far above that time, even on a loaded machine.
@settings(max_examples=30)  # each example builds a mock; 30 cover both sides of the boundary
@given(
    delay=st.floats(min_value=0.001, max_value=120, allow_nan=False),
    timeout=st.floats(min_value=1.0, max_value=120, allow_nan=False),
)
def test_a_delay_times_out_exactly_when_it_is_longer_than_the_timeout(delay: float, timeout: float) -> None:
    delays: list[float] = []
    with (
        patch("plaid_layer.testing._replies.time.sleep", delays.append),
        mock_layer() as mock,
        PlaidLayer(client_id=CLIENT_ID, secret=SECRET, max_retries=0, timeout=timeout) as client,
    ):
        mock.queue_delay("session_token_create", delay)
        try:
            client.session_token_create(template_id="template_1")
        except APITimeoutError:
            timed_out = True
        else:
            timed_out = False

    assert timed_out == (delay > timeout)
    assert delays == [min(delay, timeout)]
