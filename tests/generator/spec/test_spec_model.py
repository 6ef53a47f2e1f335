"""The spec model: 3.0 keywords normalised to 3.1 meaning, one resolver, one walker."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.spec.loader import SpecError
from generator.spec.model import (
    SpecModel,
    SpecModelError,
    parse_pointer,
    pointer_text,
    validate,
)
from generator.spec.normalise import normalise, normalise_schema
from tests.generator.support import FEATURE_SPEC
from tests.support import SPEC


def _doc(**extra: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, **extra}


def test_nullable_adds_null_to_the_type_and_enum() -> None:
    schema = normalise_schema({"type": "string", "enum": ["a", "b"], "nullable": True})
    assert schema == {"type": ["string", "null"], "enum": ["a", "b", None]}


def test_nullable_beside_a_ref_wraps_it_in_any_of_keeping_the_description() -> None:
    schema = normalise_schema({"$ref": "#/components/schemas/X", "nullable": True, "description": "d"})
    assert schema == {"description": "d", "anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}]}


def test_nullable_all_of_wrapper_becomes_any_of_with_null() -> None:
    schema = normalise_schema({"allOf": [{"$ref": "#/c"}], "nullable": True})
    assert schema == {"anyOf": [{"allOf": [{"$ref": "#/c"}]}, {"type": "null"}]}


def test_nullable_any_of_gains_a_null_branch_once() -> None:
    schema = normalise_schema({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": True})
    assert schema == {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}


def test_nullable_false_is_dropped() -> None:
    assert normalise_schema({"type": "string", "nullable": False}) == {"type": "string"}


def test_boolean_exclusive_bounds_become_numbers() -> None:
    schema = normalise_schema(
        {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 9, "exclusiveMaximum": False}
    )
    assert schema == {"type": "number", "exclusiveMinimum": 0, "maximum": 9}


def test_example_and_x_examples_become_examples() -> None:
    schema = normalise_schema(
        {"type": "object", "example": {"a": 1}, "x-examples": {"one": {"summary": "s", "value": {"a": 2}}}}
    )
    assert schema == {"type": "object", "examples": [{"a": 1}, {"a": 2}]}


def test_nested_schemas_are_normalised() -> None:
    schema = normalise_schema(
        {
            "type": "object",
            "properties": {"a": {"type": "string", "nullable": True}},
            "additionalProperties": {"type": "integer", "nullable": True},
            "items": {"type": "string", "example": "x"},
            "allOf": [{"type": "object", "properties": {"b": {"type": "integer", "nullable": True}}}],
        }
    )
    assert schema["properties"]["a"]["type"] == ["string", "null"]
    assert schema["additionalProperties"]["type"] == ["integer", "null"]
    assert schema["items"]["examples"] == ["x"]
    assert schema["allOf"][0]["properties"]["b"]["type"] == ["integer", "null"]


def test_a_property_named_like_a_keyword_is_still_a_schema() -> None:
    schema = normalise_schema(
        {"type": "object", "properties": {"example": {"type": "string", "nullable": True}}}
    )
    assert schema["properties"]["example"] == {"type": ["string", "null"]}


def test_examples_and_extensions_are_data_not_structure() -> None:
    value = {"schema": {"type": "string", "nullable": True}}
    doc = _doc(
        paths={
            "/a": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"type": "string", "nullable": True},
                                "examples": {"e": {"value": copy.deepcopy(value)}},
                                "x-thing": copy.deepcopy(value),
                            }
                        }
                    },
                    "responses": {},
                }
            }
        }
    )
    media = normalise(doc)["paths"]["/a"]["post"]["requestBody"]["content"]["application/json"]
    assert media["schema"] == {"type": ["string", "null"]}
    assert media["examples"]["e"]["value"] == value
    assert media["x-thing"] == value


def test_normalise_copies_and_upgrades_a_3_0_document() -> None:
    doc = {
        **_doc(),
        "openapi": "3.0.3",
        "components": {"schemas": {"A": {"type": "string", "nullable": True}}},
    }
    before = copy.deepcopy(doc)
    model = SpecModel.from_document(doc, "x.yaml")
    assert doc == before
    assert model.source_version == "3.0.3"
    assert model.document["openapi"] == "3.1.0"
    assert model.schema("A") == {"type": ["string", "null"]}


def test_parameter_and_header_schemas_are_normalised() -> None:
    doc = _doc(
        paths={
            "/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {
                    "parameters": [
                        {"name": "q", "in": "query", "schema": {"type": "integer", "nullable": True}}
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {"H": {"schema": {"type": "string", "nullable": True}}},
                        }
                    },
                },
            }
        }
    )
    model = SpecModel.from_document(doc)
    (op,) = model.operations()
    assert [(p.name, p.location) for p in op.parameters] == [("id", "path"), ("q", "query")]
    assert op.parameters[1].parameter["schema"]["type"] == ["integer", "null"]
    assert op.operation["responses"]["200"]["headers"]["H"]["schema"]["type"] == ["string", "null"]


def test_operation_level_parameters_override_path_level_ones() -> None:
    doc = _doc(
        paths={
            "/a": {
                "parameters": [{"name": "h", "in": "header", "description": "path"}],
                "post": {"parameters": [{"name": "h", "in": "header", "description": "op"}], "responses": {}},
                "get": {"responses": {}},
            }
        }
    )
    model = SpecModel.from_document(doc)
    ops = {op.method: op for op in model.operations()}
    assert ops["post"].parameters[0].parameter["description"] == "op"
    assert ops["get"].parameters[0].parameter["description"] == "path"
    assert ops["post"].pointer == ("paths", "/a", "post")
    assert ops["post"].where == "POST /a"


def test_parameter_refs_are_resolved_and_keep_where_they_were_written() -> None:
    doc = _doc(
        paths={"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}], "responses": {}}}},
        components={"parameters": {"P": {"name": "p", "in": "query", "schema": {"type": "string"}}}},
    )
    (op,) = SpecModel.from_document(doc).operations()
    assert op.parameters[0].name == "p"
    assert op.parameters[0].pointer == ("paths", "/a", "get", "parameters", "0")


def test_webhooks_are_walked_with_their_names() -> None:
    doc = _doc(webhooks={"HOOK": {"post": {"responses": {}}}})
    (hook,) = SpecModel.from_document(doc).webhooks()
    assert (hook.name, hook.path, hook.method, hook.where) == ("HOOK", None, "post", "webhook HOOK")
    assert hook.pointer == ("webhooks", "HOOK", "post")


def test_resolve_follows_chains_and_refuses_cycles_and_dangling_refs() -> None:
    doc = _doc(
        components={
            "schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"type": "string"},
                "C": {"$ref": "#/components/schemas/D"},
                "D": {"$ref": "#/components/schemas/C"},
            }
        }
    )
    model = SpecModel.from_document(doc)
    assert model.resolve({"$ref": "#/components/schemas/A"}) == {"type": "string"}
    assert model.ref_name({"$ref": "#/components/schemas/A"}) == "A"
    assert model.ref_name({"type": "string"}) is None
    with pytest.raises(SpecModelError, match="circular"):
        model.resolve({"$ref": "#/components/schemas/C"})
    with pytest.raises(SpecModelError, match="points to nothing") as info:
        model.resolve({"$ref": "#/components/schemas/Nowhere"}, ("paths", "/x"))
    assert "#/paths/~1x" in str(info.value)
    with pytest.raises(SpecModelError, match="only local"):
        model.resolve({"$ref": "other.yaml#/A"})
    with pytest.raises(SpecModelError, match="no component schema"):
        model.schema("Nowhere")


def test_describe_names_the_component_and_property() -> None:
    model = SpecModel.from_document(_doc())
    text = model.describe(("components", "schemas", "Count", "properties", "n", "exclusiveMinimum"))
    assert text.startswith("component schema Count, property n (")
    assert model.describe(("paths", "/a", "post", "requestBody")).startswith("operation POST /a (")


@given(st.lists(st.text(st.characters(exclude_characters="%"), min_size=1), max_size=5))
def test_pointer_text_round_trips(parts: list[str]) -> None:
    # `%` is left out: a `$ref` is a URI fragment, so a literal percent sign is written `%25`.
    assert parse_pointer(pointer_text(parts)) == tuple(parts)


def test_load_reads_our_spec_and_errors_are_spec_errors(tmp_path: Path) -> None:
    model = SpecModel.load(SPEC)
    assert {op.operation_id for op in model.operations()} >= {"sessionTokenCreate"}
    assert {hook.name for hook in model.webhooks()} == {"LAYER_AUTHENTICATION_PASSED", "SESSION_FINISHED"}
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [", encoding="utf-8")
    with pytest.raises(SpecError):
        SpecModel.load(broken)


def test_non_local_refs_are_found_outside_example_data() -> None:
    doc = _doc(
        components={
            "schemas": {
                "A": {"$ref": "other.yaml#/A"},
                "B": {"type": "object", "examples": [{"$ref": "not/a/ref"}]},
            }
        }
    )
    assert list(SpecModel.from_document(doc).non_local_refs()) == [("components", "schemas", "A", "$ref")]


def test_validation_errors_name_the_component_and_property() -> None:
    doc = _doc(
        paths={},
        components={"schemas": {"Counts": {"type": "object", "properties": {"n": {"minimum": "zero"}}}}},
    )
    with pytest.raises(
        SpecError, match=r"component schema Counts, property n \(#/components/schemas/Counts/"
    ):
        validate(SpecModel.from_document(doc).document, "spec.yaml")


def test_pasted_3_0_keywords_validate_as_3_1() -> None:
    schema = {"type": "number", "minimum": 0, "exclusiveMinimum": False, "nullable": True, "example": 1}
    doc = _doc(paths={}, components={"schemas": {"N": schema}})
    with pytest.raises(SpecError):
        validate(doc, "raw.yaml")  # as written, `exclusiveMinimum: false` is not 3.1
    validate(SpecModel.from_document(doc).document, "spec.yaml")


def test_a_3_0_document_is_read_with_3_1_meaning_and_validates() -> None:
    spec: dict[str, Any] = yaml.safe_load(FEATURE_SPEC.read_text())
    spec["openapi"] = "3.0.3"
    del spec["webhooks"]
    model = SpecModel.from_document(spec, "feature-3.0.yaml")
    validate(model.document, model.source)
    assert model.schema("AmountNullable")["type"] == ["object", "null"]
    assert model.schema("Amount")["properties"]["value"] == {"type": "number", "exclusiveMinimum": 0}
    assert {op.operation_id for op in model.operations()} >= {"thingGet", "thingCreate"}


@pytest.mark.parametrize(
    ("schema", "known"),
    [
        ({"type": "string", "enum": ["B", "A", 3]}, ("B", "A")),
        ({"anyOf": [{"enum": ["A", "B"]}, {"type": "string"}]}, ("A", "B")),  # an open enum
        ({"oneOf": [{"const": "A"}, {"$ref": "#/components/schemas/Kinds"}]}, ("A", "C")),
        ({"$ref": "#/components/schemas/Kinds"}, ("C", "A")),
        ({"type": "string"}, ()),
    ],
)
def test_known_strings_are_the_values_a_schema_names(schema: dict[str, Any], known: tuple[str, ...]) -> None:
    document = {"openapi": "3.1.0", "paths": {}, "components": {"schemas": {"Kinds": {"enum": ["C", "A"]}}}}
    assert SpecModel.from_document(document).known_strings(schema) == known
