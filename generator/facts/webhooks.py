"""The webhooks' facts: each one's identity and payload model, their union, the signing-key operation."""

from __future__ import annotations

from typing import Any

from generator.facts.annotations import Builder
from generator.facts.contract import OperationFacts, WebhookFacts, WebhookKeyFacts
from generator.facts.errors import FactsError, facts_error
from generator.facts.names import check_name, python_identifier
from generator.facts.operations import JSON_MEDIA_TYPE
from generator.spec.extensions import (
    WEBHOOK_IDENTITY,
    WEBHOOK_VERIFICATION_KEY,
)
from generator.spec.model import (
    OperationRef,
    media_types,
)
from generator.webhook_identity import WebhookSchema


def webhook_facts(builder: Builder, ref: OperationRef, examples: dict[tuple[str, str], Any]) -> WebhookFacts:
    name = str(ref.name)
    python_name = check_name(name, "webhook name", ref.pointer)
    where = ref.where
    pointer = (*ref.pointer, "requestBody", "content", JSON_MEDIA_TYPE, "schema")
    body = builder.model.resolve(ref.operation.get("requestBody") or {}, (*ref.pointer, "requestBody"))
    media = media_types(body).get(JSON_MEDIA_TYPE)
    if not isinstance(media, dict) or "schema" not in media:
        raise facts_error(f"{where} payload needs an application/json schema", (*ref.pointer, "requestBody"))
    model_class = builder.class_name(media["schema"], f"{where} payload", pointer)
    payload = builder.model.merge_all_of(builder.model.resolve(media["schema"], pointer), pointer)
    properties = payload.get("properties") or {}
    declared = ref.operation.get(WEBHOOK_IDENTITY)
    if declared is not None and not (
        isinstance(declared, dict)
        and all(isinstance(declared.get(k), str) for k in ("webhook_type", "webhook_code"))
    ):
        raise facts_error(
            f"{WEBHOOK_IDENTITY} needs string `webhook_type` and `webhook_code`",
            (*ref.pointer, WEBHOOK_IDENTITY),
        )
    constants = {}
    for key in ("webhook_type", "webhook_code"):
        value = builder.model.resolve(properties.get(key) or {}, pointer).get("const")
        if declared is not None:
            if isinstance(value, str) and value != declared[key]:
                raise facts_error(
                    f"{where}: {WEBHOOK_IDENTITY} says {key} {declared[key]!r},"
                    f" the payload's const {value!r}",
                    (*ref.pointer, WEBHOOK_IDENTITY),
                )
            value = declared[key]
        if not isinstance(value, str):
            raise facts_error(
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


def described_webhook_facts(builder: Builder, hook: WebhookSchema) -> WebhookFacts:
    """A webhook read from a payload schema that states its identity (a spec without `webhooks:`)."""
    pointer = ("components", "schemas", hook.schema)
    model_class = builder.class_name({"$ref": hook.pointer}, f"webhook {hook.key} payload", pointer)
    schema = builder.model.resolve(builder.model.schema(hook.schema), pointer)
    described = " ".join(str(schema.get("description", "")).split())
    examples = schema.get("examples")
    return WebhookFacts(
        name=hook.key,
        python_name=check_name(hook.key, "webhook name", pointer),
        webhook_type=hook.webhook_type,
        webhook_code=hook.webhook_code,
        model_class=model_class,
        summary=described.split(". ")[0].rstrip("."),
        example=examples[0] if isinstance(examples, list) and examples else None,
    )


def webhook_union(builder: Builder, webhooks: tuple[WebhookFacts, ...]) -> str | None:
    """The component that is a discriminated `oneOf` of exactly the webhook payloads, if any."""
    wanted = {w.model_class for w in webhooks}
    for key, schema in sorted(builder.model.schemas.items()):
        variants = schema.get("oneOf") if isinstance(schema, dict) else None
        if variants and schema.get("discriminator"):
            members = {builder.model.ref_name(v) for v in variants}
            if members == wanted:
                return key
    return None


def _returns_jwk(builder: Builder, op: OperationFacts) -> bool:
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


def webhook_key(
    builder: Builder, operations: list[OperationFacts], configured: str | None
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
        raise facts_error(
            f"{WEBHOOK_VERIFICATION_KEY} is on more than one operation: {names}", marked[1].pointer
        )
    if not marked:
        return None
    op = marked[0]
    required = [p for p in op.params if p.required]
    if len(required) != 1 or op.response_class not in builder.model.schemas:
        raise facts_error(
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
    raise facts_error(
        f"{WEBHOOK_VERIFICATION_KEY}: the response of {op.operation_id} needs a required property"
        " that is a $ref to the key's schema",
        op.pointer,
    )
