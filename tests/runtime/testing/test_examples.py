"""Example builders: the spec's documented examples, fresh copies, top-level overrides."""

from __future__ import annotations

from plaid_layer.testing import examples

from tests.support import load_example


def test_response_builder_returns_the_documented_example() -> None:
    assert examples.user_account_session_get() == load_example("userAccountSessionGet.response.200")


def test_request_and_error_builders_return_the_documented_examples() -> None:
    assert examples.session_token_create_request() == load_example("sessionTokenCreate.request")
    assert examples.session_token_create_error() == load_example("sessionTokenCreate.response.default")


def test_webhook_builders_are_named_after_the_webhooks() -> None:
    assert examples.layer_authentication_passed() == load_example("LAYER_AUTHENTICATION_PASSED")
    assert examples.session_finished() == load_example("SESSION_FINISHED")


def test_overrides_replace_top_level_keys() -> None:
    payload = examples.layer_authentication_passed(environment="sandbox")

    assert payload["environment"] == "sandbox"
    assert payload["webhook_code"] == "LAYER_AUTHENTICATION_PASSED"


def test_keys_the_spec_does_not_document_are_allowed() -> None:
    assert examples.session_finished(new_field=1)["new_field"] == 1


def test_each_call_returns_an_independent_deep_copy() -> None:
    first = examples.user_account_session_get()
    first["items"][0]["item_id"] = "changed"
    overrides = {"items": [{"item_id": "mine"}]}
    second = examples.user_account_session_get(**overrides)
    second["items"][0]["item_id"] = "changed too"

    assert (
        examples.user_account_session_get()["items"][0]["item_id"] == "Ed6bjNrDLJfGvZWwnkQlfxwoNz54B5C97ejBr"
    )
    assert overrides["items"][0]["item_id"] == "mine"
