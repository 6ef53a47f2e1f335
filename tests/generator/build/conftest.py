"""The feature-coverage package, generated once per test session (generating costs seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.generator.support import GeneratedPackage, generate_and_import

FEATURE_SPEC = Path(__file__).parents[1] / "feature_spec.yaml"


@pytest.fixture(scope="session")
def feature(tmp_path_factory: pytest.TempPathFactory) -> GeneratedPackage:
    """The package generated from `feature_spec.yaml`."""
    return generate_and_import(FEATURE_SPEC, tmp_path_factory.mktemp("feature") / "dist")
