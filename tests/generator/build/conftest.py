"""The feature-coverage package, generated once per test run (generating costs seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.pipeline import generate_package
from tests.generator.support import GeneratedPackage, import_generated
from tests.support import built_once

FEATURE_SPEC = Path(__file__).parents[1] / "feature_spec.yaml"


@pytest.fixture(scope="session")
def feature(tmp_path_factory: pytest.TempPathFactory) -> GeneratedPackage:
    """The package generated from `feature_spec.yaml`, once for all workers, imported by each."""
    return import_generated(
        built_once(tmp_path_factory, "feature", lambda dist: generate_package(FEATURE_SPEC, dist))
    )
