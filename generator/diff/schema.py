"""Turning a raw JSON Schema node into a `Shape`: the facts the diff compares, in one canonical form.

Spellings that mean the same thing give the same `Shape`: a `$ref` and the component it points to,
3.0 `nullable: true`, 3.1 `type: [x, "null"]` and `anyOf: [x, {type: "null"}]`, a one-member
`allOf`, the open-enum marker `anyOf: [{enum: [...]}, {type: string}]`, and `const: "a"` with or
without `type: string`. The JSON Schema 2020-12 keywords are kept as limits (`minContains`,
`multipleOf`, ...), `dependentRequired` pairs, `prefixItems` and one-schema keywords (`then`, `not`,
`patternProperties/<pattern>`, ...). Sub-schemas stay raw nodes, normalised only when the comparison
reaches them, so a large spec is never expanded whole. `$ref`s resolve through the spec model.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from generator.spec.keywords import SCHEMA_MAPS as KEYWORD_SCHEMA_MAPS
from generator.spec.keywords import SINGLE_SCHEMA
from generator.spec.model import SpecModel, SpecModelError, ref_of, ref_siblings

Node = Any  # a raw JSON Schema node, normally a dict

# Keywords that limit values, and which change makes each stricter: "up" a higher value, "down" a
# lower one, "any" every change (a new pattern or multipleOf may reject values the old one took).
LIMITS: dict[str, str] = {
    "minLength": "up",
    "maxLength": "down",
    "minimum": "up",
    "maximum": "down",
    "exclusiveMinimum": "up",
    "exclusiveMaximum": "down",
    "minItems": "up",
    "maxItems": "down",
    "minProperties": "up",
    "maxProperties": "down",
    "uniqueItems": "up",
    "minContains": "up",
    "maxContains": "down",
    "pattern": "any",
    "multipleOf": "multiple",
    "contentMediaType": "any",
    "contentEncoding": "any",
}

# JSON Schema 2020-12 keywords whose value is one schema, compared like `items`: `items` and
# `additionalProperties` have rules of their own, and `additionalItems` is no 2020-12 keyword.
ONE_SCHEMA = tuple(
    key for key in SINGLE_SCHEMA if key not in ("items", "additionalProperties", "additionalItems")
)
# Keywords whose value maps names (patterns, property names) to schemas; `properties` has rules of
# its own, and `$defs`/`definitions` only hold schemas for `$ref`s, compared where they are used.
SCHEMA_MAPS = tuple(key for key in KEYWORD_SCHEMA_MAPS if key not in ("properties", "$defs", "definitions"))


@dataclass(frozen=True, slots=True)
class Shape:
    """What a schema allows. `types is None` means any type; enum values are canonical JSON."""

    types: frozenset[str] | None = None
    nullable: bool = False
    format: str | None = None
    enum: frozenset[str] | None = None
    enum_open: bool = False
    properties: Mapping[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    additional: Node = None
    items: Node = None
    variants: tuple[Node, ...] = ()
    limits: Mapping[str, Any] = field(default_factory=dict)
    description: str | None = None
    deprecated: bool = False
    examples: Any = None
    read_only: bool = False
    write_only: bool = False
    external_ref: str | None = None
    default: str | None = None
    keywords: Mapping[str, Node] = field(default_factory=dict)
    prefix_items: tuple[Node, ...] = ()
    dependent_required: frozenset[tuple[str, str]] = frozenset()
    discriminator: str | None = None


def canonical(value: Any) -> str:
    """A hashable, order-independent spelling of a JSON value (enum members, examples)."""
    return json.dumps(value, sort_keys=True, default=str)


class Resolver:
    """Normalises the schema nodes of one spec model, with memoisation; `$ref`s resolve through it."""

    def __init__(self, model: SpecModel) -> None:
        self._model = model
        self._shapes: dict[int, Shape] = {}
        self._building: set[int] = set()

    def target(self, node: Node) -> Node:
        """Follow a chain of pure `$ref` nodes to the node it names (unresolvable refs stay)."""
        return self._model.target(node)

    def lookup(self, ref: str) -> Node:
        """The node a local `#/...` JSON pointer names, or None when it is external or dangling."""
        try:
            return self._model.lookup(ref)
        except SpecModelError:
            return None

    def shape(self, node: Node) -> Shape:
        """The canonical `Shape` of `node`; a recursive `allOf` contributes nothing the second time."""
        key = id(node)
        cached = self._shapes.get(key)
        if cached is not None:
            return cached
        if key in self._building:
            return Shape()
        self._building.add(key)
        try:
            result = self._build(node)
        finally:
            self._building.discard(key)
        self._shapes[key] = result
        return result

    def _build(self, node: Node) -> Shape:
        if not isinstance(node, dict):
            # `true`/`{}` allow anything; `false` allows nothing, which no client can rely on either.
            return Shape()
        ref = ref_of(node)
        if ref is not None:
            target = self.lookup(ref)
            if target is None:
                return Shape(external_ref=ref, description=node.get("description"))
            siblings = ref_siblings(node)
            # 3.1 lets a $ref carry siblings such as a description or `nullable`; they override the target.
            return _merge(self._own(siblings), self.shape(target)) if siblings else self.shape(target)
        shape = self._own(node)
        for member in node.get("allOf") or ():
            shape = _merge(shape, self.shape(member), keep_nullable=True)
        branches = [*(node.get("anyOf") or ()), *(node.get("oneOf") or ())]
        if branches:
            shape = self._combine(shape, branches)
        return shape

    def _own(self, node: dict[str, Any]) -> Shape:
        """The facts a node states itself, without following `$ref`, `allOf`, `anyOf` or `oneOf`."""
        nullable = node.get("nullable") is True
        types: frozenset[str] | None = None
        raw_type = node.get("type")
        if raw_type is not None:
            names = {raw_type} if isinstance(raw_type, str) else set(raw_type)
            nullable = nullable or "null" in names
            types = frozenset(str(name) for name in names - {"null"})
        enum: frozenset[str] | None = None
        values: list[Any] | None = None
        if "const" in node:
            values = [node["const"]]
        elif isinstance(node.get("enum"), list):
            values = node["enum"]
        if values is not None:
            nullable = nullable or None in values
            enum = frozenset(canonical(value) for value in values if value is not None)
            if types is None:
                # `const: "a"` allows only a string, as `type: string, const: "a"` does.
                types = frozenset(_json_type(value) for value in values if value is not None)
        if types is None and ("properties" in node or "additionalProperties" in node):
            types = frozenset({"object"})
        elif types is None and "items" in node:
            types = frozenset({"array"})
        examples = node.get("examples", node.get("example"))
        properties = node.get("properties")
        keywords: dict[str, Node] = {key: node[key] for key in ONE_SCHEMA if key in node}
        for key in SCHEMA_MAPS:
            if isinstance(node.get(key), dict):
                keywords.update({f"{key}/{name}": child for name, child in node[key].items()})
        prefix = node.get("prefixItems")
        dependent = node.get("dependentRequired")
        if types is None and ("prefixItems" in node or "contains" in node):
            types = frozenset({"array"})
        return Shape(
            types=types,
            nullable=nullable,
            format=node.get("format"),
            enum=enum,
            properties=properties if isinstance(properties, dict) else {},
            required=frozenset(_names(node.get("required"))),
            additional=node.get("additionalProperties"),
            items=node.get("items"),
            limits=_limits(node),
            description=node.get("description"),
            deprecated=node.get("deprecated") is True,
            examples=None if examples is None else canonical(examples),
            read_only=node.get("readOnly") is True,
            write_only=node.get("writeOnly") is True,
            default=canonical(node["default"]) if "default" in node else None,
            keywords=keywords,
            prefix_items=tuple(prefix) if isinstance(prefix, list) else (),
            discriminator=canonical(node["discriminator"]) if "discriminator" in node else None,
            dependent_required=frozenset(
                (str(name), str(other))
                for name, others in (dependent.items() if isinstance(dependent, dict) else ())
                for other in (others if isinstance(others, list) else ())
            ),
        )

    def _combine(self, shape: Shape, branches: list[Node]) -> Shape:
        """Fold `anyOf`/`oneOf` into `shape`: null branches, one real branch, or an open enum."""
        real: list[Node] = []
        nullable = shape.nullable
        for branch in branches:
            branch_shape = self.shape(branch)
            if branch_shape.types == frozenset() and branch_shape.nullable:
                nullable = True
            else:
                real.append(branch)
        shape = replace(shape, nullable=nullable)
        if len(real) == 1:
            return _merge(shape, self.shape(real[0]), keep_nullable=False)
        open_enum = self._open_enum(real)
        if open_enum is not None:
            return _merge(shape, open_enum, keep_nullable=False)
        return replace(shape, variants=tuple(real))

    def _open_enum(self, branches: list[Node]) -> Shape | None:
        """The documented open-enum marker: one branch with an enum, one plain `type: string`."""
        if len(branches) != 2:
            return None
        shapes = [self.shape(branch) for branch in branches]
        known = [item for item in shapes if item.enum is not None]
        plain = [item for item in shapes if item.enum is None]
        if len(known) != 1 or len(plain) != 1:
            return None
        other = plain[0]
        if other.types != frozenset({"string"}) or other.format or other.limits or other.properties:
            return None
        return replace(known[0], types=frozenset({"string"}), enum_open=True, description=None)


def _names(required: Any) -> list[str]:
    """The names a schema's `required` lists (`required: true` is a parameter's flag, not a list)."""
    return [name for name in required if isinstance(name, str)] if isinstance(required, list) else []


def _json_type(value: Any) -> str:
    """The JSON Schema type of a JSON value (`True` is a boolean, not an integer)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _limits(node: dict[str, Any]) -> dict[str, Any]:
    limits = {key: node[key] for key in LIMITS if key in node and not isinstance(node[key], bool)}
    if limits.get("pattern") == "":
        del limits["pattern"]  # an empty pattern matches every string: no constraint at all
    if node.get("uniqueItems") is True:
        limits["uniqueItems"] = 1
    # OpenAPI 3.0 spells an exclusive bound as a boolean next to minimum/maximum.
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if node.get(exclusive) is True and bound in limits:
            limits[exclusive] = limits.pop(bound)
    return limits


def _merge(base: Shape, extra: Shape, *, keep_nullable: bool = True) -> Shape:
    """Combine two shapes that both apply (allOf members, a `$ref` with siblings)."""
    if base.types is None:
        types = extra.types
    elif extra.types is None:
        types = base.types
    else:
        types = base.types & extra.types
        if not types and {"integer", "number"} <= base.types | extra.types:
            types = frozenset({"integer"})
    return Shape(
        types=types,
        nullable=base.nullable if keep_nullable and base.nullable else extra.nullable or base.nullable,
        format=base.format or extra.format,
        enum=base.enum if base.enum is not None else extra.enum,
        enum_open=base.enum_open or extra.enum_open,
        properties={**extra.properties, **base.properties},
        required=base.required | extra.required,
        additional=_merge_additional(base.additional, extra.additional),
        items=base.items if base.items is not None else extra.items,
        variants=base.variants or extra.variants,
        limits={**extra.limits, **base.limits},
        description=base.description if base.description is not None else extra.description,
        deprecated=base.deprecated or extra.deprecated,
        examples=base.examples if base.examples is not None else extra.examples,
        read_only=base.read_only or extra.read_only,
        write_only=base.write_only or extra.write_only,
        external_ref=base.external_ref or extra.external_ref,
        default=base.default if base.default is not None else extra.default,
        keywords={**extra.keywords, **base.keywords},
        prefix_items=base.prefix_items or extra.prefix_items,
        dependent_required=base.dependent_required | extra.dependent_required,
        discriminator=base.discriminator if base.discriminator is not None else extra.discriminator,
    )


def _merge_additional(base: Node, extra: Node) -> Node:
    if base is False or extra is False:
        return False
    return base if base is not None else extra
