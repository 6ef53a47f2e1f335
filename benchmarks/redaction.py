"""Group 9: masking a 1 MB error body, as every non-2xx response does to build `APIStatusError.body`.

Two bodies of 1 MiB: a JSON error whose message is padded with ordinary prose, and an adversarial
run of `secret-secret-...` (the shape that took 45 s for 5,000 characters before the patterns were
made linear). `scrub_text` as the client runs it scans the first `MAX_SCANNED` (64 KiB) characters;
the rows "whole" scan all of the text given, with the cap lifted, to show the patterns' own cost.
The baseline is the whole scan of the body's first 64 KiB: a linear scan of 16 times as much text
takes about 16 times as long, a quadratic one 256 times.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from benchmarks._harness import Sampler, interleave, per_call
from benchmarks._results import Group

MEGABYTE = 1 << 20
SECRETS = ("client-secret",)
LINEAR_LIMIT = 24.0
"""Scanning 16x the text at most 24x the time: linear, with room for noise and cache effects."""


def _bodies() -> dict[str, str]:
    prose = "The request could not be completed, please try again later. " * (MEGABYTE // 61)
    error = {"error_type": "API_ERROR", "error_code": "INTERNAL_SERVER_ERROR", "error_message": prose}
    return {"JSON error": json.dumps(error), "adversarial": "secret-" * (MEGABYTE // 7)}


def _capped(scrub: Callable[[str, tuple[str, ...]], str], text: str) -> Callable[[], object]:
    """`scrub_text` as the client runs it, over its first `MAX_SCANNED` characters."""
    return lambda: scrub(text, SECRETS)


def _whole(text: str) -> Callable[[], object]:
    """`scrub_text` over all of `text`, with the cap lifted for the call."""
    from plaid_layer import _redact

    def scrub() -> object:
        capped, _redact.MAX_SCANNED = _redact.MAX_SCANNED, len(text)
        try:
            return _redact.scrub_text(text, SECRETS)
        finally:
            _redact.MAX_SCANNED = capped

    return scrub


def run(rounds: int) -> list[Group]:
    """One group: `scrub_text` of each 1 MB body as the client runs it, and whole, vs 64 KiB whole."""
    from plaid_layer._redact import MAX_SCANNED, scrub_text

    samplers: dict[str, Sampler] = {}
    for name, body in _bodies().items():
        samplers[f"scrub_text, 1 MB {name}"] = per_call(_capped(scrub_text, body))
        samplers[f"whole, 1 MB {name}"] = per_call(_whole(body))
        samplers[f"whole, first 64 KiB of {name}"] = per_call(_whole(body[:MAX_SCANNED]))
    group = Group(
        key="redaction",
        title="masking a 1 MB error body",
        unit="ms/body",
        scale=1e3,
        samples=interleave(samplers, rounds),
    )
    for name in _bodies():
        ratio = group.ratio(f"whole, 1 MB {name}", f"whole, first 64 KiB of {name}")
        group.target(f"16x the {name} text, linear time", ratio, "<=", LINEAR_LIMIT)
    return [group]
