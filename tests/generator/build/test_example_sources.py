"""Where examples come from: a media type's `examples`, its single `example`, or its schema's own."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from generator.examples import MEDIA_EXAMPLE_KEY, SCHEMA_EXAMPLE_KEY, iter_examples
from generator.facts import collect_facts
from generator.spec.model import SpecModel
from tests.support import SPEC

BASE: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
OPERATION = ("/session/token/create", "post")
RESPONSE_SCHEMA = "SessionTokenCreateResponse"
VALUE = {"request_id": "r-1", "link_token": "link-sandbox-1"}


def _response_media(spec: dict[str, Any]) -> dict[str, Any]:
    path, method = OPERATION
    media: dict[str, Any] = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    media.pop("examples", None)
    return media


def _response_example(spec: dict[str, Any]) -> tuple[set[str], Any]:
    model = SpecModel.from_document(spec)
    keys = {
        e.key
        for e in iter_examples(model)
        if e.kind == "response" and e.owner == "sessionTokenCreate" and e.status == "200"
    }
    return keys, collect_facts(model).operation("session_token_create").response_example


def test_a_media_types_single_example_is_read() -> None:
    spec = copy.deepcopy(BASE)
    _response_media(spec)["example"] = VALUE
    assert _response_example(spec) == ({MEDIA_EXAMPLE_KEY}, VALUE)


def test_a_schemas_3_0_example_serves_when_the_media_type_has_none() -> None:
    spec = copy.deepcopy(BASE)
    _response_media(spec)
    spec["components"]["schemas"][RESPONSE_SCHEMA]["example"] = VALUE
    assert _response_example(spec) == ({SCHEMA_EXAMPLE_KEY}, VALUE)


def test_a_schemas_x_examples_serve_their_first_value() -> None:
    spec = copy.deepcopy(BASE)
    _response_media(spec)
    spec["components"]["schemas"][RESPONSE_SCHEMA]["x-examples"] = {
        "first": {"summary": "one", "value": VALUE},
        "second": {"value": {"request_id": "r-2"}},
    }
    assert _response_example(spec) == ({SCHEMA_EXAMPLE_KEY}, VALUE)


def test_the_media_types_own_examples_win_over_the_schemas() -> None:
    spec = copy.deepcopy(BASE)
    path, method = OPERATION
    documented = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["examples"]
    spec["components"]["schemas"][RESPONSE_SCHEMA]["example"] = VALUE
    keys, served = _response_example(spec)
    assert SCHEMA_EXAMPLE_KEY not in keys
    assert served == documented["documented"]["value"]
