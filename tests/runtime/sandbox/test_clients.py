"""`PlaidLayer` and `AsyncPlaidLayer` walk the Layer flow against the sandbox over loopback HTTP."""

from __future__ import annotations

import pytest
from plaid_layer import AsyncPlaidLayer, InvalidInputError, PlaidLayer, RateLimitError
from plaid_layer.models import LayerAuthenticationPassedWebhook, LinkSessionFinishedWebhook
from plaid_layer.testing.sandbox import Sandbox
from plaid_layer.webhooks import AsyncWebhookVerifier, WebhookVerifier

from tests.runtime.sandbox.support import Receiver, post

IDENTITY = {"name": {"first_name": "Ann", "last_name": "Perkins"}, "phone_number": "+14155550100"}


def client(sandbox: Sandbox) -> PlaidLayer:
    return PlaidLayer(
        client_id="sandbox-client-id", secret="sandbox-secret", base_url=sandbox.url, max_retries=0
    )


def test_sync_client_walks_the_flow_and_verifies_both_webhooks(sandbox: Sandbox, receiver: Receiver) -> None:
    with client(sandbox) as plaid:
        created = plaid.session_token_create(
            template_id="template_4uinBNe4B2x9", user={"client_user_id": "user-abc"}
        )
        assert created.link is not None and created.link.link_token.startswith("link-sandbox-")
        finished = sandbox.complete_session(created.link.link_token, identity=IDENTITY)
        shared = plaid.user_account_session_get(public_token=finished["public_token"])
        events = [WebhookVerifier(plaid).verify_and_parse(d.body, d.headers) for d in receiver.wait_for(2)]

    assert shared.identity is not None and shared.identity.name is not None
    assert (shared.identity.name.first_name, shared.identity.phone_number) == ("Ann", "+14155550100")
    passed, done = events
    assert isinstance(passed, LayerAuthenticationPassedWebhook)
    assert passed.link_token == created.link.link_token
    assert isinstance(done, LinkSessionFinishedWebhook)
    assert (done.status, done.public_tokens) == ("SUCCESS", [finished["public_token"]])
    assert done.link_session_id == passed.link_session_id == finished["link_session_id"]


async def test_async_client_walks_the_flow_and_verifies_both_webhooks(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    async with AsyncPlaidLayer(client_id="id", secret="secret", base_url=sandbox.url, max_retries=0) as plaid:
        created = await plaid.session_token_create(
            template_id="template_4uinBNe4B2x9", user={"client_user_id": "user-abc"}, webhook=receiver.url
        )
        assert created.link is not None
        finished = sandbox.complete_session(created.link.link_token)
        shared = await plaid.user_account_session_get(public_token=finished["public_token"])
        verifier = AsyncWebhookVerifier(plaid)
        events = [await verifier.verify_and_parse(d.body, d.headers) for d in receiver.wait_for(2)]

    assert shared.identity is not None and shared.identity.name is not None
    assert shared.identity.name.first_name == "Leslie"  # no identity given: the documented one
    assert [type(event) for event in events] == [LayerAuthenticationPassedWebhook, LinkSessionFinishedWebhook]


def test_each_session_gets_its_own_link_token_and_public_token(sandbox: Sandbox) -> None:
    with client(sandbox) as plaid:
        links = [
            plaid.session_token_create(
                template_id="template_4uinBNe4B2x9", user={"client_user_id": "user-abc"}
            ).link
            for _ in range(2)
        ]
        tokens = [sandbox.complete_session(link.link_token)["public_token"] for link in links if link]
    assert len({link.link_token for link in links if link}) == 2
    assert len(set(tokens)) == 2 and all(token.startswith("profile-sandbox-") for token in tokens)


@pytest.mark.parametrize(
    "public_token", ["profile-sandbox-00000000-0000-0000-0000-000000000000", "not a token"]
)
def test_an_unknown_or_malformed_public_token_gets_the_documented_error(
    sandbox: Sandbox, public_token: str
) -> None:
    with client(sandbox) as plaid, pytest.raises(InvalidInputError) as raised:
        plaid.user_account_session_get(public_token=public_token)
    assert (raised.value.status_code, raised.value.error_code) == (400, "INVALID_PUBLIC_TOKEN")


def test_an_exited_session_has_no_public_token_and_sends_only_session_finished(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    with client(sandbox) as plaid:
        created = plaid.session_token_create(
            template_id="template_4uinBNe4B2x9", user={"client_user_id": "user-abc"}
        )
        assert created.link is not None
        finished = sandbox.complete_session(created.link.link_token, "EXITED")
        (delivered,) = receiver.wait_for(1)
        event = WebhookVerifier(plaid).verify_and_parse(delivered.body, delivered.headers)
    assert (finished["public_token"], finished["webhooks"]) == (None, ["SESSION_FINISHED"])
    assert isinstance(event, LinkSessionFinishedWebhook)
    assert (event.status, event.public_tokens) == ("EXITED", [])
    assert [attempt.webhook_code for attempt in sandbox.wait_for_deliveries(1)] == ["SESSION_FINISHED"]


def test_an_error_queued_through_the_control_endpoint_is_answered_once(sandbox: Sandbox) -> None:
    queued = {
        "operation": "session_token_create",
        "error_type": "RATE_LIMIT_EXCEEDED",
        "error_code": "RATE_LIMIT",
    }
    assert post(f"{sandbox.url}/sandbox/queue", queued)[0] == 200
    with client(sandbox) as plaid:
        with pytest.raises(RateLimitError) as raised:
            plaid.session_token_create(
                template_id="template_4uinBNe4B2x9", user={"client_user_id": "user-abc"}
            )
        after = plaid.session_token_create(
            template_id="template_4uinBNe4B2x9", user={"client_user_id": "user-abc"}
        )
    assert (raised.value.status_code, raised.value.error_code) == (429, "RATE_LIMIT")
    assert after.link is not None


def test_an_answer_queued_through_the_control_endpoint_is_served(sandbox: Sandbox) -> None:
    answer = {
        "link": {"link_token": "link-sandbox-queued", "expiration": "2030-01-01T00:00:00Z"},
        "request_id": "r",
    }
    assert post(f"{sandbox.url}/sandbox/queue", {"operation": "sessionTokenCreate", "json": answer})[0] == 200
    with client(sandbox) as plaid:
        created = plaid.session_token_create(
            template_id="template_4uinBNe4B2x9", user={"client_user_id": "user-abc"}
        )
    assert created.link is not None and created.link.link_token == "link-sandbox-queued"
