"""Printing results: a plain-text table per group, the targets with PASS/MISS, and a Markdown headline."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from benchmarks._results import Group, Target


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def group_table(group: Group) -> str:
    """The group's contenders (median, IQR, p10-p90) and ratios, as aligned text."""
    lines = [f"== {group.title} ({group.unit}, {len(next(iter(group.samples.values())))} rounds)"]
    width = max(len(name) for name in [*group.samples, *(r.label for r in group.ratios)]) + 2
    lines.append(f"  {'':<{width}}{'median':>10}{'IQR':>22}{'p10-p90':>22}")
    for name, s in group.summaries().items():
        f = group.scale
        iqr = f"{_number(s.q1 * f)}-{_number(s.q3 * f)}"
        p = f"{_number(s.p10 * f)}-{_number(s.p90 * f)}"
        lines.append(f"  {name:<{width}}{_number(s.median * f):>10}{iqr:>22}{p:>22}")
    for ratio in group.ratios:
        s = ratio.summary
        iqr = f"{s.q1:.2f}-{s.q3:.2f}"
        p = f"{s.p10:.2f}-{s.p90:.2f}"
        lines.append(f"  {ratio.label:<{width}}{f'{s.median:.2f}x':>10}{iqr:>22}{p:>22}")
    lines.extend(f"  note: {note}" for note in group.notes)
    return "\n".join(lines)


def target_lines(targets: Iterable[Target]) -> str:
    """One line per target: PASS/MISS, the measured median ratio and the limit."""
    return "\n".join(
        f"  {'PASS' if t.passed else 'MISS'}  {t.label}: {t.quantity} = {t.measured:.2f}{t.suffix} "
        f"(target {t.comparison} {t.limit:g}{t.suffix})"
        for t in targets
    )


def machine_line(machine: dict[str, Any]) -> str:
    packages = ", ".join(f"{name} {version}" for name, version in machine["packages"].items())
    return (
        f"{machine['cpu_model']}, {machine['cores']} cores, Python {machine['python']} "
        f"({machine['platform']}); {packages}"
    )


def _verdict(group: Group, quantity: str) -> str:
    return "; ".join(
        f"{'PASS' if t.passed else 'MISS'} ({t.comparison} {t.limit:g}{t.suffix})"
        for t in group.targets
        if t.quantity == quantity
    )


def markdown_headline(groups: list[Group], machine: dict[str, Any]) -> str:
    """One Markdown row per ratio (both medians, the ratio and its IQR, the target), for a README."""
    rows = [
        "| measurement | A | B | A / B (IQR) | target |",
        "|---|---|---|---|---|",
    ]
    for group in groups:
        summaries = group.summaries()
        f = group.scale
        for ratio in group.ratios:
            a, b, r = summaries[ratio.numerator], summaries[ratio.denominator], ratio.summary
            rows.append(
                f"| {group.title} | {ratio.numerator}: {_number(a.median * f)} {group.unit} "
                f"| {ratio.denominator}: {_number(b.median * f)} {group.unit} "
                f"| {r.median:.2f}x ({r.q1:.2f}-{r.q3:.2f}) | {_verdict(group, ratio.label)} |"
            )
        for name, s in summaries.items():
            verdict = _verdict(group, name)
            if verdict:
                rows.append(
                    f"| {group.title} | {name}: {_number(s.median * f)} {group.unit} | | | {verdict} |"
                )
    rows.extend(["", f"Machine: {machine_line(machine)}."])
    return "\n".join(rows)
