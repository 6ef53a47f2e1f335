"""generated/README.md: the spec's own words, escaped for Markdown, and no link out of the package."""

from __future__ import annotations

import re

from generator.markdown import markdown_text
from generator.spec.model import SpecModel
from tests.support import GENERATED, SPEC

README = (GENERATED / "README.md").read_text(encoding="utf-8")


def test_every_summary_is_shown_as_the_spec_writes_it() -> None:
    model = SpecModel.load(SPEC)
    summaries = [str(op.operation["summary"]) for op in [*model.operations(), *model.webhooks()]]

    assert len(summaries) >= 5
    for summary in summaries:
        assert f": {markdown_text(summary)}\n" in README, summary


def test_nothing_links_out_of_the_package() -> None:
    assert re.findall(r"\]\(([^)]*)\)", README) == []
    assert "://" not in README
    assert "../" not in README


def test_it_has_a_quick_start_that_calls_an_operation() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]

    assert "```python" in quick_start
    assert re.search(r"result = plaid\.[a-z_]+\(", quick_start)
