"""Paths shared by the docs-check tests: the test pages, the real spec, and Plaid's page if present."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PAGES = Path(__file__).parent / "pages"
SPEC = REPO / "spec" / "layer.yaml"
REFERENCE_PAGE = REPO.parent / "shared" / "reference" / "layer-api-reference.md"


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    """A copy of `spec/layer.yaml` and `spec/examples/` that a test may rewrite."""
    shutil.copy(SPEC, tmp_path / "layer.yaml")
    shutil.copytree(SPEC.parent / "examples", tmp_path / "examples")
    return tmp_path / "layer.yaml"
