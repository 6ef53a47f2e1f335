"""The receiving apps the README shows, as plain ASGI and WSGI callables, driven through httpx.

They pin what integrations get wrong: hashing the raw body bytes (not re-encoded JSON), finding
the header however the server spells it, and answering 4xx, never 500, to anything that is not a
genuine webhook: one `except WebhookError` covers a forgery and a signed body that does not fit.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from http import HTTPStatus
from typing import Any

import httpx
import plaid_layer
from plaid_layer import WebhookError, WebhookVerificationError, WebhookVerificationFailure
from plaid_layer.models import LayerAuthenticationPassedWebhook, LinkSessionFinishedWebhook
from plaid_layer.webhooks import AsyncWebhookVerifier, Webhook, WebhookVerifier

from tests.runtime.webhooks.support import KeyServer, SigningKey, example_payload, plaid_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
BODY = plaid_body(example_payload("SESSION_FINISHED"))


def status_for(exc: WebhookError) -> int:
    """The README's rule: 503 when Plaid could not be asked for its key (Plaid retries), else 400."""
    if isinstance(exc, WebhookVerificationError):
        return 503 if exc.reason is WebhookVerificationFailure.KEY_UNAVAILABLE else 400
    return 400


def asgi_app(
    verifier: AsyncWebhookVerifier, received: list[Webhook]
) -> Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]:
    async def app(
        scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
    ) -> None:
        body = bytearray()
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        try:
            received.append(await verifier.verify_and_parse(body, scope["headers"]))
            status = 200
        except WebhookError as exc:
            status = status_for(exc)
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    return app


def wsgi_app(
    verifier: WebhookVerifier, received: list[Webhook]
) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers = {"Plaid-Verification": environ.get("HTTP_PLAID_VERIFICATION", "")}
        try:
            received.append(verifier.verify_and_parse(body, headers))
            status = 200
        except WebhookError as exc:
            status = status_for(exc)
        start_response(f"{status} {HTTPStatus(status).phrase}", [])
        return [b""]

    return app


async def test_asgi_receiver_accepts_plaid_and_refuses_a_reencoded_body(
    async_verifier: AsyncWebhookVerifier, signing_key: SigningKey
) -> None:
    received: list[Webhook] = []
    transport = httpx.ASGITransport(app=asgi_app(async_verifier, received))
    async with httpx.AsyncClient(transport=transport, base_url="https://app.example") as http:
        headers = {"plaid-verification": signing_key.sign(BODY), "content-type": "application/json"}
        ok = await http.post("/plaid/webhook", content=BODY, headers=headers)
        reencoded = await http.post("/plaid/webhook", json=json.loads(BODY), headers=headers)
    assert (ok.status_code, reencoded.status_code) == (200, 400)
    assert [type(event) for event in received] == [LinkSessionFinishedWebhook]


def test_wsgi_receiver_accepts_plaid_and_refuses_a_missing_header(
    verifier: WebhookVerifier, signing_key: SigningKey
) -> None:
    received: list[Webhook] = []
    with httpx.Client(transport=httpx.WSGITransport(app=wsgi_app(verifier, received))) as http:
        ok = http.post(
            "https://app.example/plaid/webhook",
            content=BODY,
            headers={"Plaid-Verification": signing_key.sign(BODY)},
        )
        unsigned = http.post("https://app.example/plaid/webhook", content=BODY)
    assert (ok.status_code, unsigned.status_code) == (200, 400)
    assert [type(event) for event in received] == [LinkSessionFinishedWebhook]


async def test_asgi_receiver_answers_4xx_to_what_is_not_a_genuine_webhook_and_503_when_plaid_is_down(
    async_verifier: AsyncWebhookVerifier, signing_key: SigningKey, key_server: KeyServer
) -> None:
    misfit = plaid_body({**example_payload("SESSION_FINISHED"), "public_tokens": "not-a-list"})
    stranger = SigningKey.generate("c0ffee00-8e33-4643-8ced-b2e642a72f3c")
    deliveries = {
        "signed, but does not fit the schema": (misfit, [("plaid-verification", signing_key.sign(misfit))]),
        "two different tokens": (
            BODY,
            [("plaid-verification", signing_key.sign(BODY)), ("plaid-verification", stranger.sign(BODY))],
        ),
        "a 2.7 KB header": (BODY, [("plaid-verification", f"{'W' * 2700}.e30.")]),
        "Plaid's key endpoint is down": (BODY, [("plaid-verification", stranger.sign(BODY))]),
    }
    received: list[Webhook] = []
    transport = httpx.ASGITransport(app=asgi_app(async_verifier, received))
    statuses = {}
    async with httpx.AsyncClient(transport=transport, base_url="https://app.example") as http:
        for name, (body, headers) in deliveries.items():
            if name == "Plaid's key endpoint is down":
                key_server.outage = httpx.Response(503, text="maintenance")
            statuses[name] = (await http.post("/plaid/webhook", content=body, headers=headers)).status_code
    assert statuses == {
        "signed, but does not fit the schema": 200,  # genuine: accepted, read as sent
        "two different tokens": 400,
        "a 2.7 KB header": 400,
        "Plaid's key endpoint is down": 503,
    }
    (event,) = received
    assert isinstance(event, LinkSessionFinishedWebhook) and event.public_tokens == "not-a-list"  # type: ignore[comparison-overlap]


def test_wsgi_receiver_accepts_a_signed_body_that_does_not_fit_and_reads_it_as_sent(
    verifier: WebhookVerifier, signing_key: SigningKey
) -> None:
    misfit = plaid_body({**example_payload("LAYER_AUTHENTICATION_PASSED"), "link_session_id": None})
    received: list[Webhook] = []
    with httpx.Client(transport=httpx.WSGITransport(app=wsgi_app(verifier, received))) as http:
        response = http.post(
            "https://app.example/plaid/webhook",
            content=misfit,
            headers={"Plaid-Verification": signing_key.sign(misfit)},
        )
        forged = http.post(
            "https://app.example/plaid/webhook",
            content=misfit,
            headers={"Plaid-Verification": signing_key.sign(BODY)},
        )
    assert (response.status_code, forged.status_code) == (200, 400)
    (event,) = received
    assert isinstance(event, LayerAuthenticationPassedWebhook) and event.link_session_id is None
    assert plaid_layer.deviations(event) == (("link_session_id", "null, which the schema does not allow"),)
