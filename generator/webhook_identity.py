"""Which component schemas are webhook payloads, and which webhook (type and code) each one is.

One rule, shared by `layer-codegen import` and by the generator for a spec without a `webhooks:`
section (Plaid's own): a payload is an object schema whose `webhook_type` and `webhook_code`
properties each state one value, as a `const` (our spec), a one-value `enum`, or, as Plaid's spec
does, a description that is only that value in backticks (`` `IDENTITY_VERIFICATION` `` or
`` `"PROTECT"` ``). Two schemas stating the same pair are a duplicate: neither is chosen.

    catalogue = webhook_catalogue(SpecModel.load(Path("plaid.yml")))
    catalogue.by_identity[("IDENTITY_VERIFICATION", "STATUS_UPDATED")].schema
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.spec.model import SpecModel

__all__ = [
    "IDENTITY_PROPERTIES",
    "WebhookCatalogue",
    "WebhookSchema",
    "identity_of",
    "stated_value",
    "webhook_catalogue",
    "webhook_key",
]

IDENTITY_PROPERTIES = ("webhook_type", "webhook_code")
_STATED = re.compile(r'`"?([A-Z][A-Z0-9_]*)"?`')


def stated_value(prop: Any) -> str | None:
    """The one value a `webhook_type` or `webhook_code` property states, or `None` if it states none."""
    if not isinstance(prop, Mapping):
        return None
    if isinstance(prop.get("const"), str):
        return str(prop["const"])
    enum = prop.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
        return enum[0]
    description = prop.get("description")
    if isinstance(description, str):
        match = _STATED.fullmatch(description.strip())
        if match:
            return match.group(1)
    return None


def webhook_key(webhook_type: str, webhook_code: str) -> str:
    """The name a webhook gets under `webhooks:` and in the testing kit: unique per (type, code).

    `IDENTITY_VERIFICATION`, `STATUS_UPDATED` -> `IDENTITY_VERIFICATION_STATUS_UPDATED`; a code that
    already starts with its type stays as it is (`LAYER`, `LAYER_AUTHENTICATION_PASSED`).
    """
    if webhook_code.startswith(f"{webhook_type}_"):
        return webhook_code
    return f"{webhook_type}_{webhook_code}"


@dataclass(frozen=True, order=True)
class WebhookSchema:
    """A component schema that is a webhook payload, with the identity it states."""

    webhook_type: str
    webhook_code: str
    schema: str
    """The component key under `components/schemas`."""

    @property
    def key(self) -> str:
        """The webhook's name (see `webhook_key`)."""
        return webhook_key(self.webhook_type, self.webhook_code)

    @property
    def pointer(self) -> str:
        """The JSON pointer of the schema, for messages."""
        return f"#/components/schemas/{self.schema}"


@dataclass(frozen=True)
class WebhookCatalogue:
    """Every webhook payload of a spec: those with an identity of their own, and the duplicates."""

    by_identity: Mapping[tuple[str, str], WebhookSchema]
    """(webhook_type, webhook_code) -> the one schema stating it."""
    duplicates: tuple[tuple[WebhookSchema, ...], ...]
    """Groups of two or more schemas stating the same identity, sorted."""


def identity_of(model: SpecModel, name: str) -> WebhookSchema | None:
    """The identity component `name` states, or `None` when it is no webhook payload."""
    schema = model.schemas.get(name)
    if not isinstance(schema, Mapping):
        return None
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return None
    pointer = ("components", "schemas", name, "properties")
    values = [
        stated_value(model.resolve(properties.get(key), (*pointer, key)) if key in properties else None)
        for key in IDENTITY_PROPERTIES
    ]
    webhook_type, webhook_code = values
    if webhook_type is None or webhook_code is None:
        return None
    return WebhookSchema(webhook_type, webhook_code, name)


def webhook_catalogue(model: SpecModel) -> WebhookCatalogue:
    """Every component schema of `model` that states a webhook identity, grouped by identity."""
    groups: dict[tuple[str, str], list[WebhookSchema]] = {}
    for name in model.schemas:
        found = identity_of(model, str(name))
        if found is not None:
            groups.setdefault((found.webhook_type, found.webhook_code), []).append(found)
    unique = {identity: group[0] for identity, group in sorted(groups.items()) if len(group) == 1}
    duplicates = tuple(tuple(sorted(group)) for _, group in sorted(groups.items()) if len(group) > 1)
    return WebhookCatalogue(unique, duplicates)
