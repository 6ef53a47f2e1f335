"""The command line: `<distribution>-sandbox [--host 127.0.0.1] [--port 0] [--webhook-url URL]`.

The first line on standard output is `Plaid Layer sandbox listening on http://HOST:PORT`, then one
line per request goes to standard error. Ctrl-C or SIGTERM stops it cleanly (exit 0); an address
that cannot be listened on exits 2 with one line naming it.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

import httpx

from ._server import Sandbox, stderr_log


def _webhook_url(value: str) -> str:
    try:
        url = httpx.URL(value)
    except httpx.InvalidURL as exc:
        raise argparse.ArgumentTypeError(f"invalid URL {value!r}: {exc}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise argparse.ArgumentTypeError(f"{value!r} is not an http:// or https:// URL")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="A local Plaid Layer API over HTTP: the session flow, and signed webhooks.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default 0: a free one)")
    parser.add_argument(
        "--webhook-url", type=_webhook_url, help="where webhooks go for sessions created without a webhook"
    )
    parser.add_argument("--client-id", help="refuse other client ids with INVALID_API_KEYS")
    parser.add_argument("--secret", help="refuse other secrets with INVALID_API_KEYS")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sandbox until Ctrl-C or SIGTERM."""
    args = _parser().parse_args(argv)
    if not 0 <= args.port <= 65535:
        print(f"error: --port {args.port} is not a port (0-65535)", file=sys.stderr)
        return 2
    try:
        sandbox = Sandbox(
            host=args.host,
            port=args.port,
            webhook_url=args.webhook_url,
            client_id=args.client_id,
            secret=args.secret,
            log=stderr_log,
        )
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2

    def stop(signum: int, frame: FrameType | None) -> None:
        threading.Thread(target=sandbox.stop_serving, daemon=True).start()  # shutdown() waits for the loop

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"Plaid Layer sandbox listening on {sandbox.url}", flush=True)
    try:
        sandbox.serve_forever()
    finally:
        sandbox.close()
    print("Plaid Layer sandbox stopped", file=sys.stderr, flush=True)
    return 0
