"""Spellings that mean the same schema are no change: refs, renamed components, nullability, key order."""

from __future__ import annotations

from generator.diff.operations import diff_documents
from tests.generator.diff.specs import STRING, Doc, obj, open_enum, spec

USER = obj({"id": STRING, "tags": {"type": "array", "items": STRING}}, ("id",))


def test_renamed_component_with_the_same_shape_is_no_change() -> None:
    old = spec(request={"$ref": "#/components/schemas/User"}, schemas={"User": USER})
    new = spec(request={"$ref": "#/components/schemas/Person"}, schemas={"Person": USER})
    assert diff_documents(old, new) == []


def test_inlined_component_is_no_change() -> None:
    old = spec(response={"$ref": "#/components/schemas/User"}, schemas={"User": USER})
    assert diff_documents(old, spec(response=USER)) == []


def test_openapi_30_nullable_equals_31_type_null() -> None:
    old = spec(response=obj({"a": {"type": "string", "nullable": True}}), version="3.0.3")
    new = spec(response=obj({"a": {"type": ["string", "null"]}}))
    assert diff_documents(old, new) == []


def test_anyof_with_null_equals_nullable_allof_ref() -> None:
    schemas = {"User": USER}
    old = spec(
        response=obj({"u": {"allOf": [{"$ref": "#/components/schemas/User"}], "nullable": True}}),
        schemas=schemas,
        version="3.0.3",
    )
    new = spec(
        response=obj({"u": {"anyOf": [{"$ref": "#/components/schemas/User"}, {"type": "null"}]}}),
        schemas=schemas,
    )
    assert diff_documents(old, new) == []


def test_key_order_required_order_and_enum_order_are_no_change() -> None:
    old = spec(request={"type": "object", "required": ["a", "b"], "properties": {"a": STRING, "b": STRING}})
    new = spec(request={"properties": {"b": STRING, "a": STRING}, "required": ["b", "a"], "type": "object"})
    assert diff_documents(old, new) == []
    assert diff_documents(spec(request={"enum": ["x", "y"]}), spec(request={"enum": ["y", "x"]})) == []


def test_recursive_refs_terminate_and_report_once() -> None:
    def tree(leaf: Doc) -> Doc:
        node = obj(
            {"leaf": leaf, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}
        )
        return spec(response={"$ref": "#/components/schemas/Node"}, schemas={"Node": node})

    changes = diff_documents(tree(STRING), tree({"type": "integer"}))
    assert [(change.rule, str(change.location)) for change in changes] == [
        ("response-type-changed", "POST /x response 200 body leaf")
    ]


def test_mutually_recursive_refs_are_reported_at_every_root() -> None:
    def pair(kind: str) -> dict[str, object]:
        schemas = {
            "A": obj({"b": {"$ref": "#/components/schemas/B"}, "v": {"type": kind}}),
            "B": obj({"a": {"$ref": "#/components/schemas/A"}}),
        }
        document = spec(request={"$ref": "#/components/schemas/A"}, schemas=schemas)
        document["paths"]["/y"] = {
            "post": {
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}}
                }
            }
        }
        return document

    locations = {str(change.location) for change in diff_documents(pair("string"), pair("integer"))}
    assert locations == {"POST /x request body v", "POST /y request body a.v"}


def test_open_enum_marker_is_recognised_in_either_branch_order() -> None:
    old = spec(response={"oneOf": [STRING, {"type": "string", "enum": ["a"]}]})
    new = spec(response=open_enum("a", "b"))
    assert [change.rule for change in diff_documents(old, new)] == ["response-enum-value-added"]


def test_enum_outside_the_marker_is_compared_too() -> None:
    old = spec(response={"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "integer"}]})
    new = spec(response={"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "integer"}]})
    assert [change.rule for change in diff_documents(old, new)] == ["response-enum-value-added"]


def test_webhook_payload_is_judged_as_a_response() -> None:
    old = spec(webhook=obj({"a": STRING}, ("a",)))
    new = spec(webhook=obj({"a": STRING, "b": STRING}, ("a", "b")))
    assert [change.rule for change in diff_documents(old, new)] == ["response-property-added"]


def test_path_and_operation_parameters_are_merged() -> None:
    old = spec()
    old["paths"]["/x"]["parameters"] = [{"name": "q", "in": "query", "schema": STRING}]
    new = spec(parameters=[{"name": "q", "in": "query", "schema": STRING}])
    assert diff_documents(old, new) == []
