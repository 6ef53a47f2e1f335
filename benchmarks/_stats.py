"""Medians, spreads and paired ratios of timing samples."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Summary:
    """The median of some samples and two spreads: the quartiles and the 10th-90th percentiles.

    Summary.of([1.0, 2.0, 3.0]).median  # 2.0
    """

    median: float
    q1: float
    q3: float
    p10: float
    p90: float
    n: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Summary:
        """Summarise at least one sample."""
        if len(samples) == 1:
            only = samples[0]
            return cls(only, only, only, only, only, 1)
        quartiles = statistics.quantiles(samples, n=4, method="inclusive")
        deciles = statistics.quantiles(samples, n=10, method="inclusive")
        return cls(
            statistics.median(samples), quartiles[0], quartiles[2], deciles[0], deciles[-1], len(samples)
        )

    def scaled(self, factor: float) -> dict[str, float | int]:
        """The summary as JSON-ready numbers, each multiplied by `factor` (e.g. 1e6 for µs)."""
        return {
            "median": self.median * factor,
            "q1": self.q1 * factor,
            "q3": self.q3 * factor,
            "p10": self.p10 * factor,
            "p90": self.p90 * factor,
            "n": self.n,
        }


def paired_ratios(numerator: Sequence[float], denominator: Sequence[float]) -> list[float]:
    """Ratio of the samples taken in the same round: noise common to a round cancels out."""
    return [a / b for a, b in zip(numerator, denominator, strict=True) if b > 0]
