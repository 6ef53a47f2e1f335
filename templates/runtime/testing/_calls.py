"""The record of one request the mock received, with credentials masked.

Calls are safe to print in a failing test's output: the credential headers and the credential
fields of the body read `<redacted>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from .._redact import REDACTED


@dataclass(frozen=True)
class MockCall:
    """One request to the mock and what it was answered.

    Example:
        call = mock.calls_for("session_token_create")[-1]
        assert call.json["template_id"] == "template_4uinBNe4B2x9"
        assert call.headers["PLAID-SECRET"] == "<redacted>"
    """

    operation: str
    """The operation's method name, e.g. `session_token_create`."""
    operation_id: str
    """The same operation's operationId in the spec, e.g. `sessionTokenCreate`."""
    json: Any
    """The parsed JSON body (credential fields masked), or `None` when it was not JSON."""
    headers: httpx.Headers
    """The request headers, credential headers masked."""
    status_code: int | None
    """The status the mock answered, or `None` when it simulated a network error or timeout."""


def masked_headers(headers: httpx.Headers, credential_headers: Mapping[str, str]) -> httpx.Headers:
    """A copy of `headers` whose credential headers read `<redacted>`."""
    hidden = {name.lower() for name in credential_headers.values()}
    return httpx.Headers(
        [(name, REDACTED if name.lower() in hidden else value) for name, value in headers.multi_items()]
    )


def masked_body(body: Any, credential_headers: Mapping[str, str]) -> Any:
    """A copy of a JSON body whose credential fields (`client_id`, `secret`) read `<redacted>`."""
    if not isinstance(body, dict):
        return body
    return {key: REDACTED if key in credential_headers else value for key, value in body.items()}
