"""The spec, its examples folder and Plaid's reference page, for the spec tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.spec.loader import load_document

REPO = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO / "spec" / "layer.yaml"
EXAMPLES_DIR = REPO / "spec" / "examples"
REFERENCE_PAGE = REPO.parent / "shared" / "reference" / "layer-api-reference.md"


@pytest.fixture
def spec() -> dict[str, Any]:
    """A fresh parse of `spec/layer.yaml`, which a test may break."""
    return load_document(SPEC_PATH)
