# Copied by layer-codegen from templates/runtime/_base_client.py, unchanged; do not edit here: edit that file, then nox -s generate
"""The transport every generated operation goes through: credentials, retries, timeouts, errors, logs.

Generated code describes each operation with an `Operation` (path, request and response models,
all taken from the spec) and calls `SyncAPIClient._request` / `AsyncAPIClient._request`. Nothing
here knows about a particular endpoint. The decisions (what to retry, how long to wait, which
error to raise) are plain functions shared by the sync and async loops.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC
from importlib import import_module
from types import TracebackType
from typing import Any, NamedTuple, Self, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

# Every call parses into models built on `PlaidModel`. Loading it (and the pydantic machinery the
# first model class brings) with the client leaves a first call only its own operation's models.
from . import _models  # noqa: F401
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    PlaidLayerConfigError,
    status_error_class,
)
from ._redact import REDACTED, MaskedDict, Secrets
from ._request import Operation as Operation  # re-exported: generated modules import it from here
from ._request import RawResponse as RawResponse
from ._request import encode_body as encode_body
from ._request import parse_success as parse_success
from ._request import prepare_request
from ._send import (
    DEFAULT_MAX_RESPONSE_SIZE,
    asend,
    attempt_budget,
    build_request,
    call_headers,
    check_base_url,
    client_headers,
    new_async_http_client,
    new_http_client,
    request_target,
    send,
    with_host,
)
from ._tolerant import fit

logger = logging.getLogger(__package__)  # named after the package, as `import` spells it

ModelT = TypeVar("ModelT")


class NotGiven:
    """The type of `NOT_GIVEN`: an argument left out, as opposed to one set to `None`."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

TimeoutTypes = float | httpx.Timeout | None
"""Seconds for each whole attempt, an `httpx.Timeout`, or `None` for no limit at all."""

Timeout = httpx.Timeout
"""`httpx.Timeout`, re-exported: `Timeout(10.0, connect=2.0)`."""

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""The longest `Retry-After` (seconds) honoured by default; a longer one is not retried."""
JITTER = 0.25
RETRYABLE_STATUSES = frozenset({408, 409, 429})


class ClientSettings(NamedTuple):
    """What the spec says about every request: servers, fixed headers and how credentials travel.

    A named tuple rather than a dataclass: as immutable, and much quicker to create at import.
    """

    environments: Mapping[str, str]
    default_headers: Mapping[str, str]
    client_id_header: str
    secret_header: str
    client_id_env: str
    secret_env: str
    user_agent: str


def status_error(
    operation: Operation[Any],
    response: httpx.Response,
    secrets: tuple[str, ...],
    retry_after: float | None = None,
    note: str | None = None,
) -> APIStatusError:
    """Build the error for a non-2xx response, whatever its body holds."""
    error: BaseModel | None = None
    if operation.error_model is not None:
        model: type[BaseModel] = getattr(import_module(".models", __package__), operation.error_model)
        try:
            error = model.model_validate_json(response.content)
        except ValidationError:
            error = _deviating_error(operation, response, model)
    error_type = getattr(error, "error_type", None)
    cls = status_error_class(response.status_code, None if error_type is None else str(error_type))
    return cls(
        response=response,
        error=error,
        secrets=secrets,
        operation_id=operation.operation_id,
        retry_after=retry_after,
        note=note,
    )


def _deviating_error(
    operation: Operation[Any], response: httpx.Response, model: type[BaseModel]
) -> BaseModel | None:
    """A Plaid error body that does not fit the error schema, read tolerantly; `None` for any other body.

    Only a JSON object with a string `error_code` is a Plaid error: an HTML page or a proxy's own
    JSON stays no error object, and the class is then chosen by status.
    """
    try:
        data = json.loads(response.content)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("error_code"), str):
        return None
    error, found = fit(model, data)
    logger.warning(
        "%s: HTTP %d error body does not fit the spec at %s; read as sent",
        operation.operation_id,
        response.status_code,
        ", ".join(deviation.path for deviation in found),
    )
    return error


def should_retry(response: httpx.Response) -> bool:
    """Whether a failed response is worth another attempt."""
    return response.status_code in RETRYABLE_STATUSES or response.status_code >= 500


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a `Retry-After` header (seconds or an HTTP date); `None` if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - now
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def retry_delay(attempt: int, retry_after: float | None, rng: random.Random) -> float:
    """How long to wait before retry number `attempt + 1`.

    A `Retry-After` from the server wins (the caller has checked it against `max_retry_after`:
    it is never shortened); otherwise exponential backoff from `INITIAL_RETRY_DELAY`, capped at
    `MAX_RETRY_DELAY`, minus up to 25 % jitter so that many clients do not retry in step.
    """
    if retry_after is not None:
        return retry_after
    base = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
    return base * (1 - JITTER * rng.random())


def _log(operation: Operation[Any], outcome: str, attempt: int, started: float, request_id: object) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s %s -> %s request_id=%s attempt=%d duration=%.3fs",
            operation.method.upper(),
            operation.path,
            outcome,
            request_id,
            attempt + 1,
            time.monotonic() - started,
        )


class _Call:
    """One call's resolved settings and the decision after each attempt."""

    __slots__ = ("budget", "content", "headers", "max_retries", "operation", "target", "timeout", "url")

    def __init__(
        self,
        client: _BaseClient,
        operation: Operation[Any],
        body: Mapping[str, Any] | None,
        params: Mapping[str, Any] | None,
        extra_headers: Mapping[str, str] | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        extra_body: Mapping[str, Any] | None,
    ) -> None:
        self.operation = operation
        self.url, wire_headers, self.content = prepare_request(
            operation, client.base_url, body, params, extra_body
        )
        self.target, host = request_target(self.url)
        if wire_headers:  # header parameters get the same checks as `extra_headers`
            extra_headers = MaskedDict({**wire_headers, **extra_headers}) if extra_headers else wire_headers
        self.headers: httpx.Headers
        if extra_headers:
            base = client._body_headers(bool(self.content))
            self.headers = with_host(call_headers(base, extra_headers, operation.operation_id), host)
        else:
            self.headers = client._hosted_headers(host, bool(self.content))
        if isinstance(timeout, NotGiven):
            self.timeout, self.budget = client._timeout_limits, client._attempt_budget
        else:
            self.timeout, self.budget = attempt_budget(timeout)
        self.max_retries = client.max_retries if isinstance(max_retries, NotGiven) else max_retries

    def request(self) -> httpx.Request:
        """A fresh request for the next attempt (a sent request's stream is consumed)."""
        return build_request(self.operation.method, self.target, self.headers, self.content, self.timeout)

    def public_url(self) -> str:
        """The URL without its query string, for errors (credentials travel in headers, never here)."""
        return self.url.partition("?")[0]

    def where(self) -> str:
        """`METHOD URL` of the call, for messages."""
        return f"{self.operation.method.upper()} {self.public_url()}"


class _BaseClient:
    """Configuration and decisions shared by the sync and async clients."""

    _settings: ClientSettings
    _headers: httpx.Headers
    """Every request's headers: the httpx client's defaults, then ours; merged once per client."""

    def __init__(
        self,
        *,
        settings: ClientSettings,
        credentials: Secrets,
        environment: str,
        base_url: str | None,
        timeout: TimeoutTypes,
        max_retries: int,
        max_retry_after: float,
        max_response_size: int,
        strict_response_validation: bool,
    ) -> None:
        self._settings = settings
        # `credentials` is (client_id, secret) as given, "" for one left out; the values stay in
        # `Secrets`, so that no local of this frame shows them in a traceback.
        self._secrets = Secrets(
            (
                credentials[0] or os.environ.get(settings.client_id_env, ""),
                credentials[1] or os.environ.get(settings.secret_env, ""),
            )
        )
        if not self._secrets[0]:
            raise PlaidLayerConfigError(f"no client id: pass client_id= or set ${settings.client_id_env}")
        if not self._secrets[1]:
            raise PlaidLayerConfigError(f"no secret: pass secret= or set ${settings.secret_env}")
        if base_url is None:
            if environment not in settings.environments:
                known = ", ".join(sorted(settings.environments))
                raise PlaidLayerConfigError(f"unknown environment {environment!r}; expected one of: {known}")
            base_url = settings.environments[environment]
        if max_retries < 0:
            raise PlaidLayerConfigError("max_retries must be 0 or more")
        if not max_retry_after >= 0:
            raise PlaidLayerConfigError("max_retry_after must be 0 or more seconds")
        if max_response_size < 1:
            raise PlaidLayerConfigError("max_response_size must be 1 byte or more")
        self.environment = environment
        self.base_url: str = check_base_url(base_url)
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_retry_after = max_retry_after
        self.max_response_size = max_response_size
        self.strict_response_validation = strict_response_validation
        self._rng = random.Random()
        self._hosted: dict[tuple[bytes, bool], httpx.Headers] = {}
        self._own_headers = MaskedDict(
            {
                "Content-Type": "application/json",
                "Accept": "application/json",
                "User-Agent": settings.user_agent,
                **settings.default_headers,
                settings.client_id_header: self._secrets[0],
                settings.secret_header: self._secrets[1],
            }
        )

    @property
    def timeout(self) -> TimeoutTypes:
        """The default `timeout` of every call: seconds per whole attempt, an `httpx.Timeout`, or `None`."""
        return self._timeout

    @timeout.setter
    def timeout(self, timeout: TimeoutTypes) -> None:
        # Resolved once here rather than on every call.
        self._timeout = timeout
        self._timeout_limits, self._attempt_budget = attempt_budget(timeout)

    def _body_headers(self, has_body: bool) -> httpx.Headers:
        """The client's headers for a request with or without a body (which has no media type then)."""
        if has_body or "content-type" not in self._headers:
            return self._headers
        headers = self._headers.copy()
        del headers["content-type"]
        return headers

    def _hosted_headers(self, host: bytes, has_body: bool) -> httpx.Headers:
        """The headers of a call without extra headers, `Host` first: built once per host and body kind."""
        key = (host, has_body)
        headers = self._hosted.get(key)
        if headers is None:
            headers = self._hosted[key] = with_host(self._body_headers(has_body), host)
        return headers

    def __repr__(self) -> str:
        base_url = getattr(self, "base_url", None)  # also while __init__ runs, for a traceback's locals
        return f"{type(self).__name__}(base_url={base_url!r}, client_id={REDACTED}, secret={REDACTED})"

    def _after_response(
        self, call: _Call, response: httpx.Response, attempt: int, started: float
    ) -> RawResponse[Any] | float:
        """Return the parsed `RawResponse`, or the delay before the next attempt; raise when done."""
        operation = call.operation
        if response.is_success:
            parsed, deviations = parse_success(
                operation, response, strict=self.strict_response_validation, secrets=self._secrets
            )
            if logger.isEnabledFor(logging.DEBUG):  # the arguments cost a success call otherwise
                request_id = getattr(parsed, "request_id", None)
                _log(operation, str(response.status_code), attempt, started, request_id)
            return RawResponse(response, parsed, deviations)
        retry_after = parse_retry_after(response.headers.get("retry-after"), time.time())
        retrying = attempt < call.max_retries and should_retry(response)
        note = None
        if retrying and retry_after is not None and retry_after > self.max_retry_after:
            retrying = False
            note = (
                f"not retried: Retry-After asks for {retry_after:g} s, more than "
                f"max_retry_after={self.max_retry_after:g} s"
            )
        error = status_error(operation, response, self._secrets, retry_after, note)
        _log(operation, str(response.status_code), attempt, started, error.request_id)
        if retrying:
            return retry_delay(attempt, retry_after, self._rng)
        raise error

    def _after_transport_error(
        self, call: _Call, exc: httpx.RequestError, attempt: int, started: float
    ) -> float:
        """Return the delay before the next attempt, or raise the matching error of this package."""
        operation = call.operation
        timed_out = isinstance(exc, httpx.TimeoutException)
        _log(operation, "timeout" if timed_out else type(exc).__name__, attempt, started, None)
        retryable = isinstance(exc, httpx.TransportError)
        if retryable and attempt < call.max_retries:
            return retry_delay(attempt, None, self._rng)
        context = {
            "method": operation.method.upper(),
            "url": call.public_url(),
            "operation_id": operation.operation_id,
        }
        tries = f"after {attempt + 1} attempt(s)"
        if timed_out:
            raise APITimeoutError(f"{call.where()} timed out {tries}", **context) from exc
        if isinstance(exc, httpx.TooManyRedirects):
            raise APIConnectionError(f"{call.where()} failed: too many redirects", **context) from exc
        raise APIConnectionError(f"{call.where()} failed {tries}: {type(exc).__name__}", **context) from exc


class SyncAPIClient(_BaseClient):
    """The blocking transport. One instance may be shared between threads."""

    _sleep: Callable[[float], None] = staticmethod(time.sleep)

    def __init__(
        self,
        *,
        settings: ClientSettings,
        credentials: Secrets,
        environment: str,
        base_url: str | None,
        http_client: httpx.Client | None,
        timeout: TimeoutTypes,
        max_retries: int,
        max_retry_after: float = MAX_RETRY_AFTER,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        strict_response_validation: bool = False,
    ) -> None:
        super().__init__(
            settings=settings,
            credentials=credentials,
            environment=environment,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            max_retry_after=max_retry_after,
            max_response_size=max_response_size,
            strict_response_validation=strict_response_validation,
        )
        self._owns_http_client = http_client is None
        self._http = http_client if http_client is not None else new_http_client()
        self._headers = client_headers(self._http, self._own_headers)

    def _request(
        self,
        operation: Operation[ModelT],
        body: Mapping[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
    ) -> RawResponse[ModelT]:
        call = _Call(self, operation, body, params, extra_headers, timeout, max_retries, extra_body)
        limit = self.max_response_size
        attempt = 0
        while True:
            started = time.monotonic()
            deadline = None if call.budget is None else started + call.budget
            try:
                response = send(self._http, call.request(), operation.operation_id, limit, deadline)
            except httpx.RequestError as exc:
                delay = self._after_transport_error(call, exc, attempt, started)
            else:
                outcome = self._after_response(call, response, attempt, started)
                if isinstance(outcome, RawResponse):
                    return outcome
                delay = outcome
            self._sleep(delay)
            attempt += 1

    def close(self) -> None:
        """Close the underlying HTTP client, unless it was passed in by the caller."""
        if self._owns_http_client:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


async def _asyncio_sleep(seconds: float) -> None:
    """`asyncio.sleep`, imported on first use."""
    # Importing asyncio costs about 13 ms (some 8 % of importing the package), and programs that only
    # use the blocking client never need it (httpx and pydantic do not import it either).
    import asyncio

    await asyncio.sleep(seconds)


class AsyncAPIClient(_BaseClient):
    """The asyncio transport. One instance may be shared between tasks."""

    _sleep: Callable[[float], Awaitable[None]] = staticmethod(_asyncio_sleep)

    def __init__(
        self,
        *,
        settings: ClientSettings,
        credentials: Secrets,
        environment: str,
        base_url: str | None,
        http_client: httpx.AsyncClient | None,
        timeout: TimeoutTypes,
        max_retries: int,
        max_retry_after: float = MAX_RETRY_AFTER,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        strict_response_validation: bool = False,
    ) -> None:
        super().__init__(
            settings=settings,
            credentials=credentials,
            environment=environment,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            max_retry_after=max_retry_after,
            max_response_size=max_response_size,
            strict_response_validation=strict_response_validation,
        )
        self._owns_http_client = http_client is None
        self._http = http_client if http_client is not None else new_async_http_client()
        self._headers = client_headers(self._http, self._own_headers)

    async def _request(
        self,
        operation: Operation[ModelT],
        body: Mapping[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
    ) -> RawResponse[ModelT]:
        call = _Call(self, operation, body, params, extra_headers, timeout, max_retries, extra_body)
        limit = self.max_response_size
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                response = await asend(self._http, call.request(), operation.operation_id, limit, call.budget)
            except httpx.RequestError as exc:
                delay = self._after_transport_error(call, exc, attempt, started)
            else:
                outcome = self._after_response(call, response, attempt, started)
                if isinstance(outcome, RawResponse):
                    return outcome
                delay = outcome
            await self._sleep(delay)
            attempt += 1

    async def close(self) -> None:
        """Close the underlying HTTP client, unless it was passed in by the caller."""
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
