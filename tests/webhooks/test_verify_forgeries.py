"""Every forgery is refused, with the reason a receiver can act on, and without leaking the token.

Each case builds a delivery from Plaid's genuine pieces (the signing key, its key endpoint, the
documented example body) and changes one thing. Cases rejected from the JWT header alone must not
cost a call to Plaid: an attacker could otherwise make us call Plaid at will.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx
import jwt
import pytest
import respx
from plaid_layer import WebhookVerificationError, WebhookVerificationFailure
from plaid_layer.webhooks import AsyncWebhookVerifier, Headers, WebhookVerifier

from tests.webhooks.support import (
    NOW,
    KeyServer,
    SigningKey,
    example_payload,
    hs256_token,
    plaid_body,
    sha256,
    unsigned_token,
)

Reason = WebhookVerificationFailure
BODY = plaid_body(example_payload("SESSION_FINISHED"))
OTHER_BODY = plaid_body(example_payload("LAYER_AUTHENTICATION_PASSED"))
CLAIMS = {"iat": int(NOW), "request_body_sha256": sha256(BODY)}


@dataclass(frozen=True)
class Forgery:
    """One attack: how to build it from Plaid's key and key server, what it must fail with."""

    build: Callable[[SigningKey, KeyServer], tuple[bytes, Headers]]
    reason: WebhookVerificationFailure
    key_fetches: int
    """How many times Plaid's key endpoint may be asked: 0 for anything refused from the header."""


def _header(token: str) -> Headers:
    return {"Plaid-Verification": token}


def _signed(delivered: bytes, iat: float = NOW) -> Callable[[SigningKey, KeyServer], tuple[bytes, Headers]]:
    """Deliver `delivered` with a token that Plaid's key signed for `BODY`."""
    return lambda key, _: (delivered, _header(key.sign(BODY, iat=iat)))


def _conflicting(key: SigningKey, _: KeyServer) -> tuple[bytes, Headers]:
    return BODY, [("Plaid-Verification", key.sign(BODY)), ("plaid-verification", key.sign(BODY, iat=NOW - 1))]


def _comma_joined(key: SigningKey, _: KeyServer) -> tuple[bytes, Headers]:
    # What a WSGI server makes of two headers with the same name.
    return BODY, _header(f"{key.sign(BODY)}, {key.sign(BODY, iat=NOW - 1)}")


def _alg_none(key: SigningKey, _: KeyServer) -> tuple[bytes, Headers]:
    token = jwt.encode(CLAIMS, None, algorithm="none", headers={"kid": key.kid})  # type: ignore[arg-type]
    return BODY, _header(token)


def _alg(alg: str) -> Callable[[SigningKey, KeyServer], tuple[bytes, Headers]]:
    return lambda key, _: (BODY, _header(unsigned_token({"alg": alg, "kid": key.kid}, CLAIMS, b"sig")))


def _hs256_with_public_key(key: SigningKey, _: KeyServer) -> tuple[bytes, Headers]:
    header = {"alg": "HS256", "kid": key.kid, "typ": "JWT"}
    return BODY, _header(hs256_token(header, CLAIMS, key.public_pem()))


def _es256_header(header: dict[str, object]) -> Callable[[SigningKey, KeyServer], tuple[bytes, Headers]]:
    return lambda key, _: (BODY, _header(unsigned_token({"alg": "ES256", **header}, CLAIMS, b"s" * 64)))


def _unknown_kid(_: SigningKey, __: KeyServer) -> tuple[bytes, Headers]:
    stranger = SigningKey.generate("00000000-dead-beef-0000-000000000000")
    return BODY, _header(stranger.sign(BODY))


def _expired_key(key: SigningKey, server: KeyServer) -> tuple[bytes, Headers]:
    server.add(key, expired_at=int(NOW) - 3600)
    return BODY, _header(key.sign(BODY))


def _same_kid_other_key(key: SigningKey, _: KeyServer) -> tuple[bytes, Headers]:
    impostor = SigningKey.generate(key.kid)
    return BODY, _header(impostor.sign(BODY))


def _spliced_payload(key: SigningKey, _: KeyServer) -> tuple[bytes, Headers]:
    # A genuine signature from one delivery on the payload of another.
    head, _payload, signature = key.sign(BODY).split(".")
    other_payload = key.sign(OTHER_BODY).split(".")[1]
    return OTHER_BODY, _header(f"{head}.{other_payload}.{signature}")


def _claims(claims: dict[str, object]) -> Callable[[SigningKey, KeyServer], tuple[bytes, Headers]]:
    return lambda key, _: (BODY, _header(key.sign(BODY, claims=claims)))


def _server_key(**jwk: object) -> Callable[[SigningKey, KeyServer], tuple[bytes, Headers]]:
    def build(key: SigningKey, server: KeyServer) -> tuple[bytes, Headers]:
        server.add(key, **jwk)
        return BODY, _header(key.sign(BODY))

    return build


def _outage(response: httpx.Response) -> Callable[[SigningKey, KeyServer], tuple[bytes, Headers]]:
    def build(key: SigningKey, server: KeyServer) -> tuple[bytes, Headers]:
        server.outage = response
        return BODY, _header(key.sign(BODY))

    return build


def _tampered(key: SigningKey, _: KeyServer) -> tuple[bytes, Headers]:
    return BODY.replace(b'"EXITED"', b'"SUCCESS"').replace(b'"SUCCESS"', b'"EXITED"'), _header(key.sign(BODY))


def _reserialised(key: SigningKey, _: KeyServer) -> tuple[bytes, Headers]:
    return json.dumps(json.loads(BODY)).encode(), _header(key.sign(BODY))


FORGERIES: dict[str, Forgery] = {
    # The header itself.
    "missing header": Forgery(
        lambda _, __: (BODY, {"Content-Type": "application/json"}), Reason.MISSING_HEADER, 0
    ),
    "empty header": Forgery(lambda _, __: (BODY, _header("")), Reason.MISSING_HEADER, 0),
    "two conflicting headers": Forgery(_conflicting, Reason.MALFORMED_TOKEN, 0),
    "two headers joined by a comma": Forgery(_comma_joined, Reason.MALFORMED_TOKEN, 0),
    "garbage token": Forgery(lambda _, __: (BODY, _header("garbage")), Reason.MALFORMED_TOKEN, 0),
    "three garbage segments": Forgery(lambda _, __: (BODY, _header("a.b.c")), Reason.MALFORMED_TOKEN, 0),
    # The algorithm, refused before any key is fetched.
    "alg none": Forgery(_alg_none, Reason.BAD_ALGORITHM, 0),
    "alg NONE": Forgery(_alg("NONE"), Reason.BAD_ALGORITHM, 0),
    "alg HS256 keyed with the public key": Forgery(_hs256_with_public_key, Reason.BAD_ALGORITHM, 0),
    "alg ES384": Forgery(_alg("ES384"), Reason.BAD_ALGORITHM, 0),
    "alg RS256": Forgery(_alg("RS256"), Reason.BAD_ALGORITHM, 0),
    "alg es256 in lower case": Forgery(_alg("es256"), Reason.BAD_ALGORITHM, 0),
    "no kid": Forgery(_es256_header({}), Reason.MALFORMED_TOKEN, 0),
    "kid not a string": Forgery(_es256_header({"kid": 7}), Reason.MALFORMED_TOKEN, 0),
    "empty kid": Forgery(_es256_header({"kid": ""}), Reason.MALFORMED_TOKEN, 0),
    # The key.
    "kid Plaid does not know": Forgery(_unknown_kid, Reason.UNKNOWN_KEY, 1),
    "key rotated out (expired_at set)": Forgery(_expired_key, Reason.EXPIRED_KEY, 1),
    "key is not EC": Forgery(_server_key(kty="RSA"), Reason.UNKNOWN_KEY, 1),
    "key on another curve": Forgery(_server_key(crv="P-384"), Reason.UNKNOWN_KEY, 1),
    "key for another kid": Forgery(_server_key(kid="someone-else"), Reason.UNKNOWN_KEY, 1),
    "key point not on the curve": Forgery(_server_key(x="AAAA" * 10 + "AAA"), Reason.UNKNOWN_KEY, 1),
    "key coordinate not base64url": Forgery(_server_key(x="!" * 43), Reason.UNKNOWN_KEY, 1),
    "key endpoint 500": Forgery(_outage(httpx.Response(500, text="oops")), Reason.KEY_UNAVAILABLE, 1),
    "key endpoint 429": Forgery(
        _outage(
            httpx.Response(
                429,
                json={
                    "error_type": "RATE_LIMIT_EXCEEDED",
                    "error_code": "RATE_LIMIT",
                    "error_message": "slow down",
                    "display_message": None,
                },
            )
        ),
        Reason.KEY_UNAVAILABLE,
        1,
    ),
    # The signature.
    "same kid, signed by another key": Forgery(_same_kid_other_key, Reason.BAD_SIGNATURE, 1),
    "genuine signature on a spliced payload": Forgery(_spliced_payload, Reason.BAD_SIGNATURE, 1),
    # The claims.
    "replayed token 301 s old": Forgery(_signed(BODY, iat=NOW - 301), Reason.STALE, 1),
    "replayed token a day old": Forgery(_signed(BODY, iat=NOW - 86_400), Reason.STALE, 1),
    "iat two minutes in the future": Forgery(_signed(BODY, iat=NOW + 120), Reason.STALE, 1),
    "no iat": Forgery(_claims({"request_body_sha256": sha256(BODY)}), Reason.MALFORMED_TOKEN, 1),
    "iat a string": Forgery(
        _claims({"iat": str(int(NOW)), "request_body_sha256": sha256(BODY)}), Reason.MALFORMED_TOKEN, 1
    ),
    "iat a boolean": Forgery(
        _claims({"iat": True, "request_body_sha256": sha256(BODY)}), Reason.MALFORMED_TOKEN, 1
    ),
    "no body hash": Forgery(_claims({"iat": int(NOW)}), Reason.MALFORMED_TOKEN, 1),
    "body hash not a string": Forgery(
        _claims({"iat": int(NOW), "request_body_sha256": 1}), Reason.MALFORMED_TOKEN, 1
    ),
    # The body.
    "tampered body": Forgery(_tampered, Reason.BODY_MISMATCH, 1),
    "re-serialised body": Forgery(_reserialised, Reason.BODY_MISMATCH, 1),
    "body with a trailing newline": Forgery(
        lambda k, _: (BODY + b"\n", _header(k.sign(BODY))), Reason.BODY_MISMATCH, 1
    ),
    "token made for another body": Forgery(_signed(OTHER_BODY), Reason.BODY_MISMATCH, 1),
}


def _assert_refused(exc: WebhookVerificationError, forgery: Forgery, headers: Headers) -> None:
    assert exc.reason is forgery.reason
    message = str(exc)
    values = headers.values() if isinstance(headers, Mapping) else [value for _, value in headers]
    for value in values:
        for part in str(value).split("."):  # no piece of a token, whatever its shape
            assert len(part) < 8 or part not in message
    assert "link-sandbox" not in message
    assert "public-sandbox" not in message


@pytest.mark.parametrize("name", sorted(FORGERIES))
def test_forgery_is_refused(
    name: str,
    verifier: WebhookVerifier,
    signing_key: SigningKey,
    key_server: KeyServer,
    key_route: respx.Route,
) -> None:
    forgery = FORGERIES[name]
    body, headers = forgery.build(signing_key, key_server)
    with pytest.raises(WebhookVerificationError) as caught:
        verifier.verify_and_parse(body, headers)
    _assert_refused(caught.value, forgery, headers)
    assert key_route.call_count == forgery.key_fetches


@pytest.mark.parametrize("name", sorted(FORGERIES))
async def test_forgery_is_refused_by_the_async_verifier(
    name: str,
    async_verifier: AsyncWebhookVerifier,
    signing_key: SigningKey,
    key_server: KeyServer,
    key_route: respx.Route,
) -> None:
    forgery = FORGERIES[name]
    body, headers = forgery.build(signing_key, key_server)
    with pytest.raises(WebhookVerificationError) as caught:
        await async_verifier.verify_and_parse(body, headers)
    _assert_refused(caught.value, forgery, headers)
    assert key_route.call_count == forgery.key_fetches


def test_there_are_enough_forgeries() -> None:
    assert len(FORGERIES) >= 15
    assert {f.reason for f in FORGERIES.values()} == set(WebhookVerificationFailure)
