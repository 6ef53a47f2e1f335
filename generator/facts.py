"""The parser stage: turn a validated spec into the Python-shaped facts the templates render.

Templates only render; every decision about names, annotations, which arguments a method takes
and where each travels is made here, where it can be unit-tested. Everything is read through the
one spec model (`generator.spec.model`), so 3.0 keywords pasted into the spec already mean what
3.1 says. Class names are component keys, which is also how datamodel-code-generator is told to
name the models. Whatever the generator cannot honour stops the build with a `FactsError` that
names the construct and its JSON pointer; nothing is dropped silently.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.examples import DEFAULT_EXAMPLE_KEY, iter_examples
from generator.paths import TEMPLATES
from generator.project import ProjectConfig
from generator.spec.extensions import (
    BODY_FIELD,
    ENVIRONMENT,
    HEADER_VALUE,
    WEBHOOK_IDENTITY,
    WEBHOOK_VERIFICATION_KEY,
)
from generator.spec.model import (
    HTTP_METHODS,
    OperationRef,
    Pointer,
    SpecModel,
    SpecModelError,
    media_types,
    pointer_text,
    ref_of,
    schema_types,
)
from generator.webhook_identity import WebhookSchema, webhook_catalogue

__all__ = [
    "HTTP_METHODS",
    "FactsError",
    "OperationFacts",
    "SpecFacts",
    "collect_facts",
    "credential_fields",
    "snake_case",
]

BINARY_MEDIA_TYPES = frozenset({"application/pdf", "application/zip", "application/octet-stream"})
JSON_MEDIA_TYPE = "application/json"
# Names a generated method's own keyword arguments use; a parameter may not take them.
CALL_ARGUMENTS = frozenset(
    {"self", "body", "params", "extra_headers", "extra_body", "timeout", "max_retries"}
)
_ANNOTATION_KEYS = frozenset(
    {"title", "description", "examples", "deprecated", "default", "type", "readOnly", "writeOnly"}
)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NAME_SOURCE = re.compile(r"[A-Za-z0-9_.\- ]+\Z")


class FactsError(Exception):
    """The spec is valid OpenAPI but asks for something the generator cannot honour; says what and where."""


def _error(message: str, pointer: Pointer) -> FactsError:
    return FactsError(f"{message} (at {pointer_text(pointer)})")


def snake_case(name: str) -> str:
    """`sessionTokenCreate` -> `session_token_create`; `LAYER_AUTH` -> `layer_auth`."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return name.strip("_").lower()


def pascal_case(name: str) -> str:
    """`client_user` -> `ClientUser`; `webhookCode` -> `WebhookCode`."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", name) if part)


def python_identifier(json_name: str) -> str:
    """The keyword argument for a property or parameter: snake case, never a Python keyword."""
    name = snake_case(json_name) or "field"
    if name[0].isdigit():
        name = f"field_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name = f"{name}_"
    return name


def is_identifier(name: str) -> bool:
    """Whether `name` can be used as a Python name as it is."""
    return bool(_IDENTIFIER.match(name)) and not keyword.iskeyword(name)


def client_attribute_names() -> frozenset[str]:
    """Every attribute the runtime client classes define (methods, properties, `self.x = ...`)."""
    tree = ast.parse((TEMPLATES / "runtime" / "_base_client.py").read_text(encoding="utf-8"))
    names = {"with_raw_response"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in ast.walk(node):
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(item.name)
                elif isinstance(item, ast.Attribute) and isinstance(item.value, ast.Name):
                    if item.value.id == "self" and isinstance(item.ctx, ast.Store):
                        names.add(item.attr)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
    return frozenset(names)


@dataclass(frozen=True)
class Param:
    """One keyword argument of a generated method: a body property or a path/query/header parameter."""

    python_name: str
    json_name: str
    annotation: str
    required: bool
    nullable: bool
    description: str
    location: str = "body"
    """`body`, `path`, `query` or `header`."""

    @property
    def doc(self) -> str:
        """The argument's line in the method docstring: description, where it travels, optionality."""
        parts = [self.description.rstrip()]
        if self.location != "body":
            parts.append(f"Sent in the {self.location} as `{self.json_name}`.")
        if not self.required:
            parts.append("Optional.")
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class Response:
    """One success status and how its body is read."""

    status: int
    annotation: str
    """`SomeModel`, `bytes` or `None`."""
    reader: str
    """The expression the runtime reads it with (a model class, `bytes` or `None`)."""


@dataclass(frozen=True)
class TypedDictField:
    """One key of a request shape."""

    json_name: str
    annotation: str
    required: bool


@dataclass(frozen=True)
class TypedDictFacts:
    """A `TypedDict` request shape for a nested object, so typos in dict keys are type errors."""

    name: str
    description: str
    fields: tuple[TypedDictField, ...]

    @property
    def class_syntax(self) -> bool:
        """Whether every key is an identifier (else the functional `TypedDict(...)` form is used)."""
        return all(is_identifier(f.json_name) and not keyword.issoftkeyword(f.json_name) for f in self.fields)


@dataclass(frozen=True)
class OperationFacts:
    """Everything a template needs to render one operation."""

    python_name: str
    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    request_class: str | None
    response_class: str
    """The first success status's annotation (a model, `bytes` or `None`)."""
    error_class: str | None
    params: tuple[Param, ...]
    request_example: Any = None
    response_example: Any = None
    error_example: Any = None
    responses: tuple[Response, ...] = ()
    body_required: bool = True
    pointer: Pointer = ()
    webhook_key: bool = False
    tags: tuple[str, ...] = ()

    @property
    def return_annotation(self) -> str:
        """What the method returns: one model, or the union of every success status's."""
        return " | ".join(dict.fromkeys(r.annotation for r in self.responses)) or self.response_class

    @property
    def body_params(self) -> tuple[Param, ...]:
        """The arguments that travel in the JSON body."""
        return tuple(p for p in self.params if p.location == "body")

    @property
    def wire_params(self) -> tuple[Param, ...]:
        """The arguments that travel in the path, the query string or headers."""
        return tuple(p for p in self.params if p.location != "body")

    @property
    def model_names(self) -> tuple[str, ...]:
        """The model classes the operation module imports: its request and success models.

        The error model is named, not imported: it is loaded when an error response arrives.
        """
        names = {r.reader for r in self.responses if r.reader not in ("bytes", "None")}
        if self.request_class:
            names.add(self.request_class)
        return tuple(sorted(names))


@dataclass(frozen=True)
class WebhookFacts:
    """One webhook: from the spec's `webhooks:` section, or a payload schema stating its identity."""

    name: str
    python_name: str
    webhook_type: str
    webhook_code: str
    model_class: str
    summary: str
    example: Any = None


@dataclass(frozen=True)
class WebhookKeyFacts:
    """The operation the webhook verifier fetches signing keys with."""

    method: str
    """The client method (`webhook_verification_key_get`)."""
    argument: str
    """Its keyword argument that takes the key id."""
    attribute: str
    """The response attribute that holds the key."""
    key_class: str


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
    typed_dicts: tuple[TypedDictFacts, ...] = ()
    webhook_key: WebhookKeyFacts | None = None
    default_environment: str = ""
    """The environment a client uses when none is given."""
    error_types: tuple[str, ...] = ()
    """The `error_type` values the spec's error models name (`INVALID_INPUT`, ...), sorted."""
    project: ProjectConfig = field(default_factory=ProjectConfig)
    webhook_duplicates: tuple[tuple[WebhookSchema, ...], ...] = ()
    """Payload schemas left untyped because another states the same (type, code) (see
    `generator.webhook_identity`); only for a spec without a `webhooks:` section."""

    @property
    def operation_names(self) -> tuple[str, ...]:
        """Every name the testing kit takes for an operation: its method name and its operationId."""
        return tuple(sorted({name for op in self.operations for name in (op.python_name, op.operation_id)}))

    def operation(self, python_name: str) -> OperationFacts:
        """Look an operation up by its generated method name."""
        for operation in self.operations:
            if operation.python_name == python_name:
                return operation
        raise KeyError(python_name)

    def _annotation_names(self) -> set[str]:
        names = set()
        for op in self.operations:
            for text in [op.return_annotation, *(p.annotation for p in op.params)]:
                names.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
        return names

    @property
    def client_model_imports(self) -> tuple[str, ...]:
        """The model classes that the generated client module refers to."""
        return tuple(sorted(self._annotation_names() & set(self.model_classes)))

    @property
    def client_type_imports(self) -> tuple[str, ...]:
        """The request shapes (`TypedDict`s) that the generated client module refers to."""
        return tuple(sorted(self._annotation_names() & {t.name for t in self.typed_dicts}))

    @property
    def typed_dict_imports(self) -> tuple[str, ...]:
        """The model classes the request shapes refer to."""
        names: set[str] = set()
        for shape in self.typed_dicts:
            for item in shape.fields:
                names.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", item.annotation))
        return tuple(sorted(names & set(self.model_classes)))

    @property
    def model_users(self) -> dict[str, tuple[str, ...]]:
        """Who loads which models, the grouping of the models into modules: user -> the models it names.

        Each operation uses its request and success models, all webhooks together their payloads
        and their union (the webhooks module imports them at once), each error model itself.
        """
        users: dict[str, tuple[str, ...]] = {}
        for op in self.operations:
            own = tuple(name for name in op.model_names if name != op.error_class)
            if own:
                users[op.python_name] = own
        hooks = {hook.model_class for hook in self.webhooks} | set(filter(None, [self.webhook_union_class]))
        errors = sorted({op.error_class for op in self.operations if op.error_class})
        named: list[tuple[str, tuple[str, ...]]] = [(snake_case(error), (error,)) for error in errors]
        if hooks:
            named.append(("webhooks", tuple(sorted(hooks))))
        for name, models in named:  # an operation may have taken the name already
            users[name if name not in users else f"{name}_{len(users)}"] = models
        return users

    @property
    def datetime_needed(self) -> bool:
        """Whether some method annotation mentions `datetime`."""
        return any("datetime." in p.annotation for op in self.operations for p in op.params)


class _Builder:
    """The decisions over one spec: annotations, request shapes, operations, webhooks."""

    def __init__(self, model: SpecModel) -> None:
        self.model = model
        self.typed_dicts: dict[str, TypedDictFacts] = {}
        self._building: set[str] = set()

    # -- names ------------------------------------------------------------------------------------

    def class_name(self, schema: Any, where: str, pointer: Pointer) -> str:
        """The model class of a `$ref` to a component: the component key, checked as an identifier."""
        name = self.model.ref_name(schema)
        if name is None:
            raise _error(f"{where} must be a $ref to a component schema", pointer)
        self.model.resolve(schema, pointer)
        if not is_identifier(name):
            raise _error(
                f"component key {name!r} is not a Python identifier", ("components", "schemas", name)
            )
        return name

    # -- annotations ------------------------------------------------------------------------------

    def annotation(self, schema: Any, pointer: Pointer, owner: str) -> tuple[str, bool]:
        """The annotation of a value of `schema` in a signature or request shape, and its nullability."""
        if not isinstance(schema, dict):
            return "Any", False
        name = self.model.ref_name(schema)
        if name is not None:
            target = self.model.resolve(schema, pointer)
            if self._is_object(target):
                shape = self.shape(name, target)
                cls = self.class_name(schema, "a nested object", pointer)
                return f"{cls} | {shape}", self.model.admits_null(target)
            return self.annotation(target, ("components", "schemas", name), name)
        if ref_of(schema) is not None:
            return self.annotation(self.model.resolve(schema, pointer), pointer, owner)
        if "allOf" in schema:
            members = schema["allOf"]
            if len(members) == 1 and set(schema) - {"allOf"} <= _ANNOTATION_KEYS:
                inner, nullable = self.annotation(members[0], (*pointer, "allOf", "0"), owner)
                return inner, nullable or "null" in schema_types(schema)
            return self.annotation(self.model.merge_all_of(schema, pointer), pointer, owner)
        variants = schema.get("anyOf") or schema.get("oneOf")
        if variants:
            non_null = [v for v in variants if not (isinstance(v, dict) and v.get("type") == "null")]
            nullable = len(non_null) != len(variants)
            parts = []
            for index, variant in enumerate(non_null):
                text, inner_nullable = self.annotation(variant, (*pointer, "anyOf", str(index)), owner)
                nullable = nullable or inner_nullable
                parts.append(text)
            if "str" in parts and all(p == "str" or p.startswith("Literal[") for p in parts):
                return "str", nullable  # an open enum: any string goes
            return " | ".join(dict.fromkeys(parts)) or "Any", nullable
        types = schema_types(schema)
        nullable = "null" in types
        types = [t for t in types if t != "null"]
        if "const" in schema:
            return f"Literal[{schema['const']!r}]", nullable or schema["const"] is None
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            text = f"Literal[{', '.join(repr(v) for v in values)}]" if values else "None"
            if any(not isinstance(v, str | int) for v in values):
                # `Literal` takes no floats (Plaid's model versions are `4.1, 4, "3_lite"`): the value types.
                names = {bool: "bool", int: "int", float: "float", str: "str"}
                text = " | ".join(sorted({names.get(type(v), "Any") for v in values}))
            return text, nullable or None in schema["enum"]
        if len(types) != 1:
            return "Any", nullable
        kind = types[0]
        if kind == "array":
            item, _ = self.annotation(schema.get("items") or {}, (*pointer, "items"), owner)
            return f"Sequence[{item}]", nullable
        if kind == "object":
            if schema.get("properties"):
                return self.shape(owner, schema), nullable
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                inner, inner_nullable = self.annotation(extra, (*pointer, "additionalProperties"), owner)
                return f"Mapping[str, {inner}{' | None' if inner_nullable else ''}]", nullable
            return "Mapping[str, Any]", nullable
        if kind == "string" and schema.get("format") == "date-time":
            return "datetime.datetime | str", nullable
        scalar = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
        return scalar.get(kind, "Any"), nullable

    def _is_object(self, schema: Any) -> bool:
        # Only a schema with properties becomes a model class; datamodel-code-generator collapses a
        # map (`type: object` with only `additionalProperties`) or an `allOf` wrapper of an enum.
        if not isinstance(schema, dict):
            return False
        if "allOf" in schema:
            schema = self.model.merge_all_of(schema, ())
        return "properties" in schema

    def shape(self, name: str, schema: Mapping[str, Any]) -> str:
        """The `TypedDict` request shape for an object schema, built once per name."""
        shape_name = f"{name}Param"
        if shape_name in self.typed_dicts or shape_name in self._building:
            return shape_name
        self._building.add(shape_name)
        merged = self.model.merge_all_of(schema, ("components", "schemas", name))
        required = set(merged.get("required") or [])
        fields = []
        for json_name, prop in (merged.get("properties") or {}).items():
            inner, nullable = self.annotation(
                prop, ("components", "schemas", name, "properties", json_name), name + pascal_case(json_name)
            )
            optional_none = json_name not in required and not nullable
            suffix = " | None" if nullable or optional_none else ""
            fields.append(TypedDictField(json_name, f"{inner}{suffix}", json_name in required))
        description = " ".join(str(merged.get("description", "")).split())
        self.typed_dicts[shape_name] = TypedDictFacts(shape_name, description, tuple(fields))
        self._building.discard(shape_name)
        return shape_name

    def description(self, schema: Any) -> str:
        if isinstance(schema, dict) and schema.get("description"):
            return " ".join(str(schema["description"]).split())
        if ref_of(schema) is not None:
            try:
                return self.description(self.model.resolve(schema))
            except SpecModelError:
                return ""
        if isinstance(schema, dict) and isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
            return self.description(schema["allOf"][0])
        return ""


def _parameter_facts(builder: _Builder, ref: OperationRef) -> list[Param]:
    params = []
    for parameter in ref.parameters:
        if parameter.location == "cookie":
            raise _error(
                f"{ref.where}: cookie parameter {parameter.name!r} is not supported", parameter.pointer
            )
        if parameter.location not in ("path", "query", "header"):
            raise _error(f"{ref.where}: parameter {parameter.name!r} has unknown location", parameter.pointer)
        if "schema" not in parameter.parameter:
            raise _error(f"{ref.where}: parameter {parameter.name!r} needs a `schema`", parameter.pointer)
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
                raise _error(f"{ref.where}: path template {{{name}}} has no path parameter", ref.pointer)
    return params


def _body_facts(
    builder: _Builder, ref: OperationRef, credential_fields: set[str]
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
                raise _error(
                    f"{ref.where}: request body media type {media_type!r} is not supported"
                    f" (only {JSON_MEDIA_TYPE})",
                    (*pointer, "content", media_type),
                )
    media = content.get(JSON_MEDIA_TYPE)
    if not isinstance(media, dict) or "schema" not in media:
        raise _error(f"{ref.where} request body needs an application/json schema", pointer)
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


def _response_facts(builder: _Builder, ref: OperationRef) -> tuple[list[Response], str | None]:
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
            raise _error(
                f"{ref.where}: response media type {media_type!r} is not supported",
                (*pointer, "content", media_type),
            )
    if not success:
        raise _error(f"{ref.where} has no 2xx response", (*ref.pointer, "responses"))
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


def _check_name(value: str, what: str, pointer: Pointer) -> str:
    if not _NAME_SOURCE.match(value):
        raise _error(f"{what} {value!r} may only hold letters, digits, '_', '-', '.' and spaces", pointer)
    name = snake_case(value)
    if not is_identifier(name):
        raise _error(f"{what} {value!r} gives no usable Python name ({name!r})", pointer)
    return name


def _operation_facts(
    builder: _Builder,
    ref: OperationRef,
    credential_fields: set[str],
    examples: dict[tuple[str, str], Any],
    reserved: frozenset[str],
) -> OperationFacts:
    operation_id = ref.operation_id
    if not operation_id:
        raise _error(f"{ref.where} has no operationId", ref.pointer)
    python_name = _check_name(operation_id, "operationId", (*ref.pointer, "operationId"))
    if python_name in reserved:
        raise _error(
            f"operationId {operation_id!r} becomes method {python_name!r},"
            " which would shadow a client attribute",
            (*ref.pointer, "operationId"),
        )
    if ref.operation.get("callbacks"):
        raise _error(f"{ref.where}: callbacks are not supported", (*ref.pointer, "callbacks"))
    request_class, body_required, body_params = _body_facts(builder, ref, credential_fields)
    wire_params = _parameter_facts(builder, ref)
    params = [*wire_params, *body_params]
    seen: dict[str, Param] = {}
    for param in params:
        if param.python_name in CALL_ARGUMENTS:
            raise _error(
                f"{ref.where}: {param.location} {param.json_name!r} would take the method's own argument"
                f" {param.python_name!r}",
                ref.pointer,
            )
        if param.python_name in seen:
            raise _error(
                f"{ref.where}: {param.location} {param.json_name!r} and {seen[param.python_name].location}"
                f" {seen[param.python_name].json_name!r} both become argument {param.python_name!r}",
                ref.pointer,
            )
        seen[param.python_name] = param
    params.sort(key=lambda p: not p.required)
    responses, error_class = _response_facts(builder, ref)
    key_flag = ref.operation.get(WEBHOOK_VERIFICATION_KEY, False)
    if not isinstance(key_flag, bool):
        raise _error(
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


def _webhook_facts(
    builder: _Builder, ref: OperationRef, examples: dict[tuple[str, str], Any]
) -> WebhookFacts:
    name = str(ref.name)
    python_name = _check_name(name, "webhook name", ref.pointer)
    where = ref.where
    pointer = (*ref.pointer, "requestBody", "content", JSON_MEDIA_TYPE, "schema")
    body = builder.model.resolve(ref.operation.get("requestBody") or {}, (*ref.pointer, "requestBody"))
    media = media_types(body).get(JSON_MEDIA_TYPE)
    if not isinstance(media, dict) or "schema" not in media:
        raise _error(f"{where} payload needs an application/json schema", (*ref.pointer, "requestBody"))
    model_class = builder.class_name(media["schema"], f"{where} payload", pointer)
    payload = builder.model.merge_all_of(builder.model.resolve(media["schema"], pointer), pointer)
    properties = payload.get("properties") or {}
    declared = ref.operation.get(WEBHOOK_IDENTITY)
    if declared is not None and not (
        isinstance(declared, dict)
        and all(isinstance(declared.get(k), str) for k in ("webhook_type", "webhook_code"))
    ):
        raise _error(
            f"{WEBHOOK_IDENTITY} needs string `webhook_type` and `webhook_code`",
            (*ref.pointer, WEBHOOK_IDENTITY),
        )
    constants = {}
    for key in ("webhook_type", "webhook_code"):
        value = builder.model.resolve(properties.get(key) or {}, pointer).get("const")
        if declared is not None:
            if isinstance(value, str) and value != declared[key]:
                raise _error(
                    f"{where}: {WEBHOOK_IDENTITY} says {key} {declared[key]!r},"
                    f" the payload's const {value!r}",
                    (*ref.pointer, WEBHOOK_IDENTITY),
                )
            value = declared[key]
        if not isinstance(value, str):
            raise _error(
                f"{where} payload needs `{key}` as a string const"
                f" (or the operation needs {WEBHOOK_IDENTITY})",
                pointer,
            )
        constants[key] = value
    return WebhookFacts(
        name=name,
        python_name=python_name,
        webhook_type=constants["webhook_type"],
        webhook_code=constants["webhook_code"],
        model_class=model_class,
        summary=" ".join(str(ref.operation.get("summary", "")).split()),
        example=examples.get((name, "webhook")),
    )


def _described_webhook_facts(builder: _Builder, hook: WebhookSchema) -> WebhookFacts:
    """A webhook read from a payload schema that states its identity (a spec without `webhooks:`)."""
    pointer = ("components", "schemas", hook.schema)
    model_class = builder.class_name({"$ref": hook.pointer}, f"webhook {hook.key} payload", pointer)
    schema = builder.model.resolve(builder.model.schema(hook.schema), pointer)
    described = " ".join(str(schema.get("description", "")).split())
    examples = schema.get("examples")
    return WebhookFacts(
        name=hook.key,
        python_name=_check_name(hook.key, "webhook name", pointer),
        webhook_type=hook.webhook_type,
        webhook_code=hook.webhook_code,
        model_class=model_class,
        summary=described.split(". ")[0].rstrip("."),
        example=examples[0] if isinstance(examples, list) and examples else None,
    )


def _webhook_union(builder: _Builder, webhooks: tuple[WebhookFacts, ...]) -> str | None:
    """The component that is a discriminated `oneOf` of exactly the webhook payloads, if any."""
    wanted = {w.model_class for w in webhooks}
    for key, schema in sorted(builder.model.schemas.items()):
        variants = schema.get("oneOf") if isinstance(schema, dict) else None
        if variants and schema.get("discriminator"):
            members = {builder.model.ref_name(v) for v in variants}
            if members == wanted:
                return key
    return None


def _returns_jwk(builder: _Builder, op: OperationFacts) -> bool:
    """Whether the operation's response holds a required JSON Web Key (a schema with `kid` and `kty`)."""
    if op.response_class not in builder.model.schemas:
        return False
    response = builder.model.merge_all_of(builder.model.schema(op.response_class), op.pointer)
    for attribute, prop in (response.get("properties") or {}).items():
        name = builder.model.ref_name(prop)
        if name is None or attribute not in set(response.get("required") or []):
            continue
        key = builder.model.merge_all_of(builder.model.schema(name), op.pointer)
        if {"kid", "kty"} <= set(key.get("properties") or {}):
            return True
    return False


def _webhook_key(
    builder: _Builder, operations: list[OperationFacts], configured: str | None
) -> WebhookKeyFacts | None:
    marked = [op for op in operations if op.webhook_key]
    if configured is not None:
        chosen = [op for op in operations if op.operation_id == configured]
        if not chosen:
            raise FactsError(f"project config: webhooks.key_operation {configured!r} is no operationId")
        if marked and marked != chosen:
            raise FactsError(
                f"project config: webhooks.key_operation {configured!r} disagrees with the spec's "
                f"{WEBHOOK_VERIFICATION_KEY} on {marked[0].operation_id}"
            )
        marked = chosen
    if not marked:
        # The rule for a spec without the extension: the one operation that returns a JWK.
        found = [op for op in operations if _returns_jwk(builder, op)]
        marked = found if len(found) == 1 else []
    if len(marked) > 1:
        names = ", ".join(op.operation_id for op in marked)
        raise _error(f"{WEBHOOK_VERIFICATION_KEY} is on more than one operation: {names}", marked[1].pointer)
    if not marked:
        return None
    op = marked[0]
    required = [p for p in op.params if p.required]
    if len(required) != 1 or op.response_class not in builder.model.schemas:
        raise _error(
            f"{WEBHOOK_VERIFICATION_KEY}: {op.operation_id} needs exactly one required argument (the key id)"
            " and a JSON response model",
            op.pointer,
        )
    response = builder.model.merge_all_of(builder.model.schema(op.response_class), op.pointer)
    for attribute, prop in (response.get("properties") or {}).items():
        key_class = builder.model.ref_name(prop)
        if key_class is not None and attribute in set(response.get("required") or []):
            return WebhookKeyFacts(
                op.python_name, required[0].python_name, python_identifier(attribute), key_class
            )
    raise _error(
        f"{WEBHOOK_VERIFICATION_KEY}: the response of {op.operation_id} needs a required property"
        " that is a $ref to the key's schema",
        op.pointer,
    )


def _default_environment(environments: Mapping[str, str], configured: str | None) -> str:
    """The configured server name, which must be one of the spec's; unset, `sandbox` or the first."""
    if configured is None:
        return "sandbox" if "sandbox" in environments else next(iter(environments))
    if configured not in environments:
        known = ", ".join(environments)
        raise FactsError(
            f"project config: client.default_environment {configured!r} is no server of the spec; "
            f"expected one of: {known}"
        )
    return configured


def collect_facts(spec: SpecModel | dict[str, Any], project: ProjectConfig | None = None) -> SpecFacts:
    """Read the facts the templates need from a validated spec (a model or a parsed document)."""
    model = spec if isinstance(spec, SpecModel) else SpecModel.from_document(spec)
    try:
        return _collect(model, project or ProjectConfig())
    except SpecModelError as exc:
        raise FactsError(str(exc)) from exc


def credential_fields(model: SpecModel, project: ProjectConfig) -> frozenset[str]:
    """The request-body fields that carry a credential, which the client sends in a header instead.

    The same rule `generate` applies: a scheme's `x-body-field`, or the body property a credential
    header is named after. Raises `FactsError` for an apiKey header with no value, as `generate` does.
    """
    version = str((model.document.get("info") or {}).get("version", ""))
    try:
        return frozenset(_headers(model, project, version)[1])
    except SpecModelError as exc:
        raise FactsError(str(exc)) from exc


def _request_properties(model: SpecModel) -> tuple[int, dict[str, int]]:
    """How many operations have a JSON request body, and in how many of them each property occurs."""
    bodies = 0
    counts: dict[str, int] = {}
    for ref in model.operations():
        if "requestBody" not in ref.operation:
            continue
        pointer = (*ref.pointer, "requestBody")
        media = media_types(model.resolve(ref.operation["requestBody"], pointer)).get(JSON_MEDIA_TYPE)
        if not isinstance(media, dict) or "schema" not in media:
            continue
        schema = model.merge_all_of(model.resolve(media["schema"], pointer), pointer)
        bodies += 1
        for name in schema.get("properties") or {}:
            counts[name] = counts.get(name, 0) + 1
    return bodies, counts


def _body_twin(header: str, bodies: int, counts: dict[str, int]) -> str | None:
    """The request-body property a credential header stands for (`PLAID-CLIENT-ID` -> `client_id`).

    The header's snake-case name must end with the property's name, and the property must occur in
    most request bodies, as credentials do; of several candidates the longest wins.
    """
    snake = snake_case(header)
    candidates = [
        name
        for name, count in counts.items()
        if (snake == name or snake.endswith("_" + name)) and 2 * count > bodies
    ]
    return max(candidates, key=len) if candidates else None


def _version_value(version: str) -> str:
    """The API version a version header pins, from `info.version` (`2020-09-14_1.697.4` -> `2020-09-14`)."""
    date = re.match(r"\d{4}-\d{2}-\d{2}", version)
    return date.group(0) if date else version.split("_", 1)[0]


def _headers(model: SpecModel, project: ProjectConfig, version: str) -> tuple[dict[str, str], dict[str, str]]:
    """The fixed headers and the credential headers (body field -> header) of the spec's apiKey schemes.

    The extensions `x-header-value` and `x-body-field` win; otherwise a header is a credential when
    a body property stands for it, else a fixed header valued by the project config or, for a
    version header, by `info.version`.
    """
    security = model.security_schemes()
    bodies: int = -1
    counts: dict[str, int] = {}
    default_headers: dict[str, str] = {}
    credential_headers: dict[str, str] = {}
    for key, scheme in security.items():
        if scheme.get("type") != "apiKey" or scheme.get("in") != "header":
            continue
        header = str(scheme["name"])
        if HEADER_VALUE in scheme:
            default_headers[header] = str(scheme[HEADER_VALUE])
            continue
        if BODY_FIELD in scheme:
            credential_headers[str(scheme[BODY_FIELD])] = header
            continue
        if header in project.headers:
            default_headers[header] = project.headers[header]
            continue
        if bodies < 0:
            bodies, counts = _request_properties(model)
        twin = _body_twin(header, bodies, counts)
        if twin is not None:
            credential_headers[twin] = header
        elif "version" in header.lower() and version:
            default_headers[header] = _version_value(version)
        else:
            raise _error(
                f"apiKey header {header!r} has no value: give it x-header-value or x-body-field,"
                " or its value under [headers] in the project config",
                ("components", "securitySchemes", key),
            )
    return default_headers, credential_headers


def _collect(model: SpecModel, project: ProjectConfig) -> SpecFacts:
    document = model.document
    for pointer in model.non_local_refs():
        raise _error("only local $refs (starting with '#') are supported", pointer)
    builder = _Builder(model)
    info = document.get("info") or {}
    environments = {}
    for server in document.get("servers") or []:
        name = server.get(ENVIRONMENT) or str(server.get("description", "")).lower()
        if name:
            if not is_identifier(name) and not re.fullmatch(r"[a-z0-9_-]+", name):
                raise _error(f"server environment name {name!r} is not a plain name", ("servers",))
            environments[name] = str(server["url"]).rstrip("/")
    if not environments:
        raise FactsError("the spec needs at least one server with `x-environment` (or a description)")

    default_headers, credential_headers = _headers(model, project, str(info.get("version", "")))
    for needed in ("client_id", "secret"):
        if needed not in credential_headers:
            raise FactsError(
                f"no apiKey header security scheme has `x-body-field: {needed}`"
                f" or is named after a body property {needed!r}"
            )

    examples: dict[tuple[str, str], Any] = {}
    for example in iter_examples(model):
        # The example called `documented`, else the first one (Plaid's are `example-1`, ...).
        part = {"request": "request", "webhook": "webhook"}.get(example.kind, str(example.status))
        if example.key == DEFAULT_EXAMPLE_KEY or (example.owner, part) not in examples:
            examples[(example.owner, part)] = example.value

    reserved = client_attribute_names()
    operations = []
    by_name: dict[str, OperationFacts] = {}
    for ref in sorted(model.operations(), key=lambda r: (str(r.path), HTTP_METHODS.index(r.method))):
        op = _operation_facts(builder, ref, set(credential_headers), examples, reserved)
        if op.python_name in by_name:
            other = by_name[op.python_name]
            raise _error(
                f"two operations map to the same method name: {op.python_name}"
                f" ({other.method.upper()} {other.path} and {op.method.upper()} {op.path})",
                (*ref.pointer, "operationId"),
            )
        by_name[op.python_name] = op
        operations.append(op)

    webhooks = []
    identities: dict[tuple[str, str], str] = {}
    for ref in sorted(model.webhooks(), key=lambda r: (str(r.name), HTTP_METHODS.index(r.method))):
        hook = _webhook_facts(builder, ref, examples)
        identity = (hook.webhook_type, hook.webhook_code)
        if identity in identities:
            raise _error(
                f"webhooks {identities[identity]} and {hook.name} share webhook_type {identity[0]!r}"
                f" and webhook_code {identity[1]!r}",
                ref.pointer,
            )
        identities[identity] = hook.name
        webhooks.append(hook)
    duplicates: tuple[tuple[WebhookSchema, ...], ...] = ()
    if not model.has_webhooks_section():
        catalogue = webhook_catalogue(model)
        webhooks.extend(_described_webhook_facts(builder, hook) for hook in catalogue.by_identity.values())
        webhooks.sort(key=lambda hook: hook.name)
        duplicates = catalogue.duplicates
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
        webhook_union_class=_webhook_union(builder, webhook_tuple),
        model_classes=tuple(sorted(model.schemas)),
        typed_dicts=tuple(builder.typed_dicts[name] for name in sorted(builder.typed_dicts)),
        webhook_key=_webhook_key(builder, operations, project.webhook_key_operation),
        default_environment=_default_environment(environments, project.default_environment),
        error_types=_error_types(model, operations),
        project=project,
        webhook_duplicates=duplicates,
    )


def _error_types(model: SpecModel, operations: list[OperationFacts]) -> tuple[str, ...]:
    """The `error_type` values named by the error models of `operations` (their `default` responses)."""
    found: set[str] = set()
    for name in sorted({op.error_class for op in operations if op.error_class}):
        schema = model.schemas.get(name)
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if isinstance(properties, dict) and "error_type" in properties:
            where = ("components", "schemas", name, "properties", "error_type")
            found.update(model.known_strings(properties["error_type"], where))
    return tuple(sorted(found))
