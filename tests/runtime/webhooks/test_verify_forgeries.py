"""Every forgery is refused, with the reason a receiver can act on, and without leaking the token.

Each case builds a delivery from Plaid's genuine pieces (the signing key, its key endpoint, the
documented example body) and changes one thing. Cases rejected from the JWT header alone must not
cost a call to Plaid: an attacker could otherwise make us call Plaid at will.
"""

from __future__ import annotations

import inspect
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx
import jwt
import pytest
import respx
from plaid_layer import WebhookVerificationError, WebhookVerificationFailure
from plaid_layer.webhooks import AsyncWebhookVerifier, Headers, WebhookVerifier

from tests.runtime.webhooks.support import (
    NOW,
    KeyServer,
    SigningKey,
    b64url,
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


def _nested_header(depth: int) -> Callable[[SigningKey, KeyServer], tuple[bytes, Headers]]:
    """An unsigned header `[[[...]]]` nested `depth` deep: json.loads recurses once per level."""
    head = b64url(("[" * depth + "]" * depth).encode())
    return lambda _, __: (BODY, _header(f"{head}.{b64url(b'{}')}.{b64url(b's' * 64)}"))


def _resigned(change: Callable[[str], str]) -> Callable[[SigningKey, KeyServer], tuple[bytes, Headers]]:
    """A genuine token whose signature segment is spelled differently."""

    def build(key: SigningKey, _: KeyServer) -> tuple[bytes, Headers]:
        head, payload, signature = key.sign(BODY).split(".")
        return BODY, _header(f"{head}.{payload}.{change(signature)}")

    return build


def _padding_bits_set(signature: str) -> str:
    # 64 bytes take 86 characters; the last one carries 4 unused bits, which decoders ignore.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return signature[:-1] + alphabet[alphabet.index(signature[-1]) + 1]


def _raw_claims(payload: bytes) -> Callable[[SigningKey, KeyServer], tuple[bytes, Headers]]:
    return lambda key, _: (BODY, _header(key.sign_raw(payload)))


def _iat(value: str) -> Callable[[SigningKey, KeyServer], tuple[bytes, Headers]]:
    """Claims with `iat` written as this JSON text, e.g. `NaN` or `1e400`."""
    return _raw_claims(f'{{"iat": {value}, "request_body_sha256": "{sha256(BODY)}"}}'.encode())


def _key_endpoint(
    status: int, error_code: str | None
) -> Callable[[SigningKey, KeyServer], tuple[bytes, Headers]]:
    error = {
        "error_type": "INVALID_INPUT",
        "error_code": error_code,
        "error_message": "invalid client_id or secret provided",
        "display_message": None,
        "request_id": "Zb3kD0pQx8YtN1m",
    }
    return _outage(httpx.Response(status, json=error) if error_code else httpx.Response(status, text="no"))


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
    "kid of 65 characters": Forgery(_es256_header({"kid": "a" * 65}), Reason.MALFORMED_TOKEN, 0),
    "kid with a space": Forgery(_es256_header({"kid": "bfbd5111 8e33"}), Reason.MALFORMED_TOKEN, 0),
    "kid with a newline": Forgery(_es256_header({"kid": "bfbd5111\n"}), Reason.MALFORMED_TOKEN, 0),
    "kid not ASCII": Forgery(_es256_header({"kid": "bfbd5111-é"}), Reason.MALFORMED_TOKEN, 0),
    # Size and nesting, refused without recursing or fetching.
    "2.7 KB header nested 1,000 deep": Forgery(_nested_header(1_000), Reason.MALFORMED_TOKEN, 0),
    "header nested 700 deep": Forgery(_nested_header(700), Reason.MALFORMED_TOKEN, 0),
    "token of 100 KB": Forgery(
        lambda key, _: (BODY, _header(key.sign(BODY) + "A" * 100_000)), Reason.MALFORMED_TOKEN, 0
    ),
    # Other spellings of a genuine signature, refused before any key is fetched.
    "signature with base64 padding": Forgery(_resigned(lambda sig: sig + "=="), Reason.MALFORMED_TOKEN, 0),
    "signature with its padding bits set": Forgery(_resigned(_padding_bits_set), Reason.MALFORMED_TOKEN, 0),
    "signature in standard base64": Forgery(
        _resigned(lambda sig: sig.replace("-", "+").replace("_", "/") + "A"), Reason.MALFORMED_TOKEN, 0
    ),
    "signature of 65 bytes": Forgery(_resigned(lambda sig: sig[:-2] + "AAA"), Reason.MALFORMED_TOKEN, 0),
    "signature of 63 bytes": Forgery(_resigned(lambda sig: sig[:84]), Reason.MALFORMED_TOKEN, 0),
    "signature DER-encoded": Forgery(
        _resigned(lambda sig: b64url(b"\x30\x44" + b"\x02\x20" + b"r" * 32 + b"\x02\x20" + b"s" * 32)),
        Reason.MALFORMED_TOKEN,
        0,
    ),
    # The key.
    "kid Plaid does not know": Forgery(_unknown_kid, Reason.UNKNOWN_KEY, 1),
    "key rotated out (expired_at set)": Forgery(_expired_key, Reason.EXPIRED_KEY, 1),
    "key is not EC": Forgery(_server_key(kty="RSA"), Reason.UNKNOWN_KEY, 1),
    "key on another curve": Forgery(_server_key(crv="P-384"), Reason.UNKNOWN_KEY, 1),
    "key for another kid": Forgery(_server_key(kid="someone-else"), Reason.UNKNOWN_KEY, 1),
    "key point not on the curve": Forgery(_server_key(x="AAAA" * 10 + "AAA"), Reason.UNKNOWN_KEY, 1),
    "key coordinate not base64url": Forgery(_server_key(x="!" * 43), Reason.UNKNOWN_KEY, 1),
    "key for encryption (use enc)": Forgery(_server_key(use="enc"), Reason.UNKNOWN_KEY, 1),
    "key_ops without verify": Forgery(_server_key(key_ops=["encrypt", "sign"]), Reason.UNKNOWN_KEY, 1),
    "key_ops a string": Forgery(_server_key(key_ops="verify"), Reason.UNKNOWN_KEY, 1),
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
    # Plaid refusing us, not the key id: nothing is known about the webhook.
    "key endpoint 401": Forgery(_key_endpoint(401, None), Reason.KEY_UNAVAILABLE, 1),
    "key endpoint 403": Forgery(_key_endpoint(403, None), Reason.KEY_UNAVAILABLE, 1),
    "key endpoint 400 INVALID_API_KEYS": Forgery(
        _key_endpoint(400, "INVALID_API_KEYS"), Reason.KEY_UNAVAILABLE, 1
    ),
    "key endpoint 400 UNAUTHORIZED_ENVIRONMENT": Forgery(
        _key_endpoint(400, "UNAUTHORIZED_ENVIRONMENT"), Reason.KEY_UNAVAILABLE, 1
    ),
    "key endpoint 200 with a body that is not a key": Forgery(
        _outage(httpx.Response(200, json={"request_id": "x"})), Reason.KEY_UNAVAILABLE, 1
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
    "iat NaN": Forgery(_iat("NaN"), Reason.MALFORMED_TOKEN, 1),
    "iat Infinity": Forgery(_iat("Infinity"), Reason.MALFORMED_TOKEN, 1),
    "iat 1e400": Forgery(_iat("1e400"), Reason.MALFORMED_TOKEN, 1),
    "iat 10**400": Forgery(_iat("1" + "0" * 400), Reason.MALFORMED_TOKEN, 1),
    "iat negative": Forgery(_iat("-1"), Reason.MALFORMED_TOKEN, 1),
    "iat with a fraction": Forgery(_iat(f"{NOW + 0.5}"), Reason.MALFORMED_TOKEN, 1),
    "iat a float": Forgery(_iat(f"{NOW:.1f}"), Reason.MALFORMED_TOKEN, 1),
    "iat a list": Forgery(_iat(f"[{int(NOW)}]"), Reason.MALFORMED_TOKEN, 1),
    "exp in the past": Forgery(
        _claims({"iat": int(NOW), "exp": int(NOW) - 31, "request_body_sha256": sha256(BODY)}), Reason.STALE, 1
    ),
    "exp not a number": Forgery(
        _claims({"iat": int(NOW), "exp": "soon", "request_body_sha256": sha256(BODY)}),
        Reason.MALFORMED_TOKEN,
        1,
    ),
    "exp NaN": Forgery(
        _raw_claims(f'{{"iat": {int(NOW)}, "exp": NaN, "request_body_sha256": "{sha256(BODY)}"}}'.encode()),
        Reason.MALFORMED_TOKEN,
        1,
    ),
    "nbf in the future": Forgery(
        _claims({"iat": int(NOW), "nbf": int(NOW) + 31, "request_body_sha256": sha256(BODY)}), Reason.STALE, 1
    ),
    "nbf a boolean": Forgery(
        _claims({"iat": int(NOW), "nbf": False, "request_body_sha256": sha256(BODY)}),
        Reason.MALFORMED_TOKEN,
        1,
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


def test_deeply_nested_header_is_refused_by_a_caller_deep_in_its_stack(verifier: WebhookVerifier) -> None:
    # Within the size limit a header nests at most ~700 deep, under Python's default limit of 1,000
    # frames; a framework that calls the verifier from deep in its stack has less room than that.
    body, headers = _nested_header(700)(SigningKey.generate("unused"), KeyServer())
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 100)
    try:
        with pytest.raises(WebhookVerificationError) as caught:
            verifier.verify(body, headers)
    finally:
        sys.setrecursionlimit(limit)
    assert caught.value.reason is Reason.MALFORMED_TOKEN


def test_there_are_enough_forgeries() -> None:
    assert len(FORGERIES) >= 15
    assert {f.reason for f in FORGERIES.values()} == set(WebhookVerificationFailure)
