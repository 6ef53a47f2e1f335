"""The key cache: one fetch per key id, bounded, refreshed, and single-flight under threads and tasks."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import respx
from plaid_layer import AsyncPlaidLayer, PlaidLayer, WebhookVerificationError, WebhookVerificationFailure
from plaid_layer.webhooks import AsyncWebhookVerifier, WebhookVerifier

from tests.runtime.webhooks.support import NOW, KeyServer, SigningKey, example_payload, plaid_body

BODY = plaid_body(example_payload("SESSION_FINISHED"))
WORKERS = 16


class Clock:
    """A settable wall clock."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


def _deliver(verifier: WebhookVerifier, key: SigningKey, clock: Clock | None = None) -> None:
    iat = clock.now if clock is not None else NOW
    verifier.verify(BODY, {"Plaid-Verification": key.sign(BODY, iat=iat)})


def test_known_key_is_not_fetched_again(
    verifier: WebhookVerifier, signing_key: SigningKey, key_route: respx.Route
) -> None:
    for _ in range(10):
        _deliver(verifier, signing_key)
    assert key_route.call_count == 1


def test_cache_keeps_the_most_recently_used_keys(
    client: PlaidLayer, key_server: KeyServer, key_route: respx.Route
) -> None:
    a, b, c = (SigningKey.generate(kid) for kid in "abc")
    for key in (a, b, c):
        key_server.add(key)
    verifier = WebhookVerifier(client, clock=lambda: NOW, cache_size=2)
    for key in (a, b, a, c, a):  # c evicts b, the least recently used; a stays
        _deliver(verifier, key)
    assert key_server.requested == ["a", "b", "c"]
    _deliver(verifier, b)
    assert key_server.requested == ["a", "b", "c", "b"]


def test_key_is_fetched_again_after_key_ttl_and_a_rotated_out_key_is_then_refused(
    client: PlaidLayer, signing_key: SigningKey, key_server: KeyServer
) -> None:
    clock = Clock()
    verifier = WebhookVerifier(client, clock=clock, key_ttl=3600)
    _deliver(verifier, signing_key, clock)
    clock.now += 3599
    _deliver(verifier, signing_key, clock)
    assert len(key_server.requested) == 1
    key_server.add(signing_key, expired_at=int(clock.now))
    clock.now += 1
    with pytest.raises(WebhookVerificationError) as caught:
        _deliver(verifier, signing_key, clock)
    assert caught.value.reason is WebhookVerificationFailure.EXPIRED_KEY
    assert len(key_server.requested) == 2


def test_expired_key_verdict_is_cached(
    verifier: WebhookVerifier, signing_key: SigningKey, key_server: KeyServer
) -> None:
    key_server.add(signing_key, expired_at=int(NOW) - 10)
    for _ in range(3):
        with pytest.raises(WebhookVerificationError, match="expired_key"):
            _deliver(verifier, signing_key)
    assert len(key_server.requested) == 1


def test_failed_fetch_is_not_cached(
    verifier: WebhookVerifier, signing_key: SigningKey, key_server: KeyServer
) -> None:
    key_server.outage = httpx.Response(503, text="maintenance")
    with pytest.raises(WebhookVerificationError) as caught:
        _deliver(verifier, signing_key)
    assert caught.value.reason is WebhookVerificationFailure.KEY_UNAVAILABLE
    key_server.outage = None
    _deliver(verifier, signing_key)
    assert len(key_server.requested) == 2


@pytest.mark.parametrize(
    ("max_age", "cache_size", "key_ttl"),
    [(0, 32, 3600), (-1, 32, 3600), (float("nan"), 32, 3600), (300, 0, 3600), (300, 32, 0)],
)
def test_options_are_checked(client: PlaidLayer, max_age: float, cache_size: int, key_ttl: float) -> None:
    with pytest.raises(ValueError):
        WebhookVerifier(client, max_age=max_age, cache_size=cache_size, key_ttl=key_ttl)


def _slow(server: KeyServer) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        time.sleep(0.1)  # long enough for every thread to be waiting on the same key
        return server(request)

    return answer


def _in_threads(verifier: WebhookVerifier, key: SigningKey) -> list[BaseException | None]:
    barrier = threading.Barrier(WORKERS)

    def deliver() -> BaseException | None:
        barrier.wait()
        try:
            _deliver(verifier, key)
        except WebhookVerificationError as exc:
            return exc
        return None

    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(lambda _: deliver(), range(WORKERS)))


def test_simultaneous_webhooks_in_threads_fetch_the_key_once(
    verifier: WebhookVerifier, signing_key: SigningKey, key_server: KeyServer, key_route: respx.Route
) -> None:
    key_route.side_effect = _slow(key_server)
    assert _in_threads(verifier, signing_key) == [None] * WORKERS
    assert key_route.call_count == 1


def test_simultaneous_webhooks_with_an_unknown_kid_share_one_refusal(
    verifier: WebhookVerifier, key_server: KeyServer, key_route: respx.Route
) -> None:
    key_route.side_effect = _slow(key_server)
    outcomes = _in_threads(verifier, SigningKey.generate("unknown-kid"))
    reasons = {exc.reason for exc in outcomes if isinstance(exc, WebhookVerificationError)}
    assert len(outcomes) == WORKERS
    assert reasons == {WebhookVerificationFailure.UNKNOWN_KEY}
    assert key_route.call_count == 1


def _slow_async(server: KeyServer) -> Callable[[httpx.Request], Awaitable[httpx.Response]]:
    async def answer(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.05)
        return server(request)

    return answer


async def _deliver_async(verifier: AsyncWebhookVerifier, key: SigningKey) -> None:
    await verifier.verify(BODY, {"Plaid-Verification": key.sign(BODY)})


async def test_simultaneous_webhooks_in_tasks_fetch_the_key_once(
    async_verifier: AsyncWebhookVerifier,
    signing_key: SigningKey,
    key_server: KeyServer,
    key_route: respx.Route,
) -> None:
    key_route.side_effect = _slow_async(key_server)
    await asyncio.gather(*(_deliver_async(async_verifier, signing_key) for _ in range(WORKERS)))
    assert key_route.call_count == 1
    await _deliver_async(async_verifier, signing_key)
    assert key_route.call_count == 1


async def test_simultaneous_async_webhooks_with_an_unknown_kid_share_one_refusal(
    async_verifier: AsyncWebhookVerifier, key_server: KeyServer, key_route: respx.Route
) -> None:
    key_route.side_effect = _slow_async(key_server)
    stranger = SigningKey.generate("unknown-kid")
    outcomes = await asyncio.gather(
        *(_deliver_async(async_verifier, stranger) for _ in range(WORKERS)), return_exceptions=True
    )
    assert {getattr(exc, "reason", None) for exc in outcomes} == {WebhookVerificationFailure.UNKNOWN_KEY}
    assert key_route.call_count == 1


async def test_cancelled_fetch_does_not_strand_the_waiting_tasks(
    async_client: AsyncPlaidLayer, signing_key: SigningKey, key_server: KeyServer, key_route: respx.Route
) -> None:
    # Events, not sleeps: a stalled process must not let Plaid answer before the leader is cancelled.
    inside, answer = asyncio.Event(), asyncio.Event()

    async def held(request: httpx.Request) -> httpx.Response:
        inside.set()
        await answer.wait()
        return key_server(request)

    key_route.side_effect = held
    verifier = AsyncWebhookVerifier(async_client, clock=lambda: NOW)
    leader = asyncio.create_task(_deliver_async(verifier, signing_key))
    await inside.wait()  # the leader is now inside the fetch
    follower = asyncio.create_task(_deliver_async(verifier, signing_key))
    for _ in range(20):  # loop turns, not time: the follower joins the fetch in a few of them
        await asyncio.sleep(0)
    leader.cancel()
    answer.set()
    await asyncio.wait_for(follower, timeout=60)
    assert leader.cancelled()
    # The leader was cancelled before Plaid answered; the fetch, a task of its own, went on for the
    # follower, so Plaid was asked once.
    assert key_server.requested == [signing_key.kid]
    assert follower.done() and follower.exception() is None
