"""Masking of credentials, tokens and identity data in reprs, messages and logs.

Fields are sensitive when the spec marks them `x-sensitive: true` (the generator copies the marker
into each pydantic field's `json_schema_extra`). Fields the spec does not know yet, which Plaid may
add at any time, are judged by name, so that a new `ssn_full` is masked before anyone asks.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

REDACTED = "<redacted>"
SENSITIVE_MARKER = "x-sensitive"

# The patterns are compiled on first use (`_compiled`): reprs, errors and logs need them, while a
# plain call never does, and compiling them all costs an import some milliseconds.
#
# Every pattern runs in time linear in the text, whatever it holds (a body is the server's, or an
# attacker's): a match may start only where a run of its characters starts (a lookbehind), a
# quantifier that could give characters back to its neighbour is possessive (`*+`, `++`), and
# quoted values are bounded. Text beyond `MAX_SCANNED` characters is not scanned but cut off.
MAX_SCANNED = 64 * 1024
"""Characters of one text that are scanned and shown; the rest is dropped, with its length noted."""

_SENSITIVE_NAME = (
    r"(?i)(secret|token|password|ssn|social_security|date_of_birth|birth|phone|email|address|street|"
    r"postal|zip|first_name|last_name|full_name|client_id|authorization|api_key)"
)
# Plaid tokens look like `access-sandbox-<id>`, `public-production-<id>`, `link-sandbox-<id>`.
_TOKEN_SHAPE = (
    r"\b(?:access|public|link|profile|processor|user|item-add)-(?:sandbox|production|development)-"
    r"[A-Za-z0-9-]++"
)
# What free text may quote besides Plaid tokens: a value right after a sensitive name
# (`public_token "abc"`, `secret=abc`), and strings shaped like identity data or random ids.
# A sensitive word is a whole run of `[\w-]` holding one of the names: the lookahead looks for
# the name once per run, then the run is taken whole.
_SENSITIVE_WORD = r"(?<![\w-])(?=[\w-]*?(?:secret|token|password|ssn|client_id|api_key|authorization))[\w-]++"
_NAMED_VALUE = (
    # Quotes may come escaped (`\"abc\"`) when the text is a JSON body. A quoted value is at most
    # 1024 characters long: a longer quote is not a credential, and a bound keeps the scan linear.
    rf"(?i)({_SENSITIVE_WORD}\s*+(?:[:=]\s*+)?)"
    rf"(?:\\?\"[^\"]{{0,1024}}?\\?\"|'[^']{{0,1024}}'|`[^`]{{0,1024}}`)"
    rf"|({_SENSITIVE_WORD}=)[^\s,;&]++"
)
_IDENTITY_SHAPES = (
    r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++"  # an email address
    r"|\+\d{7,15}\b"  # an E.164 phone number
    r"|\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b"  # a North American phone number
    r"|\b\d{3}-\d{2}-\d{4}\b"  # a social security number
)
# In an error message, which may quote the request, even less is left standing.
_QUOTED_SHAPES = (
    r"\b\d{9}\b"  # a social security number without dashes
    r"|\b\d{4}-\d{2}-\d{2}\b"  # a date (of birth)
    r"|(?<![\w-])(?=[\w-]*?\d)(?=[\w-]*?[A-Za-z])[\w-]{16,}+"  # a long random id or key
)


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class Redacted:
    """Stands in for a hidden value in a repr; prints as `<redacted>`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return REDACTED


REDACTED_VALUE = Redacted()


class MaskedDict(dict[str, Any]):
    """A dict whose repr names its keys and hides its values: a call's arguments, body or headers.

    Tracebacks rendered with their locals (`pytest --showlocals`, rich, Sentry) show each local's
    repr; the client keeps what a call carries in these, so its frames show no value.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{key!r}: {REDACTED}" for key in self) + "}"


class Secrets(tuple[str, ...]):
    """The client's credentials, as a tuple whose repr hides them."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Secrets({REDACTED})"


def is_sensitive_name(name: str) -> bool:
    """Whether a field name that the spec does not describe looks like it holds private data."""
    return bool(_compiled(_SENSITIVE_NAME).search(name))


def redact_unknown(name: str, value: Any) -> Any:
    """Mask `value` when `name` looks sensitive; look inside dicts, lists and strings of unknown data."""
    if value is None:
        return None
    if is_sensitive_name(name):
        return REDACTED_VALUE
    return redact_known(value)


def redact_known(value: Any) -> Any:
    """Mask what a field the spec describes as not sensitive may still quote (free text, raw data)."""
    if isinstance(value, str):
        return mask_shapes(value)
    if isinstance(value, dict):
        return {key: redact_unknown(str(key), item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_known(item) for item in value]
    return value


def capped(text: str) -> str:
    """`text` cut to its first `MAX_SCANNED` characters, saying how many were left out."""
    if len(text) <= MAX_SCANNED:
        return text
    return f"{text[:MAX_SCANNED]}... <{len(text) - MAX_SCANNED} more characters not shown>"


def mask_shapes(text: str) -> str:
    """Mask Plaid tokens, values quoted after a sensitive name, emails, phone and SSN numbers.

    Only the first `MAX_SCANNED` characters are kept (`capped`).
    """
    return _mask_shapes(capped(text))


def _mask_shapes(text: str) -> str:
    text = _compiled(_TOKEN_SHAPE).sub(REDACTED, text)
    text = _compiled(_NAMED_VALUE).sub(lambda match: (match.group(1) or match.group(2)) + REDACTED, text)
    return _compiled(_IDENTITY_SHAPES).sub(REDACTED, text)


def scrub_text(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Mask the given secret values and token- or identity-shaped strings inside free text.

    Beyond `mask_shapes`, long random-looking ids, dates and 9-digit numbers go too: a message
    from the server may quote any part of the request. A secret is masked only where it stands
    as a whole word, so a short one does not cut into other words: with the secret `a`,
    "a bad key" becomes "<redacted> bad key", and "bad" stays. Only the first `MAX_SCANNED`
    characters are kept (`capped`).

    A JSON object or array of at most `MAX_SCANNED` characters stays valid JSON: its values are
    masked (a value under a sensitive key whole), never its syntax. It comes back unchanged when
    nothing in it is masked, and re-serialised otherwise.
    """
    if len(text) <= MAX_SCANNED and text.lstrip()[:1] in ("{", "["):
        document = _scrub_document(text, secrets)
        if document is not None:
            return document
    return _scrub(capped(text), secrets)


def _scrub_document(text: str, secrets: tuple[str, ...]) -> str | None:
    """`text` as JSON with its values scrubbed; `None` when it is no JSON (or nested too deep)."""
    try:
        data = json.loads(text)
        masked = _scrub_value(data, secrets)
    except (ValueError, RecursionError):
        return None
    return text if masked == data else json.dumps(masked, ensure_ascii=False)


def _scrub_value(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return _scrub(value, secrets)
    if isinstance(value, dict):
        return {
            _scrub(key, secrets): REDACTED
            if item is not None and is_sensitive_name(key)
            else _scrub_value(item, secrets)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_scrub_value(item, secrets) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = str(value)  # a 9-digit number is a social security number without dashes
        return value if _scrub(shown, secrets) == shown else REDACTED
    return value


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            whole = re.compile(rf"(?<![\w-]){re.escape(secret)}(?![\w-])")
            text = whole.sub(REDACTED, text)
    return _compiled(_QUOTED_SHAPES).sub(REDACTED, _mask_shapes(text))
