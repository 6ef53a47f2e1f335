"""Raw responses, request ids, per-call headers, and sharing one client between threads and tasks."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import respx
from plaid_layer import AsyncPlaidLayer, PlaidLayer, RawResponse

from tests.runtime.client.support import json_response
from tests.support import load_example

PATH = "/user_account/session/get"
OK = load_example("userAccountSessionGet.response.200")


def test_raw_response_gives_status_headers_request_id_and_model(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    router.post(PATH).mock(return_value=json_response(200, OK, **{"X-Extra": "yes"}))
    raw = client.with_raw_response.user_account_session_get(public_token="p")
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["x-extra"] == "yes"
    assert raw.request_id == "m8MDnv9okwxFNBV"
    assert raw.parsed.items[0].item_id == OK["items"][0]["item_id"]


def test_request_id_is_on_every_result(client: PlaidLayer, router: respx.MockRouter) -> None:
    router.post(PATH).mock(return_value=json_response(200, OK))
    assert client.user_account_session_get(public_token="p").request_id == "m8MDnv9okwxFNBV"


def test_extra_headers_are_sent_without_dropping_credentials(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    route = router.post(PATH).mock(return_value=json_response(200, OK))
    client.user_account_session_get(public_token="p", extra_headers={"X-Trace": "abc"})
    sent = route.calls.last.request.headers
    assert sent["X-Trace"] == "abc"
    assert sent["PLAID-SECRET"]


def test_user_supplied_http_client_is_used_and_not_closed() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json=OK)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with PlaidLayer(client_id="c", secret="s", http_client=http) as plaid:
        plaid.user_account_session_get(public_token="p")
    assert seen == [PATH]
    assert not http.is_closed
    http.close()


def test_base_url_overrides_the_environment() -> None:
    with respx.mock(base_url="http://127.0.0.1:9999") as local:
        route = local.post(PATH).mock(return_value=json_response(200, OK))
        with PlaidLayer(client_id="c", secret="s", base_url="http://127.0.0.1:9999/") as plaid:
            plaid.user_account_session_get(public_token="p")
        assert route.called


def test_one_sync_client_is_safe_to_share_between_threads(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        token = json.loads(request.content)["public_token"]
        return httpx.Response(200, json={**OK, "request_id": token})

    router.post(PATH).mock(side_effect=answer)
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(
            pool.map(lambda i: client.user_account_session_get(public_token=f"t{i}").request_id, range(64))
        )
    assert ids == [f"t{i}" for i in range(64)]


async def test_one_async_client_is_safe_to_share_between_tasks(
    async_client: AsyncPlaidLayer, router: respx.MockRouter
) -> None:
    async def answer(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0)
        token = json.loads(request.content)["public_token"]
        return httpx.Response(200, json={**OK, "request_id": token})

    router.post(PATH).mock(side_effect=answer)
    results = await asyncio.gather(
        *(async_client.user_account_session_get(public_token=f"t{i}") for i in range(64))
    )
    assert [r.request_id for r in results] == [f"t{i}" for i in range(64)]


async def test_async_raw_response_gives_status_headers_and_model(
    async_client: AsyncPlaidLayer, router: respx.MockRouter
) -> None:
    router.post(PATH).mock(return_value=json_response(200, OK, **{"X-Extra": "yes"}))
    raw = await async_client.with_raw_response.user_account_session_get(public_token="p")
    assert (raw.status_code, raw.headers["x-extra"], raw.request_id) == (200, "yes", "m8MDnv9okwxFNBV")
    assert raw.parsed.model_dump(mode="json", exclude_unset=True) == OK
