"""`layer-codegen diff` end to end: exit statuses, git revisions and error messages."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from generator.cli import app

ROOT = Path(__file__).parents[3]
OUR_SPEC = ROOT / "spec" / "layer.yaml"


def _diff(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["diff", *args, "--no-python-api"])
    return result.exit_code, result.stdout, result.stderr


def _write(path: Path, document: object) -> str:
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return str(path)


def _without_request_property(tmp_path: Path) -> str:
    document = yaml.safe_load(OUR_SPEC.read_text(encoding="utf-8"))
    del document["components"]["schemas"]["SessionTokenCreateRequest"]["properties"]["webhook"]
    return _write(tmp_path / "new.yaml", document)


def test_our_spec_against_itself_has_no_changes_and_exits_0() -> None:
    code, out, _ = _diff(str(OUR_SPEC), str(OUR_SPEC), "--format", "json")
    assert code == 0
    assert json.loads(out) == {"breaking": False, "problems": [], "changes": [], "python_api": []}


def test_breaking_change_exits_1(tmp_path: Path) -> None:
    code, out, _ = _diff(str(OUR_SPEC), _without_request_property(tmp_path), "--format", "json")
    assert code == 1
    assert json.loads(out)["changes"] == [
        {
            "rule": "request-property-removed",
            "level": "breaking",
            "location": "POST /session/token/create request body webhook",
            "message": "Property `webhook` was removed.",
        }
    ]


def test_fail_on_never_exits_0(tmp_path: Path) -> None:
    code, out, _ = _diff(str(OUR_SPEC), _without_request_property(tmp_path), "--fail-on", "never")
    assert code == 0
    assert "request-property-removed" in out


def test_new_open_enum_value_in_our_spec_is_non_breaking(tmp_path: Path) -> None:
    document = yaml.safe_load(OUR_SPEC.read_text(encoding="utf-8"))
    document["components"]["schemas"]["PlaidErrorType"]["anyOf"][0]["enum"].append("NEW_ERROR")
    code, out, _ = _diff(str(OUR_SPEC), _write(tmp_path / "new.yaml", document), "--format", "json")
    assert code == 0
    changes = json.loads(out)["changes"]
    # Once, at the component, however many responses use it.
    assert [(change["rule"], change["location"]) for change in changes] == [
        ("response-enum-value-added", "schema PlaidErrorType")
    ]


def test_git_revision_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "layer.yaml").write_text(OUR_SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    git("add", "spec/layer.yaml")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "spec")
    new = _without_request_property(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = _diff("HEAD:spec/layer.yaml", new)
    assert code == 1
    assert "POST /session/token/create request body webhook" in out


def test_unknown_git_revision_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    monkeypatch.chdir(tmp_path)
    code, _, err = _diff("no-such-rev:spec/layer.yaml", str(OUR_SPEC))
    assert code == 2
    assert "no-such-rev:spec/layer.yaml" in err


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("openapi: [unclosed", "not valid YAML"),
        ("swagger: '2.0'\npaths: {}\n", "no top-level 'openapi' key"),
        ("openapi: 2.5.0\npaths: {}\n", "unsupported OpenAPI version"),
        ("- a list\n", "expected a mapping"),
        ("openapi: 3.1.0\npaths: []\n", "'paths' must be a mapping"),
    ],
)
def test_bad_input_exits_2_naming_the_problem(tmp_path: Path, content: str, problem: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    code, out, err = _diff(str(bad), str(OUR_SPEC))
    assert code == 2
    assert out == ""
    assert problem in err and str(bad) in err


@pytest.mark.parametrize("argument", ["--output=OUT:spec.yaml", "-oOUT:spec.yaml"])
def test_an_argument_like_a_git_option_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argument: str
) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    monkeypatch.chdir(tmp_path)
    argument = argument.replace("OUT", str(tmp_path / "written"))
    result = CliRunner().invoke(app, ["diff", "--no-python-api", "--", argument, str(OUR_SPEC)])
    assert result.exit_code == 2
    assert argument in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == [".git"]


def test_git_is_given_the_revision_after_end_of_options(tmp_path: Path) -> None:
    # Even past the check on a leading '-', git itself must read the argument as a revision.
    from generator.diff.sources import _git_show
    from generator.spec.loader import SpecError

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    with pytest.raises(SpecError):
        _git_show(f"--output={tmp_path / 'written'}:spec.yaml", tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == [".git"]


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = _diff(str(tmp_path / "missing.yaml"), str(OUR_SPEC))
    assert code == 2
    assert "missing.yaml: no such file" in err


def test_json_input_is_read(tmp_path: Path) -> None:
    as_json = tmp_path / "layer.json"
    as_json.write_text(json.dumps(yaml.safe_load(OUR_SPEC.read_text(encoding="utf-8"))), encoding="utf-8")
    code, out, _ = _diff(str(as_json), str(OUR_SPEC), "--format", "markdown")
    assert code == 0
    assert "No changes." in out
    assert "Python API" not in out  # --no-python-api: the column would claim a comparison
