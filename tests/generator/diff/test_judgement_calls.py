"""The judgement calls RULES.md decides, each as an old/new pair in both directions, and the rules whose
level rests on what the generated client does, each paired with the generated code that shows it."""

from __future__ import annotations

import tomllib
import typing
from typing import Any

import pytest

from generator.diff.operations import diff_documents
from generator.diff.rules import RULES, Level
from generator.paths import CONFIG
from tests.generator.diff.specs import STRING, Doc, edit, obj, operation, spec, spec_with

A = obj({"a": STRING}, ("a",), title="A")
B = obj({"b": STRING}, ("b",), title="B")
COMPONENTS = {"A": A, "B": B}
REF_A, REF_B = {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}
TAGGED = {"oneOf": [REF_A, REF_B], "discriminator": {"propertyName": "kind"}}
REMAPPED = {"oneOf": [REF_A, REF_B], "discriminator": {"propertyName": "type"}}


def judged(old: Doc, new: Doc) -> set[tuple[str, Level]]:
    return {(change.rule, change.level) for change in diff_documents(old, new)}


def _media(document: Doc, where: str, media: str) -> Doc:
    def change(copy: Doc) -> None:
        holder = operation(copy)["requestBody"] if where == "request" else operation(copy)["responses"]["200"]
        holder["content"] = {media: holder["content"]["application/json"]}

    return edit(document, change)


def test_a_request_body_wrapped_into_a_one_of_is_a_new_variant() -> None:
    old = spec(request=REF_A, schemas=COMPONENTS)
    new = spec(request={"oneOf": [REF_A, REF_B]}, schemas=COMPONENTS)
    assert judged(old, new) == {("request-variant-added", Level.non_breaking)}
    assert judged(new, old) == {("request-variant-removed", Level.breaking)}


def test_a_media_type_generalised_in_a_request_still_accepts_what_clients_send() -> None:
    old = spec(request=obj({"a": STRING}))
    assert judged(old, _media(old, "request", "application/*")) == {("media-type-renamed", Level.info)}


def test_a_media_type_generalised_in_a_response_breaks_a_json_decoding_client() -> None:
    old = spec(response=obj({"a": STRING}))
    new = _media(old, "response", "application/*")
    assert judged(old, new) == {("response-media-type-generalised", Level.breaking)}
    # From a wildcard to a type it covers: clients accepted anything.
    assert judged(new, old) == {("media-type-renamed", Level.info)}


@pytest.mark.parametrize(
    ("where", "rule", "level"),
    [
        ("request", "request-property-removed", Level.breaking),
        ("response", "response-property-removed", Level.breaking),
    ],
)
def test_a_removed_all_of_part_removes_what_it_brought(where: str, rule: str, level: Level) -> None:
    old = spec_with(where, {"allOf": [REF_A, REF_B]}, schemas=COMPONENTS)
    new = spec_with(where, {"allOf": [REF_A]}, schemas=COMPONENTS)
    assert (rule, level) in judged(old, new)
    became = "request-property-became-optional" if where == "request" else "response-property-became-optional"
    assert {found for found, _ in judged(old, new)} <= {rule, became}


def test_a_response_discriminator_added_removed_or_remapped() -> None:
    untagged = spec(response={"oneOf": [REF_A, REF_B]}, schemas=COMPONENTS)
    tagged = spec(response=TAGGED, schemas=COMPONENTS)
    remapped = spec(response=REMAPPED, schemas=COMPONENTS)
    assert judged(untagged, tagged) == {("response-discriminator-added", Level.non_breaking)}
    assert judged(tagged, untagged) == {("response-discriminator-removed", Level.breaking)}
    assert judged(tagged, remapped) == {("response-discriminator-changed", Level.breaking)}
    # In a request any change of the tag misleads the API.
    assert judged(spec(request=TAGGED, schemas=COMPONENTS), spec(request=REMAPPED, schemas=COMPONENTS)) == {
        ("request-discriminator-changed", Level.breaking)
    }


@pytest.mark.parametrize("keyword", ["oneOf", "anyOf"])
def test_a_response_variant_added_is_an_addition(keyword: str) -> None:
    old = spec(response={keyword: [REF_A, REF_B]}, schemas={**COMPONENTS, "C": obj({"c": STRING})})
    new = spec(
        response={keyword: [REF_A, REF_B, {"$ref": "#/components/schemas/C"}]},
        schemas=old["components"]["schemas"],
    )
    assert judged(old, new) == {("response-variant-added", Level.non_breaking)}


def test_integer_to_number_and_back_in_requests_and_responses() -> None:
    integer, number = {"type": "integer"}, {"type": "number"}
    assert judged(spec(request=integer), spec(request=number)) == {
        ("request-type-widened", Level.non_breaking)
    }
    assert judged(spec(request=number), spec(request=integer)) == {("request-type-narrowed", Level.breaking)}
    assert judged(spec(response=integer), spec(response=number)) == {
        ("response-type-changed", Level.breaking)
    }
    assert judged(spec(response=number), spec(response=integer)) == {
        ("response-type-narrowed", Level.non_breaking)
    }


def test_a_request_property_pattern_removed_is_a_loosening() -> None:
    old = spec(request=obj({"a": {**STRING, "pattern": "^[a-z]+$"}}))
    new = spec(request=obj({"a": STRING}))
    assert judged(old, new) == {("request-constraint-loosened", Level.non_breaking)}
    assert judged(new, old) == {("request-constraint-tightened", Level.breaking)}


# What the generated client does with a changed response: the code behind each level.


def test_response_enum_value_added_the_generated_field_takes_any_string() -> None:
    from plaid_layer.models import PlaidError

    error = PlaidError.model_validate(
        {"error_type": "A_NEW_TYPE", "error_code": "X", "error_message": "m", "display_message": None}
    )
    assert error.error_type == "A_NEW_TYPE"
    annotation = typing.get_type_hints(PlaidError, include_extras=True)["error_type"]
    assert str in typing.get_args(typing.get_args(annotation)[0])  # Literal[...] | str
    for rule in ("response-enum-value-added", "response-enum-removed"):
        assert RULES[rule].level is Level.non_breaking


def test_response_keys_unknown_to_the_old_spec_are_kept() -> None:
    from plaid_layer.models import PlaidError

    error = PlaidError.model_validate(
        {
            "error_type": "API_ERROR",
            "error_code": "X",
            "error_message": "m",
            "display_message": None,
            "brand_new": 1,
        }
    )
    assert (error.model_extra or {})["brand_new"] == 1
    for rule in ("response-property-added", "response-additional-properties-opened"):
        assert RULES[rule].level is Level.non_breaking


def test_a_webhook_the_old_spec_does_not_know_is_read_without_raising() -> None:
    from plaid_layer.webhooks import UnknownWebhook, parse_webhook

    event = parse_webhook({"webhook_type": "LAYER", "webhook_code": "SOMETHING_NEW", "extra": True})
    assert isinstance(event, UnknownWebhook)
    for rule in ("webhook-added", "response-variant-added", "python-attribute-type-widened"):
        assert RULES[rule].level is Level.non_breaking


def test_response_limits_are_generated_into_the_models_so_loosening_them_breaks() -> None:
    with (CONFIG / "datamodel-codegen.toml").open("rb") as handle:
        options: dict[str, Any] = tomllib.load(handle)["tool"]["datamodel-codegen"]
    assert options["field-constraints"] is True
    assert RULES["response-constraint-loosened"].level is Level.breaking
