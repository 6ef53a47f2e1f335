# Copied by layer-codegen from templates/runtime/_webhook_verification.py, unchanged; do not edit here: edit that file, then nox -s generate
"""Checking that a webhook really comes from Plaid, following Plaid's published procedure.

Every webhook carries a `Plaid-Verification` header: a compact JWT signed with ES256. Its header
names the signing key (`kid`); its payload holds `iat` (Unix seconds) and `request_body_sha256`
(the hex SHA-256 of the raw body). The checks, in order, each with its failure reason:

1. exactly one distinct `Plaid-Verification` value (any case)   MISSING_HEADER / MALFORMED_TOKEN
2. a JWT of sane size whose header says `alg: ES256`, names a   BAD_ALGORITHM / MALFORMED_TOKEN
   Plaid-shaped `kid` and carries a 64-byte signature
   (all checked before any key is fetched, so forgeries cost nothing)
3. Plaid knows the key and has not rotated it out                UNKNOWN_KEY / EXPIRED_KEY
                                                                 (KEY_UNAVAILABLE if Plaid is down)
4. the signature is valid for that key (PyJWT + cryptography)   BAD_SIGNATURE
5. `iat` is at most `max_age` old and not in the future, and    STALE
   `exp`/`nbf`, when present, allow the current time
6. the body's SHA-256 equals the claim (constant time)           BODY_MISMATCH

Whatever the headers hold (any shape, any nesting, any size), the verifier raises only
`WebhookVerificationError`; a non-bytes body is a programming error (`TypeError`).

Keys are fetched through a callable (the generated `webhooks.py` passes the client's
`webhook_verification_key_get`) and kept by the key book in `_webhook_keys`, which bounds the
fetches a forged `kid` can cause. A verification waits at most `key_fetch_deadline` seconds for one.

ECDSA signatures are malleable: with (r, s) valid, (r, n - s) is too, so one webhook can arrive
under two different tokens. Deduplicate deliveries on the body (Plaid also redelivers), never on
the token. Padded or non-canonical base64 spellings of a signature are refused.
"""

from __future__ import annotations

import asyncio
import binascii
import contextlib
import hashlib
import hmac
import json
import math
import re
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Generic, TypeVar

import httpx
import jwt
from jwt.utils import base64url_decode

from ._exceptions import WebhookVerificationError
from ._exceptions import WebhookVerificationFailure as Failure
from ._webhook_keys import ALGORITHM as ALGORITHM
from ._webhook_keys import KEY_FETCH_BURST as KEY_FETCH_BURST
from ._webhook_keys import KEY_FETCH_INTERVAL as KEY_FETCH_INTERVAL
from ._webhook_keys import KEY_RETRY_AFTER as KEY_RETRY_AFTER
from ._webhook_keys import MAX_KEY_STALENESS as MAX_KEY_STALENESS
from ._webhook_keys import MAX_KID_LENGTH as MAX_KID_LENGTH
from ._webhook_keys import VerificationKey as VerificationKey
from ._webhook_keys import _cache_entry, _CachedKey, _fetch_failure, _Flight, _KeyBook, _shown

HEADER_NAME = "plaid-verification"
DEFAULT_MAX_AGE = 300.0
"""Plaid's rule: reject a webhook whose token is more than 5 minutes old."""
MAX_CLOCK_SKEW = 30.0
"""How far in the future `iat` (or `nbf`) may be, and `exp` in the past, for clocks slightly apart."""
DEFAULT_CACHE_SIZE = 32
DEFAULT_KEY_TTL = 3600.0
"""How long a fetched key is trusted before asking Plaid again, so that a rotated-out key is noticed."""
DEFAULT_KEY_FETCH_DEADLINE = 4.0
"""How long a verification waits for Plaid's key endpoint; Plaid abandons a delivery after 10 s."""
MAX_TOKEN_LENGTH = 2048
"""Plaid's tokens are about 300 characters; anything far longer is refused before it is decoded."""
_MAX_NUMERIC_DATE = 2**53
"""The largest time claim taken as a number of seconds: beyond it a float cannot hold every second."""

_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")
"""Three base64url segments as JWS writes them: no padding, no other characters."""
_KID = re.compile(r"[A-Za-z0-9._:+/=-]+")
_SIGNATURE_LENGTH = 86
"""An ES256 signature is 64 bytes (r and s, 32 each): 86 base64url characters, 4 bits to spare."""
_CANONICAL_LAST = frozenset("AQgw")
"""The characters whose 4 spare bits are zero; decoders ignore those bits, so others respell a signature."""

# Tuples rather than `X | Y` on the hot path, which would build a new union object on every call.
_BODY_TYPES = (bytes, bytearray, memoryview)
_BYTES = (bytes, bytearray)
_MULTIPLE = (list, tuple)

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
"""Request headers: a mapping (any case), `httpx.Headers`, or (name, value) pairs, `str` or ASGI `bytes`.

A mapping may also give a list of values per name, as multi-value header dicts do.
"""

WebhookT = TypeVar("WebhookT")


def _header_values(headers: object) -> list[object]:
    """Every value given for `Plaid-Verification`, however the framework shaped the headers."""
    pairs: Iterable[object]
    if isinstance(headers, httpx.Headers):
        pairs = headers.multi_items()
    elif isinstance(headers, Mapping):
        pairs = headers.items()
    elif isinstance(headers, Iterable) and not isinstance(headers, str | bytes | bytearray):
        pairs = headers
    else:
        raise WebhookVerificationError(
            Failure.MISSING_HEADER, "the headers are neither a mapping nor (name, value) pairs"
        )
    values: list[object] = []
    for pair in pairs:
        if not isinstance(pair, _MULTIPLE) or len(pair) != 2:
            continue  # not a header at all, so not ours
        name, value = pair
        if isinstance(name, _BYTES):
            name = bytes(name).decode("latin-1")
        if isinstance(name, str) and name.lower() == HEADER_NAME:
            values.extend(value if isinstance(value, _MULTIPLE) else [value])
    return values


def verification_token(headers: Headers) -> str:
    """The `Plaid-Verification` JWT, its name matched in any case (HTTP/2 sends it lowercase)."""
    texts = set()
    for value in _header_values(headers):
        if isinstance(value, _BYTES):
            value = bytes(value).decode("latin-1")
        if not isinstance(value, str):
            raise WebhookVerificationError(Failure.MALFORMED_TOKEN, "a Plaid-Verification value is not text")
        texts.add(value.strip())
    texts.discard("")
    if not texts:
        raise WebhookVerificationError(Failure.MISSING_HEADER, "no Plaid-Verification header")
    if len(texts) > 1:
        raise WebhookVerificationError(Failure.MALFORMED_TOKEN, "conflicting Plaid-Verification headers")
    return texts.pop()


def _not_a_jwt() -> WebhookVerificationError:
    return WebhookVerificationError(Failure.MALFORMED_TOKEN, "the Plaid-Verification header is not a JWT")


def signing_key_id(token: str) -> str:
    """The `kid` from the JWT header, once the token's shape, `alg` and signature length are right."""
    # Only the header is decoded here; `jwt.decode` checks the whole token afterwards. PyJWT's own
    # `get_unverified_header` parses the full token too, which doubled the cost of a verification.
    if len(token) > MAX_TOKEN_LENGTH:
        raise WebhookVerificationError(
            Failure.MALFORMED_TOKEN,
            f"the Plaid-Verification header is longer than {MAX_TOKEN_LENGTH} characters",
        )
    if not _COMPACT_JWS.fullmatch(token):
        raise _not_a_jwt()
    segments = token.split(".")
    try:
        header = json.loads(base64url_decode(segments[0]))
    except (ValueError, binascii.Error, RecursionError):
        raise _not_a_jwt() from None
    if not isinstance(header, dict):
        raise _not_a_jwt()
    if header.get("alg") != ALGORITHM:
        raise WebhookVerificationError(Failure.BAD_ALGORITHM, f"the JWT must be signed with {ALGORITHM}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise WebhookVerificationError(Failure.MALFORMED_TOKEN, "the JWT header has no key id (kid)")
    if len(kid) > MAX_KID_LENGTH or not _KID.fullmatch(kid):
        raise WebhookVerificationError(
            Failure.MALFORMED_TOKEN, "the JWT's key id (kid) is not shaped like Plaid's"
        )
    signature = segments[2]
    if len(signature) != _SIGNATURE_LENGTH or signature[-1] not in _CANONICAL_LAST:
        raise WebhookVerificationError(
            Failure.MALFORMED_TOKEN, "the JWT signature is not 64 bytes in canonical base64url"
        )
    return kid


def _seconds(claims: dict[str, object], name: str) -> int:
    """A time claim as whole Unix seconds, or MALFORMED_TOKEN saying what is wrong with it."""
    value = claims[name]
    if isinstance(value, bool):
        problem = "a boolean"
    elif isinstance(value, float):
        problem = "not finite" if not math.isfinite(value) else "not an integer"
    elif not isinstance(value, int):
        problem = "not a number"
    elif not 0 <= value <= _MAX_NUMERIC_DATE:
        problem = "out of range"
    else:
        return value
    raise WebhookVerificationError(Failure.MALFORMED_TOKEN, f"the JWT's {name} is {problem}")


class _VerifierBase:
    """The checks after the key is known, and the options they use; shared by both verifiers."""

    def __init__(
        self,
        *,
        max_age: float,
        clock: Callable[[], float],
        cache_size: int,
        key_ttl: float,
        key_fetch_deadline: float,
    ) -> None:
        if not max_age > 0:
            raise ValueError("max_age must be positive")
        if cache_size < 1:
            raise ValueError("cache_size must be at least 1")
        if not key_ttl > 0:
            raise ValueError("key_ttl must be positive")
        if not 0 < key_fetch_deadline < math.inf:
            raise ValueError("key_fetch_deadline must be a positive number of seconds")
        self._max_age = max_age
        self._clock = clock
        self._key_ttl = key_ttl
        self._deadline = key_fetch_deadline

    def check_token(self, token: str, kid: str, entry: _CachedKey, body: bytes) -> None:
        """Steps 4 to 6: signature, time claims, body hash."""
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
        except (jwt.InvalidTokenError, RecursionError):
            raise WebhookVerificationError(Failure.MALFORMED_TOKEN, "the JWT cannot be decoded") from None
        self._check_times(claims)
        claimed = claims["request_body_sha256"]
        if not isinstance(claimed, str):
            raise WebhookVerificationError(
                Failure.MALFORMED_TOKEN, "the JWT's request_body_sha256 is not a string"
            )
        actual = hashlib.sha256(body).hexdigest()
        if not hmac.compare_digest(actual.encode(), claimed.lower().encode("utf-8", "replace")):
            raise WebhookVerificationError(
                Failure.BODY_MISMATCH, "the body is not the one the JWT was signed for"
            )

    def _check_times(self, claims: dict[str, object]) -> None:
        now = self._clock()
        age = now - _seconds(claims, "iat")
        if age > self._max_age:
            raise WebhookVerificationError(
                Failure.STALE, f"the JWT was issued {age:.0f} s ago (limit {self._max_age:.0f} s)"
            )
        if age < -MAX_CLOCK_SKEW:
            raise WebhookVerificationError(Failure.STALE, f"the JWT was issued {-age:.0f} s in the future")
        if "exp" in claims and now - MAX_CLOCK_SKEW >= _seconds(claims, "exp"):
            raise WebhookVerificationError(Failure.STALE, "the JWT has expired (exp)")
        if "nbf" in claims and now + MAX_CLOCK_SKEW < _seconds(claims, "nbf"):
            raise WebhookVerificationError(Failure.STALE, "the JWT is not valid yet (nbf)")

    def _entry(self, kid: str, key: VerificationKey) -> _CachedKey:
        return _cache_entry(kid, key, self._clock(), self._key_ttl)


def _raw(body: bytes | bytearray | memoryview) -> bytes:
    """The body must be the bytes as received: re-serialised JSON hashes differently."""
    if not isinstance(body, _BODY_TYPES):
        raise TypeError(f"pass the raw request body as bytes, not {type(body).__name__}")
    return body if isinstance(body, bytes) else bytes(body)


def _forget_locals(error: BaseException, outer: BaseException | None) -> None:
    """Clear the locals of the finished frames in `error`'s traceback and in those chained to it.

    The frames below a verification hold the body, the token, the key and (in a key fetch) the
    client's request headers; a traceback rendered with its locals (`pytest --showlocals`, rich,
    Sentry) would show them. The code and line numbers stay, so the traceback still reads as
    before. The chain stops at `outer`, the exception the caller was handling when it called us.
    """
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or current is outer or id(current) in seen:
            continue
        seen.add(id(current))
        tb = current.__traceback__
        while tb is not None:
            with contextlib.suppress(RuntimeError):  # a frame still running: the caller's own
                tb.tb_frame.clear()
            tb = tb.tb_next
        pending += [current.__cause__, current.__context__]


class BaseWebhookVerifier(_VerifierBase, Generic[WebhookT]):
    """Verifies webhooks in blocking code; one instance may be shared by every thread.

    The generated `webhooks.WebhookVerifier` builds this from the package's blocking client.
    A key fetch runs in a daemon thread, so that a verification can stop waiting for it at the
    deadline even when the HTTP call itself does not stop (a server dripping bytes, retries).
    """

    def __init__(
        self,
        fetch_key: Callable[[str, float], VerificationKey],
        parse: Callable[[bytes], WebhookT],
        *,
        max_age: float = DEFAULT_MAX_AGE,
        clock: Callable[[], float] = time.time,
        cache_size: int = DEFAULT_CACHE_SIZE,
        key_ttl: float = DEFAULT_KEY_TTL,
        key_fetch_deadline: float = DEFAULT_KEY_FETCH_DEADLINE,
    ) -> None:
        super().__init__(
            max_age=max_age,
            clock=clock,
            cache_size=cache_size,
            key_ttl=key_ttl,
            key_fetch_deadline=key_fetch_deadline,
        )
        self._fetch_key = fetch_key
        self._parse = parse
        self._lock = threading.Lock()
        self._book: _KeyBook[threading.Event] = _KeyBook(
            cache_size=cache_size, key_ttl=key_ttl, new_event=threading.Event
        )

    def verify(self, body: bytes | bytearray | memoryview, headers: Headers) -> None:
        """Raise `WebhookVerificationError` unless Plaid signed exactly this body, recently."""
        outer = sys.exception()
        try:
            self._verify(body, headers)
        except BaseException as exc:
            _forget_locals(exc, outer)
            del body, headers, outer
            raise

    def verify_and_parse(self, body: bytes | bytearray | memoryview, headers: Headers) -> WebhookT:
        """Verify the webhook, then parse it (see `parse_webhook`); raises only `WebhookError`s."""
        outer = sys.exception()
        try:
            self._verify(body, headers)
            return self._parse(_raw(body))
        except BaseException as exc:
            _forget_locals(exc, outer)
            del body, headers, outer
            raise

    def _verify(self, body: bytes | bytearray | memoryview, headers: Headers) -> None:
        raw = _raw(body)
        token = verification_token(headers)
        kid = signing_key_id(token)
        self.check_token(token, kid, self._key(kid), raw)

    def _key(self, kid: str) -> _CachedKey:
        with self._lock:
            found = self._book.lookup(kid, self._clock())
        if isinstance(found, _CachedKey):
            return found
        flight, leading = found
        if leading:
            fetch = threading.Thread(
                target=self._fetch, args=(kid, flight), name=f"{__package__} webhook key fetch", daemon=True
            )
            try:
                fetch.start()
            except RuntimeError as exc:  # the process is out of threads: a verdict, not a stuck flight
                flight.failure = _fetch_failure(kid, exc)
                with self._lock:
                    self._book.finish(kid, flight, self._clock())
        finished = flight.done.wait(self._deadline)
        with self._lock:
            return self._book.settle(kid, flight, finished, self._clock(), self._deadline)

    def _fetch(self, kid: str, flight: _Flight[threading.Event]) -> None:
        try:
            flight.entry = self._entry(kid, self._fetch_key(kid, self._deadline))
        except Exception as exc:  # whatever went wrong, the waiters get a verdict, not a hang
            flight.failure = _fetch_failure(kid, exc)
        finally:
            with self._lock:
                self._book.finish(kid, flight, self._clock())


class BaseAsyncWebhookVerifier(_VerifierBase, Generic[WebhookT]):
    """Verifies webhooks in asyncio code; one instance may be shared by the tasks of one event loop.

    The generated `webhooks.AsyncWebhookVerifier` builds this from the package's async client.
    A key fetch runs as its own task, so a cancelled or impatient caller does not cancel it for
    the others waiting on the same key.
    """

    def __init__(
        self,
        fetch_key: Callable[[str, float], Awaitable[VerificationKey]],
        parse: Callable[[bytes], WebhookT],
        *,
        max_age: float = DEFAULT_MAX_AGE,
        clock: Callable[[], float] = time.time,
        cache_size: int = DEFAULT_CACHE_SIZE,
        key_ttl: float = DEFAULT_KEY_TTL,
        key_fetch_deadline: float = DEFAULT_KEY_FETCH_DEADLINE,
    ) -> None:
        super().__init__(
            max_age=max_age,
            clock=clock,
            cache_size=cache_size,
            key_ttl=key_ttl,
            key_fetch_deadline=key_fetch_deadline,
        )
        self._fetch_key = fetch_key
        self._parse = parse
        # No lock: the book is only touched between awaits, so tasks of one loop cannot interleave.
        self._book: _KeyBook[asyncio.Event] = _KeyBook(
            cache_size=cache_size, key_ttl=key_ttl, new_event=asyncio.Event
        )
        self._fetches: set[asyncio.Task[None]] = set()
        """Running fetches, held so that the loop does not drop them half-way."""

    async def verify(self, body: bytes | bytearray | memoryview, headers: Headers) -> None:
        """Raise `WebhookVerificationError` unless Plaid signed exactly this body, recently."""
        outer = sys.exception()
        try:
            await self._verify(body, headers)
        except BaseException as exc:  # as in the blocking verifier
            _forget_locals(exc, outer)
            del body, headers, outer
            raise

    async def verify_and_parse(self, body: bytes | bytearray | memoryview, headers: Headers) -> WebhookT:
        """Verify the webhook, then parse it (see `parse_webhook`); raises only `WebhookError`s."""
        outer = sys.exception()
        try:
            await self._verify(body, headers)
            return self._parse(_raw(body))
        except BaseException as exc:
            _forget_locals(exc, outer)
            del body, headers, outer
            raise

    async def _verify(self, body: bytes | bytearray | memoryview, headers: Headers) -> None:
        raw = _raw(body)
        token = verification_token(headers)
        kid = signing_key_id(token)
        self.check_token(token, kid, await self._key(kid), raw)

    async def _key(self, kid: str) -> _CachedKey:
        found = self._book.lookup(kid, self._clock())
        if isinstance(found, _CachedKey):
            return found
        flight, leading = found
        if leading:
            task = asyncio.create_task(self._fetch(kid, flight))
            self._fetches.add(task)
            task.add_done_callback(self._fetches.discard)
        try:
            async with asyncio.timeout(self._deadline):
                await flight.done.wait()
        except TimeoutError:
            finished = False
        else:
            finished = True
        return self._book.settle(kid, flight, finished, self._clock(), self._deadline)

    async def _fetch(self, kid: str, flight: _Flight[asyncio.Event]) -> None:
        try:
            flight.entry = self._entry(kid, await self._fetch_key(kid, self._deadline))
        except Exception as exc:  # whatever went wrong, the waiters get a verdict, not a hang
            flight.failure = _fetch_failure(kid, exc)
        finally:
            self._book.finish(kid, flight, self._clock())
