"""The generator's and the runtime's imports run one way: no cycle, and no import hidden in a function.

Read from the source (AST), not by importing: a loop held together by an import inside a function
works at run time, which is exactly what this catches. Only `generator/cli.py` may import a
generator module inside a function, to keep start-up instant, and each such import says why in a
`# Lazy:` comment on the line above it (or above the block of imports it starts).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "generator"
RUNTIME = ROOT / "templates" / "runtime"
LAZY_ALLOWED = frozenset({"generator.cli"})
"""Modules allowed to import generator modules inside functions (start-up speed), each with a reason."""
REASON = "# Lazy:"


def _modules(folder: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every module below `folder` (a package called `package`)."""
    modules = {}
    for path in sorted(folder.rglob("*.py")):
        parts = [package, *path.relative_to(folder).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement outside `if TYPE_CHECKING:`, with whether it runs at module level."""
    stack: list[tuple[ast.AST, bool]] = [(node, True) for node in tree.body]
    while stack:
        node, top = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, top
        elif isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend((child, top) for child in node.orelse)
        else:
            nested = top and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            stack.extend((child, nested) for child in ast.iter_child_nodes(node))


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The known modules whose code an import statement needs to have run.

    Loading a module runs its packages' `__init__` first, except those of the importer's own
    packages, which are being initialised already; a name taken from a package itself
    (`from pkg import name`, not a module) needs that package's `__init__` to have finished.
    """
    own = {".".join(module.split(".")[:end]) for end in range(1, module.count(".") + 2)}
    if isinstance(node, ast.Import):
        loaded, taken = [alias.name for alias in node.names], []
    else:
        base = node.module or ""
        if node.level:
            anchor = module.split(".") if is_package else module.split(".")[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, *([base] if base else [])])
        submodules = [f"{base}.{alias.name}" for alias in node.names]
        loaded = [base, *(name for name in submodules if name in known)]
        taken = [base] if any(name not in known for name in submodules) else []
    found = set(taken)
    for name in loaded:
        parts = name.split(".")
        found.update(".".join(parts[:end]) for end in range(1, len(parts)))
        found.add(name)
    return {name for name in found if name in known and (name not in own or name in taken)} - {module}


def _graph(folder: Path, package: str, *, lazy_too: bool) -> dict[str, set[str]]:
    modules = _modules(folder, package)
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges = graph.setdefault(module, set())
        for node, top in _imports(tree):
            if top or lazy_too:
                edges |= _targets(node, module, path.name == "__init__.py", known)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module, or with a self-edge (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _lazy_imports(module: str, path: Path, known: set[str]) -> Iterator[tuple[int, bool]]:
    """(line, has a reason) of each function-level import of a generator module in `path`."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    lazy = sorted(
        (node for node, top in _imports(tree) if not top and _targets(node, module, False, known)),
        key=lambda node: node.lineno,
    )
    for node in lazy:
        above = node.lineno - 2
        # A block of imports shares the reason written above its first statement.
        while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
            above -= 1
        yield node.lineno, above >= 0 and lines[above].strip().startswith(REASON)


def test_the_generator_has_no_import_cycle() -> None:
    assert _cycles(_graph(GENERATOR, "generator", lazy_too=True)) == []


def test_only_the_command_line_imports_generator_modules_inside_functions() -> None:
    modules = _modules(GENERATOR, "generator")
    misplaced, unexplained = [], []
    for module, path in modules.items():
        for line, reasoned in _lazy_imports(module, path, set(modules)):
            where = f"{path.relative_to(ROOT)}:{line}"
            if module not in LAZY_ALLOWED:
                misplaced.append(where)
            elif not reasoned:
                unexplained.append(where)
    assert misplaced == []
    assert unexplained == [], f"each lazy import needs a `{REASON} <why>` line above it"


def test_the_runtime_has_no_import_cycle() -> None:
    # The runtime's lazy imports count too: a circle through one is still a circle.
    assert _cycles(_graph(RUNTIME, "plaid_layer", lazy_too=True)) == []


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    "files",
    [
        {"pkg/__init__.py": "", "pkg/a.py": "from pkg import b\n", "pkg/b.py": "from pkg.a import x\n"},
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "def f():\n    from . import b\n",
            "pkg/b.py": "from .a import f\n",
        },
        {
            "pkg/__init__.py": "from pkg.sub.c import x\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/c.py": "import pkg.d\n",
            "pkg/d.py": "from pkg import y\n",
        },
    ],
    ids=["top-level", "hidden-in-a-function", "through-a-package-init"],
)
def test_a_cycle_is_found(tmp_path: Path, files: dict[str, str]) -> None:
    _write(tmp_path, files)

    assert _cycles(_graph(tmp_path / "pkg", "pkg", lazy_too=True)) != []


def test_a_package_init_that_imports_its_own_modules_is_no_cycle(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.a import run\n",
            "pkg/a.py": "from pkg.b import x\n",
            "pkg/b.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import run\nx = 1\n"
            ),
        },
    )

    assert _cycles(_graph(tmp_path / "pkg", "pkg", lazy_too=True)) == []


def test_a_lazy_import_without_a_reason_is_named(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/b.py": "",
            "pkg/a.py": "def f():\n    # Lazy: slow\n    from pkg import b\n    from pkg.b import c\n\n"
            "def g():\n    from pkg import b\n",
        },
    )
    modules = _modules(tmp_path / "pkg", "pkg")

    assert list(_lazy_imports("pkg.a", modules["pkg.a"], set(modules))) == [(3, True), (4, True), (7, False)]
