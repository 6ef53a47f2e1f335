"""The hand-written runtime (`templates/runtime/`), copied unchanged into the generated package."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.paths import TEMPLATES

RUNTIME = TEMPLATES / "runtime"


def copy_runtime(package_dir: Path) -> None:
    """Copy the hand-written runtime modules, unchanged, into the package."""
    for source in sorted(RUNTIME.rglob("*.py")):
        target = package_dir / source.relative_to(RUNTIME)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def runtime_source(path: Path, package_dir: Path) -> Path | None:
    """The hand-written module under `templates/runtime/` that `path` is a copy of, if any."""
    if not path.is_relative_to(package_dir):
        return None
    source = RUNTIME / path.relative_to(package_dir)
    return source if source.suffix == ".py" and source.is_file() else None
