"""Old/new pairs for each area of issue 12: what is found, where it is located and how it is judged."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.diff.operations import diff_documents
from generator.diff.rules import Level
from tests.generator.diff.specs import STRING, Doc, obj, operation, spec, spec_with

REQUEST = "POST /x request body"
RESPONSE = "POST /x response 200 body"


def found(old: Doc, new: Doc) -> set[tuple[str, str]]:
    return {(change.rule, str(change.location)) for change in diff_documents(old, new)}


def levels(old: Doc, new: Doc) -> set[Level]:
    return {change.level for change in diff_documents(old, new)}


# 1. JSON Schema 2020-12 keywords ---------------------------------------------------------------

KEYWORD_PAIRS: dict[str, tuple[Any, Any, str]] = {
    # name: (old schema, new schema, the request rule; the response rule is its mirror)
    "prefixItems position added": (
        {"type": "array", "prefixItems": [STRING]},
        {"type": "array", "prefixItems": [STRING, STRING]},
        "tightened",
    ),
    "contains added": ({"type": "array"}, {"type": "array", "contains": STRING}, "tightened"),
    "minContains raised": (
        {"type": "array", "contains": STRING, "minContains": 1},
        {"type": "array", "contains": STRING, "minContains": 2},
        "tightened",
    ),
    "maxContains raised": (
        {"type": "array", "contains": STRING, "maxContains": 1},
        {"type": "array", "contains": STRING, "maxContains": 2},
        "loosened",
    ),
    "dependentRequired added": (
        obj({"a": STRING, "b": STRING}),
        obj({"a": STRING, "b": STRING}, dependentRequired={"a": ["b"]}),
        "tightened",
    ),
    "dependentSchemas removed": (
        obj({"a": STRING}, dependentSchemas={"a": obj({}, ("b",))}),
        obj({"a": STRING}),
        "loosened",
    ),
    "then added": (obj({"a": STRING}), obj({"a": STRING}, then=obj({}, ("a",))), "tightened"),
    "else removed": (obj({"a": STRING}, (), **{"else": obj({}, ("a",))}), obj({"a": STRING}), "loosened"),
    "patternProperties added": (obj({}), obj({}, patternProperties={"^x-": STRING}), "tightened"),
    "propertyNames added": (obj({}), obj({}, propertyNames={"maxLength": 3}), "tightened"),
    "unevaluatedProperties closed": (obj({}), obj({}, unevaluatedProperties=False), "tightened"),
    "unevaluatedItems opened": ({"type": "array", "unevaluatedItems": False}, {"type": "array"}, "loosened"),
    "contentMediaType added": (STRING, {**STRING, "contentMediaType": "application/json"}, "tightened"),
    "contentEncoding removed": ({**STRING, "contentEncoding": "base64"}, STRING, "loosened"),
    "contentSchema added": (
        {**STRING, "contentMediaType": "application/json"},
        {**STRING, "contentMediaType": "application/json", "contentSchema": obj({}, ("a",))},
        "tightened",
    ),
    "not added": (STRING, {**STRING, "not": {"const": ""}}, "tightened"),
    "const added": (STRING, {"const": "a"}, "enum-added"),
    "minProperties raised": (obj({}, minProperties=1), obj({}, minProperties=2), "tightened"),
    "maxProperties lowered": (obj({}, maxProperties=3), obj({}, maxProperties=2), "tightened"),
    "multipleOf to a multiple": (
        {"type": "integer", "multipleOf": 2},
        {"type": "integer", "multipleOf": 4},
        "tightened",
    ),
    "multipleOf to a divisor": (
        {"type": "integer", "multipleOf": 4},
        {"type": "integer", "multipleOf": 2},
        "loosened",
    ),
    "uniqueItems added": ({"type": "array"}, {"type": "array", "uniqueItems": True}, "tightened"),
    "pattern removed": ({**STRING, "pattern": "^a"}, STRING, "loosened"),
    "pattern emptied": ({**STRING, "pattern": "^a"}, {**STRING, "pattern": ""}, "loosened"),
}

_RULES = {
    "tightened": ("request-constraint-tightened", "response-constraint-tightened"),
    "loosened": ("request-constraint-loosened", "response-constraint-loosened"),
    "enum-added": ("request-enum-added", "response-enum-added"),
}


@pytest.mark.parametrize("name", sorted(KEYWORD_PAIRS))
def test_keyword_change_is_judged_by_direction(name: str) -> None:
    old, new, kind = KEYWORD_PAIRS[name]
    request_rule, response_rule = _RULES[kind]
    request = {rule for rule, _ in found(spec(request=old), spec(request=new))}
    response = {rule for rule, _ in found(spec(response=old), spec(response=new))}
    assert request_rule in request, request
    assert response_rule in response, response
    assert found(spec(request=old), spec(request=old)) == set()


@pytest.mark.parametrize(
    ("old", "new", "location"),
    [
        (
            obj({"a": STRING}, then=obj({"b": STRING})),
            obj({"a": STRING}, then=obj({"b": STRING}, ("b",))),
            f"{REQUEST} <then>.b",
        ),
        (
            {"type": "array", "prefixItems": [obj({"id": STRING})]},
            {"type": "array", "prefixItems": [obj({"id": STRING}, ("id",))]},
            f"{REQUEST} <prefixItems>[0].id",
        ),
        (
            obj({}, patternProperties={"^x-": {**STRING, "maxLength": 5}}),
            obj({}, patternProperties={"^x-": {**STRING, "maxLength": 3}}),
            f"{REQUEST} <patternProperties>[^x-]",
        ),
        (
            obj({"a": STRING}, dependentSchemas={"a": obj({"c": STRING})}),
            obj({"a": STRING}, dependentSchemas={"a": obj({"c": STRING}, ("c",))}),
            f"{REQUEST} <dependentSchemas>[a].c",
        ),
    ],
)
def test_a_change_nested_in_a_keyword_is_located_below_it(old: Any, new: Any, location: str) -> None:
    changes = diff_documents(spec(request=old), spec(request=new))
    assert [str(change.location) for change in changes] == [location]
    assert changes[0].level is Level.breaking


def test_inside_not_every_judgement_flips() -> None:
    # `not: {maxLength: 5}` excludes short strings; excluding fewer (maxLength 3) lets more through.
    old = {**STRING, "not": {**STRING, "maxLength": 5}}
    new = {**STRING, "not": {**STRING, "maxLength": 3}}
    assert found(spec(request=old), spec(request=new)) == {
        ("request-constraint-loosened", f"{REQUEST} <not>")
    }
    assert found(spec(request=new), spec(request=old)) == {
        ("request-constraint-tightened", f"{REQUEST} <not>")
    }


# 2. Security -----------------------------------------------------------------------------------

SCHEMES: dict[str, Any] = {
    "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
    "bearer": {"type": "http", "scheme": "bearer"},
    "oauth": {
        "type": "oauth2",
        "flows": {
            "clientCredentials": {"tokenUrl": "https://auth.test/t", "scopes": {"read": "", "write": ""}}
        },
    },
}


def secured(operation_security: Any = None, global_security: Any = None, schemes: Any = SCHEMES) -> Doc:
    document = spec(response=obj({"a": STRING}))
    document["components"] = {"securitySchemes": schemes}
    if global_security is not None:
        document["security"] = global_security
    if operation_security is not None:
        operation(document)["security"] = operation_security
    return document


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        (secured(), secured(global_security=[{"key": []}]), "security-requirement-added"),
        (
            secured(global_security=[{"key": []}]),
            secured([{"key": [], "bearer": []}]),
            "security-requirement-added",
        ),
        (secured([{"oauth": ["read"]}]), secured([{"oauth": ["read", "write"]}]), "security-scope-added"),
        (secured([{"key": []}, {"bearer": []}]), secured([{"bearer": []}]), "security-alternative-removed"),
        (secured([{}, {"key": []}]), secured([{"key": []}]), "security-requirement-added"),
        (
            secured([{"key": []}]),
            secured([{"key": []}], schemes={**SCHEMES, "key": {**SCHEMES["key"], "name": "X-Api-Key"}}),
            "security-scheme-changed",
        ),
        (
            secured([{"oauth": []}]),
            secured(
                [{"oauth": []}],
                schemes={**SCHEMES, "oauth": {"type": "openIdConnect", "openIdConnectUrl": "u"}},
            ),
            "security-scheme-changed",
        ),
    ],
)
def test_stricter_security_breaks(old: Doc, new: Doc, rule: str) -> None:
    rules = {rule for rule, _ in found(old, new)}
    assert rule in rules
    assert Level.breaking in levels(old, new)
    if rule != "security-scheme-changed":  # a changed scheme breaks both ways
        assert Level.breaking not in levels(new, old)


def test_an_operation_security_overrides_the_global_one() -> None:
    old = secured(global_security=[{"key": []}])
    new = secured([], global_security=[{"key": []}])  # explicitly anonymous
    assert found(old, new) == {("security-requirement-relaxed", "POST /x security")}


def test_scope_descriptions_are_documentation() -> None:
    reworded = {**SCHEMES, "oauth": {**SCHEMES["oauth"]}}
    reworded["oauth"] = {
        "type": "oauth2",
        "description": "now documented",
        "flows": {
            "clientCredentials": {"tokenUrl": "https://auth.test/t", "scopes": {"read": "R", "write": "W"}}
        },
    }
    assert found(secured([{"oauth": ["read"]}]), secured([{"oauth": ["read"]}], schemes=reworded)) == set()


# 3. Defaults, patterns, read/write-only ------------------------------------------------------


def test_changed_default_of_a_request_parameter_breaks() -> None:
    old = spec(parameters=[{"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}}])
    new = spec(parameters=[{"name": "limit", "in": "query", "schema": {"type": "integer", "default": 50}}])
    assert found(old, new) == {("request-default-changed", "POST /x parameter query limit")}
    assert levels(old, new) == {Level.breaking}


def test_added_default_of_a_request_property_breaks_and_of_a_response_property_does_not() -> None:
    old, new = obj({"a": STRING}), obj({"a": {**STRING, "default": "x"}})
    assert levels(spec(request=old), spec(request=new)) == {Level.breaking}
    assert levels(spec(response=old), spec(response=new)) == {Level.non_breaking}


@pytest.mark.parametrize("flag", ["readOnly", "writeOnly"])
def test_hidden_properties_are_not_judged_in_their_hidden_direction(flag: str) -> None:
    hidden_in = "request" if flag == "readOnly" else "response"
    old = obj({"a": STRING, "id": {**STRING, flag: True}}, ("id",))
    new = obj({"a": STRING, "id": {"type": "integer", flag: True}}, ("id",))
    assert found(spec_with(hidden_in, old), spec_with(hidden_in, new)) == set()
    shown_in = "response" if hidden_in == "request" else "request"
    assert found(spec_with(shown_in, old), spec_with(shown_in, new))


def test_a_property_that_becomes_read_only_leaves_the_request() -> None:
    old = obj({"id": STRING}, ("id",))
    new = obj({"id": {**STRING, "readOnly": True}}, ("id",))
    assert found(spec(request=old), spec(request=new)) == {("request-property-removed", f"{REQUEST} id")}
    assert found(spec(request=new), spec(request=old)) == {
        ("request-property-added-required", f"{REQUEST} id")
    }
    # In a response it is the same data, only flagged.
    assert found(spec(response=old), spec(response=new)) == set()


def test_a_required_read_only_property_is_not_required_of_requests() -> None:
    old = obj({"a": STRING})
    new = obj({"a": STRING, "id": {**STRING, "readOnly": True}}, ("id",))
    assert found(spec(request=old), spec(request=new)) == set()


# 4. Parameters -----------------------------------------------------------------------------------


def _parameter(where: str, schema: Any, **extra: Any) -> Doc:
    return spec(parameters=[{"name": "ids", "in": where, "schema": schema, **extra}])


ARRAY = {"type": "array", "items": STRING}


@pytest.mark.parametrize("where", ["query", "cookie"])
def test_form_exploded_scalar_to_array_is_compatible(where: str) -> None:
    changes = diff_documents(_parameter(where, STRING), _parameter(where, ARRAY))
    assert [(c.rule, c.level) for c in changes] == [("parameter-became-array", Level.non_breaking)]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (_parameter("query", STRING, explode=False), _parameter("query", ARRAY, explode=False)),
        (
            _parameter("query", STRING, style="spaceDelimited"),
            _parameter("query", ARRAY, style="spaceDelimited"),
        ),
        (_parameter("header", STRING), _parameter("header", ARRAY)),
        (_parameter("query", STRING), _parameter("query", {"type": "array", "items": {"type": "integer"}})),
    ],
)
def test_other_scalar_to_array_changes_break(old: Doc, new: Doc) -> None:
    assert Level.breaking in levels(old, new)


def test_a_style_change_matters_only_for_arrays_and_objects() -> None:
    scalar = _parameter("query", STRING)
    assert found(scalar, _parameter("query", STRING, style="spaceDelimited")) == set()
    array = _parameter("query", ARRAY)
    explicit = _parameter("query", ARRAY, style="form", explode=True)
    assert found(array, explicit) == set()  # the defaults spelled out
    assert found(array, _parameter("query", ARRAY, style="pipeDelimited")) == {
        ("parameter-style-changed", "POST /x parameter query ids")
    }


@pytest.mark.parametrize("where", ["header", "cookie", "query"])
def test_header_and_cookie_parameters_are_compared_like_query_ones(where: str) -> None:
    name = "X-Trace" if where == "header" else "trace"
    old = spec(parameters=[{"name": name, "in": where, "schema": {**STRING, "maxLength": 10}}])
    new = spec(
        parameters=[{"name": name, "in": where, "schema": {**STRING, "maxLength": 5}, "required": True}]
    )
    rules = {rule for rule, _ in found(old, new)}
    assert rules == {"parameter-became-required", "request-constraint-tightened"}
    removed = spec(parameters=[])
    assert found(old, removed) == {("parameter-removed", f"POST /x parameter {where} {name}")}


def test_header_names_match_case_insensitively() -> None:
    old = spec(parameters=[{"name": "X-Trace", "in": "header", "schema": STRING}])
    new = spec(parameters=[{"name": "x-trace", "in": "header", "schema": STRING}])
    assert found(old, new) == set()


# 5. Media types ---------------------------------------------------------------------------------


def _media(kind: str, mapping: dict[str, Any], where: str = "response") -> Doc:
    document = spec(request=obj({"a": STRING}), response=obj({"a": STRING}))
    if where == "response":
        operation(document)["responses"]["200"]["content"] = mapping
    else:
        operation(document)["requestBody"]["content"] = mapping
    return document


BODY = {"schema": obj({"a": STRING})}


@pytest.mark.parametrize("where", ["request", "response"])
def test_json_and_plus_json_are_one_family(where: str) -> None:
    old = _media("", {"application/json": BODY}, where)
    new = _media("", {"application/problem+json; charset=utf-8": BODY}, where)
    assert {rule for rule, _ in found(old, new)} == {"media-type-renamed"}


def test_a_schema_change_is_still_found_across_the_family() -> None:
    old = _media("", {"application/json": BODY})
    new = _media("", {"application/vnd.x+json": {"schema": obj({})}})
    assert ("response-property-removed", f"{RESPONSE} a") in found(old, new)


def test_a_request_moving_to_a_wildcard_is_not_a_removal() -> None:
    old = _media("", {"application/json": BODY}, "request")
    for wildcard in ("*/*", "application/*"):
        new = _media("", {wildcard: BODY}, "request")
        assert Level.breaking not in levels(old, new)
        assert Level.breaking in levels(new, old)


def test_a_response_moving_from_a_wildcard_to_a_type_is_not_a_removal() -> None:
    old = _media("", {"*/*": BODY})
    new = _media("", {"application/json": BODY})
    assert Level.breaking not in levels(old, new)
    assert Level.breaking in levels(new, old)


# 6. Composition ---------------------------------------------------------------------------------

SHAPE = obj({"a": STRING, "b": {"type": "integer"}}, ("a",))
PARTS = {"A": obj({"a": STRING}, ("a",)), "B": obj({"b": {"type": "integer"}})}


@pytest.mark.parametrize(
    "same",
    [
        {"allOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]},
        {"anyOf": [{"$ref": "#/components/schemas/Shape"}]},
        {"oneOf": [{"$ref": "#/components/schemas/Shape"}]},
        {"allOf": [{"$ref": "#/components/schemas/Shape"}]},
    ],
)
@pytest.mark.parametrize("where", ["request", "response"])
def test_a_ref_swapped_for_a_composition_of_the_same_shape_is_no_change(same: Any, where: str) -> None:
    schemas = {"Shape": SHAPE, **PARTS}
    old = spec_with(where, {"$ref": "#/components/schemas/Shape"}, schemas=schemas)
    new = spec_with(where, same, schemas=schemas)
    assert found(old, new) == set()


@pytest.mark.parametrize("where", ["request", "response"])
def test_any_of_and_one_of_of_the_same_branches_are_the_same(where: str) -> None:
    branches = [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]
    old = spec_with(where, {"anyOf": branches}, schemas=PARTS)
    new = spec_with(where, {"oneOf": list(reversed(branches))}, schemas=PARTS)
    assert found(old, new) == set()


@pytest.mark.parametrize("keyword", ["oneOf", "anyOf"])
def test_a_new_variant_is_an_addition_both_ways(keyword: str) -> None:
    """The generated client reads an unknown response shape without raising (see RULES.md)."""
    two = {keyword: [obj({"a": STRING}, title="A"), obj({"b": STRING}, title="B")]}
    three = {keyword: [*two[keyword], obj({"c": STRING}, title="C")]}
    assert found(spec(response=two), spec(response=three)) == {("response-variant-added", RESPONSE)}
    assert found(spec(request=two), spec(request=three)) == {("request-variant-added", REQUEST)}
    assert levels(spec(response=two), spec(response=three)) == {Level.non_breaking}
    assert levels(spec(request=two), spec(request=three)) == {Level.non_breaking}
    assert levels(spec(response=three), spec(response=two)) == {Level.non_breaking}
    assert levels(spec(request=three), spec(request=two)) == {Level.breaking}


@pytest.mark.parametrize("keyword", ["oneOf", "anyOf"])
def test_a_schema_becoming_a_union_with_it_is_one_added_variant(keyword: str) -> None:
    schemas = {"A": obj({"a": STRING}), "B": obj({"b": STRING})}
    old = spec(response={"$ref": "#/components/schemas/A"}, schemas=schemas)
    new = spec(
        response={keyword: [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]},
        schemas=schemas,
    )
    assert found(old, new) == {("response-variant-added", RESPONSE)}
    assert found(new, old) == {("response-variant-removed", RESPONSE)}


# Any schema is no change against itself, and a `$ref` to it is the same schema. --------------

SCALAR = st.sampled_from(["string", "integer", "number", "boolean"])
SCHEMAS = st.recursive(
    st.builds(lambda t: {"type": t}, SCALAR)
    | st.builds(lambda n: {"type": "string", "maxLength": n}, st.integers(0, 9))
    | st.builds(lambda v: {"enum": v}, st.lists(st.text(max_size=3), min_size=1, max_size=3, unique=True)),
    lambda inner: (
        st.builds(
            lambda p: obj(p, tuple(sorted(p))[:1]),
            st.dictionaries(st.text("abc", min_size=1, max_size=2), inner, max_size=3),
        )
        | st.builds(lambda i: {"type": "array", "items": i}, inner)
        | st.builds(lambda a, b: {"oneOf": [a, b]}, inner, inner)
        | st.builds(lambda i: {"not": i}, inner)
        | st.builds(lambda i: {"type": "array", "prefixItems": [i]}, inner)
    ),
    max_leaves=8,
)


@given(SCHEMAS, st.sampled_from(["request", "response"]))
def test_a_schema_against_itself_and_its_ref_is_no_change(schema: Any, where: str) -> None:
    old = spec_with(where, schema)
    new = spec_with(where, {"$ref": "#/components/schemas/S"}, schemas={"S": schema})
    assert diff_documents(old, old) == []
    assert diff_documents(old, new) == []


@given(SCHEMAS, SCHEMAS)
def test_levels_of_a_change_never_depend_on_key_order(a: Any, b: Any) -> None:
    def reordered(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: reordered(node[key]) for key in reversed(list(node))}
        if isinstance(node, list):
            return [reordered(item) for item in node]
        return node

    forward = {(c.rule, str(c.location)) for c in diff_documents(spec(response=a), spec(response=b))}
    again = {
        (c.rule, str(c.location))
        for c in diff_documents(spec(response=reordered(a)), spec(response=reordered(b)))
    }
    assert forward == again


@pytest.mark.parametrize(
    ("spelled", "same"),
    [
        ({"const": "a"}, {"type": "string", "const": "a"}),
        ({"enum": [1, 2]}, {"type": "integer", "enum": [2, 1]}),
    ],
)
def test_an_enum_implies_the_type_of_its_values(spelled: Any, same: Any) -> None:
    assert found(spec(response=spelled), spec(response=same)) == set()
    assert found(spec(request=same), spec(request=spelled)) == set()


def test_an_enum_whose_values_change_type_is_a_type_change() -> None:
    rules = {rule for rule, _ in found(spec(response={"enum": [1]}), spec(response={"enum": ["1"]}))}
    assert "response-type-changed" in rules


def test_response_headers_match_case_insensitively_and_compare_their_schemas() -> None:
    def with_header(name: str, schema: Any) -> Doc:
        document = spec(response=obj({"a": STRING}))
        operation(document)["responses"]["200"]["headers"] = {name: {"schema": schema}}
        return document

    old = with_header("X-Rate-Limit", {"type": "integer"})
    assert found(old, with_header("x-rate-limit", {"type": "integer"})) == set()
    assert found(old, with_header("X-Rate-Limit", {"type": ["integer", "null"]})) == {
        ("response-nullable-added", "POST /x response 200 header X-Rate-Limit")
    }
