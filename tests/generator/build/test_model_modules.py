"""The model split: each definition in the module of its users, no import cycles, stable output."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

from generator.build.model_modules import render_index, split_models
from generator.errors import GenerationError
from generator.facts import collect_facts
from generator.spec.model import SpecModel
from tests.support import GENERATED, SPEC

# The shape datamodel-code-generator writes: header imports, classes, aliases with docstrings,
# quoted forward references for recursion and a `model_rebuild()` for them at the end.
SOURCE = '''
from typing import Annotated, ClassVar, Literal, Union
from pydantic import ConfigDict, Field
from typing_extensions import TypeAliasType
from pkg._models import PlaidModel


Kind = TypeAliasType("Kind", Literal["Shared", "Node"])
"""A closed enum whose values look like class names."""


class Shared(PlaidModel):
    """Used by both operations."""

    model_config: ClassVar[ConfigDict] = ConfigDict(extra="allow")
    kind: Annotated[Kind | None, Field(title="Node")] = None


class ARequest(PlaidModel):
    shared: Shared


class Node(PlaidModel):
    children: list["Node"] | None = None
    other: "Other | None" = None


class Other(PlaidModel):
    back: Node | None = None


Tree = TypeAliasType("Tree", Union["list[Tree]", Node])


class BResponse(PlaidModel):
    shared: Shared
    tree: Tree


class Lonely(PlaidModel):
    x: int


Node.model_rebuild()
'''
USERS = {"a_get": ("ARequest",), "b_get": ("BResponse",)}


def _imports(text: str) -> set[str]:
    """The sibling modules a split module imports (`from ._x import ...`)."""
    tree = ast.parse(text)
    return {str(node.module) for node in tree.body if isinstance(node, ast.ImportFrom) and node.level == 1}


def _defined(text: str) -> list[str]:
    names = []
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            names.append(node.targets[0].id)
    return names


def test_each_definition_goes_to_the_module_of_its_users() -> None:
    split = split_models(SOURCE, USERS, "pkg")
    assert split.index == {
        "ARequest": "_a_get",
        "BResponse": "_b_get",
        "Kind": "_shared_kind",
        "Lonely": "_unreferenced",
        "Node": "_b_get",
        "Other": "_b_get",
        "Shared": "_shared_kind",
        "Tree": "_b_get",
    }
    assert {name: _defined(text) for name, text in split.modules.items()} == {
        "_a_get": ["ARequest"],
        "_b_get": ["Node", "Other", "Tree", "BResponse"],
        "_shared_kind": ["Kind", "Shared"],
        "_unreferenced": ["Lonely"],
    }


def test_imports_are_what_each_module_uses_and_the_package_is_relative() -> None:
    modules = split_models(SOURCE, USERS, "pkg").modules
    assert _imports(modules["_a_get"]) == {"_shared_kind"}
    assert _imports(modules["_b_get"]) == {"_shared_kind"}
    assert "from .._models import PlaidModel" in modules["_a_get"]
    assert "from typing import Annotated, ClassVar, Literal\n" in modules["_shared_kind"]
    assert "Union" not in modules["_a_get"]
    # The rebuild of a recursive model follows every definition of its module.
    assert modules["_b_get"].rstrip().endswith("Node.model_rebuild()")
    assert '"""A closed enum whose values look like class names."""' in modules["_shared_kind"]


def test_the_split_is_deterministic_whatever_the_order_of_users() -> None:
    forward = split_models(SOURCE, USERS, "pkg")
    backward = split_models(SOURCE, dict(reversed(USERS.items())), "pkg")
    assert forward == backward
    assert list(forward.modules) == list(backward.modules)


def test_the_split_modules_import_and_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "splitpkg"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "_models.py").write_text("from pydantic import BaseModel as PlaidModel\n", encoding="utf-8")
    split = split_models(SOURCE.replace("pkg._models", "splitpkg._models"), USERS, "splitpkg")
    for name, text in split.modules.items():
        (package / "models" / f"{name}.py").write_text(text, encoding="utf-8")
    (package / "models" / "__init__.py").write_text(render_index(split.index), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        models = importlib.import_module("splitpkg.models")
        assert "splitpkg.models._b_get" not in sys.modules
        response = models.BResponse.model_validate({"shared": {"kind": "Node"}, "tree": [[{"children": []}]]})
        assert "splitpkg.models._a_get" not in sys.modules
        assert response.shared.kind == "Node"
        assert sorted(dir(models)) == sorted({*dir(models), *split.index})
        with pytest.raises(AttributeError, match="Missing"):
            _ = models.Missing
    finally:
        for name in [name for name in sys.modules if name.startswith("splitpkg")]:
            del sys.modules[name]


def test_a_root_that_was_not_generated_is_an_error() -> None:
    with pytest.raises(GenerationError, match=r"Missing \(used by a_get\)"):
        split_models(SOURCE, {"a_get": ("Missing",)}, "pkg")


def test_an_unknown_statement_is_an_error() -> None:
    with pytest.raises(GenerationError, match="does not know"):
        split_models(SOURCE + "\nprint('hello')\n", USERS, "pkg")


def test_the_generated_model_modules_import_no_module_in_a_cycle() -> None:
    folder = GENERATED / "plaid_layer" / "models"
    graph = {path.stem: _imports(path.read_text(encoding="utf-8")) for path in folder.glob("_*.py")}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, f"import cycle: {' -> '.join((*path, module))}"
        if module not in done:
            for other in graph[module]:
                visit(other, (*path, module))
            done.add(module)

    for module in sorted(graph):
        visit(module, ())
    assert graph  # the spec has models


def test_the_users_of_our_spec_are_its_operations_webhooks_and_error_model() -> None:
    facts = collect_facts(SpecModel.load(SPEC))
    assert facts.model_users == {
        "plaid_error": ("PlaidError",),
        "session_token_create": ("SessionTokenCreateRequest", "SessionTokenCreateResponse"),
        "user_account_session_get": ("UserAccountSessionGetRequest", "UserAccountSessionGetResponse"),
        "webhook_verification_key_get": (
            "WebhookVerificationKeyGetRequest",
            "WebhookVerificationKeyGetResponse",
        ),
        "webhooks": ("LayerAuthenticationPassedWebhook", "LayerWebhook", "LinkSessionFinishedWebhook"),
    }
