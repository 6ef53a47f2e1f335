"""The verifiers' book of Plaid's signing keys: what a key must be, which are known, which are refused.

Keys are fetched through a callable (the generated `webhooks.py` passes the client's
`webhook_verification_key_get`), built into a PyJWT key once, and kept in a small LRU cache.
Because the `kid` comes from an unauthenticated request, fetches are bounded: each `kid` is fetched
once however many webhooks name it at the same moment, a refusal is remembered for a minute, and a
token bucket allows `KEY_FETCH_BURST` fetches at once and one more every `KEY_FETCH_INTERVAL`
seconds, so a flood of forged key ids costs a handful of calls while cached keys keep verifying.
A key Plaid confirmed stays usable while Plaid cannot be asked (down, slow, or the bucket empty),
for up to `MAX_KEY_STALENESS`. Every decision here needs no I/O: the verifiers in
`_webhook_verification` run the fetches and wait for them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from jwt.algorithms import ECAlgorithm

from ._exceptions import APIStatusError, InvalidInputError, WebhookVerificationError
from ._exceptions import WebhookVerificationFailure as Failure

ALGORITHM = "ES256"
KEY_FETCH_BURST = 5
"""How many key fetches a verifier may start at once (its token bucket's size)."""
KEY_FETCH_INTERVAL = 30.0
"""Seconds for the bucket to earn one more fetch."""
KEY_RETRY_AFTER = 60.0
"""How long a refused key id, or a failed refresh of a cached key, is remembered before asking again."""
MAX_KEY_STALENESS = 86_400.0
"""How long past `key_ttl` a key Plaid confirmed stays usable while Plaid cannot be asked about it.

Bounded so that a key rotated out during a long outage (perhaps because it leaked) is not trusted forever.
"""
MAX_KID_LENGTH = 64
"""Plaid's key ids are UUIDs (36 characters)."""
_REFUSALS_SIZE = 1024
"""Refused key ids remembered; kept apart from the key cache so that a flood cannot evict real keys."""

EventT = TypeVar("EventT", threading.Event, asyncio.Event)
V = TypeVar("V")


class VerificationKey(Protocol):
    """What the key callable returns: Plaid's `JWKPublicKey` model, or anything shaped like it.

    `use` and `key_ops` are read when present: a key they do not allow to verify is refused.
    """

    @property
    def alg(self) -> str: ...
    @property
    def kid(self) -> str: ...
    @property
    def kty(self) -> str: ...
    @property
    def crv(self) -> str: ...
    @property
    def x(self) -> str: ...
    @property
    def y(self) -> str: ...
    @property
    def expired_at(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class _CachedKey:
    """A key as the hot path needs it: the built PyJWT key, or `None` once Plaid expired it."""

    public_key: EllipticCurvePublicKey | None
    fetched_at: float
    """When Plaid last confirmed the key."""
    refresh_at: float
    """When to ask Plaid about it again."""


@dataclass(frozen=True, slots=True)
class _Refusal:
    """Plaid's refusal of a key id, repeated to every caller until `until`."""

    verdict: WebhookVerificationError
    until: float


class _LRU(Generic[V]):
    """A bounded map that forgets the least recently used entry first; not locked."""

    def __init__(self, size: int) -> None:
        self._entries: OrderedDict[str, V] = OrderedDict()
        self._size = size

    def get(self, kid: str) -> V | None:
        entry = self._entries.get(kid)
        if entry is not None:
            self._entries.move_to_end(kid)
        return entry

    def put(self, kid: str, entry: V) -> None:
        self._entries[kid] = entry
        self._entries.move_to_end(kid)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)

    def pop(self, kid: str) -> None:
        self._entries.pop(kid, None)


class _TokenBucket:
    """Allows `size` events at once and one more every `interval` seconds."""

    def __init__(self, size: int, interval: float) -> None:
        self._size = size
        self._interval = interval
        self._tokens = float(size)
        self._last: float | None = None

    def take(self, now: float) -> bool:
        if self._last is not None:
            # max(): a wall clock set back must not drain the bucket, nor a jump forward overfill it.
            earned = max(0.0, now - self._last) / self._interval
            self._tokens = min(float(self._size), self._tokens + earned)
        self._last = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


@dataclass(slots=True)
class _Flight(Generic[EventT]):
    """One fetch of one `kid` in progress; every caller that needs the key waits on `done`."""

    done: EventT
    entry: _CachedKey | None = None
    failure: WebhookVerificationError | None = None


def _again(verdict: WebhookVerificationError) -> WebhookVerificationError:
    """A fresh copy of a shared verdict: raising one instance from many callers tangles tracebacks."""
    copy = WebhookVerificationError(verdict.reason, verdict.detail)
    copy.__cause__ = verdict.__cause__
    return copy


def _shown(kid: str) -> str:
    """A key id for a message: it comes from the request, so keep it short and escaped."""
    return repr(kid if len(kid) <= MAX_KID_LENGTH else kid[:MAX_KID_LENGTH] + "...")


class _KeyBook(Generic[EventT]):
    """Everything the verifier knows about keys, and every decision that needs no I/O.

    Shared by both verifiers, which differ only in how they run a fetch and wait for it; the
    blocking one calls it under its lock.
    """

    def __init__(self, *, cache_size: int, key_ttl: float, new_event: Callable[[], EventT]) -> None:
        self._keys: _LRU[_CachedKey] = _LRU(cache_size)
        self._refusals: _LRU[_Refusal] = _LRU(_REFUSALS_SIZE)
        self._bucket = _TokenBucket(KEY_FETCH_BURST, KEY_FETCH_INTERVAL)
        self._flights: dict[str, _Flight[EventT]] = {}
        self._key_ttl = key_ttl
        self._new_event: Callable[[], EventT] = new_event

    def lookup(self, kid: str, now: float) -> _CachedKey | tuple[_Flight[EventT], bool]:
        """The key to check with, or the fetch to wait for (`True`: a new one the caller must start)."""
        entry = self._keys.get(kid)
        if entry is not None and now < entry.refresh_at and self._trusted(entry, now):
            return entry
        refusal = self._refusals.get(kid)
        if refusal is not None and now < refusal.until:
            raise _again(refusal.verdict)
        flight = self._flights.get(kid)
        if flight is not None:
            return flight, False
        if not self._bucket.take(now):
            throttled = WebhookVerificationError(
                Failure.KEY_UNAVAILABLE, f"too many new key ids lately; key id {_shown(kid)} was not fetched"
            )
            return self._fallback(kid, now, throttled)
        flight = self._flights[kid] = _Flight(self._new_event())
        return flight, True

    def finish(self, kid: str, flight: _Flight[EventT], now: float) -> None:
        """Record how a fetch ended (called once per fetch, whatever happened), then wake its waiters."""
        del self._flights[kid]
        if flight.entry is None and flight.failure is None:
            flight.failure = WebhookVerificationError(
                Failure.KEY_UNAVAILABLE, f"the fetch of key id {_shown(kid)} was interrupted"
            )
        if flight.entry is not None:
            self._keys.put(kid, flight.entry)
            self._refusals.pop(kid)
        elif flight.failure is not None and flight.failure.reason is Failure.UNKNOWN_KEY:
            self._keys.pop(kid)  # Plaid no longer vouches for it
            self._refusals.put(kid, _Refusal(flight.failure, now + KEY_RETRY_AFTER))
        else:
            entry = self._keys.get(kid)
            if entry is not None:  # Plaid cannot be asked: keep the key, ask again a minute later
                self._keys.put(kid, dataclasses.replace(entry, refresh_at=now + KEY_RETRY_AFTER))
        flight.done.set()

    def settle(
        self, kid: str, flight: _Flight[EventT], finished: bool, now: float, waited: float
    ) -> _CachedKey:
        """The key a waiter checks with once the fetch ended, or once it stopped waiting for it."""
        if finished and flight.entry is not None:
            return flight.entry
        failure = flight.failure if finished else None
        if failure is None:
            failure = WebhookVerificationError(
                Failure.KEY_UNAVAILABLE, f"Plaid did not return key id {_shown(kid)} within {waited:g} s"
            )
        elif failure.reason is not Failure.KEY_UNAVAILABLE:
            raise _again(failure)
        return self._fallback(kid, now, failure)

    def _fallback(self, kid: str, now: float, failure: WebhookVerificationError) -> _CachedKey:
        """A key Plaid confirmed before stays usable while Plaid cannot be asked about it."""
        entry = self._keys.get(kid)
        if entry is not None and entry.public_key is not None and self._trusted(entry, now):
            return entry
        raise _again(failure)

    def _trusted(self, entry: _CachedKey, now: float) -> bool:
        return now - entry.fetched_at < self._key_ttl + MAX_KEY_STALENESS


_CREDENTIAL_ERRORS = frozenset({"INVALID_API_KEYS", "UNAUTHORIZED_ENVIRONMENT", "UNAUTHORIZED_ROUTE_ACCESS"})
"""Plaid's codes for a client that may not ask: they say nothing about the key id."""


def _fetch_failure(kid: str, exc: Exception) -> WebhookVerificationError:
    """The verdict when the key callable raised: Plaid refused the kid, or could not be asked."""
    if isinstance(exc, WebhookVerificationError):
        return exc
    credentials = isinstance(exc, APIStatusError) and (
        exc.status_code in (401, 403) or exc.error_code in _CREDENTIAL_ERRORS
    )
    if isinstance(exc, InvalidInputError) and not credentials:
        verdict = WebhookVerificationError(
            Failure.UNKNOWN_KEY, f"Plaid refused key id {_shown(kid)} ({exc.error_code or exc.status_code})"
        )
    elif isinstance(exc, APIStatusError):
        what = "refused this client's credentials" if credentials else "failed"
        verdict = WebhookVerificationError(
            Failure.KEY_UNAVAILABLE,
            f"Plaid {what} when asked for key id {_shown(kid)} (HTTP {exc.status_code}, {exc.error_code})",
        )
    else:
        verdict = WebhookVerificationError(
            Failure.KEY_UNAVAILABLE, f"could not fetch key id {_shown(kid)}: {type(exc).__name__}"
        )
    verdict.__cause__ = exc
    return verdict


def _cache_entry(kid: str, key: VerificationKey, now: float, key_ttl: float) -> _CachedKey:
    """Check the key Plaid returned and build the PyJWT key once, for every later webhook."""
    if key.expired_at is not None:
        return _CachedKey(None, now, now + key_ttl)
    if (key.kid, key.alg, key.kty, key.crv) != (kid, ALGORITHM, "EC", "P-256"):
        raise WebhookVerificationError(Failure.UNKNOWN_KEY, f"key id {_shown(kid)} is not an ES256 P-256 key")
    use = getattr(key, "use", None)
    operations = getattr(key, "key_ops", None)
    if (use is not None and use != "sig") or (
        operations is not None and (not isinstance(operations, list | tuple) or "verify" not in operations)
    ):
        raise WebhookVerificationError(
            Failure.UNKNOWN_KEY, f"key id {_shown(kid)} is not meant for verifying signatures (use, key_ops)"
        )
    try:
        public_key = ECAlgorithm.from_jwk({"kty": "EC", "crv": "P-256", "x": key.x, "y": key.y})
    except (jwt.InvalidKeyError, ValueError):  # cryptography raises ValueError for a point off the curve
        raise WebhookVerificationError(
            Failure.UNKNOWN_KEY, f"key id {_shown(kid)} is not a valid P-256 public key"
        ) from None
    if not isinstance(public_key, EllipticCurvePublicKey):
        raise WebhookVerificationError(Failure.UNKNOWN_KEY, f"key id {_shown(kid)} is not a public key")
    return _CachedKey(public_key, now, now + key_ttl)
