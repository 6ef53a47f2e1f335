"""Group 1: one call per operation on `httpx.MockTransport`: our client vs raw httpx vs plaid-python.

No network and no server: what is left is each library's own work per call (building and checking
the request, headers, the transport plumbing, parsing the JSON into models).
"""

from __future__ import annotations

import httpx

from benchmarks._contenders import new_client, official_cases, official_note, samplers_for
from benchmarks._fixtures import BASE_URL, example_handler, responses_by_path
from benchmarks._harness import interleave
from benchmarks._official import FakePool, official_api
from benchmarks._results import Group

OVERHEAD_LIMIT = 1.15
OFFICIAL_SPEEDUP = 2.5


def run(rounds: int) -> list[Group]:
    """A group per operation, `rounds` interleaved rounds each."""
    served, findings = official_cases()
    bodies = responses_by_path(served)
    transport = httpx.MockTransport(example_handler(bodies))
    client = new_client(BASE_URL, httpx.Client(transport=transport))
    raw = httpx.Client(transport=transport)
    api = official_api(pool=FakePool(bodies))
    groups = []
    for case in served:
        samplers = samplers_for(client, raw, BASE_URL, api, case)
        group = Group(
            key=f"per_call.{case.operation_id}",
            title=f"per call, mock transport, {case.operation_id}",
            unit="µs/call",
            scale=1e6,
            samples=interleave(samplers, rounds),
            notes=official_note(case.operation_id, findings[case.operation_id]),
            details={"plaid_python": findings[case.operation_id]},
        )
        overhead = group.ratio("plaid_layer", "raw httpx")
        group.target("overhead vs raw httpx", overhead, "<=", OVERHEAD_LIMIT)
        if "plaid-python" in samplers:
            group.target(
                "speed-up vs plaid-python", group.ratio("plaid-python", "plaid_layer"), ">=", OFFICIAL_SPEEDUP
            )
        groups.append(group)
    client.close()
    raw.close()
    return groups
