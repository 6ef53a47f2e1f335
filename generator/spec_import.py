"""What `layer-codegen import` copies from another OpenAPI document (Plaid's) into ours.

`plan_import` answers one question: for the items asked for (a path, an operationId, a webhook payload
schema or a webhook `TYPE:CODE`), which path items, webhooks and components must be added to our spec,
and which are already there. It reads both documents and writes nothing; `generator.import_command`
applies the plan to the YAML.

- A path item or operation is copied as written (3.0 keywords such as `nullable` included: the spec model
  reads them in a 3.1 document with their 3.0 meaning), with the whole `$ref` closure of components.
- A webhook payload is found by `generator.webhook_identity`'s rule; it gets a `webhooks:` entry keyed by
  `webhook_key(type, code)`, and its `webhook_type` / `webhook_code` properties state their value with
  `const`, as our spec does.
- A component we already have is skipped when it means the same (annotations, extensions and a boolean
  `additionalProperties` aside: unknown response fields are kept by the client whatever the schema says, and
  response enums are open either way); one that means something else is a `ComponentConflict` naming both
  JSON pointers, unless `prefer` says whose wins.
- A copied component schema gets `title` equal to its key, as every component of our spec has.

    plan = plan_import(ours, theirs, ["/link/token/get", "IDENTITY_VERIFICATION:STATUS_UPDATED"])
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.spec.keywords import DATA_KEYS
from generator.spec.model import HTTP_METHODS, SpecModel, parse_pointer, pointer_text, ref_of, refs_in
from generator.webhook_identity import IDENTITY_PROPERTIES, WebhookSchema, identity_of, webhook_catalogue

__all__ = [
    "ComponentConflict",
    "ImportPlan",
    "Prefer",
    "SpecImportError",
    "WebhookEntry",
    "plan_import",
]

Prefer = Literal["ours", "theirs"]
Component = tuple[str, str]
"""(section under `components`, key): `("schemas", "PlaidError")`."""

_ANNOTATIONS = frozenset({"title", "description", "summary", "examples", "externalDocs", "deprecated"})
WEBHOOK_ACK = "Acknowledge receipt within 10 seconds, or Plaid retries the delivery."


class SpecImportError(Exception):
    """An item cannot be imported; the message names it and why."""


class ComponentConflict(SpecImportError):
    """A component both documents have under one name, with different meanings."""

    def __init__(self, ours: str, theirs: str, more: int) -> None:
        also = f" (and {more} more)" if more else ""
        super().__init__(
            f"{ours} and {theirs} share a name but differ{also}; "
            "pass --prefer ours or --prefer theirs to say which wins"
        )
        self.ours = ours
        self.theirs = theirs


@dataclass(frozen=True)
class WebhookEntry:
    """A webhook to add under `webhooks:`, and the payload schema it names."""

    key: str
    payload: WebhookSchema
    item: dict[str, Any]
    """The path item to write (`post` with the payload as its request body)."""


@dataclass
class ImportPlan:
    """What to add to our spec; everything in it is a plain JSON value, ready to be written."""

    paths: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Path -> the operations (and path-level keys) to add under it."""
    webhooks: list[WebhookEntry] = field(default_factory=list)
    components: dict[Component, Any] = field(default_factory=dict)
    """Components to add, or (those in `replaced`) to write over ours."""
    replaced: list[Component] = field(default_factory=list)
    same: list[Component] = field(default_factory=list)
    """Components we have already, with the same meaning: not copied."""
    kept: list[Component] = field(default_factory=list)
    """Components whose meaning differs, where `--prefer ours` keeps ours."""
    union_members: list[WebhookSchema] = field(default_factory=list)
    """New webhooks added to our discriminated webhook union (see `union`)."""
    union: str | None = None
    """Our component that is a `oneOf` of exactly our webhook payloads, discriminated on `webhook_code`."""
    outside_union: list[WebhookSchema] = field(default_factory=list)
    """New webhooks left out of that union: their `webhook_code` is already in its mapping."""

    def describe(self, source: str) -> Iterator[str]:
        """One line per change, for `--dry-run` and the command's report."""
        for path, item in self.paths.items():
            methods = ", ".join(
                f"{m.upper()} {item[m].get('operationId', '')}".strip() for m in _methods(item)
            )
            yield f"add path {path} ({methods}) from {source}"
        for hook in self.webhooks:
            identity = f"{hook.payload.webhook_type}:{hook.payload.webhook_code}"
            yield f"add webhook {hook.key} ({identity}, {hook.payload.schema})"
        for section, key in self.components:
            verb = "replace" if (section, key) in self.replaced else "add"
            yield f"{verb} component {pointer_text(('components', section, key))}"
        for section, key in self.same:
            yield f"keep component {pointer_text(('components', section, key))} (the same meaning)"
        for section, key in self.kept:
            yield f"keep our component {pointer_text(('components', section, key))} (--prefer ours)"
        for member in self.union_members:
            yield f"add {member.schema} to the webhook union {self.union}"
        for member in self.outside_union:
            yield (
                f"leave {member.schema} out of the webhook union {self.union}: its mapping has "
                f"webhook_code {member.webhook_code} already"
            )


def _methods(item: Mapping[str, Any]) -> list[str]:
    return [method for method in HTTP_METHODS if method in item]


def _component_of(ref: str) -> Component:
    parts = parse_pointer(ref)
    if len(parts) != 3 or parts[0] != "components":
        raise SpecImportError(f"$ref {ref!r} names no component; only component $refs can be imported")
    return parts[1], parts[2]


def _open_enum(node: Mapping[str, Any]) -> list[Any] | None:
    """The known values of an open enum (`anyOf: [{enum: [...]}, {type: string}]`), else `None`."""
    variants = node.get("anyOf")
    if not (isinstance(variants, list) and len(variants) == 2):
        return None
    known, rest = variants
    if isinstance(known, dict) and isinstance(known.get("enum"), list) and rest == {"type": "string"}:
        return list(known["enum"])
    return None


def meaning(model: SpecModel, node: Any, through: tuple[str, ...] = ()) -> Any:
    """`node` without what does not change what a client sends or reads (see the module docstring).

    A `$ref` stands for what it names, so an inline `{type: string}` and a `$ref` to a component that
    is one mean the same; a `$ref` back into a component being expanded (`through`) stays a `$ref`.
    """
    if isinstance(node, list):
        return [meaning(model, item, through) for item in node]
    if not isinstance(node, dict):
        return node
    ref = ref_of(node)
    if ref is not None:
        if ref in through:
            return {"$ref": ref}
        return meaning(model, model.lookup(ref), (*through, ref))
    known = _open_enum(node)
    if known is not None:
        return {"enum": sorted(map(json.dumps, known)), "type": "string"}
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key in _ANNOTATIONS or str(key).startswith("x-") or key == "example":
            continue
        if key == "additionalProperties" and isinstance(value, bool):
            continue
        if key == "enum" and isinstance(value, list):
            result[key] = sorted(map(json.dumps, value))
        elif key == "required" and isinstance(value, list):
            result[key] = sorted(map(str, value))
        elif key in DATA_KEYS:
            result[key] = value
        else:
            result[key] = meaning(model, value, through)
    return result


def _component(model: SpecModel, component: Component, original: bool) -> Any:
    return (model.written() if original else model).node_at(("components", *component))


class _Planner:
    def __init__(
        self, ours: SpecModel, theirs: SpecModel, prefer: Prefer | None, names: tuple[str, str]
    ) -> None:
        self.ours = ours
        self.theirs = theirs
        self.prefer = prefer
        self.names = names
        self.plan = ImportPlan()
        self.conflicts: list[Component] = []
        self.seen: set[Component] = set()
        self.payloads: dict[str, WebhookSchema] = {}
        """Webhook payload schemas being imported: compared and copied with their identity as `const`."""

    # -- items --------------------------------------------------------------------------------

    def item(self, item: str) -> None:
        if item.startswith("/"):
            found = self.theirs.written().node_at(("paths", item))
            if not isinstance(found, dict):
                raise SpecImportError(f"{self.names[1]} has no path {item}")
            self.path(item, _methods(found))
            return
        if ":" in item:
            webhook_type, _, webhook_code = item.partition(":")
            self.webhook(self._by_identity(webhook_type, webhook_code))
            return
        for ref in self.theirs.operations():
            if ref.operation_id == item and ref.path is not None:
                self.path(ref.path, [ref.method])
                return
        if item in self.theirs.schemas:
            found = identity_of(self.theirs, item)
            if found is None:
                raise SpecImportError(
                    f"{self.names[1]}#/components/schemas/{item} is no webhook payload: its "
                    "webhook_type and webhook_code state no value"
                )
            self.webhook(found)
            return
        raise SpecImportError(
            f"{self.names[1]} has no path, operationId, webhook schema or webhook TYPE:CODE {item!r}"
        )

    def _by_identity(self, webhook_type: str, webhook_code: str) -> WebhookSchema:
        catalogue = webhook_catalogue(self.theirs)
        found = catalogue.by_identity.get((webhook_type, webhook_code))
        if found is not None:
            return found
        for group in catalogue.duplicates:
            if (group[0].webhook_type, group[0].webhook_code) == (webhook_type, webhook_code):
                names = " and ".join(hook.schema for hook in group)
                raise SpecImportError(
                    f"{self.names[1]}: webhook {webhook_type}:{webhook_code} is stated by {names}; "
                    "import one of them by its schema name"
                )
        raise SpecImportError(f"{self.names[1]} has no webhook {webhook_type}:{webhook_code}")

    def path(self, path: str, methods: list[str]) -> None:
        source = self.theirs.written().node_at(("paths", path))
        ours = self.ours.written().node_at(("paths", path)) or {}
        wanted = {key: value for key, value in source.items() if key not in HTTP_METHODS}
        for method in methods:
            if method in ours:
                if ours[method] == source[method]:
                    continue
                raise SpecImportError(
                    f"{self.names[0]} already has {method.upper()} {path}, unlike "
                    f"{self.names[1]}{pointer_text(('paths', path, method))}"
                )
            wanted[method] = copy.deepcopy(source[method])
        if not _methods(wanted):
            return
        for key in [key for key in wanted if key not in HTTP_METHODS and key in ours]:
            del wanted[key]
        self.plan.paths.setdefault(path, {}).update(wanted)
        self.closure(wanted)

    def webhook(self, payload: WebhookSchema) -> None:
        self.payloads[payload.schema] = payload
        for ref in self.ours.webhooks():
            schema = _payload_name(self.ours, ref.operation)
            known = identity_of(self.ours, schema) if schema is not None else None
            if known is None or (known.webhook_type, known.webhook_code) != (
                payload.webhook_type,
                payload.webhook_code,
            ):
                continue
            if schema == payload.schema:
                self.closure({"$ref": payload.pointer})  # the same payload: does it mean the same?
                return
            raise SpecImportError(
                f"{self.names[0]} already has webhook {payload.webhook_type}:{payload.webhook_code}"
                f" ({ref.name}, payload {schema})"
            )
        if any(hook.payload == payload for hook in self.plan.webhooks):
            return
        key = payload.key
        if key in self.ours.written().webhook_names():
            raise SpecImportError(f"{self.names[0]} already has a webhook called {key}")
        payload_schema = self.theirs.schema(payload.schema)
        described = " ".join(str(payload_schema.get("description", "")).split())
        operation: dict[str, Any] = {
            "operationId": payload.schema[:1].lower() + payload.schema[1:],
            "summary": described.split(". ")[0].rstrip(".") or f"The {payload.webhook_code} webhook",
        }
        if described:
            operation["description"] = str(payload_schema["description"])
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{payload.schema}"}}},
        }
        operation["responses"] = {"200": {"description": WEBHOOK_ACK}}
        self.plan.webhooks.append(WebhookEntry(key, payload, {"post": operation}))
        self.closure(operation)
        self.join_union(payload)

    # -- components ---------------------------------------------------------------------------

    def closure(self, node: Any) -> None:
        pending = list(refs_in(node))
        while pending:
            component = _component_of(pending.pop())
            if component in self.seen:
                continue
            self.seen.add(component)
            theirs = _component(self.theirs, component, original=True)
            if theirs is None:
                raise SpecImportError(
                    f"{self.names[1]}{pointer_text(('components', *component))} is referenced but missing"
                )
            ours = _component(self.ours, component, original=True)
            if ours is not None:
                ref = pointer_text(("components", *component))
                wanted = _component(self.theirs, component, original=False)
                if component[0] == "schemas" and component[1] in self.payloads:
                    wanted = self.with_const(wanted, self.payloads[component[1]])
                same = meaning(self.ours, {"$ref": ref}) == meaning(self.theirs, wanted)
                if same:
                    self.plan.same.append(component)
                    continue
                if self.prefer is None:
                    self.conflicts.append(component)
                    continue
                if self.prefer == "ours":
                    self.plan.kept.append(component)
                    continue
                self.plan.replaced.append(component)
            value = copy.deepcopy(theirs)
            if component[0] == "schemas" and component[1] in self.payloads:
                value = self.with_const(value, self.payloads[component[1]])
            if component[0] == "schemas" and isinstance(value, dict) and value.get("title") != component[1]:
                value = {"title": component[1], **{k: v for k, v in value.items() if k != "title"}}
            self.plan.components[component] = value
            pending.extend(refs_in(theirs))

    def with_const(self, schema: Any, payload: WebhookSchema) -> dict[str, Any]:
        """A copy of the payload `schema` stating its identity with `const`, as our spec's payloads do."""
        properties = dict(schema.get("properties") or {})
        values = {"webhook_type": payload.webhook_type, "webhook_code": payload.webhook_code}
        for name in IDENTITY_PROPERTIES:
            prop = properties.get(name)
            if not isinstance(prop, dict) or ref_of(prop) is not None:
                raise SpecImportError(
                    f"{self.names[1]}#/components/schemas/{payload.schema}/properties/{name} "
                    "must be written inline to state its value with const"
                )
            properties[name] = {**{k: v for k, v in prop.items() if k != "enum"}, "const": values[name]}
        return {**schema, "properties": properties}

    def join_union(self, payload: WebhookSchema) -> None:
        """Add the payload to our webhook union, when there is one and its code is new to it."""
        union = self.plan.union if self.plan.union is not None else _webhook_union(self.ours)
        if union is None:
            return
        mapping = ((self.ours.schemas[union].get("discriminator") or {}).get("mapping")) or {}
        taken = set(mapping) | {member.webhook_code for member in self.plan.union_members}
        self.plan.union = union
        if payload.webhook_code in taken:
            self.plan.outside_union.append(payload)
            return
        self.plan.union_members.append(payload)

    def finish(self) -> ImportPlan:
        if self.conflicts:
            section, key = self.conflicts[0]
            where = pointer_text(("components", section, key))
            raise ComponentConflict(
                f"{self.names[0]}{where}", f"{self.names[1]}{where}", len(self.conflicts) - 1
            )
        return self.plan


def _payload_name(model: SpecModel, operation: Mapping[str, Any]) -> str | None:
    body = model.resolve(operation.get("requestBody") or {})
    media = ((body.get("content") or {}) if isinstance(body, dict) else {}).get("application/json") or {}
    return model.ref_name(media.get("schema")) if isinstance(media, dict) else None


def _webhook_union(model: SpecModel) -> str | None:
    """Our component that is a `oneOf` of exactly our webhook payloads, discriminated on `webhook_code`."""
    payloads = {_payload_name(model, ref.operation) for ref in model.webhooks()}
    if not payloads:
        return None
    for key, schema in model.schemas.items():
        variants = schema.get("oneOf") if isinstance(schema, dict) else None
        discriminator = schema.get("discriminator") if isinstance(schema, dict) else None
        if not (isinstance(variants, list) and isinstance(discriminator, dict)):
            continue
        if (
            discriminator.get("propertyName") == "webhook_code"
            and {model.ref_name(variant) for variant in variants} == payloads
        ):
            return str(key)
    return None


def plan_import(
    ours: SpecModel,
    theirs: SpecModel,
    items: list[str],
    *,
    prefer: Prefer | None = None,
    names: tuple[str, str] = ("ours", "theirs"),
) -> ImportPlan:
    """What to copy from `theirs` into `ours` for `items`; `SpecImportError` names an item that cannot be.

    `names` are how messages name the two documents (their paths), before each JSON pointer.
    """
    planner = _Planner(ours, theirs, prefer, names)
    for item in items:
        planner.item(item)
    return planner.finish()
