"""The template contract: the dataclasses the templates read, and nothing else decides.

Templates only render; every field here was decided by the other modules of `generator.facts`.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from generator.facts.names import is_identifier, snake_case
from generator.project import ProjectConfig
from generator.spec.model import Pointer
from generator.webhook_identity import WebhookSchema


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
    def typed_dict_datetime_needed(self) -> bool:
        """Whether some request shape's annotation mentions `datetime`."""
        return any("datetime." in item.annotation for shape in self.typed_dicts for item in shape.fields)

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
