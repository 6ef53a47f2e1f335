"""The installed `plaid_layer` is fully typed for its users: `pyright --verifytypes` scores 100%.

`nox -s typecheck` runs this file; elsewhere it is skipped unless pyright (the `dev` extra) is
installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyright", reason="pyright comes with the dev extra; `nox -s typecheck` runs this")


def verifytypes(cwd: Path) -> dict[str, Any]:
    """The JSON report of `pyright --verifytypes plaid_layer`, for the package this interpreter imports."""
    # pyright finds site-packages by running the first `python` on PATH: make it this one.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    command = [sys.executable, "-m", "pyright", "--verifytypes", "plaid_layer", "--ignoreexternal"]
    command.append("--outputjson")
    result = subprocess.run(
        command, cwd=cwd, env={**os.environ, "PATH": path}, capture_output=True, text=True, check=False
    )
    try:
        report: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright printed no report (exit {result.returncode}): {result.stderr[-2000:]}")
    return report


def test_every_public_symbol_has_a_known_type(tmp_path: Path) -> None:
    report = verifytypes(tmp_path)
    completeness = report["typeCompleteness"]
    problems = [
        f"{symbol['name']}: {diagnostic['message'].splitlines()[0]}"
        for symbol in completeness["symbols"]
        for diagnostic in symbol["diagnostics"]
        if diagnostic["severity"] == "error"
    ]
    assert completeness["packageRootDirectory"], "pyright did not find the installed plaid_layer"
    assert problems == []
    assert report["summary"]["errorCount"] == 0
    assert completeness["exportedSymbolCounts"]["withAmbiguousType"] == 0
    assert completeness["exportedSymbolCounts"]["withUnknownType"] == 0
    assert completeness["completenessScore"] == 1
