"""Comparing two schemas in the direction their data flows, memoised so shared components are diffed once.

`Direction.request` data flows to the API: stricter breaks clients. `Direction.response` data (responses
and webhook payloads) flows to the client: less or looser data breaks clients. Each result is a list
of `Finding`s with paths relative to the compared schema; `operations.py` prefixes the location.
Every rule id is written out in full where it is detected, one literal per direction, so that
`grep -rn request-constraint-tightened generator/diff` finds the code that reports it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from generator.diff.rules import RULES, Direction, opposite
from generator.diff.schema import LIMITS, Node, Resolver, Shape, canonical
from generator.markdown import code_span as code
from generator.spec.model import SCHEMAS_PREFIX, is_pure_ref, ref_of


class Finding(NamedTuple):
    """A change found inside a schema: the rule, the path below the schema root, a message, and
    for a `per_schema` rule the innermost component schema it was found in with the path below
    that component (where it is reported, once, however many operations use the component)."""

    rule: str
    path: tuple[str, ...]
    message: str
    schema: tuple[str, tuple[str, ...]] | None = None


def pick(direction: Direction, request_rule: str, response_rule: str) -> str:
    """The rule id for `direction`, chosen between two ids written out in full."""
    return request_rule if direction is Direction.request else response_rule


_NOT_CUT = 1 << 30


class SchemaDiff:
    """Compares schemas of an old and a new document.

    `SchemaDiff(Resolver(old_model), Resolver(new_model)).compare(old, new, Direction.request)` gives
    `(Finding("request-property-removed", ("user",), "Property `user` was removed."),)` when the
    new request schema lost its `user` property.
    """

    def __init__(self, old: Resolver, new: Resolver) -> None:
        self.old = old
        self.new = new
        self._memo: dict[tuple[int, int, Direction], tuple[Finding, ...]] = {}
        self._depth: dict[tuple[int, int, Direction], int] = {}
        self._cut = _NOT_CUT
        self._visible_memo: dict[tuple[int, int, Direction], tuple[Shape, dict[str, Node]]] = {}

    def compare(self, old: Node, new: Node, direction: Direction) -> tuple[Finding, ...]:
        """The findings between `old` and `new`, reported once at the shallowest point of a cycle."""
        component = _component(new)
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
            found = self._compare((old, self.old.shape(old)), (new, self.new.shape(new)), direction)
            result = tuple(_in_component(found, component))
        finally:
            del self._depth[key]
        # A result computed below a cut cycle lacks what the outer comparison reports; do not reuse it.
        if self._cut >= depth:
            self._memo[key] = result
            self._cut = _NOT_CUT
        return result

    def _compare(
        self, old_pair: tuple[Node, Shape], new_pair: tuple[Node, Shape], direction: Direction
    ) -> list[Finding]:
        old, new = old_pair[1], new_pair[1]
        found: list[Finding] = []
        found.extend(_documentation(old, new))
        if old.external_ref != new.external_ref:
            rule = pick(direction, "request-type-changed", "response-type-changed")
            found.append(Finding(rule, (), _ref_message(old.external_ref, new.external_ref)))
        if bool(old.variants) != bool(new.variants):
            # One schema became a union of several (or the reverse): the single one is one of them.
            found.extend(self._variants(old_pair, new_pair, direction))
            return found
        found.extend(_types(old, new, direction))
        if old.types is not None and new.types is not None and old.types and not old.types & new.types:
            # Unrelated types: comparing their properties or items would only add noise.
            return found
        found.extend(_nullability(old, new, direction))
        found.extend(_format(old, new, direction))
        found.extend(_enum(old, new, direction))
        found.extend(_limits(old, new, direction))
        found.extend(_default(old, new, direction))
        found.extend(_dependent_required(old, new, direction))
        found.extend(self._properties(old, new, direction))
        found.extend(self._additional(old, new, direction))
        if old.items is not None and new.items is not None:
            found.extend(_below("[]", self.compare(old.items, new.items, direction)))
        found.extend(self._prefix_items(old, new, direction))
        found.extend(self._keywords(old, new, direction))
        found.extend(_discriminator(old, new, direction))
        found.extend(self._variants(old_pair, new_pair, direction))
        return found

    def _visible(self, resolver: Resolver, shape: Shape, direction: Direction) -> dict[str, Node]:
        """The properties that are data in `direction`: `readOnly` ones never travel to the API,
        `writeOnly` ones never come back."""
        key = (id(resolver), id(shape), direction)
        memo = self._visible_memo.get(key)
        if memo is not None:
            return memo[1]
        hidden = "readOnly" if direction is Direction.request else "writeOnly"
        visible = {name: node for name, node in shape.properties.items() if not _flag(resolver, node, hidden)}
        # The memo holds the shape too, so its id cannot be reused by another shape meanwhile.
        self._visible_memo[key] = (shape, visible)
        return visible

    def _properties(self, old: Shape, new: Shape, direction: Direction) -> list[Finding]:
        found: list[Finding] = []
        was_visible = self._visible(self.old, old, direction)
        now_visible = self._visible(self.new, new, direction)
        hidden = (old.properties.keys() - was_visible.keys()) | (new.properties.keys() - now_visible.keys())
        for name in sorted(was_visible.keys() | now_visible.keys()):
            was, now = was_visible.get(name), now_visible.get(name)
            path = (name,)
            if now is None:
                rule = pick(direction, "request-property-removed", "response-property-removed")
                found.append(Finding(rule, path, f"Property {code(name)} was removed."))
            elif was is None:
                if direction is Direction.response:
                    found.append(
                        Finding("response-property-added", path, f"Property {code(name)} was added.")
                    )
                elif name in new.required:
                    msg = f"Required property {code(name)} was added."
                    found.append(Finding("request-property-added-required", path, msg))
                else:
                    msg = f"Optional property {code(name)} was added."
                    found.append(Finding("request-property-added-optional", path, msg))
            else:
                found.extend(_required(name, old, new, direction))
                found.extend(_below(name, self.compare(was, now, direction)))
        # `required` may name properties it does not define (under `then`, in an `allOf` member).
        undefined = (old.required ^ new.required) - old.properties.keys() - new.properties.keys() - hidden
        for name in sorted(undefined):
            found.extend(_required(name, old, new, direction))
        return found

    def _additional(self, old: Shape, new: Shape, direction: Direction) -> list[Finding]:
        was_closed, now_closed = old.additional is False, new.additional is False
        if not was_closed and now_closed:
            rule = pick(
                direction, "request-additional-properties-closed", "response-additional-properties-closed"
            )
            return [Finding(rule, (), "Unknown properties are no longer allowed.")]
        if was_closed and not now_closed:
            rule = pick(
                direction, "request-additional-properties-opened", "response-additional-properties-opened"
            )
            return [Finding(rule, (), "Unknown properties are now allowed.")]
        if isinstance(old.additional, dict) and isinstance(new.additional, dict):
            return _below("{}", self.compare(old.additional, new.additional, direction))
        return []

    def _prefix_items(self, old: Shape, new: Shape, direction: Direction) -> list[Finding]:
        """`prefixItems` by position: a new position constrains more, a dropped one less."""
        found: list[Finding] = []
        for index in range(max(len(old.prefix_items), len(new.prefix_items))):
            segment = f"<prefixItems>[{index}]"
            if index >= len(new.prefix_items):
                rule = pick(direction, "request-constraint-loosened", "response-constraint-loosened")
                found.append(Finding(rule, (segment,), "The item schema at this position was removed."))
            elif index >= len(old.prefix_items):
                rule = pick(direction, "request-constraint-tightened", "response-constraint-tightened")
                found.append(Finding(rule, (segment,), "An item schema was added at this position."))
            else:
                found.extend(
                    _below(segment, self.compare(old.prefix_items[index], new.prefix_items[index], direction))
                )
        return found

    def _keywords(self, old: Shape, new: Shape, direction: Direction) -> list[Finding]:
        """`contains`, `if`/`then`/`else`, `not`, `patternProperties`, ...: added or removed is a
        tighter or looser schema; a change inside one is found like any other, and located below it."""
        found: list[Finding] = []
        for key in sorted(old.keywords.keys() | new.keywords.keys()):
            was, now = old.keywords.get(key), new.keywords.get(key)
            keyword, _, name = key.partition("/")
            segment = f"<{keyword}>[{name}]" if name else f"<{keyword}>"
            if keyword == "if":
                found.extend(self._condition(segment, was, now, direction))
                continue
            if was is None or now is None or isinstance(was, bool) or isinstance(now, bool):
                change = _presence(was, now)
                if change is None:
                    continue
                # Adding or dropping `not` itself is a constraint like any other; only inside it flips.
                rule = (
                    pick(direction, "request-constraint-tightened", "response-constraint-tightened")
                    if change == "tighter"
                    else pick(direction, "request-constraint-loosened", "response-constraint-loosened")
                )
                found.append(Finding(rule, (segment,), _presence_message(keyword, was, now)))
                continue
            inner = self.compare(was, now, direction)
            if keyword == "not":  # `not` excludes what its schema allows: tighter inside is looser outside
                inner = tuple(finding._replace(rule=opposite(finding.rule)) for finding in inner)
            found.extend(_below(segment, inner))
        return found

    def _condition(self, segment: str, was: Node, now: Node, direction: Direction) -> list[Finding]:
        """A changed `if` moves which data `then` and `else` apply to: neither looser nor tighter."""
        if was is None and now is None:
            return []
        if was is not None and now is not None and not self.compare(was, now, direction):
            return []
        rule = pick(direction, "request-condition-changed", "response-condition-changed")
        return [Finding(rule, (segment,), "The condition of `then`/`else` changed.")]

    def _variants(
        self, old_pair: tuple[Node, Shape], new_pair: tuple[Node, Shape], direction: Direction
    ) -> list[Finding]:
        """Match anyOf/oneOf branches by component name or title, then by position, and compare pairs.

        A schema without branches counts as a union of itself, so `X` becoming `oneOf: [X, Y]` is one
        added variant, not every property of `X` removed.
        """
        (old_node, old), (new_node, new) = old_pair, new_pair
        if not old.variants and not new.variants:
            return []
        old_variants = old.variants or (old_node,)
        new_variants = new.variants or (new_node,)
        old_keys = [_variant_key(node, index) for index, node in enumerate(old_variants)]
        new_keys = [_variant_key(node, index) for index, node in enumerate(new_variants)]
        pairs: list[tuple[Node, Node]] = []
        unmatched_old = [i for i, key in enumerate(old_keys) if key not in new_keys]
        unmatched_new = [i for i, key in enumerate(new_keys) if key not in old_keys]
        for i, key in enumerate(old_keys):
            if key in new_keys:
                pairs.append((old_variants[i], new_variants[new_keys.index(key)]))
        if not old.variants or not new.variants:
            # The single schema is the branch most like it; the others were added (or removed).
            unmatched_old, unmatched_new = self._closest(
                old_variants, new_variants, unmatched_old, unmatched_new, pairs, direction
            )
        # Renamed components keep their position; pair what is left one to one.
        while unmatched_old and unmatched_new:
            pairs.append((old_variants[unmatched_old.pop(0)], new_variants[unmatched_new.pop(0)]))
        found: list[Finding] = []
        for i in unmatched_old:
            rule = pick(direction, "request-variant-removed", "response-variant-removed")
            found.append(Finding(rule, (), f"Variant {code(old_keys[i])} was removed."))
        for i in unmatched_new:
            rule = pick(direction, "request-variant-added", "response-variant-added")
            found.append(Finding(rule, (), f"Variant {code(new_keys[i])} was added."))
        for was, now in pairs:
            found.extend(self.compare(was, now, direction))
        return found

    def _closest(
        self,
        old_variants: tuple[Node, ...],
        new_variants: tuple[Node, ...],
        unmatched_old: list[int],
        unmatched_new: list[int],
        pairs: list[tuple[Node, Node]],
        direction: Direction,
    ) -> tuple[list[int], list[int]]:
        if pairs or not unmatched_old or not unmatched_new:
            return unmatched_old, unmatched_new
        candidates = [
            (len(self.compare(old_variants[i], new_variants[j], direction)), i, j)
            for i in unmatched_old
            for j in unmatched_new
        ]
        _, i, j = min(candidates)
        pairs.append((old_variants[i], new_variants[j]))
        return [k for k in unmatched_old if k != i], [k for k in unmatched_new if k != j]


def _presence_message(keyword: str, was: Node, now: Node) -> str:
    if was is None:
        return f"{code(keyword)} was added."
    if now is None:
        return f"{code(keyword)} was removed."
    return f"{code(keyword)} changed from {code(canonical(was))} to {code(canonical(now))}."


def _presence(was: Node, now: Node) -> str | None:
    """Whether a one-schema keyword going from `was` to `now` (None when absent) is tighter or looser."""

    def allows_all(node: Node) -> bool:
        return node is None or node is True or node == {}

    if (allows_all(was) and allows_all(now)) or (isinstance(was, bool) and was is now):
        return None
    if now is False or allows_all(was):
        return "tighter"
    if was is False or allows_all(now):
        return "looser"
    return "tighter"


def _flag(resolver: Resolver, node: Node, flag: str) -> bool:
    shape = resolver.shape(resolver.target(node))
    return shape.read_only if flag == "readOnly" else shape.write_only


def _variant_key(node: Node, index: int) -> str:
    if isinstance(node, dict):
        ref = ref_of(node)
        if ref is not None:
            return ref.rsplit("/", 1)[-1]
        if isinstance(node.get("title"), str):
            return str(node["title"])
    return f"#{index + 1}"


def _below(segment: str, findings: tuple[Finding, ...]) -> list[Finding]:
    return [finding._replace(path=(segment, *finding.path)) for finding in findings]


def _component(node: Node) -> str | None:
    """The component schema a pure `$ref` names, or None."""
    ref = ref_of(node) if is_pure_ref(node) else None
    if ref is not None and ref.startswith(SCHEMAS_PREFIX) and "/" not in ref[len(SCHEMAS_PREFIX) :]:
        return ref[len(SCHEMAS_PREFIX) :]
    return None


def _in_component(found: list[Finding], component: str | None) -> list[Finding]:
    """Findings of `per_schema` rules not yet placed in a component are placed in this one."""
    if component is None:
        return found
    return [
        finding._replace(schema=(component, finding.path))
        if finding.schema is None and RULES[finding.rule].per_schema
        else finding
        for finding in found
    ]


def _ref_message(old: str | None, new: str | None) -> str:
    return f"The schema changed from {code(old or 'an inline schema')} to {code(new or 'an inline schema')}."


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
    if new.nullable:
        return [
            Finding(
                pick(direction, "request-nullable-added", "response-nullable-added"), (), "Now accepts null."
            )
        ]
    rule = pick(direction, "request-nullable-removed", "response-nullable-removed")
    return [Finding(rule, (), "No longer accepts null.")]


def _format(old: Shape, new: Shape, direction: Direction) -> list[Finding]:
    if old.format == new.format:
        return []
    if old.format is None:
        rule = pick(direction, "request-format-added", "response-format-added")
    elif new.format is None:
        rule = pick(direction, "request-format-removed", "response-format-removed")
    else:
        rule = pick(direction, "request-format-changed", "response-format-changed")
    message = f"The format changed from {_show(old.format)} to {_show(new.format)}."
    return [Finding(rule, (), message)]


def _enum(old: Shape, new: Shape, direction: Direction) -> list[Finding]:
    # An open enum accepts any string, so as a restriction it counts as no enum at all.
    was = None if old.enum_open else old.enum
    now = None if new.enum_open else new.enum
    if was is None and now is not None:
        rule = pick(direction, "request-enum-added", "response-enum-added")
        return [Finding(rule, (), f"Values are now limited to {_values(now)}.")]
    if was is not None and now is None:
        state = "an open enum" if new.enum is not None else "no longer an enum"
        rule = pick(direction, "request-enum-removed", "response-enum-removed")
        return [Finding(rule, (), f"Any value is allowed now ({state}).")]
    old_values, new_values = old.enum or frozenset(), new.enum or frozenset()
    found: list[Finding] = []
    added, removed = new_values - old_values, old_values - new_values
    if added:
        rule = pick(direction, "request-enum-value-added", "response-enum-value-added")
        found.append(Finding(rule, (), f"Enum value(s) {_values(added)} added."))
    if removed:
        if direction is Direction.request:
            rule = "request-open-enum-value-removed" if new.enum_open else "request-enum-value-removed"
        else:
            rule = "response-enum-value-removed"
        found.append(Finding(rule, (), f"Enum value(s) {_values(removed)} removed."))
    return found


def _values(values: frozenset[str]) -> str:
    return ", ".join(code(value) for value in sorted(values))


def _limits(old: Shape, new: Shape, direction: Direction) -> list[Finding]:
    found: list[Finding] = []
    for keyword, stricter in LIMITS.items():
        was, now = old.limits.get(keyword), new.limits.get(keyword)
        if was == now:
            continue
        rule = (
            pick(direction, "request-constraint-tightened", "response-constraint-tightened")
            if _is_tighter(stricter, was, now)
            else pick(direction, "request-constraint-loosened", "response-constraint-loosened")
        )
        found.append(Finding(rule, (), f"{code(keyword)} changed from {_show(was)} to {_show(now)}."))
    return found


def _is_tighter(stricter: str, was: Any, now: Any) -> bool:
    if now is None:
        return False
    if was is None or stricter == "any":
        return True
    try:
        if stricter == "multiple":
            # Every multiple of 4 is a multiple of 2: a divisor of the old step accepts more.
            return not (was / now).is_integer()
        return bool(now > was) if stricter == "up" else bool(now < was)
    except (TypeError, ZeroDivisionError, AttributeError):
        return True


def _show(value: Any) -> str:
    return "none" if value is None else code(value)


def _default(old: Shape, new: Shape, direction: Direction) -> list[Finding]:
    if old.default == new.default:
        return []
    rule = pick(direction, "request-default-changed", "response-default-changed")
    return [Finding(rule, (), f"The default changed from {_show(old.default)} to {_show(new.default)}.")]


def _discriminator(old: Shape, new: Shape, direction: Direction) -> list[Finding]:
    """`discriminator` tells typed clients which variant a value is. In a request any change misleads
    them; a response's added discriminator changes nothing for clients that try every variant."""
    if old.discriminator == new.discriminator:
        return []
    if direction is Direction.request:
        rule = "request-discriminator-changed"
    elif old.discriminator is None:
        rule = "response-discriminator-added"
    elif new.discriminator is None:
        rule = "response-discriminator-removed"
    else:
        rule = "response-discriminator-changed"
    message = f"The discriminator changed from {_show(old.discriminator)} to {_show(new.discriminator)}."
    return [Finding(rule, (), message)]


def _dependent_required(old: Shape, new: Shape, direction: Direction) -> list[Finding]:
    found: list[Finding] = []
    for name, other in sorted(new.dependent_required - old.dependent_required):
        rule = pick(direction, "request-constraint-tightened", "response-constraint-tightened")
        message = f"`dependentRequired`: {code(other)} is now required when {code(name)} is present."
        found.append(Finding(rule, (), message))
    for name, other in sorted(old.dependent_required - new.dependent_required):
        rule = pick(direction, "request-constraint-loosened", "response-constraint-loosened")
        message = f"`dependentRequired`: {code(other)} is no longer required when {code(name)} is present."
        found.append(Finding(rule, (), message))
    return found


def _required(name: str, old: Shape, new: Shape, direction: Direction) -> list[Finding]:
    was, now = name in old.required, name in new.required
    if was == now:
        return []
    if now:
        rule = pick(direction, "request-property-became-required", "response-property-became-required")
        return [Finding(rule, (name,), f"Property {code(name)} is now required.")]
    rule = pick(direction, "request-property-became-optional", "response-property-became-optional")
    return [Finding(rule, (name,), f"Property {code(name)} is now optional.")]
