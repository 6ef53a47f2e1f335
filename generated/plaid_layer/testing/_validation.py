# Copied by layer-codegen from templates/runtime/testing/_validation.py, unchanged; do not edit here: edit that file, then nox -s generate
"""The checks the mock makes on each request before answering it, with Plaid's error codes.

Like the real API, every refusal is HTTP 400:

- `INVALID_REQUEST` / `INVALID_HEADERS`: the Content-Type is not `application/json`;
- `INVALID_REQUEST` / `INVALID_BODY`: the body is not a JSON object;
- `INVALID_REQUEST` / `MISSING_FIELDS`: no `client_id` or `secret`, in neither header nor body
  (what Plaid answers when credentials are left out entirely);
- `INVALID_INPUT` / `INVALID_API_KEYS`: credentials that differ from the ones the mock was told
  to expect (only checked when it was told);
- `INVALID_REQUEST` / `UNKNOWN_FIELDS`, `MISSING_FIELDS`, `INVALID_FIELD`: the body does not fit
  the operation's request schema (unknown fields win over missing ones, as at Plaid).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import ValidationError

from .._base_client import Operation
from ._errors import plaid_error


def _fields(error: ValidationError, kind: str) -> list[str]:
    return [
        ".".join(str(part) for part in item["loc"])
        for item in error.errors(include_url=False, include_input=False)
        if item["type"] == kind
    ]


def _schema_problem(error: ValidationError) -> dict[str, Any]:
    unknown = _fields(error, "extra_forbidden")
    if unknown:
        message = f"the following fields are not recognized by this endpoint: {', '.join(unknown)}"
        return plaid_error("INVALID_REQUEST", "UNKNOWN_FIELDS", message)
    missing = _fields(error, "missing")
    if missing:
        message = f"the following required fields are missing: {', '.join(missing)}"
        return plaid_error("INVALID_REQUEST", "MISSING_FIELDS", message)
    first = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "(body)"
    return plaid_error("INVALID_REQUEST", "INVALID_FIELD", f"{where}: {first['msg']}")


def request_problem(
    request: httpx.Request,
    body: Any,
    operation: Operation[Any],
    credential_headers: Mapping[str, str],
    expected_credentials: Mapping[str, str] | None,
) -> dict[str, Any] | None:
    """The Plaid error body the real API would answer `request` with, or `None` when it fits.

    `body` is the parsed JSON body (`None` when it was not JSON); `credential_headers` maps each
    credential's body field to the header that may carry it instead.
    """
    if operation.request_model is None and not request.content:
        body = {}  # an operation without a request body (a GET): only the credentials to check
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if body != {} and media_type != "application/json":
        return plaid_error(
            "INVALID_REQUEST", "INVALID_HEADERS", "the Content-Type header must be application/json"
        )
    if not isinstance(body, dict):
        return plaid_error("INVALID_REQUEST", "INVALID_BODY", "the request body must be a JSON object")
    given = {
        field: request.headers.get(header) or body.get(field) for field, header in credential_headers.items()
    }
    missing = [field for field, value in given.items() if not value]
    if missing:
        message = f"the following required fields are missing: {', '.join(missing)}"
        return plaid_error("INVALID_REQUEST", "MISSING_FIELDS", message)
    if expected_credentials is not None and any(
        given.get(field) != value for field, value in expected_credentials.items()
    ):
        return plaid_error("INVALID_INPUT", "INVALID_API_KEYS", "invalid client_id or secret provided")
    if operation.request_model is None:  # an operation without a request body
        return None
    try:
        operation.request_model.model_validate(body)
    except ValidationError as exc:
        return _schema_problem(exc)
    return None
