"""Every project config value the generator cannot honour is exit 2 with one line naming its key."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app
from generator.project import _PACKAGE_TEMPLATE, dependency_modules, package_exports

runner = CliRunner()


def _generate(tmp_path: Path, config_text: str) -> tuple[int, list[str]]:
    config = tmp_path / "project.toml"
    config.write_text(config_text, encoding="utf-8")
    result = runner.invoke(app, ["generate", "--output", str(tmp_path / "dist"), "--config", str(config)])
    assert not (tmp_path / "dist").exists()
    return result.exit_code, result.stderr.splitlines()


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ('[client]\nsync_class = "Acme"\nasync_class = "Acme"\n', "client.async_class must differ"),
        ('[client]\nsync_class = "PlaidLayerError"\n', "client.sync_class 'PlaidLayerError'"),
        ('[client]\nasync_class = "RawResponse"\n', "client.async_class 'RawResponse'"),
        ('[client]\nuser_agent = "acme\\r\\nX-Injected: 1"\n', "client.user_agent must be printable ASCII"),
        ('[client]\nuser_agent = "acme\\n"\n', "client.user_agent must be printable ASCII"),
        ('[client]\nuser_agent = "acmé/1.0"\n', "client.user_agent must be printable ASCII"),
        ('[client]\nuser_agent = " acme"\n', "client.user_agent must be printable ASCII"),
        ('[client]\ndefault_environment = "staging"\n', "client.default_environment 'staging' is no server"),
        ('[client]\ndefault_environment = ""\n', "client.default_environment must be a server's name"),
        ('[webhooks]\nkey_operation = "noSuchOperation"\n', "webhooks.key_operation 'noSuchOperation'"),
        ('[webhooks]\nkey_operation = "sessionTokenCreate"\n', "webhooks.key_operation 'sessionTokenCreate'"),
        ('[package]\nname = "anyio"\n', "package.name 'anyio' is the name of a module"),
        ('[package]\nname = "pip"\n', "package.name 'pip' is the name of a module"),
        ('[package]\nname = "pytest"\n', "package.name 'pytest' is the name of a module"),
        ('[pakage]\nname = "acme"\n', "unknown table [pakage]; expected [package], [client]"),
        ('[package]\nnmae = "acme"\n', "unknown key package.nmae; expected one of: distribution, name"),
        ('[client]\nsync_clas = "Acme"\n', "unknown key client.sync_clas"),
        ('[webhooks]\nkey = "x"\n', "unknown key webhooks.key"),
        ("client = 3\n", "client must be a table"),
        ('[headers]\n"Bad Name" = "x"\n', "headers.Bad Name must be a header name"),
        ('[headers]\nPlaid-Version = "a\\r\\nb"\n', "headers.Plaid-Version must be a header name"),
    ],
)
def test_a_value_that_cannot_work_is_exit_2_with_one_line_naming_its_key(
    tmp_path: Path, config: str, named: str
) -> None:
    status, lines = _generate(tmp_path, config)
    assert status == 2
    (line,) = lines
    assert line.startswith("error: ") and named in line, line


def test_the_dependency_closure_is_computed_not_listed() -> None:
    modules = dependency_modules()
    # httpx needs anyio, h11 and idna; PyJWT[crypto] needs cryptography, which needs cffi.
    assert {"httpx", "anyio", "h11", "idna", "jwt", "cryptography", "cffi", "pydantic_core"} <= modules
    template = _PACKAGE_TEMPLATE.read_text(encoding="utf-8")
    assert "anyio" not in template and "cffi" not in template


@pytest.mark.parametrize("module", sorted(dependency_modules()))
def test_no_module_of_the_closure_can_name_the_package(tmp_path: Path, module: str) -> None:
    status, lines = _generate(tmp_path, f'[package]\nname = "{module}"\n')
    assert status == 2
    assert "package.name" in lines[0]


def test_the_exports_are_read_from_the_package_template() -> None:
    assert {"PlaidLayerError", "APIStatusError", "NOT_GIVEN", "Timeout"} <= package_exports()
    assert "PlaidLayer" not in package_exports()
