"""Group 7: `layer-codegen diff`, on the two full Plaid specs and with the Python API on our spec.

The full Plaid specs (about 3 MB of YAML each) live in the shared data folder beside the repository
(`../shared/data/plaid-openapi/`) and are read from there, never copied in. `--no-python-api` skips
generating both SDKs, so that group times loading, checking, resolving and comparing the documents
and writing the JSON report.

The Python-API group diffs `spec/layer.yaml` against a copy that differs by a comment (a new spec
sha256, nothing changed), with the build cache empty (both sides built), with the old side cached
(the usual pull request: main was diffed before), and with both cached; each is reported against
the HTTP-only diff of the same pair (`--no-python-api`), measured in the same rounds.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

from benchmarks._fixtures import ROOT
from benchmarks._harness import interleave
from benchmarks._processes import timed, tool
from benchmarks._results import Group

SPECS = ROOT.parent / "shared" / "data" / "plaid-openapi"
OLD = SPECS / "plaid-2020-09-14-old.yml"
NEW = SPECS / "plaid-2020-09-14-new.yml"
OUR_SPEC = ROOT / "spec" / "layer.yaml"
LIMIT_SECONDS = 1.0
PYTHON_API_LIMIT_SECONDS = 3.0
NAME = "layer-codegen diff OLD NEW --no-python-api"
COLD = "diff with Python API, nothing cached"
OLD_CACHED = "diff with Python API, old side cached"
BOTH_CACHED = "diff with Python API, both sides cached"
HTTP_ONLY = "diff --no-python-api, same pair"


def run(rounds: int) -> list[Group]:
    """The full-spec group (when the shared specs are there) and the Python-API group."""
    groups = [_python_api(rounds)]
    if OLD.is_file() and NEW.is_file():
        groups.insert(0, _full_spec(rounds))
    return groups


def _full_spec(rounds: int) -> Group:
    command = [
        tool("layer-codegen"),
        "diff",
        str(OLD),
        str(NEW),
        "--no-python-api",
        "--format",
        "json",
        "--fail-on",
        "never",
    ]
    group = Group(
        "spec_diff",
        "full Plaid spec diff, wall time",
        "s",
        1.0,
        interleave({NAME: lambda: timed(command, ROOT)}, rounds),
    )
    group.absolute_target("full-spec diff", NAME, "<=", LIMIT_SECONDS)
    return group


def _python_api(rounds: int) -> Group:
    with tempfile.TemporaryDirectory(prefix="bench-diff-") as scratch:
        work = Path(scratch)
        serial = count()
        warm = work / "warm-cache"

        def sampler(cache: Callable[[], Path], fresh_new: bool, *extra: str) -> Callable[[], float]:
            def sample() -> float:
                new = work / f"new-{next(serial) if fresh_new else 'same'}.yaml"
                if not new.exists():
                    new.write_text(
                        OUR_SPEC.read_text(encoding="utf-8") + f"\n# {new.name}\n", encoding="utf-8"
                    )
                return _timed_diff(str(OUR_SPEC), str(new), cache(), *extra)

            return sample

        def empty_cache() -> Path:
            folder = work / f"cold-{next(serial)}"
            folder.mkdir()
            return folder

        # Warm the shared cache once: our spec, and the fixed copy for the both-cached case.
        _timed_diff(str(OUR_SPEC), str(OUR_SPEC), warm)
        samples = interleave(
            {
                COLD: sampler(empty_cache, fresh_new=True),
                OLD_CACHED: sampler(lambda: warm, fresh_new=True),
                BOTH_CACHED: sampler(lambda: warm, fresh_new=False),
                HTTP_ONLY: sampler(empty_cache, True, "--no-python-api"),
            },
            rounds,
        )
    group = Group("python_api_diff", "diff with the Python API part, our spec, wall time", "s", 1.0, samples)
    group.absolute_target("Python-API diff, nothing cached", COLD, "<=", PYTHON_API_LIMIT_SECONDS)
    for name in (COLD, OLD_CACHED, BOTH_CACHED):
        group.ratio(name, HTTP_ONLY)
    return group


def _timed_diff(old: str, new: str, cache: Path, *extra: str) -> float:
    command = [tool("layer-codegen"), "diff", old, new, "--format", "json", "--fail-on", "never", *extra]
    env = {**os.environ, "LAYER_CODEGEN_CACHE_DIR": str(cache)}
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"layer-codegen diff exited {result.returncode}: {result.stderr.strip()[-300:]}")
    return elapsed
