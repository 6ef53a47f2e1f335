"""Running contenders side by side, in interleaved rounds, so that a noisy moment hits all of them.

A sampler is a callable that does one measurement and returns seconds (per call, per process...).
`interleave` calls every sampler once per round, rotating the order from round to round.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping

Sampler = Callable[[], float]


def interleave(samplers: Mapping[str, Sampler], rounds: int) -> dict[str, list[float]]:
    """One sample per contender per round; round `r` starts with contender `r mod n`.

    samples = interleave({"ours": ours, "floor": floor}, rounds=30)
    """
    names = list(samplers)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(samplers[name]())
    return samples


def batch_size(call: Callable[[], object], target_seconds: float) -> int:
    """How many calls take about `target_seconds`, after a warm-up, so that timer overhead vanishes."""
    for _ in range(3):
        call()
    count = 1
    while True:
        started = time.perf_counter()
        for _ in range(count):
            call()
        elapsed = time.perf_counter() - started
        if elapsed >= target_seconds / 4 or count >= 1 << 16:
            return max(1, round(count * target_seconds / max(elapsed, 1e-9)))
        count *= 2


def per_call(call: Callable[[], object], target_seconds: float = 0.02) -> Sampler:
    """A sampler timing a batch of `call()`s and returning seconds per call.

    The garbage collector runs before each batch, not inside it, so a collection triggered by one
    contender's garbage is not billed to the next.
    """
    count = batch_size(call, target_seconds)

    def sample() -> float:
        gc.collect()
        started = time.perf_counter()
        for _ in range(count):
            call()
        return (time.perf_counter() - started) / count

    return sample
