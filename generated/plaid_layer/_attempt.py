# Copied by layer-codegen from templates/runtime/_attempt.py, unchanged; do not edit here: edit that file, then nox -s generate
"""The deadline of the running blocking attempt, shared by the sender and the socket backend.

`_send.send` sets it around each attempt; `_deadline`'s sockets read it on every operation. It
lives apart from both so that neither imports the other for it.
"""

from __future__ import annotations

from contextvars import ContextVar

attempt_deadline: ContextVar[float | None] = ContextVar(f"{__package__}.attempt_deadline", default=None)
"""`time.monotonic()` by which the running blocking attempt must be done, or `None` for no limit."""
