"""The example from the README: a small onboarding function and its tests with the testing kit."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from plaid_layer import InvalidInputError, PlaidLayer
from plaid_layer.testing import LayerMock, examples


@dataclass
class Onboarded:
    first_name: str | None
    access_tokens: list[str]


def onboard(client: PlaidLayer, public_token: str) -> Onboarded | None:
    """Exchange a finished Layer session for the user's name and bank access tokens."""
    try:
        session = client.user_account_session_get(public_token=public_token)
    except InvalidInputError as exc:
        if exc.error_code == "INVALID_PUBLIC_TOKEN":
            return None  # expired or from another environment: start a new session
        raise
    name = session.identity.name if session.identity else None
    return Onboarded(
        first_name=name.first_name if name else None,
        access_tokens=[item.access_token for item in session.items if item.access_token],
    )


@pytest.fixture
def client() -> PlaidLayer:
    return PlaidLayer(client_id="test-client-id", secret="test-secret", max_retries=0)


def test_onboard_reads_name_and_access_tokens(plaid_layer_mock: LayerMock, client: PlaidLayer) -> None:
    user = onboard(client, "profile-sandbox-b0e2c4ee")

    assert user == Onboarded("Leslie", ["access-sandbox-435beced-94e8-4df3-a181-1dde1cfa19f0"])
    (call,) = plaid_layer_mock.calls_for("user_account_session_get")
    assert call.json == {"public_token": "profile-sandbox-b0e2c4ee"}


def test_onboard_without_shared_identity(plaid_layer_mock: LayerMock, client: PlaidLayer) -> None:
    plaid_layer_mock.queue("user_account_session_get", json=examples.user_account_session_get(identity=None))

    assert onboard(client, "profile-sandbox-b0e2c4ee") == Onboarded(
        None, ["access-sandbox-435beced-94e8-4df3-a181-1dde1cfa19f0"]
    )


def test_onboard_with_an_expired_public_token(plaid_layer_mock: LayerMock, client: PlaidLayer) -> None:
    plaid_layer_mock.queue_error(
        "user_account_session_get", error_type="INVALID_INPUT", error_code="INVALID_PUBLIC_TOKEN"
    )

    assert onboard(client, "profile-sandbox-expired") is None
