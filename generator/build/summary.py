"""How a generator's warnings reach stderr: counted, with the first few shown on one line each."""

from __future__ import annotations

MAX_WARNINGS_SHOWN = 3


def summarise_warnings(tool: str, warnings: list[str]) -> str:
    """One short paragraph for a generator's warnings: how many, and the first few."""
    shown = [" ".join(w.split())[:200] for w in warnings[:MAX_WARNINGS_SHOWN]]
    more = len(warnings) - len(shown)
    lines = [f"{tool}: {len(warnings)} warning(s)", *(f"  - {w}" for w in shown)]
    if more:
        lines.append(f"  ... and {more} more")
    return "\n".join(lines)
