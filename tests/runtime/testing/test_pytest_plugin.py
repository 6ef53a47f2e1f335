"""The pytest plugin: registered by entry point, free to import, clear when respx is missing."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

from plaid_layer import PlaidLayer
from plaid_layer.testing import LayerMock


def _run_python(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_plugin_is_registered_as_a_pytest11_entry_point() -> None:
    plugins = {entry.name: entry.value for entry in importlib.metadata.entry_points(group="pytest11")}

    assert plugins["plaid_layer"] == "_plaid_layer_pytest"


def test_fixture_gives_a_started_mock(plaid_layer_mock: LayerMock) -> None:
    with PlaidLayer(client_id="id-1", secret="secret-1") as client:
        client.session_token_create(template_id="template_1")

    assert len(plaid_layer_mock.calls) == 1


def test_loading_the_plugin_imports_nothing_of_the_package() -> None:
    probe = (
        "import sys, _plaid_layer_pytest\n"
        "heavy = ('plaid_layer', 'respx', 'jwt', 'httpx')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )

    result = _run_python("-c", probe)

    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr


def test_a_consumer_run_without_the_fixture_never_imports_the_package(tmp_path: Path) -> None:
    (tmp_path / "test_app.py").write_text(
        "import sys\n\ndef test_it():\n    assert 'plaid_layer' not in sys.modules\n", encoding="utf-8"
    )

    result = _run_python("-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path), cwd=tmp_path)

    assert result.returncode == 0, result.stdout
    assert "1 passed" in result.stdout


def test_fixture_without_respx_fails_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("import sys\nsys.modules['respx'] = None\n", encoding="utf-8")
    (tmp_path / "test_app.py").write_text("def test_it(plaid_layer_mock):\n    pass\n", encoding="utf-8")

    result = _run_python(
        "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:respx", str(tmp_path), cwd=tmp_path
    )

    assert result.returncode == 1
    assert "plaid_layer_mock fixture needs the testing extra" in result.stdout
    assert "1 error" in result.stdout
    assert "pip install 'plaid-layer[testing]'" in result.stdout
