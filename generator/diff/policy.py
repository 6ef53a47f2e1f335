"""What the generated client does with the data it reads, asked of the generator itself.

The levels of the response-side rules follow the package's behaviour, so they are read from the
code that decides it rather than restated: `generator.build.models_input.models_document` is what turns a
response enum into the open `Literal[...] | str` the models are generated from.
"""

from __future__ import annotations

import functools
from typing import Any

from generator.build.models_input import models_document
from generator.spec.model import SpecModel, media_types

_PROBE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "probe", "version": "1"},
    "paths": {
        "/probe": {
            "post": {
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"type": "string", "enum": ["a"]}}},
                    }
                }
            }
        }
    },
}


@functools.cache
def response_enums_open() -> bool:
    """Whether the generator gives a response enum an any-string branch (`Literal["a"] | str`)."""
    document = models_document(SpecModel.from_document(_PROBE))
    response = SpecModel(document, "<probe>", _PROBE).operation_at("paths", "/probe", "post")
    body = media_types(((response or {}).get("responses") or {}).get("200")).get("application/json")
    schema = body.get("schema") if isinstance(body, dict) else None
    branches = schema.get("anyOf") if isinstance(schema, dict) else None
    return isinstance(branches, list) and {"type": "string"} in branches
