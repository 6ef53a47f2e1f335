"""`run_diff`: what `layer-codegen diff OLD NEW` does, from reading the inputs to the exit status."""

from __future__ import annotations

import sys

from generator.diff.model import PythonApiError
from generator.diff.render import render
from generator.diff.runner import compare_specs
from generator.project import ProjectConfig
from generator.spec.loader import SpecError

EXIT_OK, EXIT_BREAKING, EXIT_BAD_INPUT = 0, 1, 2


def run_diff(
    old: str,
    new: str,
    *,
    fmt: str,
    fail_on: str,
    python_api: bool,
    project: ProjectConfig | None = None,
    strict: bool = False,
) -> int:
    """Print the report for OLD → NEW to stdout and return the exit status.

    The Python API part generates both specs with `project` (by default today's names).

    0: no breaking change (or `fail_on == "never"`); 1: a breaking change; 2: input that cannot be
    read or resolved, with the problem on stderr, or (under `strict`) a spec problem, after the
    report that lists it.

    For example `run_diff("origin/main:spec/layer.yaml", "spec/layer.yaml", fmt="json",
    fail_on="breaking", python_api=False)` is 0 when nothing breaks.
    """
    try:
        report = compare_specs(old, new, python_api=python_api, project=project).report
    except SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PythonApiError as exc:
        print(f"error: {exc} (pass --no-python-api to compare only the HTTP API)", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(render(report, fmt))
    if strict and report.problems:
        first = report.problems[0]
        count = len(report.problems)
        print(
            f"error: {first.source}: {first.message} at {first.pointer}"
            + (f" (and {count - 1} more spec problems)" if count > 1 else "")
            + " (--strict)",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if report.breaking and fail_on != "never":
        return EXIT_BREAKING
    return EXIT_OK
