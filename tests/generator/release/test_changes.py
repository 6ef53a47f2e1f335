"""Changelog entries from the diff: grouped by level, in the Python names a consumer knows."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build.history import Entry
from generator.build.versioning import Bump
from generator.diff.model import Change, Location, Report
from generator.release.changes import bump_for, changelog_entries, diff_report
from tests.support import SPEC

BASE: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
Diffed = Callable[[dict[str, Any]], tuple[Bump | None, list[Entry]]]


@pytest.fixture
def spec() -> dict[str, Any]:
    return copy.deepcopy(BASE)


@pytest.fixture
def diffed(tmp_path: Path) -> Diffed:
    """Diff the committed spec with an edited copy, as the release does (HTTP part only)."""

    def entries(new: dict[str, Any]) -> tuple[Bump | None, list[Entry]]:
        path = tmp_path / "new.yaml"
        path.write_text(yaml.safe_dump(new, sort_keys=False), encoding="utf-8")
        compared = diff_report(str(SPEC), str(path), cwd=tmp_path, python_api=False)
        return bump_for(compared.report), changelog_entries(compared.report, compared.old, compared.new)

    return entries


def test_a_removed_operation_names_the_removed_method(spec: dict[str, Any], diffed: Diffed) -> None:
    del spec["paths"]["/user_account/session/get"]
    bump, entries = diffed(spec)
    assert bump is Bump.major
    assert entries == [
        Entry(
            "Breaking",
            "method `user_account_session_get`",
            "The operation was removed.",
            "POST /user_account/session/get",
        )
    ]


def test_a_new_request_field_names_the_model_and_field(spec: dict[str, Any], diffed: Diffed) -> None:
    user = spec["components"]["schemas"]["SessionTokenCreateRequestUser"]
    user["properties"]["nickname"] = {"type": "string"}
    bump, entries = diffed(spec)
    assert bump is Bump.minor
    (entry,) = entries
    assert entry.group == "Added"
    assert entry.subject == (
        "`SessionTokenCreateRequestUser.nickname`, in what method `session_token_create` sends"
    )
    assert entry.location == "POST /session/token/create request body user.nickname"


def test_a_removed_response_field_inside_an_array_names_its_model(
    spec: dict[str, Any], diffed: Diffed
) -> None:
    del spec["components"]["schemas"]["UserAccountItem"]["properties"]["item_id"]
    _, entries = diffed(spec)
    assert [entry.subject for entry in entries] == [
        "`UserAccountItem.item_id`, in what method `user_account_session_get` returns"
    ]


def test_a_webhook_field_names_the_webhook_model(spec: dict[str, Any], diffed: Diffed) -> None:
    payload = spec["components"]["schemas"]["LinkSessionFinishedWebhook"]
    payload["properties"]["attempt"] = {"type": "integer"}
    bump, entries = diffed(spec)
    assert bump is Bump.minor
    assert [entry.subject for entry in entries] == [
        "`LinkSessionFinishedWebhook.attempt`, in what webhook `SESSION_FINISHED` carries"
    ]


def test_a_description_edit_is_documentation_and_a_patch(spec: dict[str, Any], diffed: Diffed) -> None:
    spec["paths"]["/session/token/create"]["post"]["description"] = "Line one\nline two."
    bump, entries = diffed(spec)
    assert bump is Bump.patch
    assert [(entry.group, entry.message) for entry in entries] == [
        ("Documentation", "The description changed.")
    ]


def test_no_change_no_bump(diffed: Diffed) -> None:
    assert diffed(copy.deepcopy(BASE)) == (None, [])


def test_python_changes_the_http_part_already_names_are_left_out() -> None:
    x, y = Location.operation("post", "/x"), Location.operation("post", "/y")
    removed = Change("operation-removed", x, "The operation was removed.")
    renamed = Change("operation-id-changed", y, "operationId changed from `a` to `b`.")
    gone = "Public object was removed."
    methods = [
        Change("python-object-removed", Location.python("plaid_layer.client.PlaidLayer.x"), gone, x),
        Change("python-object-removed", Location.python("plaid_layer.client.PlaidLayer.a"), gone, y),
    ]
    report = Report(changes=[removed, renamed], python_api=methods)
    entries = changelog_entries(report, {}, {})
    assert bump_for(report) is Bump.major
    assert [(entry.group, entry.subject, entry.location) for entry in entries] == [
        ("Breaking", "`POST /x`", "POST /x"),
        ("Changed", "`POST /y`", "POST /y"),
        # The rename is info over HTTP but removes a method: kept, with the spec location behind it.
        ("Breaking", "`plaid_layer.client.PlaidLayer.a`", "POST /y"),
    ]


def test_a_new_error_type_is_one_added_entry_naming_its_model(spec: dict[str, Any], diffed: Diffed) -> None:
    spec["components"]["schemas"]["PlaidErrorType"]["anyOf"][0]["enum"].append("NEW_TYPE")
    bump, entries = diffed(spec)
    assert bump is Bump.minor
    assert entries == [
        Entry("Added", "model `PlaidErrorType`", 'Enum value(s) `"NEW_TYPE"` added.', "schema PlaidErrorType")
    ]


def test_changes_to_one_field_are_one_entry_that_does_not_repeat_it(
    spec: dict[str, Any], diffed: Diffed
) -> None:
    item = spec["components"]["schemas"]["UserAccountItem"]
    item["required"] = [*item.get("required", []), "item_id"]
    item["properties"]["item_id"]["deprecated"] = True
    _, entries = diffed(spec)
    (entry,) = [entry for entry in entries if entry.group == "Changed"]
    assert entry.subject == "`UserAccountItem.item_id`, in what method `user_account_session_get` returns"
    assert entry.message == "Now required. Now deprecated."
    assert "item_id" not in entry.message


def test_a_field_behind_a_ref_into_a_path_with_slashes_names_its_model() -> None:
    # `~1` in a JSON pointer is `/`: the body of POST /b is the one written under POST /a/x.
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "paths": {
            "/a/x": {
                "post": {
                    "operationId": "aX",
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}
                    },
                }
            },
            "/b": {"post": {"operationId": "b", "requestBody": {"$ref": "#/paths/~1a~1x/post/requestBody"}}},
        },
        "components": {"schemas": {"Req": {"type": "object", "properties": {"nick": {"type": "string"}}}}},
    }
    where = Location.operation("post", "/b").below("request body").at("nick")
    report = Report(changes=[Change("request-property-added-optional", where, "Property `nick` was added.")])
    (entry,) = changelog_entries(report, document, document)
    assert entry.subject == "`Req.nick`, in what method `b` sends"
