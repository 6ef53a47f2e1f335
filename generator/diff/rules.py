"""The registry of every rule the spec diff applies, as data: its id, its level and why, what it is
about (`subject`), which way the data it judges flows (`direction`), the rule it turns into under
`not` (`opposite`), the changelog section it belongs to (`section`), and whether it is reported once
per component schema rather than at every use (`per_schema`).

`RULES.md` next to this module documents the same rules as one table; `tests/generator/diff/test_rules.py`
checks that the two agree, so the table a reviewer reads is the table the code runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from generator.diff.policy import response_enums_open


class Level(StrEnum):
    """How a change affects an existing client, worst first."""

    breaking = "breaking"
    non_breaking = "non-breaking"
    info = "info"

    @property
    def rank(self) -> int:
        """Sort key that puts breaking changes first."""
        return list(Level).index(self)


class Direction(StrEnum):
    """Which way the data described by a schema flows: requests to the API, responses to the client."""

    request = "request"
    response = "response"


class Section(StrEnum):
    """The changelog section of a change that is not breaking (breaking ones all go under Breaking)."""

    added = "Added"
    changed = "Changed"
    removed = "Removed"
    documentation = "Documentation"


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of change, e.g. `Rule("operation-removed", Level.breaking, "Clients still call it.",
    "operation", None, Section.removed)`."""

    id: str
    level: Level
    why: str
    subject: str
    direction: Direction | None
    section: Section
    opposite: str | None = None
    per_schema: bool = False


_B, _N, _I = Level.breaking, Level.non_breaking, Level.info

# The generated models read response enums as `Literal[...] | str` (see `policy`): a new value is
# then a string they accept; only clients that check enums strictly break.
_RESPONSE_ENUM = _N if response_enums_open() else _B
_RESPONSE_ENUM_WHY = (
    "The generated field is an open enum (the known values or any `str`) and reads it as a string; "
    "strict clients may break."
    if response_enums_open()
    else "Typed clients fail on a value they do not know."
)

_ALL: tuple[Rule, ...] = (
    Rule(
        "operation-removed",
        _B,
        "Clients still call it and get a 404/405.",
        "operation",
        None,
        Section.removed,
    ),
    Rule("operation-added", _N, "Existing clients do not call it.", "operation", None, Section.added),
    Rule(
        "operation-id-changed",
        _I,
        "Not on the wire; the Python API part reports renamed methods.",
        "operation",
        None,
        Section.changed,
    ),
    Rule(
        "description-changed",
        _I,
        "Descriptions and summaries are documentation only.",
        "documentation",
        None,
        Section.documentation,
    ),
    Rule(
        "example-changed",
        _I,
        "Examples are documentation only.",
        "documentation",
        None,
        Section.documentation,
    ),
    Rule(
        "deprecated-changed",
        _I,
        "Deprecation warns; the operation or field still works.",
        "deprecation",
        None,
        Section.changed,
    ),
    Rule(
        "webhook-removed",
        _B,
        "Clients lose an event they handle; the API gives less.",
        "webhook",
        None,
        Section.removed,
    ),
    Rule(
        "webhook-added",
        _N,
        "The API gives more; clients ignore events they do not know.",
        "webhook",
        None,
        Section.added,
    ),
    Rule(
        "parameter-removed",
        _B,
        "Clients still send it; the API may reject or ignore it.",
        "parameter",
        Direction.request,
        Section.removed,
    ),
    Rule(
        "parameter-added-required",
        _B,
        "Existing clients do not send it.",
        "parameter",
        Direction.request,
        Section.added,
    ),
    Rule(
        "parameter-added-optional",
        _N,
        "Existing clients may leave it out.",
        "parameter",
        Direction.request,
        Section.added,
    ),
    Rule(
        "parameter-became-required",
        _B,
        "Clients that leave it out are now rejected.",
        "parameter",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "parameter-became-optional",
        _N,
        "The request got looser.",
        "parameter",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "path-parameter-renamed",
        _I,
        "The name of a path parameter is not on the wire.",
        "parameter",
        None,
        Section.changed,
    ),
    Rule(
        "parameter-style-changed",
        _B,
        "Clients serialise arrays and objects the way the API no longer reads.",
        "parameter",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "parameter-became-array",
        _N,
        "A form-exploded query or cookie value of one item is still valid.",
        "parameter",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "security-requirement-added",
        _B,
        "Clients that lack the new credential are rejected.",
        "security",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "security-scope-added",
        _B,
        "Tokens without the new scope are rejected.",
        "security",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "security-alternative-removed",
        _B,
        "Clients using that way of authenticating are rejected.",
        "security",
        Direction.request,
        Section.removed,
    ),
    Rule(
        "security-requirement-relaxed",
        _N,
        "Every credential clients send is still accepted.",
        "security",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "security-scheme-changed",
        _B,
        "Clients send the credential where or how the API no longer reads it.",
        "security",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "request-body-added-required",
        _B,
        "Existing clients send no body.",
        "request body",
        Direction.request,
        Section.added,
    ),
    Rule(
        "request-body-added-optional",
        _N,
        "Existing clients may send no body.",
        "request body",
        Direction.request,
        Section.added,
    ),
    Rule(
        "request-body-removed",
        _B,
        "Clients still send a body the API no longer describes.",
        "request body",
        Direction.request,
        Section.removed,
    ),
    Rule(
        "request-body-became-required",
        _B,
        "Clients that send no body are now rejected.",
        "request body",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "request-body-became-optional",
        _N,
        "The request got looser.",
        "request body",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "request-media-type-removed",
        _B,
        "Clients sending that content type are rejected.",
        "media type",
        Direction.request,
        Section.removed,
    ),
    Rule(
        "request-media-type-added",
        _N,
        "Clients keep using the types they know.",
        "media type",
        Direction.request,
        Section.added,
    ),
    Rule(
        "media-type-renamed",
        _I,
        "Same family (`application/json` and `+json`) or a wildcard: the data is unchanged.",
        "media type",
        None,
        Section.changed,
    ),
    Rule(
        "response-removed",
        _B,
        "Clients typed on that status lose it.",
        "response",
        Direction.response,
        Section.removed,
    ),
    Rule(
        "response-added",
        _N,
        "The API documents more outcomes.",
        "response",
        Direction.response,
        Section.added,
    ),
    Rule(
        "response-body-removed",
        _B,
        "Clients that read the body get nothing.",
        "response body",
        Direction.response,
        Section.removed,
    ),
    Rule(
        "response-body-added", _N, "The API gives more.", "response body", Direction.response, Section.added
    ),
    Rule(
        "response-header-removed",
        _B,
        "Clients reading the header find it missing.",
        "header",
        Direction.response,
        Section.removed,
    ),
    Rule("response-header-added", _N, "The API gives more.", "header", Direction.response, Section.added),
    Rule(
        "response-media-type-removed",
        _B,
        "Clients reading that content type get something else.",
        "media type",
        Direction.response,
        Section.removed,
    ),
    Rule(
        "response-media-type-added",
        _N,
        "The API gives more.",
        "media type",
        Direction.response,
        Section.added,
    ),
    Rule(
        "response-media-type-generalised",
        _B,
        "The generated client decodes the old type; the API may now send another type of that range.",
        "media type",
        Direction.response,
        Section.changed,
    ),
    Rule(
        "request-property-removed",
        _B,
        "Clients still send it; the API may reject it.",
        "property",
        Direction.request,
        Section.removed,
    ),
    Rule(
        "request-property-added-required",
        _B,
        "Existing clients do not send it.",
        "property",
        Direction.request,
        Section.added,
    ),
    Rule(
        "request-property-added-optional",
        _N,
        "Existing clients may leave it out.",
        "property",
        Direction.request,
        Section.added,
    ),
    Rule(
        "request-property-became-required",
        _B,
        "Clients that leave it out are rejected.",
        "property",
        Direction.request,
        Section.changed,
        opposite="request-property-became-optional",
    ),
    Rule(
        "request-property-became-optional",
        _N,
        "The request got looser.",
        "property",
        Direction.request,
        Section.changed,
        opposite="request-property-became-required",
    ),
    Rule(
        "request-type-narrowed",
        _B,
        "Some values clients send are no longer accepted.",
        "type",
        Direction.request,
        Section.changed,
        opposite="request-type-widened",
    ),
    Rule(
        "request-type-widened",
        _N,
        "Everything clients send is still accepted.",
        "type",
        Direction.request,
        Section.changed,
        opposite="request-type-narrowed",
    ),
    Rule(
        "request-type-changed",
        _B,
        "Values clients send are no longer accepted.",
        "type",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "request-nullable-removed",
        _B,
        "Clients sending null are rejected.",
        "nullable",
        Direction.request,
        Section.changed,
        opposite="request-nullable-added",
    ),
    Rule(
        "request-nullable-added",
        _N,
        "The request got looser.",
        "nullable",
        Direction.request,
        Section.changed,
        opposite="request-nullable-removed",
    ),
    Rule(
        "request-format-added",
        _B,
        "Values clients send may not match the new format.",
        "format",
        Direction.request,
        Section.changed,
        opposite="request-format-removed",
    ),
    Rule(
        "request-format-changed",
        _B,
        "Values clients send may not match the new format.",
        "format",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "request-format-removed",
        _N,
        "The request got looser.",
        "format",
        Direction.request,
        Section.changed,
        opposite="request-format-added",
    ),
    Rule(
        "request-enum-value-removed",
        _B,
        "Clients sending that value are rejected.",
        "enum",
        Direction.request,
        Section.removed,
        opposite="request-enum-value-added",
    ),
    Rule(
        "request-enum-value-added",
        _N,
        "Everything clients send is still accepted.",
        "enum",
        Direction.request,
        Section.added,
        opposite="request-enum-value-removed",
    ),
    Rule(
        "request-open-enum-value-removed",
        _N,
        "The enum is open: the value is still accepted.",
        "enum",
        Direction.request,
        Section.removed,
    ),
    Rule(
        "request-enum-added",
        _B,
        "Only the listed values are accepted now.",
        "enum",
        Direction.request,
        Section.changed,
        opposite="request-enum-removed",
    ),
    Rule(
        "request-enum-removed",
        _N,
        "Any value is accepted now.",
        "enum",
        Direction.request,
        Section.changed,
        opposite="request-enum-added",
    ),
    Rule(
        "request-constraint-tightened",
        _B,
        "Values inside the old limits may be rejected.",
        "constraint",
        Direction.request,
        Section.changed,
        opposite="request-constraint-loosened",
    ),
    Rule(
        "request-constraint-loosened",
        _N,
        "Everything clients send is still accepted.",
        "constraint",
        Direction.request,
        Section.changed,
        opposite="request-constraint-tightened",
    ),
    Rule(
        "request-additional-properties-closed",
        _B,
        "Clients sending extra keys are rejected.",
        "additional properties",
        Direction.request,
        Section.changed,
        opposite="request-additional-properties-opened",
    ),
    Rule(
        "request-additional-properties-opened",
        _N,
        "The request got looser.",
        "additional properties",
        Direction.request,
        Section.changed,
        opposite="request-additional-properties-closed",
    ),
    Rule(
        "request-variant-removed",
        _B,
        "Clients sending that shape are rejected.",
        "variant",
        Direction.request,
        Section.removed,
        opposite="request-variant-added",
    ),
    Rule(
        "request-variant-added",
        _N,
        "Everything clients send is still accepted.",
        "variant",
        Direction.request,
        Section.added,
        opposite="request-variant-removed",
    ),
    Rule(
        "request-default-changed",
        _B,
        "Clients that leave the value out get another behaviour.",
        "default",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "request-discriminator-changed",
        _B,
        "Clients tag their variant by a property the API no longer reads.",
        "discriminator",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "request-condition-changed",
        _B,
        "`then`/`else` now apply to other requests than before.",
        "condition",
        Direction.request,
        Section.changed,
    ),
    Rule(
        "response-property-removed",
        _B,
        "Clients reading it find it missing.",
        "property",
        Direction.response,
        Section.removed,
    ),
    Rule(
        "response-property-added",
        _N,
        "The API gives more, even when it is required.",
        "property",
        Direction.response,
        Section.added,
    ),
    Rule(
        "response-property-became-optional",
        _B,
        "Clients reading it may find it missing.",
        "property",
        Direction.response,
        Section.changed,
        opposite="response-property-became-required",
    ),
    Rule(
        "response-property-became-required",
        _N,
        "The API gives more.",
        "property",
        Direction.response,
        Section.changed,
        opposite="response-property-became-optional",
    ),
    Rule(
        "response-type-narrowed",
        _N,
        "Clients already handle every value the API sends.",
        "type",
        Direction.response,
        Section.changed,
    ),
    Rule(
        "response-type-changed",
        _B,
        "Clients may receive values of a type they do not handle.",
        "type",
        Direction.response,
        Section.changed,
    ),
    Rule(
        "response-nullable-added",
        _B,
        "Clients may receive a null they do not handle.",
        "nullable",
        Direction.response,
        Section.changed,
        opposite="response-nullable-removed",
    ),
    Rule(
        "response-nullable-removed",
        _N,
        "The API gives stricter data.",
        "nullable",
        Direction.response,
        Section.changed,
        opposite="response-nullable-added",
    ),
    Rule(
        "response-format-added",
        _N,
        "The API gives stricter data.",
        "format",
        Direction.response,
        Section.changed,
        opposite="response-format-removed",
    ),
    Rule(
        "response-format-changed",
        _B,
        "Clients parsing the old format fail.",
        "format",
        Direction.response,
        Section.changed,
    ),
    Rule(
        "response-format-removed",
        _B,
        "Clients parsing the old format may fail.",
        "format",
        Direction.response,
        Section.changed,
        opposite="response-format-added",
    ),
    Rule(
        "response-enum-value-added",
        _RESPONSE_ENUM,
        _RESPONSE_ENUM_WHY,
        "enum",
        Direction.response,
        Section.added,
        opposite="response-enum-value-removed",
        per_schema=True,
    ),
    Rule(
        "response-enum-value-removed",
        _N,
        "Clients handle a value that no longer comes.",
        "enum",
        Direction.response,
        Section.removed,
        opposite="response-enum-value-added",
        per_schema=True,
    ),
    Rule(
        "response-enum-added",
        _N,
        "The API gives stricter data.",
        "enum",
        Direction.response,
        Section.changed,
        opposite="response-enum-removed",
    ),
    Rule(
        "response-enum-removed",
        _N,
        "The generated field already accepts any string (open enums).",
        "enum",
        Direction.response,
        Section.changed,
        opposite="response-enum-added",
    ),
    Rule(
        "response-constraint-tightened",
        _N,
        "The API gives stricter data.",
        "constraint",
        Direction.response,
        Section.changed,
        opposite="response-constraint-loosened",
    ),
    Rule(
        "response-constraint-loosened",
        _B,
        "The generated models check the old limits (`Field(max_length=...)`) on what they read.",
        "constraint",
        Direction.response,
        Section.changed,
        opposite="response-constraint-tightened",
    ),
    Rule(
        "response-additional-properties-opened",
        _N,
        "The generated models never reject keys they do not know.",
        "additional properties",
        Direction.response,
        Section.changed,
        opposite="response-additional-properties-closed",
    ),
    Rule(
        "response-additional-properties-closed",
        _N,
        "The API gives stricter data.",
        "additional properties",
        Direction.response,
        Section.changed,
        opposite="response-additional-properties-opened",
    ),
    Rule(
        "response-variant-added",
        _N,
        "The generated client reads an unknown shape without raising (an unknown webhook, extra keys "
        "kept); strict clients may break.",
        "variant",
        Direction.response,
        Section.added,
        opposite="response-variant-removed",
    ),
    Rule(
        "response-variant-removed",
        _N,
        "Clients handle a shape that no longer comes.",
        "variant",
        Direction.response,
        Section.removed,
        opposite="response-variant-added",
    ),
    Rule(
        "response-default-changed",
        _N,
        "The API still sends every value; only what an absent one means is documented anew.",
        "default",
        Direction.response,
        Section.changed,
    ),
    Rule(
        "response-discriminator-added",
        _N,
        "Clients built without it still try each variant, as before.",
        "discriminator",
        Direction.response,
        Section.changed,
        opposite="response-discriminator-removed",
    ),
    Rule(
        "response-discriminator-removed",
        _B,
        "Clients pick the variant by a property the API no longer promises to send.",
        "discriminator",
        Direction.response,
        Section.changed,
        opposite="response-discriminator-added",
    ),
    Rule(
        "response-discriminator-changed",
        _B,
        "A tag now names another variant, or another property tags them: clients read the wrong model.",
        "discriminator",
        Direction.response,
        Section.changed,
    ),
    Rule(
        "response-condition-changed",
        _B,
        "`then`/`else` now apply to other data than before.",
        "condition",
        Direction.response,
        Section.changed,
    ),
    Rule(
        "python-parameter-moved",
        _B,
        "Positional calls pass the wrong argument.",
        "python",
        None,
        Section.changed,
    ),
    Rule(
        "python-parameter-removed", _B, "Calls passing it raise TypeError.", "python", None, Section.removed
    ),
    Rule(
        "python-parameter-changed-kind",
        _B,
        "Calls passing it the old way raise TypeError.",
        "python",
        None,
        Section.changed,
    ),
    Rule(
        "python-parameter-changed-default",
        _B,
        "Calls relying on the default behave differently.",
        "python",
        None,
        Section.changed,
    ),
    Rule(
        "python-parameter-changed-required",
        _B,
        "Calls leaving it out raise TypeError.",
        "python",
        None,
        Section.changed,
    ),
    Rule(
        "python-parameter-added-required",
        _B,
        "Calls leaving it out raise TypeError.",
        "python",
        None,
        Section.changed,
    ),
    Rule(
        "python-return-changed-type",
        _B,
        "Code using the result may fail type checks or at runtime.",
        "python",
        None,
        Section.changed,
    ),
    Rule("python-object-removed", _B, "Imports and uses of it fail.", "python", None, Section.removed),
    Rule(
        "python-object-changed-kind",
        _B,
        "Code using it as the old kind fails.",
        "python",
        None,
        Section.changed,
    ),
    Rule(
        "python-attribute-changed-type",
        _B,
        "Code using the attribute may fail type checks.",
        "python",
        None,
        Section.changed,
    ),
    Rule(
        "python-class-removed-base",
        _B,
        "isinstance checks and inherited members break.",
        "python",
        None,
        Section.changed,
    ),
    Rule(
        "python-attribute-changed-value",
        _B,
        "Code relying on the old value behaves differently.",
        "python",
        None,
        Section.changed,
    ),
    Rule(
        "python-function-added",
        _N,
        "A new public function or method; nothing existing changes.",
        "python",
        None,
        Section.added,
    ),
    Rule(
        "python-parameter-changed-type",
        _B,
        "Calls passing the old type fail type checks or validation.",
        "python",
        None,
        Section.changed,
    ),
    Rule(
        "python-parameter-type-widened",
        _N,
        "Every value callers pass is still accepted.",
        "python",
        None,
        Section.added,
    ),
    Rule(
        "python-attribute-type-widened",
        _N,
        "The union keeps every member it had: a new webhook model or response variant is an addition.",
        "python",
        None,
        Section.added,
    ),
    Rule(
        "python-return-type-widened",
        _N,
        "The union keeps every member it had: code handling the old members still works; a new one is added.",
        "python",
        None,
        Section.added,
    ),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _ALL}


def level_of(rule_id: str) -> Level:
    """The level of `rule_id`; an unknown id is a bug in the differ, so it raises `KeyError`."""
    return RULES[rule_id].level


def opposite(rule_id: str) -> str:
    """The rule `rule_id` turns into when the judgement flips (inside `not`); itself when it has none."""
    return RULES[rule_id].opposite or rule_id
