"""The one Markdown escaping rule: every spec-derived string reaches a Markdown file or report through it.

The package README (the `md` and `mdcode` template filters), the diff's `--format markdown`
report, the release changelog and the docs-check report all use these functions, so spec text can
neither open a link, an HTML tag or a heading nor end a code span early, and never spans lines.

>>> markdown_text("<img src=x> *bold*")
'\\\\<img src=x\\\\> \\\\*bold\\\\*'
>>> code_span("a`b")
'``a`b``'
>>> markdown_inline("Value `x` added <b>")
'Value `x` added \\\\<b\\\\>'
"""

from __future__ import annotations

import re
from typing import Any

_MARKDOWN_SPECIALS = frozenset("\\`*_[]<>|#!")
_BACKTICKS = re.compile(r"`+")


def one_line(value: Any) -> str:
    """`value` as text on one line: every run of whitespace, line breaks included, is one space."""
    return " ".join(str(value).split())


def markdown_text(value: Any) -> str:
    """Spec text as one line of Markdown that cannot open a link, an HTML tag or a code span."""
    return _escaped(one_line(value))


def markdown_code(value: Any) -> str:
    """Spec text for inside a one-backtick code span: one line, no backtick to end the span early."""
    return one_line(value).replace("`", "'")


def code_span(value: Any) -> str:
    """A whole code span holding `value` exactly (on one line): its fence is longer than any run of
    backticks inside, and a space pads a value that starts or ends with a backtick."""
    text = one_line(value)
    if not text:
        return "` `"  # an empty span is two backticks CommonMark does not read as a span
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def markdown_inline(text: str) -> str:
    """A message whose code spans are Markdown and whose other text is not: the spans are kept (read
    as CommonMark reads them, each made safe again with `code_span`), everything else is escaped.

    A backtick run without a closing run of the same length is no span, so it is escaped too.
    """
    text = one_line(text)
    out: list[str] = []
    position = 0
    while position < len(text):
        opening = _BACKTICKS.search(text, position)
        if opening is None:
            out.append(_escaped(text[position:]))
            break
        closing = _closing_run(text, opening.end(), len(opening.group()))
        if closing is None:
            out.append(_escaped(text[position : opening.end()]))
            position = opening.end()
            continue
        out.append(_escaped(text[position : opening.start()]))
        inner = text[opening.end() : closing.start()]
        # CommonMark strips one space of padding on both sides; code_span adds it back where needed.
        if len(inner) > 1 and inner.startswith(" ") and inner.endswith(" ") and inner.strip():
            inner = inner[1:-1]
        out.append(code_span(inner))
        position = closing.end()
    return "".join(out)


def _closing_run(text: str, start: int, length: int) -> re.Match[str] | None:
    for run in _BACKTICKS.finditer(text, start):
        if len(run.group()) == length:
            return run
    return None


def _escaped(piece: str) -> str:
    """`markdown_text` of a piece of a one-line message, keeping the spaces at its edges."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in piece)


__all__ = ["code_span", "markdown_code", "markdown_inline", "markdown_text", "one_line"]
