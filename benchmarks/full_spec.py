"""Group 8: Plaid's whole official spec, unmodified: `layer-codegen generate` vs stock openapi-python-client.

Both generate from `../shared/data/plaid-openapi/plaid-2020-09-14-new.yml` in the same run,
interleaved. Stock openapi-python-client runs with its own templates and `post_hooks: []` (no ruff).
The peak memory of `generate` is the largest sum of resident memory over its process tree (the
background spec validation and the generators are children; a child counts once it has run `exec`),
sampled every 20 ms from `/proc`. The generated
package is then byte-compiled, as an installer does, and imported in fresh children: `import
plaid_layer` alone, and `import plaid_layer` + a client + one call answered by `httpx.MockTransport`.
Last, `layer-codegen check` on that fresh tree: from its provenance record (no build; target
under 0.3 s) and with `--full` (a whole build), interleaved. The group is skipped where the spec
is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._fixtures import ROOT
from benchmarks._harness import interleave
from benchmarks._processes import timed, tool
from benchmarks._results import Group

SPEC = ROOT.parent / "shared" / "data" / "plaid-openapi" / "plaid-2020-09-14-new.yml"
OURS = "layer-codegen generate"
STOCK = "stock openapi-python-client"
IMPORT = "import plaid_layer"
CALL = "import plaid_layer + client + one call"
PEAK_LIMIT = 300.0  # MB
CHECK_LIMIT = 0.3  # s
CHECK = "layer-codegen check (from the record)"
FULL_CHECK = "layer-codegen check --full"
CALL_CODE = """\
import httpx, plaid_layer
body = {"item": {"item_id": "i", "webhook": None, "error": None, "available_products": [],
        "billed_products": [], "consent_expiration_time": None, "update_type": "background"},
        "accounts": [], "request_id": "r"}
transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
with plaid_layer.PlaidLayer(client_id="id", secret="s", http_client=httpx.Client(transport=transport)) as c:
    assert c.accounts_get(access_token="access-sandbox-1").request_id == "r"
"""


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # it has just exited
        return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                found.extend(int(child) for child in children.read().split())
    except OSError:
        pass
    return found


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read()
    except OSError:  # it has just exited
        return b""


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants, read from /proc.

    A child whose command line is still its parent's has been forked but has not yet run `exec`:
    it shares its parent's pages (vfork shares the whole address space), so it is not counted.
    Counting it once doubled the parent's heap for a sample now and then (322 MB for 161 + 161).
    """
    total, pending = 0, [(root, b"")]
    while pending:
        pid, parent_cmdline = pending.pop()
        cmdline = _cmdline(pid)
        if cmdline != parent_cmdline:
            total += _rss(pid)
        pending.extend((child, cmdline) for child in _children(pid))
    return total


def _run_with_peak(command: list[str], cwd: Path, peaks: list[float]) -> float:
    """Run `command`, return its wall time and append the peak resident memory of its tree (MB)."""
    # Output goes to a file: a pipe nobody reads while polling would fill up and stall the tool.
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        if process.returncode != 0:
            output.seek(0)
            raise RuntimeError(f"{command[0]} exited {process.returncode}: {output.read().strip()[-300:]}")
    peaks.append(peak / 1e6)
    return elapsed


def _child(dist: Path, code: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(dist)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, cwd=dist, check=True, capture_output=True)
    return time.perf_counter() - started


def run(rounds: int) -> list[Group]:
    """Generation (ours vs stock, with our peak memory), then the package's import and first call."""
    if not SPEC.exists():
        print(f"== full_spec: skipped, no spec at {SPEC}", file=sys.stderr)
        return []
    with tempfile.TemporaryDirectory(prefix="bench-full-spec-") as scratch_name:
        scratch = Path(scratch_name)
        (scratch / "opc.yaml").write_text("post_hooks: []\n", encoding="utf-8")
        dist = scratch / "ours"
        peaks: list[float] = []

        def ours() -> float:
            shutil.rmtree(dist, ignore_errors=True)
            return _run_with_peak(
                [tool("layer-codegen"), "generate", "--spec", str(SPEC), "--output", str(dist)], ROOT, peaks
            )

        def stock() -> float:
            return _run_with_peak(
                [
                    tool("openapi-python-client"),
                    "generate",
                    "--path",
                    str(SPEC),
                    "--output-path",
                    str(scratch / "stock"),
                    "--overwrite",
                    "--config",
                    str(scratch / "opc.yaml"),
                ],
                scratch,
                [],
            )

        samples = interleave({OURS: ours, STOCK: stock}, rounds)
        generation = Group("full_spec", "Plaid's whole spec: generation, wall time", "s", 1.0, samples)
        generation.target("generate vs stock openapi-python-client", generation.ratio(OURS, STOCK), "<=", 0.8)
        peak = max(peaks)
        generation.details["generate peak RSS (MB)"] = round(peak, 1)
        generation.notes.append(
            f"peak resident memory of generate's process tree: {peak:.0f} MB (limit {PEAK_LIMIT:.0f})"
        )
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(dist / "plaid_layer")],
            check=True,
            capture_output=True,
        )
        imports = interleave(
            {IMPORT: lambda: _child(dist, "import plaid_layer"), CALL: lambda: _child(dist, CALL_CODE)},
            max(3, rounds * 3),
        )
        check = [tool("layer-codegen"), "check", "--spec", str(SPEC), "--output", str(dist)]
        checks = interleave(
            {CHECK: lambda: timed(check, ROOT), FULL_CHECK: lambda: timed([*check, "--full"], ROOT)}, rounds
        )
    package = Group("full_spec_import", "Plaid's whole spec: the generated package", "s", 1.0, imports)
    package.absolute_target("import", IMPORT, "<=", 1.5)
    package.absolute_target("client + one call", CALL, "<=", 2.0)
    checking = Group("full_spec_check", "Plaid's whole spec: check, wall time", "s", 1.0, checks)
    checking.ratio(CHECK, FULL_CHECK)
    checking.absolute_target("check when nothing changed", CHECK, "<=", CHECK_LIMIT)
    memory = Group("full_spec_memory", "Plaid's whole spec: generate's peak memory", "MB", 1.0, {OURS: peaks})
    memory.absolute_target("peak resident memory of the process tree", OURS, "<=", PEAK_LIMIT)
    return [generation, memory, package, checking]
