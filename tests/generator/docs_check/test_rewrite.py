"""`--write-examples`: the page's examples land in the spec and `spec/examples/`, and nothing else changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.docs_check import run_docs_check
from generator.docs_check.compare import compare
from generator.docs_check.page import parse_page
from generator.examples import iter_examples
from generator.facts import credential_fields
from generator.project import ProjectConfig
from generator.spec.loader import load_document
from generator.spec.model import SpecModel

from .conftest import PAGES


def _without_example_blocks(text: str) -> list[str]:
    """The lines of a YAML text outside every `examples:` block (the block's deeper-indented lines)."""
    kept: list[str] = []
    block_indent: int | None = None
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        if block_indent is not None and (not line.strip() or indent > block_indent):
            continue
        block_indent = indent if line.strip() == "examples:" else None
        kept.append(line)
    return kept


def _without_examples(document: Any) -> Any:
    if isinstance(document, dict):
        return {key: _without_examples(value) for key, value in document.items() if key != "examples"}
    if isinstance(document, list):
        return [_without_examples(item) for item in document]
    return document


def _write(page: str, spec: Path, capsys: pytest.CaptureFixture[str]) -> int:
    status = run_docs_check(
        str(PAGES / page), spec=spec, project=ProjectConfig(), fmt="json", write_examples=True
    )
    capsys.readouterr()
    return status


def test_rewriting_from_a_page_that_agrees_changes_no_byte(
    spec_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {path.name: path.read_bytes() for path in spec_copy.parent.rglob("*") if path.is_file()}
    assert _write("agree.md", spec_copy, capsys) == 0
    after = {path.name: path.read_bytes() for path in spec_copy.parent.rglob("*") if path.is_file()}
    assert after == before


def test_rewritten_examples_are_the_pages_and_the_check_then_agrees(
    spec_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _write("example-differs.md", spec_copy, capsys) == 0
    spec = load_document(spec_copy)
    page = parse_page((PAGES / "example-differs.md").read_text(encoding="utf-8"))
    model = SpecModel.from_document(spec)
    comparison = compare(
        model, page, spec_copy.parent / "examples", credential_fields(model, ProjectConfig())
    )
    assert comparison.findings == []
    stored = {example.file_name: example.value for example in iter_examples(spec)}
    for matched in comparison.matched:
        on_disk = json.loads((spec_copy.parent / "examples" / matched.example.file_name).read_text())
        assert on_disk == stored[matched.example.file_name] == matched.example.value
    session_finished = json.loads((spec_copy.parent / "examples" / "SESSION_FINISHED.json").read_text())
    assert session_finished["user_id"] == "usr_0000test"


def test_a_rewrite_leaves_every_line_outside_the_examples_as_written(
    spec_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = spec_copy.read_text(encoding="utf-8")
    original = load_document(spec_copy)
    assert _write("example-differs.md", spec_copy, capsys) == 0
    after = spec_copy.read_text(encoding="utf-8")
    assert after != before
    assert _without_example_blocks(after) == _without_example_blocks(before)
    assert _without_examples(load_document(spec_copy)) == _without_examples(original)


def test_unchanged_example_lines_keep_their_quoting(
    spec_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _write("example-differs.md", spec_copy, capsys) == 0
    text = spec_copy.read_text(encoding="utf-8")
    assert 'phone_number: "+14157452130"' in text
    assert 'postal_code: "02139"' in text
    assert "display_message: null" in text


def test_a_rewrite_adds_a_documented_example_where_the_spec_had_none(
    spec_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = spec_copy.read_text(encoding="utf-8")
    start = text.index(
        "            examples:\n              documented:\n                summary: A session for one"
    )
    end = text.index("      responses:", start)
    spec_copy.write_text(text[:start] + text[end:], encoding="utf-8")
    (spec_copy.parent / "examples" / "sessionTokenCreate.request.json").unlink()

    assert _write("agree.md", spec_copy, capsys) == 0
    stored = json.loads((spec_copy.parent / "examples" / "sessionTokenCreate.request.json").read_text())
    assert stored == {"user": {"client_user_id": "user-abc"}, "template_id": "template_4uinBNe4B2x9"}
