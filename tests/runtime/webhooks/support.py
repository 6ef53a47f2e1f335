"""Plaid's side of a webhook, played locally: P-256 keys, the key endpoint, signed deliveries."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import strategies as st

BASE_URL = "https://sandbox.plaid.com"
KEY_PATH = "/webhook_verification_key/get"
CLIENT_ID = "client-id-webhooks-1a2b"
SECRET = "secret-webhooks-3c4d5e"
NOW = 1_760_000_000.0
"""The verifiers' frozen clock, in Unix seconds."""
EXAMPLES = Path(__file__).resolve().parents[3] / "spec" / "examples"
WEBHOOK_CODES = ("LAYER_AUTHENTICATION_PASSED", "SESSION_FINISHED")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
"""Any JSON value (and the floats JSON cannot spell), small enough for many examples."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def example_payload(code: str) -> dict[str, Any]:
    """The spec's documented example of a webhook."""
    payload: dict[str, Any] = json.loads((EXAMPLES / f"{code}.json").read_text(encoding="utf-8"))
    return payload


def plaid_body(payload: dict[str, Any]) -> bytes:
    """The body as Plaid sends it: JSON indented with 2 spaces."""
    return json.dumps(payload, indent=2).encode()


@dataclass(frozen=True)
class SigningKey:
    """One of Plaid's webhook signing keys: the private half signs, the JWK is what the API returns."""

    kid: str
    private_key: ec.EllipticCurvePrivateKey

    @classmethod
    def generate(cls, kid: str) -> SigningKey:
        return cls(kid, ec.generate_private_key(ec.SECP256R1()))

    def jwk(self, *, expired_at: int | None = None, **overrides: Any) -> dict[str, Any]:
        """The key as `/webhook_verification_key/get` returns it."""
        numbers = self.private_key.public_key().public_numbers()
        return {
            "alg": "ES256",
            "created_at": 1_700_000_000,
            "crv": "P-256",
            "expired_at": expired_at,
            "kid": self.kid,
            "kty": "EC",
            "use": "sig",
            "x": b64url(numbers.x.to_bytes(32, "big")),
            "y": b64url(numbers.y.to_bytes(32, "big")),
            **overrides,
        }

    def sign_raw(self, payload: bytes) -> str:
        """A token over payload bytes given verbatim, for JSON that `json.dumps` cannot write (`1e400`)."""
        return jwt.api_jws.encode(payload, self.private_key, algorithm="ES256", headers={"kid": self.kid})

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(
        self,
        body: bytes,
        *,
        iat: float = NOW,
        claims: dict[str, Any] | None = None,
        headers: dict[str, Any] | None = None,
    ) -> str:
        """A `Plaid-Verification` token for `body`; `claims` replaces the payload when given."""
        payload = claims if claims is not None else {"iat": int(iat), "request_body_sha256": sha256(body)}
        return jwt.encode(
            payload, self.private_key, algorithm="ES256", headers={"kid": self.kid, **(headers or {})}
        )


def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def unsigned_token(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    """A compact JWT assembled by hand, for headers PyJWT refuses to produce."""
    head = b64url(json.dumps(header).encode())
    body = b64url(json.dumps(payload).encode())
    return f"{head}.{body}.{b64url(signature)}"


def high_s_twin(token: str) -> str:
    """The same token with s replaced by n - s: ECDSA accepts both, so it is a second valid token."""
    head, payload, signature = token.split(".")
    raw = base64.urlsafe_b64decode(signature + "==")
    r, s = raw[:32], int.from_bytes(raw[32:], "big")
    return f"{head}.{payload}.{b64url(r + (P256_ORDER - s).to_bytes(32, 'big'))}"


P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
"""n, the order of the P-256 group."""


def forged_token(kid: str, body: bytes) -> str:
    """A well-formed ES256 token naming `kid`, with a signature no key made: what a flood sends."""
    return unsigned_token(
        {"alg": "ES256", "kid": kid, "typ": "JWT"},
        {"iat": int(NOW), "request_body_sha256": sha256(body)},
        hashlib.sha512(kid.encode()).digest(),
    )


def hs256_token(header: dict[str, Any], payload: dict[str, Any], secret: bytes) -> str:
    """The classic key-confusion forgery: HMAC-SHA256 keyed with the public key's PEM."""
    head = b64url(json.dumps(header).encode())
    body = b64url(json.dumps(payload).encode())
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(mac)}"


def key_response(jwk: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json={"key": jwk, "request_id": "RZ6Omi1bzzwDaLo"})


def unknown_key_response() -> httpx.Response:
    return httpx.Response(
        400,
        json={
            "error_type": "INVALID_INPUT",
            "error_code": "INVALID_WEBHOOK_VERIFICATION_KEY_ID",
            "error_message": "the key id does not match any webhook verification key",
            "display_message": None,
            "request_id": "Zb3kD0pQx8YtN1m",
        },
    )


class KeyServer:
    """Answers `/webhook_verification_key/get` from a set of keys, like Plaid's environment would."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, Any]] = {}
        self.requested: list[str] = []
        self.outage: httpx.Response | None = None
        """When set, every request gets this answer (a 5xx, a 429...)."""

    def add(self, key: SigningKey, **jwk_overrides: Any) -> None:
        self.keys[key.kid] = key.jwk(**jwk_overrides)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        kid = json.loads(request.content)["key_id"]
        self.requested.append(kid)
        if self.outage is not None:
            return self.outage
        jwk = self.keys.get(kid)
        return key_response(jwk) if jwk is not None else unknown_key_response()
