# Copied by layer-codegen from templates/runtime/testing/_signer.py, unchanged; do not edit here: edit that file, then nox -s generate
"""Webhooks signed the way Plaid signs them, with a key that a `LayerMock` serves, for offline tests.

The signer makes a P-256 key pair and registers the public half as a JWK with the mock's webhook
verification key operation, so the generated `webhooks.WebhookVerifier` (with a client inside the
mock) fetches it and accepts what the signer signs, end to end and without a network. The same
signer makes the usual bad signatures for negative tests.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from ._errors import json_response, new_request_id, plaid_error
from ._mock import LayerMock

HEADER_NAME = "Plaid-Verification"
ALGORITHM = "ES256"
STALE_AGE = 600.0
"""How old `sign_stale` makes a token: twice Plaid's 5-minute limit."""


def _b64url(number: int) -> str:
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


class _KeyServer:
    """Answers the key operation for every signer of one mock, by `key_id`."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, Any]] = {}

    def __call__(self, body: Any) -> httpx.Response:
        kid = body.get("key_id") if isinstance(body, dict) else None
        key = self.keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            error = plaid_error(
                "INVALID_INPUT",
                "INVALID_WEBHOOK_VERIFICATION_KEY_ID",
                "the key id does not match any webhook verification key",
            )
            return json_response(400, error)
        return json_response(200, {"key": dict(key), "request_id": new_request_id()})


class WebhookSigner:
    """Signs webhook bodies like Plaid, with a key that `mock` serves to the verifier.

    Example:
        with mock_layer() as mock, PlaidLayer(client_id="id", secret="secret") as client:
            signer = WebhookSigner(mock)
            body, headers = signer.webhook("session_finished", status="EXITED")
            event = WebhookVerifier(client).verify_and_parse(body, headers)
    """

    def __init__(self, mock: LayerMock[Any, Any], *, clock: Callable[[], float] = time.time) -> None:
        """Create a key pair and register its public JWK with `mock`.

        Args:
            mock: The mock whose webhook verification key operation should serve the key.
            clock: Unix time, for `iat` and the key's `created_at`.
        """
        operation = mock.catalog.webhook_key_operation
        if operation is None:
            raise ValueError("the spec has no webhook verification key operation to serve a key with")
        self._mock = mock
        self._clock = clock
        self._private_key = ec.generate_private_key(ec.SECP256R1())
        self.kid: str = str(uuid.uuid4())
        """The key id named in every token's header."""
        numbers = self._private_key.public_key().public_numbers()
        self._jwk: dict[str, Any] = {
            "alg": ALGORITHM,
            "created_at": int(clock()),
            "crv": "P-256",
            "expired_at": None,
            "kid": self.kid,
            "kty": "EC",
            "use": "sig",
            "x": _b64url(numbers.x),
            "y": _b64url(numbers.y),
        }
        server = mock.handler(operation)
        if not isinstance(server, _KeyServer):
            server = _KeyServer()
            mock.set_handler(operation, server)
        server.keys[self.kid] = self._jwk  # shared, so that `expire_key` changes what is served

    @property
    def public_jwk(self) -> dict[str, Any]:
        """The public key as the mock serves it (a copy)."""
        return dict(self._jwk)

    def sign(self, body: bytes, *, iat: float | None = None) -> dict[str, str]:
        """The headers Plaid would send with `body`: `{"Plaid-Verification": <ES256 JWT>}`.

        Args:
            body: The raw body, exactly as it will be delivered.
            iat: The token's issue time in Unix seconds; now by default.
        """
        return self._headers(self._private_key, hashlib.sha256(body).hexdigest(), iat)

    def sign_stale(self, body: bytes, *, age: float = STALE_AGE) -> dict[str, str]:
        """Headers whose token was issued `age` seconds ago (10 minutes by default): too old."""
        return self.sign(body, iat=self._clock() - age)

    def sign_tampered(self, body: bytes) -> dict[str, str]:
        """Headers with a valid token for a different body, as if `body` was changed on the way."""
        return self.sign(body + b"\n(tampered)")

    def sign_with_wrong_key(self, body: bytes) -> dict[str, str]:
        """Headers naming this signer's key id but signed with another key: a bad signature."""
        impostor = ec.generate_private_key(ec.SECP256R1())
        return self._headers(impostor, hashlib.sha256(body).hexdigest(), None)

    def expire_key(self, at: float | None = None) -> None:
        """Serve the key with `expired_at` set (now by default), as Plaid does once it is rotated out.

        A verifier caches keys, so expire the key before its first verification, or use a fresh verifier.
        """
        self._jwk["expired_at"] = int(self._clock() if at is None else at)

    def webhook(self, name_or_code: str, **overrides: Any) -> tuple[bytes, dict[str, str]]:
        """The documented example of a webhook, with top-level `overrides`, as body and signed headers.

        The body is JSON indented with 2 spaces, as Plaid sends it.

        Example:
            body, headers = signer.webhook("LAYER_AUTHENTICATION_PASSED", environment="sandbox")
        """
        webhook = self._mock.catalog.webhook(name_or_code)
        if webhook.example is None:
            raise ValueError(f"webhook {webhook.name} has no documented example in the spec")
        body = json.dumps(webhook.example(**overrides), indent=2).encode()
        return body, self.sign(body)

    def _headers(self, key: ec.EllipticCurvePrivateKey, digest: str, iat: float | None) -> dict[str, str]:
        issued_at = int(self._clock() if iat is None else iat)
        claims = {"iat": issued_at, "request_body_sha256": digest}
        token = jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": self.kid})
        return {HEADER_NAME: token}
