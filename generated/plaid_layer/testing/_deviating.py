# Copied by layer-codegen from templates/runtime/testing/_deviating.py, unchanged; do not edit here: edit that file, then nox -s generate
"""Bodies that deviate from the spec on purpose: a documented example with fields removed or replaced.

Plaid's answers do not always fit Plaid's spec; `LayerMock.queue_deviating` sends such an answer,
so that code using the client can test how it handles one (the client reads it tolerantly and
reports it in `deviations`, or raises in strict mode).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any


def _parent(body: Any, path: str) -> tuple[Any, str | int]:
    """The container holding the last part of a dotted path (`items.0.item_id`), and that part."""
    *parents, last = path.split(".")
    node = body
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node, int(last) if isinstance(node, list) else last


def deviating(body: Mapping[str, Any], remove: Iterable[str], replace: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `body` with each path in `remove` left out and each path in `replace` set.

    Paths are dotted, list items by index: `request_id`, `items.0.access_token`. A path that
    does not exist in `body` raises `KeyError` naming it.
    """
    edited = copy.deepcopy(dict(body))
    for path, value in replace.items():
        try:
            node, key = _parent(edited, path)
            node[key] = value
        except (KeyError, IndexError, TypeError, ValueError):
            raise KeyError(f"no {path!r} to replace in the body") from None
    for path in remove:
        try:
            node, key = _parent(edited, path)
            del node[key]
        except (KeyError, IndexError, TypeError, ValueError):
            raise KeyError(f"no {path!r} to remove from the body") from None
    return edited
