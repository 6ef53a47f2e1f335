"""The request shapes' module (`types.py`) imports what its annotations name, and nothing else."""

from __future__ import annotations

import datetime
import sys
import typing
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
import yaml

from generator.build.templating import render
from generator.facts import collect_facts
from tests.generator.support import FEATURE_SPEC

TYPES_TEMPLATE = "package/{package}/types.py.jinja"


def _only_thing_list(window: dict[str, Any]) -> dict[str, Any]:
    """The feature spec cut down to `thingList`, whose request takes an inline `window` object."""
    spec: dict[str, Any] = yaml.safe_load(FEATURE_SPEC.read_text(encoding="utf-8"))
    spec["paths"] = {"/things/list": spec["paths"]["/things/list"]}
    spec["components"]["schemas"]["ThingListRequest"]["properties"]["window"] = window
    return spec


@pytest.fixture
def module() -> Iterator[ModuleType]:
    """An empty module, registered while the test runs: `get_type_hints` looks a class's module up."""
    fresh = ModuleType("rendered_types")
    sys.modules[fresh.__name__] = fresh
    yield fresh
    del sys.modules[fresh.__name__]


def test_a_shape_with_a_date_and_no_model_imports_datetime(module: ModuleType) -> None:
    window = {"type": "object", "properties": {"since": {"type": "string", "format": "date"}}}
    facts = collect_facts(_only_thing_list(window))
    assert not facts.typed_dict_imports  # the case: a shape that names no model
    exec(compile(render(TYPES_TEMPLATE, facts=facts), "types.py", "exec"), module.__dict__)
    hints = typing.get_type_hints(module.ThingListRequestWindowParam)
    assert hints == {"since": datetime.date | str | None}


def test_shapes_without_dates_do_not_import_datetime() -> None:
    window = {"type": "object", "properties": {"size": {"type": "integer"}}}
    text = render(TYPES_TEMPLATE, facts=collect_facts(_only_thing_list(window)))
    assert "import datetime" not in text
