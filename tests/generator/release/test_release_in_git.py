"""`layer-codegen release` end to end, in a temporary git repository holding a copy of this project.

The command runs as `python -m generator` inside the copy, so the copy's generator, release record
and templates are the ones read and written; this checkout is never touched. Each copy is built once
per module and reset after each test, and most cases are dry runs, since a release regenerates.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import ROOT

BASE_TAG = "plaid-layer-v1.0.0"
COPIED = ("spec", "generator", "templates", "generated", ".gitignore", "pyproject.toml")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _run(repo: Path, *command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **GIT_ENV, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
    )


def _git(repo: Path, *args: str) -> str:
    result = _run(repo, "git", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def release(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`layer-codegen release ARGS` with the copy's own generator (the working directory comes first)."""
    return _run(repo, sys.executable, "-m", "generator", "release", *args)


def _make_repo(root: Path) -> Path:
    repo = root / "project"
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "The last release")
    _git(repo, "tag", BASE_TAG)
    return repo


def edit_spec(repo: Path, change: Any) -> None:
    path = repo / "spec" / "layer.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


def remove_item_id(document: dict[str, Any]) -> None:
    del _schemas(document)["UserAccountItem"]["properties"]["item_id"]


@pytest.fixture(scope="module")
def base_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_repo(tmp_path_factory.mktemp("release"))


@pytest.fixture
def repo(base_repo: Path) -> Iterator[Path]:
    """The repository at the last release; whatever a test changed (files, tags) is undone after it."""
    yield base_repo
    commit = _git(base_repo, "rev-list", "-n", "1", "HEAD").strip()
    _git(base_repo, "reset", "-q", "--hard", commit)
    _git(base_repo, "clean", "-fdq")
    for tag in _git(base_repo, "tag", "--list").split():
        _git(base_repo, "tag", "-d", tag)
    _git(base_repo, "tag", BASE_TAG, commit)


def _unchanged(repo: Path) -> bool:
    return _git(repo, "status", "--porcelain", "--", "generator", "generated") == ""


def test_added_optional_field_is_a_minor_release(repo: Path) -> None:
    def add_nickname(document: dict[str, Any]) -> None:
        _schemas(document)["SessionTokenCreateRequestUser"]["properties"]["nickname"] = {"type": "string"}

    edit_spec(repo, add_nickname)
    result = release(repo, "--dry-run", "--no-python-api")
    assert result.returncode == 0, result.stderr
    assert "plaid-layer 1.0.0 -> 1.1.0 (minor, since plaid-layer-v1.0.0)" in result.stdout
    assert "### Added\n\n- `SessionTokenCreateRequestUser.nickname`, in what method" in result.stdout
    assert _unchanged(repo)


def test_description_edit_is_a_patch_release(repo: Path) -> None:
    def describe(document: dict[str, Any]) -> None:
        document["paths"]["/session/token/create"]["post"]["description"] = "Create a Link token."

    edit_spec(repo, describe)
    result = release(repo, "--dry-run", "--no-python-api")
    assert result.returncode == 0, result.stderr
    assert "1.0.0 -> 1.0.1 (patch" in result.stdout
    assert "### Documentation\n\n- method `session_token_create`: The description changed." in result.stdout


def test_generated_code_changed_without_an_api_change_is_a_patch_release(repo: Path) -> None:
    runtime = repo / "generated" / "plaid_layer" / "_redact.py"
    runtime.write_text(runtime.read_text(encoding="utf-8") + "# a fix in the runtime\n", encoding="utf-8")
    result = release(repo, "--dry-run", "--no-python-api")
    assert result.returncode == 0, result.stderr
    assert "1.0.0 -> 1.0.1 (patch" in result.stdout
    assert "### Changed\n\n- the package: The generated code changed" in result.stdout


def test_no_change_is_no_release(repo: Path) -> None:
    result = release(repo, "--no-python-api")
    assert result.returncode == 0, result.stderr
    assert "no release; plaid-layer stays 1.0.0" in result.stdout
    assert _unchanged(repo)


def test_operation_id_rename_is_a_major_release(repo: Path) -> None:
    def rename(document: dict[str, Any]) -> None:
        document["paths"]["/session/token/create"]["post"]["operationId"] = "layerSessionCreate"

    edit_spec(repo, rename)
    result = release(repo, "--dry-run")  # the Python API part is what makes the rename breaking
    assert result.returncode == 0, result.stderr
    assert "1.0.0 -> 2.0.0 (major" in result.stdout
    breaking = result.stdout.split("### Breaking")[1].split("###")[0].split("Dry run")[0]
    # One rename, not the removals of the old method and models and the additions of the new ones.
    assert breaking.strip() == (
        "- method `session_token_create`: Renamed to `layer_session_create`. (`POST /session/token/create`)"
    )
    assert "plaid_layer." not in result.stdout


def test_without_a_release_tag_it_says_what_to_do(repo: Path) -> None:
    _git(repo, "tag", "-d", BASE_TAG)
    result = release(repo, "--no-python-api")
    assert result.returncode == 2
    assert "no release tag plaid-layer-vX.Y.Z is reachable from HEAD" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_tag_newer_than_the_recorded_version_is_refused(repo: Path) -> None:
    _git(repo, "tag", "plaid-layer-v1.1.0")
    result = release(repo, "--no-python-api")
    assert result.returncode == 2
    assert "recorded version is 1.0.0 but the newest release tag is plaid-layer-v1.1.0" in result.stderr


def test_an_unknown_since_revision_exits_2(repo: Path) -> None:
    result = release(repo, "--since", "no-such-rev", "--no-python-api")
    assert result.returncode == 2
    assert result.stderr.startswith("error: no-such-rev:spec/layer.yaml: not a file, and git cannot show it")


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A copy in which a breaking change was released for real (recorded and regenerated)."""
    repo = _make_repo(tmp_path_factory.mktemp("released"))
    edit_spec(repo, remove_item_id)
    return repo, release(repo, "--no-python-api")


def test_breaking_change_is_a_major_release_named_in_the_changelog(
    released: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    repo, result = released
    assert result.returncode == 0, result.stderr
    assert "plaid-layer 1.0.0 -> 2.0.0 (major" in result.stdout
    assert "Recorded 2.0.0 in generator/config/release.toml and regenerated generated." in result.stdout
    changelog = (repo / "generated" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 2.0.0 (spec `2020-09-14`)") < changelog.index("## 1.0.0")
    assert (
        "### Breaking\n\n- `UserAccountItem.item_id`, in what method `user_account_session_get` returns: "
        "Removed. (`POST /user_account/session/get response 200 body items[].item_id`)"
    ) in changelog
    check = _run(repo, sys.executable, "-m", "generator", "check")
    assert check.returncode == 0, check.stdout


def test_released_version_is_the_package_version_and_user_agent(
    released: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    repo, _ = released
    probe = (
        "import json, plaid_layer\n"
        "from plaid_layer.testing import mock_layer\n"
        "with mock_layer() as mock, plaid_layer.PlaidLayer(client_id='c', secret='s') as client:\n"
        "    client.webhook_verification_key_get(key_id='k')\n"
        "agent = mock.calls[0].headers['user-agent']\n"
        "print(json.dumps([plaid_layer.__file__, plaid_layer.__version__, agent]))\n"
    )
    result = _run(repo, sys.executable, "-c", probe, env={"PYTHONPATH": str(repo / "generated")})
    assert result.returncode == 0, result.stderr
    location, version, user_agent = json.loads(result.stdout)
    assert Path(location).is_relative_to(repo)
    assert (version, user_agent) == ("2.0.0", "plaid-layer-python/2.0.0")


def test_released_version_is_in_the_wheel_and_the_sdist_ships_the_changelog(
    released: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    repo, _ = released
    # hatchling (the package's build backend) is installed with the test extras: no network needed.
    command = [sys.executable, "-m", "hatchling", "build", "-d", str(tmp_path)]
    build = _run(repo / "generated", *command)
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read("plaid_layer-2.0.0.dist-info/METADATA").decode()
    assert "\nVersion: 2.0.0\n" in metadata
    (sdist,) = tmp_path.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        assert "plaid_layer-2.0.0/CHANGELOG.md" in archive.getnames()


def add_webhook_and_error_type(document: dict[str, Any]) -> None:
    """A pasted webhook (`LAYER_AUTHENTICATION_FAILED`) and a new `PlaidErrorType` value."""
    schemas = _schemas(document)
    failed = copy.deepcopy(schemas["LayerAuthenticationPassedWebhook"])
    failed["title"] = "LayerAuthenticationFailedWebhook"
    failed["properties"]["webhook_code"]["const"] = "LAYER_AUTHENTICATION_FAILED"
    schemas["LayerAuthenticationFailedWebhook"] = failed
    ref = "#/components/schemas/LayerAuthenticationFailedWebhook"
    schemas["LayerWebhook"]["oneOf"].append({"$ref": ref})
    schemas["LayerWebhook"]["discriminator"]["mapping"]["LAYER_AUTHENTICATION_FAILED"] = ref
    hook = copy.deepcopy(document["webhooks"]["LAYER_AUTHENTICATION_PASSED"])
    hook["post"]["operationId"] = "layerAuthenticationFailedWebhook"
    hook["post"]["requestBody"]["content"]["application/json"] = {"schema": {"$ref": ref}}
    document["webhooks"]["LAYER_AUTHENTICATION_FAILED"] = hook
    schemas["PlaidErrorType"]["anyOf"][0]["enum"].append("NEW_ERROR_TYPE")


def test_a_new_webhook_and_a_new_response_enum_value_are_a_minor_release(repo: Path) -> None:
    edit_spec(repo, add_webhook_and_error_type)
    result = release(repo, "--dry-run")  # with the Python API part: the widened `Webhook` union
    assert result.returncode == 0, result.stderr
    assert "1.0.0 -> 1.1.0 (minor" in result.stdout, result.stdout
    assert "### Breaking" not in result.stdout
    added = result.stdout.split("### Added")[1].split("###")[0]
    # The enum value once, at its schema, under Added; the webhook as an addition.
    assert added.count("NEW_ERROR_TYPE") == 1
    assert "model `PlaidErrorType`" in added
    assert "webhook `LAYER_AUTHENTICATION_FAILED`" in added


def test_release_from_a_second_clone_writes_only_into_that_clone(tmp_path: Path) -> None:
    """The first clone's generator (its environment) releasing the second clone records it there."""
    first = _make_repo(tmp_path)
    second = tmp_path / "second"
    _git(tmp_path, "clone", "-q", str(first), str(second))
    edit_spec(second, remove_item_id)
    # -P: the working directory is not put first on the path, so the first clone's generator runs.
    command = [sys.executable, "-P", "-m", "generator"]
    env = {"PYTHONPATH": str(first)}
    where = _run(second, sys.executable, "-P", "-c", "import generator; print(generator.__file__)", env=env)
    assert Path(where.stdout.strip()).is_relative_to(first), where.stderr

    result = _run(second, *command, "release", "--no-python-api", env=env)

    assert result.returncode == 0, result.stderr
    assert "Recorded 2.0.0 in generator/config/release.toml and regenerated generated." in result.stdout
    assert _git(first, "status", "--porcelain") == ""
    changed = _git(second, "status", "--porcelain", "--", "generator", "generated").splitlines()
    assert " M generator/config/release.toml" in changed
    assert " M generated/plaid_layer/__init__.py" in changed  # its __version__
    record = (second / "generator" / "config" / "release.toml").read_text(encoding="utf-8")
    assert record.index('version = "2.0.0"') < record.index('version = "1.0.0"')
    check = _run(second, *command, "check", env=env)
    assert (check.returncode, check.stdout) == (0, "generated is fresh\n")


def test_a_release_keeps_files_it_did_not_write_unless_told_to_delete_them(repo: Path) -> None:
    edit_spec(repo, remove_item_id)
    notes = repo / "generated" / "NOTES.txt"
    notes.write_text("mine\n", encoding="utf-8")
    refused = release(repo, "--no-python-api")
    assert refused.returncode == 2
    assert "NOTES.txt" in refused.stderr and "--delete-unknown" in refused.stderr
    assert notes.read_text(encoding="utf-8") == "mine\n"
    assert _git(repo, "status", "--porcelain", "--", "generator") == ""  # the record was put back
    released = release(repo, "--no-python-api", "--delete-unknown")
    assert released.returncode == 0, released.stderr
    assert not notes.exists()
