"""Locations use the one canonical form the issue defines."""

from __future__ import annotations

import pytest

from generator.diff.operations import diff_documents
from tests.generator.diff.specs import STRING, Doc, obj, spec


def _locations(old: Doc, new: Doc) -> list[str]:
    return [str(change.location) for change in diff_documents(old, new)]


ITEMS = {"type": "array", "items": obj({"item_id": STRING})}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            spec(request=obj({"user": obj({"id": STRING})})),
            spec(request=obj({"user": obj({})})),
            "POST /x request body user.id",
        ),
        (
            spec(response=obj({"items": ITEMS})),
            spec(response=obj({"items": {"type": "array", "items": obj({})}})),
            "POST /x response 200 body items[].item_id",
        ),
        (spec(request=STRING), spec(request={"type": "integer"}), "POST /x request body"),
        (spec(response=STRING), spec(response={"type": "integer"}), "POST /x response 200 body"),
        (
            spec(parameters=[{"name": "limit", "in": "query", "schema": STRING}]),
            spec(parameters=[]),
            "POST /x parameter query limit",
        ),
        (
            spec(webhook=obj({"public_tokens": STRING})),
            spec(webhook=obj({})),
            "webhook EVENT payload public_tokens",
        ),
        (spec(webhook=STRING), spec(webhook={"type": "integer"}), "webhook EVENT payload"),
        (spec(webhook=STRING), spec(), "webhook EVENT"),
        (
            spec(request=obj({"m": {"type": "object", "additionalProperties": STRING}})),
            spec(request=obj({"m": {"type": "object", "additionalProperties": {"type": "integer"}}})),
            "POST /x request body m{}",
        ),
    ],
)
def test_location(old: Doc, new: Doc, expected: str) -> None:
    assert _locations(old, new) == [expected]


def test_default_response_location() -> None:
    old, new = spec(), spec()
    old["paths"]["/x"]["post"]["responses"]["default"] = {
        "description": "e",
        "content": {"application/json": {"schema": obj({"code": STRING})}},
    }
    new["paths"]["/x"]["post"]["responses"]["default"] = {
        "description": "e",
        "content": {"application/json": {"schema": obj({})}},
    }
    assert _locations(old, new) == ["POST /x response default body code"]


def test_operation_location_uses_upper_case_method_and_path() -> None:
    new = spec()
    new["paths"]["/session/token/create"] = new["paths"].pop("/x")
    assert sorted(_locations(spec(), new)) == ["POST /session/token/create", "POST /x"]


def test_integer_status_codes_from_yaml_are_strings() -> None:
    old, new = spec(), spec()
    new["paths"]["/x"]["post"]["responses"][404] = {"description": "nope"}
    assert _locations(old, new) == ["POST /x response 404"]
