"""Group 4: a fresh interpreter's wall time and peak memory to import each SDK (and make one call).

Each contender is a `python -c` child; the parent times it and the child prints its own peak RSS
(`VmHWM`) as it exits. `python -c pass` is the floor; the "net" groups subtract it round by
round, leaving what the import itself costs. Bytecode is cached (a warm-up run writes it), as it
is for an installed package.
"""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks._fixtures import EXAMPLES
from benchmarks._harness import Sampler, interleave
from benchmarks._results import Group

# VmHWM rather than ru_maxrss: Linux carries ru_maxrss across exec, so a child forked from this
# (large) process would report the parent's size; VmHWM belongs to the child's own address space.
PEAK_RSS = """
import sys
with open('/proc/self/status') as status:
    sys.stdout.write(next(line.split()[1] for line in status if line.startswith('VmHWM:')))"""
BODY = EXAMPLES / "sessionTokenCreate.response.200.json"
REQUEST = "template_id='template_4uinBNe4B2x9', user={'client_user_id': 'user-abc'}"

CHILDREN = {
    "python -c pass": "pass",
    "import plaid_layer": "import plaid_layer",
    "import plaid_layer + 1 mock call": f"""
import httpx, plaid_layer
body = open({str(BODY)!r}, 'rb').read()
transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
client = plaid_layer.PlaidLayer(client_id='c', secret='s', http_client=httpx.Client(transport=transport))
client.session_token_create({REQUEST})""",
    "import plaid-python": "import plaid\nfrom plaid.api import plaid_api",
    "import plaid-python + 1 fake call": f"""
import plaid, urllib3
from plaid.api import plaid_api
from plaid.model.session_token_create_request import SessionTokenCreateRequest
from plaid.model.session_token_create_request_user import SessionTokenCreateRequestUser
body = open({str(BODY)!r}, 'rb').read()
class Pool:
    def request(self, method, url, **kwargs):
        return urllib3.HTTPResponse(body=body, status=200, headers={{'Content-Type': 'application/json'}})
api = plaid_api.PlaidApi(plaid.ApiClient(plaid.Configuration(api_key={{'clientId': 'c', 'secret': 's'}})))
api.api_client.rest_client.pool_manager = Pool()
api.session_token_create(SessionTokenCreateRequest(
    template_id='template_4uinBNe4B2x9', user=SessionTokenCreateRequestUser(client_user_id='user-abc')))""",
}

PAIRS = [
    ("import plaid_layer", "import plaid-python"),
    ("import plaid_layer + 1 mock call", "import plaid-python + 1 fake call"),
]
LIMIT = 0.5


def _child(code: str, peaks: list[float]) -> Sampler:
    command = [sys.executable, "-c", code + PEAK_RSS]

    def sample() -> float:
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        elapsed = time.perf_counter() - started
        peaks.append(int(result.stdout.strip().splitlines()[-1]) * 1024)
        return elapsed

    sample()
    peaks.clear()
    return sample


def _net(samples: dict[str, list[float]], floor: str) -> dict[str, list[float]]:
    return {
        name: [value - base for value, base in zip(values, samples[floor], strict=True)]
        for name, values in samples.items()
        if name != floor
    }


def _with_targets(group: Group, what: str) -> Group:
    for ours, theirs in PAIRS:
        group.target(f"{what}: {ours} vs plaid-python", group.ratio(ours, theirs), "<=", LIMIT)
    return group


def run(rounds: int) -> list[Group]:
    """Four groups: wall time and peak RSS, each as measured and net of `python -c pass`."""
    peaks: dict[str, list[float]] = {name: [] for name in CHILDREN}
    times = interleave({name: _child(code, peaks[name]) for name, code in CHILDREN.items()}, rounds)
    floor = "python -c pass"
    wall = Group("import.time", "fresh process, wall time", "ms", 1e3, times)
    memory = Group("import.rss", "fresh process, peak RSS", "MiB", 1 / 2**20, peaks)
    for group in (wall, memory):
        for ours, theirs in PAIRS:
            group.ratio(ours, theirs)
    net_wall = Group(
        "import.time_net", "fresh process, wall time net of `python -c pass`", "ms", 1e3, _net(times, floor)
    )
    net_memory = Group(
        "import.rss_net",
        "fresh process, peak RSS net of `python -c pass`",
        "MiB",
        1 / 2**20,
        _net(peaks, floor),
    )
    return [wall, _with_targets(net_wall, "import time"), memory, _with_targets(net_memory, "import memory")]
