"""The full-spec package: built once per run from Plaid's spec in ../shared, or from $PLAID_FULL_DIST."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build.pipeline import generate_distribution
from tests.support import ROOT

PLAID_SPEC = ROOT.parent / "shared" / "data" / "plaid-openapi" / "plaid-2020-09-14-new.yml"


@pytest.fixture(scope="session")
def full_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A distribution generated from Plaid's whole spec (`nox -s plaid-full` builds it beforehand)."""
    if not PLAID_SPEC.exists():
        pytest.skip("Plaid's spec is not in ../shared")
    built = os.environ.get("PLAID_FULL_DIST")
    if built:
        return Path(built)
    target = tmp_path_factory.mktemp("plaid-full") / "dist"
    generate_distribution(PLAID_SPEC, target)
    return target
