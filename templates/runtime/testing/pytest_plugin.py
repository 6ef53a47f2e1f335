"""The pytest plugin (entry point `plaid_layer`): the `plaid_layer_mock` fixture.

pytest loads this module in every test run of every project that installs `plaid-layer`, so it
must never fail to import: the kit it sits in imports no optional dependency, and respx is only
imported when the fixture builds a mock, which fails the test with a clear message without it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._mock import LayerMock


@pytest.fixture
def plaid_layer_mock() -> Iterator[LayerMock]:
    """A `LayerMock` answering every Plaid Layer operation, active for the test.

    Example:
        def test_onboarding(plaid_layer_mock):
            plaid_layer_mock.queue("user_account_session_get", json=examples.user_account_session_get())
    """
    from . import mock_layer

    try:
        mock = mock_layer()
    except ImportError as exc:
        pytest.fail(f"the plaid_layer_mock fixture needs the testing extra: {exc}", pytrace=False)
    with mock:
        yield mock
