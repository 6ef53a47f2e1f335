"""`timeout` bounds each whole attempt, a response body larger than the cap is refused, and the
httpx client we create keeps to both without losing httpx's proxy support.

The drip tests run a real server on 127.0.0.1 that sends one byte every 0.5 s for 6 s. A client
keeping to `timeout=1` gives up while the server is still sending; one that only bounds each read
would wait it out and succeed, which fails these tests without any timing assertion.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading

import httpx
import pytest
import respx
from plaid_layer import (
    APIConnectionError,
    APITimeoutError,
    AsyncPlaidLayer,
    PlaidLayer,
    ResponseTooLargeError,
)

from tests.runtime.client.drip_server import drip_server
from tests.runtime.client.support import CLIENT_ID, SECRET
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


def test_a_proxy_in_the_environment_is_still_used_by_the_client_we_create(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The deadline transport would bypass httpx's proxy mounts, so it steps aside for a proxy.
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    seen: list[bytes] = []

    def accept_one() -> None:
        with contextlib.suppress(OSError):
            connection, _ = listener.accept()
            with connection:
                connection.settimeout(10)
                seen.append(connection.recv(65536))

    thread = threading.Thread(target=accept_one, daemon=True)
    thread.start()
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{listener.getsockname()[1]}")
    resolve = socket.getaddrinfo

    def loopback_only(host: str, *args: object, **kwargs: object) -> object:
        # Were the proxy bypassed, the call must fail here rather than reach the network.
        if host != "127.0.0.1":
            raise socket.gaierror(f"test resolves only 127.0.0.1, not {host}")
        return resolve(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    try:
        with (
            PlaidLayer(client_id=CLIENT_ID, secret=SECRET, max_retries=0, timeout=5) as plaid,
            pytest.raises(APIConnectionError),
        ):
            plaid.session_token_create(template_id="t")
    finally:
        thread.join(timeout=15)
        listener.close()
    assert seen and seen[0].startswith(b"CONNECT sandbox.plaid.com:443 ")
