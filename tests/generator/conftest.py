"""Fixtures shared by the generator's tests: the feature-coverage package, built once per run."""

from __future__ import annotations

import pytest

from generator.build.pipeline import generate_package
from tests.generator.support import FEATURE_SPEC, GeneratedPackage, import_generated
from tests.support import built_once


@pytest.fixture(scope="session")
def feature(tmp_path_factory: pytest.TempPathFactory) -> GeneratedPackage:
    """The package generated from `feature_spec.yaml`, once for all workers, imported by each."""
    return import_generated(
        built_once(tmp_path_factory, "feature", lambda dist: generate_package(FEATURE_SPEC, dist))
    )
