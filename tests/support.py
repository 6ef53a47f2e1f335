"""Paths and loaders shared by the test modules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "layer.yaml"
EXAMPLES = ROOT / "spec" / "examples"
GENERATED = ROOT / "generated"


def load_example(name: str) -> Any:
    """The documented example stored as spec/examples/<name>.json."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
