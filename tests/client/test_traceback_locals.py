"""No local of any frame of the package shows a credential, token or identity value in its repr.

Tracebacks rendered with locals (`pytest --showlocals`, rich's `show_locals`, Sentry) print each
local's repr; every error type's traceback is walked, chained exceptions included.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx
from plaid_layer import AsyncPlaidLayer, PlaidLayer, PlaidLayerError

from tests.client.support import BASE_URL, CLIENT_ID, SECRET

TOKEN = "public-sandbox-0a9c1f3e-77b2-4e0f-9d55-123456789abc"
USER = {"client_user_id": "user-4242-jane@example.com"}
PRIVATE = [CLIENT_ID, SECRET, TOKEN, "user-4242-jane@example.com"]
ERROR = {
    "error_type": "INVALID_INPUT",
    "error_code": "INVALID_PUBLIC_TOKEN",
    "error_message": "bad",
    "request_id": "r",
}


def _frames(error: BaseException) -> Iterator[types.FrameType]:
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        tb = current.__traceback__
        while tb is not None:
            if "plaid_layer" in tb.tb_frame.f_code.co_filename:
                yield tb.tb_frame
            tb = tb.tb_next
        pending += [current.__cause__, current.__context__]


def _assert_no_private_locals(error: BaseException) -> None:
    leaks = [
        f"{frame.f_code.co_name}: {name}"
        for frame in _frames(error)
        for name, value in frame.f_locals.items()
        if any(private in repr(value) for private in PRIVATE)
    ]
    assert leaks == []


CASES: dict[str, tuple[Callable[[respx.Route], Any], dict[str, Any]]] = {
    "status": (lambda r: r.respond(400, json=ERROR), {}),
    "server": (lambda r: r.respond(503, text=f"down {SECRET}"), {}),
    "validation": (lambda r: r.respond(200, json={"link": 3}), {}),
    "connection": (lambda r: r.mock(side_effect=httpx.ConnectError("refused")), {}),
    "timeout": (lambda r: r.mock(side_effect=httpx.ReadTimeout("slow")), {}),
    "too large": (lambda r: r.respond(200, content=b"x" * 2048), {"max_response_size": 1024}),
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
