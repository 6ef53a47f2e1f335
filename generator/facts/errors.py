"""The error the facts raise: the spec is valid OpenAPI but asks for what the generator cannot honour."""

from __future__ import annotations

from generator.spec.model import Pointer, pointer_text


class FactsError(Exception):
    """The spec is valid OpenAPI but asks for something the generator cannot honour; says what and where."""


def facts_error(message: str, pointer: Pointer) -> FactsError:
    """A `FactsError` saying what and, as a JSON pointer, where."""
    return FactsError(f"{message} (at {pointer_text(pointer)})")
