"""Plaid-shaped error bodies and JSON responses, as the mock answers them.

Every error the mock sends looks like one from Plaid: `error_type`, `error_code`, a developer
`error_message`, `display_message` (`null` unless given) and a fresh `request_id`.
"""

from __future__ import annotations

import json
import random
import string
from typing import Any

import httpx

_REQUEST_ID_ALPHABET = string.ascii_letters + string.digits
_REQUEST_ID_LENGTH = 15  # the length of Plaid's own request ids


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
