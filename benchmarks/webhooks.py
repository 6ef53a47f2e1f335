"""Group 5: webhook verification with a cached key: our WebhookVerifier vs bare PyJWT.

A P-256 key is generated here; the client's MockTransport serves its public half as Plaid's
`/webhook_verification_key/get` would, so the first verification fetches and caches it and every
measured one runs from the cache. The floor is what a hand-rolled check must do at least:
`jwt.decode(token, key, algorithms=["ES256"])`, the body's SHA-256 compared with the claim, and
`json.loads` of the body.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from benchmarks._fixtures import BASE_URL, CLIENT_ID, EXAMPLES, SECRET
from benchmarks._harness import interleave, per_call
from benchmarks._results import Group

LIMIT = 1.2
BODY = (EXAMPLES / "SESSION_FINISHED.json").read_bytes()


def _key_handler(
    kid: str, public_key: ec.EllipticCurvePublicKey
) -> Callable[[httpx.Request], httpx.Response]:
    jwk = json.loads(ECAlgorithm.to_jwk(public_key))
    key = {
        **jwk,
        "kid": kid,
        "alg": "ES256",
        "use": "sig",
        "created_at": int(time.time()),
        "expired_at": None,
    }
    content = json.dumps({"key": key, "request_id": "bench"}).encode()
    return lambda request: httpx.Response(200, content=content, headers={"Content-Type": "application/json"})


def _floor(token: str, public_key: ec.EllipticCurvePublicKey, body: bytes) -> Callable[[], Any]:
    def check() -> Any:
        claims = jwt.decode(token, public_key, algorithms=["ES256"])
        if not hmac.compare_digest(hashlib.sha256(body).hexdigest(), claims["request_body_sha256"]):
            raise ValueError("body mismatch")
        return json.loads(body)

    return check


def run(rounds: int) -> list[Group]:
    """One group: verify_and_parse and verify alone vs the floor."""
    from plaid_layer import PlaidLayer
    from plaid_layer.webhooks import WebhookVerifier

    private_key = ec.generate_private_key(ec.SECP256R1())
    kid = str(uuid.uuid4())
    claims = {"iat": int(time.time()), "request_body_sha256": hashlib.sha256(BODY).hexdigest()}
    token = jwt.encode(claims, private_key, algorithm="ES256", headers={"kid": kid})
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Plaid Verifier",
        "Plaid-Verification": token,
    }
    transport = httpx.MockTransport(_key_handler(kid, private_key.public_key()))
    client = PlaidLayer(
        client_id=CLIENT_ID, secret=SECRET, base_url=BASE_URL, http_client=httpx.Client(transport=transport)
    )
    verifier = WebhookVerifier(client)
    verifier.verify_and_parse(BODY, headers)
    samplers = {
        "WebhookVerifier.verify_and_parse": per_call(lambda: verifier.verify_and_parse(BODY, headers)),
        "WebhookVerifier.verify": per_call(lambda: verifier.verify(BODY, headers)),
        "jwt.decode + sha256 + json.loads": per_call(_floor(token, private_key.public_key(), BODY)),
    }
    group = Group(
        key="webhooks",
        title="webhook verify + parse, cached key",
        unit="µs/webhook",
        scale=1e6,
        samples=interleave(samplers, rounds),
    )
    ratio = group.ratio("WebhookVerifier.verify_and_parse", "jwt.decode + sha256 + json.loads")
    group.ratio("WebhookVerifier.verify", "jwt.decode + sha256 + json.loads")
    group.target("verify_and_parse vs floor", ratio, "<=", LIMIT)
    client.close()
    return [group]
