"""What a measurement group produces: rows of summaries, ratios between them, targets and notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from benchmarks._stats import Summary, paired_ratios


@dataclass(frozen=True, slots=True)
class Ratio:
    """`numerator / denominator`, summarised over the rounds in which both were measured."""

    numerator: str
    denominator: str
    summary: Summary

    @property
    def label(self) -> str:
        return f"{self.numerator} / {self.denominator}"


@dataclass(frozen=True, slots=True)
class Target:
    """A goal on one measured number: a ratio (`suffix` "x") or an absolute median (e.g. " s")."""

    label: str
    quantity: str
    measured: float
    comparison: Literal["<=", ">="]
    limit: float
    suffix: str = "x"

    @property
    def passed(self) -> bool:
        return self.measured <= self.limit if self.comparison == "<=" else self.measured >= self.limit

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "quantity": self.quantity,
            "measured": self.measured,
            "comparison": self.comparison,
            "limit": self.limit,
            "unit": self.suffix.strip() or "ratio",
            "passed": self.passed,
        }


@dataclass(slots=True)
class Group:
    """One table: contenders measured together, in one unit (`scale` converts from seconds)."""

    key: str
    title: str
    unit: str
    scale: float
    samples: dict[str, list[float]]
    ratios: list[Ratio] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def ratio(self, numerator: str, denominator: str) -> Ratio:
        """Add and return the paired ratio of two contenders."""
        summary = Summary.of(paired_ratios(self.samples[numerator], self.samples[denominator]))
        ratio = Ratio(numerator, denominator, summary)
        self.ratios.append(ratio)
        return ratio

    def target(self, label: str, ratio: Ratio, comparison: Literal["<=", ">="], limit: float) -> None:
        """Add a goal on the median of `ratio`."""
        self.targets.append(
            Target(f"{label} ({self.title})", ratio.label, ratio.summary.median, comparison, limit)
        )

    def absolute_target(self, label: str, name: str, comparison: Literal["<=", ">="], limit: float) -> None:
        """Add a goal on the median of contender `name`, in the group's unit."""
        median = Summary.of(self.samples[name]).median * self.scale
        self.targets.append(
            Target(f"{label} ({self.title})", name, median, comparison, limit, f" {self.unit}")
        )

    def summaries(self) -> dict[str, Summary]:
        return {name: Summary.of(values) for name, values in self.samples.items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "unit": self.unit,
            "contenders": {name: s.scaled(self.scale) for name, s in self.summaries().items()},
            "ratios": {r.label: r.summary.scaled(1.0) for r in self.ratios},
            "targets": [t.as_dict() for t in self.targets],
            "notes": self.notes,
            "details": self.details,
        }
