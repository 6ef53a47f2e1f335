"""Hypothesis strategies that draw JSON values from the spec's own schemas.

Covers the JSON Schema subset the spec uses: local `$ref`, `type` (lists with `"null"` too),
`anyOf`/`oneOf`, `enum`, `const`, objects with `required`, arrays, and `date-time` strings.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from hypothesis import strategies as st

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=8)


def from_schema(schema: dict[str, Any], components: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A strategy for values valid against `schema`, resolving `$ref`s in `components`."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return st.deferred(lambda: from_schema(components[name], components))
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    variants = schema.get("anyOf") or schema.get("oneOf")
    if variants:
        return st.one_of([from_schema(v, components) for v in variants])
    types = schema.get("type")
    if types is None:
        return JSON_SCALARS
    if isinstance(types, list):
        return st.one_of([from_schema({**schema, "type": t}, components) for t in types])
    if types == "null":
        return st.none()
    if types == "boolean":
        return st.booleans()
    if types == "integer":
        return st.integers(min_value=-(2**53), max_value=2**53)
    if types == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if types == "string":
        if schema.get("format") == "date-time":
            return st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat().replace("+00:00", "Z"))
        return st.text(max_size=12)
    if types == "array":
        return st.lists(from_schema(schema.get("items") or {}, components), max_size=3)
    return _object(schema, components)


def _object(schema: dict[str, Any], components: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    fixed = {name: from_schema(sub, components) for name, sub in properties.items() if name in required}
    optional = {
        name: from_schema(sub, components) for name, sub in properties.items() if name not in required
    }
    return st.fixed_dictionaries(fixed, optional=optional)
