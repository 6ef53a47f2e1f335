# Copied by layer-codegen from templates/runtime/_exceptions.py, unchanged; do not edit here: edit that file, then nox -s generate
"""Every error the client raises, rooted at `PlaidLayerError`.

    PlaidLayerError
    ├── PlaidLayerConfigError       missing credentials, unknown environment
    ├── RequestValidationError      arguments that do not fit the request schema (nothing was sent)
    ├── APIError
    │   ├── APIConnectionError      the request did not get a response
    │   │   └── APITimeoutError
    │   ├── ResponseValidationError a 2xx body that does not fit the response schema
    │   └── APIStatusError          a non-2xx response; subclass chosen by Plaid's `error_type`
    │       ├── InvalidRequestError     INVALID_REQUEST
    │       ├── InvalidInputError       INVALID_INPUT
    │       ├── InvalidResultError      INVALID_RESULT
    │       ├── RateLimitError          RATE_LIMIT_EXCEEDED
    │       ├── APIServerError          API_ERROR
    │       ├── ItemError               ITEM_ERROR
    │       └── InstitutionError        INSTITUTION_ERROR
    ├── WebhookParseError           a webhook body that is not JSON or does not fit its schema
    └── WebhookVerificationError    a webhook whose signature cannot be trusted (see `.reason`)

Messages never contain credentials, tokens or identity data: values are left out of validation
messages, and token-shaped strings in Plaid's own messages are masked.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ._redact import scrub_text

if TYPE_CHECKING:
    import httpx
    from pydantic import BaseModel, ValidationError


class PlaidLayerError(Exception):
    """Base class of every error raised by `plaid_layer`."""


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
        self.fields = tuple(".".join(str(p) for p in item["loc"]) for item in error.errors())
        super().__init__(f"invalid arguments for {operation_id}: {describe_validation_error(error)}")


class APIError(PlaidLayerError):
    """Something went wrong talking to Plaid."""


class APIConnectionError(APIError):
    """No response was received (DNS, connection refused or reset, TLS...)."""

    def __init__(self, message: str = "could not connect to Plaid") -> None:
        super().__init__(message)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, message: str = "request to Plaid timed out") -> None:
        super().__init__(message)


class ResponseValidationError(APIError):
    """A successful response whose body does not fit the operation's response schema."""

    def __init__(
        self, operation_id: str, status_code: int, detail: str, fields: tuple[str, ...] = ()
    ) -> None:
        self.operation_id = operation_id
        self.status_code = status_code
        self.fields = fields
        super().__init__(f"{operation_id}: unexpected {status_code} response body: {detail}")


class APIStatusError(APIError):
    """Plaid answered with a non-2xx status.

    `error` is the parsed Plaid error object, or `None` when the body was not one (an HTML page
    from a proxy, an empty or truncated body); `body` keeps the raw text either way.
    """

    def __init__(
        self,
        *,
        response: httpx.Response,
        error: BaseModel | None,
        secrets: tuple[str, ...] = (),
    ) -> None:
        self.response = response
        self.status_code = response.status_code
        self.error = error
        self.body = response.text
        fields: dict[str, Any] = dict(error) if error is not None else {}
        self.error_type: str | None = _as_str(fields.get("error_type"))
        self.error_code: str | None = _as_str(fields.get("error_code"))
        self.error_message: str | None = _as_str(fields.get("error_message"))
        self.display_message: str | None = _as_str(fields.get("display_message"))
        self.request_id: str | None = _as_str(fields.get("request_id"))
        super().__init__(self._summary(secrets))

    def _summary(self, secrets: tuple[str, ...]) -> str:
        if self.error is None:
            return f"HTTP {self.status_code} with a body that is not a Plaid error"
        parts = [f"HTTP {self.status_code} {self.error_type}/{self.error_code}"]
        if self.error_message:
            parts.append(f": {scrub_text(self.error_message, secrets)}")
        if self.request_id:
            parts.append(f" (request_id={self.request_id})")
        return "".join(parts)


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


class WebhookParseError(PlaidLayerError):
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


class WebhookVerificationError(PlaidLayerError):
    """The webhook cannot be trusted; `reason` says why."""

    def __init__(self, reason: WebhookVerificationFailure, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"webhook verification failed ({reason.value}): {detail}")
