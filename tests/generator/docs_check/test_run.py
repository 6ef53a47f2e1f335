"""`run_docs_check` end to end on pages written for the tests: exit status, findings and report formats."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from generator.cli import app
from generator.docs_check import run_docs_check
from generator.project import ProjectConfig

from .conftest import PAGES, REFERENCE_PAGE, SPEC

BODY = "POST /session/token/create request body"
RESPONSE = "POST /session/token/create response 200 body"
SESSION_GET = "POST /user_account/session/get response 200 body"

EXPECTED = {
    "missing-in-spec": {
        ("missing-in-spec", "POST /session/token/refresh"),
        ("missing-in-spec", "webhook SESSION_EXPIRED"),
    },
    "missing-on-page": {
        ("missing-on-page", "POST /user_account/session/get"),
        ("missing-on-page", "webhook SESSION_FINISHED"),
    },
    "unknown-field": {
        ("unknown-field", f"{BODY} user.nickname"),
        ("example-differs", f"{BODY} user.nickname"),
        ("unknown-field", f"{SESSION_GET} items[].institution_id"),
        ("example-differs", f"{SESSION_GET} items[].institution_id"),
        ("unknown-field", "webhook LAYER_AUTHENTICATION_PASSED payload session_rating"),
        ("example-differs", "webhook LAYER_AUTHENTICATION_PASSED payload session_rating"),
    },
    "invalid-value": {
        ("invalid-value", f"{RESPONSE} link.expiration"),
        ("example-differs", f"{RESPONSE} link.expiration"),
        ("invalid-value", f"{SESSION_GET} identity_edit_history.name.edits_30d"),
        ("example-differs", f"{SESSION_GET} identity_edit_history.name.edits_30d"),
        ("invalid-value", "webhook SESSION_FINISHED payload webhook_code"),
        ("example-differs", "webhook SESSION_FINISHED payload webhook_code"),
    },
    "missing-required": {
        ("missing-required", f"{BODY} template_id"),
        ("example-differs", f"{BODY} template_id"),
        ("example-differs", f"{BODY} redirect_uri"),
        ("missing-required", "webhook LAYER_AUTHENTICATION_PASSED payload link_session_id"),
        ("example-differs", "webhook LAYER_AUTHENTICATION_PASSED payload link_session_id"),
    },
    "example-differs": {
        ("example-differs", f"{RESPONSE} request_id"),
        ("example-differs", f"{SESSION_GET} identity.address.postal_code"),
        ("example-differs", f"{SESSION_GET} identity.email"),
        ("example-differs", "webhook SESSION_FINISHED payload user_id"),
    },
}


def _run(
    page: str, capsys: pytest.CaptureFixture[str], fmt: str = "json", spec: Path = SPEC
) -> tuple[int, str, str]:
    status = run_docs_check(page, spec=spec, project=ProjectConfig(), fmt=fmt, write_examples=False)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_page_that_agrees_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(str(PAGES / "agree.md"), capsys)
    assert status == 0
    assert json.loads(out) == {"agree": True, "findings": []}


def test_text_report_says_the_page_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(str(PAGES / "agree.md"), capsys, fmt="text")
    assert (status, out) == (0, "the page and the spec agree\n")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_kind_of_finding_is_reported_where_it_is(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(str(PAGES / f"{name}.md"), capsys)
    report = json.loads(out)
    assert status == 1
    assert report["agree"] is False
    assert {(f["kind"], f["location"]) for f in report["findings"]} == EXPECTED[name]


def test_findings_are_sorted_and_text_has_one_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(str(PAGES / "invalid-value.md"), capsys)
    findings = json.loads(out)["findings"]
    assert findings == sorted(findings, key=lambda f: (f["location"], f["kind"], f["message"]))
    _, text, _ = _run(str(PAGES / "invalid-value.md"), capsys, fmt="text")
    assert text.splitlines() == [f"{f['kind']} {f['location']}: {f['message']}" for f in findings]


def test_messages_name_the_values_and_the_stored_file(capsys: pytest.CaptureFixture[str]) -> None:
    _, text, _ = _run(str(PAGES / "example-differs.md"), capsys, fmt="text")
    assert (
        f'example-differs {RESPONSE} request_id: the page has "Zz0000000000000", the stored example has '
        '"XQVgFigpGHXkb0b" (sessionTokenCreate.response.200.json)'
    ) in text.splitlines()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("no-endpoint-table.md", "no endpoint table found"),
        ("listed-without-section.md", "/session/token/create is listed in the endpoint table but no"),
        ("bad-json.md", "the response example in section /session/token/create is not valid JSON"),
        ("no-such-page.md", "cannot read the page"),
    ],
)
def test_a_page_that_cannot_be_read_or_parsed_exits_2(
    name: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(str(PAGES / name), capsys)
    assert (status, out) == (2, "")
    assert expected in err


def test_a_spec_that_cannot_be_read_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(str(PAGES / "agree.md"), capsys, spec=tmp_path / "missing.yaml")
    assert status == 2
    assert "cannot read" in err


def test_plain_http_urls_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run("http://docs.example.test/layer.md", capsys)
    assert status == 2
    assert "only https:// URLs" in err


@respx.mock
def test_an_https_page_is_fetched(capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://docs.example.test/layer.md"
    respx.get(url).mock(return_value=httpx.Response(200, text=(PAGES / "agree.md").read_text()))
    assert _run(url, capsys)[0] == 0


@respx.mock
@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (httpx.Response(404), "the server answered HTTP 404"),
        (httpx.ConnectTimeout("timed out"), "cannot fetch the page: timed out"),
    ],
)
def test_an_https_page_that_cannot_be_fetched_exits_2(
    response: httpx.Response | Exception, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "https://docs.example.test/layer.md"
    route = respx.get(url)
    if isinstance(response, Exception):
        route.mock(side_effect=response)
    else:
        route.mock(return_value=response)
    status, _, err = _run(url, capsys)
    assert status == 2
    assert expected in err


def test_the_cli_passes_the_exit_status_through() -> None:
    result = CliRunner().invoke(app, ["docs-check", str(PAGES / "missing-on-page.md"), "--spec", str(SPEC)])
    assert result.exit_code == 1
    assert result.stdout.startswith("missing-on-page POST /user_account/session/get: ")


@pytest.mark.skipif(not REFERENCE_PAGE.exists(), reason="Plaid's reference page is not beside the repo")
def test_plaids_layer_page_agrees_with_the_spec(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(str(REFERENCE_PAGE), capsys)
    assert json.loads(out) == {"agree": True, "findings": []}
    assert status == 0
