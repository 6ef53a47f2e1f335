"""Forged key ids cannot make us call Plaid at will, and Plaid being down does not stop known keys.

The `kid` in a token is chosen by whoever sends the request. Each unknown one used to cost an
authenticated call to Plaid (three with retries), so a flood could use up the account's rate limit.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
import respx
from plaid_layer import AsyncPlaidLayer, PlaidLayer, WebhookVerificationError, WebhookVerificationFailure
from plaid_layer._webhook_keys import (
    KEY_FETCH_BURST,
    KEY_FETCH_INTERVAL,
    KEY_RETRY_AFTER,
    MAX_KEY_STALENESS,
)
from plaid_layer.webhooks import AsyncWebhookVerifier, WebhookVerifier

from tests.runtime.webhooks.support import (
    CLIENT_ID,
    NOW,
    SECRET,
    KeyServer,
    SigningKey,
    example_payload,
    forged_token,
    plaid_body,
)

Reason = WebhookVerificationFailure
BODY = plaid_body(example_payload("SESSION_FINISHED"))
FLOOD = 1_000
KEY_TTL = 3600.0


class Clock:
    """A settable wall clock."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


def _genuine(key: SigningKey, clock: Clock) -> dict[str, str]:
    return {"Plaid-Verification": key.sign(BODY, iat=clock.now)}


def _forged() -> dict[str, str]:
    return {"Plaid-Verification": forged_token(str(uuid.uuid4()), BODY)}


def _reason(verifier: WebhookVerifier, headers: dict[str, str]) -> Reason:
    with pytest.raises(WebhookVerificationError) as caught:
        verifier.verify(BODY, headers)
    return caught.value.reason


def test_a_flood_of_forged_key_ids_costs_a_handful_of_fetches_and_known_keys_keep_verifying(
    client: PlaidLayer, signing_key: SigningKey, key_route: respx.Route
) -> None:
    clock = Clock()
    # cache_size=1: were refusals kept with the keys, the first forgery would evict the real key.
    verifier = WebhookVerifier(client, clock=clock, cache_size=1)
    verifier.verify(BODY, _genuine(signing_key, clock))
    reasons = set()
    for number in range(FLOOD):
        reasons.add(_reason(verifier, _forged()))
        if number % 100 == 0:
            verifier.verify(BODY, _genuine(signing_key, clock))
    assert reasons == {Reason.UNKNOWN_KEY, Reason.KEY_UNAVAILABLE}
    assert key_route.call_count == KEY_FETCH_BURST  # the real key's fetch, then the bucket ran dry


def test_a_flood_while_plaid_fails_costs_at_most_the_retries_of_a_handful_of_fetches(
    signing_key: SigningKey, key_server: KeyServer, key_route: respx.Route
) -> None:
    key_server.outage = httpx.Response(500, text="oops", headers={"Retry-After": "0"})
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, environment="sandbox", max_retries=2) as plaid:
        verifier = WebhookVerifier(plaid, clock=Clock())
        reasons = {_reason(verifier, _forged()) for _ in range(FLOOD)}
    assert reasons == {Reason.KEY_UNAVAILABLE}
    assert key_route.call_count == KEY_FETCH_BURST * 3  # was FLOOD * 3


def test_the_bucket_refills_so_a_new_genuine_key_is_accepted_once_the_flood_is_over(
    client: PlaidLayer, key_server: KeyServer, key_route: respx.Route
) -> None:
    clock = Clock()
    verifier = WebhookVerifier(client, clock=clock)
    for _ in range(FLOOD):
        _reason(verifier, _forged())
    rotated_in = SigningKey.generate("c0ffee00-8e33-4643-8ced-b2e642a72f3c")
    key_server.add(rotated_in)
    # Answered 503 by the README's receivers: Plaid delivers it again later.
    assert _reason(verifier, _genuine(rotated_in, clock)) is Reason.KEY_UNAVAILABLE
    clock.now += KEY_FETCH_INTERVAL
    verifier.verify(BODY, _genuine(rotated_in, clock))
    assert key_route.call_count == KEY_FETCH_BURST + 1


def test_a_refused_key_id_is_remembered_for_a_minute(client: PlaidLayer, key_server: KeyServer) -> None:
    clock = Clock()
    verifier = WebhookVerifier(client, clock=clock)
    stranger = {"Plaid-Verification": forged_token("00000000-dead-beef-0000-000000000000", BODY)}
    for _ in range(10):
        assert _reason(verifier, stranger) is Reason.UNKNOWN_KEY
    assert len(key_server.requested) == 1
    clock.now += KEY_RETRY_AFTER
    assert _reason(verifier, stranger) is Reason.UNKNOWN_KEY
    assert len(key_server.requested) == 2


def test_a_cached_key_outlives_key_ttl_while_plaid_is_down_and_is_asked_about_once_a_minute(
    client: PlaidLayer, signing_key: SigningKey, key_server: KeyServer
) -> None:
    clock = Clock()
    verifier = WebhookVerifier(client, clock=clock, key_ttl=KEY_TTL)
    verifier.verify(BODY, _genuine(signing_key, clock))
    key_server.outage = httpx.Response(503, text="maintenance")
    clock.now += KEY_TTL
    for _ in range(5):
        verifier.verify(BODY, _genuine(signing_key, clock))
        clock.now += 10
    assert len(key_server.requested) == 2  # the first fetch, then one failed refresh
    clock.now += KEY_RETRY_AFTER
    verifier.verify(BODY, _genuine(signing_key, clock))
    assert len(key_server.requested) == 3
    key_server.outage = None
    clock.now += KEY_RETRY_AFTER
    verifier.verify(BODY, _genuine(signing_key, clock))
    assert len(key_server.requested) == 4  # refreshed; trusted for key_ttl again


def test_a_cached_key_is_not_trusted_forever_while_plaid_is_down(
    client: PlaidLayer, signing_key: SigningKey, key_server: KeyServer
) -> None:
    clock = Clock()
    verifier = WebhookVerifier(client, clock=clock, key_ttl=KEY_TTL)
    verifier.verify(BODY, _genuine(signing_key, clock))
    key_server.outage = httpx.Response(503, text="maintenance")
    clock.now += KEY_TTL + MAX_KEY_STALENESS - 1
    verifier.verify(BODY, _genuine(signing_key, clock))
    clock.now += KEY_RETRY_AFTER
    assert _reason(verifier, _genuine(signing_key, clock)) is Reason.KEY_UNAVAILABLE


def test_a_cached_key_stays_usable_when_the_bucket_is_empty(
    client: PlaidLayer, signing_key: SigningKey, key_server: KeyServer
) -> None:
    clock = Clock()
    verifier = WebhookVerifier(client, clock=clock, key_ttl=KEY_TTL)
    verifier.verify(BODY, _genuine(signing_key, clock))
    clock.now += KEY_TTL  # due for a refresh...
    for _ in range(FLOOD):  # ...but a flood has taken every fetch
        _reason(verifier, _forged())
    verifier.verify(BODY, _genuine(signing_key, clock))
    assert key_server.requested.count(signing_key.kid) == 1


def test_a_key_plaid_no_longer_knows_is_dropped_not_kept(
    client: PlaidLayer, signing_key: SigningKey, key_server: KeyServer
) -> None:
    clock = Clock()
    verifier = WebhookVerifier(client, clock=clock, key_ttl=KEY_TTL)
    verifier.verify(BODY, _genuine(signing_key, clock))
    del key_server.keys[signing_key.kid]
    clock.now += KEY_TTL
    assert _reason(verifier, _genuine(signing_key, clock)) is Reason.UNKNOWN_KEY
    assert _reason(verifier, _genuine(signing_key, clock)) is Reason.UNKNOWN_KEY
    assert len(key_server.requested) == 2


async def test_the_async_verifier_bounds_a_flood_the_same_way(
    async_client: AsyncPlaidLayer, signing_key: SigningKey, key_route: respx.Route
) -> None:
    clock = Clock()
    verifier = AsyncWebhookVerifier(async_client, clock=clock, cache_size=1)
    await verifier.verify(BODY, _genuine(signing_key, clock))
    for _ in range(FLOOD):
        with pytest.raises(WebhookVerificationError):
            await verifier.verify(BODY, _forged())
    await verifier.verify(BODY, _genuine(signing_key, clock))
    assert key_route.call_count == KEY_FETCH_BURST
