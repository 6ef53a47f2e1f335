"""With nothing queued, the mock answers every operation of the spec with its documented example."""

from __future__ import annotations

from typing import Any, get_args

import httpx
import pytest
from plaid_layer import AsyncPlaidLayer, PlaidLayer
from plaid_layer.client import Environment
from plaid_layer.testing import CATALOG, LayerMock, OperationName, examples, mock_layer

OPERATIONS = [entry.python_name for entry in CATALOG.operations]


def _request(name: str) -> dict[str, Any]:
    builder = getattr(examples, f"{name}_request")
    result: dict[str, Any] = builder()
    return result


def _expected(name: str, result: Any) -> Any:
    return type(result).model_validate(getattr(examples, name)())


@pytest.mark.parametrize("name", OPERATIONS)
def test_sync_client_gets_the_documented_example(
    plaid_layer_mock: LayerMock, client: PlaidLayer, name: OperationName
) -> None:
    result = getattr(client, name)(**_request(name))

    assert result == _expected(name, result)
    assert [call.status_code for call in plaid_layer_mock.calls_for(name)] == [200]


@pytest.mark.parametrize("name", OPERATIONS)
async def test_async_client_gets_the_documented_example(
    plaid_layer_mock: LayerMock, async_client: AsyncPlaidLayer, name: str
) -> None:
    result = await getattr(async_client, name)(**_request(name))

    assert result == _expected(name, result)


@pytest.mark.parametrize("environment", get_args(Environment))
def test_every_environment_of_the_spec_is_served(environment: Environment) -> None:
    with mock_layer(), PlaidLayer(client_id="id-1", secret="secret-1", environment=environment) as client:
        assert client.session_token_create(template_id="template_1").request_id == "XQVgFigpGHXkb0b"


async def test_mock_works_as_an_async_context_manager(async_client: AsyncPlaidLayer) -> None:
    async with mock_layer() as mock:
        await async_client.user_account_session_get(public_token="profile-sandbox-1")

    assert len(mock.calls) == 1


def test_base_url_replaces_the_spec_servers() -> None:
    with (
        mock_layer(base_url="https://plaid.test/") as mock,
        PlaidLayer(client_id="id-1", secret="secret-1", base_url="https://plaid.test") as client,
    ):
        client.session_token_create(template_id="template_1")

        with pytest.raises(AssertionError, match="not mocked"):
            httpx.post("https://sandbox.plaid.com/session/token/create", json={})

    assert [call.operation for call in mock.calls] == ["session_token_create"]


def test_each_default_answer_is_a_fresh_copy(plaid_layer_mock: LayerMock, client: PlaidLayer) -> None:
    first = client.user_account_session_get(public_token="profile-sandbox-1")
    first.items.clear()

    assert client.user_account_session_get(public_token="profile-sandbox-1").items
