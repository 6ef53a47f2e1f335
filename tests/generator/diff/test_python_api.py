"""The Python API part: both specs built as `generate` builds them, and compared with griffe.

Building a spec is the expensive step, so the edits these tests look at are made together in one
new spec, built and diffed once per session (`EDITED`); each test reads the changes of its own edit,
which touch disjoint operations and schemas.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from generator.cli import app
from generator.diff import python_api
from generator.diff.model import PythonApiError
from generator.diff.sources import read_source
from generator.project import ProjectConfig
from tests.conftest import RenamedDistribution

ROOT = Path(__file__).parents[3]
OUR_SPEC = ROOT / "spec" / "layer.yaml"
REQUEST = "SessionTokenCreateRequest"
NEW_OPERATION = "/webhook_verification_key/list"


def _spec() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(OUR_SPEC.read_text(encoding="utf-8"))
    return document


def _edited() -> dict[str, Any]:
    document = _spec()
    schemas = document["components"]["schemas"]
    properties = schemas[REQUEST]["properties"]
    del properties["android_package_name"]  # removed request property
    properties["redirect_uri"]["type"] = "integer"  # changed annotation
    properties["user_id"] = {"type": ["string", "integer"]}  # widened annotation
    schemas["UserAccountItem"]["properties"]["institution_id"] = {"type": "string", "description": "New."}
    operation = json.loads(json.dumps(document["paths"]["/webhook_verification_key/get"]))
    operation["post"]["operationId"] = "webhookVerificationKeyList"
    operation["post"].pop("x-webhook-verification-key", None)  # one operation may carry the marker
    document["paths"][NEW_OPERATION] = operation
    document["paths"]["/user_account/session/get"]["post"]["operationId"] = "userAccountSessionFetch"
    return document


def _diff(old: Path, new: Path) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture(scope="session")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Any]]:
    new = tmp_path_factory.mktemp("python-api") / "new.yaml"
    new.write_text(yaml.safe_dump(_edited(), sort_keys=False), encoding="utf-8")
    return _diff(OUR_SPEC, new)


def _changes(report: dict[str, Any], cause_prefix: str) -> list[dict[str, Any]]:
    return [c for c in report["python_api"] if (c["caused_by"] or "").startswith(cause_prefix)]


def test_the_edited_spec_breaks_and_says_so(edited: tuple[int, dict[str, Any]]) -> None:
    code, report = edited
    assert (code, report["breaking"]) == (1, True)


def test_removed_request_property_breaks_the_method_and_the_model(edited: tuple[int, dict[str, Any]]) -> None:
    api = _changes(edited[1], "POST /session/token/create request body android_package_name")
    assert {change["rule"] for change in api} == {"python-parameter-removed", "python-object-removed"}
    assert all(change["level"] == "breaking" for change in api)
    assert "plaid_layer.client.PlaidLayer.session_token_create" in {change["location"] for change in api}


def test_changed_property_type_is_reported_on_the_model_and_the_methods(
    edited: tuple[int, dict[str, Any]],
) -> None:
    changed = {(c["rule"], c["location"]): c for c in _changes(edited[1], "POST /session/token/create")}
    model = changed[("python-attribute-changed-type", f"plaid_layer.models.{REQUEST}.redirect_uri")]
    method = changed[("python-parameter-changed-type", "plaid_layer.client.PlaidLayer.session_token_create")]
    for change in (model, method):
        assert "`str | None` → `int | None`" in change["message"]
        assert change["caused_by"] == "POST /session/token/create request body redirect_uri"
        assert change["caused_by_rules"] == ["request-type-changed"]
        assert change["level"] == "breaking"


def test_a_parameter_union_that_keeps_its_members_is_widened(edited: tuple[int, dict[str, Any]]) -> None:
    api = _changes(edited[1], "POST /session/token/create request body user_id")
    rules = {(c["rule"], c["location"]) for c in api}
    assert ("python-parameter-type-widened", "plaid_layer.client.PlaidLayer.session_token_create") in rules
    assert all(c["level"] == "non-breaking" for c in api if c["rule"] == "python-parameter-type-widened")
    assert ("python-parameter-changed-type", "plaid_layer.client.PlaidLayer.session_token_create") not in {
        (c["rule"], c["location"]) for c in api if "user_id" in c["message"]
    }


def test_new_response_property_is_not_a_python_breaking_change(edited: tuple[int, dict[str, Any]]) -> None:
    report = edited[1]
    http = [c for c in report["changes"] if c["location"].endswith("institution_id")]
    assert {c["rule"] for c in http} == {"response-property-added"}
    assert all(c["level"] != "breaking" for c in report["python_api"] if "institution_id" in c["location"])


def test_new_operation_adds_methods_linked_to_the_operation(edited: tuple[int, dict[str, Any]]) -> None:
    added = [c for c in edited[1]["python_api"] if c["rule"] == "python-function-added"]
    assert "plaid_layer.client.PlaidLayer.webhook_verification_key_list" in {c["location"] for c in added}
    linked = {c["caused_by"] for c in added if "webhook_verification_key_list" in c["location"]}
    assert linked == {f"POST {NEW_OPERATION}"}
    assert all(change["level"] == "non-breaking" for change in added)


def test_operation_id_rename_is_info_for_http_but_breaks_the_python_api(
    edited: tuple[int, dict[str, Any]],
) -> None:
    report = edited[1]
    http = [c for c in report["changes"] if c["location"] == "POST /user_account/session/get"]
    assert [(c["rule"], c["level"]) for c in http] == [("operation-id-changed", "info")]
    removed = {c["location"]: c["caused_by"] for c in report["python_api"] if c["level"] == "breaking"}
    for client in ("PlaidLayer", "AsyncPlaidLayer"):
        assert (
            removed[f"plaid_layer.client.{client}.user_account_session_get"]
            == "POST /user_account/session/get"
        )


def test_same_spec_has_no_python_api_changes() -> None:
    assert _diff(OUR_SPEC, OUR_SPEC) == (
        0,
        {"breaking": False, "problems": [], "changes": [], "python_api": []},
    )


def test_the_build_the_diff_compares_is_what_generate_commits() -> None:
    # The diff's build (cached, no import probe) must be byte for byte the committed package.
    built = python_api.built_package(read_source(str(OUR_SPEC)), ProjectConfig()) / "plaid_layer"
    committed = ROOT / "generated" / "plaid_layer"
    names = {p.relative_to(built).as_posix() for p in built.rglob("*.py")}
    assert names == {p.relative_to(committed).as_posix() for p in committed.rglob("*.py")}
    for name in sorted(names):
        assert (built / name).read_bytes() == (committed / name).read_bytes(), name


def test_a_cached_build_is_reused_and_a_new_input_is_not(tmp_path: Path) -> None:
    source, project = read_source(str(OUR_SPEC)), ProjectConfig()
    first = python_api.built_package(source, project)
    assert python_api.built_package(source, project) == first
    other = tmp_path / "other.yaml"
    other.write_text(source.text + "\n# a comment changes the spec's sha256\n", encoding="utf-8")
    assert python_api.build_key(read_source(str(other)).text, project) != first.name
    assert python_api.build_key(source.text, ProjectConfig(package="acme_layer")) != first.name


def test_the_cache_keeps_the_most_recently_used_builds(tmp_path: Path) -> None:
    for index in range(python_api._KEPT_BUILDS + 3):
        build = tmp_path / f"build-{index:02d}"
        build.mkdir()
        os.utime(build, (1_000_000 + index, 1_000_000 + index))
    (tmp_path / ".build-in-progress").mkdir()  # a build being written is never pruned
    python_api._prune(tmp_path)
    kept = sorted(path.name for path in tmp_path.iterdir())
    expected = [f"build-{index:02d}" for index in range(3, python_api._KEPT_BUILDS + 3)]
    assert kept == [".build-in-progress", *expected]


def test_an_unwritable_cache_is_exit_2_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(python_api.CACHE_ENV, str(blocker / "cache"))
    other = tmp_path / "other.yaml"
    other.write_text(OUR_SPEC.read_text(encoding="utf-8") + "\n# other\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(OUR_SPEC), str(other)])
    assert result.exit_code == 2
    assert "cannot write the build cache" in result.stderr
    assert python_api.CACHE_ENV in result.stderr


def test_the_package_is_found_by_its_configured_name(renamed: RenamedDistribution) -> None:
    # The session's renamed build is put where the cache keeps a build of our spec with its config.
    source = read_source(str(OUR_SPEC))
    cached = python_api.cache_dir() / python_api.build_key(source.text, renamed.project)
    shutil.copytree(renamed.root, cached)
    api = python_api.load_api(source, renamed.project)
    assert (api.path, api["client"]["Acme"].path) == ("acme_layer", "acme_layer.client.Acme")


def test_both_sides_are_built_at_once_when_neither_is_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(python_api.CACHE_ENV, str(tmp_path / "cache"))
    other = tmp_path / "other.yaml"
    other.write_text(OUR_SPEC.read_text(encoding="utf-8") + "\n# other\n", encoding="utf-8")
    sources = (read_source(str(OUR_SPEC)), read_source(str(other)))
    folders = python_api.built_packages(sources, ProjectConfig())
    assert [folder.name for folder in folders] == [
        python_api.build_key(source.text, ProjectConfig()) for source in sources
    ]
    assert all((folder / "plaid_layer" / "__init__.py").is_file() for folder in folders)


def test_a_side_built_in_the_child_that_fails_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(python_api.CACHE_ENV, str(tmp_path / "cache"))
    document = _spec()
    document["paths"]["/session/token/create"]["post"].pop("responses")
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    sources = (read_source(str(OUR_SPEC)), read_source(str(broken)))
    with pytest.raises(
        PythonApiError, match=re.escape(f"cannot generate the Python package from {broken}: ")
    ):
        python_api.built_packages(sources, ProjectConfig())
