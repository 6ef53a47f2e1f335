"""The hand-written runtime modules import one another without a loop, even inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

RUNTIME = Path(__file__).resolve().parents[3] / "templates" / "runtime"


def _imports(path: Path) -> set[str]:
    """The sibling runtime modules `path` imports anywhere (module level or inside a function)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module is not None:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {path.stem: path for path in RUNTIME.glob("*.py")}
    return {name: _imports(path) & set(modules) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import loop of `graph`, as the modules along it, or `None`."""
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> list[str] | None:
        if name in trail:
            return [*trail[trail.index(name) :], name]
        if name in done:
            return None
        for target in sorted(graph[name]):
            if (loop := visit(target, [*trail, name])) is not None:
                return loop
        done.add(name)
        return None

    for name in sorted(graph):
        if (loop := visit(name, [])) is not None:
            return loop
    return None


def test_the_runtime_modules_import_one_another_without_a_loop() -> None:
    assert _cycle(_graph()) is None


def test_a_loop_is_found_when_there_is_one() -> None:
    assert _cycle({"_send": {"_deadline"}, "_deadline": {"_send"}}) == ["_deadline", "_send", "_deadline"]


def test_the_blocking_sender_and_the_socket_backend_share_the_deadline_through_a_third_module() -> None:
    graph = _graph()
    assert "_attempt" in graph["_send"] and "_attempt" in graph["_deadline"]
    assert "_send" not in graph["_deadline"]
