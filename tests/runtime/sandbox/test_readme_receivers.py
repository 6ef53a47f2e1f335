"""The README's Starlette and Flask receivers, each in a real server, get both webhooks from the sandbox.

The receivers are the README's blocks as written; only their `verifier()` is pointed at the
sandbox (`base_url=`), the one change the README tells an app to make, and their `handle()`
records the events. Starlette runs under uvicorn, Flask under werkzeug's server.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from plaid_layer import AsyncPlaidLayer, PlaidLayer
from plaid_layer.models import LayerAuthenticationPassedWebhook, LinkSessionFinishedWebhook
from plaid_layer.testing.sandbox import Sandbox
from plaid_layer.webhooks import AsyncWebhookVerifier, Webhook, WebhookVerifier
from werkzeug.serving import make_server

from tests.runtime.sandbox.conftest import QUICK_RETRIES
from tests.runtime.sandbox.support import CREDENTIALS, SESSION_REQUEST, WAIT, post
from tests.runtime.testing.test_readme_example import python_blocks
from tests.support import ROOT


def readme_receiver(marker: str) -> dict[str, Any]:
    """The namespace of the README block that builds its app with `marker`."""
    (block,) = [b for b in python_blocks(ROOT / "README.md") if marker in b.source and "app = " in b.source]
    namespace: dict[str, Any] = {"__name__": "readme_receiver"}
    exec(compile(block.source, block.name, "exec"), namespace)
    return namespace


class Events:
    """What a receiver's `handle()` was given, with a wait for the count."""

    def __init__(self) -> None:
        self.received: list[Webhook] = []
        self._changed = threading.Condition()

    def add(self, event: Webhook) -> None:
        with self._changed:
            self.received.append(event)
            self._changed.notify_all()

    def wait_for(self, count: int) -> list[Webhook]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.received) >= count, WAIT), self.received
            return list(self.received)


def finish_a_session(sandbox: Sandbox, webhook: str) -> str:
    body = {**SESSION_REQUEST, "webhook": webhook}
    token = post(f"{sandbox.url}/session/token/create", body, CREDENTIALS)[1]["link"]["link_token"]
    public_token: str = sandbox.complete_session(token)["public_token"]
    return public_token


@contextmanager
def uvicorn_serving(app: Any) -> Iterator[str]:
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(64)  # listening before uvicorn starts: early deliveries wait in the backlog
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listening.getsockname()[1]}/plaid/webhook"
    finally:
        server.should_exit = True
        thread.join()
        listening.close()


def assert_both_webhooks(events: list[Webhook], public_token: str) -> None:
    passed, done = events
    assert isinstance(passed, LayerAuthenticationPassedWebhook)
    assert isinstance(done, LinkSessionFinishedWebhook) and done.public_tokens == [public_token]


def test_the_readme_starlette_receiver_verifies_both_webhooks_from_the_sandbox() -> None:
    events = Events()
    with Sandbox(retry_delays=QUICK_RETRIES) as sandbox:
        namespace = readme_receiver("Starlette(")
        client = AsyncPlaidLayer(client_id="id", secret="secret", base_url=sandbox.url)
        verifier = AsyncWebhookVerifier(client)

        async def handle(event: Webhook) -> None:
            events.add(event)

        namespace.update(verifier=lambda: verifier, handle=handle)
        with uvicorn_serving(namespace["app"]) as url:
            public_token = finish_a_session(sandbox, url)
            received = events.wait_for(2)
            attempts = sandbox.wait_for_deliveries(2)
    assert_both_webhooks(received, public_token)
    assert [a.status_code for a in attempts] == [200, 200]


def test_the_readme_flask_receiver_verifies_both_webhooks_from_the_sandbox() -> None:
    events = Events()
    with Sandbox(retry_delays=QUICK_RETRIES) as sandbox:
        namespace = readme_receiver("Flask(__name__)")
        verifier = WebhookVerifier(PlaidLayer(client_id="id", secret="secret", base_url=sandbox.url))
        namespace.update(verifier=lambda: verifier, handle=events.add)
        server = make_server("127.0.0.1", 0, namespace["app"], threaded=True)
        thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
        thread.start()
        try:
            public_token = finish_a_session(sandbox, f"http://127.0.0.1:{server.port}/plaid/webhook")
            received = events.wait_for(2)
            attempts = sandbox.wait_for_deliveries(2)
        finally:
            server.shutdown()
            thread.join()
            server.server_close()
    assert_both_webhooks(received, public_token)
    assert [a.status_code for a in attempts] == [200, 200]
