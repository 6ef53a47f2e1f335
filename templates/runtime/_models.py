"""The base class of every generated model: pydantic v2, with private data masked in reprs.

Attributes return the real values; only `repr()` and `str()` hide fields marked sensitive in the
spec, unknown (extra) fields whose names look sensitive, and token- or identity-shaped strings
quoted in other fields (a `display_message`, an untyped `causes` list).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from ._redact import REDACTED_VALUE, SENSITIVE_MARKER, redact_known, redact_unknown

_SENSITIVE_FIELDS: dict[type[BaseModel], frozenset[str]] = {}


class PlaidModel(BaseModel):
    """A model generated from the spec. Unknown fields are kept where the schema allows them."""

    # Each model builds its validator and serializer when it is first used, so importing the
    # package costs little however many operations the spec has; a call builds only its own models.
    model_config: ClassVar[ConfigDict] = ConfigDict(defer_build=True)

    @classmethod
    def sensitive_fields(cls) -> frozenset[str]:
        """The names of the fields the spec marks sensitive (computed once per class)."""
        cached = _SENSITIVE_FIELDS.get(cls)
        if cached is None:
            cached = frozenset(
                name
                for name, field in cls.model_fields.items()
                if isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get(SENSITIVE_MARKER)
            )
            _SENSITIVE_FIELDS[cls] = cached
        return cached

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        sensitive = self.sensitive_fields()
        extra = self.__pydantic_extra__ or {}
        for name, value in super().__repr_args__():
            if name is None or value is None:
                yield name, value
            elif name in sensitive:
                yield name, REDACTED_VALUE
            elif name in extra:
                yield name, redact_unknown(name, value)
            else:
                yield name, redact_known(value)


# Building the first validator in a process loads pydantic's plugin machinery (importlib.metadata,
# some 7 ms). This base has no fields, so building it now costs little and keeps that out of the
# first call.
PlaidModel.model_rebuild()
