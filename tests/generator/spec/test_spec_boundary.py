"""Only `generator/spec/` reads a document's structure: nothing else resolves `$ref` or walks paths itself.

The other modules ask the spec model (`SpecModel.operations()`, `.resolve()`, `.security_schemes()`,
`.node_at()`, ...). This scan of the generator's source fails when a module outside `generator/spec/`
indexes `["$ref"]`, `["paths"]`, `["webhooks"]` or `["securitySchemes"]`, asks `.get(...)` for one of
them, or compares a key with `"$ref"`; building a `{"$ref": ...}` node is not reading one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT

GENERATOR = ROOT / "generator"
STRUCTURE_KEYS = frozenset({"$ref", "paths", "webhooks", "securitySchemes"})
ALLOWED: dict[tuple[str, str], str] = {
    ("generator/project.py", 'webhooks = data.get("webhooks") or {}'): (
        "the project config's [webhooks] table (project.toml), not a spec document"
    ),
}
"""(module, source line) -> why that line may read the structure itself. Keep it empty or justified."""


def _constant(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def structure_reads(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Line and key of every place `tree` reads a structure key of a document itself."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _constant(node.slice) in STRUCTURE_KEYS:
            yield node.lineno, str(_constant(node.slice))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "pop", "setdefault")
            and node.args
            and _constant(node.args[0]) in STRUCTURE_KEYS
        ):
            yield node.lineno, str(_constant(node.args[0]))
        elif isinstance(node, ast.Compare) and "$ref" in map(_constant, [node.left, *node.comparators]):
            yield node.lineno, "$ref"


def _modules() -> list[Path]:
    spec = GENERATOR / "spec"
    return sorted(path for path in GENERATOR.rglob("*.py") if spec not in path.parents)


def test_no_module_outside_the_spec_package_walks_the_document_itself() -> None:
    found = []
    for path in _modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, key in structure_reads(ast.parse("\n".join(lines))):
            where = (str(path.relative_to(ROOT)), lines[line - 1].strip())
            if where not in ALLOWED:
                found.append(f"{where[0]}:{line}: reads {key!r}: {where[1]}")
    assert found == []


def test_every_allowed_line_still_exists() -> None:
    for module, line in ALLOWED:
        lines = (ROOT / module).read_text(encoding="utf-8").splitlines()
        assert line in [text.strip() for text in lines], (module, line)


@pytest.mark.parametrize(
    "source",
    [
        'node["$ref"]',
        'node.get("$ref")',
        '"$ref" in node',
        '{k: v for k, v in node.items() if k != "$ref"}',
        'document["paths"]',
        '(document.get("components") or {}).get("securitySchemes")',
        'document.get("webhooks") or {}',
    ],
)
def test_the_scan_sees_each_way_of_reading_the_structure(source: str) -> None:
    assert list(structure_reads(ast.parse(source)))


def test_the_scan_lets_a_built_reference_pass() -> None:
    assert not list(structure_reads(ast.parse('node = {"$ref": pointer}; where = ("paths", path)')))
