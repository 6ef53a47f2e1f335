"""The decisions the facts stage makes, one by one, on small specs."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from generator.build.models_input import models_document
from generator.facts import FactsError, collect_facts
from generator.facts.names import client_attribute_names, python_identifier
from generator.spec.extensions import LAYER_NULLABLE
from generator.spec.model import SpecModel
from tests.support import SPEC

BASE: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
REQUEST = "SessionTokenCreateRequest"


def _with_property(schema: dict[str, Any], extra: dict[str, Any] | None = None) -> SpecModel:
    spec = copy.deepcopy(BASE)
    spec["components"]["schemas"][REQUEST]["properties"]["probe"] = schema
    spec["components"]["schemas"].update(extra or {})
    return SpecModel.from_document(spec)


def _probe(model: SpecModel) -> tuple[str, bool]:
    op = collect_facts(model).operation("session_token_create")
    param = next(p for p in op.params if p.json_name == "probe")
    return param.annotation, param.nullable


def test_an_all_of_wrapper_is_its_member_in_signatures() -> None:
    model = _with_property(
        {"allOf": [{"$ref": "#/components/schemas/SessionTokenCreateRequestUser"}], "nullable": True}
    )
    assert _probe(model) == ("SessionTokenCreateRequestUser | SessionTokenCreateRequestUserParam", True)


def test_merged_all_of_becomes_a_request_shape() -> None:
    schema = {
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"type": "object", "properties": {"b": {"type": "integer"}}},
        ]
    }
    model = _with_property(schema)
    annotation, _ = _probe(model)
    shapes = {s.name: s for s in collect_facts(model).typed_dicts}
    assert annotation == f"{REQUEST}ProbeParam"
    assert [(f.json_name, f.required) for f in shapes[annotation].fields] == [("a", True), ("b", False)]


def test_a_nullable_map_keeps_its_value_type() -> None:
    schema = {"type": "object", "nullable": True, "additionalProperties": {"type": "integer"}}
    assert _probe(_with_property(schema)) == ("Mapping[str, int]", True)


def test_request_enums_are_closed_in_signatures() -> None:
    assert _probe(_with_property({"type": "string", "enum": ["a", "b"]})) == ("Literal['a', 'b']", False)


def test_response_enums_become_open_and_request_only_enums_stay_closed() -> None:
    spec = copy.deepcopy(BASE)
    schemas = spec["components"]["schemas"]
    schemas["SessionTokenCreateResponse"]["properties"]["mood"] = {
        "type": "string",
        "enum": ["up"],
        "nullable": True,
    }
    schemas[REQUEST]["properties"]["side"] = {"type": "string", "enum": ["left"]}
    document = models_document(SpecModel.from_document(spec))
    mood = document["components"]["schemas"]["SessionTokenCreateResponse"]["properties"]["mood"]
    assert mood["anyOf"] == [{"type": "string", "enum": ["up"]}, {"type": "string"}, {"type": "null"}]
    assert document["components"]["schemas"][REQUEST]["properties"]["side"] == {
        "type": "string",
        "enum": ["left"],
    }


def test_request_fields_that_admit_null_are_marked() -> None:
    spec = copy.deepcopy(BASE)
    props = spec["components"]["schemas"]["SessionTokenCreateRequestUser"]["properties"]
    props["nick"] = {"type": "string", "nullable": True}
    document = models_document(SpecModel.from_document(spec))
    marked = document["components"]["schemas"]["SessionTokenCreateRequestUser"]["properties"]
    assert marked["nick"][LAYER_NULLABLE] is True
    assert LAYER_NULLABLE not in marked["user_id"]
    assert spec["components"]["schemas"]["SessionTokenCreateRequestUser"]["properties"]["nick"] == {
        "type": "string",
        "nullable": True,
    }


def test_an_empty_stray_media_type_declares_nothing() -> None:
    spec = copy.deepcopy(BASE)
    spec["paths"]["/session/token/create"]["post"]["requestBody"]["content"]["examples"] = {}
    assert collect_facts(spec).operation("session_token_create").request_class == REQUEST


@pytest.mark.parametrize("setting", [False, "absent"])
def test_response_objects_keep_unknown_fields_whatever_the_schema_says(setting: object) -> None:
    spec = copy.deepcopy(BASE)
    schemas = spec["components"]["schemas"]
    for name in ("SessionTokenCreateResponseLink", "LinkSessionFinishedWebhook", REQUEST):
        schemas[name].pop("additionalProperties", None)
        if setting is False:
            schemas[name]["additionalProperties"] = False
    document = models_document(SpecModel.from_document(spec))["components"]["schemas"]
    assert document["SessionTokenCreateResponseLink"]["additionalProperties"] is True
    assert document["LinkSessionFinishedWebhook"]["additionalProperties"] is True
    assert document[REQUEST].get("additionalProperties", False) is False  # requests stay strict


def test_a_schema_both_requests_and_responses_use_keeps_its_own_rule() -> None:
    spec = copy.deepcopy(BASE)
    schemas = spec["components"]["schemas"]
    schemas["SessionTokenCreateRequestUser"]["additionalProperties"] = False
    schemas["SessionTokenCreateResponse"]["properties"]["user"] = {
        "$ref": "#/components/schemas/SessionTokenCreateRequestUser"
    }
    document = models_document(SpecModel.from_document(spec))["components"]["schemas"]
    assert document["SessionTokenCreateRequestUser"]["additionalProperties"] is False


def test_json_is_chosen_when_a_request_body_offers_other_media_types_too() -> None:
    spec = copy.deepcopy(BASE)
    content = spec["paths"]["/session/token/create"]["post"]["requestBody"]["content"]
    content["application/xml"] = {"schema": {"type": "object"}}
    responses = spec["paths"]["/session/token/create"]["post"]["responses"]
    responses["200"]["content"]["application/xml"] = {"schema": {"type": "object"}}
    op = collect_facts(spec).operation("session_token_create")
    assert op.request_class == REQUEST
    assert op.responses[0].reader == "SessionTokenCreateResponse"


def test_a_request_body_with_no_json_choice_is_refused() -> None:
    spec = copy.deepcopy(BASE)
    content = spec["paths"]["/session/token/create"]["post"]["requestBody"]["content"]
    content["application/xml"] = content.pop("application/json")
    with pytest.raises(FactsError, match="request body media type 'application/xml' is not supported"):
        collect_facts(spec)


def test_reserved_names_come_from_the_runtime_client() -> None:
    names = client_attribute_names()
    assert {"close", "with_raw_response", "base_url", "timeout", "max_retries", "environment"} <= names


@pytest.mark.parametrize(
    ("json_name", "python_name"),
    [("class", "class_"), ("2fa", "field_2fa"), ("Plaid-New-User-API-Enabled", "plaid_new_user_api_enabled")],
)
def test_python_identifiers(json_name: str, python_name: str) -> None:
    assert python_identifier(json_name) == python_name


def test_two_webhooks_with_one_identity_are_refused() -> None:
    spec = copy.deepcopy(BASE)
    spec["webhooks"]["AGAIN"] = copy.deepcopy(spec["webhooks"]["SESSION_FINISHED"])
    with pytest.raises(FactsError, match="share webhook_type 'LINK'"):
        collect_facts(spec)


def test_the_runtime_reads_the_marker_the_generator_writes() -> None:
    runtime = (SPEC.parent.parent / "templates" / "runtime" / "_request.py").read_text(encoding="utf-8")
    assert f'NULLABLE_MARKER = "{LAYER_NULLABLE}"' in runtime
