"""The schema walk behind the findings: field paths, fields declared via `$ref`/`anyOf`, value problems."""

from __future__ import annotations

from typing import Any

from generator.docs_check.schema import Problem, field_path, unknown_fields, value_problems
from generator.spec.model import SpecModel

DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "additionalProperties": True,
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "site": {"type": "string", "format": "url"}},
            },
            "Body": {
                "type": "object",
                "properties": {
                    "item": {"anyOf": [{"$ref": "#/components/schemas/Item"}, {"type": "null"}]},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                },
            },
        }
    }
}
MODEL = SpecModel.from_document(DOCUMENT)
BODY = {"$ref": "#/components/schemas/Body"}


def test_field_paths_mark_arrays_with_brackets() -> None:
    assert field_path(("items", "[]", "id")) == "items[].id"
    assert field_path(("[]", "id")) == "[].id"
    assert field_path(()) == ""


def test_fields_are_found_through_refs_nullable_any_of_and_arrays() -> None:
    value = {"item": {"id": "a", "extra": 1}, "items": [{"id": "b", "more": {"x": 1}}], "top": 0}
    assert [p.field for p in unknown_fields(value, BODY, MODEL)] == ["item.extra", "items[].more", "top"]


def test_problems_inside_a_nullable_object_are_reported_at_their_field() -> None:
    value = {"item": {"site": "not a url"}, "items": [{"id": 3}]}
    assert value_problems(value, BODY, MODEL) == [
        Problem("item.id", "missing-required", "required by the spec but missing"),
        Problem("item.site", "invalid-value", "the spec rejects the value: 'not a url' is not a 'url'"),
        Problem("items[].id", "invalid-value", "the spec rejects the value: 3 is not of type 'string'"),
    ]


def test_a_value_of_no_branchs_type_is_reported_at_the_union() -> None:
    [problem] = value_problems({"item": 5}, BODY, MODEL)
    assert (problem.field, problem.kind) == ("item", "invalid-value")


def test_a_schema_that_composes_itself_is_walked_once() -> None:
    document = {
        "components": {
            "schemas": {
                "Tree": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/Tree"},
                        {"type": "object", "properties": {"leaf": {"type": "string"}}},
                    ]
                }
            }
        }
    }
    model = SpecModel.from_document(document)

    problems = unknown_fields({"leaf": "a", "branch": 1}, {"$ref": "#/components/schemas/Tree"}, model)

    assert [problem.field for problem in problems] == ["branch"]
