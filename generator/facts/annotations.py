"""The one type mapping of a field: a schema as the annotation a signature or request shape gives it.

`Builder.annotation` decides the Python annotation of every method argument and request-shape
(`TypedDict`) key, and builds the request shapes of nested objects on the way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.facts.contract import TypedDictFacts, TypedDictField
from generator.facts.errors import facts_error
from generator.facts.names import is_identifier, pascal_case
from generator.spec.model import (
    Pointer,
    SpecModel,
    SpecModelError,
    ref_of,
    schema_types,
)

_ANNOTATION_KEYS = frozenset(
    {"title", "description", "examples", "deprecated", "default", "type", "readOnly", "writeOnly"}
)
_DATE_FORMATS = {"date": "datetime.date", "date-time": "datetime.datetime"}


class Builder:
    """The decisions over one spec: annotations, request shapes, operations, webhooks."""

    def __init__(self, model: SpecModel) -> None:
        self.model = model
        self.typed_dicts: dict[str, TypedDictFacts] = {}
        self._building: set[str] = set()

    # -- names ------------------------------------------------------------------------------------

    def class_name(self, schema: Any, where: str, pointer: Pointer) -> str:
        """The model class of a `$ref` to a component: the component key, checked as an identifier."""
        name = self.model.ref_name(schema)
        if name is None:
            raise facts_error(f"{where} must be a $ref to a component schema", pointer)
        self.model.resolve(schema, pointer)
        if not is_identifier(name):
            raise facts_error(
                f"component key {name!r} is not a Python identifier", ("components", "schemas", name)
            )
        return name

    # -- annotations ------------------------------------------------------------------------------

    def annotation(self, schema: Any, pointer: Pointer, owner: str) -> tuple[str, bool]:
        """The annotation of a value of `schema` in a signature or request shape, and its nullability."""
        if not isinstance(schema, dict):
            return "Any", False
        name = self.model.ref_name(schema)
        if name is not None:
            target = self.model.resolve(schema, pointer)
            if self._is_object(target):
                shape = self.shape(name, target)
                cls = self.class_name(schema, "a nested object", pointer)
                return f"{cls} | {shape}", self.model.admits_null(target)
            return self.annotation(target, ("components", "schemas", name), name)
        if ref_of(schema) is not None:
            return self.annotation(self.model.resolve(schema, pointer), pointer, owner)
        if "allOf" in schema:
            members = schema["allOf"]
            if len(members) == 1 and set(schema) - {"allOf"} <= _ANNOTATION_KEYS:
                inner, nullable = self.annotation(members[0], (*pointer, "allOf", "0"), owner)
                return inner, nullable or "null" in schema_types(schema)
            return self.annotation(self.model.merge_all_of(schema, pointer), pointer, owner)
        variants = schema.get("anyOf") or schema.get("oneOf")
        if variants:
            non_null = [v for v in variants if not (isinstance(v, dict) and v.get("type") == "null")]
            nullable = len(non_null) != len(variants)
            parts = []
            for index, variant in enumerate(non_null):
                text, inner_nullable = self.annotation(variant, (*pointer, "anyOf", str(index)), owner)
                nullable = nullable or inner_nullable
                parts.append(text)
            if "str" in parts and all(p == "str" or p.startswith("Literal[") for p in parts):
                return "str", nullable  # an open enum: any string goes
            return " | ".join(dict.fromkeys(parts)) or "Any", nullable
        types = schema_types(schema)
        nullable = "null" in types
        types = [t for t in types if t != "null"]
        if "const" in schema:
            return f"Literal[{schema['const']!r}]", nullable or schema["const"] is None
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            text = f"Literal[{', '.join(repr(v) for v in values)}]" if values else "None"
            if any(not isinstance(v, str | int) for v in values):
                # `Literal` takes no floats (Plaid's model versions are `4.1, 4, "3_lite"`): the value types.
                names = {bool: "bool", int: "int", float: "float", str: "str"}
                text = " | ".join(sorted({names.get(type(v), "Any") for v in values}))
            return text, nullable or None in schema["enum"]
        if len(types) != 1:
            return "Any", nullable
        kind = types[0]
        if kind == "array":
            item, _ = self.annotation(schema.get("items") or {}, (*pointer, "items"), owner)
            return f"Sequence[{item}]", nullable
        if kind == "object":
            if schema.get("properties"):
                return self.shape(owner, schema), nullable
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                inner, inner_nullable = self.annotation(extra, (*pointer, "additionalProperties"), owner)
                return f"Mapping[str, {inner}{' | None' if inner_nullable else ''}]", nullable
            return "Mapping[str, Any]", nullable
        # The models hold `datetime.date` and `datetime.datetime`; a request takes one, or the ISO
        # 8601 text the model parses.
        if kind == "string" and schema.get("format") in _DATE_FORMATS:
            return f"{_DATE_FORMATS[schema['format']]} | str", nullable
        scalar = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
        return scalar.get(kind, "Any"), nullable

    def _is_object(self, schema: Any) -> bool:
        # Only a schema with properties becomes a model class; datamodel-code-generator collapses a
        # map (`type: object` with only `additionalProperties`) or an `allOf` wrapper of an enum.
        if not isinstance(schema, dict):
            return False
        if "allOf" in schema:
            schema = self.model.merge_all_of(schema, ())
        return "properties" in schema

    def shape(self, name: str, schema: Mapping[str, Any]) -> str:
        """The `TypedDict` request shape for an object schema, built once per name."""
        shape_name = f"{name}Param"
        if shape_name in self.typed_dicts or shape_name in self._building:
            return shape_name
        self._building.add(shape_name)
        merged = self.model.merge_all_of(schema, ("components", "schemas", name))
        required = set(merged.get("required") or [])
        fields = []
        for json_name, prop in (merged.get("properties") or {}).items():
            inner, nullable = self.annotation(
                prop, ("components", "schemas", name, "properties", json_name), name + pascal_case(json_name)
            )
            optional_none = json_name not in required and not nullable
            suffix = " | None" if nullable or optional_none else ""
            fields.append(TypedDictField(json_name, f"{inner}{suffix}", json_name in required))
        description = " ".join(str(merged.get("description", "")).split())
        self.typed_dicts[shape_name] = TypedDictFacts(shape_name, description, tuple(fields))
        self._building.discard(shape_name)
        return shape_name

    def description(self, schema: Any) -> str:
        if isinstance(schema, dict) and schema.get("description"):
            return " ".join(str(schema["description"]).split())
        if ref_of(schema) is not None:
            try:
                return self.description(self.model.resolve(schema))
            except SpecModelError:
                return ""
        if isinstance(schema, dict) and isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
            return self.description(schema["allOf"][0])
        return ""
