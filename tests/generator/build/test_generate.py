"""The pipeline end to end: fresh, deterministic, atomic, and spec-driven."""

from __future__ import annotations

import filecmp
import importlib.metadata
import shutil
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from generator.build.headers import COPIED_HEADER, HEADER
from generator.build.history import current_version
from generator.build.pipeline import build_distribution
from generator.build.runtime_copy import RUNTIME
from generator.cli import app
from generator.errors import SCREEN_CHARACTERS, SCREEN_LINES, one_screen
from tests.support import GENERATED, SPEC, built_once

runner = CliRunner()


@pytest.fixture(scope="module")
def fresh_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our spec built once for all workers; the tests that change files change a copy."""
    return built_once(tmp_path_factory, "layer", lambda target: build_distribution(SPEC, target))


def _files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_committed_tree_is_fresh() -> None:
    result = runner.invoke(app, ["check", "--spec", str(SPEC), "--output", str(GENERATED)])

    assert (result.exit_code, result.output) == (0, f"{GENERATED} is fresh\n")


def test_check_command_says_which_files_changed_appeared_or_are_missing(
    tmp_path: Path, fresh_tree: Path
) -> None:
    copy = tmp_path / "generated"
    shutil.copytree(fresh_tree, copy)
    client = copy / "plaid_layer" / "client.py"
    client.write_text(client.read_text() + "\n# a hand edit\n")
    (copy / "plaid_layer" / "stray.py").write_text("x = 1\n")
    (copy / "plaid_layer" / "py.typed").unlink()

    result = runner.invoke(app, ["check", "--spec", str(SPEC), "--output", str(copy)])

    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        "  changed   plaid_layer/client.py",
        "  missing   plaid_layer/py.typed",
        "  appeared  plaid_layer/stray.py",
    ]


def test_check_names_the_changed_input_when_the_spec_changed(tmp_path: Path, fresh_tree: Path) -> None:
    spec = tmp_path / "spec.yaml"
    original = "summary: Instant onboarding with Plaid Layer."
    spec.write_text(SPEC.read_text().replace(original, "summary: Changed."))
    result = runner.invoke(app, ["check", "--spec", str(spec), "--output", str(fresh_tree)])
    assert result.exit_code == 1
    assert "  changed   provenance.toml" in result.output.splitlines()
    assert "provenance: spec.sha256: recorded" in result.output
    assert "provenance: inputs.sha256: recorded" in result.output
    assert "provenance: files." not in result.output  # the changed files are listed once, above


def test_two_runs_are_byte_identical(tmp_path: Path, fresh_tree: Path) -> None:
    again = tmp_path / "again"
    build_distribution(SPEC, again)
    assert _files(again) == _files(fresh_tree)
    mismatch = [
        name for name in _files(again) if not filecmp.cmp(again / name, fresh_tree / name, shallow=False)
    ]
    assert mismatch == []


def test_every_generated_file_starts_with_the_header(fresh_tree: Path) -> None:
    copies = {f"plaid_layer/{path.relative_to(RUNTIME).as_posix()}" for path in RUNTIME.rglob("*.py")}
    for name in sorted(set(_files(fresh_tree)) - copies):
        first = (fresh_tree / name).read_text(encoding="utf-8").splitlines()[0]
        assert HEADER in first, name


def test_copied_runtime_modules_name_their_source_and_are_otherwise_unchanged(fresh_tree: Path) -> None:
    sources = sorted(RUNTIME.rglob("*.py"))
    assert len(sources) > 10
    for source in sources:
        relative = source.relative_to(RUNTIME.parent.parent).as_posix()
        first, rest = (fresh_tree / "plaid_layer" / source.relative_to(RUNTIME)).read_text().split("\n", 1)
        assert first == f"# {COPIED_HEADER.format(source=relative)}"
        assert relative.startswith("templates/runtime/") and "nox -s generate" in first
        assert "from the Layer OpenAPI spec" not in first
        assert rest == source.read_text()


def test_provenance_records_the_spec_hash_and_tool_versions(fresh_tree: Path) -> None:
    import hashlib
    import tomllib

    provenance = tomllib.loads((fresh_tree / "provenance.toml").read_text())
    assert provenance["spec"]["sha256"] == hashlib.sha256(SPEC.read_bytes()).hexdigest()
    assert provenance["generators"]["openapi-python-client"] == "0.29.1"
    assert provenance["generators"]["datamodel-code-generator"] == "0.89.0"
    assert len(provenance["templates"]["sha256"]) == 64


def test_generate_command_is_atomic_on_an_invalid_spec(tmp_path: Path, fresh_tree: Path) -> None:
    output = tmp_path / "out"
    shutil.copytree(fresh_tree, output)
    before = _snapshot(output)
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: {title: x}\npaths: {}\n")

    result = runner.invoke(app, ["generate", "--spec", str(broken), "--output", str(output)])

    assert result.exit_code == 2
    assert "version" in result.output
    assert _snapshot(output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_generate_replaces_a_previous_generation_and_keeps_its_permissions_deleting_unknown_files(
    tmp_path: Path, fresh_tree: Path
) -> None:
    output = tmp_path / "out"
    shutil.copytree(fresh_tree, output)
    (output / "plaid_layer" / "stray.py").write_text("x = 1\n")
    output.chmod(0o751)

    args = ["generate", "--spec", str(SPEC), "--output", str(output), "--delete-unknown"]
    result = runner.invoke(app, args)

    assert result.exit_code == 0, result.output
    assert result.output == f"wrote the plaid_layer distribution to {output}/ from {SPEC}\n"
    assert not (output / "plaid_layer" / "stray.py").exists()
    assert _files(output) == _files(fresh_tree)
    assert stat.S_IMODE(output.stat().st_mode) == 0o751
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_generate_fills_an_empty_folder_and_keeps_its_permissions(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir(mode=0o750)
    output.chmod(0o750)

    result = runner.invoke(app, ["generate", "--spec", str(SPEC), "--output", str(output)])

    assert result.exit_code == 0, result.output
    assert (output / "plaid_layer" / "client.py").is_file()
    assert stat.S_IMODE(output.stat().st_mode) == 0o750


def _not_a_previous_generation(output: Path) -> None:
    (output / "notes.txt").write_text("mine")


def _a_git_checkout(output: Path) -> None:
    (output / ".git").mkdir()
    (output / ".git" / "HEAD").write_text("ref: refs/heads/main\n")


def _a_generation_inside_a_git_checkout(output: Path) -> None:
    _a_git_checkout(output)
    (output / "provenance.toml").write_text((GENERATED / "provenance.toml").read_text())


def _a_foreign_provenance_file(output: Path) -> None:
    (output / "provenance.toml").write_text('[build]\nby = "someone else"\n')


def _an_unreadable_provenance_file(output: Path) -> None:
    (output / "provenance.toml").write_bytes(b"\xff\xfe not toml")


@pytest.mark.parametrize(
    "prepare",
    [
        _not_a_previous_generation,
        _a_git_checkout,
        _a_generation_inside_a_git_checkout,
        _a_foreign_provenance_file,
        _an_unreadable_provenance_file,
    ],
)
def test_generate_refuses_a_folder_that_is_not_a_previous_generation(
    tmp_path: Path, prepare: Callable[[Path], None]
) -> None:
    output = tmp_path / "project"
    output.mkdir()
    prepare(output)
    before = _snapshot(output)

    result = runner.invoke(app, ["generate", "--spec", str(SPEC), "--output", str(output)])

    assert result.exit_code == 2
    assert result.output == (
        f"error: {output} is neither empty nor a previous generation; refusing to replace it "
        "(give --output a new or empty folder)\n"
    )
    assert _snapshot(output) == before
    assert [p.name for p in tmp_path.iterdir()] == ["project"]


def test_generate_refuses_a_plain_file(tmp_path: Path) -> None:
    output = tmp_path / "notes.txt"
    output.write_text("mine")

    result = runner.invoke(app, ["generate", "--spec", str(SPEC), "--output", str(output)])

    assert result.exit_code == 2
    assert result.output == f"error: {output} is not a folder; refusing to replace it\n"
    assert output.read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_dangling_ref_is_named_in_a_short_message(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    text = SPEC.read_text()
    assert '#/components/schemas/RequestID"' in text
    spec.write_text(text.replace('#/components/schemas/RequestID"', '#/components/schemas/Nowhere"', 1))

    result = runner.invoke(app, ["generate", "--spec", str(spec), "--output", str(tmp_path / "out")])

    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[-1] == f"error: {spec}: $ref '#/components/schemas/Nowhere' points to nothing"
    assert len(lines) <= 24 and len(result.output) <= 24 * 240
    assert not (tmp_path / "out").exists()


def test_no_error_message_is_longer_than_a_screen() -> None:
    message = "\n".join(f"line {number}: " + "x" * 300 for number in range(100))

    shortened = one_screen(message)

    assert len(shortened.splitlines()) <= SCREEN_LINES
    assert len(shortened) <= SCREEN_CHARACTERS + 40
    assert shortened.startswith("line 0: xxx")
    assert shortened.endswith(f"... ({len(message) - SCREEN_CHARACTERS} more characters cut)")
    assert one_screen("short\n") == "short"


def test_version_names_the_generator_and_the_generated_package() -> None:
    result = runner.invoke(app, ["--version"])

    assert result.exit_code == 0
    generator_version = importlib.metadata.version("plaid-layer-codegen")
    assert result.output == f"layer-codegen {generator_version}\nplaid-layer {current_version()}\n"


def test_version_outside_a_project_names_the_generator_and_why_no_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--version"])

    assert result.exit_code == 0
    first, second = result.output.splitlines()
    assert first.startswith("layer-codegen ")
    assert second.startswith(f"no generated package: {tmp_path} is not inside a project")


@pytest.mark.parametrize(
    ("command", "present", "absent"),
    [
        (["check", "--help"], ["--output", "--spec", "changed", "appeared", "missing"], ["OUTPUT is"]),
        (["generate", "--help"], ["--output", "--spec", "a previous generation"], []),
        (["docs-check", "--help"], ["--spec", "document to compare with", "--write-examples"], ["generate"]),
    ],
)
def test_help_texts_name_the_real_options(command: list[str], present: list[str], absent: list[str]) -> None:
    result = runner.invoke(app, command, env={"COLUMNS": "240"})

    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert [word for word in present if word not in text] == []
    assert [word for word in absent if word in text] == []


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
