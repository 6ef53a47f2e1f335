"""`run_diff`: what `layer-codegen diff OLD NEW` does, from reading the inputs to the exit status."""

from __future__ import annotations

import sys

from generator.diff.model import Report
from generator.diff.operations import diff_documents
from generator.diff.render import render
from generator.diff.sources import read_source
from generator.project import ProjectConfig
from generator.spec_loader import SpecError

EXIT_OK, EXIT_BREAKING, EXIT_BAD_INPUT = 0, 1, 2


def run_diff(
    old: str, new: str, *, fmt: str, fail_on: str, python_api: bool, project: ProjectConfig | None = None
) -> int:
    """Print the report for OLD → NEW to stdout and return the exit status.

    The Python API part generates both specs with `project` (by default today's names).

    0: no breaking change (or `fail_on == "never"`); 1: a breaking change; 2: bad input, with the
    problem on stderr.

    For example `run_diff("origin/main:spec/layer.yaml", "spec/layer.yaml", fmt="json",
    fail_on="breaking", python_api=False)` is 0 when nothing breaks.
    """
    try:
        old_source, new_source = read_source(old), read_source(new)
        # The spec model may still refuse a construct while walking (it names the pointer).
        report = Report(changes=diff_documents(old_source.model, new_source.model))
    except SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if python_api:
        from generator.diff.python_api import PythonApiError, python_api_changes

        try:
            report.python_api = python_api_changes(old_source, new_source, project)
            report.python_api_compared = True
        except PythonApiError as exc:
            print(f"error: {exc} (pass --no-python-api to compare only the HTTP API)", file=sys.stderr)
            return EXIT_BAD_INPUT
    sys.stdout.write(render(report, fmt))
    if report.breaking and fail_on != "never":
        return EXIT_BREAKING
    return EXIT_OK
