"""The three report formats of `layer-codegen diff`: `text` for terminals, `markdown` for PRs, `json`.

Every format lists the spec problems (structural rules of OpenAPI a compared document breaks).
Markdown reaches pull requests, so every spec-derived string in it goes through `generator.markdown`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import groupby

from generator.diff.model import Change, Problem, Report
from generator.diff.rules import Level
from generator.markdown import code_span, markdown_inline, markdown_text

_TITLES = {
    Level.breaking: "Breaking changes",
    Level.non_breaking: "Non-breaking changes",
    Level.info: "Informational changes",
}


def render(report: Report, fmt: str) -> str:
    """The report as `fmt` (`text`, `markdown` or `json`), ending with a newline."""
    renderers: dict[str, Callable[[Report], str]] = {
        "text": render_text,
        "markdown": render_markdown,
        "json": render_json,
    }
    return renderers[fmt](report)


def render_json(report: Report) -> str:
    """`{"breaking": bool, "problems": [...], "changes": [...], "python_api": [...]}`, keys in a fixed
    order; each Python API change names its spec location (`caused_by`) and the HTTP rules found there.
    When the Python API could not be compared, `python_api_unavailable` says why."""
    data: dict[str, object] = {
        "breaking": report.breaking,
        "problems": [problem.as_dict() for problem in report.problems],
        "changes": [change.as_dict() for change in _ordered(report.changes)],
        "python_api": [
            {**change.as_dict(with_cause=True), "caused_by_rules": report.spec_rules_behind(change)}
            for change in _ordered(report.python_api)
        ],
    }
    if report.python_api_unavailable is not None:
        data["python_api_unavailable"] = report.python_api_unavailable
    return json.dumps(data, indent=2) + "\n"


def render_markdown(report: Report) -> str:
    """A PR comment: counts first, then breaking changes, each level grouped by operation and webhook.

    The Python API column and section appear only when the Python API was compared.
    """
    # Under --no-python-api the Python API was not compared: a column of zeros would claim it was.
    if report.python_api_compared:
        lines = ["## API changes", "", "| Level | HTTP API | Python API |", "| --- | ---: | ---: |"]
        for level in Level:
            http_count, api_count = _count(report.changes, level), _count(report.python_api, level)
            lines.append(f"| {level.value} | {http_count} | {api_count} |")
    else:
        lines = ["## API changes", "", "| Level | HTTP API |", "| --- | ---: |"]
        lines += [f"| {level.value} | {_count(report.changes, level)} |" for level in Level]
    lines.append("")
    if report.problems:
        lines += ["### Spec problems", ""]
        lines += [
            f"- {side_label}: {markdown_text(problem.message)} at {code_span(problem.pointer)}"
            for problem, side_label in _problems(report.problems, markdown=True)
        ]
        lines.append("")
    if report.python_api_unavailable is not None:
        lines += ["### Python API", "", f"Not compared: {markdown_text(report.python_api_unavailable)}", ""]
    if not report.changes and not report.python_api:
        lines += ["No changes.", ""]
    for level in Level:
        changes = [change for change in _ordered(report.changes) if change.level is level]
        if changes:
            lines += [f"### {_TITLES[level]}", ""]
            for group, members in groupby(sorted(changes, key=_by_group), key=lambda change: change.group):
                lines += [f"#### {code_span(group)}", ""]
                lines += [
                    f"- `{change.rule}` at {code_span(change.location)}: {markdown_inline(change.message)}"
                    for change in members
                ]
                lines.append("")
    api = _ordered(report.python_api)
    if api:
        lines += ["### Python API", ""]
        for change in api:
            cause = markdown_inline(_cause(report, change))
            message, at = markdown_inline(change.message), code_span(change.location)
            lines.append(f"- **{change.level.value}** `{change.rule}` at {at}: {message}{cause}")
        lines.append("")
    return "\n".join(lines)


def render_text(report: Report) -> str:
    """A terminal listing: a summary line, then one block per level, one line per change."""
    counts = ", ".join(f"{_count(report.changes, level)} {level.value}" for level in Level)
    lines = [f"HTTP API: {counts}"]
    if report.problems:
        lines.append(f"Spec problems: {len(report.problems)}")
        lines += [
            f"  {label}: {problem.message} at {problem.pointer}"
            for problem, label in _problems(report.problems, markdown=False)
        ]
    if report.python_api_compared:
        api_counts = ", ".join(f"{_count(report.python_api, level)} {level.value}" for level in Level)
        lines.append(f"Python API: {api_counts}")
    elif report.python_api_unavailable is not None:
        lines.append(f"Python API: not compared: {report.python_api_unavailable}")
    for level in Level:
        changes = [change for change in _ordered(report.changes) if change.level is level]
        if changes:
            lines += ["", f"{_TITLES[level]}:"]
            lines += [f"  {change.location}\n    {change.rule}: {change.message}" for change in changes]
    if report.python_api:
        lines += ["", "Python API:"]
        for change in _ordered(report.python_api):
            cause = _cause(report, change)
            lines.append(
                f"  {change.location}\n    {change.level.value} {change.rule}: {change.message}{cause}"
            )
    return "\n".join(lines) + "\n"


def _cause(report: Report, change: Change) -> str:
    """` (from LOCATION: rule, ...)`: the spec location and the HTTP changes found there."""
    if not change.caused_by:
        return ""
    rules = ", ".join(code_span(rule) for rule in report.spec_rules_behind(change))
    return f" (from {code_span(change.caused_by)}{': ' + rules if rules else ''})"


def _problems(problems: list[Problem], *, markdown: bool) -> list[tuple[Problem, str]]:
    """Each problem with the side and file it is in (`new spec.yaml`)."""
    show = code_span if markdown else str
    return [(problem, f"{problem.side} {show(problem.source)}") for problem in problems]


def _ordered(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=Change.sort_key)


def _by_group(change: Change) -> tuple[str, str, str, str]:
    return (change.group, str(change.location), change.rule, change.message)


def _count(changes: list[Change], level: Level) -> int:
    return sum(1 for change in changes if change.level is level)
