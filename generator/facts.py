"""The parser stage: turn a validated spec into the Python-shaped facts the templates render.

Templates only render; every decision about names, annotations and which fields a method takes
is made here, where it can be unit-tested. Class names are the schemas' titles (the spec keeps
`title` equal to the component key), which is also how datamodel-code-generator names the models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.examples import DEFAULT_EXAMPLE_KEY, iter_examples

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
OPEN_ENUM_HINT = "open enum"


class FactsError(Exception):
    """The spec is valid OpenAPI but lacks something the generator needs; the message says what."""


def snake_case(name: str) -> str:
    """`sessionTokenCreate` -> `session_token_create`; `LAYER_AUTH` -> `layer_auth`."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return name.strip("_").lower()


@dataclass(frozen=True)
class Param:
    """One keyword argument of a generated method: a property of the request body."""

    python_name: str
    json_name: str
    annotation: str
    required: bool
    nullable: bool
    description: str


@dataclass(frozen=True)
class OperationFacts:
    """Everything a template needs to render one operation."""

    python_name: str
    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    request_class: str
    response_class: str
    error_class: str | None
    params: tuple[Param, ...]
    request_example: Any = None
    response_example: Any = None
    error_example: Any = None


@dataclass(frozen=True)
class WebhookFacts:
    """One webhook from the spec's `webhooks:` section."""

    name: str
    python_name: str
    webhook_type: str
    webhook_code: str
    model_class: str
    summary: str
    example: Any = None


@dataclass(frozen=True)
class SpecFacts:
    """The whole spec as the templates see it."""

    title: str
    version: str
    description: str
    environments: dict[str, str]
    default_headers: dict[str, str]
    credential_headers: dict[str, str]
    """Body field name (`client_id`) -> header carrying it (`PLAID-CLIENT-ID`)."""
    operations: tuple[OperationFacts, ...]
    webhooks: tuple[WebhookFacts, ...]
    webhook_union_class: str | None
    model_classes: tuple[str, ...] = field(default=())

    def operation(self, python_name: str) -> OperationFacts:
        """Look an operation up by its generated method name."""
        for operation in self.operations:
            if operation.python_name == python_name:
                return operation
        raise KeyError(python_name)

    @property
    def client_model_imports(self) -> tuple[str, ...]:
        """The model classes that the generated client module refers to."""
        known = set(self.model_classes)
        names = set()
        for op in self.operations:
            names.add(op.response_class)
            for param in op.params:
                names.update(n for n in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", param.annotation) if n in known)
        return tuple(sorted(names))

    @property
    def datetime_needed(self) -> bool:
        """Whether some method annotation mentions `datetime`."""
        return any("datetime." in p.annotation for op in self.operations for p in op.params)


class _Schemas:
    """Resolves local `$ref`s and answers questions about schemas."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.components: dict[str, Any] = (spec.get("components") or {}).get("schemas") or {}

    def ref_name(self, schema: dict[str, Any]) -> str | None:
        ref = schema.get("$ref")
        if not isinstance(ref, str):
            return None
        prefix = "#/components/schemas/"
        if not ref.startswith(prefix):
            raise FactsError(f"only local component $refs are supported, got {ref!r}")
        name = ref[len(prefix) :]
        if name not in self.components:
            raise FactsError(f"$ref to missing schema {name!r}")
        return name

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        seen = set()
        while (name := self.ref_name(schema)) is not None:
            if name in seen:
                raise FactsError(f"circular $ref through {name!r}")
            seen.add(name)
            schema = self.components[name]
        return schema

    def class_name(self, schema: dict[str, Any], where: str) -> str:
        name = self.ref_name(schema)
        if name is None:
            raise FactsError(f"{where} must be a $ref to a component schema")
        return str(self.components[name].get("title", name))

    def description(self, schema: dict[str, Any]) -> str:
        if schema.get("description"):
            return str(schema["description"]).strip()
        if self.ref_name(schema) is not None:
            return self.description(self.resolve(schema))
        return ""

    def annotation(self, schema: dict[str, Any]) -> tuple[str, bool]:
        """The Python annotation for a value of `schema` in a method signature, and its nullability."""
        nullable = False
        variants = schema.get("anyOf") or schema.get("oneOf")
        if variants and self.ref_name(schema) is None:
            non_null = [v for v in variants if v.get("type") != "null"]
            nullable = len(non_null) != len(variants)
            if len(non_null) == 1:
                inner, inner_nullable = self.annotation(non_null[0])
                return inner, nullable or inner_nullable
            parts = []
            for variant in non_null:
                text, _ = self.annotation(variant)
                parts.append(text)
            if "str" in parts:  # an open enum: any string goes
                return "str", nullable
            return " | ".join(dict.fromkeys(parts)), nullable
        name = self.ref_name(schema)
        if name is not None:
            target = self.components[name]
            if target.get("type") == "object" or "properties" in target:
                return f"{target.get('title', name)} | Mapping[str, Any]", False
            return self.annotation(target)
        types = schema.get("type", [])
        if isinstance(types, str):
            types = [types]
        nullable = "null" in types
        types = [t for t in types if t != "null"]
        if "const" in schema:
            return f"Literal[{schema['const']!r}]", nullable
        if "enum" in schema:
            values = ", ".join(repr(v) for v in schema["enum"] if v is not None)
            return f"Literal[{values}]", nullable or None in schema["enum"]
        if len(types) != 1:
            return "Any", nullable
        kind = types[0]
        if kind == "array":
            item, _ = self.annotation(schema.get("items") or {})
            return f"Sequence[{item}]", nullable
        if kind == "object":
            return "Mapping[str, Any]", nullable
        if kind == "string" and schema.get("format") == "date-time":
            return "datetime.datetime | str", nullable
        scalar = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
        return scalar.get(kind, "Any"), nullable


def _media_schema(container: dict[str, Any], where: str) -> dict[str, Any]:
    content = container.get("content") or {}
    media = content.get("application/json")
    if media is None or "schema" not in media:
        raise FactsError(f"{where} needs an application/json schema")
    return dict(media["schema"])


def _operation_facts(
    schemas: _Schemas,
    method: str,
    path: str,
    operation: dict[str, Any],
    credential_fields: set[str],
    examples: dict[tuple[str, str], Any],
) -> OperationFacts:
    where = f"{method.upper()} {path}"
    operation_id = operation.get("operationId")
    if not operation_id:
        raise FactsError(f"{where} has no operationId")
    request_schema = _media_schema(operation.get("requestBody") or {}, f"{where} request body")
    responses = operation.get("responses") or {}
    success = next((str(s) for s in sorted(responses, key=str) if str(s).startswith("2")), None)
    if success is None:
        raise FactsError(f"{where} has no 2xx response")
    response_schema = _media_schema(responses[success], f"{where} response {success}")
    error_class = None
    if "default" in responses and (responses["default"].get("content") or {}).get("application/json"):
        error_class = schemas.class_name(
            _media_schema(responses["default"], where), f"{where} default response"
        )

    body = schemas.resolve(request_schema)
    required = set(body.get("required") or [])
    params = []
    for json_name, prop in (body.get("properties") or {}).items():
        if json_name in credential_fields:
            continue  # credentials travel in headers, set once on the client
        annotation, nullable = schemas.annotation(prop)
        params.append(
            Param(
                python_name=snake_case(json_name)
                if json_name.isidentifier()
                else f"field_{snake_case(json_name)}",
                json_name=json_name,
                annotation=annotation,
                required=json_name in required,
                nullable=nullable,
                description=" ".join(schemas.description(prop).split()),
            )
        )
    params.sort(key=lambda p: not p.required)
    return OperationFacts(
        python_name=snake_case(operation_id),
        operation_id=operation_id,
        method=method,
        path=path,
        summary=str(operation.get("summary", "")).strip(),
        description=str(operation.get("description", "")).strip(),
        request_class=schemas.class_name(request_schema, f"{where} request body"),
        response_class=schemas.class_name(response_schema, f"{where} response {success}"),
        error_class=error_class,
        params=tuple(params),
        request_example=examples.get((operation_id, "request")),
        response_example=examples.get((operation_id, success)),
        error_example=examples.get((operation_id, "default")),
    )


def _webhook_facts(
    schemas: _Schemas, name: str, operation: dict[str, Any], examples: dict[tuple[str, str], Any]
) -> WebhookFacts:
    where = f"webhook {name}"
    payload = _media_schema(operation.get("requestBody") or {}, f"{where} payload")
    model_class = schemas.class_name(payload, f"{where} payload")
    properties = schemas.resolve(payload).get("properties") or {}
    constants = {}
    for key in ("webhook_type", "webhook_code"):
        value = schemas.resolve(properties.get(key) or {}).get("const")
        if not isinstance(value, str):
            raise FactsError(f"{where} payload needs `{key}` as a string const")
        constants[key] = value
    return WebhookFacts(
        name=name,
        python_name=snake_case(name),
        webhook_type=constants["webhook_type"],
        webhook_code=constants["webhook_code"],
        model_class=model_class,
        summary=str(operation.get("summary", "")).strip(),
        example=examples.get((name, "webhook")),
    )


def _webhook_union(schemas: _Schemas, webhooks: tuple[WebhookFacts, ...]) -> str | None:
    """The component that is a discriminated `oneOf` of exactly the webhook payloads, if any."""
    wanted = {w.model_class for w in webhooks}
    for key, schema in sorted(schemas.components.items()):
        variants = schema.get("oneOf")
        if variants and schema.get("discriminator"):
            members = {schemas.class_name(v, f"schema {key}") for v in variants}
            if members == wanted:
                return str(schema.get("title", key))
    return None


def collect_facts(spec: dict[str, Any]) -> SpecFacts:
    """Read the facts the templates need from a validated spec."""
    schemas = _Schemas(spec)
    info = spec.get("info") or {}
    environments = {}
    for server in spec.get("servers") or []:
        name = server.get("x-environment") or str(server.get("description", "")).lower()
        if name:
            environments[name] = str(server["url"]).rstrip("/")
    if not environments:
        raise FactsError("the spec needs at least one server with `x-environment` (or a description)")

    security = (spec.get("components") or {}).get("securitySchemes") or {}
    default_headers: dict[str, str] = {}
    credential_headers: dict[str, str] = {}
    for scheme in security.values():
        if scheme.get("type") != "apiKey" or scheme.get("in") != "header":
            continue
        if "x-header-value" in scheme:
            default_headers[scheme["name"]] = str(scheme["x-header-value"])
        if "x-body-field" in scheme:
            credential_headers[scheme["x-body-field"]] = scheme["name"]
    for needed in ("client_id", "secret"):
        if needed not in credential_headers:
            raise FactsError(f"no apiKey header security scheme has `x-body-field: {needed}`")

    examples: dict[tuple[str, str], Any] = {}
    for example in iter_examples(spec):
        if example.key != DEFAULT_EXAMPLE_KEY:
            continue
        part = {"request": "request", "webhook": "webhook"}.get(example.kind, str(example.status))
        examples[(example.owner, part)] = example.value

    operations = []
    for path, path_item in sorted((spec.get("paths") or {}).items()):
        for method in HTTP_METHODS:
            if method in path_item:
                operations.append(
                    _operation_facts(
                        schemas, method, path, path_item[method], set(credential_headers), examples
                    )
                )
    names = [op.python_name for op in operations]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise FactsError(f"two operations map to the same method name: {', '.join(duplicates)}")

    webhooks = []
    for name, path_item in sorted((spec.get("webhooks") or {}).items()):
        for method in HTTP_METHODS:
            if method in path_item:
                webhooks.append(_webhook_facts(schemas, name, path_item[method], examples))
    webhook_tuple = tuple(webhooks)
    return SpecFacts(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        description=str(info.get("description", "")).strip(),
        environments=environments,
        default_headers=default_headers,
        credential_headers=credential_headers,
        operations=tuple(operations),
        webhooks=webhook_tuple,
        webhook_union_class=_webhook_union(schemas, webhook_tuple),
        model_classes=tuple(sorted(str(s.get("title", k)) for k, s in schemas.components.items())),
    )
