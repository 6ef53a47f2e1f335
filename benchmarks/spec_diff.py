"""Group 7: `layer-codegen diff` of the two full Plaid specs (about 3 MB of YAML each).

The specs live in the shared data folder beside the repository (`../shared/data/plaid-openapi/`)
and are read from there, never copied in. `--no-python-api` skips generating both SDKs, so this
times loading, resolving and comparing the documents and writing the JSON report.
"""

from __future__ import annotations

from benchmarks._fixtures import ROOT
from benchmarks._harness import interleave
from benchmarks._processes import timed, tool
from benchmarks._results import Group

SPECS = ROOT.parent / "shared" / "data" / "plaid-openapi"
OLD = SPECS / "plaid-2020-09-14-old.yml"
NEW = SPECS / "plaid-2020-09-14-new.yml"
LIMIT_SECONDS = 5.0
NAME = "layer-codegen diff OLD NEW --no-python-api"


def run(rounds: int) -> list[Group]:
    """One group, or none when the shared specs are not there."""
    if not (OLD.is_file() and NEW.is_file()):
        return []
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
    return [group]
