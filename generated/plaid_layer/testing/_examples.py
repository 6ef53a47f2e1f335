# Copied by layer-codegen from templates/runtime/testing/_examples.py, unchanged; do not edit here: edit that file, then nox -s generate
"""The one piece of logic behind every generated example builder: copy, then override."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any


def build(example: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of `example` with its top-level keys replaced or added by `overrides`.

    Keys the spec does not document are allowed, because Plaid adds fields without notice and
    tests should be able to send them.
    """
    payload = copy.deepcopy(dict(example))
    payload.update(copy.deepcopy(dict(overrides)))
    return payload
