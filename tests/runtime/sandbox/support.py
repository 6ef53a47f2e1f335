"""A webhook receiver on a real loopback socket, and a small JSON-over-urllib client.

The receiver answers each delivery with the next status of its script (then 200) and records the
raw body and headers; tests wait on it with a generous timeout, never on the clock.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WAIT = 60.0
"""Seconds to wait for something that takes milliseconds on an idle machine."""
CREDENTIALS = {"PLAID-CLIENT-ID": "sandbox-client-id", "PLAID-SECRET": "sandbox-secret"}
SESSION_REQUEST = {"template_id": "template_4uinBNe4B2x9", "user": {"client_user_id": "user-abc"}}


@dataclass(frozen=True)
class Delivered:
    """One request the receiver got."""

    body: bytes
    headers: dict[str, str]


class Receiver:
    """A webhook endpoint at `url` that answers with `statuses` in turn, then 200."""

    def __init__(self, statuses: Sequence[int] = ()) -> None:
        self._statuses = list(statuses)
        self._changed = threading.Condition()
        self.received: list[Delivered] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = receiver._record(Delivered(body, dict(self.headers.items())))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/plaid/webhook"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.1,), daemon=True)

    def _record(self, delivered: Delivered) -> int:
        with self._changed:
            self.received.append(delivered)
            self._changed.notify_all()
            return self._statuses.pop(0) if self._statuses else 200

    def wait_for(self, count: int) -> list[Delivered]:
        """The first `count` deliveries, once they have arrived."""
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.received) >= count, WAIT), self.received
            return self.received[:count]

    @contextmanager
    def running(self) -> Iterator[Receiver]:
        """Serve while the block runs."""
        self._thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()


def post(url: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """POST `body` as JSON with urllib (a client that is not ours); the status and the parsed answer."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    return _send(request)


def get(url: str) -> tuple[int, Any]:
    """GET `url` with urllib; the status and the parsed answer."""
    return _send(urllib.request.Request(url, method="GET"))


def _send(request: urllib.request.Request) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())
