"""The facts of one operation: its method name, arguments (path, query, header, body) and responses."""

from __future__ import annotations

import re
from typing import Any

from generator.facts.annotations import Builder
from generator.facts.contract import OperationFacts, Param, Response
from generator.facts.errors import facts_error
from generator.facts.names import check_name, pascal_case, python_identifier
from generator.spec.extensions import (
    WEBHOOK_VERIFICATION_KEY,
)
from generator.spec.model import (
    OperationRef,
    media_types,
)

BINARY_MEDIA_TYPES = frozenset({"application/pdf", "application/zip", "application/octet-stream"})


JSON_MEDIA_TYPE = "application/json"


# Names a generated method's own keyword arguments use; a parameter may not take them.
CALL_ARGUMENTS = frozenset(
    {"self", "body", "params", "extra_headers", "extra_body", "timeout", "max_retries"}
)


def _parameter_facts(builder: Builder, ref: OperationRef) -> list[Param]:
    params = []
    for parameter in ref.parameters:
        if parameter.location == "cookie":
            raise facts_error(
                f"{ref.where}: cookie parameter {parameter.name!r} is not supported", parameter.pointer
            )
        if parameter.location not in ("path", "query", "header"):
            raise facts_error(
                f"{ref.where}: parameter {parameter.name!r} has unknown location", parameter.pointer
            )
        if "schema" not in parameter.parameter:
            raise facts_error(
                f"{ref.where}: parameter {parameter.name!r} needs a `schema`", parameter.pointer
            )
        schema = parameter.parameter["schema"]
        annotation, nullable = builder.annotation(schema, (*parameter.pointer, "schema"), "Param")
        required = bool(parameter.parameter.get("required")) or parameter.location == "path"
        description = " ".join(
            str(parameter.parameter.get("description", "")).split()
        ) or builder.description(schema)
        params.append(
            Param(
                python_name=python_identifier(parameter.name),
                json_name=parameter.name,
                annotation=annotation,
                required=required,
                nullable=nullable,
                description=description,
                location=parameter.location,
            )
        )
    if ref.path is not None:
        declared = {p.json_name for p in params if p.location == "path"}
        for name in re.findall(r"\{([^}]+)\}", ref.path):
            if name not in declared:
                raise facts_error(f"{ref.where}: path template {{{name}}} has no path parameter", ref.pointer)
    return params


def _body_facts(
    builder: Builder, ref: OperationRef, credential_fields: set[str]
) -> tuple[str | None, bool, list[Param]]:
    pointer = (*ref.pointer, "requestBody")
    if "requestBody" not in ref.operation:
        return None, False, []
    body = builder.model.resolve(ref.operation["requestBody"], pointer)
    content = media_types(body)
    if JSON_MEDIA_TYPE not in content:
        # Alternatives beside JSON (Plaid's older specs offer `application/xml`) are left unused;
        # only a body with no JSON choice is refused. An empty entry declares nothing (Plaid's
        # spec has a stray `examples: {}` there).
        for media_type, media in content.items():
            if media != {}:
                raise facts_error(
                    f"{ref.where}: request body media type {media_type!r} is not supported"
                    f" (only {JSON_MEDIA_TYPE})",
                    (*pointer, "content", media_type),
                )
    media = content.get(JSON_MEDIA_TYPE)
    if not isinstance(media, dict) or "schema" not in media:
        raise facts_error(f"{ref.where} request body needs an application/json schema", pointer)
    schema_pointer = (*pointer, "content", JSON_MEDIA_TYPE, "schema")
    request_class = builder.class_name(media["schema"], f"{ref.where} request body", schema_pointer)
    schema = builder.model.merge_all_of(
        builder.model.resolve(media["schema"], schema_pointer), schema_pointer
    )
    body_required = bool(body.get("required"))
    required = set(schema.get("required") or []) if body_required else set()
    params = []
    for json_name, prop in (schema.get("properties") or {}).items():
        if json_name in credential_fields:
            continue  # credentials travel in headers, set once on the client
        prop_pointer = ("components", "schemas", request_class, "properties", json_name)
        annotation, nullable = builder.annotation(prop, prop_pointer, request_class + pascal_case(json_name))
        params.append(
            Param(
                python_name=python_identifier(json_name),
                json_name=json_name,
                annotation=annotation,
                required=json_name in required,
                nullable=nullable,
                description=builder.description(prop),
            )
        )
    return request_class, body_required, params


def _response_facts(builder: Builder, ref: OperationRef) -> tuple[list[Response], str | None]:
    responses = ref.operation.get("responses") or {}
    success = []
    for status in sorted((str(s) for s in responses), key=str):
        if not (len(status) == 3 and status.startswith("2") and status.isdigit()):
            continue
        pointer = (*ref.pointer, "responses", status)
        content = media_types(builder.model.resolve(responses[status], pointer))
        if not content:
            success.append(Response(int(status), "None", "None"))
            continue
        binary = [m for m in content if m in BINARY_MEDIA_TYPES]
        if JSON_MEDIA_TYPE in content:
            schema = content[JSON_MEDIA_TYPE].get("schema")
            where = f"{ref.where} response {status}"
            name = builder.class_name(schema, where, (*pointer, "content", JSON_MEDIA_TYPE, "schema"))
            success.append(Response(int(status), name, name))
        elif binary:
            success.append(Response(int(status), "bytes", "bytes"))
        else:
            media_type = next(iter(content))
            raise facts_error(
                f"{ref.where}: response media type {media_type!r} is not supported",
                (*pointer, "content", media_type),
            )
    if not success:
        raise facts_error(f"{ref.where} has no 2xx response", (*ref.pointer, "responses"))
    error_class = None
    for status in ["default", *sorted(s for s in map(str, responses) if s[:1] in "45")]:
        if status not in responses:
            continue
        pointer = (*ref.pointer, "responses", status)
        media = media_types(builder.model.resolve(responses[status], pointer)).get(JSON_MEDIA_TYPE)
        if isinstance(media, dict) and builder.model.ref_name(media.get("schema")) is not None:
            error_class = builder.class_name(
                media["schema"],
                f"{ref.where} response {status}",
                (*pointer, "content", JSON_MEDIA_TYPE, "schema"),
            )
            break
    return success, error_class


def operation_facts(
    builder: Builder,
    ref: OperationRef,
    credential_fields: set[str],
    examples: dict[tuple[str, str], Any],
    reserved: frozenset[str],
) -> OperationFacts:
    operation_id = ref.operation_id
    if not operation_id:
        raise facts_error(f"{ref.where} has no operationId", ref.pointer)
    python_name = check_name(operation_id, "operationId", (*ref.pointer, "operationId"))
    if python_name in reserved:
        raise facts_error(
            f"operationId {operation_id!r} becomes method {python_name!r},"
            " which would shadow a client attribute",
            (*ref.pointer, "operationId"),
        )
    if ref.operation.get("callbacks"):
        raise facts_error(f"{ref.where}: callbacks are not supported", (*ref.pointer, "callbacks"))
    request_class, body_required, body_params = _body_facts(builder, ref, credential_fields)
    wire_params = _parameter_facts(builder, ref)
    params = [*wire_params, *body_params]
    seen: dict[str, Param] = {}
    for param in params:
        if param.python_name in CALL_ARGUMENTS:
            raise facts_error(
                f"{ref.where}: {param.location} {param.json_name!r} would take the method's own argument"
                f" {param.python_name!r}",
                ref.pointer,
            )
        if param.python_name in seen:
            raise facts_error(
                f"{ref.where}: {param.location} {param.json_name!r} and {seen[param.python_name].location}"
                f" {seen[param.python_name].json_name!r} both become argument {param.python_name!r}",
                ref.pointer,
            )
        seen[param.python_name] = param
    params.sort(key=lambda p: not p.required)
    responses, error_class = _response_facts(builder, ref)
    key_flag = ref.operation.get(WEBHOOK_VERIFICATION_KEY, False)
    if not isinstance(key_flag, bool):
        raise facts_error(
            f"{WEBHOOK_VERIFICATION_KEY} must be true or false",
            (*ref.pointer, WEBHOOK_VERIFICATION_KEY),
        )
    first = responses[0]
    return OperationFacts(
        python_name=python_name,
        operation_id=operation_id,
        method=ref.method,
        path=str(ref.path),
        summary=str(ref.operation.get("summary", "")).strip(),
        description=str(ref.operation.get("description", "")).strip(),
        request_class=request_class,
        response_class=first.annotation,
        error_class=error_class,
        params=tuple(params),
        request_example=examples.get((operation_id, "request")),
        response_example=examples.get((operation_id, str(first.status))),
        error_example=examples.get((operation_id, "default")),
        responses=tuple(responses),
        body_required=body_required,
        pointer=ref.pointer,
        webhook_key=key_flag,
        tags=tuple(str(tag) for tag in ref.operation.get("tags") or []),
    )
