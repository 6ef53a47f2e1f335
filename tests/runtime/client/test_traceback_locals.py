"""No local of any frame of the package shows a credential, token or identity value in its repr.

Tracebacks rendered with locals (`pytest --showlocals`, rich's `show_locals`, Sentry) print each
local's repr; every error type's traceback is walked, chained exceptions included.
"""

from __future__ import annotations

import time
import types
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpcore
import httpx
import pytest
import respx
from plaid_layer import AsyncPlaidLayer, PlaidLayer, PlaidLayerError
from plaid_layer._attempt import attempt_deadline
from plaid_layer._deadline import _DeadlineStream

from tests.runtime.client.support import BASE_URL, CLIENT_ID, SECRET, private_locals, traceback_frames

TOKEN = "public-sandbox-0a9c1f3e-77b2-4e0f-9d55-123456789abc"
USER = {"client_user_id": "user-4242-jane@example.com"}
PRIVATE = [CLIENT_ID, SECRET, TOKEN, "user-4242-jane@example.com"]
ERROR = {
    "error_type": "INVALID_INPUT",
    "error_code": "INVALID_PUBLIC_TOKEN",
    "error_message": "bad",
    "request_id": "r",
}


BODY_START = f'{{"link_token": "{TOKEN}", "email": "jane@example.com", '.encode()
"""The first chunk of a streamed body: what the client has read when the rest is refused."""


class _Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that arrives in two chunks, the second one too large for `max_response_size`."""

    def __iter__(self) -> Iterator[bytes]:
        yield BODY_START
        yield b" " * 4096

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


def _streamed(route: respx.Route) -> Any:
    return route.mock(side_effect=lambda request: httpx.Response(200, stream=_Chunks()))


def _frames(error: BaseException) -> Iterator[types.FrameType]:
    return traceback_frames(error, lambda filename: "plaid_layer" in filename)


def _assert_no_private_locals(error: BaseException) -> None:
    assert private_locals(_frames(error), PRIVATE) == []


CASES: dict[str, tuple[Callable[[respx.Route], Any], dict[str, Any]]] = {
    "status": (lambda r: r.respond(400, json=ERROR), {}),
    "server": (lambda r: r.respond(503, text=f"down {SECRET}"), {}),
    "validation": (lambda r: r.respond(200, json={"link": 3}), {}),
    "connection": (lambda r: r.mock(side_effect=httpx.ConnectError("refused")), {}),
    "timeout": (lambda r: r.mock(side_effect=httpx.ReadTimeout("slow")), {}),
    "too large": (lambda r: r.respond(200, content=b"x" * 2048), {"max_response_size": 1024}),
    "too large after a first chunk": (_streamed, {"max_response_size": 1024}),
    "deadline passed in the body": (_streamed, {"timeout": 1e-9}),
    "bad header": (lambda r: r.respond(200, json={}), {"extra_headers": {"X-Bad": "a\r\nb"}}),
    "bad arguments": (lambda r: r.respond(200, json={}), {"template_id": 5}),
}


@pytest.mark.parametrize("case", CASES, ids=CASES.keys())
def test_every_error_of_a_call_keeps_private_values_out_of_its_frames(case: str) -> None:
    answer, options = CASES[case]
    options = dict(options)
    size = options.pop("max_response_size", 1 << 20)
    arguments = {"template_id": "t", "user": USER, **options}
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        answer(router.post("/session/token/create"))
        # Strict, so that a body that does not fit the spec raises (read tolerantly by default).
        client = PlaidLayer(
            client_id=CLIENT_ID,
            secret=SECRET,
            max_retries=0,
            max_response_size=size,
            strict_response_validation=True,
        )
        with client, pytest.raises(PlaidLayerError) as caught:
            client.session_token_create(**arguments)
    _assert_no_private_locals(caught.value)


@pytest.mark.parametrize("case", CASES, ids=CASES.keys())
async def test_every_error_of_an_async_call_keeps_private_values_out_of_its_frames(case: str) -> None:
    answer, options = CASES[case]
    options = dict(options)
    size = options.pop("max_response_size", 1 << 20)
    arguments = {"template_id": "t", "user": USER, **options}
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        answer(router.post("/session/token/create"))
        async with AsyncPlaidLayer(
            client_id=CLIENT_ID,
            secret=SECRET,
            max_retries=0,
            max_response_size=size,
            strict_response_validation=True,
        ) as client:
            with pytest.raises(PlaidLayerError) as caught:
                await client.session_token_create(**arguments)
    _assert_no_private_locals(caught.value)


@pytest.mark.parametrize("kind", [PlaidLayer, AsyncPlaidLayer])
def test_a_config_error_keeps_the_credentials_out_of_its_frames(kind: type[PlaidLayer]) -> None:
    with pytest.raises(PlaidLayerError) as caught:
        kind(client_id=CLIENT_ID, secret=SECRET, environment="nowhere")  # type: ignore[arg-type]
    _assert_no_private_locals(caught.value)


class _StalledStream(httpcore.NetworkStream):
    """A connection whose writes time out, as a peer that stops reading makes them."""

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return b""

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        raise httpcore.WriteTimeout("timed out")

    def close(self) -> None:
        pass


REQUEST_BYTES = f'POST / HTTP/1.1\r\nPLAID-SECRET: {SECRET}\r\n\r\n{{"public_token": "{TOKEN}"}}'.encode()


@pytest.mark.parametrize("deadline", [None, 0.0], ids=["write timed out", "deadline passed"])
def test_a_failed_write_keeps_the_request_bytes_out_of_the_deadline_frame(deadline: float | None) -> None:
    token = attempt_deadline.set(None if deadline is None else time.monotonic() - 1)
    try:
        with pytest.raises(httpcore.TimeoutException) as caught:
            _DeadlineStream(_StalledStream()).write(REQUEST_BYTES, 5.0)
    finally:
        attempt_deadline.reset(token)
    assert next(frame.f_code.co_name for frame in _frames(caught.value)) == "write"
    _assert_no_private_locals(caught.value)
