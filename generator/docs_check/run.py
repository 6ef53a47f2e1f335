"""The `layer-codegen docs-check` command: read a page, compare it with the spec, report, maybe rewrite.

exit_status = run_docs_check(
    "layer.md", spec=Path("spec/layer.yaml"), project=ProjectConfig(), fmt="text", write_examples=False
)
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.docs_check.compare import compare
from generator.docs_check.page import PageError, parse_page
from generator.docs_check.report import render
from generator.docs_check.rewrite import rewrite_examples
from generator.docs_check.source import read_page
from generator.errors import one_screen
from generator.facts import FactsError, credential_fields
from generator.project import ProjectConfig
from generator.spec.loader import SpecError
from generator.spec.model import SpecModel, SpecModelError

EXIT_AGREE = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


def _error(message: str) -> int:
    print(f"error: {one_screen(message)}", file=sys.stderr)
    return EXIT_UNREADABLE


def run_docs_check(page: str, *, spec: Path, project: ProjectConfig, fmt: str, write_examples: bool) -> int:
    """Compare the reference page at `page` with `spec`; print the report and return the exit status
    (0 agree, 1 findings, 2 the page or the spec cannot be read, or the spec has no `examples/` folder
    beside it). Credentials are the body fields `generate` would send as headers for `project`.
    With `write_examples`, first set the spec's documented examples, and `spec/examples/`,
    to the page's, then report what still disagrees."""
    try:
        text = read_page(page)
    except PageError as exc:
        return _error(str(exc))
    try:
        reference = parse_page(text)
    except PageError as exc:
        return _error(f"{page}: {exc}")
    examples_dir = spec.parent / "examples"
    try:
        model = SpecModel.load(spec)
        if not examples_dir.is_dir():
            return _error(f"{spec}: no examples/ folder beside the spec to compare the page's examples with")
        credentials = credential_fields(model, project)
        comparison = compare(model, reference, examples_dir, credentials)
        if write_examples and comparison.matched:
            written = rewrite_examples(spec, [matched.example for matched in comparison.matched])
            print(f"rewrote the page's examples into {written[0]} and {examples_dir}/", file=sys.stderr)
            comparison = compare(SpecModel.load(spec), reference, examples_dir, credentials)
    except (SpecModelError, FactsError) as exc:
        return _error(f"{spec}: {exc}")
    except SpecError as exc:
        return _error(str(exc))
    print(render(comparison.findings, fmt))
    return EXIT_AGREE if comparison.agree else EXIT_FINDINGS
