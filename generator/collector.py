"""Pacing Python's cyclic garbage collector where a stage builds a large heap it mostly keeps.

Each collection of the older generations rescans every object that survived the earlier ones, so
a stage that allocates hundreds of thousands of long-lived objects pays for them again and again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Pause the collector: for work that builds trees without cycles (parsed documents)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def young_collections_only() -> Iterator[None]:
    """Keep collecting new objects, but rescan the survivors rarely and never all of the heap.

    For work that makes cycles as garbage on the way, so that a paused collector would let the
    heap grow, while most of what it allocates lives to the end.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], 1_000, 1_000_000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
