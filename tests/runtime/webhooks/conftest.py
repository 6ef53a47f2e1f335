"""A sandbox key endpoint served by respx, one signing key on it, and verifiers with a frozen clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import respx
from plaid_layer import AsyncPlaidLayer, PlaidLayer
from plaid_layer.webhooks import AsyncWebhookVerifier, WebhookVerifier

from tests.runtime.webhooks.support import BASE_URL, CLIENT_ID, KEY_PATH, NOW, SECRET, KeyServer, SigningKey


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey.generate("bfbd5111-8e33-4643-8ced-b2e642a72f3c")


@pytest.fixture
def key_server(signing_key: SigningKey) -> KeyServer:
    server = KeyServer()
    server.add(signing_key)
    return server


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def key_route(router: respx.MockRouter, key_server: KeyServer) -> respx.Route:
    return router.post(KEY_PATH).mock(side_effect=key_server)


@pytest.fixture
def client(key_route: respx.Route) -> Iterator[PlaidLayer]:
    # No retries: a failing key endpoint must fail the verification at once in these tests.
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, environment="sandbox", max_retries=0) as plaid:
        yield plaid


@pytest.fixture
async def async_client(key_route: respx.Route) -> AsyncIterator[AsyncPlaidLayer]:
    async with AsyncPlaidLayer(
        client_id=CLIENT_ID, secret=SECRET, environment="sandbox", max_retries=0
    ) as plaid:
        yield plaid


@pytest.fixture
def verifier(client: PlaidLayer) -> WebhookVerifier:
    return WebhookVerifier(client, clock=lambda: NOW)


@pytest.fixture
def async_verifier(async_client: AsyncPlaidLayer) -> AsyncWebhookVerifier:
    return AsyncWebhookVerifier(async_client, clock=lambda: NOW)
