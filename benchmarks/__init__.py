"""Benchmarks of plaid_layer against raw httpx and Plaid's official SDK; run with `nox -s bench`.

Each module measures one group; `benchmarks.run` runs them all and writes `results/latest.json`.
Contenders are always measured in the same run, interleaved round by round, and compared by the
median of their per-round ratios, because absolute numbers on a shared machine drift.
"""
