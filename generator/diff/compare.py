"""Comparing two schemas in the direction their data flows, memoised so shared components are diffed once.

`Direction.request` data flows to the API: stricter breaks clients. `Direction.response` data (responses
and webhook payloads) flows to the client: less or looser data breaks clients. Each result is a list
of `Finding`s with paths relative to the compared schema; `operations.py` prefixes the location.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple

from generator.diff.schema import LIMITS, Node, Resolver, Shape


class Direction(StrEnum):
    """Which way the data described by a schema flows."""

    request = "request"
    response = "response"


class Finding(NamedTuple):
    """A change found inside a schema: the rule, the path below the schema root, a message."""

    rule: str
    path: tuple[str, ...]
    message: str


_NOT_CUT = 1 << 30


class SchemaDiff:
    """Compares schemas of an old and a new document.

    >>> SchemaDiff(Resolver(old_doc), Resolver(new_doc)).compare(old_schema, new_schema, Direction.request)
    [Finding(rule='request-property-removed', path=('user',), message='Property `user` was removed.')]
    """

    def __init__(self, old: Resolver, new: Resolver) -> None:
        self.old = old
        self.new = new
        self._memo: dict[tuple[int, int, Direction], tuple[Finding, ...]] = {}
        self._depth: dict[tuple[int, int, Direction], int] = {}
        self._cut = _NOT_CUT

    def compare(self, old: Node, new: Node, direction: Direction) -> tuple[Finding, ...]:
        """The findings between `old` and `new`, reported once at the shallowest point of a cycle."""
        old, new = self.old.target(old), self.new.target(new)
        key = (id(old), id(new), direction)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        depth = self._depth.get(key)
        if depth is not None:
            # A recursive schema: the outer comparison of this pair reports everything once.
            self._cut = min(self._cut, depth)
            return ()
        depth = len(self._depth)
        self._depth[key] = depth
        try:
            result = tuple(self._compare(self.old.shape(old), self.new.shape(new), direction))
        finally:
            del self._depth[key]
        # A result computed below a cut cycle lacks what the outer comparison reports; do not reuse it.
        if self._cut >= depth:
            self._memo[key] = result
            self._cut = _NOT_CUT
        return result

    def _compare(self, old: Shape, new: Shape, direction: Direction) -> list[Finding]:
        found: list[Finding] = []
        d = direction.value
        found.extend(_documentation(old, new))
        if old.external_ref != new.external_ref:
            found.append(Finding(f"{d}-type-changed", (), _ref_message(old.external_ref, new.external_ref)))
        found.extend(_types(old, new, direction))
        if old.types is not None and new.types is not None and old.types and not old.types & new.types:
            # Unrelated types: comparing their properties or items would only add noise.
            return found
        found.extend(_nullability(old, new, direction))
        found.extend(_format(old, new, direction))
        found.extend(_enum(old, new, direction))
        found.extend(_limits(old, new, direction))
        found.extend(self._properties(old, new, direction))
        found.extend(self._additional(old, new, direction))
        if old.items is not None and new.items is not None:
            found.extend(_below("[]", self.compare(old.items, new.items, direction)))
        found.extend(self._variants(old, new, direction))
        return found

    def _properties(self, old: Shape, new: Shape, direction: Direction) -> list[Finding]:
        found: list[Finding] = []
        d = direction.value
        hidden = "readOnly" if direction is Direction.request else "writeOnly"
        for name in sorted(old.properties.keys() | new.properties.keys()):
            was, now = old.properties.get(name), new.properties.get(name)
            if (was is not None and _flag(self.old, was, hidden)) or (
                now is not None and _flag(self.new, now, hidden)
            ):
                continue
            path = (name,)
            if now is None:
                found.append(Finding(f"{d}-property-removed", path, f"Property `{name}` was removed."))
            elif was is None:
                if direction is Direction.response:
                    found.append(Finding("response-property-added", path, f"Property `{name}` was added."))
                elif name in new.required:
                    msg = f"Required property `{name}` was added."
                    found.append(Finding("request-property-added-required", path, msg))
                else:
                    msg = f"Optional property `{name}` was added."
                    found.append(Finding("request-property-added-optional", path, msg))
            else:
                found.extend(_required(name, old, new, direction))
                found.extend(_below(name, self.compare(was, now, direction)))
        return found

    def _additional(self, old: Shape, new: Shape, direction: Direction) -> list[Finding]:
        d = direction.value
        was_closed, now_closed = old.additional is False, new.additional is False
        if not was_closed and now_closed:
            return [
                Finding(f"{d}-additional-properties-closed", (), "Unknown properties are no longer allowed.")
            ]
        if was_closed and not now_closed:
            return [Finding(f"{d}-additional-properties-opened", (), "Unknown properties are now allowed.")]
        if isinstance(old.additional, dict) and isinstance(new.additional, dict):
            return _below("{}", self.compare(old.additional, new.additional, direction))
        return []

    def _variants(self, old: Shape, new: Shape, direction: Direction) -> list[Finding]:
        """Match anyOf/oneOf branches by component name or title, then by position, and compare pairs."""
        if not old.variants and not new.variants:
            return []
        d = direction.value
        old_keys = [_variant_key(node, index) for index, node in enumerate(old.variants)]
        new_keys = [_variant_key(node, index) for index, node in enumerate(new.variants)]
        pairs: list[tuple[Node, Node]] = []
        unmatched_old = [i for i, key in enumerate(old_keys) if key not in new_keys]
        unmatched_new = [i for i, key in enumerate(new_keys) if key not in old_keys]
        for i, key in enumerate(old_keys):
            if key in new_keys:
                pairs.append((old.variants[i], new.variants[new_keys.index(key)]))
        # Renamed components keep their position; pair what is left one to one.
        while unmatched_old and unmatched_new:
            pairs.append((old.variants[unmatched_old.pop(0)], new.variants[unmatched_new.pop(0)]))
        found: list[Finding] = []
        for i in unmatched_old:
            found.append(Finding(f"{d}-variant-removed", (), f"Variant `{old_keys[i]}` was removed."))
        for i in unmatched_new:
            found.append(Finding(f"{d}-variant-added", (), f"Variant `{new_keys[i]}` was added."))
        for was, now in pairs:
            found.extend(self.compare(was, now, direction))
        return found


def _flag(resolver: Resolver, node: Node, flag: str) -> bool:
    shape = resolver.shape(resolver.target(node))
    return shape.read_only if flag == "readOnly" else shape.write_only


def _variant_key(node: Node, index: int) -> str:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            return ref.rsplit("/", 1)[-1]
        if isinstance(node.get("title"), str):
            return str(node["title"])
    return f"#{index + 1}"


def _below(segment: str, findings: tuple[Finding, ...]) -> list[Finding]:
    return [Finding(rule, (segment, *path), message) for rule, path, message in findings]


def _ref_message(old: str | None, new: str | None) -> str:
    return f"The schema changed from `{old or 'an inline schema'}` to `{new or 'an inline schema'}`."


def _documentation(old: Shape, new: Shape) -> list[Finding]:
    found: list[Finding] = []
    if old.description != new.description:
        found.append(Finding("description-changed", (), "The description changed."))
    if old.examples != new.examples:
        found.append(Finding("example-changed", (), "The example changed."))
    if old.deprecated != new.deprecated:
        state = "deprecated" if new.deprecated else "no longer deprecated"
        found.append(Finding("deprecated-changed", (), f"Now {state}."))
    return found


def _covers(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    """Whether every value of the types `narrow` is also a value of the types `wide`."""
    return all(name in wide or (name == "integer" and "number" in wide) for name in narrow)


def _describe(types: frozenset[str] | None) -> str:
    return "any type" if types is None else " | ".join(sorted(types)) or "null"


def _types(old: Shape, new: Shape, direction: Direction) -> list[Finding]:
    if old.types == new.types:
        return []
    message = f"The type changed from {_describe(old.types)} to {_describe(new.types)}."
    widened = new.types is None or (old.types is not None and _covers(new.types, old.types))
    narrowed = old.types is None or (new.types is not None and _covers(old.types, new.types))
    if direction is Direction.request:
        rule = (
            "request-type-widened"
            if widened
            else "request-type-narrowed"
            if narrowed
            else "request-type-changed"
        )
    else:
        rule = "response-type-narrowed" if narrowed and not widened else "response-type-changed"
    return [Finding(rule, (), message)]


def _nullability(old: Shape, new: Shape, direction: Direction) -> list[Finding]:
    if old.nullable == new.nullable:
        return []
    rule = f"{direction.value}-nullable-{'added' if new.nullable else 'removed'}"
    return [Finding(rule, (), "Now accepts null." if new.nullable else "No longer accepts null.")]


def _format(old: Shape, new: Shape, direction: Direction) -> list[Finding]:
    if old.format == new.format:
        return []
    change = "added" if old.format is None else "removed" if new.format is None else "changed"
    message = f"The format changed from {old.format or 'none'} to {new.format or 'none'}."
    return [Finding(f"{direction.value}-format-{change}", (), message)]


def _enum(old: Shape, new: Shape, direction: Direction) -> list[Finding]:
    d = direction.value
    # An open enum accepts any string, so as a restriction it counts as no enum at all.
    was = None if old.enum_open else old.enum
    now = None if new.enum_open else new.enum
    if was is None and now is not None:
        return [Finding(f"{d}-enum-added", (), f"Values are now limited to {_values(now)}.")]
    if was is not None and now is None:
        state = "an open enum" if new.enum is not None else "no longer an enum"
        return [Finding(f"{d}-enum-removed", (), f"Any value is allowed now ({state}).")]
    old_values, new_values = old.enum or frozenset(), new.enum or frozenset()
    found: list[Finding] = []
    added, removed = new_values - old_values, old_values - new_values
    if added:
        if direction is Direction.request:
            rule = "request-enum-value-added"
        else:
            # Clients built from the old spec are what the new values reach: its marker decides.
            rule = "response-open-enum-value-added" if old.enum_open else "response-enum-value-added"
        found.append(Finding(rule, (), f"Enum value(s) {_values(added)} added."))
    if removed:
        if direction is Direction.request:
            rule = "request-open-enum-value-removed" if new.enum_open else "request-enum-value-removed"
        else:
            rule = "response-enum-value-removed"
        found.append(Finding(rule, (), f"Enum value(s) {_values(removed)} removed."))
    return found


def _values(values: frozenset[str]) -> str:
    return ", ".join(f"`{value}`" for value in sorted(values))


def _limits(old: Shape, new: Shape, direction: Direction) -> list[Finding]:
    found: list[Finding] = []
    for keyword, stricter in LIMITS.items():
        was, now = old.limits.get(keyword), new.limits.get(keyword)
        if was == now:
            continue
        tighter = _is_tighter(stricter, was, now)
        rule = f"{direction.value}-constraint-{'tightened' if tighter else 'loosened'}"
        found.append(Finding(rule, (), f"`{keyword}` changed from {_show(was)} to {_show(now)}."))
    return found


def _is_tighter(stricter: str, was: Any, now: Any) -> bool:
    if now is None:
        return False
    if was is None or stricter == "any":
        return True
    try:
        return bool(now > was) if stricter == "up" else bool(now < was)
    except TypeError:
        return True


def _show(value: Any) -> str:
    return "none" if value is None else f"`{value}`"


def _required(name: str, old: Shape, new: Shape, direction: Direction) -> list[Finding]:
    was, now = name in old.required, name in new.required
    if was == now:
        return []
    d = direction.value
    if now:
        return [Finding(f"{d}-property-became-required", (name,), f"Property `{name}` is now required.")]
    return [Finding(f"{d}-property-became-optional", (name,), f"Property `{name}` is now optional.")]
