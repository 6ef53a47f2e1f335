"""Whether a parsed model holds exactly what was sent: every key, every value, nothing invented."""

from __future__ import annotations

import datetime
from typing import Any

from pydantic import BaseModel, TypeAdapter


def assert_reads_back(sent: Any, read: Any, path: str = "(root)") -> None:
    """Fail naming the path where `read` (a model, list, dict or value) differs from the JSON `sent`.

    A field the body left out must be absent from `model_fields_set`; a key the schema does not
    know must be in `model_extra`; a date or time compares as the value its text (or number) means.
    """
    if isinstance(read, BaseModel):
        assert isinstance(sent, dict), f"{path}: an object was read from a {type(sent).__name__}"
        fields = type(read).model_fields
        by_key = {info.alias or name: name for name, info in fields.items()}
        extra = read.model_extra or {}
        for key, value in sent.items():
            where = f"{path}.{key}"
            if key in by_key:
                assert by_key[key] in read.model_fields_set, f"{where}: sent but not in model_fields_set"
                assert_reads_back(value, getattr(read, by_key[key]), where)
            else:
                assert key in extra, f"{where}: an unknown field was lost"
                assert_reads_back(value, extra[key], where)
        for name in read.model_fields_set & fields.keys():  # pydantic counts extra keys as set too
            assert (fields[name].alias or name) in sent, f"{path}.{name}: in model_fields_set but not sent"
    elif isinstance(read, list):
        assert isinstance(sent, list) and len(sent) == len(read), f"{path}: list differs"
        for index, (one, other) in enumerate(zip(sent, read, strict=True)):
            assert_reads_back(one, other, f"{path}.{index}")
    elif isinstance(read, dict):
        assert isinstance(sent, dict) and sent.keys() == read.keys(), f"{path}: keys differ"
        for key, value in sent.items():
            assert_reads_back(value, read[key], f"{path}.{key}")
    elif isinstance(read, datetime.date) and isinstance(sent, str | int | float):
        assert read == TypeAdapter(type(read)).validate_python(sent), f"{path}: date or time differs"
    else:
        assert type(read) is type(sent) or (isinstance(read, float) and type(sent) is int), (
            f"{path}: {type(sent).__name__} read as {type(read).__name__}"
        )
        assert read == sent, f"{path}: value differs"
