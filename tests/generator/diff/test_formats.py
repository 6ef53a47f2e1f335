"""The three report formats: json's schema, markdown's order, text's summary; all deterministic."""

from __future__ import annotations

import json

from generator.diff.model import Change, Location, Report
from generator.diff.render import render

A, B = Location.operation("post", "/a"), Location.operation("post", "/b")
REPORT = Report(
    changes=[
        Change("description-changed", B, "The summary changed."),
        Change(
            "response-property-added", A.below("response", "200", "body").at("x"), "Property `x` was added."
        ),
        Change("request-property-removed", B.below("request body").at("y"), "Property `y` was removed."),
        Change("webhook-removed", Location.webhook("DONE"), "The webhook was removed."),
    ],
    python_api=[
        Change(
            "python-object-removed",
            Location.python("plaid_layer.models.B.y"),
            "Public object was removed.",
            B.below("request body").at("y"),
        )
    ],
    python_api_compared=True,
)


def test_json_has_the_documented_keys_breaking_first() -> None:
    data = json.loads(render(REPORT, "json"))
    assert data["breaking"] is True
    assert [change["location"] for change in data["changes"]] == [
        "POST /b request body y",
        "webhook DONE",
        "POST /a response 200 body x",
        "POST /b",
    ]
    assert set(data["changes"][0]) == {"rule", "level", "location", "message"}
    assert data["python_api"][0]["caused_by"] == "POST /b request body y"
    assert data["python_api"][0]["caused_by_rules"] == ["request-property-removed"]


def test_json_without_python_api_has_an_empty_list() -> None:
    data = json.loads(render(Report(changes=[]), "json"))
    assert data == {"breaking": False, "problems": [], "changes": [], "python_api": []}


def test_markdown_puts_counts_first_then_breaking_grouped_by_operation_and_webhook() -> None:
    text = render(REPORT, "markdown")
    assert text.index("| breaking | 2 | 1 |") < text.index("### Breaking changes")
    breaking = text.index("### Breaking changes")
    assert breaking < text.index("### Non-breaking changes") < text.index("### Informational changes")
    assert text.index("#### `POST /b`", breaking) < text.index("#### `webhook DONE`", breaking)
    assert "### Python API" in text
    assert "(from `POST /b request body y`: `request-property-removed`)" in text


def test_text_starts_with_a_summary() -> None:
    text = render(REPORT, "text")
    assert text.splitlines()[0] == "HTTP API: 2 breaking, 1 non-breaking, 1 info"
    assert "Python API: 1 breaking, 0 non-breaking, 0 info" in text


def test_reports_do_not_depend_on_input_order() -> None:
    shuffled = Report(
        changes=list(reversed(REPORT.changes)), python_api=REPORT.python_api, python_api_compared=True
    )
    for fmt in ("json", "markdown", "text"):
        assert render(shuffled, fmt) == render(REPORT, fmt)


def test_markdown_without_python_api_has_no_python_api_column() -> None:
    text = render(Report(changes=REPORT.changes), "markdown")
    assert "| Level | HTTP API |\n" in text
    assert "| breaking | 2 |\n" in text
    assert "Python API" not in text


def test_markdown_with_a_compared_but_unchanged_python_api_shows_zeros() -> None:
    text = render(Report(changes=REPORT.changes, python_api_compared=True), "markdown")
    assert "| breaking | 2 | 0 |" in text
