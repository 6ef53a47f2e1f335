"""Timing command-line tools of this environment as child processes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """The console script `name` installed beside this interpreter."""
    return str(BIN / name)


def timed(command: list[str], cwd: Path, allowed: tuple[int, ...] = (0,)) -> float:
    """Run `command` and return its wall time; raise if it exits with a code not in `allowed`."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode not in allowed:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"{command[0]} exited {result.returncode}: {' | '.join(tail)}")
    return elapsed
