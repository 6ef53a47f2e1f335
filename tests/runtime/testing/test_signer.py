"""WebhookSigner: webhooks signed like Plaid's, accepted by WebhookVerifier against the mock, offline."""

from __future__ import annotations

import hashlib
import json
import time

import httpx
import jwt
import pytest
from plaid_layer import AsyncPlaidLayer, PlaidLayer, WebhookVerificationError, WebhookVerificationFailure
from plaid_layer.models import LayerAuthenticationPassedWebhook, LinkSessionFinishedWebhook
from plaid_layer.testing import LayerMock, WebhookSigner, examples
from plaid_layer.webhooks import AsyncWebhookVerifier, WebhookVerifier

BODY = json.dumps(examples.session_finished(), indent=2).encode()


@pytest.fixture
def signer(plaid_layer_mock: LayerMock) -> WebhookSigner:
    return WebhookSigner(plaid_layer_mock)


def _reason(verifier: WebhookVerifier, body: bytes, headers: dict[str, str]) -> WebhookVerificationFailure:
    with pytest.raises(WebhookVerificationError) as caught:
        verifier.verify(body, headers)
    return caught.value.reason


def test_signed_webhook_is_accepted_end_to_end(signer: WebhookSigner, client: PlaidLayer) -> None:
    body, headers = signer.webhook("session_finished", status="EXITED")

    event = WebhookVerifier(client).verify_and_parse(body, headers)

    assert isinstance(event, LinkSessionFinishedWebhook)
    assert event.status == "EXITED"


async def test_signed_webhook_is_accepted_by_the_async_verifier(
    signer: WebhookSigner, async_client: AsyncPlaidLayer
) -> None:
    body, headers = signer.webhook("LAYER_AUTHENTICATION_PASSED", environment="sandbox")

    event = await AsyncWebhookVerifier(async_client).verify_and_parse(body, headers)

    assert isinstance(event, LayerAuthenticationPassedWebhook)
    assert event.environment == "sandbox"


def test_token_is_an_es256_jwt_over_the_body_hash(signer: WebhookSigner) -> None:
    token = signer.sign(BODY)["Plaid-Verification"]

    assert jwt.get_unverified_header(token) == {"alg": "ES256", "kid": signer.kid, "typ": "JWT"}
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["request_body_sha256"] == hashlib.sha256(BODY).hexdigest()
    assert abs(claims["iat"] - time.time()) < 5


def test_webhook_body_is_the_documented_example_indented_like_plaid(signer: WebhookSigner) -> None:
    body, _ = signer.webhook("SESSION_FINISHED")

    assert body == BODY
    assert body.startswith(b'{\n  "webhook_type": "LINK",\n')


def test_mock_serves_the_public_key_by_kid(signer: WebhookSigner, client: PlaidLayer) -> None:
    key = client.webhook_verification_key_get(key_id=signer.kid).key

    assert key.model_dump() == signer.public_jwk
    assert (key.alg, key.crv, key.kty, key.use, key.expired_at) == ("ES256", "P-256", "EC", "sig", None)


def test_unknown_kid_is_invalid_webhook_verification_key_id(signer: WebhookSigner) -> None:
    response = httpx.post(
        "https://sandbox.plaid.com/webhook_verification_key/get",
        json={"key_id": "not-a-kid"},
        headers={"PLAID-CLIENT-ID": "id-1", "PLAID-SECRET": "secret-1"},
    )

    assert response.status_code == 400
    assert (response.json()["error_type"], response.json()["error_code"]) == (
        "INVALID_INPUT",
        "INVALID_WEBHOOK_VERIFICATION_KEY_ID",
    )


def test_two_signers_on_one_mock_both_verify(plaid_layer_mock: LayerMock, client: PlaidLayer) -> None:
    first, second = WebhookSigner(plaid_layer_mock), WebhookSigner(plaid_layer_mock)
    verifier = WebhookVerifier(client)

    verifier.verify(BODY, first.sign(BODY))
    verifier.verify(BODY, second.sign(BODY))


def test_stale_signature_is_refused(signer: WebhookSigner, client: PlaidLayer) -> None:
    assert _reason(WebhookVerifier(client), BODY, signer.sign_stale(BODY)) is WebhookVerificationFailure.STALE


def test_explicit_iat_is_used(signer: WebhookSigner, client: PlaidLayer) -> None:
    headers = signer.sign(BODY, iat=time.time() - 301)

    assert _reason(WebhookVerifier(client), BODY, headers) is WebhookVerificationFailure.STALE


def test_tampered_body_is_refused(signer: WebhookSigner, client: PlaidLayer) -> None:
    headers = signer.sign_tampered(BODY)

    assert _reason(WebhookVerifier(client), BODY, headers) is WebhookVerificationFailure.BODY_MISMATCH


def test_wrong_key_is_refused(signer: WebhookSigner, client: PlaidLayer) -> None:
    headers = signer.sign_with_wrong_key(BODY)

    assert _reason(WebhookVerifier(client), BODY, headers) is WebhookVerificationFailure.BAD_SIGNATURE


def test_expired_key_is_refused(signer: WebhookSigner, client: PlaidLayer) -> None:
    signer.expire_key()

    assert _reason(WebhookVerifier(client), BODY, signer.sign(BODY)) is WebhookVerificationFailure.EXPIRED_KEY
    assert client.webhook_verification_key_get(key_id=signer.kid).key.expired_at is not None


def test_unknown_webhook_names_are_refused(signer: WebhookSigner) -> None:
    with pytest.raises(ValueError, match="unknown webhook 'ITEM_ERROR'"):
        signer.webhook("ITEM_ERROR")
