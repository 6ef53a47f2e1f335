"""Whatever is broken in a spec, the diff gives a verdict or a `SpecError` (exit 2), never a traceback."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.diff.operations import diff_documents
from generator.spec.loader import SpecError
from generator.spec.structure import validate_document

OUR_SPEC = Path(__file__).parents[3] / "spec" / "layer.yaml"
BASE: dict[str, Any] = yaml.safe_load(OUR_SPEC.read_text(encoding="utf-8"))
# Values that are wrong in most places a spec can hold them.
WRONG: list[Any] = [
    None, 1, "x", True, [], {}, [1, 2], {"type": "int"}, {"$ref": "#/nope"}, {"anyOf": []},
    {"oneOf": [{}]}, {"type": []}, {"enum": []}, {"items": None}, {"properties": []}, {"required": "a"},
    {"allOf": {}}, {"not": 3}, {"prefixItems": {}}, {"security": [{"k": 1}]},
]  # fmt: skip


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from _paths(child, (*path, key))


PATHS = [path for path in _paths(BASE) if path]


def _mutated(seed: int, count: int) -> dict[str, Any]:
    chooser = random.Random(seed)
    document = copy.deepcopy(BASE)
    for _ in range(count):
        *parents, last = chooser.choice(PATHS)
        node: Any = document
        try:
            for key in parents:
                node = node[key]
            if isinstance(node, dict) and chooser.random() < 0.3:
                del node[last]
            else:
                node[last] = copy.deepcopy(chooser.choice(WRONG))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    return document


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0), st.integers(min_value=1, max_value=3))
def test_a_broken_spec_is_refused_or_diffed_never_a_crash(seed: int, count: int) -> None:
    document = _mutated(seed, count)
    try:
        validate_document(document, "mutated.yaml")
    except SpecError as exc:
        assert str(exc).startswith("mutated.yaml: ")
        return
    diff_documents(BASE, document)
    diff_documents(document, BASE)
