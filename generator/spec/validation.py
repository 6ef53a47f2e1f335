"""OpenAPI validation with openapi-spec-validator: every check it makes, at a fraction of its cost.

`validate_openapi(document)` raises what `openapi_spec_validator.validate(document)` raises, with
the same messages. On Plaid's whole spec the stock call spends over 90% of its time in two places,
and both are made cheap here without dropping a check:

- Reference lookups. jsonschema adds a validator's own schema to its reference registry
  uncrawled, and `referencing` crawls a registry that has anything uncrawled on every anchor
  lookup, without keeping the result: each `$dynamicRef` of the OpenAPI 3.1 schema walked that
  whole schema again (3,000 crawls on Plaid's spec). The document validator here is built with
  the registry crawled once, which is what each lookup would have found.
- The meta-schema check of every Schema Object (2,300 of them on Plaid's spec) against the OAS 3.1
  dialect, which jsonschema evaluates by descending through the dialect, the 2020-12 schema and
  its seven vocabularies for every subschema (about 1 ms per subschema). `conforms_to_oas31_dialect`
  decides the common case directly: a schema whose keywords it can prove valid under those
  meta-schemas (types, bounds, strings, formats through the same format checker, subschemas
  recursively). Anything else, including every schema that is actually invalid and any keyword it
  does not model, goes to the library's own check, so errors and their messages are the
  library's. It only ever skips a check whose outcome is known to be "valid".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from generator.spec.keywords import SCHEMA_LISTS, SCHEMA_MAPS, SINGLE_SCHEMA

__all__ = ["conforms_to_oas31_dialect", "validate_openapi"]

OAS31_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"

_SIMPLE_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
# Keywords of the dialect (2020-12 core, applicator, unevaluated, validation, meta-data, format
# annotation and content vocabularies, the 2020-12 schema's legacy keywords, and the OAS base
# vocabulary), grouped by what their meta-schemas ask of the value.
_ONE_SUBSCHEMA = frozenset(SINGLE_SCHEMA) - {"additionalItems"}  # not a 2020-12 keyword
# `patternProperties` is a map of schemas too, but its keys must be regexes (`_conforms_other`).
_SUBSCHEMA_MAPS = frozenset(SCHEMA_MAPS) - {"patternProperties"}
_SUBSCHEMA_ARRAYS = frozenset(SCHEMA_LISTS)  # non-empty
_STRINGS = frozenset({"title", "description", "$comment", "format", "contentEncoding", "contentMediaType"})
_BOOLEANS = frozenset({"deprecated", "readOnly", "writeOnly", "uniqueItems"})
_NUMBERS = frozenset({"maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum"})
_COUNTS = frozenset(
    {
        "maxLength",
        "minLength",
        "maxItems",
        "minItems",
        "maxContains",
        "minContains",
        "maxProperties",
        "minProperties",
    }
)
_ANYTHING = frozenset({"const", "default", "example"})
_ARRAYS = frozenset({"enum", "examples"})
_URI_REFERENCES = frozenset({"$ref", "$dynamicRef"})
# Defined by the dialect but not modelled here: a schema using one is checked by the library.
_NOT_MODELLED = frozenset(
    {
        "$id",
        "$anchor",
        "$dynamicAnchor",
        "$vocabulary",
        "dependentRequired",
        "dependencies",
        "$recursiveAnchor",
        "$recursiveRef",
    }
)
_OTHER_MODELLED = frozenset(
    {
        "$schema",
        "type",
        "multipleOf",
        "pattern",
        "required",
        "patternProperties",
        "discriminator",
        "externalDocs",
        "xml",
    }
)
_DEFINED = (
    _ONE_SUBSCHEMA
    | _SUBSCHEMA_MAPS
    | _SUBSCHEMA_ARRAYS
    | _STRINGS
    | _BOOLEANS
    | _NUMBERS
    | _COUNTS
    | _ANYTHING
    | _ARRAYS
    | _URI_REFERENCES
    | _NOT_MODELLED
    | _OTHER_MODELLED
)
"""Every keyword the dialect's meta-schemas constrain; any other key may hold any value."""

_EXTENSION = re.compile("^x-")
# The OAS base vocabulary's objects: their properties, and the required ones; other keys must be
# extensions (`unevaluatedProperties: false` beside `patternProperties: {"^x-": true}`).
_OAS_OBJECTS: dict[str, tuple[dict[str, str], frozenset[str]]] = {
    "discriminator": ({"propertyName": "string", "mapping": "string map"}, frozenset({"propertyName"})),
    "externalDocs": ({"url": "uri-reference", "description": "string"}, frozenset({"url"})),
    "xml": (
        {
            "name": "string",
            "namespace": "uri",
            "prefix": "string",
            "attribute": "boolean",
            "wrapped": "boolean",
        },
        frozenset(),
    ),
}


def validate_openapi(document: Any) -> None:
    """Validate `document` as openapi-spec-validator does; raise what it raises, or return."""
    from openapi_spec_validator import validate
    from openapi_spec_validator.shortcuts import get_validator_cls
    from openapi_spec_validator.validation import OpenAPIV31SpecValidator

    cls = get_validator_cls(document)
    if cls is OpenAPIV31SpecValidator:
        cls = _fast_v31_validator()
    validate(document, cls=cls)


@functools.cache
def _fast_v31_validator() -> Any:
    """openapi-spec-validator's OpenAPI 3.1 validator with the two costs above removed."""
    from openapi_spec_validator.schemas import get_validator_backend, schema_v31
    from openapi_spec_validator.validation import OpenAPIV31SpecValidator
    from openapi_spec_validator.validation.keywords import OpenAPIV31SchemaValidator

    class SchemaValidator(OpenAPIV31SchemaValidator):
        def _get_schema_checker(self, schema: Any, schema_value: Any) -> Callable[[Any], None]:
            checker: Callable[[Any], None] = super()._get_schema_checker(schema, schema_value)
            format_checker = getattr(checker, "keywords", {}).get("format_checker")
            if format_checker is None or self._get_schema_dialect_id(schema, schema_value) != OAS31_DIALECT:
                return checker

            def check(value: Any) -> None:
                if not conforms_to_oas31_dialect(value, format_checker):
                    checker(value)

            return check

    attributes: dict[str, Any] = {
        "keyword_validators": {**OpenAPIV31SpecValidator.keyword_validators, "schema": SchemaValidator}
    }
    if get_validator_backend() == "jsonschema":  # jsonschema-rs, where installed, needs none of this
        attributes["schema_validator"] = _with_crawled_registry(dict(schema_v31))
    return type("OpenAPIV31SpecValidatorCrawled", (OpenAPIV31SpecValidator,), attributes)


def _with_crawled_registry(schema: dict[str, Any]) -> Any:
    """The jsonschema validator for `schema`, as `validator_for(schema)(schema)` builds it, with its
    reference registry crawled once instead of on every anchor lookup."""
    from jsonschema.validators import validator_for

    validator = validator_for(schema)(schema)
    resolver = validator._resolver
    try:
        crawled = resolver._registry.crawl().resolver(base_uri=resolver._base_uri)
    except AttributeError:  # another `referencing`: keep the validator as it is
        return validator
    return validator.evolve(_resolver=crawled)


def conforms_to_oas31_dialect(schema: Any, format_checker: Any) -> bool:
    """Whether `schema` is certainly valid against the OAS 3.1 dialect meta-schema.

    `True` means jsonschema's meta-schema check (with `format_checker`) would pass; `False` means
    "not shown here": the schema may be invalid, or use a keyword this function does not model.
    """
    from jsonschema.validators import Draft202012Validator

    types = Draft202012Validator.TYPE_CHECKER
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, bool):
            continue
        if not isinstance(node, dict):
            return False
        for key, value in node.items():
            if key not in _DEFINED or key in _ANYTHING:
                continue
            if key in _ONE_SUBSCHEMA:
                pending.append(value)
            elif key in _SUBSCHEMA_MAPS:
                if not isinstance(value, dict):
                    return False
                pending.extend(value.values())
            elif key in _SUBSCHEMA_ARRAYS:
                if not isinstance(value, list) or not value:
                    return False
                pending.extend(value)
            elif key in _STRINGS:
                if not isinstance(value, str):
                    return False
            elif key in _BOOLEANS:
                if not isinstance(value, bool):
                    return False
            elif key in _NUMBERS:
                if not types.is_type(value, "number"):
                    return False
            elif key in _COUNTS:
                if not (types.is_type(value, "integer") and value >= 0):
                    return False
            elif key in _ARRAYS:
                if not isinstance(value, list):
                    return False
            elif key in _URI_REFERENCES:
                if not (isinstance(value, str) and format_checker.conforms(value, "uri-reference")):
                    return False
            elif not _conforms_other(key, value, format_checker, types, pending):
                return False
    return True


def _conforms_other(key: str, value: Any, format_checker: Any, types: Any, pending: list[Any]) -> bool:
    if key == "type":
        if isinstance(value, str):
            return value in _SIMPLE_TYPES
        return (
            isinstance(value, list)
            and bool(value)
            and all(isinstance(item, str) and item in _SIMPLE_TYPES for item in value)
            and len(set(value)) == len(value)
        )
    if key == "$schema":
        return isinstance(value, str) and bool(format_checker.conforms(value, "uri"))
    if key == "multipleOf":
        return bool(types.is_type(value, "number") and value > 0)
    if key == "pattern":
        return isinstance(value, str) and bool(format_checker.conforms(value, "regex"))
    if key == "required":
        return (
            isinstance(value, list)
            and all(isinstance(item, str) for item in value)
            and len(set(value)) == len(value)
        )
    if key == "patternProperties":
        if not isinstance(value, dict) or not all(
            isinstance(name, str) and format_checker.conforms(name, "regex") for name in value
        ):
            return False
        pending.extend(value.values())
        return True
    if key in _OAS_OBJECTS:
        return _conforms_oas_object(key, value, format_checker)
    return False  # `_NOT_MODELLED`


def _conforms_oas_object(key: str, value: Any, format_checker: Any) -> bool:
    properties, required = _OAS_OBJECTS[key]
    if not isinstance(value, dict) or not required <= value.keys():
        return False
    for name, item in value.items():
        if not isinstance(name, str):
            return False
        kind = properties.get(name)
        if kind is None:
            if not _EXTENSION.search(name):
                return False
        elif kind == "boolean":
            if not isinstance(item, bool):
                return False
        elif kind == "string map":
            if not (isinstance(item, dict) and all(isinstance(v, str) for v in item.values())):
                return False
        elif not isinstance(item, str) or (kind != "string" and not format_checker.conforms(item, kind)):
            return False
    return True
