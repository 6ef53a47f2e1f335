"""The Python API part: both specs built as `generate` builds them, and compared with griffe."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from generator.cli import app
from generator.diff import python_api
from generator.diff.sources import read_source

ROOT = Path(__file__).parents[2]
OUR_SPEC = ROOT / "spec" / "layer.yaml"


def _diff(tmp_path: Path, document: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(OUR_SPEC), str(new), "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def _spec() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(OUR_SPEC.read_text(encoding="utf-8"))
    return document


def test_removed_request_property_breaks_the_method_and_the_model(tmp_path: Path) -> None:
    document = _spec()
    del document["components"]["schemas"]["SessionTokenCreateRequest"]["properties"]["android_package_name"]
    code, report = _diff(tmp_path, document)
    assert code == 1
    api = report["python_api"]
    assert {change["rule"] for change in api} == {"python-parameter-removed", "python-object-removed"}
    assert all(change["level"] == "breaking" for change in api)
    assert {change["caused_by"] for change in api} == {
        "POST /session/token/create request body android_package_name"
    }
    assert "plaid_layer.client.PlaidLayer.session_token_create" in {change["location"] for change in api}


def test_same_spec_has_no_python_api_changes(tmp_path: Path) -> None:
    code, report = _diff(tmp_path, _spec())
    assert (code, report) == (0, {"breaking": False, "changes": [], "python_api": []})


def test_new_response_property_is_not_a_python_breaking_change(tmp_path: Path) -> None:
    document = _spec()
    properties = document["components"]["schemas"]["UserAccountItem"]["properties"]
    properties["institution_id"] = {"type": "string", "description": "The institution."}
    code, report = _diff(tmp_path, document)
    assert code == 0
    assert [change["rule"] for change in report["changes"]] == ["response-property-added"]
    assert all(change["level"] != "breaking" for change in report["python_api"])


def test_new_operation_adds_methods_linked_to_the_operation(tmp_path: Path) -> None:
    document = _spec()
    operation = json.loads(json.dumps(document["paths"]["/webhook_verification_key/get"]))
    operation["post"]["operationId"] = "webhookVerificationKeyList"
    operation["post"].pop("x-webhook-verification-key", None)  # one operation may carry the marker
    document["paths"]["/webhook_verification_key/list"] = operation
    code, report = _diff(tmp_path, document)
    assert code == 0
    added = [change for change in report["python_api"] if change["rule"] == "python-function-added"]
    assert "plaid_layer.client.PlaidLayer.webhook_verification_key_list" in {c["location"] for c in added}
    assert {change["caused_by"] for change in added} == {"POST /webhook_verification_key/list"}
    assert all(change["level"] == "non-breaking" for change in added)


def test_operation_id_rename_is_info_for_http_but_breaks_the_python_api(tmp_path: Path) -> None:
    document = _spec()
    document["paths"]["/user_account/session/get"]["post"]["operationId"] = "userAccountSessionFetch"
    code, report = _diff(tmp_path, document)
    assert code == 1
    assert report["breaking"] is True
    assert [(c["rule"], c["level"]) for c in report["changes"]] == [("operation-id-changed", "info")]
    removed = {c["location"] for c in report["python_api"] if c["level"] == "breaking"}
    assert "plaid_layer.client.PlaidLayer.user_account_session_get" in removed
    assert "plaid_layer.client.AsyncPlaidLayer.user_account_session_get" in removed
    causes = {c["location"]: c["caused_by"] for c in report["python_api"] if c["location"] in removed}
    assert (
        causes["plaid_layer.client.PlaidLayer.user_account_session_get"] == "POST /user_account/session/get"
    )
    assert set(causes.values()) <= {
        "POST /user_account/session/get",
        "POST /user_account/session/get request body",
    }


def test_changed_property_type_is_reported_on_the_model_and_the_methods(tmp_path: Path) -> None:
    document = _spec()
    document["components"]["schemas"]["SessionTokenCreateRequest"]["properties"]["redirect_uri"]["type"] = (
        "integer"
    )
    code, report = _diff(tmp_path, document)
    assert code == 1
    changed = {(c["rule"], c["location"]): c for c in report["python_api"]}
    model = changed[
        ("python-attribute-changed-type", "plaid_layer.models.SessionTokenCreateRequest.redirect_uri")
    ]
    method = changed[("python-parameter-changed-type", "plaid_layer.client.PlaidLayer.session_token_create")]
    for change in (model, method):
        assert "`str | None` → `int | None`" in change["message"]
        assert change["caused_by"] == "POST /session/token/create request body redirect_uri"
        assert change["level"] == "breaking"


def test_a_parameter_union_that_keeps_its_members_is_widened(tmp_path: Path) -> None:
    document = _spec()
    document["components"]["schemas"]["SessionTokenCreateRequest"]["properties"]["redirect_uri"] = {
        "type": ["string", "integer"]
    }
    _, report = _diff(tmp_path, document)
    rules = {(c["rule"], c["location"]) for c in report["python_api"]}
    assert ("python-parameter-type-widened", "plaid_layer.client.PlaidLayer.session_token_create") in rules
    assert (
        "python-parameter-changed-type",
        "plaid_layer.client.PlaidLayer.session_token_create",
    ) not in rules


def test_the_build_the_diff_compares_is_what_generate_commits() -> None:
    # The diff's build (cached, no import probe) must be byte for byte the committed package.
    built = python_api.built_package(read_source(str(OUR_SPEC))) / "plaid_layer"
    committed = ROOT / "generated" / "plaid_layer"
    names = {p.relative_to(built).as_posix() for p in built.rglob("*.py")}
    assert names == {p.relative_to(committed).as_posix() for p in committed.rglob("*.py")}
    for name in sorted(names):
        assert (built / name).read_bytes() == (committed / name).read_bytes(), name


def test_a_cached_build_is_reused_and_a_new_input_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = read_source(str(OUR_SPEC))
    first = python_api.built_package(source)
    assert python_api.built_package(source) == first
    other = tmp_path / "other.yaml"
    other.write_text(source.text + "\n# a comment changes the spec's sha256\n", encoding="utf-8")
    assert python_api.build_key(read_source(str(other)).text) != first.name
