"""The promises `spec/layer.yaml` keeps, as functions that list every broken one (empty when all hold).

They take the spec as data so the tests can run them on broken copies too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.docs_check.compare import compare
from generator.docs_check.page import ReferencePage
from generator.docs_check.schema import unknown_fields, validator
from generator.examples import HTTP_METHODS, iter_examples
from generator.facts import credential_fields
from generator.project import load_project_config
from generator.spec.model import SpecModel
from generator.webhook_identity import webhook_key

SCHEMA_REF = "#/components/schemas/"


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, path_item in spec.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in path_item:
                yield f"{method.upper()} {path}", path_item[method]


def _component(spec: dict[str, Any], ref: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["schemas"][ref.removeprefix(SCHEMA_REF)]
    return schema


def _body_ref_problems(spec: dict[str, Any], where: str, media: dict[str, Any]) -> Iterator[str]:
    ref = media.get("schema", {}).get("$ref", "")
    if not ref.startswith(SCHEMA_REF):
        yield f"{where}: the schema is not a $ref to a component"
    elif _component(spec, ref).get("title") != ref.removeprefix(SCHEMA_REF):
        yield f"{where}: component {ref} has a title other than its key"


def operation_problems(spec: dict[str, Any]) -> list[str]:
    """Every operation has an operationId, summary, description and a `default` PlaidError response, and its
    request body and 200 response are `$ref`s to components titled as their key."""
    problems = []
    for label, operation in _operations(spec):
        for key in ("operationId", "summary", "description"):
            if not operation.get(key):
                problems.append(f"{label}: no {key}")
        default = operation.get("responses", {}).get("default", {})
        error_schema = default.get("content", {}).get("application/json", {}).get("schema", {})
        if error_schema.get("$ref") != f"{SCHEMA_REF}PlaidError":
            problems.append(f"{label}: no default response with PlaidError")
        for content_type, media in operation.get("requestBody", {}).get("content", {}).items():
            problems.extend(_body_ref_problems(spec, f"{label} request {content_type}", media))
        for content_type, media in operation.get("responses", {}).get("200", {}).get("content", {}).items():
            problems.extend(_body_ref_problems(spec, f"{label} response 200 {content_type}", media))
    return problems


def _description_problems(spec: dict[str, Any], where: str, schema: dict[str, Any]) -> Iterator[str]:
    if "$ref" in schema and set(schema) <= {"$ref"}:
        return  # a bare $ref inherits its target's description, which is checked where the target is
    if not schema.get("description"):
        yield f"{where}: no description"
    for name, child in schema.get("properties", {}).items():
        yield from _description_problems(spec, f"{where}.{name}", child)
    # An array's items are described by the array's own description; only their properties need one.
    for name, child in (schema.get("items") or {}).get("properties", {}).items():
        yield from _description_problems(spec, f"{where}[].{name}", child)


def description_problems(spec: dict[str, Any]) -> list[str]:
    """Every component schema and every property has a description, unless it is only a `$ref`."""
    problems: list[str] = []
    for name, schema in spec["components"]["schemas"].items():
        problems.extend(_description_problems(spec, name, schema))
    return problems


def webhook_problems(spec: dict[str, Any]) -> list[str]:
    """Every webhook payload fixes `webhook_type` and `webhook_code` with `const`, and its key names
    them: the code, or `webhook_key(type, code)` as `layer-codegen import` writes it."""
    problems = []
    for name, path_item in spec.get("webhooks", {}).items():
        media = path_item["post"]["requestBody"]["content"]["application/json"]
        properties = _component(spec, media["schema"]["$ref"]).get("properties", {})
        webhook_type = properties.get("webhook_type", {}).get("const")
        webhook_code = properties.get("webhook_code", {}).get("const")
        if not isinstance(webhook_type, str):
            problems.append(f"webhook {name}: webhook_type is not a const")
        if not isinstance(webhook_code, str):
            problems.append(f"webhook {name}: webhook_code is not a const")
        elif name not in {webhook_code, webhook_key(str(webhook_type), webhook_code)}:
            problems.append(f"webhook {name}: its key names neither its webhook_code nor its type and code")
    return problems


def example_problems(spec: dict[str, Any], examples_dir: Path) -> list[str]:
    """Every embedded example and every file in `examples_dir` validates (formats included), each
    embedded example equals its file, and `examples_dir` holds no other file."""
    problems = []
    expected_files = set()
    model = SpecModel.from_document(spec)
    for example in iter_examples(spec):
        expected_files.add(example.file_name)
        schema_validator = validator(example.schema, model)
        for error in schema_validator.iter_errors(example.value):
            problems.append(f"{example.location} (embedded): {error.message}")
        stored_file = examples_dir / example.file_name
        if not stored_file.exists():
            problems.append(f"{example.location}: no file {example.file_name}")
            continue
        stored = json.loads(stored_file.read_text(encoding="utf-8"))
        for error in schema_validator.iter_errors(stored):
            problems.append(f"{example.location} ({example.file_name}): {error.message}")
        if stored != example.value:
            problems.append(f"{example.location}: {example.file_name} differs from the embedded example")
    for stray in sorted({path.name for path in examples_dir.iterdir()} - expected_files):
        problems.append(f"{stray}: no embedded example has this file")
    return problems


def page_field_problems(spec: dict[str, Any], page: ReferencePage, examples_dir: Path) -> list[str]:
    """Every key in the page's examples exists in the spec at the same place, and every example the page
    has found its operation or webhook in the spec."""
    model = SpecModel.from_document(spec)
    comparison = compare(model, page, examples_dir, credential_fields(model, load_project_config()))
    problems = [f"{f.location}: {f.message}" for f in comparison.findings if f.kind == "missing-in-spec"]
    if len(comparison.matched) != len(page.examples):
        problems.append(f"only {len(comparison.matched)} of the page's {len(page.examples)} examples matched")
    for matched in comparison.matched:
        for problem in unknown_fields(matched.page.value, matched.example.schema, model):
            problems.append(f"{matched.example.location} {problem.field}: {problem.message}")
    return problems
