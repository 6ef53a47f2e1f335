# Copied by layer-codegen from templates/runtime/testing/sandbox/_delivery.py, unchanged; do not edit here: edit that file, then nox -s generate
"""Webhook delivery as Plaid does it: a signed POST, retried with backoff on a non-2xx or a timeout.

One worker thread delivers the webhooks in the order they were sent, each attempt signed afresh
(so a retry's `iat` is current) and recorded. Plaid retries for hours; the sandbox retries a few
times within seconds (`retry_delays`), so a test sees the retry without waiting long.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

DEFAULT_RETRY_DELAYS = (0.5, 1.0, 2.0)
"""Seconds to wait before each retry: three retries, doubling."""
DEFAULT_TIMEOUT = 10.0
"""Plaid abandons an attempt whose answer takes longer than 10 s."""


@dataclass(frozen=True)
class DeliveryAttempt:
    """One attempt to deliver one webhook: where to, and what came of it."""

    webhook_code: str
    url: str | None
    attempt: int
    """1 for the first attempt, 2 for the first retry, ..."""
    status_code: int | None
    """The receiver's HTTP status, or `None` when there was no answer (see `error`)."""
    error: str | None
    """Why there was no 2xx: `timeout`, a connection failure, or no webhook URL to send to."""
    delivered: bool
    at: str
    """When the attempt ended (ISO 8601, UTC)."""

    def as_json(self) -> dict[str, Any]:
        """The attempt as `GET /sandbox/webhooks` lists it."""
        return asdict(self)


@dataclass(frozen=True)
class _Job:
    webhook_code: str
    url: str | None
    body: bytes
    sign: Callable[[bytes], dict[str, str]]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class WebhookDeliverer:
    """Delivers queued webhooks on its own thread and remembers every attempt."""

    def __init__(
        self, *, retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self._retry_delays = tuple(retry_delays)
        self._http = httpx.Client(timeout=timeout, follow_redirects=False)
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._closing = threading.Event()
        self._changed = threading.Condition()
        self._attempts: list[DeliveryAttempt] = []
        self._thread = threading.Thread(target=self._run, name="sandbox-webhooks", daemon=True)
        self._thread.start()

    def send(
        self, webhook_code: str, url: str | None, body: bytes, sign: Callable[[bytes], dict[str, str]]
    ) -> None:
        """Deliver `body` to `url` soon, signed by `sign` on every attempt."""
        self._jobs.put(_Job(webhook_code, url, body, sign))

    @property
    def attempts(self) -> tuple[DeliveryAttempt, ...]:
        """Every attempt so far, oldest first."""
        with self._changed:
            return tuple(self._attempts)

    def wait_for(self, count: int, timeout: float) -> tuple[DeliveryAttempt, ...]:
        """Wait until at least `count` attempts have ended; raise `TimeoutError` after `timeout` s."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._attempts) >= count, timeout):
                raise TimeoutError(
                    f"{len(self._attempts)} of {count} webhook delivery attempts after {timeout} s"
                )
            return tuple(self._attempts)

    def close(self) -> None:
        """Stop delivering (an attempt under way ends first) and close the HTTP client."""
        self._closing.set()
        self._jobs.put(None)
        self._thread.join()
        self._http.close()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            self._deliver(job)

    def _deliver(self, job: _Job) -> None:
        if job.url is None:
            self._record(job, 1, None, "no webhook URL: give webhook to the session or --webhook-url")
            return
        for attempt, delay in enumerate((*self._retry_delays, None), start=1):
            if self._closing.is_set():
                return
            status, error = self._attempt(job)
            self._record(job, attempt, status, error)
            if status is not None and 200 <= status < 300:
                return
            if delay is None or self._closing.wait(delay):
                return

    def _attempt(self, job: _Job) -> tuple[int | None, str | None]:
        headers = {"Content-Type": "application/json", **job.sign(job.body)}
        assert job.url is not None
        try:
            response = self._http.post(job.url, content=job.body, headers=headers)
        except httpx.TimeoutException:
            return None, "timeout"
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}"
        return response.status_code, None if response.is_success else f"HTTP {response.status_code}"

    def _record(self, job: _Job, attempt: int, status: int | None, error: str | None) -> None:
        delivered = status is not None and 200 <= status < 300
        entry = DeliveryAttempt(job.webhook_code, job.url, attempt, status, error, delivered, _now())
        with self._changed:
            self._attempts.append(entry)
            self._changed.notify_all()
