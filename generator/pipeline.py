"""The generation pipeline: spec -> facts -> both generators -> our templates -> ruff -> atomic swap.

`generate_distribution` builds the whole `generated/` tree in a temporary directory beside the
target and swaps it in only when every stage succeeded, so a failure never leaves the target
half-written. `stale_files` runs the same build and compares instead of swapping.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
import tomllib
from pathlib import Path

from generator.background import start_import_probe, start_spec_validation
from generator.errors import GenerationError
from generator.facts import FactsError, collect_facts, models_document
from generator.spec_loader import SpecError
from generator.spec_model import SpecModel, pointer_text
from generator.stages import (
    add_headers,
    copy_runtime,
    format_tree,
    render_own_templates,
    run_datamodel_codegen,
    run_openapi_python_client,
)

PACKAGE = "plaid_layer"
PROVENANCE = "provenance.toml"

__all__ = ["GenerationError", "generate_distribution", "generate_package", "stale_files"]


def build_distribution(spec_path: Path, target: Path, *, probe_imports: bool = True) -> None:
    """Build the complete distribution for `spec_path` into the empty or missing folder `target`.

    The OpenAPI validation runs beside the generators; when any stage fails, its verdict is
    awaited first, so an invalid spec is reported as such rather than as a generator's confusion.
    `probe_imports` imports the result in a clean interpreter; `check` skips it, since it only
    compares bytes with a tree that `generate` already probed.
    """
    try:
        model = SpecModel.load(spec_path)
    except SpecError as exc:
        raise GenerationError(str(exc)) from exc
    for pointer in model.non_local_refs():  # refused before the validator could try to fetch it
        raise GenerationError(
            f"only local $refs (starting with '#') are supported (at {pointer_text(pointer)})"
        )
    validation = start_spec_validation(spec_path, model.document)
    try:
        _build_stages(model, spec_path, target, probe_imports)
    except BaseException:
        validation.finish()
        raise
    validation.finish()


def _build_stages(model: SpecModel, spec_path: Path, target: Path, probe_imports: bool) -> None:
    try:
        facts = collect_facts(model)
    except FactsError as exc:
        raise GenerationError(str(exc)) from exc
    spec = model.document
    target.mkdir(parents=True, exist_ok=True)
    package_dir = target / PACKAGE
    with tempfile.TemporaryDirectory(prefix="layer-codegen-opc-") as scratch:
        run_openapi_python_client(spec_path, facts, Path(scratch) / PACKAGE, package_dir)
    run_datamodel_codegen(models_document(model), package_dir / "models.py")
    copy_runtime(package_dir)
    render_own_templates(spec, spec_path, facts, target)
    probe = start_import_probe(target, PACKAGE) if probe_imports else None
    try:
        format_tree(target)
        add_headers(target)
    except BaseException:
        if probe is not None:
            probe.cancel()
        raise
    if probe is not None:
        probe.finish()


def generate_distribution(spec_path: Path, output_dir: Path) -> None:
    """Regenerate `output_dir` from `spec_path` atomically."""
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}-new-", dir=output_dir.parent))
    try:
        build_distribution(spec_path, staging)
        _swap(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def generate_package(spec_path: Path, output_dir: Path) -> Path:
    """Generate into `output_dir` and return the importable package folder inside it."""
    generate_distribution(spec_path, output_dir)
    return output_dir / PACKAGE


def _swap(staging: Path, output_dir: Path) -> None:
    """Replace `output_dir` by `staging` with two renames; the old tree is removed afterwards."""
    if not output_dir.exists():
        staging.rename(output_dir)
        return
    retired = output_dir.with_name(f".{output_dir.name}-old-{os.getpid()}")
    output_dir.rename(retired)
    try:
        staging.rename(output_dir)
    except BaseException:
        retired.rename(output_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _tree(root: Path) -> set[str]:
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def _provenance_changes(fresh: Path, committed: Path) -> list[str]:
    """Which recorded inputs (spec, generator versions, templates) differ between two trees."""
    try:
        old = tomllib.loads((committed / PROVENANCE).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return [f"{PROVENANCE} is missing or unreadable"]
    new = tomllib.loads((fresh / PROVENANCE).read_text(encoding="utf-8"))
    changes = []
    for section in sorted(new):
        for key, value in sorted(new[section].items()):
            recorded = old.get(section, {}).get(key)
            if recorded != value:
                changes.append(f"{section}.{key}: recorded {recorded!r}, now {value!r}")
    return changes


def stale_files(spec_path: Path, output_dir: Path) -> list[str]:
    """The files of `output_dir` that differ from a fresh generation (missing, extra or changed).

    When the provenance record differs, the changed inputs are listed after the files, as
    `provenance: <section>.<key>: ...` lines, so the report says why the tree is stale.
    """
    with tempfile.TemporaryDirectory(prefix="layer-codegen-check-") as scratch:
        fresh = Path(scratch) / "dist"
        build_distribution(spec_path, fresh, probe_imports=False)
        expected = _tree(fresh)
        actual = _tree(output_dir) if output_dir.is_dir() else set()
        differing = expected ^ actual
        for name in expected & actual:
            if not filecmp.cmp(fresh / name, output_dir / name, shallow=False):
                differing.add(name)
        reasons = _provenance_changes(fresh, output_dir) if PROVENANCE in differing else []
        return sorted(differing) + [f"provenance: {reason}" for reason in reasons]
