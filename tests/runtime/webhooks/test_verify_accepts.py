"""Genuine webhooks pass, whatever shape the framework gives the headers in; keys are fetched once."""

from __future__ import annotations

import httpx
import pytest
import respx
from plaid_layer import PlaidLayer
from plaid_layer.models import LayerAuthenticationPassedWebhook, LinkSessionFinishedWebhook
from plaid_layer.webhooks import AsyncWebhookVerifier, Headers, WebhookVerifier

from tests.runtime.webhooks.support import (
    CLIENT_ID,
    NOW,
    WEBHOOK_CODES,
    KeyServer,
    SigningKey,
    example_payload,
    high_s_twin,
    plaid_body,
    sha256,
)

MODELS = {
    "LAYER_AUTHENTICATION_PASSED": LayerAuthenticationPassedWebhook,
    "SESSION_FINISHED": LinkSessionFinishedWebhook,
}


@pytest.mark.parametrize("code", WEBHOOK_CODES)
def test_each_documented_example_signed_by_plaid_is_accepted(
    code: str,
    verifier: WebhookVerifier,
    signing_key: SigningKey,
    key_server: KeyServer,
    key_route: respx.Route,
) -> None:
    body = plaid_body(example_payload(code))
    event = verifier.verify_and_parse(body, {"Plaid-Verification": signing_key.sign(body)})
    assert type(event) is MODELS[code]
    assert key_server.requested == [signing_key.kid]
    assert key_route.calls.last.request.headers["PLAID-CLIENT-ID"] == CLIENT_ID


@pytest.mark.parametrize("code", WEBHOOK_CODES)
async def test_async_verifier_accepts_each_documented_example(
    code: str, async_verifier: AsyncWebhookVerifier, signing_key: SigningKey
) -> None:
    body = plaid_body(example_payload(code))
    event = await async_verifier.verify_and_parse(body, {"plaid-verification": signing_key.sign(body)})
    assert type(event) is MODELS[code]


def _header_shapes(token: str) -> dict[str, Headers]:
    return {
        "dict, canonical case": {"Plaid-Verification": token},
        "dict, HTTP/2 lowercase": {"plaid-verification": token},
        "dict, upper case": {"PLAID-VERIFICATION": token},
        "httpx.Headers": httpx.Headers({"Plaid-Verification": token}),
        "str pairs": [("content-type", "application/json"), ("Plaid-Verification", token)],
        "ASGI byte pairs": [(b"content-type", b"application/json"), (b"plaid-verification", token.encode())],
        "same value twice": [("plaid-verification", token), ("Plaid-Verification", token)],
        "surrounding spaces": {"Plaid-Verification": f"  {token} "},
    }


@pytest.mark.parametrize("shape", sorted(_header_shapes("t")))
def test_header_is_found_in_every_shape(
    shape: str, verifier: WebhookVerifier, signing_key: SigningKey
) -> None:
    body = plaid_body(example_payload("LAYER_AUTHENTICATION_PASSED"))
    verifier.verify(body, _header_shapes(signing_key.sign(body))[shape])


@pytest.mark.parametrize("age", [0, 299, 300])
def test_signature_up_to_five_minutes_old_is_accepted(
    age: int, verifier: WebhookVerifier, signing_key: SigningKey
) -> None:
    body = plaid_body(example_payload("SESSION_FINISHED"))
    verifier.verify(body, {"Plaid-Verification": signing_key.sign(body, iat=NOW - age)})


def test_small_clock_skew_into_the_future_is_tolerated(
    verifier: WebhookVerifier, signing_key: SigningKey
) -> None:
    body = plaid_body(example_payload("SESSION_FINISHED"))
    verifier.verify(body, {"Plaid-Verification": signing_key.sign(body, iat=NOW + 30)})


def test_max_age_is_configurable(client: PlaidLayer, signing_key: SigningKey) -> None:
    body = plaid_body(example_payload("SESSION_FINISHED"))
    token = signing_key.sign(body, iat=NOW - 500)
    WebhookVerifier(client, clock=lambda: NOW, max_age=600).verify(body, {"Plaid-Verification": token})


def test_bytearray_body_is_accepted(verifier: WebhookVerifier, signing_key: SigningKey) -> None:
    body = plaid_body(example_payload("SESSION_FINISHED"))
    headers = {"Plaid-Verification": signing_key.sign(body)}
    verifier.verify(bytearray(body), headers)  # what a raw ASGI app that collects chunks holds


def test_a_str_body_is_refused_with_advice(verifier: WebhookVerifier, signing_key: SigningKey) -> None:
    body = plaid_body(example_payload("SESSION_FINISHED"))
    with pytest.raises(TypeError, match="raw request body as bytes"):
        verifier.verify(body.decode(), {"Plaid-Verification": signing_key.sign(body)})  # type: ignore[arg-type]


def test_verify_and_parse_returns_the_model_of_the_signed_body(
    verifier: WebhookVerifier, signing_key: SigningKey
) -> None:
    payload = example_payload("SESSION_FINISHED")
    body = plaid_body(payload)
    event = verifier.verify_and_parse(body, {"Plaid-Verification": signing_key.sign(body)})
    assert isinstance(event, LinkSessionFinishedWebhook)
    assert event.link_session_id == payload["link_session_id"]


@pytest.mark.parametrize(
    "extra",
    [
        {"exp": int(NOW) + 60},
        {"exp": int(NOW) - 29},  # within the clock skew allowance
        {"nbf": int(NOW) - 60},
        {"nbf": int(NOW) + 29},
        {"exp": int(NOW) + 300, "nbf": int(NOW) - 300},
    ],
    ids=repr,
)
def test_exp_and_nbf_that_allow_now_are_accepted(
    extra: dict[str, int], verifier: WebhookVerifier, signing_key: SigningKey
) -> None:
    body = plaid_body(example_payload("SESSION_FINISHED"))
    claims = {"iat": int(NOW), "request_body_sha256": sha256(body), **extra}
    verifier.verify(body, {"Plaid-Verification": signing_key.sign(body, claims=claims)})


@pytest.mark.parametrize("key_ops", [["verify"], ["sign", "verify"]])
def test_a_key_whose_key_ops_allow_verify_is_accepted(
    key_ops: list[str], verifier: WebhookVerifier, signing_key: SigningKey, key_server: KeyServer
) -> None:
    key_server.add(signing_key, key_ops=key_ops)
    body = plaid_body(example_payload("SESSION_FINISHED"))
    verifier.verify(body, {"Plaid-Verification": signing_key.sign(body)})


def test_the_high_s_twin_of_a_genuine_token_is_valid_too_so_receivers_dedupe_on_the_body(
    verifier: WebhookVerifier, signing_key: SigningKey
) -> None:
    # ECDSA cannot tell (r, s) from (r, n - s), and Plaid may sign either; refusing one half would
    # refuse genuine webhooks. The README tells receivers to deduplicate on the body, not the token.
    body = plaid_body(example_payload("SESSION_FINISHED"))
    token = signing_key.sign(body)
    twin = high_s_twin(token)
    assert twin != token
    for delivered in (token, twin):
        verifier.verify(body, {"Plaid-Verification": delivered})
