"""The document datamodel-code-generator writes the models from: the normalised spec, rewritten.

`models_document` takes a copy of the spec model's document and writes the decisions the models
embody into it (open enums for what responses carry, unknown fields kept in answers, the
`x-layer-nullable` marker on request fields that admit `null`, and the 3.0 `nullable` form of a
nullable map or array, which is what datamodel-code-generator reads for those).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from generator.spec.extensions import LAYER_NULLABLE
from generator.spec.model import SpecModel, media_types, schema_types

__all__ = ["models_document"]


def _media_schemas(container: Any) -> Iterator[Any]:
    if isinstance(container, dict):
        for media in media_types(container).values():
            if isinstance(media, dict) and "schema" in media:
                yield media["schema"]


def _is_open_enum(node: Mapping[str, Any]) -> bool:
    variants = node.get("anyOf") or []
    return any(isinstance(v, dict) and "enum" in v for v in variants) and any(
        isinstance(v, dict) and set(v) <= {"type", "description"} and v.get("type") in ("string", "integer")
        for v in variants
    )


def _open_enum(node: dict[str, Any]) -> None:
    """Rewrite a closed enum node in place as the open-enum convention: known values, or any value."""
    values = [v for v in node["enum"] if v is not None]
    kinds = [t for t in schema_types(node) if t != "null"]
    kind = kinds[0] if len(kinds) == 1 else "string" if all(isinstance(v, str) for v in values) else None
    if kind not in ("string", "integer") or not values:
        return
    nullable = "null" in schema_types(node) or None in node["enum"]
    del node["enum"]
    node.pop("type", None)
    node["anyOf"] = [
        {"type": kind, "enum": values},
        {"type": kind},
        *([{"type": "null"}] if nullable else []),
    ]


def models_document(model: SpecModel, webhook_payloads: Collection[str] = ()) -> dict[str, Any]:
    """The normalised document as datamodel-code-generator should see it (a copy).

    `webhook_payloads` names the payload components of webhooks the `webhooks:` section does not
    list (`SpecFacts.webhooks` of a spec without one); they are read as webhooks are.

    Three decisions are written into it: every enum a response or webhook can carry becomes an open
    enum (`Literal[known] | str`), since Plaid adds values without notice, while enums only
    requests use stay closed; every object schema only responses and webhooks use keeps unknown
    fields (`additionalProperties: true`); and request-model properties that admit `null` get the
    `x-layer-nullable` marker, so the runtime can leave out a `None` given for any other field.
    """
    model = model.copy()  # the rewrites below land in the copy, which the walks read
    request_roots: list[Any] = []
    response_roots: list[Any] = []
    for ref in model.operations():
        request_roots.extend(_media_schemas(model.resolve(ref.operation.get("requestBody"))))
        for response in (ref.operation.get("responses") or {}).values():
            response_roots.extend(_media_schemas(model.resolve(response)))
    for ref in model.webhooks():
        response_roots.extend(_media_schemas(model.resolve(ref.operation.get("requestBody"))))
    schemas = model.schemas
    response_roots.extend(schemas[name] for name in webhook_payloads if name in schemas)
    _, request_nodes = model.reachable(request_roots)
    for node in request_nodes:
        for prop in (node.get("properties") or {}).values():
            if isinstance(prop, dict) and model.admits_null(prop):
                prop[LAYER_NULLABLE] = True
    components = list(schemas.values())
    roots = {id(node) for node in components}
    for node in model.reachable(components + request_roots + response_roots)[1]:
        if id(node) not in roots and "properties" not in node:  # a component stays one class
            _split_nullable_container(node)
    _, response_nodes = model.reachable(response_roots)
    inside_open = {id(v) for node in response_nodes if _is_open_enum(node) for v in node["anyOf"]}
    in_requests = {id(node) for node in request_nodes}
    for node in response_nodes:
        if isinstance(node.get("enum"), list) and id(node) not in inside_open:
            _open_enum(node)
        if _free_form(node):
            # An object schema that names no property is a free-form map (Plaid's attribute maps):
            # its keys are the data, so they must be kept rather than dropped as unknown fields.
            node["additionalProperties"] = True
        elif id(node) not in in_requests and _closed_or_silent(node):
            # Forward compatibility is the client's policy, not each schema's: a field Plaid adds
            # to an answer is kept (`model_extra`), whatever the pasted schema says. A schema that
            # requests use too keeps its own rule, so that requests stay as strict as the spec.
            node["additionalProperties"] = True
    return model.document


def _closed_or_silent(node: Mapping[str, Any]) -> bool:
    """An object schema with properties whose `additionalProperties` is absent or `false`."""
    return bool(node.get("properties")) and node.get("additionalProperties", False) is False


def _free_form(node: Mapping[str, Any]) -> bool:
    """An object schema with no properties, no composition and no say on additional properties."""
    return (
        "object" in schema_types(node)
        and not node.get("properties")
        and not any(key in node for key in ("additionalProperties", "allOf", "anyOf", "oneOf", "$ref"))
    )


def _split_nullable_container(node: dict[str, Any]) -> None:
    """`type: [object, "null"]` as `type: object, nullable: true`, in place.

    datamodel-code-generator reads a type list with `null` only for scalars, and drops the
    constraints of `anyOf` branches; for a map or an array it would lose the value type and
    `maxProperties`. Its OpenAPI reader honours `nullable` (with `strict-nullable`).
    """
    kinds = schema_types(node)
    if "null" not in kinds or len(kinds) != 2 or not ({"object", "array"} & set(kinds)):
        return
    node["type"] = next(k for k in kinds if k != "null")
    node["nullable"] = True
