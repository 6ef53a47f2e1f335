"""Turning a webhook body into a model: JSON decoding, validation, and the catch-all for new webhooks.

The generated `webhooks.py` knows which model belongs to which `webhook_type`/`webhook_code`; this
module does the work that is the same for every webhook. Errors name field paths, never values,
because webhook values are tokens and identifiers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from pydantic import ConfigDict, ValidationError

from ._exceptions import WebhookParseError, describe_validation_error
from ._models import PlaidModel
from ._tolerant import fit

logger = logging.getLogger(__package__)

ModelT = TypeVar("ModelT", bound=PlaidModel)
T = TypeVar("T")

WebhookBody = bytes | bytearray | memoryview | str | Mapping[str, Any]
"""The raw body as received, its text, or the already-decoded JSON object."""


class UnknownWebhook(PlaidModel):
    """A webhook this version of the spec does not describe; every field is kept as received.

    Plaid adds webhooks without notice, so an unknown one is not an error: branch on
    `webhook_type`/`webhook_code` and read the rest from `model_extra`.

        if isinstance(event, UnknownWebhook):
            logger.info("ignoring %s/%s", event.webhook_type, event.webhook_code)
    """

    model_config: ClassVar[ConfigDict] = ConfigDict(extra="allow")

    webhook_type: str
    """The webhook's family, for example `LAYER` or `LINK`."""
    webhook_code: str
    """Which webhook of that family this is."""


def load_payload(body: WebhookBody) -> dict[str, Any]:
    """Decode a webhook body into its JSON object, or raise `WebhookParseError`."""
    if isinstance(body, Mapping):
        return dict(body)
    if not isinstance(body, bytes | bytearray | memoryview | str):
        # Already-decoded JSON that is not an object (a list, a number) from `request.json()`.
        raise WebhookParseError(f"webhook body is a {type(body).__name__}, not a JSON object")
    try:
        payload = json.loads(bytes(body) if isinstance(body, bytearray | memoryview) else body)
    except json.JSONDecodeError as exc:
        # exc.msg and the position describe the syntax only; the document itself stays out.
        raise WebhookParseError(
            f"webhook body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except UnicodeDecodeError:
        raise WebhookParseError("webhook body is not UTF-8 text") from None
    except RecursionError:
        raise WebhookParseError("webhook body is nested too deeply") from None
    except ValueError as exc:  # json's other limits, such as an integer with thousands of digits
        raise WebhookParseError(f"webhook body cannot be decoded: {type(exc).__name__}") from None
    if not isinstance(payload, dict):
        raise WebhookParseError(f"webhook body is a JSON {type(payload).__name__}, not an object")
    return payload


def model_for(models: Mapping[tuple[str, str], T], payload: Mapping[str, Any]) -> T | None:
    """The model registered for the payload's `webhook_type`/`webhook_code`, `None` for any other."""
    # The body may hold anything there (a list is not even hashable); only two strings can match.
    key = (payload.get("webhook_type"), payload.get("webhook_code"))
    if not isinstance(key[0], str) or not isinstance(key[1], str):
        return None
    return models.get((key[0], key[1]))


def validate_payload(model: type[ModelT], payload: Mapping[str, Any], *, strict: bool = False) -> ModelT:
    """Validate a decoded payload against `model`.

    A payload that does not fit is still read into `model`, values as sent (see `_tolerant`),
    with one WARNING on the package's logger naming the fields; with `strict` it raises
    `WebhookParseError` naming them instead.
    """
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        if strict:
            fields = tuple(".".join(str(part) for part in item["loc"]) for item in exc.errors())
            raise WebhookParseError(
                f"webhook does not fit {model.__name__}: {describe_validation_error(exc)}", fields
            ) from None
    parsed, found = fit(model, payload)
    logger.warning(
        "webhook payload does not fit %s at %s; read as sent",
        model.__name__,
        ", ".join(deviation.path for deviation in found),
    )
    return parsed
