"""No frame of a refused webhook's traceback shows a credential, the token, the key or the body.

Tracebacks rendered with locals (`pytest --showlocals`, rich's `show_locals`, Sentry) print each
local's repr. Every frame below the test is walked (the verifier's, PyJWT's, httpx's for a key
fetch), chained exceptions included, for every way a verification fails, sync and async.
"""

from __future__ import annotations

import json
import os
import types
from collections.abc import Callable, Iterator

import httpx
import pytest
import respx
from plaid_layer import WebhookError, WebhookParseError, WebhookVerificationFailure
from plaid_layer.webhooks import AsyncWebhookVerifier, Headers, WebhookVerifier

from tests.runtime.client.support import private_locals, traceback_frames
from tests.runtime.webhooks.support import (
    CLIENT_ID,
    NOW,
    SECRET,
    KeyServer,
    SigningKey,
    example_payload,
    plaid_body,
    unsigned_token,
)
from tests.support import ROOT

# This suite's own files (a nox venv lives under `.nox/tests/`, so "/tests/" alone would match it).
TESTS = f"{ROOT / 'tests'}{os.sep}"

Reason = WebhookVerificationFailure
EMAIL = "jane.doe.4242@example.com"
BODY = plaid_body({**example_payload("SESSION_FINISHED"), "contact_email": EMAIL})
OTHER_BODY = plaid_body({**example_payload("SESSION_FINISHED"), "contact_email": EMAIL, "x": 1})

Build = Callable[[SigningKey, KeyServer, respx.Route], Headers]


def _tokens(headers: Headers) -> list[str]:
    """The `Plaid-Verification` values of the headers the cases build (a dict or `str` pairs)."""
    if isinstance(headers, dict):
        return [str(value) for value in headers.values()]
    return [str(pair[1]) for pair in headers if isinstance(pair, tuple)]


def _impostor(key: SigningKey, _: KeyServer, __: respx.Route) -> Headers:
    return {"Plaid-Verification": SigningKey.generate(key.kid).sign(BODY)}


def _stale(key: SigningKey, _: KeyServer, __: respx.Route) -> Headers:
    return {"Plaid-Verification": key.sign(BODY, iat=NOW - 3600)}


def _other_body(key: SigningKey, _: KeyServer, __: respx.Route) -> Headers:
    return {"Plaid-Verification": key.sign(OTHER_BODY)}


def _conflicting(key: SigningKey, _: KeyServer, __: respx.Route) -> Headers:
    return [("Plaid-Verification", key.sign(BODY)), ("plaid-verification", key.sign(BODY, iat=NOW - 1))]


def _bad_algorithm(key: SigningKey, _: KeyServer, __: respx.Route) -> Headers:
    claims = {"iat": int(NOW), "request_body_sha256": "0" * 64, "email": EMAIL}
    return {"Plaid-Verification": unsigned_token({"alg": "HS256", "kid": key.kid}, claims, b"s" * 32)}


def _unknown_key(_: SigningKey, __: KeyServer, ___: respx.Route) -> Headers:
    return {"Plaid-Verification": SigningKey.generate("00000000-dead-beef-0000-000000000000").sign(BODY)}


def _expired_key(key: SigningKey, server: KeyServer, _: respx.Route) -> Headers:
    server.add(key, expired_at=int(NOW) - 3600)
    return {"Plaid-Verification": key.sign(BODY)}


def _outage(key: SigningKey, server: KeyServer, _: respx.Route) -> Headers:
    server.outage = httpx.Response(503, text=f"down, secret={SECRET} client_id={CLIENT_ID}")
    return {"Plaid-Verification": key.sign(BODY)}


def _unreachable(key: SigningKey, _: KeyServer, route: respx.Route) -> Headers:
    route.mock(side_effect=httpx.ConnectError("refused"))
    return {"Plaid-Verification": key.sign(BODY)}


def _key_off_the_curve(key: SigningKey, server: KeyServer, _: respx.Route) -> Headers:
    server.add(key, y=key.jwk()["x"])
    return {"Plaid-Verification": key.sign(BODY)}


CASES: dict[str, tuple[Build, WebhookVerificationFailure]] = {
    "forged signature": (_impostor, Reason.BAD_SIGNATURE),
    "stale": (_stale, Reason.STALE),
    "bad body hash": (_other_body, Reason.BODY_MISMATCH),
    "conflicting headers": (_conflicting, Reason.MALFORMED_TOKEN),
    "bad algorithm": (_bad_algorithm, Reason.BAD_ALGORITHM),
    "unknown key": (_unknown_key, Reason.UNKNOWN_KEY),
    "expired key": (_expired_key, Reason.EXPIRED_KEY),
    "key endpoint down": (_outage, Reason.KEY_UNAVAILABLE),
    "key endpoint unreachable": (_unreachable, Reason.KEY_UNAVAILABLE),
    "key off the curve": (_key_off_the_curve, Reason.UNKNOWN_KEY),
}


def _frames(error: BaseException) -> Iterator[types.FrameType]:
    """Every frame but the test's own (and pytest's): the package's and the libraries' it calls."""
    return traceback_frames(
        error, lambda filename: not filename.startswith(TESTS) and f"{os.sep}_pytest{os.sep}" not in filename
    )


def _private(signing_key: SigningKey, headers: Headers) -> list[str]:
    jwk = signing_key.jwk()
    return [SECRET, CLIENT_ID, EMAIL, jwk["x"], jwk["y"], *_tokens(headers)]


def _check(error: WebhookError, reason: WebhookVerificationFailure, private: list[str]) -> None:
    assert getattr(error, "reason", None) is reason
    assert any(True for _ in _frames(error))  # the walk sees the verifier's frames
    assert private_locals(_frames(error), private) == []


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("method", ["verify", "verify_and_parse"])
def test_a_refused_webhook_keeps_private_values_out_of_every_frame(
    verifier: WebhookVerifier,
    signing_key: SigningKey,
    key_server: KeyServer,
    key_route: respx.Route,
    case: str,
    method: str,
) -> None:
    build, reason = CASES[case]
    headers = build(signing_key, key_server, key_route)
    with pytest.raises(WebhookError) as caught:
        getattr(verifier, method)(BODY, headers)
    _check(caught.value, reason, _private(signing_key, headers))


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("method", ["verify", "verify_and_parse"])
async def test_a_refused_webhook_keeps_private_values_out_of_every_async_frame(
    async_verifier: AsyncWebhookVerifier,
    signing_key: SigningKey,
    key_server: KeyServer,
    key_route: respx.Route,
    case: str,
    method: str,
) -> None:
    build, reason = CASES[case]
    headers = build(signing_key, key_server, key_route)
    with pytest.raises(WebhookError) as caught:
        await getattr(async_verifier, method)(BODY, headers)
    _check(caught.value, reason, _private(signing_key, headers))


def test_a_verified_body_that_does_not_parse_keeps_it_out_of_every_frame(
    client: object, signing_key: SigningKey
) -> None:
    strict = WebhookVerifier(client, clock=lambda: NOW, strict=True)  # type: ignore[arg-type]
    payload = {**example_payload("SESSION_FINISHED"), "public_tokens": EMAIL}  # not a list
    body = json.dumps(payload).encode()
    headers = {"Plaid-Verification": signing_key.sign(body)}
    with pytest.raises(WebhookError) as caught:
        strict.verify_and_parse(body, headers)
    assert isinstance(caught.value, WebhookParseError)
    assert private_locals(_frames(caught.value), _private(signing_key, headers)) == []


def _fails_with_a_local() -> None:
    marker = "the caller's own"
    raise ValueError(marker)


def test_the_exception_the_caller_was_handling_keeps_its_locals(verifier: WebhookVerifier) -> None:
    try:
        _fails_with_a_local()
    except ValueError as handled:
        with pytest.raises(WebhookError) as caught:
            verifier.verify(BODY, {"Plaid-Verification": "not a token"})
        assert caught.value.__context__ is handled
        inner = handled.__traceback__.tb_next if handled.__traceback__ else None
        assert inner is not None and inner.tb_frame.f_locals["marker"] == "the caller's own"
