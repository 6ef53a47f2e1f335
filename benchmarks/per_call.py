"""Group 1: one call per operation on `httpx.MockTransport`: our client vs raw httpx vs plaid-python.

No network and no server: what is left is each library's own work per call (building and checking
the request, headers, the transport plumbing, parsing the JSON into models).
"""

from __future__ import annotations

import httpx

from benchmarks._contenders import (
    OURS,
    OURS_WITH_YOUR_CLIENT,
    new_client,
    official_cases,
    official_note,
    own_client_on,
    samplers_for,
)
from benchmarks._fixtures import BASE_URL, example_handler, responses_by_path
from benchmarks._harness import interleave
from benchmarks._official import FakePool, official_api
from benchmarks._results import Group

OVERHEAD_LIMIT = 0.9
"""Our call at most 0.9x of raw `httpx.Client.post` + `json.loads` (issue 16.3)."""
OFFICIAL_SPEEDUP = 3.0
"""At least 3x faster than plaid-python on `/user_account/session/get` (issue 16.3)."""
OFFICIAL_SPEEDUP_CASE = "userAccountSessionGet"


def run(rounds: int) -> list[Group]:
    """A group per operation, `rounds` interleaved rounds each."""
    served, findings = official_cases()
    bodies = responses_by_path(served)
    transport = httpx.MockTransport(example_handler(bodies))
    clients = {
        OURS: own_client_on(transport),
        OURS_WITH_YOUR_CLIENT: new_client(BASE_URL, httpx.Client(transport=transport)),
    }
    raw = httpx.Client(transport=transport)
    api = official_api(pool=FakePool(bodies))
    groups = []
    for case in served:
        samplers = samplers_for(clients, raw, BASE_URL, api, case)
        group = Group(
            key=f"per_call.{case.operation_id}",
            title=f"per call, mock transport, {case.operation_id}",
            unit="µs/call",
            scale=1e6,
            samples=interleave(samplers, rounds),
            notes=official_note(case.operation_id, findings[case.operation_id]),
            details={"plaid_python": findings[case.operation_id]},
        )
        group.target("overhead vs raw httpx", group.ratio(OURS, "raw httpx"), "<=", OVERHEAD_LIMIT)
        group.ratio(OURS_WITH_YOUR_CLIENT, "raw httpx")
        if "plaid-python" in samplers:
            speedup = group.ratio("plaid-python", OURS)
            if case.operation_id == OFFICIAL_SPEEDUP_CASE:
                group.target("speed-up vs plaid-python", speedup, ">=", OFFICIAL_SPEEDUP)
        groups.append(group)
    for client in clients.values():
        client.close()
    raw.close()
    return groups
