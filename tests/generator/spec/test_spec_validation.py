"""The fast OpenAPI 3.1 validation agrees with openapi-spec-validator's own, verdict and message."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate as stock_validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from generator.spec.validation import conforms_to_oas31_dialect, validate_openapi

# Values a keyword may hold, valid for some keywords and not for others, so both verdicts occur.
_VALUES = st.sampled_from(
    [
        0,
        -1,
        2.5,
        True,
        "string",
        "integer",
        "^a+$",
        "(",
        "#/components/schemas/A",
        "http://x y",
        [],
        ["a"],
        ["a", "a"],
        {},
        {"x-a": 1},
        {"propertyName": "kind"},
        {"url": "https://example.com"},
        None,
    ]
)
_KEYWORDS = st.sampled_from(
    [
        "type",
        "format",
        "maxLength",
        "minimum",
        "multipleOf",
        "pattern",
        "required",
        "enum",
        "items",
        "properties",
        "allOf",
        "anyOf",
        "additionalProperties",
        "discriminator",
        "externalDocs",
        "xml",
        "$ref",
        "description",
        "deprecated",
        "nullable",
        "x-extension",
        "const",
        "$id",
        "dependentRequired",
        "patternProperties",
        "uniqueItems",
        "title",
        "example",
    ]
)


def _local_refs_only(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with a string `$ref` that leaves the document pointed at `A` instead.

    Every command refuses such a `$ref` before it validates (`SpecModel.non_local_refs`); the
    validators would resolve it as a file or URL, which a test must not reach for.
    """
    ref = schema.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        return {**schema, "$ref": "#/components/schemas/A"}
    return schema


def _schemas() -> st.SearchStrategy[Any]:
    leaf = st.dictionaries(_KEYWORDS, _VALUES, max_size=4).map(_local_refs_only)
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.dictionaries(st.sampled_from(["items", "not", "additionalProperties"]), inner, max_size=2),
            st.fixed_dictionaries(
                {"properties": st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2)}
            ),
            st.fixed_dictionaries({"allOf": st.lists(inner, max_size=2)}),
        ),
        max_leaves=6,
    )


def _document(schema: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"A": {"type": "string"}, "S": schema}},
    }


def _verdict(validate: Any, document: dict[str, Any]) -> str | None:
    try:
        validate(document)
    except OpenAPIValidationError as exc:
        return f"{type(exc).__name__}: {exc.message}"
    return None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_schemas())
def test_the_fast_validation_gives_the_stock_verdict(schema: Any) -> None:
    document = _document(schema)
    assert _verdict(validate_openapi, document) == _verdict(stock_validate, document)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "strng"},
        {"maxLength": -1},
        {"required": ["a", "a"]},
        {"pattern": "("},
        {"discriminator": {"mapping": {}}},
        {"allOf": []},
        {"properties": {"a": {"type": ["string", "string"]}}},
    ],
)
def test_an_invalid_schema_is_never_taken_for_valid(schema: dict[str, Any]) -> None:
    from jsonschema import FormatChecker

    assert not conforms_to_oas31_dialect(schema, FormatChecker())
    document = _document(schema)
    stock = _verdict(stock_validate, document)
    assert stock is not None
    assert _verdict(validate_openapi, document) == stock


def test_a_valid_schema_is_decided_without_the_library() -> None:
    from jsonschema import FormatChecker

    schema = {
        "type": ["object", "null"],
        "required": ["a"],
        "properties": {"a": {"type": "string", "maxLength": 5, "pattern": "^[a-z]+$", "format": "date"}},
        "discriminator": {"propertyName": "a"},
        "x-sensitive": True,
    }
    assert conforms_to_oas31_dialect(schema, FormatChecker())
