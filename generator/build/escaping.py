"""The escaping filters: one rule per target language, through which every template renders spec text.

Spec text is untrusted: a description may hold quotes, backslashes, control characters or Markdown.
Each filter turns it into a literal of one language that holds it exactly and can end nothing early.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.markdown import markdown_code, markdown_text


def docstring_text(value: Any) -> str:
    """Spec text made safe inside a `\"\"\"` docstring: it can neither end the string nor escape."""
    text = "".join(_docstring_char(ch) for ch in str(value))
    # The closing quote first: escaping it after the triple quotes would split an escape (`\\"`).
    text = text[:-1] + '\\"' if text.endswith('"') else text
    return text.replace('"""', '\\"\\"\\"')


def _docstring_char(ch: str) -> str:
    if ch in "\n\t" or (ch.isprintable() and ch != "\\"):
        return ch
    if ch == "\\":
        return "\\\\"
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def python_string(value: Any) -> str:
    """A Python string literal holding `value` exactly."""
    return repr(str(value))


_TOML_ESCAPES = {
    **{code: f"\\u{code:04x}" for code in [*range(0x20), 0x7F]},
    ord('"'): '\\"',
    ord("\\"): "\\\\",
}


def toml_string(value: Any) -> str:
    """A TOML basic string holding `value` exactly (quotes, backslashes and controls escaped)."""
    return '"' + str(value).translate(_TOML_ESCAPES) + '"'


ESCAPING_FILTERS: dict[str, Callable[[Any], str]] = {
    "docstring": docstring_text,
    "pystr": python_string,
    "toml": toml_string,
    "md": markdown_text,
    "mdcode": markdown_code,
}
"""One escaping rule per target language; every template renders spec text through one of them."""
