"""Normalisation: 3.0 schema keywords (also when pasted into a 3.1 document) rewritten to their 3.1 meaning.

It happens once, on a copy, when `SpecModel` loads a document: `nullable: true` adds `"null"` to
`type` (or wraps the schema in `anyOf: [..., {type: "null"}]` when it has no `type`, as beside a
`$ref` or `allOf`); `example` and `x-examples` become `examples`; boolean
`exclusiveMinimum`/`exclusiveMaximum` become the 3.1 numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.spec.extensions import EXAMPLES
from generator.spec.keywords import DATA_KEYS, SCHEMA_LISTS, SCHEMA_MAPS, SINGLE_SCHEMA

# Annotations that stay on the outer schema when `nullable` wraps a typeless one in `anyOf`.
_ANNOTATIONS = ("title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly")


def normalise(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `document` with 3.0 schema keywords rewritten to their 3.1 meaning."""
    result: dict[str, Any] = tree_copy(dict(document))
    _walk_structure(result)
    if str(result.get("openapi", "")).startswith("3.0"):
        result["openapi"] = "3.1.0"
    return result


def tree_copy(node: Any) -> Any:
    """A copy of a parsed document's dicts and lists; the scalars, immutable, are shared.

    Several times faster than `copy.deepcopy` on a 3 MB spec, which keeps a memo of every node.
    """
    if isinstance(node, dict):
        return {key: tree_copy(value) for key, value in node.items()}
    if isinstance(node, list):
        return [tree_copy(item) for item in node]
    return node


def _walk_structure(node: Any) -> None:
    """Find schema roots in non-schema objects (parameters, media types, headers, components)."""
    if isinstance(node, list):
        for item in node:
            _walk_structure(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in DATA_KEYS or (isinstance(key, str) and key.startswith("x-")):
            continue
        if key == "schema" and isinstance(value, dict):
            node[key] = normalise_schema(value)
        elif key == "schemas" and isinstance(value, dict):
            for name, schema in list(value.items()):
                if isinstance(schema, dict):
                    value[name] = normalise_schema(schema)
        else:
            _walk_structure(value)


def normalise_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """One schema (and its subschemas) with 3.0 keywords rewritten; returns the schema to use."""
    for key in SINGLE_SCHEMA:
        if isinstance(schema.get(key), dict):
            schema[key] = normalise_schema(schema[key])
    for key in SCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            schema[key] = [normalise_schema(s) if isinstance(s, dict) else s for s in schema[key]]
    if isinstance(schema.get("items"), list):  # draft-4 tuple form
        schema["items"] = [normalise_schema(s) if isinstance(s, dict) else s for s in schema["items"]]
    for key in SCHEMA_MAPS:
        members = schema.get(key)
        if isinstance(members, dict):
            for name, member in list(members.items()):
                if isinstance(member, dict):
                    members[name] = normalise_schema(member)
    _normalise_examples(schema)
    _normalise_exclusive(schema, "exclusiveMinimum", "minimum")
    _normalise_exclusive(schema, "exclusiveMaximum", "maximum")
    return _normalise_nullable(schema)


def _normalise_examples(schema: dict[str, Any]) -> None:
    gathered: list[Any] = []
    if isinstance(schema.get("examples"), list):
        gathered.extend(schema["examples"])
    if "example" in schema:
        gathered.append(schema.pop("example"))
    if EXAMPLES in schema:
        extra = schema.pop(EXAMPLES)
        values = extra.values() if isinstance(extra, dict) else extra if isinstance(extra, list) else [extra]
        for value in values:
            # OpenAPI Example objects ({summary, value}) carry the value under `value`.
            if (
                isinstance(value, dict)
                and set(value) <= {"summary", "description", "value"}
                and "value" in value
            ):
                value = value["value"]
            gathered.append(value)
    if gathered:
        schema["examples"] = gathered


def _normalise_exclusive(schema: dict[str, Any], exclusive: str, bound: str) -> None:
    flag = schema.get(exclusive)
    if not isinstance(flag, bool):
        return
    del schema[exclusive]
    if flag and bound in schema:
        schema[exclusive] = schema.pop(bound)


def _normalise_nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "nullable" not in schema:
        return schema
    nullable = schema.pop("nullable")
    if nullable is not True:
        return schema
    kind = schema.get("type")
    if kind is not None:
        kinds = [kind] if isinstance(kind, str) else list(kind)
        if "null" not in kinds:
            kinds.append("null")
        schema["type"] = kinds
        if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    outer = {key: schema.pop(key) for key in _ANNOTATIONS if key in schema}
    for key in ("anyOf", "oneOf"):
        variants = schema.get(key)
        if set(schema) == {key} and isinstance(variants, list):
            if not any(isinstance(v, dict) and v.get("type") == "null" for v in variants):
                variants.append({"type": "null"})
            return {**outer, **schema}
    return {**outer, "anyOf": [schema, {"type": "null"}]}
