"""A sandbox per test, retrying webhooks within a fraction of a second so retries are seen at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from plaid_layer.testing.sandbox import Sandbox

from tests.runtime.sandbox.support import Receiver

QUICK_RETRIES = (0.05, 0.1, 0.2)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver().running() as running:
        yield running


@pytest.fixture
def sandbox(receiver: Receiver) -> Iterator[Sandbox]:
    with Sandbox(webhook_url=receiver.url, retry_delays=QUICK_RETRIES) as running:
        yield running
