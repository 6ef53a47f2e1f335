"""Group 4: what a fresh interpreter pays to import each SDK and make its first call.

The children run in a venv of their own holding installed wheels only: `plaid-layer` built from
`generated/` with its dependencies, and plaid-python, at the versions of the bench venv (which
also holds this project's tools; click and rich there make `import httpx` load its CLI). The venv
is kept between runs in the temp folder, keyed by the package's files and those versions.

Each contender is a `python -c` child; the parent times it and the child prints its own peak RSS
(`VmHWM`) and, when it makes a call, how long that first call took by its own clock. The floor is
`import httpx` + `from pydantic import BaseModel`, which any client built on them pays; the "net"
groups subtract `python -c pass` round by round.

The first model class a process defines costs more than the floor leaves room for: it imports
`pydantic.fields` (with `annotated_types` and `pydantic.types`) and its first validator loads
pydantic's plugin loader (`importlib.metadata`, which lists the installed distributions). A
package whose calls return pydantic models cannot come under "floor + one pydantic model", so
that is what our own code is held to; the ratio to the bare floor is reported beside it.

Where Plaid's whole spec is at hand, the package generated from it (329 operations in 47 resource
modules) is timed in the same rounds, by its own children with `PYTHONPATH` pointing at it:
import + client + first call, net of `python -c pass`, is held to a ratio of the same for the
Layer package (three operations), so the size of a spec shows in what its import costs. It is
generated once into the temp folder, keyed by the spec and `generated/provenance.toml` (which
digests the generator and its templates).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

from benchmarks._fixtures import EXAMPLES, ROOT
from benchmarks._harness import Sampler, interleave
from benchmarks._processes import tool
from benchmarks._results import Group

GENERATED = ROOT / "generated"
# VmHWM rather than ru_maxrss: Linux carries ru_maxrss across exec, so a child forked from this
# (large) process would report the parent's size; VmHWM belongs to the child's own address space.
PEAK_RSS = """
import sys
with open('/proc/self/status') as status:
    sys.stdout.write(next(line.split()[1] for line in status if line.startswith('VmHWM:')))"""
BODY = EXAMPLES / "sessionTokenCreate.response.200.json"
REQUEST = "template_id='template_4uinBNe4B2x9', user={'client_user_id': 'user-abc'}"
FIRST_CALL = "first_call = time.perf_counter() - started\nprint(first_call)"

FLOOR = "floor: import httpx + from pydantic import BaseModel"
ONE_MODEL = "floor + one pydantic model built and used"
OURS = "import plaid_layer + 1 mock call"
CHILDREN = {
    "python -c pass": "pass",
    FLOOR: "import httpx\nfrom pydantic import BaseModel",
    ONE_MODEL: """
import httpx
from pydantic import BaseModel
class Model(BaseModel):
    x: int
Model.model_validate({'x': 1}).model_dump_json()""",
    "import plaid_layer": "import plaid_layer",
    OURS: f"""
import time, httpx, plaid_layer
body = open({str(BODY)!r}, 'rb').read()
transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
client = plaid_layer.PlaidLayer(client_id='c', secret='s', http_client=httpx.Client(transport=transport))
started = time.perf_counter()
client.session_token_create({REQUEST})
{FIRST_CALL}""",
    "import plaid-python": "import plaid\nfrom plaid.api import plaid_api",
    "import plaid-python + 1 fake call": f"""
import time, plaid, urllib3
from plaid.api import plaid_api
from plaid.model.session_token_create_request import SessionTokenCreateRequest
from plaid.model.session_token_create_request_user import SessionTokenCreateRequestUser
body = open({str(BODY)!r}, 'rb').read()
class Pool:
    def request(self, method, url, **kwargs):
        return urllib3.HTTPResponse(body=body, status=200, headers={{'Content-Type': 'application/json'}})
api = plaid_api.PlaidApi(plaid.ApiClient(plaid.Configuration(api_key={{'clientId': 'c', 'secret': 's'}})))
api.api_client.rest_client.pool_manager = Pool()
started = time.perf_counter()
api.session_token_create(SessionTokenCreateRequest(
    template_id='template_4uinBNe4B2x9', user=SessionTokenCreateRequestUser(client_user_id='user-abc')))
{FIRST_CALL}""",
}
CALLS = {
    OURS: "plaid_layer",
    "import plaid-python + 1 fake call": "plaid-python",
}

FULL_SPEC = ROOT.parent / "shared" / "data" / "plaid-openapi" / "plaid-2020-09-14-new.yml"
FULL_IMPORT = "import plaid_layer.client (whole spec)"
FULL_CALL = "import plaid_layer (whole spec) + 1 mock call"
ACCOUNTS = (
    '{"item": {"item_id": "i", "webhook": null, "error": null, "available_products": [], '
    '"billed_products": [], "consent_expiration_time": null, "update_type": "background"}, '
    '"accounts": [], "request_id": "r"}'
)
FULL_CHILDREN = {
    FULL_IMPORT: "import plaid_layer.client",
    FULL_CALL: f"""
import time, httpx, plaid_layer
transport = httpx.MockTransport(lambda request: httpx.Response(200, content={ACCOUNTS!r}))
client = plaid_layer.PlaidLayer(client_id='c', secret='s', http_client=httpx.Client(transport=transport))
started = time.perf_counter()
client.accounts_get(access_token='access-sandbox-1')
{FIRST_CALL}""",
}
# The whole spec's package holds about a hundred times the Layer package's methods; its import +
# first call may cost at most this much more, net of the interpreter's start.
FULL_SPEC_LIMIT = 1.5

PAIRS = [
    ("import plaid_layer", "import plaid-python"),
    (OURS, "import plaid-python + 1 fake call"),
]
# Import alone: at most half of plaid-python's. With a call, the httpx + pydantic floor by itself
# is about half of plaid-python's, so that ratio is reported, not held to 0.5x.
LIMIT = 0.5
ONE_MODEL_LIMIT = 1.1


def _constraints() -> str:
    """`name==version` for every distribution of the bench venv, so both venvs run the same code."""
    names = {dist.metadata["Name"]: dist.version for dist in importlib.metadata.distributions()}
    pins = {name.lower(): version for name, version in names.items() if name}
    for ours in ("plaid-layer", "plaid-layer-codegen"):
        pins.pop(ours, None)
    return "".join(f"{name}=={version}\n" for name, version in sorted(pins.items()))


def _key(constraints: str) -> str:
    digest = hashlib.sha256(f"{sys.version}\n{constraints}".encode())
    for path in sorted(GENERATED.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(GENERATED).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def wheel_venv() -> Path | None:
    """The interpreter of a venv with the `plaid-layer` wheel and plaid-python; `None` if pip fails."""
    constraints = _constraints()
    root = Path(tempfile.gettempdir()) / "plaid-layer-bench-imports" / _key(constraints)
    python = root / "venv" / "bin" / "python"
    if (root / "ready").exists():
        return python
    for stale in root.parent.glob("*"):  # venvs of earlier packages: about 150 MB each
        shutil.rmtree(stale, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "constraints.txt").write_text(constraints, encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    venv.EnvBuilder(clear=True, with_pip=False).create(root / "venv")
    try:
        subprocess.run([*pip, "wheel", "--no-deps", str(GENERATED), "-w", str(root / "wheels")], check=True)
        wheels = [str(path) for path in (root / "wheels").glob("plaid_layer-*.whl")]
        install = [*pip, "--python", str(python), "install", "-c", str(root / "constraints.txt")]
        subprocess.run([*install, *wheels, "plaid-python"], check=True)
    except subprocess.CalledProcessError as exc:
        print(f"== imports: could not build the wheel venv ({exc})", file=sys.stderr)
        return None
    (root / "ready").touch()
    return python


def full_spec_package() -> Path | None:
    """The folder holding the package generated from Plaid's whole spec; `None` without the spec."""
    if not FULL_SPEC.exists():
        print(f"== imports: no whole-spec package, no spec at {FULL_SPEC}", file=sys.stderr)
        return None
    digest = hashlib.sha256(FULL_SPEC.read_bytes())
    digest.update((GENERATED / "provenance.toml").read_bytes())
    root = Path(tempfile.gettempdir()) / "plaid-layer-bench-imports-full-spec" / digest.hexdigest()[:16]
    if (root / "ready").exists():
        return root / "dist"
    for stale in root.parent.glob("*"):
        shutil.rmtree(stale, ignore_errors=True)
    root.mkdir(parents=True)
    generate = [tool("layer-codegen"), "generate", "--spec", str(FULL_SPEC), "--output", str(root / "dist")]
    subprocess.run(generate, cwd=ROOT, check=True, capture_output=True)
    compile_all = [sys.executable, "-m", "compileall", "-q", str(root / "dist")]
    subprocess.run(compile_all, check=True, capture_output=True)
    (root / "ready").touch()
    return root / "dist"


def _child(
    python: Path, code: str, peaks: list[float], calls: list[float] | None, package: Path | None = None
) -> Sampler:
    command = [str(python), "-c", code + PEAK_RSS]
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    if package is not None:  # a package beside the venv's own `plaid_layer`, found first
        env["PYTHONPATH"] = str(package)

    def sample() -> float:
        started = time.perf_counter()
        result = subprocess.run(
            command, capture_output=True, text=True, check=True, env=env, cwd=python.parent
        )
        elapsed = time.perf_counter() - started
        *printed, peak = result.stdout.strip().splitlines()
        peaks.append(int(peak) * 1024)
        if calls is not None:
            calls.append(float(printed[-1]))
        return elapsed

    sample()
    peaks.clear()
    if calls is not None:
        calls.clear()
    return sample


def _net(samples: dict[str, list[float]], floor: str) -> dict[str, list[float]]:
    return {
        name: [value - base for value, base in zip(values, samples[floor], strict=True)]
        for name, values in samples.items()
        if name != floor
    }


def _with_targets(group: Group, what: str) -> Group:
    ours, theirs = PAIRS[0]
    group.target(f"{what}: {ours} vs plaid-python", group.ratio(ours, theirs), "<=", LIMIT)
    group.ratio(*PAIRS[1])
    return group


def run(rounds: int) -> list[Group]:
    """Wall time and peak RSS (as measured and net of `python -c pass`), and the first call alone."""
    python = wheel_venv()
    if python is None:
        return []
    full = full_spec_package()
    children = {**CHILDREN, **(FULL_CHILDREN if full else {})}
    peaks: dict[str, list[float]] = {name: [] for name in children}
    calls: dict[str, list[float]] = {name: [] for name in CALLS}
    if full:
        calls[FULL_CALL] = []
    samplers = {
        name: _child(python, code, peaks[name], calls.get(name), full if name in FULL_CHILDREN else None)
        for name, code in children.items()
    }
    times = interleave(samplers, rounds)
    wall = Group("import.time", "fresh process, wall time", "ms", 1e3, times)
    memory = Group("import.rss", "fresh process, peak RSS", "MiB", 1 / 2**20, peaks)
    for group in (wall, memory):
        group.ratio(OURS, FLOOR)
        for ours, theirs in PAIRS:
            group.ratio(ours, theirs)
    base = "python -c pass"
    net_wall = Group(
        "import.time_net", "fresh process, wall time net of `python -c pass`", "ms", 1e3, _net(times, base)
    )
    net_wall.target(
        "import + client + 1 call vs the floor + one pydantic model",
        net_wall.ratio(OURS, ONE_MODEL),
        "<=",
        ONE_MODEL_LIMIT,
    )
    net_wall.ratio(OURS, FLOOR)
    net_wall.ratio(ONE_MODEL, FLOOR)
    net_wall.notes.append(
        "floor + one pydantic model / floor is what pydantic's first model class costs by itself, "
        "the least any call that returns pydantic models pays"
    )
    net_memory = Group(
        "import.rss_net",
        "fresh process, peak RSS net of `python -c pass`",
        "MiB",
        1 / 2**20,
        _net(peaks, base),
    )
    if full:
        net_wall.target(
            "whole-spec package: import + client + 1 call vs the Layer package's",
            net_wall.ratio(FULL_CALL, OURS),
            "<=",
            FULL_SPEC_LIMIT,
        )
    first_call = Group(
        "import.first_call",
        "first call in a fresh process, by the child's own clock",
        "ms",
        1e3,
        {CALLS.get(name, "plaid_layer (whole spec)"): values for name, values in calls.items()},
    )
    first_call.ratio("plaid_layer", "plaid-python")
    for group in (wall, net_wall, memory, net_memory):
        group.notes.append(f"children run {python.parent.parent} (installed wheels only)")
    return [
        wall,
        _with_targets(net_wall, "import time"),
        memory,
        _with_targets(net_memory, "import memory"),
        first_call,
    ]
