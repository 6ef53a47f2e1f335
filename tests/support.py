"""Paths, loaders and the once-per-run builds shared by the test modules."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "layer.yaml"
EXAMPLES = ROOT / "spec" / "examples"
GENERATED = ROOT / "generated"


def load_example(name: str) -> Any:
    """The documented example stored as spec/examples/<name>.json."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]) -> Path:
    """The folder `build(folder)` filled, built once per test run however many xdist workers ask.

    Each worker has a base temporary folder of its own; their parent is the run's, so the first
    worker to ask builds there under a lock and the others wait for it and read the same folder.
    The folder is read-only to its users: a test that changes files works on a copy. A build that
    failed is not kept, so every worker that asks reports the failure.
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, done = shared / f"built-{name}", shared / f"built-{name}.done"
    with (shared / f"built-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
            build(folder)
            done.touch()
    return folder
