"""The public names of `plaid_layer.webhooks`, pinned: removing or renaming one breaks users."""

from __future__ import annotations

import inspect

import plaid_layer.webhooks
from plaid_layer.webhooks import AsyncWebhookVerifier, WebhookVerifier


def test_public_names_are_pinned() -> None:
    assert sorted(plaid_layer.webhooks.__all__) == [
        "AsyncWebhookVerifier",
        "Headers",
        "UnknownWebhook",
        "Webhook",
        "WebhookBody",
        "WebhookVerifier",
        "parse_webhook",
    ]


def test_verifier_signatures_are_pinned() -> None:
    for verifier in (WebhookVerifier, AsyncWebhookVerifier):
        assert str(inspect.signature(verifier.__init__)).startswith("(self, client: ")
        assert list(inspect.signature(verifier.__init__).parameters)[2:] == [
            "max_age",
            "clock",
            "cache_size",
            "key_ttl",
            "key_fetch_deadline",
            "strict",
        ]
        for method in (verifier.verify, verifier.verify_and_parse):
            assert list(inspect.signature(method).parameters) == ["self", "body", "headers"]


def test_async_verifier_methods_are_coroutines() -> None:
    assert inspect.iscoroutinefunction(AsyncWebhookVerifier.verify)
    assert inspect.iscoroutinefunction(AsyncWebhookVerifier.verify_and_parse)
    assert not inspect.iscoroutinefunction(WebhookVerifier.verify)
