"""The `layer-codegen docs-check` command: read a page, compare it with the spec, report, maybe rewrite.

exit_status = run_docs_check("layer.md", spec=Path("spec/layer.yaml"), fmt="text", write_examples=False)
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.docs_check.compare import compare
from generator.docs_check.page import PageError, parse_page
from generator.docs_check.report import render
from generator.docs_check.rewrite import rewrite_examples
from generator.docs_check.source import read_page
from generator.spec_loader import SpecError, load_document

EXIT_AGREE = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


def run_docs_check(page: str, *, spec: Path, fmt: str, write_examples: bool) -> int:
    """Compare the reference page at `page` with `spec`; print the report and return the exit status
    (0 agree, 1 findings, 2 the page or the spec cannot be read). With `write_examples`, first set the
    spec's documented examples, and `spec/examples/`, to the page's, then report what still disagrees."""
    try:
        text = read_page(page)
    except PageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        reference = parse_page(text)
    except PageError as exc:
        print(f"error: {page}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    examples_dir = spec.parent / "examples"
    try:
        comparison = compare(load_document(spec), reference, examples_dir)
        if write_examples and comparison.matched:
            written = rewrite_examples(spec, [matched.example for matched in comparison.matched])
            print(f"rewrote the page's examples into {written[0]} and {examples_dir}/", file=sys.stderr)
            comparison = compare(load_document(spec), reference, examples_dir)
    except SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(render(comparison.findings, fmt))
    return EXIT_AGREE if comparison.agree else EXIT_FINDINGS
