"""Group 6: `layer-codegen generate` and `check` vs the two bare generators they wrap.

The bare run is `openapi-python-client generate` (stock templates, `post_hooks: []`) followed by
`datamodel-codegen` with our options (`generator/config/datamodel-codegen.toml`, given to it as
the `pyproject.toml` of its working directory). What `generate` adds on top: spec validation, our
templates, the runtime copy, ruff, headers, an import check of the result and the atomic swap.
`check --full` builds the same tree and compares it with a fresh generation; plain `check` answers
from the tree's provenance record (every input and file still has its recorded digest) without a
build, and its target is an absolute one: under 0.3 s, interpreter start included.
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
CHECK_LIMIT = 0.3  # s
BARE = "bare: openapi-python-client + datamodel-codegen"
CHECK = "layer-codegen check (from the record)"
FULL_CHECK = "layer-codegen check --full"


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
        checked = scratch / "checked"  # fresh, whatever state generated/ is in
        timed([tool("layer-codegen"), "generate", "--output", str(checked)], ROOT)
        check = [tool("layer-codegen"), "check", "--output", str(checked)]
        samplers = {
            "layer-codegen generate": lambda: timed(
                [tool("layer-codegen"), "generate", "--output", str(scratch / "generated")], ROOT
            ),
            CHECK: lambda: timed(check, ROOT),
            FULL_CHECK: lambda: timed([*check, "--full"], ROOT),
            BARE: _bare(scratch, parts),
        }
        samples = interleave(samplers, rounds)
    group = Group("generation", "code generation, wall time", "s", 1.0, {**samples, **parts})
    group.target("generate vs bare generators", group.ratio("layer-codegen generate", BARE), "<=", LIMIT)
    group.ratio(FULL_CHECK, BARE)
    group.ratio(CHECK, FULL_CHECK)
    group.absolute_target("check when nothing changed", CHECK, "<=", CHECK_LIMIT)
    return [group]
