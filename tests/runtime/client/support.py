"""Constants and fakes for the client tests."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Iterator

import httpx

CLIENT_ID = "client-id-5f3e9a1c2b"
SECRET = "secret-7d2c4b9e0a1f"
BASE_URL = "https://sandbox.plaid.com"


class FakeSleep:
    """Records the delays the client asks for instead of sleeping."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.delays.append(seconds)


def json_response(status: int, payload: object, **headers: str) -> httpx.Response:
    """A JSON response with extra headers."""
    return httpx.Response(status, json=payload, headers=headers)


def traceback_frames(error: BaseException, keep: Callable[[str], bool]) -> Iterator[types.FrameType]:
    """The frames of `error`'s traceback and of every exception chained to it, whose file `keep` takes."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        tb = current.__traceback__
        while tb is not None:
            if keep(tb.tb_frame.f_code.co_filename):
                yield tb.tb_frame
            tb = tb.tb_next
        pending += [current.__cause__, current.__context__]


def private_locals(frames: Iterable[types.FrameType], private: Iterable[str]) -> list[str]:
    """`function: local` for each local of `frames` whose repr shows one of the `private` strings."""
    values = list(private)
    return [
        f"{frame.f_code.co_name}: {name}"
        for frame in frames
        for name, value in frame.f_locals.items()
        if any(text in repr(value) for text in values)
    ]
