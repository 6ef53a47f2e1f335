# Copied by layer-codegen from templates/runtime/_exceptions.py, unchanged; do not edit here: edit that file, then nox -s generate
"""Every error the client raises, rooted at `PlaidLayerError`.

    PlaidLayerError
    ├── PlaidLayerConfigError       missing credentials, unknown environment
    ├── RequestValidationError      arguments that do not fit the request schema (nothing was sent)
    │   └── InvalidHeaderError      an `extra_headers` name or value HTTP cannot carry
    ├── APIError
    │   ├── APIConnectionError      the request did not get a response (or too many redirects)
    │   │   └── APITimeoutError     a phase, or the whole attempt, took longer than `timeout`
    │   ├── ResponseDecodingError   a response body that cannot be decompressed
    │   ├── ResponseTooLargeError   a response body larger than `max_response_size`
    │   ├── ResponseValidationError a 2xx body that does not fit the response schema
    │   └── APIStatusError          a non-2xx response; subclass chosen by Plaid's `error_type`,
    │       │                       or by the status when the body is not a Plaid error
    │       ├── InvalidRequestError     INVALID_REQUEST (or a bare 4xx)
    │       ├── InvalidInputError       INVALID_INPUT
    │       ├── InvalidResultError      INVALID_RESULT
    │       ├── RateLimitError          RATE_LIMIT_EXCEEDED (or a bare 429)
    │       ├── APIServerError          API_ERROR (or a bare 5xx)
    │       ├── ItemError               ITEM_ERROR
    │       └── InstitutionError        INSTITUTION_ERROR
    └── WebhookError                a webhook not to act on: a receiver answers 4xx
        ├── WebhookParseError           a body that is not JSON or does not fit its schema
        └── WebhookVerificationError    a signature that cannot be trusted (see `.reason`)

Messages never contain credentials, tokens or identity data: values are left out of validation
messages, and token-shaped strings in Plaid's own messages are masked.

Every error pickles and copies (for `ProcessPoolExecutor`, task queues, `copy.deepcopy`): the
typed fields survive, the raw `httpx.Response` (whose request carries the credentials and the
request body) does not, and an unpickled `APIStatusError.response` is `None`.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from ._redact import Secrets, scrub_text

if TYPE_CHECKING:
    import httpx
    from pydantic import BaseModel, ValidationError

    from ._error_model import ErrorModel


def _restore(cls: type[PlaidLayerError], args: tuple[Any, ...]) -> PlaidLayerError:
    """Recreate an error from its pickled message; `__setstate__` then puts its fields back."""
    return cls.__new__(cls, *args)


class PlaidLayerError(Exception):
    """Base class of every error this package raises."""

    def __reduce__(self) -> tuple[Any, ...]:
        # `__init__` signatures differ from `args` (keyword-only, typed parts), so unpickling must
        # not call them; the fields travel as state instead.
        return (_restore, (type(self), self.args), self._portable_state())

    def _portable_state(self) -> dict[str, Any]:
        """The fields that are safe to pickle or copy."""
        return dict(self.__dict__)


class PlaidLayerConfigError(PlaidLayerError):
    """The client was configured wrongly (for example, no credentials were found)."""


def describe_validation_error(error: ValidationError) -> str:
    """Summarise a pydantic error by field path and problem, leaving out the offending values."""
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in item["loc"]) or "(root)"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


class RequestValidationError(PlaidLayerError):
    """The arguments of a call do not fit the operation's request schema; nothing was sent."""

    def __init__(self, operation_id: str, error: ValidationError) -> None:
        self.operation_id = operation_id
        self.fields: tuple[str, ...] = tuple(".".join(str(p) for p in item["loc"]) for item in error.errors())
        super().__init__(f"invalid arguments for {operation_id}: {describe_validation_error(error)}")

    @classmethod
    def because(cls, operation_id: str, fields: tuple[str, ...], problem: str) -> RequestValidationError:
        """The error for a problem found outside the request schema (such as in `extra_body`)."""
        error = cls.__new__(cls)
        error.operation_id = operation_id
        error.fields = fields
        PlaidLayerError.__init__(error, f"invalid arguments for {operation_id}: {problem}")
        return error


class InvalidHeaderError(RequestValidationError):
    """An `extra_headers` entry that HTTP cannot carry (non-ASCII, CR/LF...); nothing was sent.

    The message names the header and the problem, never the value (it may be a credential).
    """

    def __init__(self, operation_id: str, name: str, problem: str) -> None:
        self.operation_id = operation_id
        self.fields: tuple[str, ...] = (f"extra_headers.{name}",)
        PlaidLayerError.__init__(self, f"invalid header {name!r} for {operation_id}: {problem}")


class APIError(PlaidLayerError):
    """Something went wrong talking to Plaid."""


class APIConnectionError(APIError):
    """No response was received (DNS, connection refused or reset, TLS, too many redirects...).

    `method`, `url` (without its query string) and `operation_id` say which call failed; none of
    them carries credentials, which travel in headers.
    """

    def __init__(
        self,
        message: str = "could not connect to Plaid",
        *,
        method: str | None = None,
        url: str | None = None,
        operation_id: str | None = None,
    ) -> None:
        self.method = method
        self.url = url
        self.operation_id = operation_id
        super().__init__(message)


class APITimeoutError(APIConnectionError):
    """The request timed out: one phase (connect, read...) or the whole attempt took too long."""

    def __init__(
        self,
        message: str = "request to Plaid timed out",
        *,
        method: str | None = None,
        url: str | None = None,
        operation_id: str | None = None,
    ) -> None:
        super().__init__(message, method=method, url=url, operation_id=operation_id)


class ResponseDecodingError(APIError):
    """A response whose body cannot be decoded (a corrupt gzip, deflate or brotli stream).

    `status_code` is `None` when the transport decoded the body before handing the response over.
    """

    def __init__(self, operation_id: str, status_code: int | None, detail: str) -> None:
        self.operation_id = operation_id
        self.status_code = status_code
        status = "" if status_code is None else f"HTTP {status_code} "
        super().__init__(f"{operation_id}: {status}response body cannot be decoded: {detail}")


class ResponseTooLargeError(APIError):
    """A response body larger than the client's `max_response_size`; it was not read into memory."""

    def __init__(self, operation_id: str, status_code: int, limit: int) -> None:
        self.operation_id = operation_id
        self.status_code = status_code
        self.limit = limit
        super().__init__(
            f"{operation_id}: HTTP {status_code} response body is larger than max_response_size "
            f"({limit} bytes); refused"
        )


class ResponseValidationError(APIError):
    """A successful response whose body does not fit the operation's response schema.

    Raised when the client was made with `strict_response_validation=True`, or when the body is
    not a JSON object at all. Nothing is lost: `body` keeps the text (credentials and
    token-shaped values masked when it is first read, as `APIStatusError.body`), and `parsed`
    the model read from it as the tolerant default would have returned it (`None` when the body
    is no JSON object). `fields` names the paths that did not fit. `parsed` is dropped when the
    error is pickled or copied, since it holds the real tokens and identity data.
    """

    parsed: BaseModel | None
    """The response read tolerantly (values as sent); `None` after pickling or copying."""

    def __init__(
        self,
        operation_id: str,
        status_code: int,
        detail: str,
        fields: tuple[str, ...] = (),
        *,
        response: httpx.Response | None = None,
        secrets: tuple[str, ...] = (),
        parsed: BaseModel | None = None,
    ) -> None:
        self.operation_id = operation_id
        self.status_code = status_code
        self.fields = fields
        self.parsed = parsed
        self._response = response
        self._secrets = Secrets(secrets)
        super().__init__(f"{operation_id}: unexpected {status_code} response body: {detail}")

    @cached_property
    def body(self) -> str | None:
        """The response body as text, masked as `APIStatusError.body`; `None` when none was given."""
        return None if self._response is None else scrub_text(self._response.text, self._secrets)

    def _portable_state(self) -> dict[str, Any]:
        return dict(self.__dict__, parsed=None, body=self.body, _response=None, _secrets=Secrets())


class APIStatusError(APIError):
    """Plaid answered with a non-2xx status.

    `error` is the parsed Plaid error object, or `None` when the body was not one (an HTML page
    from a proxy, an empty or truncated body); `body` keeps the text either way, with
    credentials and token-shaped values masked (the untouched bytes are on `response`).
    `retry_after` is the server's `Retry-After` in seconds, when it sent a valid one.

    The masking is done when `body`, `error_message` or the message (`str()`, `repr()`,
    `.message`) is first read, not when the error is built: a call that retries or catches the
    error pays nothing for a large body it never looks at.
    """

    response: httpx.Response | None
    """The HTTP response; `None` on an error that was pickled or copied (it holds the credentials)."""
    error: ErrorModel | None
    """The spec's error object, parsed from the body; `None` when the body is not one."""

    def __init__(
        self,
        *,
        response: httpx.Response,
        error: BaseModel | None,
        secrets: tuple[str, ...] = (),
        operation_id: str | None = None,
        retry_after: float | None = None,
        note: str | None = None,
    ) -> None:
        self.response = response
        self.status_code: int = response.status_code
        # Every operation's `error_model` is the error schema the generator names `ErrorModel`.
        self.error = cast("ErrorModel | None", error)
        self.operation_id = operation_id
        self.retry_after = retry_after
        fields: dict[str, Any] = dict(error) if error is not None else {}
        self.error_type: str | None = _as_str(fields.get("error_type"))
        self.error_code: str | None = _as_str(fields.get("error_code"))
        self.display_message: str | None = _as_str(fields.get("display_message"))
        self.request_id: str | None = _as_str(fields.get("request_id"))
        self._secrets = Secrets(secrets)
        self._note = note
        super().__init__()

    @cached_property
    def body(self) -> str:
        """The response body as text, credentials and token- or identity-shaped values masked."""
        return "" if self.response is None else scrub_text(self.response.text, self._secrets)

    @cached_property
    def error_message(self) -> str | None:
        """Plaid's `error_message`, credentials and token- or identity-shaped values masked."""
        message = _as_str(getattr(self.error, "error_message", None))
        return None if message is None else scrub_text(message, self._secrets)

    @cached_property
    def message(self) -> str:
        """What `str()` of the error says: the status, Plaid's error type, code and message."""
        summary = self._summary()
        return f"{summary}; {self._note}" if self._note else summary

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def _summary(self) -> str:
        if self.error is None:
            if 300 <= self.status_code < 400:
                return f"HTTP {self.status_code}: a redirect, which API calls never follow"
            return f"HTTP {self.status_code} with a body that is not a Plaid error"
        parts = [f"HTTP {self.status_code} {self.error_type}/{self.error_code}"]
        if self.error_message:
            parts.append(f": {self.error_message}")
        if self.request_id:
            parts.append(f" (request_id={self.request_id})")
        return "".join(parts)

    def _portable_state(self) -> dict[str, Any]:
        # Masked now, since neither the response nor the secrets travel.
        state = dict(
            self.__dict__,
            response=None,
            _secrets=Secrets(),
            body=self.body,
            error_message=self.error_message,
            message=self.message,
        )
        if self.error is not None and "error_message" in type(self.error).model_fields:
            state["error"] = self.error.model_copy(update={"error_message": self.error_message})
        return state


def _as_str(value: object) -> str | None:
    return None if value is None else str(value)


class InvalidRequestError(APIStatusError):
    """`INVALID_REQUEST`: the request is malformed (missing or unknown fields, bad headers...)."""


class InvalidInputError(APIStatusError):
    """`INVALID_INPUT`: a value is wrong (bad API keys, an invalid or expired token...)."""


class InvalidResultError(APIStatusError):
    """`INVALID_RESULT`: the request was fine but its result cannot be used as asked."""


class RateLimitError(APIStatusError):
    """`RATE_LIMIT_EXCEEDED`: too many requests; retried automatically with backoff."""


class APIServerError(APIStatusError):
    """`API_ERROR`: a problem on Plaid's side (internal error, planned maintenance)."""


class ItemError(APIStatusError):
    """`ITEM_ERROR`: the Item (bank connection) needs attention, for example a failed code."""


class InstitutionError(APIStatusError):
    """`INSTITUTION_ERROR`: the financial institution is down or not responding."""


ERROR_TYPE_CLASSES: dict[str, type[APIStatusError]] = {
    "INVALID_REQUEST": InvalidRequestError,
    "INVALID_INPUT": InvalidInputError,
    "INVALID_RESULT": InvalidResultError,
    "RATE_LIMIT_EXCEEDED": RateLimitError,
    "API_ERROR": APIServerError,
    "ITEM_ERROR": ItemError,
    "INSTITUTION_ERROR": InstitutionError,
}


def status_error_class(status_code: int, error_type: str | None) -> type[APIStatusError]:
    """The class for a non-2xx response: by Plaid's `error_type`, else by the HTTP status."""
    if error_type is not None:
        return ERROR_TYPE_CLASSES.get(error_type, APIStatusError)
    if status_code == 429:
        return RateLimitError
    if status_code >= 500:
        return APIServerError
    if status_code >= 400:
        return InvalidRequestError
    return APIStatusError


class WebhookError(PlaidLayerError):
    """A webhook that must not be acted on, whatever was wrong with it; answer the request with a 4xx.

    Whatever a request holds, `verify_and_parse` raises only this family, so one `except WebhookError`
    covers every request that is not a genuine, well-formed webhook.
    """


class WebhookParseError(WebhookError):
    """A webhook body that is not JSON, or a known webhook whose fields do not fit its schema.

    `fields` names the offending field paths (never their values), empty when the body itself is bad.
    """

    def __init__(self, message: str, fields: tuple[str, ...] = ()) -> None:
        self.fields = fields
        super().__init__(message)


class WebhookVerificationFailure(StrEnum):
    """Why a webhook's signature was not accepted (machine-readable)."""

    MISSING_HEADER = "missing_header"
    MALFORMED_TOKEN = "malformed_token"
    BAD_ALGORITHM = "bad_algorithm"
    UNKNOWN_KEY = "unknown_key"
    EXPIRED_KEY = "expired_key"
    BAD_SIGNATURE = "bad_signature"
    STALE = "stale"
    BODY_MISMATCH = "body_mismatch"
    KEY_UNAVAILABLE = "key_unavailable"
    """Plaid's key endpoint failed (5xx, rate limit, network): nothing is known about the webhook yet."""


class WebhookVerificationError(WebhookError):
    """The webhook cannot be trusted; `reason` says why."""

    def __init__(self, reason: WebhookVerificationFailure, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"webhook verification failed ({reason.value}): {detail}")
