"""`timeout` bounds each whole attempt, and a response body larger than the cap is refused.

The drip tests run a real server on 127.0.0.1 that sends one byte every 0.5 s for 6 s. A client
keeping to `timeout=1` gives up while the server is still sending; one that only bounds each read
would wait it out and succeed, which fails these tests without any timing assertion.
"""

from __future__ import annotations

import gzip

import httpx
import pytest
import respx
from plaid_layer import (
    APITimeoutError,
    AsyncPlaidLayer,
    PlaidLayer,
    ResponseTooLargeError,
)

from tests.client.drip_server import drip_server
from tests.client.support import CLIENT_ID, SECRET
from tests.support import load_example

PATH = "/session/token/create"
OK = load_example("sessionTokenCreate.response.200")


@pytest.mark.parametrize("drip_headers", [True, False], ids=["dripped-headers", "dripped-body"])
def test_a_dripping_server_cannot_stretch_a_blocking_call_past_its_timeout(drip_headers: bool) -> None:
    with drip_server(drip_headers=drip_headers) as drip:
        with (
            PlaidLayer(
                client_id=CLIENT_ID, secret=SECRET, base_url=drip.base_url, timeout=1, max_retries=0
            ) as plaid,
            pytest.raises(APITimeoutError) as caught,
        ):
            plaid.session_token_create(template_id="t")
        assert not drip.finished.is_set()
    assert caught.value.url == f"{drip.base_url}{PATH}"


@pytest.mark.parametrize("drip_headers", [True, False], ids=["dripped-headers", "dripped-body"])
async def test_a_dripping_server_cannot_stretch_an_async_call_past_its_timeout(drip_headers: bool) -> None:
    with drip_server(drip_headers=drip_headers) as drip:
        async with AsyncPlaidLayer(
            client_id=CLIENT_ID, secret=SECRET, base_url=drip.base_url, timeout=1, max_retries=0
        ) as plaid:
            with pytest.raises(APITimeoutError):
                await plaid.session_token_create(template_id="t")
        assert not drip.finished.is_set()


def test_a_dripped_body_is_bounded_with_a_user_supplied_client_too() -> None:
    with drip_server(drip_headers=False) as drip:
        with (
            httpx.Client() as http,
            PlaidLayer(
                client_id=CLIENT_ID,
                secret=SECRET,
                base_url=drip.base_url,
                http_client=http,
                timeout=1,
                max_retries=0,
            ) as plaid,
            pytest.raises(APITimeoutError),
        ):
            plaid.session_token_create(template_id="t")
        assert not drip.finished.is_set()


def test_a_body_larger_than_the_cap_is_refused_from_its_content_length(router: respx.MockRouter) -> None:
    streamed: list[bytes] = []

    def chunks() -> httpx.SyncByteStream:
        class Stream(httpx.SyncByteStream):
            def __iter__(self):  # type: ignore[no-untyped-def]
                streamed.append(b"x")
                yield b"x" * 2048

        return Stream()

    router.post(PATH).mock(
        return_value=httpx.Response(200, headers={"Content-Length": "2048"}, stream=chunks())
    )
    with (
        PlaidLayer(client_id=CLIENT_ID, secret=SECRET, max_response_size=1024) as plaid,
        pytest.raises(ResponseTooLargeError) as caught,
    ):
        plaid.session_token_create(template_id="t")
    assert streamed == []  # refused on its header, without reading any of it
    assert caught.value.limit == 1024 and caught.value.status_code == 200


@pytest.mark.parametrize("encoded", [False, True], ids=["plain", "gzip-bomb"])
def test_a_body_growing_past_the_cap_is_refused_while_reading(
    router: respx.MockRouter, encoded: bool
) -> None:
    body = b"{" + b" " * 5000 + b"}"
    headers = {"Content-Encoding": "gzip"} if encoded else {}
    content = gzip.compress(body) if encoded else body
    # No Content-Length: the size is only known by reading (chunked, or compressed).
    stream = httpx.ByteStream(content)
    router.post(PATH).mock(return_value=httpx.Response(200, headers=headers, stream=stream))
    with (
        PlaidLayer(client_id=CLIENT_ID, secret=SECRET, max_response_size=4096) as plaid,
        pytest.raises(ResponseTooLargeError),
    ):
        plaid.session_token_create(template_id="t")


def test_a_body_within_the_cap_is_read_in_full(router: respx.MockRouter) -> None:
    router.post(PATH).mock(return_value=httpx.Response(200, json=OK))
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, max_response_size=len(str(OK)) * 2) as plaid:
        assert plaid.with_raw_response.session_token_create(template_id="t").http_response.json() == OK
