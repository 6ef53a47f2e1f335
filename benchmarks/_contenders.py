"""The ways to make one Plaid call that the per-call groups compare.

- `ours`: the generated `PlaidLayer` client, arguments in, parsed pydantic model out, twice: over
  the `httpx.Client` it builds itself (`plaid_layer`) and over a plain `httpx.Client` passed as
  `http_client` (`plaid_layer, your httpx.Client`), which keeps httpx's cookie handling; and
  over its own client with `strict_response_validation=True`, which reads no body tolerantly.
- `floor`: raw `httpx.Client.post(json=...)` plus `json.loads`, the least any httpx SDK can do.
- `official`: plaid-python, building its request model and deserialising its response model.

`official_cases` also records what plaid-python cannot parse: the documented example of
`/user_account/session/get` lacks `link_session_id`, which plaid-python requires, so that case is
served (to every contender alike) with `"link_session_id": null` added.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from benchmarks._fixtures import BASE_URL, CLIENT_ID, RAW_HEADERS, SECRET, Case, cases, responses_by_path
from benchmarks._harness import Sampler, per_call
from benchmarks._official import FakePool, official_api, official_call

OFFICIAL_PATCHES: dict[str, dict[str, Any]] = {"userAccountSessionGet": {"link_session_id": None}}
"""Fields added to a documented response so that plaid-python can parse it."""


def ours(client: Any, case: Case) -> Callable[[], Any]:
    method = getattr(client, case.method_name)
    return lambda: method(**case.request)


def floor(http: httpx.Client, base_url: str, case: Case) -> Callable[[], Any]:
    url = base_url + case.path

    def call() -> Any:
        return json.loads(http.post(url, json=case.request, headers=RAW_HEADERS).content)

    return call


def samplers_for(
    clients: Mapping[str, Any], raw: httpx.Client, base_url: str, api: Any, case: Case
) -> dict[str, Sampler]:
    """The per-call samplers of one case: ours, the raw httpx floor, and plaid-python if it has the call."""
    samplers: dict[str, Sampler] = {name: per_call(ours(client, case)) for name, client in clients.items()}
    samplers["raw httpx"] = per_call(floor(raw, base_url, case))
    official = official_call(api, case)
    if official is not None:
        samplers["plaid-python"] = per_call(official)
    return samplers


OURS = "plaid_layer"
OURS_WITH_YOUR_CLIENT = "plaid_layer, your httpx.Client"
OURS_STRICT = "plaid_layer, strict_response_validation"


def new_client(base_url: str, http: httpx.Client | None, *, strict: bool = False) -> Any:
    """Our client; with `http=None`, over the `httpx.Client` it builds itself."""
    from plaid_layer import PlaidLayer

    return PlaidLayer(
        client_id=CLIENT_ID,
        secret=SECRET,
        base_url=base_url,
        http_client=http,
        strict_response_validation=strict,
    )


def own_client_on(transport: httpx.BaseTransport, *, strict: bool = False) -> Any:
    """Our client over the `httpx.Client` it builds itself, with `transport` in place of the network.

    The client it builds differs from a plain `httpx.Client` in its cookie jar (a no-op: the API
    sets no cookies) and its socket backend (`_deadline`), which a mock transport does not use.
    """
    from plaid_layer._send import ApiClient

    return new_client(BASE_URL, ApiClient(transport=transport), strict=strict)


def _patched(case: Case) -> Case:
    body = json.loads(case.response)
    body.update(OFFICIAL_PATCHES[case.operation_id])
    return case.with_response(json.dumps(body, indent=2).encode())


def official_cases() -> tuple[list[Case], dict[str, Any]]:
    """The cases every contender is served, and what plaid-python made of the documented examples.

    Each documented 200 example goes through plaid-python once; a failure is recorded with its
    exception type and message, and the case is patched (see `OFFICIAL_PATCHES`) when a patch exists.
    """
    served: list[Case] = []
    findings: dict[str, Any] = {}
    documented = cases()
    api = official_api(pool=FakePool(responses_by_path(documented)))
    for case in documented:
        call = official_call(api, case)
        if call is None:
            findings[case.operation_id] = {"supported": False}
            served.append(case)
            continue
        try:
            call()
        except Exception as exc:  # whatever plaid-python raises is the finding
            finding: dict[str, Any] = {
                "supported": True,
                "parses_documented_example": False,
                "exception": f"{type(exc).__module__}.{type(exc).__qualname__}",
                "message": str(exc),
            }
            if case.operation_id in OFFICIAL_PATCHES:
                case = _patched(case)
                finding["benchmarked_with"] = OFFICIAL_PATCHES[case.operation_id]
            findings[case.operation_id] = finding
        else:
            findings[case.operation_id] = {"supported": True, "parses_documented_example": True}
        served.append(case)
    return served, findings


def official_note(operation_id: str, finding: dict[str, Any]) -> list[str]:
    """Human-readable lines about one operation's finding (empty when plaid-python was fine)."""
    if not finding.get("supported", False):
        return [f"plaid-python has no method for {operation_id}; not compared."]
    if finding.get("parses_documented_example", True):
        return []
    lines = [
        f"plaid-python cannot parse the documented {operation_id} example: "
        f"{finding['exception']}: {finding['message']}"
    ]
    if "benchmarked_with" in finding:
        lines.append(f"Benchmarked (all contenders) with {json.dumps(finding['benchmarked_with'])} added.")
    return lines
