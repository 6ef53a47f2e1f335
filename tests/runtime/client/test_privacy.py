"""No credential, token or identity value ever shows in a repr, str, exception message or DEBUG log."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st
from plaid_layer import APIStatusError, PlaidLayer, PlaidLayerError
from plaid_layer._redact import REDACTED, scrub_text
from plaid_layer.models import UserAccountSessionGetResponse

from tests.runtime.client.support import CLIENT_ID, SECRET, json_response
from tests.support import load_example

IDENTITY = load_example("userAccountSessionGet.response.200")
PUBLIC_TOKEN = "profile-sandbox-0a9c1f3e-77b2-4e0f-9d55-123456789abc"
PRIVATE_VALUES = [
    CLIENT_ID,
    SECRET,
    PUBLIC_TOKEN,
    IDENTITY["items"][0]["access_token"],
    IDENTITY["identity"]["ssn"],
    IDENTITY["identity"]["ssn_last_4"],
    IDENTITY["identity"]["date_of_birth"],
    IDENTITY["identity"]["phone_number"],
    IDENTITY["identity"]["email"],
    IDENTITY["identity"]["name"]["last_name"],
    IDENTITY["identity"]["address"]["street"],
    "link-sandbox-af1a0311-da53-4636-b754-dd15cc058176",
]


def _assert_private(text: str) -> None:
    leaked = [value for value in PRIVATE_VALUES if value in text]
    assert leaked == [], f"private values leaked: {leaked}"


def test_scan_reprs_errors_and_debug_logs_for_every_operation(
    client: PlaidLayer, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="plaid_layer")
    router.post("/session/token/create").mock(
        return_value=json_response(200, load_example("sessionTokenCreate.response.200"))
    )
    router.post("/user_account/session/get").mock(return_value=json_response(200, IDENTITY))
    router.post("/webhook_verification_key/get").mock(
        return_value=json_response(200, load_example("webhookVerificationKeyGet.response.200"))
    )
    texts: list[str] = [repr(client), str(client)]
    results = [
        client.session_token_create(template_id="t", user={"client_user_id": "u"}),
        client.user_account_session_get(public_token=PUBLIC_TOKEN),
        client.webhook_verification_key_get(key_id="k"),
        client.with_raw_response.user_account_session_get(public_token=PUBLIC_TOKEN),
    ]
    texts += [repr(result) for result in results] + [str(result) for result in results]

    router.post("/user_account/session/get").mock(
        return_value=json_response(
            400,
            {
                "error_type": "INVALID_INPUT",
                "error_code": "INVALID_PUBLIC_TOKEN",
                "error_message": f"provided token {PUBLIC_TOKEN} is not valid for {CLIENT_ID}",
                "display_message": None,
                "request_id": "r",
            },
        )
    )
    with pytest.raises(APIStatusError) as caught:
        client.user_account_session_get(public_token=PUBLIC_TOKEN)
    texts += [str(caught.value), repr(caught.value), repr(caught.value.error)]
    router.post("/user_account/session/get").mock(side_effect=httpx.ConnectError(f"boom {PUBLIC_TOKEN}"))
    with pytest.raises(PlaidLayerError) as failed:
        client.user_account_session_get(public_token=PUBLIC_TOKEN, max_retries=0)
    texts += [str(failed.value), repr(failed.value)]

    texts += [record.getMessage() for record in caplog.records]
    assert any("request_id=m8MDnv9okwxFNBV" in record.getMessage() for record in caplog.records)
    for text in texts:
        _assert_private(text)


def test_attributes_still_return_the_real_values() -> None:
    parsed = UserAccountSessionGetResponse.model_validate(IDENTITY)
    assert parsed.identity is not None
    assert parsed.identity.ssn == IDENTITY["identity"]["ssn"]
    assert parsed.items[0].access_token == IDENTITY["items"][0]["access_token"]
    assert "<redacted>" in repr(parsed)


def test_unknown_fields_with_private_looking_names_are_masked_too() -> None:
    payload = {**IDENTITY, "ssn_full": "123-45-6789", "new_flag": "visible"}
    parsed = UserAccountSessionGetResponse.model_validate(payload)
    assert "123-45-6789" not in repr(parsed)
    assert "visible" in repr(parsed)


def test_debug_log_records_method_path_status_attempt_and_duration(
    client: PlaidLayer, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="plaid_layer")
    router.post("/user_account/session/get").mock(return_value=json_response(200, IDENTITY))
    client.user_account_session_get(public_token=PUBLIC_TOKEN)
    (message,) = [r.getMessage() for r in caplog.records if r.name == "plaid_layer"]
    assert message.startswith(
        "POST /user_account/session/get -> 200 request_id=m8MDnv9okwxFNBV attempt=1 duration="
    )


def _error_with(client: PlaidLayer, router: respx.MockRouter, **fields: object) -> APIStatusError:
    body = {
        "error_type": "INVALID_INPUT",
        "error_code": "INVALID_FIELD",
        "error_message": "m",
        "display_message": None,
        "request_id": "r",
        **fields,
    }
    router.post("/user_account/session/get").mock(return_value=json_response(400, body))
    with pytest.raises(APIStatusError) as caught:
        client.user_account_session_get(public_token=PUBLIC_TOKEN)
    return caught.value


@pytest.mark.parametrize(
    "quoted",
    [
        'the public_token "abc123" is not valid',
        "secret=s3cr3tvalue rejected",
        "no user with email leslie@knope.com",
        "phone +14157452130 is not verified",
        "ssn 987-65-4321 does not match",
        "ssn 987654321 does not match",
        "date_of_birth 1975-01-18 is in the future",
        "unknown item Ed6bjNrDLJfGvZWwnkQlfxwoNz54B5C97ejBr",
        "token 'tok_short' expired",
    ],
)
def test_token_and_identity_shaped_values_in_error_message_are_masked(
    client: PlaidLayer, router: respx.MockRouter, quoted: str
) -> None:
    error = _error_with(client, router, error_message=quoted)
    value = next(
        part
        for part in (
            "abc123",
            "s3cr3tvalue",
            "leslie@knope.com",
            "+14157452130",
            "987-65-4321",
            "987654321",
            "1975-01-18",
            "Ed6bjNrDLJfGvZWwnkQlfxwoNz54B5C97ejBr",
            "tok_short",
        )
        if part in quoted
    )
    assert value not in str(error)
    assert error.error_message is not None and REDACTED in error.error_message
    assert value not in error.body


def test_repr_of_the_error_object_hides_what_its_fields_quote(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    error = _error_with(
        client,
        router,
        error_message=f"bad {PUBLIC_TOKEN}",
        display_message="Call us from +14157452130",
        suggested_action=f"retry with {IDENTITY['items'][0]['access_token']}",
        causes=[
            {
                "item_id": "i-1",
                "access_token": "whatever",
                "error_message": f"for {IDENTITY['identity']['email']}",
            }
        ],
    )
    text = repr(error.error)
    _assert_private(text)
    assert "+14157452130" not in text and "whatever" not in text
    assert "INVALID_FIELD" in text and "i-1" in text  # what is not private stays readable


def test_a_one_character_credential_is_masked_without_mangling_other_words(router: respx.MockRouter) -> None:
    with PlaidLayer(client_id="a", secret="s", max_retries=0) as plaid:
        error = _error_with(plaid, router, error_message="a bad key: a, as said")
    assert str(error).endswith(f": {REDACTED} bad key: {REDACTED}, as said (request_id=r)")


@given(
    secret=st.text(alphabet="abcdefghij", min_size=1, max_size=3),
    words=st.lists(st.sampled_from(["bad", "jab", "cage", "deaf"]), max_size=6),
)
def test_masking_a_secret_leaves_words_that_merely_contain_it(secret: str, words: list[str]) -> None:
    text = " ".join([*words, secret])
    masked = scrub_text(text, (secret,)).split(" ")
    assert masked[-1] == REDACTED
    assert masked[:-1] == [REDACTED if word == secret else word for word in words]
