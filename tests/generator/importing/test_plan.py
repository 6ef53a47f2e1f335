"""`plan_import`: what is copied, what is kept, and when two components under one name conflict."""

from __future__ import annotations

from typing import Any

import pytest

from generator.spec.model import SpecModel
from generator.spec_import import ComponentConflict, SpecImportError, meaning, plan_import
from tests.support import SPEC

NAMES = ("spec/layer.yaml", "plaid.yml")


def _theirs(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> SpecModel:
    return SpecModel.from_document(
        {
            "openapi": "3.0.0",
            "info": {"title": "Plaid", "version": "2020-09-14"},
            "paths": paths or {},
            "components": {"schemas": schemas},
        }
    )


def _operation(request: str, response: str) -> dict[str, Any]:
    def body(name: str) -> dict[str, Any]:
        return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}

    return {
        "post": {
            "operationId": "thingGet",
            "summary": "Get a thing",
            "description": "Gets a thing.",
            "requestBody": {"required": True, **body(request)},
            "responses": {
                "200": {"description": "OK", **body(response)},
                "default": {"description": "E", **body("PlaidError")},
            },
        }
    }


OUR_SCHEMAS = SpecModel.load(SPEC).original["components"]["schemas"]
THING_SCHEMAS: dict[str, Any] = {
    "ThingGetRequest": {
        "type": "object",
        "properties": {
            "client_id": {"$ref": "#/components/schemas/APIClientID"},
            "thing_id": {"type": "string"},
        },
    },
    "APIClientID": {"type": "string", "description": "Your client id."},
    "ThingGetResponse": {
        "title": "Thing",
        "type": "object",
        "properties": {
            "request_id": {"$ref": "#/components/schemas/RequestID"},
            "size": {"$ref": "#/components/schemas/Size"},
        },
    },
    # Ours is `type: string` with our own description and title: the same meaning.
    "RequestID": {"type": "string", "description": "Plaid's words", "title": "RequestId", "x-hidden": True},
    "Size": {"type": "integer", "nullable": True},
    "PlaidError": OUR_SCHEMAS["PlaidError"],
    "PlaidErrorType": OUR_SCHEMAS["PlaidErrorType"],
}


def test_an_operation_brings_its_closure_and_skips_what_we_have_with_the_same_meaning() -> None:
    theirs = _theirs(THING_SCHEMAS, {"/thing/get": _operation("ThingGetRequest", "ThingGetResponse")})
    plan = plan_import(SpecModel.load(SPEC), theirs, ["thingGet"], names=NAMES)

    assert list(plan.paths) == ["/thing/get"]
    assert plan.paths["/thing/get"]["post"] == theirs.original["paths"]["/thing/get"]["post"]
    assert sorted(key for _, key in plan.components) == ["Size", "ThingGetRequest", "ThingGetResponse"]
    # PlaidError's own closure is not walked: ours stands, with its PlaidErrorType.
    assert sorted(key for _, key in plan.same) == ["APIClientID", "PlaidError", "RequestID"]
    # Copied as written (3.0 `nullable` kept), with the title set to the key.
    assert plan.components[("schemas", "Size")] == {"title": "Size", "type": "integer", "nullable": True}
    assert plan.components[("schemas", "ThingGetResponse")]["title"] == "ThingGetResponse"


def test_a_shared_name_with_another_meaning_names_both_pointers() -> None:
    schemas = {**THING_SCHEMAS, "APIClientID": {"type": "integer"}}
    theirs = _theirs(schemas, {"/thing/get": _operation("ThingGetRequest", "ThingGetResponse")})
    with pytest.raises(ComponentConflict) as caught:
        plan_import(SpecModel.load(SPEC), theirs, ["/thing/get"], names=NAMES)

    assert str(caught.value) == (
        "spec/layer.yaml#/components/schemas/APIClientID and plaid.yml#/components/schemas/APIClientID "
        "share a name but differ; pass --prefer ours or --prefer theirs to say which wins"
    )

    kept = plan_import(SpecModel.load(SPEC), theirs, ["/thing/get"], prefer="ours", names=NAMES)
    assert kept.kept == [("schemas", "APIClientID")] and ("schemas", "APIClientID") not in kept.components
    replaced = plan_import(SpecModel.load(SPEC), theirs, ["/thing/get"], prefer="theirs", names=NAMES)
    assert replaced.replaced == [("schemas", "APIClientID")]
    assert replaced.components[("schemas", "APIClientID")] == {"title": "APIClientID", "type": "integer"}


def test_an_inline_schema_and_a_ref_to_the_same_schema_mean_the_same() -> None:
    ours = SpecModel.load(SPEC)
    inline = _theirs({"E": {"type": "object", "properties": {"request_id": {"type": "string"}}}})
    referenced = SpecModel.from_document(
        {
            **inline.original,
            "components": {
                "schemas": {
                    "E": {
                        "type": "object",
                        "properties": {"request_id": {"$ref": "#/components/schemas/RequestID"}},
                    },
                    "RequestID": {"type": "string", "description": "Plaid's request id."},
                }
            },
        }
    )
    assert meaning(inline, {"$ref": "#/components/schemas/E"}) == meaning(
        referenced, {"$ref": "#/components/schemas/E"}
    )
    assert meaning(ours, {"$ref": "#/components/schemas/RequestID"}) == {"type": "string"}


def test_a_webhook_gets_an_entry_const_identity_and_a_place_in_our_union() -> None:
    payload: dict[str, Any] = {
        "title": "IdentityVerificationStatusUpdatedWebhook",
        "description": "Fired when the status of an identity verification has been updated.",
        "type": "object",
        "properties": {
            "webhook_type": {"type": "string", "description": "`IDENTITY_VERIFICATION`"},
            "webhook_code": {"type": "string", "description": "`STATUS_UPDATED`"},
        },
    }
    theirs = _theirs({"IdentityVerificationStatusUpdatedWebhook": payload})
    plan = plan_import(SpecModel.load(SPEC), theirs, ["IDENTITY_VERIFICATION:STATUS_UPDATED"], names=NAMES)

    (hook,) = plan.webhooks
    assert hook.key == "IDENTITY_VERIFICATION_STATUS_UPDATED"
    assert hook.item["post"]["operationId"] == "identityVerificationStatusUpdatedWebhook"
    assert (
        hook.item["post"]["summary"] == "Fired when the status of an identity verification has been updated"
    )
    copied = plan.components[("schemas", "IdentityVerificationStatusUpdatedWebhook")]["properties"]
    assert copied["webhook_type"] == {
        "type": "string",
        "description": "`IDENTITY_VERIFICATION`",
        "const": "IDENTITY_VERIFICATION",
    }
    assert copied["webhook_code"]["const"] == "STATUS_UPDATED"
    assert (plan.union, [m.schema for m in plan.union_members]) == (
        "LayerWebhook",
        ["IdentityVerificationStatusUpdatedWebhook"],
    )
    assert payload["properties"]["webhook_code"] == {"type": "string", "description": "`STATUS_UPDATED`"}


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("/nope", "plaid.yml has no path /nope"),
        ("nope", "plaid.yml has no path, operationId, webhook schema or webhook TYPE:CODE 'nope'"),
        ("A:B", "plaid.yml has no webhook A:B"),
        (
            "ThingGetRequest",
            "plaid.yml#/components/schemas/ThingGetRequest is no webhook payload: its webhook_type and "
            "webhook_code state no value",
        ),
    ],
)
def test_an_item_that_is_not_there_is_named(item: str, message: str) -> None:
    with pytest.raises(SpecImportError) as caught:
        plan_import(SpecModel.load(SPEC), _theirs(THING_SCHEMAS), [item], names=NAMES)
    assert str(caught.value) == message


def test_an_operation_we_have_in_another_form_is_refused() -> None:
    ours = SpecModel.load(SPEC)
    theirs = _theirs(
        THING_SCHEMAS, {"/session/token/create": _operation("ThingGetRequest", "ThingGetResponse")}
    )
    with pytest.raises(SpecImportError) as caught:
        plan_import(ours, theirs, ["/session/token/create"], names=NAMES)
    assert str(caught.value) == (
        "spec/layer.yaml already has POST /session/token/create, unlike "
        "plaid.yml#/paths/~1session~1token~1create/post"
    )


def test_a_webhook_whose_code_the_union_maps_already_is_left_out_of_it_and_said_so() -> None:
    def payload(webhook_type: str) -> dict[str, Any]:
        return {
            "type": "object",
            "description": f"A {webhook_type} status changed.",
            "properties": {
                "webhook_type": {"type": "string", "description": f"`{webhook_type}`"},
                "webhook_code": {"type": "string", "description": "`STATUS_UPDATED`"},
            },
        }

    theirs = _theirs({"AWebhook": payload("A"), "BWebhook": payload("B")})
    plan = plan_import(SpecModel.load(SPEC), theirs, ["A:STATUS_UPDATED", "B:STATUS_UPDATED"], names=NAMES)

    assert [hook.key for hook in plan.webhooks] == ["A_STATUS_UPDATED", "B_STATUS_UPDATED"]
    assert [member.schema for member in plan.union_members] == ["AWebhook"]
    assert list(plan.describe("plaid.yml"))[-1] == (
        "leave BWebhook out of the webhook union LayerWebhook: its mapping has webhook_code "
        "STATUS_UPDATED already"
    )
