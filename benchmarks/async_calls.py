"""Group 3: many concurrent calls with asyncio.gather: our AsyncPlaidLayer vs raw httpx.AsyncClient.

Both run on the same `httpx.MockTransport`; each round gathers `CONCURRENCY` calls that cycle
through every operation's documented example, and a sample is the round's time per call.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from benchmarks._contenders import official_cases
from benchmarks._fixtures import (
    BASE_URL,
    CLIENT_ID,
    RAW_HEADERS,
    SECRET,
    Case,
    example_handler,
    responses_by_path,
)
from benchmarks._harness import Sampler, interleave
from benchmarks._results import Group

CONCURRENCY = 200


def _ours(client: Any, case: Case) -> Callable[[], Awaitable[Any]]:
    method = getattr(client, case.method_name)
    return lambda: method(**case.request)


def _floor(http: httpx.AsyncClient, case: Case) -> Callable[[], Awaitable[Any]]:
    url = BASE_URL + case.path

    async def call() -> Any:
        return json.loads((await http.post(url, json=case.request, headers=RAW_HEADERS)).content)

    return call


def _gathering(runner: asyncio.Runner, calls: list[Callable[[], Awaitable[Any]]]) -> Sampler:
    async def round_trip() -> None:
        await asyncio.gather(*(calls[i % len(calls)]() for i in range(CONCURRENCY)))

    def sample() -> float:
        gc.collect()
        started = time.perf_counter()
        runner.run(round_trip())
        return (time.perf_counter() - started) / CONCURRENCY

    for _ in range(2):
        sample()
    return sample


def run(rounds: int) -> list[Group]:
    """One group, `rounds` interleaved rounds of `CONCURRENCY` gathered calls per contender."""
    from plaid_layer import AsyncPlaidLayer

    served, _ = official_cases()
    transport = httpx.MockTransport(example_handler(responses_by_path(served)))
    with asyncio.Runner() as runner:
        client = AsyncPlaidLayer(
            client_id=CLIENT_ID,
            secret=SECRET,
            base_url=BASE_URL,
            http_client=httpx.AsyncClient(transport=transport),
        )
        raw = httpx.AsyncClient(transport=transport)
        samplers = {
            "AsyncPlaidLayer": _gathering(runner, [_ours(client, case) for case in served]),
            "raw httpx.AsyncClient": _gathering(runner, [_floor(raw, case) for case in served]),
        }
        group = Group(
            key="async",
            title=f"async, {CONCURRENCY} concurrent calls per round, mock transport",
            unit="µs/call",
            scale=1e6,
            samples=interleave(samplers, rounds),
        )
        runner.run(client.close())
        runner.run(raw.aclose())
    group.ratio("AsyncPlaidLayer", "raw httpx.AsyncClient")
    return [group]
