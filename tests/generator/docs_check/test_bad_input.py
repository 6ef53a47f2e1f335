"""Pages and specs docs-check cannot use: exit 2 with one short line, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest
import respx
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.docs_check import run_docs_check
from generator.docs_check.page import MAX_EXAMPLE_DEPTH, PageError, parse_page
from generator.project import ProjectConfig

from .conftest import PAGES, SPEC

AGREE = (PAGES / "agree.md").read_text(encoding="utf-8")
RESPONSE_EXAMPLE = '{\n  "link": {\n    "link_token"'


def _run(page: str, capsys: pytest.CaptureFixture[str], spec: Path = SPEC) -> tuple[int, str, str]:
    status = run_docs_check(page, spec=spec, project=ProjectConfig(), fmt="json", write_examples=False)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _with_response_example(example: str) -> str:
    """The agree page with the first response example (session/token/create) replaced."""
    start = AGREE.index(RESPONSE_EXAMPLE)
    end = AGREE.index("```", start)
    return AGREE[:start] + example + "\n" + AGREE[end:]


def _nested(depth: int) -> str:
    return '{"request_id": "XQVgFigpGHXkb0b", "link": ' + '{"a": ' * (depth - 1) + "1" + "}" * depth


def _only_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("depth", [MAX_EXAMPLE_DEPTH + 1, 900, 100_000])
def test_an_absurdly_deep_example_is_exit_2(
    depth: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "deep.md"
    page.write_text(_with_response_example(_nested(depth)), encoding="utf-8")

    status, out, err = _run(str(page), capsys)

    assert (status, out) == (2, "")
    assert _only_line(err) == (
        f"error: {page}: line 57: the response example in section /session/token/create "
        f"nests deeper than {MAX_EXAMPLE_DEPTH} levels"
    )


def test_an_integer_too_long_to_convert_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "long.md"
    page.write_text(_with_response_example('{"request_id": ' + "9" * 5000 + "}"), encoding="utf-8")

    status, out, err = _run(str(page), capsys)

    assert (status, out) == (2, "")
    assert _only_line(err).startswith(
        f"error: {page}: line 57: the response example in section /session/token/create is not valid JSON: "
    )


@settings(max_examples=40)
@given(depth=st.integers(min_value=1, max_value=3 * MAX_EXAMPLE_DEPTH))
def test_examples_nested_up_to_the_limit_parse(depth: int) -> None:
    text = _with_response_example(_nested(depth))

    if depth > MAX_EXAMPLE_DEPTH:
        with pytest.raises(PageError, match="nests deeper than"):
            parse_page(text)
    else:
        response = parse_page(text).examples[1]
        assert response.value == json.loads(_nested(depth))


def test_a_page_file_that_is_not_utf8_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "latin1.md"
    page.write_bytes(AGREE.replace("Knope", "Knöpe").encode("latin-1"))

    status, out, err = _run(str(page), capsys)

    assert (status, out) == (2, "")
    assert _only_line(err).startswith(f"error: {page}: the page is not UTF-8 text (byte 0xf6 at offset ")


@respx.mock
def test_a_fetched_page_that_is_not_utf8_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://docs.example.test/layer.md"
    body = AGREE.replace("Knope", "Kn\xf6pe").encode("latin-1")
    respx.get(url).mock(
        return_value=httpx.Response(200, content=body, headers={"Content-Type": "text/plain"})
    )

    status, out, err = _run(url, capsys)

    assert (status, out) == (2, "")
    assert _only_line(err).startswith(f"error: {url}: the page is not UTF-8 text (byte 0xf6")


def test_a_spec_folder_without_examples_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "layer.yaml"
    shutil.copy(SPEC, spec)

    status, out, err = _run(str(PAGES / "agree.md"), capsys, spec=spec)

    assert (status, out) == (2, "")
    assert _only_line(err) == (
        f"error: {spec}: no examples/ folder beside the spec to compare the page's examples with"
    )


@pytest.mark.parametrize(
    ("target", "reached_by"),
    [
        ('"#/components/schemas/UserAccountIdentity"', "the schema walk"),
        ('"#/components/schemas/RequestID"', "the validator"),
    ],
)
def test_a_dangling_ref_in_the_spec_is_exit_2(
    spec_copy: Path, target: str, reached_by: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = spec_copy.read_text(encoding="utf-8")
    assert target in text, reached_by
    spec_copy.write_text(text.replace(target, '"#/components/schemas/Nowhere"'), encoding="utf-8")

    status, out, err = _run(str(PAGES / "agree.md"), capsys, spec=spec_copy)

    assert (status, out) == (2, "")
    assert _only_line(err).startswith(
        f"error: {spec_copy}: $ref '#/components/schemas/Nowhere' points to nothing"
    )


def test_a_pasted_30_nullable_has_its_31_meaning(spec_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = spec_copy.read_text(encoding="utf-8")
    written_31 = 'ssn_last_4:\n          type: [string, "null"]'
    assert written_31 in text
    spec_copy.write_text(
        text.replace(written_31, "ssn_last_4:\n          type: string\n          nullable: true"),
        encoding="utf-8",
    )
    page = spec_copy.parent / "page.md"
    assert '"ssn_last_4": "4321"' in AGREE
    page.write_text(AGREE.replace('"ssn_last_4": "4321"', '"ssn_last_4": null'), encoding="utf-8")

    status, out, _ = _run(str(page), capsys, spec=spec_copy)

    findings = {(f["kind"], f["location"]) for f in json.loads(out)["findings"]}
    location = "POST /user_account/session/get response 200 body identity.ssn_last_4"
    assert (status, findings) == (1, {("example-differs", location)})
