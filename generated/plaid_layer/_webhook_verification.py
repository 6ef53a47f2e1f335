# Copied by layer-codegen from templates/runtime/_webhook_verification.py, unchanged; do not edit here: edit that file, then nox -s generate
"""Checking that a webhook really comes from Plaid, following Plaid's published procedure.

Every webhook carries a `Plaid-Verification` header: a compact JWT signed with ES256. Its header
names the signing key (`kid`); its payload holds `iat` (Unix seconds) and `request_body_sha256`
(the hex SHA-256 of the raw body). The checks, in order, each with its failure reason:

1. exactly one distinct `Plaid-Verification` value (any case)   MISSING_HEADER / MALFORMED_TOKEN
2. the JWT header says `alg: ES256` and names a `kid`            BAD_ALGORITHM / MALFORMED_TOKEN
   (checked before any key is fetched, so `none`/HS256 tricks cost nothing)
3. Plaid knows the key and has not rotated it out                UNKNOWN_KEY / EXPIRED_KEY
                                                                 (KEY_UNAVAILABLE if Plaid is down)
4. the signature is valid for that key (PyJWT + cryptography)   BAD_SIGNATURE
5. `iat` is at most `max_age` old and not in the future          STALE
6. the body's SHA-256 equals the claim (constant time)           BODY_MISMATCH

Keys are fetched through a callable (the generated `webhooks.py` passes the client's
`webhook_verification_key_get`), built into a PyJWT key once, and kept in a small LRU cache. Each
unknown `kid` is fetched once, however many webhooks name it at the same moment: later callers
wait for the first one's answer instead of asking Plaid again.
"""

from __future__ import annotations

import asyncio
import binascii
import hashlib
import hmac
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from jwt.algorithms import ECAlgorithm
from jwt.utils import base64url_decode

from ._exceptions import (
    APIStatusError,
    PlaidLayerError,
    RateLimitError,
    WebhookVerificationError,
)
from ._exceptions import WebhookVerificationFailure as Failure

HEADER_NAME = "plaid-verification"
ALGORITHM = "ES256"
DEFAULT_MAX_AGE = 300.0
"""Plaid's rule: reject a webhook whose token is more than 5 minutes old."""
MAX_CLOCK_SKEW = 30.0
"""How far in the future `iat` may be, for clocks that are slightly apart."""
DEFAULT_CACHE_SIZE = 32
DEFAULT_KEY_TTL = 3600.0
"""How long a fetched key is trusted before asking Plaid again, so that a rotated-out key is noticed."""

# PyJWT checks the signature and that the claims exist; the time checks are ours, so that they use
# the verifier's clock and report STALE rather than PyJWT's own errors.
_DECODE_OPTIONS: jwt.types.Options = {
    "verify_signature": True,
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "verify_aud": False,
    "verify_iss": False,
    "verify_sub": False,
    "verify_jti": False,
    "require": ["iat", "request_body_sha256"],
}

Headers = Mapping[str, str] | httpx.Headers | Iterable[tuple[str, str]] | Iterable[tuple[bytes, bytes]]
"""Request headers: a mapping (any case), `httpx.Headers`, or (name, value) pairs, `str` or ASGI `bytes`."""

WebhookT = TypeVar("WebhookT")
EventT = TypeVar("EventT", threading.Event, asyncio.Event)


class VerificationKey(Protocol):
    """What the key callable returns: Plaid's `JWKPublicKey` model, or anything shaped like it."""

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


class _KeyCache:
    """An LRU map from `kid` to `_CachedKey` whose entries go stale after `ttl` seconds; not locked."""

    def __init__(self, size: int, ttl: float) -> None:
        self._entries: OrderedDict[str, _CachedKey] = OrderedDict()
        self._size = size
        self._ttl = ttl

    def get(self, kid: str, now: float) -> _CachedKey | None:
        entry = self._entries.get(kid)
        if entry is None or now - entry.fetched_at >= self._ttl:
            return None
        self._entries.move_to_end(kid)
        return entry

    def put(self, kid: str, entry: _CachedKey) -> None:
        self._entries[kid] = entry
        self._entries.move_to_end(kid)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)


@dataclass(slots=True)
class _Flight(Generic[EventT]):
    """One fetch of one `kid` in progress; callers that need the same key wait on `done`."""

    done: EventT
    entry: _CachedKey | None = None
    failure: WebhookVerificationError | None = None

    def outcome(self) -> _CachedKey | None:
        """The fetched key; re-raise the fetch's verdict; `None` if the fetch died without one."""
        if self.failure is not None:
            # A fresh exception per waiting caller: sharing one would tangle their tracebacks.
            raise WebhookVerificationError(self.failure.reason, self.failure.detail)
        return self.entry


def verification_token(headers: Headers) -> str:
    """The `Plaid-Verification` JWT, its name matched in any case (HTTP/2 sends it lowercase)."""
    if isinstance(headers, httpx.Headers):
        pairs: Iterable[tuple[str, str] | tuple[bytes, bytes]] = headers.multi_items()
    elif isinstance(headers, Mapping):
        pairs = headers.items()
    else:
        pairs = headers
    values = set()
    for name, value in pairs:
        if isinstance(name, bytes):
            name = name.decode("latin-1")
        if name.lower() == HEADER_NAME:
            values.add((value.decode("latin-1") if isinstance(value, bytes) else value).strip())
    values.discard("")
    if not values:
        raise WebhookVerificationError(Failure.MISSING_HEADER, "no Plaid-Verification header")
    if len(values) > 1:
        raise WebhookVerificationError(Failure.MALFORMED_TOKEN, "conflicting Plaid-Verification headers")
    return values.pop()


def signing_key_id(token: str) -> str:
    """The `kid` from the JWT header, once the header has been read and `alg` is ES256."""
    # Only the header is decoded here; `jwt.decode` checks the whole token afterwards. PyJWT's own
    # `get_unverified_header` parses the full token too, which doubled the cost of a verification.
    segments = token.split(".")
    try:
        if len(segments) != 3:
            raise ValueError("not three segments")
        header = json.loads(base64url_decode(segments[0]))
        if not isinstance(header, dict):
            raise ValueError("header is not an object")
    except (ValueError, binascii.Error):
        raise WebhookVerificationError(
            Failure.MALFORMED_TOKEN, "the Plaid-Verification header is not a JWT"
        ) from None
    if header.get("alg") != ALGORITHM:
        raise WebhookVerificationError(Failure.BAD_ALGORITHM, f"the JWT must be signed with {ALGORITHM}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise WebhookVerificationError(Failure.MALFORMED_TOKEN, "the JWT header has no key id (kid)")
    return kid


def _shown(kid: str) -> str:
    """A key id for a message: it comes from the request, so keep it short and escaped."""
    return repr(kid if len(kid) <= 64 else kid[:64] + "...")


def _fetch_failure(kid: str, exc: PlaidLayerError) -> WebhookVerificationError:
    """The verdict when Plaid's key endpoint raised: a refused kid, or no answer at all."""
    if isinstance(exc, APIStatusError) and exc.status_code < 500 and not isinstance(exc, RateLimitError):
        return WebhookVerificationError(
            Failure.UNKNOWN_KEY, f"Plaid refused key id {_shown(kid)} ({exc.error_code or exc.status_code})"
        )
    return WebhookVerificationError(
        Failure.KEY_UNAVAILABLE, f"could not fetch key id {_shown(kid)}: {type(exc).__name__}"
    )


def _cache_entry(kid: str, key: VerificationKey, now: float) -> _CachedKey:
    """Check the key Plaid returned and build the PyJWT key once, for every later webhook."""
    if key.expired_at is not None:
        return _CachedKey(None, now)
    if (key.kid, key.alg, key.kty, key.crv) != (kid, ALGORITHM, "EC", "P-256"):
        raise WebhookVerificationError(Failure.UNKNOWN_KEY, f"key id {_shown(kid)} is not an ES256 P-256 key")
    try:
        public_key = ECAlgorithm.from_jwk({"kty": "EC", "crv": "P-256", "x": key.x, "y": key.y})
    except (jwt.InvalidKeyError, ValueError):  # cryptography raises ValueError for a point off the curve
        raise WebhookVerificationError(
            Failure.UNKNOWN_KEY, f"key id {_shown(kid)} is not a valid P-256 public key"
        ) from None
    if not isinstance(public_key, EllipticCurvePublicKey):
        raise WebhookVerificationError(Failure.UNKNOWN_KEY, f"key id {_shown(kid)} is not a public key")
    return _CachedKey(public_key, now)


class _VerifierBase:
    """The checks after the key is known, and the options they use; shared by both verifiers."""

    def __init__(
        self, *, max_age: float, clock: Callable[[], float], cache_size: int, key_ttl: float
    ) -> None:
        if max_age <= 0:
            raise ValueError("max_age must be positive")
        if cache_size < 1:
            raise ValueError("cache_size must be at least 1")
        self._max_age = max_age
        self._clock = clock
        self._cache = _KeyCache(cache_size, key_ttl)

    def check_token(self, token: str, kid: str, entry: _CachedKey, body: bytes) -> None:
        """Steps 4 to 6: signature, age, body hash."""
        if entry.public_key is None:
            raise WebhookVerificationError(
                Failure.EXPIRED_KEY, f"key id {_shown(kid)} has been rotated out by Plaid"
            )
        try:
            claims = jwt.decode(token, entry.public_key, algorithms=[ALGORITHM], options=_DECODE_OPTIONS)
        except jwt.InvalidSignatureError:
            raise WebhookVerificationError(
                Failure.BAD_SIGNATURE, "the JWT signature does not match the key"
            ) from None
        except jwt.MissingRequiredClaimError as exc:
            raise WebhookVerificationError(
                Failure.MALFORMED_TOKEN, f"the JWT has no {exc.claim!r} claim"
            ) from None
        except jwt.InvalidTokenError:
            raise WebhookVerificationError(Failure.MALFORMED_TOKEN, "the JWT cannot be decoded") from None
        issued_at = claims["iat"]
        if isinstance(issued_at, bool) or not isinstance(issued_at, int | float):
            raise WebhookVerificationError(Failure.MALFORMED_TOKEN, "the JWT's iat is not a number")
        age = self._clock() - issued_at
        if age > self._max_age:
            raise WebhookVerificationError(
                Failure.STALE, f"the JWT was issued {age:.0f} s ago (limit {self._max_age:.0f} s)"
            )
        if age < -MAX_CLOCK_SKEW:
            raise WebhookVerificationError(Failure.STALE, f"the JWT was issued {-age:.0f} s in the future")
        claimed = claims["request_body_sha256"]
        if not isinstance(claimed, str):
            raise WebhookVerificationError(
                Failure.MALFORMED_TOKEN, "the JWT's request_body_sha256 is not a string"
            )
        actual = hashlib.sha256(body).hexdigest()
        if not hmac.compare_digest(actual.encode(), claimed.lower().encode()):
            raise WebhookVerificationError(
                Failure.BODY_MISMATCH, "the body is not the one the JWT was signed for"
            )


def _raw(body: bytes | bytearray) -> bytes:
    """The body must be the bytes as received: re-serialised JSON hashes differently."""
    if not isinstance(body, bytes | bytearray):
        raise TypeError(f"pass the raw request body as bytes, not {type(body).__name__}")
    return body if isinstance(body, bytes) else bytes(body)


class BaseWebhookVerifier(_VerifierBase, Generic[WebhookT]):
    """Verifies webhooks in blocking code; one instance may be shared by every thread.

    The generated `plaid_layer.webhooks.WebhookVerifier` builds this from a `PlaidLayer` client.
    """

    def __init__(
        self,
        fetch_key: Callable[[str], VerificationKey],
        parse: Callable[[bytes], WebhookT],
        *,
        max_age: float = DEFAULT_MAX_AGE,
        clock: Callable[[], float] = time.time,
        cache_size: int = DEFAULT_CACHE_SIZE,
        key_ttl: float = DEFAULT_KEY_TTL,
    ) -> None:
        super().__init__(max_age=max_age, clock=clock, cache_size=cache_size, key_ttl=key_ttl)
        self._fetch_key = fetch_key
        self._parse = parse
        self._lock = threading.Lock()
        self._flights: dict[str, _Flight[threading.Event]] = {}

    def verify(self, body: bytes | bytearray, headers: Headers) -> None:
        """Raise `WebhookVerificationError` unless Plaid signed exactly this body, recently."""
        raw = _raw(body)
        token = verification_token(headers)
        kid = signing_key_id(token)
        self.check_token(token, kid, self._key(kid), raw)

    def verify_and_parse(self, body: bytes | bytearray, headers: Headers) -> WebhookT:
        """Verify the webhook, then parse it (see `parse_webhook`)."""
        self.verify(body, headers)
        return self._parse(_raw(body))

    def _key(self, kid: str) -> _CachedKey:
        while True:
            with self._lock:
                entry = self._cache.get(kid, self._clock())
                if entry is not None:
                    return entry
                flight = self._flights.get(kid)
                leading = flight is None
                if flight is None:
                    flight = self._flights[kid] = _Flight(threading.Event())
            if leading:
                return self._fetch(kid, flight)
            flight.done.wait()
            entry = flight.outcome()
            if entry is not None:
                return entry

    def _fetch(self, kid: str, flight: _Flight[threading.Event]) -> _CachedKey:
        try:
            try:
                key = self._fetch_key(kid)
            except PlaidLayerError as exc:
                raise _fetch_failure(kid, exc) from exc
            flight.entry = _cache_entry(kid, key, self._clock())
            return flight.entry
        except WebhookVerificationError as exc:
            flight.failure = exc
            raise
        finally:
            with self._lock:
                del self._flights[kid]
                if flight.entry is not None:
                    self._cache.put(kid, flight.entry)
            flight.done.set()


class BaseAsyncWebhookVerifier(_VerifierBase, Generic[WebhookT]):
    """Verifies webhooks in asyncio code; one instance may be shared by the tasks of one event loop.

    The generated `plaid_layer.webhooks.AsyncWebhookVerifier` builds this from an `AsyncPlaidLayer`.
    """

    def __init__(
        self,
        fetch_key: Callable[[str], Awaitable[VerificationKey]],
        parse: Callable[[bytes], WebhookT],
        *,
        max_age: float = DEFAULT_MAX_AGE,
        clock: Callable[[], float] = time.time,
        cache_size: int = DEFAULT_CACHE_SIZE,
        key_ttl: float = DEFAULT_KEY_TTL,
    ) -> None:
        super().__init__(max_age=max_age, clock=clock, cache_size=cache_size, key_ttl=key_ttl)
        self._fetch_key = fetch_key
        self._parse = parse
        self._flights: dict[str, _Flight[asyncio.Event]] = {}

    async def verify(self, body: bytes | bytearray, headers: Headers) -> None:
        """Raise `WebhookVerificationError` unless Plaid signed exactly this body, recently."""
        raw = _raw(body)
        token = verification_token(headers)
        kid = signing_key_id(token)
        self.check_token(token, kid, await self._key(kid), raw)

    async def verify_and_parse(self, body: bytes | bytearray, headers: Headers) -> WebhookT:
        """Verify the webhook, then parse it (see `parse_webhook`)."""
        await self.verify(body, headers)
        return self._parse(_raw(body))

    async def _key(self, kid: str) -> _CachedKey:
        # No lock: nothing between the lookup and registering the flight awaits, so tasks of one
        # loop cannot interleave there.
        while True:
            entry = self._cache.get(kid, self._clock())
            if entry is not None:
                return entry
            flight = self._flights.get(kid)
            if flight is None:
                flight = self._flights[kid] = _Flight(asyncio.Event())
                return await self._fetch(kid, flight)
            await flight.done.wait()
            entry = flight.outcome()
            if entry is not None:
                return entry

    async def _fetch(self, kid: str, flight: _Flight[asyncio.Event]) -> _CachedKey:
        try:
            try:
                key = await self._fetch_key(kid)
            except PlaidLayerError as exc:
                raise _fetch_failure(kid, exc) from exc
            flight.entry = _cache_entry(kid, key, self._clock())
            return flight.entry
        except WebhookVerificationError as exc:
            flight.failure = exc
            raise
        finally:
            del self._flights[kid]
            if flight.entry is not None:
                self._cache.put(kid, flight.entry)
            flight.done.set()
