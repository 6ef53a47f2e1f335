# Copied by layer-codegen from templates/runtime/_redact.py, unchanged; do not edit here: edit that file, then nox -s generate
"""Masking of credentials, tokens and identity data in reprs, messages and logs.

Fields are sensitive when the spec marks them `x-sensitive: true` (the generator copies the marker
into each pydantic field's `json_schema_extra`). Fields the spec does not know yet, which Plaid may
add at any time, are judged by name, so that a new `ssn_full` is masked before anyone asks.
"""

from __future__ import annotations

import re
from typing import Any

REDACTED = "<redacted>"
SENSITIVE_MARKER = "x-sensitive"

_SENSITIVE_NAME = re.compile(
    r"(secret|token|password|ssn|social_security|date_of_birth|birth|phone|email|address|street|"
    r"postal|zip|first_name|last_name|full_name|client_id|authorization|api_key)",
    re.IGNORECASE,
)
# Plaid tokens look like `access-sandbox-<id>`, `public-production-<id>`, `link-sandbox-<id>`.
_TOKEN_SHAPE = re.compile(
    r"\b(access|public|link|profile|processor|user|item-add)-(sandbox|production|development)-[A-Za-z0-9-]+"
)


class Redacted:
    """Stands in for a hidden value in a repr; prints as `<redacted>`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return REDACTED


REDACTED_VALUE = Redacted()


def is_sensitive_name(name: str) -> bool:
    """Whether a field name that the spec does not describe looks like it holds private data."""
    return bool(_SENSITIVE_NAME.search(name))


def redact_unknown(name: str, value: Any) -> Any:
    """Mask `value` when `name` looks sensitive; look inside dicts and lists of unknown data."""
    if value is None:
        return None
    if is_sensitive_name(name):
        return REDACTED_VALUE
    if isinstance(value, dict):
        return {key: redact_unknown(str(key), item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_unknown(name, item) for item in value]
    return value


def scrub_text(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Mask token-shaped strings and the given secret values inside free text."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return _TOKEN_SHAPE.sub(REDACTED, text)
