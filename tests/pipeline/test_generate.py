"""The pipeline end to end: fresh, deterministic, atomic, and spec-driven."""

from __future__ import annotations

import filecmp
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from generator.cli import app
from generator.pipeline import build_distribution, stale_files
from generator.stages import HEADER
from tests.support import GENERATED, SPEC

runner = CliRunner()


@pytest.fixture(scope="module")
def fresh_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fresh") / "dist"
    build_distribution(SPEC, target)
    return target


def _files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


def test_committed_tree_is_fresh() -> None:
    assert stale_files(SPEC, GENERATED) == []


def test_check_command_fails_after_a_hand_edit(tmp_path: Path, fresh_tree: Path) -> None:
    copy = tmp_path / "generated"
    subprocess.run(["cp", "-r", str(fresh_tree), str(copy)], check=True)
    client = copy / "plaid_layer" / "client.py"
    client.write_text(client.read_text() + "\n# a hand edit\n")
    (copy / "plaid_layer" / "stray.py").write_text("x = 1\n")

    result = runner.invoke(app, ["check", "--spec", str(SPEC), "--output", str(copy)])

    assert result.exit_code == 1
    assert "plaid_layer/client.py" in result.output
    assert "plaid_layer/stray.py" in result.output


def test_check_names_the_changed_input_when_the_spec_changed(tmp_path: Path, fresh_tree: Path) -> None:
    spec = tmp_path / "spec.yaml"
    original = "summary: Instant onboarding with Plaid Layer."
    spec.write_text(SPEC.read_text().replace(original, "summary: Changed."))
    result = runner.invoke(app, ["check", "--spec", str(spec), "--output", str(fresh_tree)])
    assert result.exit_code == 1
    assert "provenance.toml" in result.output
    assert "provenance: spec.sha256: recorded" in result.output


def test_check_command_passes_on_a_fresh_tree(fresh_tree: Path) -> None:
    result = runner.invoke(app, ["check", "--spec", str(SPEC), "--output", str(fresh_tree)])
    assert result.exit_code == 0, result.output


def test_two_runs_are_byte_identical(tmp_path: Path, fresh_tree: Path) -> None:
    again = tmp_path / "again"
    build_distribution(SPEC, again)
    assert _files(again) == _files(fresh_tree)
    mismatch = [
        name for name in _files(again) if not filecmp.cmp(again / name, fresh_tree / name, shallow=False)
    ]
    assert mismatch == []


def test_every_generated_file_starts_with_the_header(fresh_tree: Path) -> None:
    for name in _files(fresh_tree):
        first = (fresh_tree / name).read_text(encoding="utf-8").splitlines()[0]
        assert HEADER in first, name


def test_provenance_records_the_spec_hash_and_tool_versions(fresh_tree: Path) -> None:
    import hashlib
    import tomllib

    provenance = tomllib.loads((fresh_tree / "provenance.toml").read_text())
    assert provenance["spec"]["sha256"] == hashlib.sha256(SPEC.read_bytes()).hexdigest()
    assert provenance["generators"]["openapi-python-client"] == "0.29.1"
    assert provenance["generators"]["datamodel-code-generator"] == "0.89.0"
    assert len(provenance["templates"]["sha256"]) == 64


def test_generate_command_is_atomic_on_an_invalid_spec(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    (output / "keep.txt").write_text("untouched")
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: {title: x}\npaths: {}\n")

    result = runner.invoke(app, ["generate", "--spec", str(broken), "--output", str(output)])

    assert result.exit_code == 2
    assert "version" in result.output
    assert [p.name for p in output.iterdir()] == ["keep.txt"]
    assert (output / "keep.txt").read_text() == "untouched"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_generate_replaces_an_existing_tree(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    (output / "old.txt").write_text("old")
    result = runner.invoke(app, ["generate", "--spec", str(SPEC), "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert not (output / "old.txt").exists()
    assert (output / "plaid_layer" / "client.py").is_file()


EXTRA_OPERATION = {
    "/user_account/session/ping": {
        "post": {
            "operationId": "userAccountSessionPing",
            "tags": ["layer"],
            "summary": "Check a Layer session is alive",
            "description": "A test-only operation added to prove new operations need no other edit.",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PingRequest"}}},
            },
            "responses": {
                "200": {
                    "description": "Alive.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/PingResponse"}}
                    },
                },
                "default": {
                    "description": "A Plaid error.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PlaidError"}}},
                },
            },
        }
    }
}
EXTRA_SCHEMAS = {
    "PingRequest": {
        "title": "PingRequest",
        "type": "object",
        "description": "Ping body.",
        "additionalProperties": False,
        "required": ["link_session_id"],
        "properties": {
            "link_session_id": {"type": "string", "description": "The session."},
            "depth": {"type": "integer", "description": "How deep."},
        },
    },
    "PingResponse": {
        "title": "PingResponse",
        "type": "object",
        "description": "Ping result.",
        "additionalProperties": True,
        "required": ["alive", "request_id"],
        "properties": {
            "alive": {"type": "boolean", "description": "Whether it is alive."},
            "request_id": {"$ref": "#/components/schemas/RequestID"},
        },
    },
}


def test_a_new_operation_becomes_a_working_sync_and_async_method(tmp_path: Path) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    spec["paths"].update(EXTRA_OPERATION)
    spec["components"]["schemas"].update(EXTRA_SCHEMAS)
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    output = tmp_path / "out"

    result = runner.invoke(app, ["generate", "--spec", str(spec_path), "--output", str(output)])
    assert result.exit_code == 0, result.output

    probe = textwrap.dedent(
        """
        import asyncio, json, httpx
        from plaid_layer import PlaidLayer, AsyncPlaidLayer

        def handler(request):
            assert request.url.path == "/user_account/session/ping"
            assert json.loads(request.content) == {"link_session_id": "s-1", "depth": 2}
            return httpx.Response(200, json={"alive": True, "request_id": "r-1"})

        http = httpx.Client(transport=httpx.MockTransport(handler))
        sync = PlaidLayer(client_id="c", secret="s", http_client=http)
        assert sync.user_account_session_ping(link_session_id="s-1", depth=2).alive is True

        async def main():
            transport = httpx.MockTransport(handler)
            http = httpx.AsyncClient(transport=transport)
            client = AsyncPlaidLayer(client_id="c", secret="s", http_client=http)
            return (await client.user_account_session_ping(link_session_id="s-1", depth=2)).request_id

        assert asyncio.run(main()) == "r-1"
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(output)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
