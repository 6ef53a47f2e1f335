"""The registry of every rule the spec diff applies: its id, its level and why it has that level.

`RULES.md` next to this module documents the same rules as one table; `tests/diff/test_rules.py`
checks that the two agree, so the table a reviewer reads is the table the code runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """How a change affects an existing client, worst first."""

    breaking = "breaking"
    non_breaking = "non-breaking"
    info = "info"

    @property
    def rank(self) -> int:
        """Sort key that puts breaking changes first."""
        return list(Level).index(self)


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of change: `Rule("operation-removed", Level.breaking, "Clients still call it.")`."""

    id: str
    level: Level
    why: str


_B, _N, _I = Level.breaking, Level.non_breaking, Level.info

_ALL: tuple[Rule, ...] = (
    # Operations and webhooks.
    Rule("operation-removed", _B, "Clients still call it and get a 404/405."),
    Rule("operation-added", _N, "Existing clients do not call it."),
    Rule("operation-id-changed", _I, "Not on the wire; the Python API part reports renamed methods."),
    Rule("description-changed", _I, "Descriptions and summaries are documentation only."),
    Rule("example-changed", _I, "Examples are documentation only."),
    Rule("deprecated-changed", _I, "Deprecation warns; the operation or field still works."),
    Rule("webhook-removed", _B, "Clients lose an event they handle; the API gives less."),
    Rule("webhook-added", _N, "The API gives more; clients ignore events they do not know."),
    # Parameters (always flow to the API).
    Rule("parameter-removed", _B, "Clients still send it; the API may reject or ignore it."),
    Rule("parameter-added-required", _B, "Existing clients do not send it."),
    Rule("parameter-added-optional", _N, "Existing clients may leave it out."),
    Rule("parameter-became-required", _B, "Clients that leave it out are now rejected."),
    Rule("parameter-became-optional", _N, "The request got looser."),
    Rule("path-parameter-renamed", _I, "The name of a path parameter is not on the wire."),
    Rule(
        "parameter-style-changed", _B, "Clients serialise arrays and objects the way the API no longer reads."
    ),
    Rule("parameter-became-array", _N, "A form-exploded query or cookie value of one item is still valid."),
    # Security (requirements flow with every request).
    Rule("security-requirement-added", _B, "Clients that lack the new credential are rejected."),
    Rule("security-scope-added", _B, "Tokens without the new scope are rejected."),
    Rule("security-alternative-removed", _B, "Clients using that way of authenticating are rejected."),
    Rule("security-requirement-relaxed", _N, "Every credential clients send is still accepted."),
    Rule(
        "security-scheme-changed", _B, "Clients send the credential where or how the API no longer reads it."
    ),
    # Request bodies.
    Rule("request-body-added-required", _B, "Existing clients send no body."),
    Rule("request-body-added-optional", _N, "Existing clients may send no body."),
    Rule("request-body-removed", _B, "Clients still send a body the API no longer describes."),
    Rule("request-body-became-required", _B, "Clients that send no body are now rejected."),
    Rule("request-body-became-optional", _N, "The request got looser."),
    Rule("request-media-type-removed", _B, "Clients sending that content type are rejected."),
    Rule("request-media-type-added", _N, "Clients keep using the types they know."),
    Rule(
        "media-type-renamed",
        _I,
        "Same family (`application/json` and `+json`) or a wildcard: the data is unchanged.",
    ),
    # Responses and webhook payloads (flow to the client).
    Rule("response-removed", _B, "Clients typed on that status lose it."),
    Rule("response-added", _N, "The API documents more outcomes."),
    Rule("response-body-removed", _B, "Clients that read the body get nothing."),
    Rule("response-body-added", _N, "The API gives more."),
    Rule("response-header-removed", _B, "Clients reading the header find it missing."),
    Rule("response-header-added", _N, "The API gives more."),
    Rule("response-media-type-removed", _B, "Clients reading that content type get something else."),
    Rule("response-media-type-added", _N, "The API gives more."),
    # Schemas in requests: stricter breaks, looser does not.
    Rule("request-property-removed", _B, "Clients still send it; the API may reject it."),
    Rule("request-property-added-required", _B, "Existing clients do not send it."),
    Rule("request-property-added-optional", _N, "Existing clients may leave it out."),
    Rule("request-property-became-required", _B, "Clients that leave it out are rejected."),
    Rule("request-property-became-optional", _N, "The request got looser."),
    Rule("request-type-narrowed", _B, "Some values clients send are no longer accepted."),
    Rule("request-type-widened", _N, "Everything clients send is still accepted."),
    Rule("request-type-changed", _B, "Values clients send are no longer accepted."),
    Rule("request-nullable-removed", _B, "Clients sending null are rejected."),
    Rule("request-nullable-added", _N, "The request got looser."),
    Rule("request-format-added", _B, "Values clients send may not match the new format."),
    Rule("request-format-changed", _B, "Values clients send may not match the new format."),
    Rule("request-format-removed", _N, "The request got looser."),
    Rule("request-enum-value-removed", _B, "Clients sending that value are rejected."),
    Rule("request-enum-value-added", _N, "Everything clients send is still accepted."),
    Rule("request-open-enum-value-removed", _N, "The enum is open: the value is still accepted."),
    Rule("request-enum-added", _B, "Only the listed values are accepted now."),
    Rule("request-enum-removed", _N, "Any value is accepted now."),
    Rule("request-constraint-tightened", _B, "Values inside the old limits may be rejected."),
    Rule("request-constraint-loosened", _N, "Everything clients send is still accepted."),
    Rule("request-additional-properties-closed", _B, "Clients sending extra keys are rejected."),
    Rule("request-additional-properties-opened", _N, "The request got looser."),
    Rule("request-variant-removed", _B, "Clients sending that shape are rejected."),
    Rule("request-variant-added", _N, "Everything clients send is still accepted."),
    Rule("request-default-changed", _B, "Clients that leave the value out get another behaviour."),
    Rule(
        "request-discriminator-changed",
        _B,
        "Clients tag their variant by a property the API no longer reads.",
    ),
    Rule("request-condition-changed", _B, "`then`/`else` now apply to other requests than before."),
    # Schemas in responses and webhook payloads: less or looser data breaks, more does not.
    Rule("response-property-removed", _B, "Clients reading it find it missing."),
    Rule("response-property-added", _N, "The API gives more, even when it is required."),
    Rule("response-property-became-optional", _B, "Clients reading it may find it missing."),
    Rule("response-property-became-required", _N, "The API gives more."),
    Rule("response-type-narrowed", _N, "Clients already handle every value the API sends."),
    Rule("response-type-changed", _B, "Clients may receive values of a type they do not handle."),
    Rule("response-nullable-added", _B, "Clients may receive a null they do not handle."),
    Rule("response-nullable-removed", _N, "The API gives stricter data."),
    Rule("response-format-added", _N, "The API gives stricter data."),
    Rule("response-format-changed", _B, "Clients parsing the old format fail."),
    Rule("response-format-removed", _B, "Clients parsing the old format may fail."),
    Rule("response-enum-value-added", _B, "Typed clients fail on a value they do not know."),
    Rule("response-open-enum-value-added", _N, "The enum is marked open: clients accept any string."),
    Rule("response-enum-value-removed", _N, "Clients handle a value that no longer comes."),
    Rule("response-enum-added", _N, "The API gives stricter data."),
    Rule("response-enum-removed", _B, "Typed clients fail on values outside the old enum."),
    Rule("response-constraint-tightened", _N, "The API gives stricter data."),
    Rule("response-constraint-loosened", _B, "Clients may receive values outside the old limits."),
    Rule("response-additional-properties-opened", _B, "Strict clients fail on keys they do not know."),
    Rule("response-additional-properties-closed", _N, "The API gives stricter data."),
    Rule("response-variant-added", _B, "Clients may receive a shape they do not handle."),
    Rule("response-variant-removed", _N, "Clients handle a shape that no longer comes."),
    Rule(
        "response-default-changed",
        _N,
        "The API still sends every value; only what an absent one means is documented anew.",
    ),
    Rule("response-discriminator-changed", _B, "Typed clients pick the wrong variant or none."),
    Rule("response-condition-changed", _B, "`then`/`else` now apply to other data than before."),
    # The generated Python API, compared with griffe (one rule per griffe BreakageKind).
    Rule("python-parameter-moved", _B, "Positional calls pass the wrong argument."),
    Rule("python-parameter-removed", _B, "Calls passing it raise TypeError."),
    Rule("python-parameter-changed-kind", _B, "Calls passing it the old way raise TypeError."),
    Rule("python-parameter-changed-default", _B, "Calls relying on the default behave differently."),
    Rule("python-parameter-changed-required", _B, "Calls leaving it out raise TypeError."),
    Rule("python-parameter-added-required", _B, "Calls leaving it out raise TypeError."),
    Rule("python-return-changed-type", _B, "Code using the result may fail type checks or at runtime."),
    Rule("python-object-removed", _B, "Imports and uses of it fail."),
    Rule("python-object-changed-kind", _B, "Code using it as the old kind fails."),
    Rule("python-attribute-changed-type", _B, "Code using the attribute may fail type checks."),
    Rule("python-class-removed-base", _B, "isinstance checks and inherited members break."),
    Rule("python-attribute-changed-value", _B, "Code relying on the old value behaves differently."),
    Rule("python-function-added", _N, "A new public function or method; nothing existing changes."),
    # Annotations, which griffe does not compare.
    Rule("python-parameter-changed-type", _B, "Calls passing the old type fail type checks or validation."),
    Rule("python-parameter-type-widened", _N, "Every value callers pass is still accepted."),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _ALL}


def level_of(rule_id: str) -> Level:
    """The level of `rule_id`; an unknown id is a bug in the differ, so it raises `KeyError`."""
    return RULES[rule_id].level
