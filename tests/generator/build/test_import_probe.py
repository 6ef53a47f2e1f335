"""The background checks: the import probe and the OpenAPI validation, each naming the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.background import start_import_probe, start_spec_validation
from generator.errors import GenerationError
from generator.spec.model import SpecModel


def _package(root: Path, body: str) -> Path:
    package = root / "probe_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "broken.py").write_text(body)
    (package / "testing").mkdir()
    (package / "testing" / "__init__.py").write_text("import not_installed_extra\n")
    return root


def test_a_module_that_fails_to_import_is_reported(tmp_path: Path) -> None:
    probe = start_import_probe(_package(tmp_path, "from .missing import thing\n"), "probe_pkg")
    with pytest.raises(
        GenerationError, match=r"does not import: ModuleNotFoundError: No module named 'probe_pkg\.missing'"
    ):
        probe.finish()


def test_a_package_that_imports_passes_and_the_testing_kit_is_skipped(tmp_path: Path) -> None:
    start_import_probe(_package(tmp_path, "VALUE = 1\n"), "probe_pkg").finish()


def test_the_probe_reads_a_snapshot_not_the_tree_being_formatted(tmp_path: Path) -> None:
    root = _package(tmp_path, "VALUE = 1\n")
    probe = start_import_probe(root, "probe_pkg")
    (root / "probe_pkg" / "broken.py").write_text("raise RuntimeError('changed after the snapshot')\n")
    probe.finish()


def test_spec_validation_reports_the_validator_message(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: t}\npaths: {}\n")
    with pytest.raises(GenerationError, match="invalid OpenAPI in #/info: 'version' is a required property"):
        start_spec_validation(spec, SpecModel.load(spec).document).finish()


def test_spec_validation_passes_on_our_spec() -> None:
    from tests.support import SPEC

    start_spec_validation(SPEC, SpecModel.load(SPEC).document).finish()
