"""A local Layer API over real HTTP, for end-to-end tests of an app, in any language.

Run it with the `<distribution>-sandbox` command (or `python -m <package>.testing.sandbox`), or in Python:

    with Sandbox(webhook_url="http://127.0.0.1:8000/plaid/webhook") as sandbox:
        client = PlaidLayer(client_id="id", secret="secret", base_url=sandbox.url)

Every operation of the spec answers at its own path, checked like the real API checks it. The
Layer flow is stateful: `/session/token/create` issues a Link token, `POST
/sandbox/layer/session/complete` plays the user finishing Link and delivers the signed webhooks,
and `/user_account/session/get` answers what that session shared.
"""

from ._delivery import DeliveryAttempt
from ._server import Sandbox

__all__ = ["DeliveryAttempt", "Sandbox"]
