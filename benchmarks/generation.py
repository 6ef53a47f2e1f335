"""Group 6: `layer-codegen generate` and `check` vs the two bare generators they wrap.

The bare run is `openapi-python-client generate` (stock templates, `post_hooks: []`) followed by
`datamodel-codegen` with our options (`generator/config/datamodel-codegen.toml`, given to it as
the `pyproject.toml` of its working directory). What `generate` adds on top: spec validation, our
templates, the runtime copy, ruff, headers, an import check of the result and the atomic swap.
`check` builds the same tree and compares it with `generated/` (it may exit 1 when that is stale;
the time counts either way).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from benchmarks._fixtures import ROOT
from benchmarks._harness import Sampler, interleave
from benchmarks._processes import timed, tool
from benchmarks._results import Group

SPEC = ROOT / "spec" / "layer.yaml"
LIMIT = 1.3
BARE = "bare: openapi-python-client + datamodel-codegen"


def _bare(scratch: Path, parts: dict[str, list[float]]) -> Sampler:
    (scratch / "opc.yaml").write_text("post_hooks: []\n", encoding="utf-8")
    shutil.copyfile(ROOT / "generator" / "config" / "datamodel-codegen.toml", scratch / "pyproject.toml")
    opc = [
        tool("openapi-python-client"),
        "generate",
        "--path",
        str(SPEC),
        "--output-path",
        str(scratch / "opc"),
        "--overwrite",
        "--config",
        str(scratch / "opc.yaml"),
    ]
    datamodel = [
        tool("datamodel-codegen"),
        "--input",
        str(SPEC),
        "--input-file-type",
        "openapi",
        "--output",
        str(scratch / "m.py"),
    ]

    def sample() -> float:
        first = timed(opc, scratch)
        second = timed(datamodel, scratch)
        parts["  of which openapi-python-client"].append(first)
        parts["  of which datamodel-codegen"].append(second)
        return first + second

    return sample


def run(rounds: int) -> list[Group]:
    """One group: generate, check and the bare generators, `rounds` interleaved rounds."""
    with tempfile.TemporaryDirectory(prefix="bench-generation-") as scratch_name:
        scratch = Path(scratch_name)
        parts: dict[str, list[float]] = {
            "  of which openapi-python-client": [],
            "  of which datamodel-codegen": [],
        }
        samplers = {
            "layer-codegen generate": lambda: timed(
                [tool("layer-codegen"), "generate", "--output", str(scratch / "generated")], ROOT
            ),
            "layer-codegen check": lambda: timed([tool("layer-codegen"), "check"], ROOT, allowed=(0, 1)),
            BARE: _bare(scratch, parts),
        }
        samples = interleave(samplers, rounds)
    group = Group("generation", "code generation, wall time", "s", 1.0, {**samples, **parts})
    group.target("generate vs bare generators", group.ratio("layer-codegen generate", BARE), "<=", LIMIT)
    group.ratio("layer-codegen check", BARE)
    return [group]
