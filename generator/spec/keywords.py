"""The one list of JSON Schema keywords whose values are schemas, and a walk over a schema's children.

Normalisation, validation, the diff, docs-check and the models' input document all descend into
sub-schemas; they read the keywords from here, so a keyword added once is followed everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

SINGLE_SCHEMA = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
    "contentSchema",
)
"""Keywords whose value is one schema (`items` may also be a draft-4 list of schemas)."""
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
"""Keywords whose value is a list of schemas."""
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
"""Keywords whose value maps names (or patterns) to schemas."""
COMPOSITION = ("allOf", "anyOf", "oneOf")
"""The keywords that compose a schema of others: where properties and variants may live."""
SUBSCHEMA_KEYWORDS = frozenset((*SINGLE_SCHEMA, *SCHEMA_LISTS, *SCHEMA_MAPS))
"""Every keyword above."""


def subschemas(schema: Mapping[str, Any]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Each direct sub-schema of `schema` with its path relative to it (`("properties", "id")`).

    Only mappings are yielded: boolean schemas have no children and say nothing of their own here.
    """
    for key in SINGLE_SCHEMA:
        value = schema.get(key)
        if isinstance(value, dict):
            yield (key,), value
        elif key == "items" and isinstance(value, list):
            yield from (((key, str(i)), item) for i, item in enumerate(value) if isinstance(item, dict))
    for key in SCHEMA_LISTS:
        value = schema.get(key)
        if isinstance(value, list):
            yield from (((key, str(i)), item) for i, item in enumerate(value) if isinstance(item, dict))
    for key in SCHEMA_MAPS:
        value = schema.get(key)
        if isinstance(value, dict):
            yield from (((key, str(name)), item) for name, item in value.items() if isinstance(item, dict))


DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
"""Keys whose values are user data, never spec structure: a `$ref` or `type` inside one is a value."""
