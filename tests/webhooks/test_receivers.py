"""The receiving apps the README shows, as plain ASGI and WSGI callables, driven through httpx.

They pin the two things integrations get wrong: hashing the raw body bytes (not re-encoded JSON)
and finding the header however the server spells it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

import httpx
from plaid_layer import WebhookVerificationError, WebhookVerificationFailure
from plaid_layer.models import LinkSessionFinishedWebhook
from plaid_layer.webhooks import AsyncWebhookVerifier, Webhook, WebhookVerifier

from tests.webhooks.support import SigningKey, example_payload, plaid_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
BODY = plaid_body(example_payload("SESSION_FINISHED"))


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
        except WebhookVerificationError as exc:
            status = 503 if exc.reason is WebhookVerificationFailure.KEY_UNAVAILABLE else 400
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
            status = "200 OK"
        except WebhookVerificationError:
            status = "400 Bad Request"
        start_response(status, [])
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
