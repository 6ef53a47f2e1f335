"""Clients for the testing-kit tests; the mock itself comes from the `plaid_layer_mock` fixture."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from plaid_layer import AsyncPlaidLayer, PlaidLayer

from tests.runtime.testing.support import CLIENT_ID, SECRET


@pytest.fixture
def client() -> Iterator[PlaidLayer]:
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, max_retries=0) as plaid:
        yield plaid


@pytest.fixture
async def async_client() -> AsyncIterator[AsyncPlaidLayer]:
    async with AsyncPlaidLayer(client_id=CLIENT_ID, secret=SECRET, max_retries=0) as plaid:
        yield plaid
