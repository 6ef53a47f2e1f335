"""Clients that are not ours walk the flow: the standard library's urllib, and node's fetch.

Every request is plain JSON over loopback HTTP, so what passes here is what a front end or a
service in another language sees.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from plaid_layer import PlaidLayer
from plaid_layer.models import LayerAuthenticationPassedWebhook, LinkSessionFinishedWebhook
from plaid_layer.testing.sandbox import Sandbox
from plaid_layer.webhooks import WebhookVerifier

from tests.runtime.sandbox.support import CREDENTIALS, SESSION_REQUEST, WAIT, Receiver, get, post

NODE_FLOW = """
const [base, webhook] = process.argv.slice(2);
const headers = {
  "Content-Type": "application/json", "PLAID-CLIENT-ID": "node-id", "PLAID-SECRET": "node-secret",
};
const call = async (path, body) => {
  const response = await fetch(base + path, {method: "POST", headers, body: JSON.stringify(body)});
  return {status: response.status, body: await response.json()};
};
const user = {client_user_id: "u-1"};
const created = await call("/session/token/create", {template_id: "template_1", user, webhook});
const link_token = created.body.link.link_token;
const finished = await call("/sandbox/layer/session/complete", {link_token, outcome: "SUCCESS"});
const shared = await call("/user_account/session/get", {public_token: finished.body.public_token});
const refused = await call("/user_account/session/get", {public_token: 42});
console.log(JSON.stringify({created, finished, shared, refused}));
"""


def verified(sandbox: Sandbox, receiver: Receiver) -> list[object]:
    with PlaidLayer(client_id="id", secret="secret", base_url=sandbox.url) as plaid:
        verifier = WebhookVerifier(plaid)
        return [verifier.verify_and_parse(d.body, d.headers) for d in receiver.wait_for(2)]


def test_urllib_walks_the_whole_flow(sandbox: Sandbox, receiver: Receiver) -> None:
    status, created = post(f"{sandbox.url}/session/token/create", SESSION_REQUEST, CREDENTIALS)
    assert status == 200
    link_token = created["link"]["link_token"]
    finished = {"link_token": link_token, "outcome": "SUCCESS", "identity": {"phone_number": "+14155550111"}}
    status, completed = post(f"{sandbox.url}/sandbox/layer/session/complete", finished)
    assert (status, completed["webhooks"]) == (200, ["LAYER_AUTHENTICATION_PASSED", "SESSION_FINISHED"])
    credentials_in_body = {"client_id": "id", "secret": "secret", "public_token": completed["public_token"]}
    status, shared = post(f"{sandbox.url}/user_account/session/get", credentials_in_body)
    assert (status, shared["identity"]) == (200, {"phone_number": "+14155550111"})

    passed, done = verified(sandbox, receiver)
    assert isinstance(passed, LayerAuthenticationPassedWebhook) and passed.link_token == link_token
    assert isinstance(done, LinkSessionFinishedWebhook) and done.public_tokens == [completed["public_token"]]
    sandbox.wait_for_deliveries(2)
    status, listed = get(f"{sandbox.url}/sandbox/webhooks")
    assert status == 200
    assert [
        (d["webhook_code"], d["attempt"], d["status_code"], d["delivered"]) for d in listed["deliveries"]
    ] == [
        ("LAYER_AUTHENTICATION_PASSED", 1, 200, True),
        ("SESSION_FINISHED", 1, 200, True),
    ]
    assert all(d["url"] == receiver.url for d in listed["deliveries"])


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_node_fetch_walks_the_whole_flow(sandbox: Sandbox, receiver: Receiver, tmp_path: Path) -> None:
    script = tmp_path / "flow.mjs"
    script.write_text(NODE_FLOW, encoding="utf-8")
    node = shutil.which("node")
    assert node is not None
    result = subprocess.run(
        [node, str(script), sandbox.url, receiver.url],
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)

    assert [out[step]["status"] for step in ("created", "finished", "shared", "refused")] == [
        200,
        200,
        200,
        400,
    ]
    assert out["shared"]["body"]["items"][0]["access_token"].startswith("access-sandbox-")
    assert (out["refused"]["body"]["error_type"], out["refused"]["body"]["error_code"]) == (
        "INVALID_REQUEST",
        "INVALID_FIELD",
    )
    passed, done = verified(sandbox, receiver)
    assert isinstance(passed, LayerAuthenticationPassedWebhook)
    assert isinstance(done, LinkSessionFinishedWebhook) and done.public_tokens == [
        out["finished"]["body"]["public_token"]
    ]
