"""One attempt on the wire: the request built by hand, sent without redirects, read within limits.

`httpx.Client.request` re-parses the URL, re-merges the client's headers and cookies and builds
the request anew on every call; that is most of a call's cost. Here the headers are merged once
per client (`client_headers`), each URL string is parsed once (`parse_url`), and the request
goes out through `Client.send`, which still runs the client's transport, mounts, event hooks and
auth. Redirects are never followed: a redirect is answered as an error, so credentials and the
body never reach another host.

The body is read here, not by httpx, so that the whole attempt keeps to one deadline (a server
that drips a byte at a time cannot stretch a call past `timeout`; see `_deadline` for the
headers) and a body larger than the cap is refused before it is all in memory.
"""

from __future__ import annotations

import ipaddress
import re
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator, Mapping
from functools import lru_cache
from typing import Any

import httpx

from ._attempt import attempt_deadline
from ._exceptions import (
    InvalidHeaderError,
    PlaidLayerConfigError,
    ResponseDecodingError,
    ResponseTooLargeError,
)

DEFAULT_MAX_RESPONSE_SIZE = 50 * 1024 * 1024
"""Bytes of (decoded) response body a call accepts by default: 50 MiB."""

_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# Visible ASCII with inner spaces and tabs: what h11 sends (it refuses surrounding whitespace).
_HEADER_VALUE = re.compile(r"(?:[\x21-\x7e](?:[\t\x20-\x7e]*[\x21-\x7e])?)?")


class MaskedHeaders(httpx.Headers):
    """`httpx.Headers` whose repr names the headers and hides every value (httpx hides only
    `Authorization`; the client's carry its credentials). Its copies are masked too."""

    def __repr__(self) -> str:
        return f"MaskedHeaders({list(self.keys())!r})"

    def copy(self) -> MaskedHeaders:
        """A masked copy."""
        return MaskedHeaders(self, encoding=self.encoding)


class _NoCookies(httpx.Cookies):
    """A cookie jar that keeps nothing: the API sets no cookies, and parsing them costs every call."""

    def extract_cookies(self, response: httpx.Response) -> None:
        """Ignore the response's `Set-Cookie` headers."""


class ApiClient(httpx.Client):
    """The `httpx.Client` we create for a client given none: it parses and keeps no cookies.

    (httpx's `cookies` setter copies any jar into a plain one, so the property is replaced.)
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._no_cookies = _NoCookies()

    @property
    def cookies(self) -> httpx.Cookies:
        """An empty jar that stays empty."""
        return self._no_cookies

    @cookies.setter
    def cookies(self, cookies: object) -> None:
        """Keep no cookies, whatever is set."""


class AsyncApiClient(httpx.AsyncClient):
    """`ApiClient` for asyncio."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._no_cookies = _NoCookies()

    @property
    def cookies(self) -> httpx.Cookies:
        """An empty jar that stays empty."""
        return self._no_cookies

    @cookies.setter
    def cookies(self, cookies: object) -> None:
        """Keep no cookies, whatever is set."""


def new_http_client() -> httpx.Client:
    """The `httpx.Client` made for a client that was given none.

    Its sockets keep to each attempt's deadline (`_deadline`). With a proxy set in the
    environment, httpx's own transports are kept instead, since they are what routes through it;
    the deadline is then checked between body chunks only.
    """
    if any(scheme != "no" for scheme in urllib.request.getproxies()):
        return ApiClient()
    from ._deadline import DeadlineTransport

    return ApiClient(transport=DeadlineTransport())


def new_async_http_client() -> httpx.AsyncClient:
    """The `httpx.AsyncClient` made for a client that was given none."""
    return AsyncApiClient()


def check_base_url(base_url: str) -> str:
    """Refuse a server URL that httpx cannot parse, or plain `http://` to anything but loopback.

    Credentials travel in headers on every call, so they must not cross a network in clear text.
    """
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise PlaidLayerConfigError(f"invalid base_url: {exc}") from None
    if url.userinfo or url.query:
        raise PlaidLayerConfigError("base_url must not carry a user, password or query string")
    if url.scheme == "https":
        return base_url.rstrip("/")
    if url.scheme == "http" and _is_loopback(url.host):
        return base_url.rstrip("/")
    raise PlaidLayerConfigError(
        "base_url must be https:// (plain http:// only to localhost), since every request carries credentials"
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_FRAMING = frozenset({"host", "content-length", "transfer-encoding"})
"""Headers `build_request` writes itself, from the URL and the body."""


def client_headers(http: httpx.Client | httpx.AsyncClient, ours: Mapping[str, str]) -> MaskedHeaders:
    """The headers of every request of a client: the httpx client's defaults, then ours on top."""
    headers = MaskedHeaders(http.headers)
    headers.update(ours)
    for name in _FRAMING & set(headers):
        del headers[name]
    return headers


def _header_problem(name: object, value: object) -> str | None:
    """Why HTTP cannot carry the header `name: value`, or `None` when it can."""
    if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
        return "a header name is letters, digits and !#$%&'*+-.^_`|~"
    if name.lower() in _FRAMING:
        return "the client sets it from the URL and the body"
    if not isinstance(value, str):
        return f"the value must be a str, not {type(value).__name__}"
    if not _HEADER_VALUE.fullmatch(value):
        return (
            "the value must be printable ASCII (no CR, LF or other control characters), "
            "not starting or ending with whitespace"
        )
    return None


def call_headers(
    base: httpx.Headers, extra_headers: Mapping[str, str] | None, operation_id: str
) -> httpx.Headers:
    """`base` plus one call's `extra_headers`, each checked before anything is sent.

    The values are looked at only inside `_header_problem`, so no frame of a raised error holds one.
    """
    if not extra_headers:
        return base
    for name in extra_headers:
        problem = _header_problem(name, extra_headers[name])
        if problem is not None:
            raise InvalidHeaderError(operation_id, str(name), problem)
    headers = base.copy()
    headers.update(extra_headers)
    return headers


@lru_cache(maxsize=512)
def parse_url(url: str) -> tuple[httpx.URL, bytes]:
    """A URL string parsed once, with its `Host` header value: an operation's URL rarely changes."""
    parsed = httpx.URL(url)
    return parsed, parsed.netloc


def request_target(url: str) -> tuple[httpx.URL, bytes]:
    """`parse_url`, with a URL httpx cannot parse refused as a configuration error."""
    try:
        return parse_url(url)
    except httpx.InvalidURL as exc:
        raise PlaidLayerConfigError(f"invalid request URL: {exc}") from None


def with_host(headers: httpx.Headers, host: bytes) -> MaskedHeaders:
    """`headers` behind a `Host` header, first as httpx puts it: once per call, or once per client."""
    return MaskedHeaders([(b"Host", host), *headers.raw])


def build_request(
    method: str, url: httpx.URL, headers: httpx.Headers, content: bytes, timeout: Mapping[str, float | None]
) -> httpx.Request:
    """The request of one attempt, with the headers httpx would give it, in the same order.

    `headers` start with `Host` (`with_host`); `Content-Length` is added here. `httpx.Request(
    content=...)` would re-scan the headers several times to add both; writing them here and
    passing the body as a stream is about 3x cheaper. `timeout` is an `httpx.Timeout.as_dict()`.
    """
    request = httpx.Request(
        method, url, headers=headers, stream=httpx.ByteStream(content), extensions={"timeout": timeout}
    )
    if content:
        request.headers["Content-Length"] = str(len(content))
    request.read()  # as `content=` would: hooks and mocks can read `request.content`
    return request


def attempt_budget(timeout: float | httpx.Timeout | None) -> tuple[dict[str, float | None], float | None]:
    """httpx's per-phase limits and the deadline, in seconds, of one whole attempt.

    A number bounds every phase and the whole attempt. With an `httpx.Timeout`, the whole attempt
    is bounded by its largest phase limit, so that no single phase is cut short; `None` (or a
    Timeout of only `None`s) sets no limit at all.
    """
    phases = httpx.Timeout(timeout)
    limits = phases.as_dict()
    finite = [value for value in limits.values() if value is not None]
    return limits, max(finite) if finite else None


def _deadline_passed(request: httpx.Request) -> httpx.ReadTimeout:
    # Raised as httpx's own timeout, so that it is retried and reported like any other timeout.
    return httpx.ReadTimeout("the attempt took longer than its timeout", request=request)


def _too_large(response: httpx.Response, limit: int) -> bool:
    length = response.headers.get("content-length")
    return length is not None and length.isdigit() and int(length) > limit


def read_body(response: httpx.Response, operation_id: str, limit: int, deadline: float | None) -> None:
    """Read a streamed response within the deadline (`time.monotonic()`) and the size limit."""
    try:
        if _too_large(response, limit):
            raise ResponseTooLargeError(operation_id, response.status_code, limit)
        # What `Response.read()` does, through a loop of ours that keeps to the limits.
        response._content = _collect(response.iter_bytes(), response, operation_id, limit, deadline)
    except httpx.DecodingError as exc:
        raise ResponseDecodingError(operation_id, response.status_code, str(exc)) from exc
    finally:
        response.close()


def _collect(
    chunks: Iterator[bytes], response: httpx.Response, operation_id: str, limit: int, deadline: float | None
) -> bytes:
    parts: list[bytes] = []
    size = 0
    chunk = b""
    try:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise ResponseTooLargeError(operation_id, response.status_code, limit)
            if deadline is not None and time.monotonic() > deadline:
                raise _deadline_passed(response.request)
            parts.append(chunk)
    except BaseException:  # a traceback rendered with its locals must not show the body read so far
        parts.clear()
        del chunk
        raise
    return parts[0] if len(parts) == 1 else b"".join(parts)


async def aread_body(response: httpx.Response, operation_id: str, limit: int) -> None:
    """`read_body` for the async client, whose deadline is enforced around the whole attempt."""
    try:
        if _too_large(response, limit):
            raise ResponseTooLargeError(operation_id, response.status_code, limit)
        # What `Response.aread()` does, through a loop of ours that keeps to the size limit.
        response._content = await _acollect(response.aiter_bytes(), response, operation_id, limit)
    except httpx.DecodingError as exc:
        raise ResponseDecodingError(operation_id, response.status_code, str(exc)) from exc
    finally:
        await response.aclose()


async def _acollect(
    chunks: AsyncIterator[bytes], response: httpx.Response, operation_id: str, limit: int
) -> bytes:
    parts: list[bytes] = []
    size = 0
    chunk = b""
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise ResponseTooLargeError(operation_id, response.status_code, limit)
            parts.append(chunk)
    except BaseException:  # as in `_collect`; the attempt's deadline cancels here, too
        parts.clear()
        del chunk
        raise
    return parts[0] if len(parts) == 1 else b"".join(parts)


def send(
    http: httpx.Client, request: httpx.Request, operation_id: str, limit: int, deadline: float | None
) -> httpx.Response:
    """Send one attempt and read its body; redirects come back as responses, never followed."""
    token = attempt_deadline.set(deadline)
    try:
        response = http.send(request, stream=True, follow_redirects=False)
        read_body(response, operation_id, limit, deadline)
    except httpx.DecodingError as exc:  # from a transport that decodes (respx, for one)
        raise ResponseDecodingError(operation_id, None, str(exc)) from exc
    finally:
        attempt_deadline.reset(token)
    return response


async def asend(
    http: httpx.AsyncClient, request: httpx.Request, operation_id: str, limit: int, budget: float | None
) -> httpx.Response:
    """`send` for the async client: the whole attempt, body included, runs under `budget` seconds."""
    import asyncio  # loaded by every asyncio program already; kept off the blocking client's import

    try:
        async with asyncio.timeout(budget):
            response = await http.send(request, stream=True, follow_redirects=False)
            await aread_body(response, operation_id, limit)
    except TimeoutError:
        raise _deadline_passed(request) from None
    except httpx.DecodingError as exc:
        raise ResponseDecodingError(operation_id, None, str(exc)) from exc
    return response
