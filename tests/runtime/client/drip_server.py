"""A server on 127.0.0.1 that answers one request by sending one byte every `interval` seconds."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

BODY = b"{" + b" " * 10 + b"}"
DRIPPED = 12
"""Bytes sent one at a time: 6 s at the default interval, so a client that waits them all out
succeeds, and one that keeps to a 1 s timeout gives up after two or three."""


@dataclass
class Drip:
    """What the server did: the URL to call, and whether it got to send the whole response."""

    base_url: str
    finished: threading.Event = field(default_factory=threading.Event)


def _response(drip_headers: bool) -> tuple[bytes, bytes, bytes]:
    """The response as (sent at once, dripped, sent at once after the drip)."""
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(BODY)}\r\nConnection: close\r\n\r\n".encode()
    )
    whole = head + BODY
    start = 0 if drip_headers else len(head)
    return whole[:start], whole[start : start + DRIPPED], whole[start + DRIPPED :]


def _serve(listener: socket.socket, drip: Drip, drip_headers: bool, interval: float) -> None:
    listener.settimeout(10)
    try:
        connection, _ = listener.accept()
    except OSError:
        return
    with connection:
        connection.settimeout(10)
        request = b""
        while b"\r\n\r\n" not in request:
            request += connection.recv(65536)
        # The request body is small and arrives with the headers on loopback.
        before, dripped, after = _response(drip_headers)
        try:
            connection.sendall(before)
            for index in range(len(dripped)):
                time.sleep(interval)
                connection.sendall(dripped[index : index + 1])
            connection.sendall(after)
        except OSError:
            return  # the client gave up and closed the connection
        drip.finished.set()


@contextmanager
def drip_server(*, drip_headers: bool, interval: float = 0.5) -> Iterator[Drip]:
    """Serve one connection; the thread ends when the drip ends or the client hangs up."""
    listener = socket.create_server(("127.0.0.1", 0))
    drip = Drip(f"http://127.0.0.1:{listener.getsockname()[1]}")
    thread = threading.Thread(target=_serve, args=(listener, drip, drip_headers, interval), daemon=True)
    thread.start()
    try:
        yield drip
    finally:
        listener.close()
        thread.join(timeout=30)
