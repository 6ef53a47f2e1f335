"""Clients wired to respx, with credentials that the privacy tests can search for."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import respx
from plaid_layer import AsyncPlaidLayer, PlaidLayer

from tests.runtime.client.support import BASE_URL, CLIENT_ID, SECRET, FakeSleep


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
def client(router: respx.MockRouter, sleep: FakeSleep) -> Iterator[PlaidLayer]:
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, environment="sandbox") as plaid:
        plaid._sleep = sleep
        yield plaid


@pytest.fixture
async def async_client(router: respx.MockRouter, sleep: FakeSleep) -> AsyncIterator[AsyncPlaidLayer]:
    async with AsyncPlaidLayer(client_id=CLIENT_ID, secret=SECRET, environment="sandbox") as plaid:
        plaid._sleep = sleep.asleep
        yield plaid
