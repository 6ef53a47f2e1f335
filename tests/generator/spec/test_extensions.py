"""Every `x-` marker has one definition, `generator/spec/extensions.py`, and its copies agree with it.

The runtime cannot import the generator, so `templates/runtime/` keeps its own copy of each marker it
reads; datamodel-code-generator's config names the field extras it keeps. These tests read both.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from generator.spec import extensions
from tests.support import ROOT

MARKER = re.compile(r"(?<![\w-])x-[a-z0-9]+(?:-[a-z0-9]+)*")
DEFINED = {value for name, value in vars(extensions).items() if name.isupper() and isinstance(value, str)}


def _constants(path: Path) -> dict[str, str]:
    """The module-level `NAME = "..."` string constants of a Python file."""
    found = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
    return found


def test_the_runtime_copies_of_the_markers_agree() -> None:
    runtime = ROOT / "templates" / "runtime"
    assert _constants(runtime / "_request.py")["NULLABLE_MARKER"] == extensions.LAYER_NULLABLE
    assert _constants(runtime / "_redact.py")["SENSITIVE_MARKER"] == extensions.SENSITIVE


def test_the_models_keep_the_field_extras_the_runtime_reads() -> None:
    config = tomllib.loads((ROOT / "generator" / "config" / "datamodel-codegen.toml").read_text("utf-8"))
    options = config.get("tool", {}).get("datamodel-codegen", config)
    assert tuple(options["field-extra-keys"]) == extensions.MODEL_FIELD_EXTRAS


def test_every_marker_the_templates_name_is_defined() -> None:
    named = set()
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file() and path.suffix in (".py", ".jinja"):
            named.update(MARKER.findall(path.read_text(encoding="utf-8")))
    assert named == {extensions.LAYER_NULLABLE, extensions.SENSITIVE}  # the two the runtime reads


def test_the_generator_spells_no_marker_outside_the_extensions_module() -> None:
    spelled = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        if path == ROOT / "generator" / "spec" / "extensions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and MARKER.fullmatch(node.value)
            ):
                spelled.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    assert spelled == []
