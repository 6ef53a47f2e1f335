"""Builders for the small OpenAPI documents the diff tests compare."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]


def spec(
    *,
    request: Any = None,
    response: Any = None,
    parameters: list[Any] | None = None,
    webhook: Any = None,
    schemas: dict[str, Any] | None = None,
    version: str = "3.1.0",
) -> Doc:
    """A document with one operation, `POST /x`, and optionally a webhook `EVENT`."""
    operation: dict[str, Any] = {"operationId": "x", "responses": {"200": {"description": "OK"}}}
    if request is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": request}}}
    if response is not None:
        operation["responses"]["200"]["content"] = {"application/json": {"schema": response}}
    if parameters is not None:
        operation["parameters"] = parameters
    document: Doc = {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"post": operation}},
    }
    if webhook is not None:
        payload = {"content": {"application/json": {"schema": webhook}}}
        document["webhooks"] = {
            "EVENT": {"post": {"requestBody": payload, "responses": {"200": {"description": "OK"}}}}
        }
    if schemas is not None:
        document["components"] = {"schemas": schemas}
    return document


def spec_with(where: str, schema: Any, **rest: Any) -> Doc:
    """`spec` with `schema` as the body that `where` names (`"request"` or `"response"`)."""
    body: dict[str, Any] = {where: schema}
    return spec(**body, **rest)


def obj(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    """An object schema."""
    return {"type": "object", "properties": properties, "required": list(required), **extra}


def edit(document: Doc, change: Callable[[Doc], None]) -> Doc:
    """A deep copy of `document` with `change` applied to it."""
    result = copy.deepcopy(document)
    change(result)
    return result


def operation(document: Doc) -> dict[str, Any]:
    """The `POST /x` operation of a document made by `spec`."""
    result: dict[str, Any] = document["paths"]["/x"]["post"]
    return result


STRING: Doc = {"type": "string"}


def open_enum(*values: str) -> dict[str, Any]:
    """The documented open-enum marker."""
    return {"anyOf": [{"type": "string", "enum": list(values)}, {"type": "string"}]}
