"""The parser stage: turn a validated spec into the Python-shaped facts the templates render.

Templates only render; every decision about names, annotations, which arguments a method takes
and where each travels is made here, where it can be unit-tested. Everything is read through the
one spec model (`generator.spec.model`), so 3.0 keywords pasted into the spec already mean what
3.1 says. Class names are component keys, which is also how datamodel-code-generator is told to
name the models. Whatever the generator cannot honour stops the build with a `FactsError` that
names the construct and its JSON pointer; nothing is dropped silently.

The package, by job: `contract` (the dataclasses the templates read), `names`, `annotations` (the
one type mapping of a field, and the request shapes), `operations`, `webhooks` and `settings`
(servers, headers, credentials, error types); `collect_facts` here puts them together.
"""

from __future__ import annotations

from typing import Any

from generator.examples import DEFAULT_EXAMPLE_KEY, iter_examples
from generator.facts.annotations import Builder
from generator.facts.contract import OperationFacts, SpecFacts
from generator.facts.errors import FactsError, facts_error
from generator.facts.names import client_attribute_names
from generator.facts.operations import operation_facts
from generator.facts.settings import (
    credential_fields,
    default_environment,
    error_types,
    headers,
    server_environments,
)
from generator.facts.webhooks import described_webhook_facts, webhook_facts, webhook_key, webhook_union
from generator.project import ProjectConfig
from generator.spec.model import HTTP_METHODS, SpecModel, SpecModelError
from generator.webhook_identity import WebhookSchema, webhook_catalogue

__all__ = ["FactsError", "OperationFacts", "SpecFacts", "collect_facts", "credential_fields"]


def collect_facts(spec: SpecModel | dict[str, Any], project: ProjectConfig | None = None) -> SpecFacts:
    """Read the facts the templates need from a validated spec (a model or a parsed document)."""
    model = spec if isinstance(spec, SpecModel) else SpecModel.from_document(spec)
    try:
        return _collect(model, project or ProjectConfig())
    except SpecModelError as exc:
        raise FactsError(str(exc)) from exc


def _collect(model: SpecModel, project: ProjectConfig) -> SpecFacts:
    document = model.document
    for pointer in model.non_local_refs():
        raise facts_error("only local $refs (starting with '#') are supported", pointer)
    builder = Builder(model)
    info = document.get("info") or {}
    environments = server_environments(model)

    default_headers, credential_headers = headers(model, project, str(info.get("version", "")))
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
        op = operation_facts(builder, ref, set(credential_headers), examples, reserved)
        if op.python_name in by_name:
            other = by_name[op.python_name]
            raise facts_error(
                f"two operations map to the same method name: {op.python_name}"
                f" ({other.method.upper()} {other.path} and {op.method.upper()} {op.path})",
                (*ref.pointer, "operationId"),
            )
        by_name[op.python_name] = op
        operations.append(op)

    webhooks = []
    identities: dict[tuple[str, str], str] = {}
    for ref in sorted(model.webhooks(), key=lambda r: (str(r.name), HTTP_METHODS.index(r.method))):
        hook = webhook_facts(builder, ref, examples)
        identity = (hook.webhook_type, hook.webhook_code)
        if identity in identities:
            raise facts_error(
                f"webhooks {identities[identity]} and {hook.name} share webhook_type {identity[0]!r}"
                f" and webhook_code {identity[1]!r}",
                ref.pointer,
            )
        identities[identity] = hook.name
        webhooks.append(hook)
    duplicates: tuple[tuple[WebhookSchema, ...], ...] = ()
    if not model.has_webhooks_section():
        catalogue = webhook_catalogue(model)
        webhooks.extend(described_webhook_facts(builder, hook) for hook in catalogue.by_identity.values())
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
        webhook_union_class=webhook_union(builder, webhook_tuple),
        model_classes=tuple(sorted(model.schemas)),
        typed_dicts=tuple(builder.typed_dicts[name] for name in sorted(builder.typed_dicts)),
        webhook_key=webhook_key(builder, operations, project.webhook_key_operation),
        default_environment=default_environment(environments, project.default_environment),
        error_types=error_types(model, operations),
        project=project,
        webhook_duplicates=duplicates,
    )
