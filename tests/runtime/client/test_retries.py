"""Retries: which failures are retried, how often, and how long the client waits in between."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st
from plaid_layer import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncPlaidLayer,
    PlaidLayer,
    RateLimitError,
)
from plaid_layer._base_client import (
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    parse_retry_after,
    retry_delay,
)

from tests.runtime.client.support import FakeSleep, json_response
from tests.support import load_example

PATH = "/user_account/session/get"
OK = load_example("userAccountSessionGet.response.200")


def _error(status: int) -> httpx.Response:
    return json_response(
        status,
        {"error_type": "API_ERROR", "error_code": "X", "error_message": "m", "display_message": None},
    )


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retryable_status_is_retried_twice_by_default(
    client: PlaidLayer, router: respx.MockRouter, sleep: FakeSleep, status: int
) -> None:
    route = router.post(PATH).mock(return_value=_error(status))
    with pytest.raises(APIStatusError):
        client.user_account_session_get(public_token="p")
    assert route.call_count == 3
    assert len(sleep.delays) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_other_client_errors_are_not_retried(
    client: PlaidLayer, router: respx.MockRouter, sleep: FakeSleep, status: int
) -> None:
    route = router.post(PATH).mock(return_value=_error(status))
    with pytest.raises(APIStatusError):
        client.user_account_session_get(public_token="p")
    assert route.call_count == 1
    assert sleep.delays == []


def test_retry_succeeds_after_transient_failures(client: PlaidLayer, router: respx.MockRouter) -> None:
    route = router.post(PATH).mock(
        side_effect=[_error(503), httpx.ConnectError("reset"), json_response(200, OK)]
    )
    result = client.user_account_session_get(public_token="p")
    assert result.request_id == OK["request_id"]
    assert route.call_count == 3


def test_connection_errors_and_timeouts_are_retried(
    client: PlaidLayer, router: respx.MockRouter, sleep: FakeSleep
) -> None:
    route = router.post(PATH).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError, match="after 3 attempt"):
        client.user_account_session_get(public_token="p")
    assert route.call_count == 3
    route.mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError):
        client.user_account_session_get(public_token="p")
    assert route.call_count == 6


def test_max_retries_per_client_and_per_call(router: respx.MockRouter, sleep: FakeSleep) -> None:
    route = router.post(PATH).mock(return_value=_error(500))
    with PlaidLayer(client_id="c", secret="s", max_retries=4) as plaid:
        plaid._sleep = sleep
        with pytest.raises(APIStatusError):
            plaid.user_account_session_get(public_token="p")
        assert route.call_count == 5
        with pytest.raises(APIStatusError):
            plaid.user_account_session_get(public_token="p", max_retries=0)
        assert route.call_count == 6


def test_retry_after_seconds_is_honoured(
    client: PlaidLayer, router: respx.MockRouter, sleep: FakeSleep
) -> None:
    router.post(PATH).mock(
        side_effect=[json_response(429, {}, **{"Retry-After": "7"}), json_response(200, OK)]
    )
    client.user_account_session_get(public_token="p")
    assert sleep.delays == [7.0]


def test_retry_after_http_date_is_honoured(
    client: PlaidLayer, router: respx.MockRouter, sleep: FakeSleep
) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    router.post(PATH).mock(
        side_effect=[json_response(503, {}, **{"Retry-After": when}), json_response(200, OK)]
    )
    client.user_account_session_get(public_token="p")
    assert 15 <= sleep.delays[0] <= 20


def test_retry_after_longer_than_the_maximum_is_raised_with_the_wait(
    client: PlaidLayer, router: respx.MockRouter, sleep: FakeSleep
) -> None:
    route = router.post(PATH).mock(
        side_effect=[json_response(429, {}, **{"Retry-After": "86400"}), json_response(200, OK)]
    )
    with pytest.raises(RateLimitError) as caught:
        client.user_account_session_get(public_token="p")
    assert caught.value.retry_after == 86400.0
    assert "Retry-After asks for 86400 s" in str(caught.value)
    assert f"max_retry_after={MAX_RETRY_AFTER:g} s" in str(caught.value)
    assert route.call_count == 1
    assert sleep.delays == []


def test_retry_after_is_honoured_in_full_up_to_a_configured_maximum(
    router: respx.MockRouter, sleep: FakeSleep
) -> None:
    router.post(PATH).mock(
        side_effect=[json_response(503, {}, **{"Retry-After": "300"}), json_response(200, OK)]
    )
    with PlaidLayer(client_id="c", secret="s", max_retry_after=600) as plaid:
        plaid._sleep = sleep
        plaid.user_account_session_get(public_token="p")
    assert sleep.delays == [300.0]


@given(wait=st.floats(min_value=0, max_value=1e6, allow_nan=False), limit=st.floats(0, 1e6))
def test_a_retry_after_is_never_shortened(wait: float, limit: float) -> None:
    sleep = FakeSleep()
    responses = [json_response(429, {}, **{"Retry-After": repr(wait)}), json_response(200, OK)]
    transport = httpx.MockTransport(lambda request: responses.pop(0))
    with PlaidLayer(
        client_id="c", secret="s", max_retry_after=limit, http_client=httpx.Client(transport=transport)
    ) as plaid:
        plaid._sleep = sleep
        try:
            plaid.user_account_session_get(public_token="p")
        except RateLimitError as exc:
            assert wait > limit
            assert exc.retry_after == wait
        else:
            assert sleep.delays == [wait]


@pytest.mark.parametrize(
    ("value", "expected"), [("3", 3.0), ("0.5", 0.5), ("-4", 0.0), ("soon", None), ("", None), (None, None)]
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=0.0) == expected


@given(attempt=st.integers(min_value=0, max_value=30), seed=st.integers())
def test_backoff_is_exponential_with_bounded_jitter(attempt: int, seed: int) -> None:
    delay = retry_delay(attempt, None, random.Random(seed))
    base = min(INITIAL_RETRY_DELAY * 2**attempt, MAX_RETRY_DELAY)
    assert 0.75 * base <= delay <= base


def test_backoff_delays_grow_between_attempts(client: PlaidLayer, router: respx.MockRouter) -> None:
    sleep = FakeSleep()
    client._sleep = sleep
    router.post(PATH).mock(return_value=_error(500))
    with pytest.raises(APIStatusError):
        client.user_account_session_get(public_token="p", max_retries=3)
    assert len(sleep.delays) == 3
    assert sleep.delays[0] <= INITIAL_RETRY_DELAY <= sleep.delays[2]


async def test_async_client_retries_the_same_way(
    async_client: AsyncPlaidLayer, router: respx.MockRouter, sleep: FakeSleep
) -> None:
    route = router.post(PATH).mock(
        side_effect=[_error(502), json_response(429, {}, **{"Retry-After": "2"}), json_response(200, OK)]
    )
    result = await async_client.user_account_session_get(public_token="p")
    assert result.request_id == OK["request_id"]
    assert route.call_count == 3
    assert sleep.delays[1] == 2.0


def test_timeout_is_finite_by_default_and_settable_per_call(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    route = router.post(PATH).mock(return_value=json_response(200, OK))
    client.user_account_session_get(public_token="p")
    default = route.calls.last.request.extensions["timeout"]
    assert all(value is not None and value > 0 for value in default.values())
    client.user_account_session_get(public_token="p", timeout=1.5)
    assert route.calls.last.request.extensions["timeout"]["read"] == 1.5


def test_client_timeout_setting_applies_to_calls(router: respx.MockRouter) -> None:
    route = router.post(PATH).mock(return_value=json_response(200, OK))
    with PlaidLayer(client_id="c", secret="s", timeout=3.0) as plaid:
        plaid.user_account_session_get(public_token="p")
    assert route.calls.last.request.extensions["timeout"]["connect"] == 3.0
