"""Generate a spec into a scratch folder and import the result beside the installed `plaid_layer`.

Every generated package is called `plaid_layer`, so the fresh one is imported with the installed
one moved out of `sys.modules` and put back afterwards: the returned modules keep working (their
globals hold what they imported), and the rest of the suite still sees the installed package.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from generator.pipeline import generate_package

PACKAGE = "plaid_layer"


@dataclass(frozen=True)
class GeneratedPackage:
    """The modules of one generated package."""

    root: Path
    package: ModuleType
    client: ModuleType
    models: ModuleType
    types: ModuleType
    webhooks: ModuleType


def _ours(name: str) -> bool:
    return name == PACKAGE or name.startswith(PACKAGE + ".")


def generate_and_import(spec: Path, output: Path) -> GeneratedPackage:
    """Generate `spec` into `output` and import its package without disturbing the installed one."""
    generate_package(spec, output)
    saved = {name: module for name, module in sys.modules.items() if _ours(name)}
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(output))
    try:
        modules = {
            name: importlib.import_module(f"{PACKAGE}.{name}" if name else PACKAGE)
            for name in ("", "client", "models", "types", "webhooks")
        }
        for path in (output / PACKAGE / "api").rglob("*.py"):
            importlib.import_module(
                ".".join(path.relative_to(output).with_suffix("").parts).removesuffix(".__init__")
            )
    finally:
        sys.path.remove(str(output))
        for name in [name for name in sys.modules if _ours(name)]:
            del sys.modules[name]
        sys.modules.update(saved)
    return GeneratedPackage(
        output, modules[""], modules["client"], modules["models"], modules["types"], modules["webhooks"]
    )
