"""A small HTTP server on 127.0.0.1 answering each path with fixed bytes, bounded in count and time.

    with loopback_server({"/session/token/create": b"{...}"}) as base_url:
        httpx.post(base_url + "/session/token/create", json={})

It runs in a thread of the benchmark process, on an ephemeral port, keeps connections alive
(HTTP/1.1) like Plaid's servers, refuses requests past `max_requests` or `max_seconds`, shuts
itself down at `max_seconds` in any case, and is shut down when the `with` block ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, bodies: Mapping[str, bytes], max_requests: int, max_seconds: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.bodies = bodies
        self._left = max_requests
        self._deadline = time.monotonic() + max_seconds
        self._lock = threading.Lock()

    def admit(self) -> bool:
        with self._lock:
            self._left -= 1
            return self._left >= 0 and time.monotonic() < self._deadline


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the second waits for a delayed ACK.
    disable_nagle_algorithm = True
    server: _Server

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = self.server.bodies.get(self.path)
        if body is None or not self.server.admit():
            self.send_error(404 if body is None else 503)
            self.close_connection = True
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request log line."""


@contextmanager
def loopback_server(
    bodies: Mapping[str, bytes], *, max_requests: int = 300_000, max_seconds: float = 120.0
) -> Iterator[str]:
    """Serve `bodies` by path on 127.0.0.1 for the `with` block; yields the base URL."""
    server = _Server(bodies, max_requests, max_seconds)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    stopper = threading.Timer(max_seconds, server.shutdown)
    thread.start()
    stopper.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stopper.cancel()
        server.shutdown()
        server.server_close()
        thread.join()
