"""The findings of a diff: one `Change` per rule hit, and the `Report` that holds both parts."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.diff.rules import Level, level_of


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the old and the new spec.

    >>> Change("operation-removed", "DELETE /items/{id}", "The operation was removed.").level
    <Level.breaking: 'breaking'>
    """

    rule: str
    location: str
    message: str
    caused_by: str | None = None

    @property
    def level(self) -> Level:
        """The level the rule registry gives this change's rule."""
        return level_of(self.rule)

    @property
    def group(self) -> str:
        """The operation (`POST /x`) or webhook (`webhook X`) the location belongs to."""
        words = self.location.split(" ")
        return " ".join(words[:2])

    def sort_key(self) -> tuple[int, str, str, str]:
        """Breaking first, then by location, rule and message, so every report is deterministic."""
        return (self.level.rank, self.location, self.rule, self.message)

    def as_dict(self, *, with_cause: bool = False) -> dict[str, str | None]:
        """The JSON form; Python API changes add `caused_by`, the spec location behind them."""
        data: dict[str, str | None] = {
            "rule": self.rule,
            "level": self.level.value,
            "location": self.location,
            "message": self.message,
        }
        if with_cause:
            data["caused_by"] = self.caused_by
        return data


@dataclass(slots=True)
class Report:
    """The HTTP-level changes and, when `python_api_compared`, the Python API changes."""

    changes: list[Change]
    python_api: list[Change] = field(default_factory=list)
    python_api_compared: bool = False

    def spec_rules_behind(self, change: Change) -> list[str]:
        """The rules of the HTTP changes at the spec location a Python API change is caused by."""
        if change.caused_by is None:
            return []
        return sorted({http.rule for http in self.changes if http.location == change.caused_by})

    @property
    def breaking(self) -> bool:
        """True when either part holds a breaking change."""
        return any(change.level is Level.breaking for change in [*self.changes, *self.python_api])
