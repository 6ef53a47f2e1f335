"""Every `python-*` rule fires on a small old/new pair of modules, compared as the diff compares packages."""

from __future__ import annotations

import griffe
import pytest

from generator.diff.python_api import compare_apis
from generator.diff.rules import RULES

PAIRS: dict[str, tuple[str, str]] = {
    "python-parameter-moved": ("def f(a, b): ...", "def f(b, a): ..."),
    "python-parameter-removed": ("def f(a): ...", "def f(): ..."),
    "python-parameter-changed-kind": ("def f(a): ...", "def f(*, a): ..."),
    "python-parameter-changed-default": ("def f(a=1): ...", "def f(a=2): ..."),
    "python-parameter-changed-required": ("def f(a=1): ...", "def f(a): ..."),
    "python-parameter-added-required": ("def f(): ...", "def f(a): ..."),
    "python-return-changed-type": ("def f() -> int: ...", "def f() -> str: ..."),
    "python-object-removed": ("def f(): ...\ndef g(): ...", "def f(): ..."),
    "python-object-changed-kind": ("class A: ...", "def A(): ..."),
    "python-attribute-changed-type": ("class A:\n    x: int", "class A:\n    x: str"),
    "python-class-removed-base": ("class B: ...\nclass A(B): ...", "class B: ...\nclass A: ..."),
    "python-attribute-changed-value": ("class E:\n    A = 'a'", "class E:\n    A = 'b'"),
    "python-function-added": ("def f(): ...", "def f(): ...\ndef g(): ..."),
    "python-parameter-changed-type": ("def f(a: int): ...", "def f(a: str): ..."),
    "python-parameter-type-widened": ("def f(a: int | None): ...", "def f(a: int | str | None): ..."),
    "python-attribute-type-widened": (
        "from typing import TypeAlias\nWebhook: TypeAlias = A | B | UnknownWebhook",
        "from typing import TypeAlias\nWebhook: TypeAlias = A | B | New | UnknownWebhook",
    ),
    "python-return-type-widened": ("def f() -> A | B: ...", "def f() -> A | B | C: ..."),
}


def _changes(old: str, new: str) -> list[tuple[str, str]]:
    with (
        griffe.temporary_visited_module(old, module_name="m") as old_api,
        griffe.temporary_visited_module(new, module_name="m") as new_api,
    ):
        return [(change.rule, str(change.location)) for change in compare_apis(old_api, new_api)]


def test_every_python_rule_has_a_pair() -> None:
    assert set(PAIRS) == {rule for rule in RULES if rule.startswith("python-")}


@pytest.mark.parametrize("rule", sorted(PAIRS))
def test_python_rule_fires_on_its_pair(rule: str) -> None:
    old, new = PAIRS[rule]
    assert rule in {found for found, _ in _changes(old, new)}
    assert _changes(old, old) == []


def test_a_field_whose_description_changed_is_not_a_changed_value() -> None:
    old = "class M:\n    x: int = Field(None, description='old')"
    new = "class M:\n    x: int = Field(None, description='new')"
    assert _changes(old, new) == []


def test_a_narrowed_parameter_union_is_a_changed_type() -> None:
    assert _changes("def f(a: int | str): ...", "def f(a: int): ...") == [
        ("python-parameter-changed-type", "m.f")
    ]


def test_a_new_webhook_model_in_the_union_is_only_an_addition() -> None:
    """`Webhook: A | B | UnknownWebhook -> A | B | New | UnknownWebhook` (what one pasted webhook does)."""
    old, new = PAIRS["python-attribute-type-widened"]
    assert _changes(old, new) == [("python-attribute-type-widened", "m.Webhook")]
    assert RULES["python-attribute-type-widened"].level.value == "non-breaking"


def test_a_member_dropped_from_an_alias_stays_a_changed_value() -> None:
    old, new = PAIRS["python-attribute-type-widened"]
    assert {rule for rule, _ in _changes(new, old)} == {"python-attribute-changed-value"}


def test_a_new_response_variant_is_a_widened_return() -> None:
    old, new = PAIRS["python-return-type-widened"]
    assert _changes(old, new) == [("python-return-type-widened", "m.f")]
    assert {rule for rule, _ in _changes(new, old)} == {"python-return-changed-type"}


def test_a_new_known_value_of_an_open_enum_field_is_a_widening() -> None:
    old = "class E:\n    t: Annotated[Literal['A', 'B'] | str, Field(title='T')]"
    new = "class E:\n    t: Annotated[Literal['A', 'B', 'C'] | str, Field(title='T')]"
    assert _changes(old, new) == [("python-attribute-type-widened", "m.E.t")]
    assert _changes(new, old) == [("python-attribute-changed-type", "m.E.t")]
