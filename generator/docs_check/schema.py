"""Checking a JSON value against a schema in the spec: undeclared fields, rejected values, missing fields.

Field paths use the canonical form shared with the spec diff: `identity.email`, `items[].item_id`.
Schemas come from the spec model, so 3.0 keywords pasted into the spec (`nullable: true`) already have
their 3.1 meaning, and `$ref`s are resolved by it; validation is JSON Schema 2020-12 (the dialect of
OpenAPI 3.1), with formats checked, including Plaid's non-standard `url`. A `$ref` that points to
nothing raises `SpecModelError`.

    for problem in value_problems(example.value, example.schema, model):
        print(problem.kind, problem.field, problem.message)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing.exceptions import Unresolvable

from generator.spec.model import SpecModel, SpecModelError

ProblemKind = Literal["unknown-field", "invalid-value", "missing-required"]
FieldPath = tuple[str, ...]
"""Object keys, with `[]` standing for any element of an array."""

FORMAT_CHECKER = FormatChecker()


def _is_url(instance: object) -> bool:
    """Plaid writes `format: url` for an absolute http(s) URL; JSON Schema itself knows only `uri`."""
    if not isinstance(instance, str):
        return True
    parts = urlsplit(instance)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


FORMAT_CHECKER.checks("url")(_is_url)


@dataclass(frozen=True, order=True)
class Problem:
    """One way a value disagrees with its schema."""

    field: str
    kind: ProblemKind
    message: str


def field_path(parts: FieldPath) -> str:
    """Render `("items", "[]", "item_id")` as `items[].item_id`."""
    text = ""
    for part in parts:
        if part == "[]":
            text += "[]"
        else:
            text += f".{part}" if text else part
    return text


def _alternatives(schema: Any, model: SpecModel) -> list[dict[str, Any]]:
    """`schema` and every schema it composes, resolved; `[{}]` for one that resolves to no mapping."""
    return model.compositions(schema) or [{}]


def _unknown_fields(
    value: Any, schemas: list[dict[str, Any]], model: SpecModel, at: FieldPath
) -> Iterator[FieldPath]:
    if isinstance(value, dict):
        for key, child in value.items():
            declared = [s["properties"][key] for s in schemas if key in s.get("properties", {})]
            declared += [
                s["additionalProperties"] for s in schemas if isinstance(s.get("additionalProperties"), dict)
            ]
            if not declared:
                yield (*at, key)
                continue
            child_schemas = [alt for schema in declared for alt in _alternatives(schema, model)]
            yield from _unknown_fields(child, child_schemas, model, (*at, key))
    elif isinstance(value, list):
        item_schemas = [alt for s in schemas if "items" in s for alt in _alternatives(s["items"], model)]
        for element in value:
            yield from _unknown_fields(element, item_schemas, model, (*at, "[]"))


def unknown_fields(value: Any, schema: dict[str, Any], model: SpecModel) -> list[Problem]:
    """The fields of `value` that `schema` does not declare at that place, whether or not it allows extras."""
    paths = {field_path(at) for at in _unknown_fields(value, _alternatives(schema, model), model, ())}
    return sorted(Problem(path, "unknown-field", "not in the spec") for path in paths)


def validator(schema: dict[str, Any], model: SpecModel) -> Draft202012Validator:
    """A 2020-12 validator for `schema`, with `#/components/...` resolved in the spec, formats checked."""
    rooted = {**schema, "components": model.document.get("components", {})}
    return Draft202012Validator(rooted, format_checker=FORMAT_CHECKER)


def _branch_rejects_type(errors: list[ValidationError]) -> bool:
    return any(not error.path and error.validator in ("type", "const", "enum") for error in errors)


def _leaf_errors(error: ValidationError) -> Iterator[ValidationError]:
    """Descend into `anyOf`/`oneOf` when one branch alone has the value's type: report its errors."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for child in error.context:
            branches.setdefault(child.relative_schema_path[0], []).append(child)
        plausible = [errors for errors in branches.values() if not _branch_rejects_type(errors)]
        if len(plausible) == 1:
            for child in plausible[0]:
                yield from _leaf_errors(child)
            return
    yield error


def _problems(error: ValidationError) -> Iterator[Problem]:
    at = tuple("[]" if isinstance(part, int) else str(part) for part in error.absolute_path)
    if error.validator == "required":
        for name in error.validator_value:
            if isinstance(error.instance, dict) and name not in error.instance:
                yield Problem(field_path((*at, name)), "missing-required", "required by the spec but missing")
    elif error.validator not in ("additionalProperties", "unevaluatedProperties"):
        # `unknown_fields` reports undeclared fields, including those in objects that allow extras.
        yield Problem(field_path(at), "invalid-value", f"the spec rejects the value: {error.message}")


def value_problems(value: Any, schema: dict[str, Any], model: SpecModel) -> list[Problem]:
    """Every field of `value` that `schema` does not declare, rejects, or requires and does not find."""
    problems = set(unknown_fields(value, schema, model))
    try:
        for error in validator(schema, model).iter_errors(value):
            for leaf in _leaf_errors(error):
                problems.update(_problems(leaf))
    except Unresolvable as exc:  # its message quotes the whole spec
        raise SpecModelError(f"$ref '#{exc.ref}' points to nothing") from exc
    return sorted(problems)
