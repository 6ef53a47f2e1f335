"""The sandbox: the testing kit's mock of the API, served over real HTTP, plus the Layer flow.

Each request to a path of the spec goes through a `LayerMock` (not started, so it patches
nothing): the mock checks it against the spec, answers the documented example or what was
queued, and records it. The flow's operations answer from `LayerFlow`; `WebhookSigner` signs the
webhooks and has the mock serve its key; `WebhookDeliverer` sends them. Control endpoints under
`/sandbox/` play the user and queue answers.

The standard library's `ThreadingHTTPServer` is enough here: it serves local test traffic on
loopback, a thread per connection (so a held answer or a slow receiver blocks nothing else), with
no TLS or HTTP/2 to offer, and it keeps the testing extra free of another dependency.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import httpx

from .. import CATALOG
from .._catalog import Catalog
from .._errors import new_request_id, plaid_error
from .._mock import LayerMock
from .._signer import WebhookSigner
from ._delivery import DEFAULT_RETRY_DELAYS, DEFAULT_TIMEOUT, DeliveryAttempt, WebhookDeliverer
from ._flow import FlowError, LayerFlow, only

COMPLETE = ("POST", "/sandbox/layer/session/complete")
WEBHOOKS = ("GET", "/sandbox/webhooks")
QUEUE = ("POST", "/sandbox/queue")
POLL_INTERVAL = 0.1
"""Seconds between the server's checks for a shutdown: how long `close()` may wait."""
MAX_BODY = 1_000_000
"""The largest request body the sandbox reads (bytes); Plaid's requests are a few KB."""

Answer = tuple[int, bytes] | None
"""Status and JSON body, or `None` to drop the connection (a queued network failure)."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    sandbox: Sandbox


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as clients expect; every answer has a Content-Length
    server: _Server

    def do_POST(self) -> None:
        self._handle()

    do_GET = do_PUT = do_PATCH = do_DELETE = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        log = self.server.sandbox.log
        if log is not None:
            log(f"{self.command} {urlsplit(self.path).path} {args[1] if len(args) > 1 else ''}".rstrip())

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            answer: Answer = (
                413,
                _json(plaid_error("INVALID_REQUEST", "INVALID_BODY", "the body is too large")),
            )
            self.close_connection = True
        else:
            body = self.rfile.read(length)
            answer = self.server.sandbox.answer(
                self.command, urlsplit(self.path).path, self.headers.items(), body
            )
        if answer is None:
            self.close_connection = True
            return
        status, content = answer
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)


def _json(body: Any) -> bytes:
    return json.dumps(body).encode()


def _parse(body: bytes) -> Any:
    try:
        return json.loads(body) if body else {}
    except ValueError:
        return None


class Sandbox:
    """A local Layer API over HTTP that plays the session flow and sends signed webhooks.

    Example:
        with Sandbox() as sandbox, PlaidLayer(client_id="id", secret="secret", base_url=sandbox.url) as plaid:
            session = plaid.session_token_create(template_id="template_1", user={"client_user_id": "u"})
    """

    def __init__(
        self,
        catalog: Catalog = CATALOG,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_url: str | None = None,
        client_id: str | None = None,
        secret: str | None = None,
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        delivery_timeout: float = DEFAULT_TIMEOUT,
        log: Callable[[str], None] | None = None,
    ) -> None:
        """Bind the server (nothing is answered until `start()` or `serve_forever()`).

        Args:
            catalog: The API to serve; the package's own by default.
            host: The address to listen on: loopback unless told otherwise.
            port: The port; 0 picks a free one (see `url`).
            webhook_url: Where webhooks go for sessions created without a `webhook`.
            client_id: When given, requests with another client id get `INVALID_API_KEYS`.
            secret: When given, requests with another secret get `INVALID_API_KEYS`.
            retry_delays: Seconds before each retry of a webhook that got no 2xx.
            delivery_timeout: Seconds a webhook receiver has to answer one attempt.
            log: Called with one line per request (`POST /session/token/create 200`).
        """
        server_class = _Server6 if ":" in host else _Server
        self._server = server_class((host, port), _Handler)
        self._server.sandbox = self
        bound_port = self._server.server_address[1]
        self.url: str = f"http://{f'[{host}]' if ':' in host else host}:{bound_port}"
        """The base URL to give a client (`base_url=`), e.g. `http://127.0.0.1:53211`."""
        self.webhook_url: str | None = webhook_url
        self.log: Callable[[str], None] | None = log
        try:
            # Names arrive as JSON, so they are strings until the catalog looks them up.
            self.mock: LayerMock[str, str] = LayerMock[str, str](
                catalog, base_url=self.url, client_id=client_id, secret=secret
            )
            """The mock behind the API: `queue`, `queue_error`, `calls`... work on the sandbox too."""
        except ImportError:  # no respx: the testing extra is missing
            self._server.server_close()
            raise
        self.signer: WebhookSigner | None = (
            WebhookSigner(self.mock) if catalog.webhook_key_operation else None
        )
        self.flow: LayerFlow = LayerFlow(catalog)
        for entry, handler in (
            (self.flow.create, self.flow.session_token_create),
            (self.flow.get, self.flow.user_account_session_get),
        ):
            if entry is not None:
                self.mock.set_handler(entry.python_name, handler)
        self._catalog = catalog
        self._mock_lock = threading.Lock()
        self._deliverer = WebhookDeliverer(retry_delays=retry_delays, timeout=delivery_timeout)
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Serve on a background thread; `close()` stops it."""
        self._thread = threading.Thread(target=self.serve_forever, name="sandbox-http", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on this thread until `stop_serving()` is called from another one."""
        self._server.serve_forever(poll_interval=POLL_INTERVAL)

    def stop_serving(self) -> None:
        """Make `serve_forever` return (waits for it; call it from another thread)."""
        self._server.shutdown()

    def close(self) -> None:
        """Stop serving and delivering, and release the port."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()
        self._deliverer.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def deliveries(self) -> tuple[DeliveryAttempt, ...]:
        """Every webhook delivery attempt so far, oldest first."""
        return self._deliverer.attempts

    def wait_for_deliveries(self, count: int, timeout: float = 30.0) -> tuple[DeliveryAttempt, ...]:
        """Wait until `count` delivery attempts have ended (all of them so far are returned)."""
        return self._deliverer.wait_for(count, timeout)

    def complete_session(self, link_token: str, outcome: str = "SUCCESS", **fields: Any) -> dict[str, Any]:
        """Play the user finishing Link, as `POST /sandbox/layer/session/complete` does."""
        status, content = self._complete({"link_token": link_token, "outcome": outcome, **fields})
        answer: dict[str, Any] = json.loads(content)
        if status != 200:
            raise ValueError(f"{answer['error_code']}: {answer['error_message']}")
        return answer

    def answer(self, method: str, path: str, headers: Sequence[tuple[str, str]], body: bytes) -> Answer:
        """The answer to one HTTP request: a control endpoint, or an operation of the spec."""
        control = {COMPLETE: self._complete, QUEUE: self._queue}.get((method, path))
        if control is not None:
            return control(_parse(body))
        if (method, path) == WEBHOOKS:
            return 200, _json({"deliveries": [attempt.as_json() for attempt in self.deliveries]})
        request = httpx.Request(method, self.url + path, headers=list(headers), content=body)
        try:
            with self._mock_lock:
                response = self.mock.router.handler(request)
            content = response.read()  # a queued delay sleeps here, outside the lock
        except httpx.TransportError:  # a queued network failure or timeout: no answer at all
            return None
        except AssertionError:  # respx found no route: not an operation of the spec
            message = f"{method} {path} is not an endpoint of this API"
            return 404, _json(plaid_error("INVALID_REQUEST", "NOT_FOUND", message))
        except RuntimeError as exc:  # an operation without a documented example, nothing queued
            return 500, _json(plaid_error("API_ERROR", "INTERNAL_SERVER_ERROR", str(exc)))
        return response.status_code, content

    def _complete(self, body: Any) -> tuple[int, bytes]:
        try:
            completion = self.flow.complete(body)
        except FlowError as exc:
            return exc.status, _json(exc.body)
        session = completion.session
        url = session.webhook or self.webhook_url
        sent = []
        for code, overrides in completion.webhooks:
            webhook = next((w for w in self._catalog.webhooks if w.webhook_code == code), None)
            if webhook is None or webhook.example is None or self.signer is None:
                continue  # a spec without this webhook (or its example) has nothing to send
            example = webhook.example()
            payload = json.dumps(webhook.example(**only(example, overrides)), indent=2).encode()
            self._deliverer.send(code, url, payload, self.signer.sign)
            sent.append(code)
        answer = {
            "link_token": session.link_token,
            "link_session_id": session.link_session_id,
            "outcome": session.outcome,
            "public_token": session.public_token,
            "webhooks": sent,
            "webhook_url": url,
            "request_id": new_request_id(),
        }
        return 200, _json(answer)

    def _queue(self, body: Any) -> tuple[int, bytes]:
        """Queue an answer: `{"operation": name, "json": {...}, "status": 200}`, or a Plaid error:
        `{"operation": name, "error_type": ..., "error_code": ..., "status": ...}`."""
        problem = _queue_problem(body, self._catalog)
        if problem is not None:
            return 400, _json(plaid_error("INVALID_REQUEST", "INVALID_FIELD", problem))
        operation = body["operation"]
        with self._mock_lock:
            if "json" in body:
                self.mock.queue(operation, json=body["json"], status=body.get("status", 200))
            else:
                status = body.get("status")
                fields = {key: body[key] for key in ("error_message", "display_message") if key in body}
                self.mock.queue_error(
                    operation,
                    error_type=body["error_type"],
                    error_code=body["error_code"],
                    status=status,
                    **fields,
                )
        return 200, _json(
            {"queued": self._catalog.operation(operation).python_name, "request_id": new_request_id()}
        )


def _queue_problem(body: Any, catalog: Catalog) -> str | None:
    """What is wrong with a `/sandbox/queue` body, or `None`."""
    if not isinstance(body, dict):
        return "the request body must be a JSON object"
    operation = body.get("operation")
    if not isinstance(operation, str):
        return "operation: the method name or operationId to answer"
    try:
        catalog.operation(operation)
    except ValueError:
        return f"operation: {operation!r} is not an operation of this API"
    status = body.get("status", 200)
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        return "status: an HTTP status between 100 and 599"
    if "json" in body:
        return None
    if not all(isinstance(body.get(key), str) for key in ("error_type", "error_code")):
        return "give json (an answer) or error_type and error_code (a Plaid error)"
    return None


def stderr_log(line: str) -> None:
    """Write one request line to standard error (the command line's log)."""
    print(line, file=sys.stderr, flush=True)
