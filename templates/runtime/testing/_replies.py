"""What a test can queue for an operation: an answer, a transport failure, or a slow answer.

A slow answer sleeps while its body is read, with `time.sleep` for a sync client and
`asyncio.sleep` for an async one, so a delay never blocks an event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass(frozen=True)
class Reply:
    """An answer: `body` as JSON with `status`, or the usual answer when `body` is `None`."""

    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Failure:
    """No answer at all: the client sees `error` (an `httpx.ConnectError`, `httpx.ReadTimeout`...)."""

    error: type[httpx.TransportError]
    message: str

    def exception(self, request: httpx.Request) -> httpx.TransportError:
        """The exception to raise for `request`."""
        return self.error(self.message, request=request)


Queued = Reply | Failure


class _DelayedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that arrives after `delay` seconds."""

    def __init__(self, content: bytes, delay: float) -> None:
        self._content = content
        self._delay = delay

    def __iter__(self) -> Iterator[bytes]:
        time.sleep(self._delay)
        yield self._content

    async def __aiter__(self) -> AsyncIterator[bytes]:
        await asyncio.sleep(self._delay)
        yield self._content


def delayed(response: httpx.Response, delay: float) -> httpx.Response:
    """`response` with its body held back for `delay` seconds (unchanged when `delay` is 0)."""
    if delay <= 0:
        return response
    headers = {key: value for key, value in response.headers.items() if key.lower() != "content-length"}
    return httpx.Response(
        response.status_code, headers=headers, stream=_DelayedStream(response.content, delay)
    )
