"""Group 2: one call per operation over real HTTP to a server on 127.0.0.1.

The same three contenders as `per_call`, now with sockets, HTTP/1.1 parsing and connection
pooling in the path. The server runs in a thread of this process, so its work (and the GIL it
holds) is in every contender's time alike: ratios here are closer to 1 than in `per_call`.
"""

from __future__ import annotations

import httpx

from benchmarks._contenders import OURS, OURS_WITH_YOUR_CLIENT, new_client, official_cases, samplers_for
from benchmarks._fixtures import responses_by_path
from benchmarks._harness import interleave
from benchmarks._loopback_server import loopback_server
from benchmarks._official import official_api
from benchmarks._results import Group


def run(rounds: int) -> list[Group]:
    """A group per operation, `rounds` interleaved rounds each."""
    served, _ = official_cases()
    groups = []
    with loopback_server(responses_by_path(served)) as base_url:
        clients = {
            OURS: new_client(base_url, None),
            OURS_WITH_YOUR_CLIENT: new_client(base_url, httpx.Client()),
        }
        raw = httpx.Client()
        api = official_api(host=base_url)
        for case in served:
            samplers = samplers_for(clients, raw, base_url, api, case)
            group = Group(
                key=f"loopback.{case.operation_id}",
                title=f"per call, loopback HTTP, {case.operation_id}",
                unit="µs/call",
                scale=1e6,
                samples=interleave(samplers, rounds),
            )
            group.ratio(OURS, "raw httpx")
            group.ratio(OURS_WITH_YOUR_CLIENT, "raw httpx")
            if "plaid-python" in samplers:
                group.ratio("plaid-python", OURS)
            groups.append(group)
        for client in clients.values():
            client.close()
        raw.close()
        api.api_client.close()
    return groups
