"""Generate a spec into a scratch folder and import the result beside the installed `plaid_layer`.

Every generated package is called `plaid_layer`, and the generated code imports its own modules
relatively, so the fresh one is imported under a name of its own (`plaid_layer_generated_<n>`):
its lazy imports (a method's operation module, a model's module) find it, not the installed one.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from generator.build.pipeline import generate_package

PACKAGE = "plaid_layer"
FEATURE_SPEC = Path(__file__).parent / "feature_spec.yaml"
"""Our spec that exercises every construct the generator supports."""
_NUMBERS = itertools.count(1)


@dataclass(frozen=True)
class GeneratedPackage:
    """The modules of one generated package."""

    root: Path
    package: ModuleType
    client: ModuleType
    models: ModuleType
    types: ModuleType
    webhooks: ModuleType


def generate_and_import(spec: Path, output: Path) -> GeneratedPackage:
    """Generate `spec` into `output` and import its package under a fresh name."""
    generate_package(spec, output)
    return import_generated(output)


def import_generated(output: Path) -> GeneratedPackage:
    """Import the package generated into `output` under a fresh name."""
    package_dir = output / PACKAGE
    name = f"{PACKAGE}_generated_{next(_NUMBERS)}"
    found = importlib.util.spec_from_file_location(
        name, package_dir / "__init__.py", submodule_search_locations=[str(package_dir)]
    )
    assert found is not None and found.loader is not None
    package = importlib.util.module_from_spec(found)
    sys.modules[name] = package
    found.loader.exec_module(package)
    modules = {
        part: importlib.import_module(f"{name}.{part}") for part in ("client", "models", "types", "webhooks")
    }
    return GeneratedPackage(
        output, package, modules["client"], modules["models"], modules["types"], modules["webhooks"]
    )
