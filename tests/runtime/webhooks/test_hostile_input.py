"""Whatever a request holds, the verifier and the parser raise only their own errors.

A receiver that catches `WebhookError` must never answer 500: not for headers in an odd shape,
not for a token of any size or nesting, not for a signed body that does not fit the schema.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plaid_layer import (
    PlaidLayer,
    WebhookError,
    WebhookParseError,
    WebhookVerificationError,
    WebhookVerificationFailure,
)
from plaid_layer.webhooks import WebhookVerifier

from tests.runtime.webhooks.support import (
    CLIENT_ID,
    NOW,
    SECRET,
    KeyServer,
    SigningKey,
    example_payload,
    json_values,
    plaid_body,
)

Reason = WebhookVerificationFailure
BODY = plaid_body(example_payload("SESSION_FINISHED"))

header_values = st.recursive(
    st.none() | st.integers() | st.text(max_size=40) | st.binary(max_size=40),
    lambda children: st.lists(children, max_size=3) | st.tuples(children, children),
    max_leaves=8,
)
header_names = st.sampled_from(["Plaid-Verification", "plaid-verification", b"plaid-verification"]) | st.text(
    max_size=20
)
header_shapes = st.one_of(
    st.dictionaries(
        st.text(max_size=20) | st.sampled_from(["Plaid-Verification"]), header_values, max_size=4
    ),
    st.lists(st.tuples(header_names, header_values), max_size=4),
    st.lists(header_values, max_size=4),
    header_values,
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@st.composite
def jwt_shaped(draw: st.DrawFn) -> str:
    """Three base64url segments around arbitrary JSON, with an ES256 header often enough."""
    header = draw(st.dictionaries(st.sampled_from(["alg", "kid", "typ", "crit"]), json_values) | json_values)
    if isinstance(header, dict) and draw(st.booleans()):
        header["alg"] = "ES256"
    payload = draw(json_values)
    signature = draw(st.binary(min_size=60, max_size=68))
    return ".".join(_b64(json.dumps(part).encode()) for part in (header, payload)) + "." + _b64(signature)


@pytest.fixture(scope="module")
def shared_verifier() -> Iterator[WebhookVerifier]:
    """One verifier for every drawn example, its key endpoint on a transport of its own."""
    server = KeyServer()
    server.add(SigningKey.generate("bfbd5111-8e33-4643-8ced-b2e642a72f3c"))
    http = httpx.Client(transport=httpx.MockTransport(server))
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, http_client=http, max_retries=0) as client:
        yield WebhookVerifier(client, clock=lambda: NOW)
    http.close()


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(headers=header_shapes, body=st.binary(max_size=64))
def test_headers_of_any_shape_raise_only_a_verification_error(
    shared_verifier: WebhookVerifier, headers: Any, body: bytes
) -> None:
    with pytest.raises(WebhookVerificationError):
        shared_verifier.verify_and_parse(body, headers)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(token=st.text(max_size=300) | jwt_shaped())
def test_tokens_of_any_content_raise_only_a_verification_error(
    shared_verifier: WebhookVerifier, token: str
) -> None:
    with pytest.raises(WebhookVerificationError):
        shared_verifier.verify_and_parse(BODY, {"Plaid-Verification": token})


@pytest.mark.parametrize(
    "headers",
    [None, 42, 4.2, object(), "Plaid-Verification: x", b"Plaid-Verification: x", True],
    ids=lambda value: type(value).__name__ if type(value) is object else repr(value),
)
def test_headers_that_are_not_headers_are_a_missing_header(verifier: WebhookVerifier, headers: Any) -> None:
    with pytest.raises(WebhookVerificationError) as caught:
        verifier.verify(BODY, headers)
    assert caught.value.reason is Reason.MISSING_HEADER


def test_pairs_that_are_not_pairs_are_skipped(verifier: WebhookVerifier, signing_key: SigningKey) -> None:
    token = signing_key.sign(BODY)
    verifier.verify(BODY, [None, ("a", "b", "c"), "xy", ("Plaid-Verification", token)])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    [7, None, [["nested"]], {"a": 1}, ("x", 1)],
    ids=repr,
)
def test_a_header_value_that_is_not_text_is_malformed(verifier: WebhookVerifier, value: object) -> None:
    with pytest.raises(WebhookVerificationError) as caught:
        verifier.verify(BODY, {"Plaid-Verification": value})  # type: ignore[arg-type]
    assert caught.value.reason is Reason.MALFORMED_TOKEN


def test_a_multi_value_mapping_is_read(verifier: WebhookVerifier, signing_key: SigningKey) -> None:
    token = signing_key.sign(BODY)
    headers: Any = {"content-type": ["application/json"], "plaid-verification": [token]}
    verifier.verify(BODY, headers)
    headers["plaid-verification"] = [token, signing_key.sign(BODY, iat=NOW - 1)]
    with pytest.raises(WebhookVerificationError) as caught:
        verifier.verify(BODY, headers)
    assert caught.value.reason is Reason.MALFORMED_TOKEN


def test_memoryview_body_is_accepted(verifier: WebhookVerifier, signing_key: SigningKey) -> None:
    verifier.verify(memoryview(BODY), {"Plaid-Verification": signing_key.sign(BODY)})


def test_a_signed_body_that_does_not_fit_the_schema_is_a_webhook_error_when_strict(
    client: PlaidLayer, signing_key: SigningKey
) -> None:
    payload = {**example_payload("SESSION_FINISHED"), "public_tokens": "not-a-list"}
    body = plaid_body(payload)
    strict = WebhookVerifier(client, clock=lambda: NOW, strict=True)
    with pytest.raises(WebhookError) as caught:
        strict.verify_and_parse(body, {"Plaid-Verification": signing_key.sign(body)})
    assert isinstance(caught.value, WebhookParseError)
    assert caught.value.fields == ("public_tokens",)


def test_a_signed_unknown_webhook_with_a_list_type_is_a_parse_error_when_strict(
    client: PlaidLayer, signing_key: SigningKey
) -> None:
    body = json.dumps({"webhook_type": ["LINK"], "webhook_code": "SESSION_FINISHED"}).encode()
    strict = WebhookVerifier(client, clock=lambda: NOW, strict=True)
    with pytest.raises(WebhookParseError):
        strict.verify_and_parse(body, {"Plaid-Verification": signing_key.sign(body)})


def test_both_webhook_errors_share_one_base() -> None:
    assert issubclass(WebhookParseError, WebhookError)
    assert issubclass(WebhookVerificationError, WebhookError)


claims = st.dictionaries(
    st.sampled_from(["iat", "exp", "nbf", "request_body_sha256", "x"]),
    json_values | st.integers(min_value=int(NOW) - 600, max_value=int(NOW) + 600),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(payload=claims | json_values)
def test_signed_tokens_with_any_claims_raise_only_a_verification_error(
    verifier: WebhookVerifier, signing_key: SigningKey, payload: object
) -> None:
    # Signed with Plaid's real key, so every claim check runs, not just the header's.
    token = signing_key.sign_raw(json.dumps(payload).encode())
    with pytest.raises(WebhookVerificationError):
        verifier.verify(BODY, {"Plaid-Verification": token})
