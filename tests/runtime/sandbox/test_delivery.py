"""Webhook delivery: a non-2xx answer or no answer is retried with backoff, and every attempt is listed."""

from __future__ import annotations

import socket

from plaid_layer import PlaidLayer
from plaid_layer.models import LinkSessionFinishedWebhook
from plaid_layer.testing.sandbox import Sandbox
from plaid_layer.webhooks import WebhookVerifier

from tests.runtime.sandbox.conftest import QUICK_RETRIES
from tests.runtime.sandbox.support import CREDENTIALS, SESSION_REQUEST, Receiver, get, post


def start_session(sandbox: Sandbox, outcome: str = "EXITED") -> None:
    token = post(f"{sandbox.url}/session/token/create", SESSION_REQUEST, CREDENTIALS)[1]["link"]["link_token"]
    sandbox.complete_session(token, outcome)


def test_a_receiver_answering_500_then_200_gets_the_webhook_again() -> None:
    with (
        Receiver(statuses=[500]).running() as receiver,
        Sandbox(webhook_url=receiver.url, retry_delays=QUICK_RETRIES) as sandbox,
    ):
        start_session(sandbox)
        first, second = receiver.wait_for(2)
        attempts = sandbox.wait_for_deliveries(2)
        with PlaidLayer(client_id="id", secret="secret", base_url=sandbox.url) as plaid:
            event = WebhookVerifier(plaid).verify_and_parse(second.body, second.headers)
        listed = get(f"{sandbox.url}/sandbox/webhooks")[1]["deliveries"]

    assert first.body == second.body  # the same webhook, signed again
    assert isinstance(event, LinkSessionFinishedWebhook)
    assert [(a.attempt, a.status_code, a.delivered, a.error) for a in attempts] == [
        (1, 500, False, "HTTP 500"),
        (2, 200, True, None),
    ]
    assert [(d["attempt"], d["status_code"]) for d in listed] == [(1, 500), (2, 200)]


def test_a_receiver_that_is_not_there_is_tried_a_few_times_then_given_up() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{unused.getsockname()[1]}/plaid/webhook"  # bound, never listening
        with Sandbox(webhook_url=url, retry_delays=QUICK_RETRIES) as sandbox:
            start_session(sandbox)
            attempts = sandbox.wait_for_deliveries(len(QUICK_RETRIES) + 1)
    assert [a.attempt for a in attempts] == [1, 2, 3, 4]
    assert not any(a.delivered for a in attempts)
    assert all(a.status_code is None and a.error and "ConnectError" in a.error for a in attempts)


def test_a_receiver_that_does_not_answer_in_time_is_retried() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # accepts connections (the backlog), never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/plaid/webhook"
        with Sandbox(webhook_url=url, retry_delays=(0.01,), delivery_timeout=0.2) as sandbox:
            start_session(sandbox)
            attempts = sandbox.wait_for_deliveries(2)
    assert [(a.attempt, a.error) for a in attempts] == [(1, "timeout"), (2, "timeout")]


def test_without_a_webhook_url_the_attempt_says_so() -> None:
    with Sandbox() as sandbox:
        start_session(sandbox)
        (attempt,) = sandbox.wait_for_deliveries(1)
    assert attempt.url is None and attempt.error is not None and "no webhook URL" in attempt.error


def test_the_session_webhook_wins_over_the_sandbox_default(receiver: Receiver) -> None:
    with Receiver().running() as other, Sandbox(webhook_url=other.url, retry_delays=QUICK_RETRIES) as sandbox:
        body = {**SESSION_REQUEST, "webhook": receiver.url}
        token = post(f"{sandbox.url}/session/token/create", body, CREDENTIALS)[1]["link"]["link_token"]
        assert sandbox.complete_session(token, "EXITED")["webhook_url"] == receiver.url
        receiver.wait_for(1)
    assert other.received == []
