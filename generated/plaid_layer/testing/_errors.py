# Copied by layer-codegen from templates/runtime/testing/_errors.py, unchanged; do not edit here: edit that file, then nox -s generate
"""Plaid-shaped error bodies and JSON responses, as the mock answers them.

Every error the mock sends looks like one from Plaid: `error_type`, `error_code`, a developer
`error_message`, `display_message` (`null` unless given) and a fresh `request_id`, with the HTTP
status Plaid's errors reference gives that error (`documented_status`).
"""

from __future__ import annotations

import json
import random
import string
from typing import Any

import httpx

_REQUEST_ID_ALPHABET = string.ascii_letters + string.digits
_REQUEST_ID_LENGTH = 15  # the length of Plaid's own request ids

DEFAULT_ERROR_STATUS = 400
"""Plaid answers most errors, even institution outages, with 400."""
_STATUS_BY_TYPE = {"RATE_LIMIT_EXCEEDED": 429, "API_ERROR": 500}
_STATUS_BY_CODE = {
    ("INVALID_REQUEST", "NOT_FOUND"): 404,
    ("INVALID_REQUEST", "NO_LONGER_AVAILABLE"): 404,
    ("API_ERROR", "PLANNED_MAINTENANCE"): 503,
    ("OAUTH_ERROR", "OAUTH_STATE_ID_ALREADY_PROCESSED"): 208,
    ("OAUTH_ERROR", "OAUTH_STATE_ID_NOT_FOUND"): 404,
    ("USER_ERROR", "INVALID_USER_IDENTITY_DATA"): 403,
}


def documented_status(error_type: str, error_code: str) -> int:
    """The HTTP status Plaid documents for an error: its code's own status, else its type's.

    Example:
        documented_status("RATE_LIMIT_EXCEEDED", "RATE_LIMIT")  # 429
        documented_status("API_ERROR", "PLANNED_MAINTENANCE")  # 503
        documented_status("INVALID_INPUT", "INVALID_PUBLIC_TOKEN")  # 400
    """
    by_code = _STATUS_BY_CODE.get((error_type, error_code))
    if by_code is not None:
        return by_code
    return _STATUS_BY_TYPE.get(error_type, DEFAULT_ERROR_STATUS)


def new_request_id() -> str:
    """A random id shaped like Plaid's `request_id` (15 letters and digits)."""
    return "".join(random.choices(_REQUEST_ID_ALPHABET, k=_REQUEST_ID_LENGTH))


def plaid_error(
    error_type: str,
    error_code: str,
    error_message: str | None = None,
    *,
    display_message: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """The body of a Plaid error; `fields` add or replace any other key (`request_id`, `causes`...).

    Example:
        plaid_error("INVALID_INPUT", "INVALID_PUBLIC_TOKEN")
    """
    body: dict[str, Any] = {
        "error_type": error_type,
        "error_code": error_code,
        "error_message": error_message or f"simulated {error_code} error",
        "display_message": display_message,
        "request_id": new_request_id(),
    }
    body.update(fields)
    return body


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    """A response carrying `body` as JSON, the way Plaid serialises it."""
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
