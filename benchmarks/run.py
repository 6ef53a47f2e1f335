"""Run every benchmark group, print the tables and targets, and write `results/latest.json`.

    python -m benchmarks.run              # everything, about 2-3 minutes
    python -m benchmarks.run --quick      # fewer rounds, a smoke run
    python -m benchmarks.run --only per_call webhooks

Needs plaid-python installed beside the project (`nox -s bench` does that).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import (
    async_calls,
    full_spec,
    generation,
    imports,
    loopback,
    machine,
    per_call,
    redaction,
    spec_diff,
    webhooks,
)
from benchmarks._results import Group
from benchmarks.report import group_table, markdown_headline, target_lines

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"

GROUPS: dict[str, tuple[Callable[[int], list[Group]], int, int]] = {
    # name: (run, rounds, rounds with --quick)
    "per_call": (per_call.run, 40, 5),
    "loopback": (loopback.run, 20, 3),
    "async": (async_calls.run, 30, 4),
    "imports": (imports.run, 15, 3),
    "webhooks": (webhooks.run, 40, 5),
    "redaction": (redaction.run, 20, 3),
    "generation": (generation.run, 4, 1),
    "spec_diff": (spec_diff.run, 3, 1),
    "full_spec": (full_spec.run, 2, 1),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds: a smoke run, not a measurement")
    parser.add_argument("--only", nargs="+", choices=sorted(GROUPS), help="run only these groups")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON results")
    args = parser.parse_args()

    description = machine.describe()
    groups: list[Group] = []
    timings: dict[str, float] = {}
    for name, (run, rounds, quick_rounds) in GROUPS.items():
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        produced = run(quick_rounds if args.quick else rounds)
        timings[name] = time.perf_counter() - started
        for group in produced:
            print(group_table(group), flush=True)
        if not produced:
            print(f"== {name}: skipped (its inputs are missing)", flush=True)
        groups.extend(produced)
    description["load_average_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    description["group_seconds"] = timings

    targets = [target for group in groups for target in group.targets]
    print("\nTargets (median of paired rounds):")
    print(target_lines(targets))
    print("\nMarkdown headline:\n")
    print(markdown_headline(groups, description))

    args.output.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "machine": description,
        "quick": args.quick,
        "groups": {group.key: group.as_dict() for group in groups},
        "targets": [target.as_dict() for target in targets],
    }
    args.output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nWrote {args.output}")


if __name__ == "__main__":
    main()
