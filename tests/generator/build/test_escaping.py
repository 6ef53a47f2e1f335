"""One escaping rule per target language: spec text can never become code."""

from __future__ import annotations

import ast
import tomllib

from hypothesis import example, given
from hypothesis import strategies as st

from generator.build.escaping import docstring_text, python_string, toml_string
from generator.build.summary import summarise_warnings
from generator.markdown import markdown_code, markdown_text

PAYLOADS = ['"""; import os; os.system("x") #', "\\", 'ends with a quote"', "{{ 7 * 7 }}", "a\nb\r\x00\x7f"]


@given(st.text())
@example(text='"""')  # found under load by another seed: the closing-quote escape was split
def test_docstring_text_stays_inside_the_docstring(text: str) -> None:
    source = f'def f() -> None:\n    """{docstring_text(text)}"""\n'
    tree = ast.parse(source)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    assert len(function.body) == 1  # nothing but the docstring
    assert ast.get_docstring(function, clean=False) is not None


@given(st.text())
def test_python_string_round_trips(text: str) -> None:
    assert ast.literal_eval(python_string(text)) == text


@given(st.text())
def test_toml_string_round_trips(text: str) -> None:
    assert tomllib.loads(f"key = {toml_string(text)}\n") == {"key": text}


def test_toml_injection_stays_a_value() -> None:
    title = 'x"\ndependencies = ["evil"]\n[tool.x]\ny = "'
    parsed = tomllib.loads(f"description = {toml_string(title)}\n")
    assert list(parsed) == ["description"]


@given(st.text())
def test_markdown_text_is_one_line_without_markup(text: str) -> None:
    rendered = markdown_text(text)
    assert "\n" not in rendered
    unescaped = rendered.replace("\\\\", "").replace("\\<", "").replace("\\`", "").replace("\\[", "")
    assert "<" not in unescaped and "`" not in unescaped and "[" not in unescaped


def test_the_payloads_are_escaped() -> None:
    for payload in PAYLOADS:
        assert '"""' not in docstring_text(payload)


def test_warnings_are_summarised_with_a_count_and_the_first_few() -> None:
    summary = summarise_warnings("tool", [f"warning {n} " + "x" * 500 for n in range(50)])
    lines = summary.splitlines()
    assert lines[0] == "tool: 50 warning(s)"
    assert lines[-1] == "  ... and 47 more"
    assert len(summary) < 1000


@given(st.text())
def test_markdown_code_cannot_end_its_span(text: str) -> None:
    rendered = markdown_code(text)
    assert "`" not in rendered and "\n" not in rendered
