"""The one diff runner behind `layer-codegen diff` and `layer-codegen release`: read both specs, compare
their models, list their structural problems, and compare the generated Python APIs when asked."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, NamedTuple

from generator import collector
from generator.diff.model import Problem, PythonApiError, Report
from generator.diff.operations import diff_documents
from generator.diff.python_api import python_api_changes
from generator.diff.sources import SpecSource, read_source
from generator.project import ProjectConfig


class Compared(NamedTuple):
    """The report and the two sources it compared."""

    report: Report
    old: SpecSource
    new: SpecSource


def compare_specs(
    old: str, new: str, *, python_api: bool, project: ProjectConfig | None = None, cwd: Path | None = None
) -> Compared:
    """Diff OLD and NEW (a file, or `REV:PATH` read through git in `cwd`).

    An unreadable or unresolvable spec raises `SpecError`; a package that cannot be generated or
    loaded for the Python API part raises `PythonApiError`, unless a side has spec problems: the
    generator may refuse such a document, and the report then says so (`python_api_unavailable`)
    beside what changed and what is wrong with it.
    """
    # Parsed specs are trees of a few hundred thousand dicts and lists, without cycles; allocating
    # them triggers collections that rescan every node already built, about 15% of a full-spec diff.
    with collector.paused():
        old_source, new_source = read_source(old, cwd=cwd), read_source(new)
        # The spec model may still refuse a construct while walking (it names the pointer).
        report = Report(changes=diff_documents(old_source.model, new_source.model))
    report.problems = [
        Problem(side, source.label, problem.pointer, problem.message)
        for side, source in _sides(old_source, new_source)
        for problem in source.problems
    ]
    if python_api:
        try:
            report.python_api = python_api_changes(old_source, new_source, project)
        except PythonApiError as exc:
            if not report.problems:
                raise
            report.python_api_unavailable = str(exc)
        else:
            report.python_api_compared = True
    return Compared(report, old_source, new_source)


def _sides(old: SpecSource, new: SpecSource) -> tuple[tuple[Literal["old", "new"], SpecSource], ...]:
    return (("old", old), ("new", new))
