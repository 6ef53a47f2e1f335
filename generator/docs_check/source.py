"""Reading a reference page from a file or an `https://` URL.

text = read_page("https://plaid.com/docs/api/products/layer/index.html.md")

A fetch keeps to the page's own site: a redirect is followed only to `https://` on the same
host, at most `MAX_REDIRECTS` times. The whole fetch, redirects and body included, ends by one
deadline (`FETCH_DEADLINE_SECONDS`), enforced on every socket operation, so a server that sends
a byte every second cannot keep it running; a body larger than `MAX_PAGE_BYTES` is refused.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpcore
import httpx

from generator.docs_check.page import PageError

FETCH_DEADLINE_SECONDS = 30.0
"""Seconds for the whole fetch: connecting, every redirect, the headers and the body."""
MAX_PAGE_BYTES = 5 * 1024 * 1024
"""The largest page read (bytes, decoded); Plaid's Layer page is about 60 KB."""
MAX_REDIRECTS = 5


class _Deadline:
    """A `time.monotonic()` deadline that cuts each socket operation's timeout to what is left."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self, timeout: float | None = None) -> float:
        remaining = self.at - time.monotonic()
        if remaining <= 0:
            raise httpcore.ReadTimeout("the fetch took longer than its deadline")
        return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        stream = self._stream.start_tls(ssl_context, server_hostname, self._deadline.left(timeout))
        return _DeadlineStream(stream, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's blocking sockets, each operation ending by the fetch's deadline."""

    def __init__(self, deadline: _Deadline) -> None:
        self._backend = httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(
            host, port, self._deadline.left(timeout), local_address, socket_options
        )
        return _DeadlineStream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def deadline_transport(seconds: float) -> httpx.HTTPTransport:
    """An `httpx.HTTPTransport` whose sockets all keep to one deadline, `seconds` from now."""
    transport = httpx.HTTPTransport()
    # HTTPTransport takes no network backend, so its pool is rebuilt as it builds it, over ours.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=_DeadlineBackend(_Deadline(seconds))
    )
    return transport


def _next_url(url: httpx.URL, response: httpx.Response) -> httpx.URL:
    """Where a redirect leads; only to https:// on the same host."""
    location = response.headers.get("location")
    if not location:
        raise PageError(f"{url}: HTTP {response.status_code} redirect without a Location")
    try:
        target = url.join(location)
    except httpx.InvalidURL as exc:
        raise PageError(f"{url}: redirect to an invalid URL: {exc}") from None
    if target.scheme != "https":
        raise PageError(f"{url}: redirect to {target.scheme}:// refused (only https:// is followed)")
    if target.host != url.host:
        raise PageError(f"{url}: redirect to another host ({target.host}) refused")
    return target


def _body(response: httpx.Response, url: httpx.URL, deadline: _Deadline) -> bytes:
    length = response.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_PAGE_BYTES:
        raise PageError(f"{url}: the page is larger than {MAX_PAGE_BYTES} bytes; refused")
    parts: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_PAGE_BYTES:
            raise PageError(f"{url}: the page is larger than {MAX_PAGE_BYTES} bytes; refused")
        if time.monotonic() > deadline.at:  # a transport that does not keep to it (a mock, a proxy)
            raise httpx.ReadTimeout("the fetch took longer than its deadline")
        parts.append(chunk)
    return b"".join(parts)


def fetch(source: str, transport: httpx.BaseTransport | None = None) -> str:
    """The text of the page at the `https://` URL `source`; raise `PageError`.

    `transport` replaces the one keeping to the deadline (tests pass a mock or a loopback one).
    """
    deadline = _Deadline(FETCH_DEADLINE_SECONDS)
    url = httpx.URL(source)
    chosen = transport if transport is not None else deadline_transport(FETCH_DEADLINE_SECONDS)
    try:
        with httpx.Client(transport=chosen, follow_redirects=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                timeout = httpx.Timeout(deadline.left())
                with client.stream("GET", url, timeout=timeout) as response:
                    if response.is_redirect:
                        url = _next_url(url, response)
                        continue
                    if not response.is_success:
                        raise PageError(f"{url}: the server answered HTTP {response.status_code}")
                    return _utf8(_body(response, url, deadline), str(url))
    except httpx.TimeoutException as exc:
        if time.monotonic() >= deadline.at:
            raise PageError(
                f"{url}: the fetch took longer than {FETCH_DEADLINE_SECONDS:g} s; stopped"
            ) from None
        raise PageError(f"{url}: cannot fetch the page: {exc}") from exc
    except httpx.HTTPError as exc:
        raise PageError(f"{url}: cannot fetch the page: {exc}") from exc
    raise PageError(f"{source}: more than {MAX_REDIRECTS} redirects; stopped")


def _utf8(content: bytes, source: str) -> str:
    """The page's text; Plaid publishes UTF-8, and anything else is refused rather than guessed at."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PageError(
            f"{source}: the page is not UTF-8 text (byte {content[exc.start]:#04x} at offset {exc.start})"
        ) from exc


def read_page(source: str) -> str:
    """Return the text of the page at `source`, a file path or an `https://` URL; raise `PageError`."""
    if source.startswith("https://"):
        return fetch(source)
    if source.startswith("http://"):
        raise PageError(f"{source}: only https:// URLs are fetched")
    try:
        content = Path(source).read_bytes()
    except OSError as exc:
        raise PageError(f"{source}: cannot read the page: {exc.strerror or exc}") from exc
    return _utf8(content, source)
