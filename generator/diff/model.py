"""The findings of a diff: one `Change` per rule hit at a structured `Location`, spec problems, and
the `Report` that holds them. Only the renderers turn a location into text (`str(location)`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from generator.diff.rules import RULES, Level, Rule

Kind = Literal["operation", "webhook", "schema", "python"]


def render_path(segments: Iterable[str]) -> str:
    """`("items", "[]", "item_id")` → `items[].item_id`."""
    text = ""
    for segment in segments:
        if segment in ("[]", "{}"):
            text += segment
        else:
            text += f".{segment}" if text else segment
    return text


@dataclass(frozen=True, slots=True)
class Location:
    """Where a change is: its owner (an operation, a webhook, a component schema or a Python
    path), the part of the owner (`("response", "200", "body")`, `("parameter", "query", "q")`),
    and the property path below that part.

    >>> str(Location("operation", "/x", "POST", ("request body",), ("user", "id")))
    'POST /x request body user.id'
    """

    kind: Kind
    name: str
    method: str = ""
    part: tuple[str, ...] = ()
    field: tuple[str, ...] = ()

    @classmethod
    def operation(cls, method: str, path: str) -> Location:
        """`POST /x`."""
        return cls("operation", path, method.upper())

    @classmethod
    def webhook(cls, name: str) -> Location:
        """`webhook NAME`."""
        return cls("webhook", name)

    @classmethod
    def schema(cls, name: str, field: tuple[str, ...] = ()) -> Location:
        """`schema NAME` (and a path in it): a component schema, for changes reported once per schema."""
        return cls("schema", name, field=field)

    @classmethod
    def python(cls, path: str) -> Location:
        """A dotted path in the generated package."""
        return cls("python", path)

    def below(self, *part: str) -> Location:
        """This location, one part further in (`response`, `200`, `body`)."""
        return replace(self, part=(*self.part, *part))

    def at(self, *field: str) -> Location:
        """This location, a property path further in."""
        return replace(self, field=(*self.field, *field))

    @property
    def owner(self) -> str:
        """The operation (`POST /x`), webhook (`webhook X`), schema (`schema X`) or Python path."""
        if self.kind == "operation":
            return f"{self.method} {self.name}"
        if self.kind == "python":
            return self.name
        return f"{self.kind} {self.name}"

    @property
    def status(self) -> str | None:
        """The response status of a response location."""
        return self.part[1] if self.part[:1] == ("response",) and len(self.part) > 1 else None

    @property
    def in_body(self) -> bool:
        """Whether the location is in a request body, a webhook payload or a response body."""
        return self.part in (("request body",), ("payload",)) or (
            self.part[:1] == ("response",) and self.part[-1:] == ("body",)
        )

    def __str__(self) -> str:
        text = " ".join([self.owner, *self.part])
        if not self.field:
            return text
        suffix = render_path(self.field)
        if self.part[:1] == ("parameter",):
            return text + suffix if suffix[:1] in "[{" else f"{text}.{suffix}"
        return f"{text} {suffix}"


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the old and the new spec.

    >>> Change("operation-removed", Location.operation("delete", "/items/{id}"), "Removed.").level
    <Level.breaking: 'breaking'>
    """

    rule: str
    location: Location
    message: str
    caused_by: Location | None = None

    @property
    def definition(self) -> Rule:
        """The rule's entry in the registry."""
        return RULES[self.rule]

    @property
    def level(self) -> Level:
        """The level the rule registry gives this change's rule."""
        return RULES[self.rule].level

    @property
    def group(self) -> str:
        """The operation (`POST /x`), webhook (`webhook X`) or schema the location belongs to."""
        return self.location.owner

    def sort_key(self) -> tuple[int, str, str, str]:
        """Breaking first, then by location, rule and message, so every report is deterministic."""
        return (self.level.rank, str(self.location), self.rule, self.message)

    def as_dict(self, *, with_cause: bool = False) -> dict[str, str | None]:
        """The JSON form; Python API changes add `caused_by`, the spec location behind them."""
        data: dict[str, str | None] = {
            "rule": self.rule,
            "level": self.level.value,
            "location": str(self.location),
            "message": self.message,
        }
        if with_cause:
            data["caused_by"] = None if self.caused_by is None else str(self.caused_by)
        return data


class PythonApiError(Exception):
    """One of the specs cannot be generated or its package cannot be loaded; the message says which."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A structural problem of a readable document (it is still compared): which side, where, what."""

    side: Literal["old", "new"]
    source: str
    pointer: str
    message: str

    def as_dict(self) -> dict[str, str]:
        """The JSON form."""
        return {"side": self.side, "source": self.source, "pointer": self.pointer, "message": self.message}


@dataclass(slots=True)
class Report:
    """The HTTP-level changes, the spec problems, and (when `python_api_compared`) the Python API changes;
    `python_api_unavailable` says why the Python API could not be compared (a side with spec problems
    the generator refuses)."""

    changes: list[Change]
    python_api: list[Change] = field(default_factory=list)
    python_api_compared: bool = False
    problems: list[Problem] = field(default_factory=list)
    python_api_unavailable: str | None = None

    def spec_rules_behind(self, change: Change) -> list[str]:
        """The rules of the HTTP changes at the spec location a Python API change is caused by."""
        if change.caused_by is None:
            return []
        return sorted({http.rule for http in self.changes if http.location == change.caused_by})

    @property
    def breaking(self) -> bool:
        """True when either part holds a breaking change."""
        return any(change.level is Level.breaking for change in [*self.changes, *self.python_api])
