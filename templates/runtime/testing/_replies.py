"""What a test can queue for an operation: an answer, a transport failure, or a slow answer.

A slow answer sleeps while its body is read, with `time.sleep` for a sync client and
`asyncio.sleep` for an async one, so a delay never blocks an event loop; one slower than the
request's read timeout ends in `httpx.ReadTimeout` once the timeout has passed.
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


def _read_timeout(request: httpx.Request) -> float | None:
    """The read timeout the client set for `request` (httpx passes it in the request's extensions)."""
    timeouts = request.extensions.get("timeout")
    value = timeouts.get("read") if isinstance(timeouts, Mapping) else None
    return float(value) if isinstance(value, int | float) else None


class _DelayedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that arrives after `delay` seconds, or `error` that is raised instead."""

    def __init__(self, content: bytes, delay: float, error: httpx.ReadTimeout | None) -> None:
        self._content = content
        self._delay = delay
        self.error = error

    def __iter__(self) -> Iterator[bytes]:
        time.sleep(self._delay)
        if self.error is not None:
            raise self.error
        yield self._content

    async def __aiter__(self) -> AsyncIterator[bytes]:
        await asyncio.sleep(self._delay)
        if self.error is not None:
            raise self.error
        yield self._content


def delayed(response: httpx.Response, delay: float, request: httpx.Request) -> httpx.Response:
    """`response` with its body held back for `delay` seconds (unchanged when `delay` is 0).

    When `delay` is longer than the read timeout of `request`, the body never arrives: reading it
    waits for the timeout and raises `httpx.ReadTimeout`, as with a slow server.
    """
    if delay <= 0:
        return response
    headers = {key: value for key, value in response.headers.items() if key.lower() != "content-length"}
    timeout = _read_timeout(request)
    error = None
    if timeout is not None and delay > timeout:
        message = f"simulated read timeout: the answer comes after {delay} s, the client waits {timeout} s"
        error = httpx.ReadTimeout(message, request=request)
        delay = timeout
    stream = _DelayedStream(response.content, delay, error)
    return httpx.Response(response.status_code, headers=headers, stream=stream)


def times_out(response: httpx.Response) -> bool:
    """Whether reading `response` (from `delayed`) ends in a read timeout instead of a body."""
    return isinstance(response.stream, _DelayedStream) and response.stream.error is not None
