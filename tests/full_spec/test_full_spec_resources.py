"""Plaid's whole spec tags every operation `plaid`: its methods are grouped by path into modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.full_spec

# Run beside the package: for each operation module `api/<resource>/<name>.py`, where the
# clients' method `<name>` is defined, and whether the async one is a coroutine function.
PROBE = """
import inspect, json, pathlib
import plaid_layer
from plaid_layer.client import AsyncPlaidLayer, PlaidLayer
api = pathlib.Path(plaid_layer.__file__).parent / "api"
found = {}
for module in sorted(api.glob("*/*.py")):
    if module.stem != "__init__":
        sync, asynchronous = getattr(PlaidLayer, module.stem), getattr(AsyncPlaidLayer, module.stem)
        found[f"{module.parent.name}.{module.stem}"] = [
            sync.__module__, asynchronous.__module__, inspect.iscoroutinefunction(asynchronous)
        ]
print(json.dumps(found))
"""


def test_every_operation_is_on_both_clients_from_the_module_of_its_resource(full_dist: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(full_dist)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=full_dist, capture_output=True, text=True, check=True
    )
    found: dict[str, list[object]] = json.loads(result.stdout)
    assert len(found) > 300
    wrong = {
        operation: where
        for operation, where in found.items()
        if where != [f"plaid_layer._resources.{operation.split('.')[0]}"] * 2 + [True]
    }
    assert wrong == {}
    resources = {operation.split(".")[0] for operation in found}
    assert {"accounts", "item", "link", "sandbox", "transactions", "transfer"} <= resources
    assert sorted(path.stem for path in (full_dist / "plaid_layer" / "_resources").glob("*.py")) == sorted(
        [*resources, "__init__"]
    )
