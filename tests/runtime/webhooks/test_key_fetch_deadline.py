"""A verification stops waiting for Plaid's key endpoint at its deadline, whatever the client does.

Plaid abandons a delivery after 10 s. With the client's own timeout and retries in charge, a
hanging key endpoint held a verification for 10.5 s. Each test here hangs the endpoint until the
verifier has given up, so the verdict cannot come from the client's timeout: no wall-clock asserts.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator

import httpx
import pytest
import respx
from plaid_layer import AsyncPlaidLayer, PlaidLayer, WebhookVerificationError, WebhookVerificationFailure
from plaid_layer._webhook_verification import DEFAULT_KEY_FETCH_DEADLINE
from plaid_layer.webhooks import AsyncWebhookVerifier, WebhookVerifier

from tests.runtime.webhooks.support import (
    CLIENT_ID,
    NOW,
    SECRET,
    KeyServer,
    SigningKey,
    example_payload,
    plaid_body,
)

Reason = WebhookVerificationFailure
BODY = plaid_body(example_payload("SESSION_FINISHED"))
DEADLINE = 0.2
PLAID_DELIVERY_BUDGET = 10.0
"""Seconds Plaid waits for a receiver's answer."""
SAFETY = 30.0
"""How long a held request waits at most, so that a broken test cannot hang the suite."""


class HeldEndpoint:
    """The key endpoint, holding every request until `release()`."""

    def __init__(self, server: KeyServer) -> None:
        self._server = server
        self._release = threading.Event()
        self.answered = threading.Event()

    def release(self) -> None:
        self._release.set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self._release.wait(SAFETY)
        self.answered.set()
        return self._server(request)

    async def asynchronous(self, request: httpx.Request) -> httpx.Response:
        while not self._release.is_set():
            await asyncio.sleep(0.01)
        self.answered.set()
        return self._server(request)


@pytest.fixture
def held(key_server: KeyServer) -> HeldEndpoint:
    return HeldEndpoint(key_server)


@pytest.fixture
def patient_client(key_route: respx.Route, held: HeldEndpoint) -> Iterator[PlaidLayer]:
    """A client whose own settings would wait for minutes: long timeout, several retries."""
    key_route.side_effect = held
    with PlaidLayer(
        client_id=CLIENT_ID, secret=SECRET, environment="sandbox", timeout=60, max_retries=3
    ) as plaid:
        yield plaid
    held.release()
    _join_fetch_threads()


def _join_fetch_threads() -> None:
    for thread in threading.enumerate():
        if thread.name == "plaid_layer webhook key fetch":
            thread.join(SAFETY)


def _headers(key: SigningKey, iat: float = NOW) -> dict[str, str]:
    return {"Plaid-Verification": key.sign(BODY, iat=iat)}


def test_a_hanging_key_endpoint_is_given_up_on_at_the_deadline(
    patient_client: PlaidLayer, signing_key: SigningKey, held: HeldEndpoint, key_route: respx.Route
) -> None:
    verifier = WebhookVerifier(patient_client, clock=lambda: NOW, key_fetch_deadline=DEADLINE)
    with pytest.raises(WebhookVerificationError) as caught:
        verifier.verify(BODY, _headers(signing_key))
    assert not held.answered.is_set()  # the verdict came from the deadline, not from the client
    assert caught.value.reason is Reason.KEY_UNAVAILABLE
    assert f"within {DEADLINE} s" in str(caught.value)
    held.release()
    _join_fetch_threads()
    # The client times the late answer out and retries inside the same, abandoned fetch; the key it
    # then gets is kept, so the next webhook costs no call at all.
    fetched = key_route.call_count
    assert fetched == 2
    verifier.verify(BODY, _headers(signing_key))
    assert key_route.call_count == fetched
    # The abandoned call itself was bounded by the deadline too, so it ends soon after.
    assert key_route.calls[0].request.extensions["timeout"] == dict.fromkeys(
        ("connect", "read", "write", "pool"), DEADLINE
    )


def test_callers_waiting_on_a_hanging_fetch_do_not_start_more(
    patient_client: PlaidLayer, signing_key: SigningKey, held: HeldEndpoint, key_route: respx.Route
) -> None:
    verifier = WebhookVerifier(patient_client, clock=lambda: NOW, key_fetch_deadline=DEADLINE)
    for _ in range(3):
        with pytest.raises(WebhookVerificationError, match="key_unavailable"):
            verifier.verify(BODY, _headers(signing_key))
    assert not held.answered.is_set()
    held.release()
    _join_fetch_threads()
    # One fetch for all three callers: its late answer is timed out by the client and retried once.
    assert key_route.call_count == 2


def test_a_cached_key_is_used_when_its_refresh_hangs(
    client: PlaidLayer, signing_key: SigningKey, key_server: KeyServer, key_route: respx.Route
) -> None:
    clock = [NOW]
    verifier = WebhookVerifier(client, clock=lambda: clock[0], key_fetch_deadline=DEADLINE)
    verifier.verify(BODY, _headers(signing_key))
    held = HeldEndpoint(key_server)
    key_route.side_effect = held
    clock[0] += 3600  # the key is due for a refresh, and Plaid hangs
    try:
        verifier.verify(BODY, _headers(signing_key, iat=clock[0]))
        assert not held.answered.is_set()
    finally:
        held.release()
        _join_fetch_threads()


async def test_the_async_verifier_gives_up_at_the_deadline_too(
    key_route: respx.Route, key_server: KeyServer, signing_key: SigningKey
) -> None:
    held = HeldEndpoint(key_server)
    key_route.side_effect = held.asynchronous
    async with AsyncPlaidLayer(
        client_id=CLIENT_ID, secret=SECRET, environment="sandbox", timeout=60, max_retries=3
    ) as plaid:
        verifier = AsyncWebhookVerifier(plaid, clock=lambda: NOW, key_fetch_deadline=DEADLINE)
        with pytest.raises(WebhookVerificationError) as caught:
            await verifier.verify(BODY, _headers(signing_key))
        assert not held.answered.is_set()
        assert caught.value.reason is Reason.KEY_UNAVAILABLE
        held.release()
        await _until(held.answered.is_set)
        await verifier.verify(BODY, _headers(signing_key))  # joins the fetch, or finds its key cached
    assert key_route.call_count == 1


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(SAFETY):
        while not condition():
            await asyncio.sleep(0.01)


@pytest.mark.parametrize("deadline", [0, -1, float("nan"), float("inf")])
def test_the_deadline_must_be_a_positive_number_of_seconds(client: PlaidLayer, deadline: float) -> None:
    with pytest.raises(ValueError, match="key_fetch_deadline"):
        WebhookVerifier(client, key_fetch_deadline=deadline)


def test_the_default_deadline_leaves_half_of_plaids_delivery_budget() -> None:
    # What the README promises: a receiver that verifies answers well inside Plaid's 10 s.
    assert DEFAULT_KEY_FETCH_DEADLINE <= PLAID_DELIVERY_BUDGET / 2


def test_a_process_out_of_threads_gets_a_verdict_and_no_stuck_fetch(
    verifier: WebhookVerifier, signing_key: SigningKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    with monkeypatch.context() as patch:
        patch.setattr(threading.Thread, "start", refuse)
        with pytest.raises(WebhookVerificationError) as caught:
            verifier.verify(BODY, _headers(signing_key))
    assert caught.value.reason is Reason.KEY_UNAVAILABLE
    verifier.verify(BODY, _headers(signing_key))
