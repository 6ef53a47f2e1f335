"""Spec text cannot inject Markdown or HTML into the diff's Markdown report or the changelog."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build.changelog import render_section
from generator.build.history import Entry, Release
from generator.diff.model import Report
from generator.diff.operations import diff_documents
from generator.diff.render import render
from generator.markdown import code_span, markdown_inline
from tests.generator.diff.specs import STRING, obj, spec

HOSTILE = "x` <img src=x onerror=alert(1)> [click](https://evil.test) `"
BLANK_LINES = "name\n\n<img src=x>\n\n# Heading"


def _outside_code(markdown: str) -> str:
    """The text of `markdown` outside its code spans (CommonMark: a run closes at the same length)."""
    out, position = [], 0
    for opening in re.finditer(r"`+", markdown):
        if opening.start() < position:
            continue
        closing = re.compile(f"(?<!`){opening.group()}(?!`)").search(markdown, opening.end())
        if closing is None:
            continue
        out.append(markdown[position : opening.start()])
        position = closing.end()
    out.append(markdown[position:])
    return "".join(out)


def _no_raw_html_or_links(markdown: str) -> None:
    text = _outside_code(markdown)
    assert not re.search(r"(?<!\\)<", text), text
    assert not re.search(r"(?<!\\)\[", text), text


def test_a_hostile_enum_value_stays_inside_its_code_span() -> None:
    old = spec(response=obj({"e": {"type": "string", "enum": ["a"]}}))
    new = spec(response=obj({"e": {"type": "string", "enum": ["a", HOSTILE]}}))
    markdown = render(Report(changes=diff_documents(old, new)), "markdown")
    assert "onerror" in markdown  # reported, as text
    _no_raw_html_or_links(markdown)


def test_a_property_name_with_blank_lines_and_html_is_one_line_in_the_report() -> None:
    old = spec(response=obj({"a": STRING}))
    new = spec(response=obj({"a": STRING, BLANK_LINES: STRING}))
    markdown = render(Report(changes=diff_documents(old, new)), "markdown")
    (line,) = [line for line in markdown.splitlines() if "response-property-added" in line]
    assert "<img src=x>" in line  # inside a code span, where it is literal text
    _no_raw_html_or_links(markdown)


def test_the_changelog_keeps_spec_text_out_of_html_blocks() -> None:
    entry = Entry(
        "Added", code_span(f"Model.{BLANK_LINES}"), f"Property {code_span(HOSTILE)} was added.", "x"
    )
    section = render_section(Release("1.1.0", "v1", (entry,)))
    (line,) = [line for line in section.splitlines() if line.startswith("- ")]
    assert "Heading" in line
    assert not any(line.startswith(("<", "#")) for line in section.splitlines()[2:] if "Added" not in line)
    _no_raw_html_or_links(section)


@settings(deadline=None)
@given(st.text())
def test_markdown_inline_is_one_line_without_raw_html(text: str) -> None:
    markdown = markdown_inline(text)
    assert "\n" not in markdown and "\r" not in markdown
    _no_raw_html_or_links(markdown)


@settings(deadline=None)
@given(st.text())
def test_a_code_span_holds_any_text_on_one_line(text: str) -> None:
    span = code_span(text)
    assert "\n" not in span
    assert _outside_code(span) == ""
