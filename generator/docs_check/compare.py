"""Comparing a parsed reference page with the spec and the stored examples, as a list of findings.

Kinds of finding, each at a canonical location (`POST /path`, `POST /path response 200 body items[].item_id`,
`webhook NAME payload user_id`):

    missing-in-spec   the page documents an endpoint, webhook or example body the spec lacks
    missing-on-page   the spec has an operation or webhook the page does not list
    unknown-field     a field in a page example that the spec does not declare at that place
    invalid-value     a value in a page example that the spec's schema rejects (type, const, enum, format)
    missing-required  a field the spec requires that a page example leaves out
    example-differs   a page example that differs from the copy stored in `spec/examples/`

An operation or webhook marked `x-docs-page: <url>` is documented on another reference page, so it is not
expected on the page being checked. Curl bodies carry credentials as placeholders (`"${PLAID_CLIENT_ID}"`);
the client sends them as headers, so such fields (the body fields `generate` sends as credential headers,
`facts.credential_fields`) must exist in the spec but are otherwise treated as absent.

The spec is read through the one spec model (`generator.spec.model`): its walk over operations and
webhooks, its `$ref` resolution, and its normalised document, in which 3.0 keywords such as
`nullable: true` already have their 3.1 meaning.

    model = SpecModel.load(Path("spec/layer.yaml"))
    result = compare(model, parse_page(text), Path("spec/examples"), credential_fields(model, project))
    for finding in result.findings: ...
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator.docs_check.page import PageExample, ReferencePage
from generator.docs_check.schema import FieldPath, field_path, unknown_fields, value_problems
from generator.examples import DEFAULT_EXAMPLE_KEY, Example
from generator.spec.extensions import DOCS_PAGE
from generator.spec.model import OperationRef, SpecModel

FindingKind = Literal[
    "missing-in-spec",
    "missing-on-page",
    "unknown-field",
    "invalid-value",
    "missing-required",
    "example-differs",
]


JSON_MEDIA_TYPE = "application/json"
_PLACEHOLDER = re.compile(r"\$\{[A-Za-z0-9_]+\}")


@dataclass(frozen=True, order=True)
class Finding:
    """One disagreement between the page and the spec; fields in the order reports sort by."""

    location: str
    kind: FindingKind
    message: str


@dataclass(frozen=True)
class MatchedExample:
    """A page example and the spec example it stands for (its value as the spec would store it)."""

    page: PageExample
    example: Example


@dataclass(frozen=True)
class Comparison:
    """The findings, sorted, and the page examples that matched a place in the spec."""

    findings: list[Finding]
    matched: list[MatchedExample]

    @property
    def agree(self) -> bool:
        """Whether the page and the spec agree."""
        return not self.findings


def without_placeholder_credentials(value: Any, credentials: frozenset[str]) -> Any:
    """`value` without the top-level `credentials` fields whose value is a `${...}` placeholder."""
    if not isinstance(value, dict):
        return value
    return {
        key: item
        for key, item in value.items()
        if not (key in credentials and isinstance(item, str) and _PLACEHOLDER.fullmatch(item))
    }


@dataclass(frozen=True)
class _SpecIndex:
    """The spec's operations by (method, path) and its webhooks by name, first operation each."""

    operations: dict[tuple[str, str], OperationRef]
    webhooks: dict[str, OperationRef]

    @classmethod
    def of(cls, model: SpecModel) -> _SpecIndex:
        operations = {(op.method, op.path or ""): op for op in model.operations()}
        webhooks: dict[str, OperationRef] = {}
        for hook in model.webhooks():
            webhooks.setdefault(hook.name or "", hook)
        return cls(operations, webhooks)


def _documented_elsewhere(operation: OperationRef) -> bool:
    return DOCS_PAGE in operation.operation or DOCS_PAGE in operation.path_item


def _coverage(index: _SpecIndex, page: ReferencePage) -> Iterator[Finding]:
    on_page = {(endpoint.method.lower(), endpoint.path) for endpoint in page.endpoints}
    for (method, path), operation in index.operations.items():
        if (method, path) not in on_page and not _documented_elsewhere(operation):
            yield Finding(
                f"{method.upper()} {path}", "missing-on-page", "the spec has it; the page does not list it"
            )
    for endpoint in page.endpoints:
        if (endpoint.method.lower(), endpoint.path) not in index.operations:
            location = f"{endpoint.method} {endpoint.path}"
            yield Finding(
                location, "missing-in-spec", "the page documents it; the spec has no such operation"
            )
    for name, hook in index.webhooks.items():
        if name not in page.webhooks and not _documented_elsewhere(hook):
            yield Finding(f"webhook {name}", "missing-on-page", "the spec has it; the page does not list it")
    for name in page.webhooks:
        if name not in index.webhooks:
            yield Finding(
                f"webhook {name}", "missing-in-spec", "the page documents it; the spec has no such webhook"
            )


def _match(
    model: SpecModel, index: _SpecIndex, page_example: PageExample, credentials: frozenset[str]
) -> MatchedExample | Finding | None:
    """The spec example `page_example` stands for; a finding if the spec has no body there; `None` if the
    operation itself is missing (already reported by `_coverage`)."""
    value = page_example.value
    if page_example.kind == "webhook":
        found = index.webhooks.get(page_example.owner)
        if found is None:
            return None
        owner, method, path, status = page_example.owner, found.method, None, None
        base = (*found.pointer, "requestBody")
        container = found.operation.get("requestBody") or {}
    else:
        method = (page_example.method or "").lower()
        path = page_example.owner
        found = index.operations.get((method, path))
        if found is None:
            return None
        owner, status = found.operation_id or f"{method} {path}", page_example.status
        if page_example.kind == "request":
            base = (*found.pointer, "requestBody")
            container = found.operation.get("requestBody") or {}
            value = without_placeholder_credentials(value, credentials)
        else:
            base = (*found.pointer, "responses", str(status))
            container = (found.operation.get("responses") or {}).get(str(status)) or {}
    media = (container.get("content") or {}).get(JSON_MEDIA_TYPE)
    pointer = (*base, "content", JSON_MEDIA_TYPE)
    example = Example(
        page_example.kind,
        owner,
        method,
        path,
        status,
        DEFAULT_EXAMPLE_KEY,
        pointer,
        (media or {}).get("schema", {}),
        value,
    )
    if media is None:
        message = (
            f"the page has an example (line {page_example.line}); the spec declares no {JSON_MEDIA_TYPE} body"
        )
        return Finding(example.location, "missing-in-spec", message)
    return MatchedExample(page_example, example)


def _differences(page: Any, stored: Any, at: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(page, dict) and isinstance(stored, dict):
        for key in page:
            if key not in stored:
                yield (*at, key), "only on the page"
        for key in stored:
            if key not in page:
                yield (*at, key), "only in the stored example"
            else:
                yield from _differences(page[key], stored[key], (*at, key))
    elif isinstance(page, list) and isinstance(stored, list) and len(page) == len(stored):
        for page_item, stored_item in zip(page, stored, strict=True):
            yield from _differences(page_item, stored_item, (*at, "[]"))
    elif json.dumps(page, sort_keys=True) != json.dumps(stored, sort_keys=True):
        shown_page, shown_stored = (json.dumps(v, ensure_ascii=False, sort_keys=True) for v in (page, stored))
        yield at, f"the page has {shown_page}, the stored example has {shown_stored}"


def _stored_differences(example: Example, examples_dir: Path) -> Iterator[Finding]:
    stored_file = examples_dir / example.file_name
    try:
        stored = json.loads(stored_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        yield Finding(
            example.location, "example-differs", f"cannot read the stored example {stored_file}: {exc}"
        )
        return
    for at, message in _differences(example.value, stored, ()):
        location = f"{example.location} {field_path(at)}" if at else example.location
        yield Finding(location, "example-differs", f"{message} ({example.file_name})")


def _example_findings(model: SpecModel, matched: MatchedExample, examples_dir: Path) -> Iterator[Finding]:
    example = matched.example
    # Placeholder credentials are checked for existence only, so the raw page value goes to unknown_fields.
    problems = set(unknown_fields(matched.page.value, example.schema, model))
    problems.update(value_problems(example.value, example.schema, model))
    for problem in problems:
        location = f"{example.location} {problem.field}" if problem.field else example.location
        yield Finding(location, problem.kind, problem.message)
    yield from _stored_differences(example, examples_dir)


def compare(
    model: SpecModel, page: ReferencePage, examples_dir: Path, credentials: frozenset[str]
) -> Comparison:
    """Compare `page` with the spec and the example files in `examples_dir`; a `${...}` placeholder
    in one of the `credentials` fields of a page's request (`facts.credential_fields`) is not compared.

    Raises `SpecModelError` when the spec has a `$ref` that points to nothing on the way.
    """
    index = _SpecIndex.of(model)
    findings = set(_coverage(index, page))
    matched = []
    for page_example in page.examples:
        result = _match(model, index, page_example, credentials)
        if isinstance(result, Finding):
            findings.add(result)
        elif result is not None:
            matched.append(result)
            findings.update(_example_findings(model, result, examples_dir))
    return Comparison(sorted(findings), matched)
