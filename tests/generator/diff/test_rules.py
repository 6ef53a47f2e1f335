"""Every rule: the registry matches RULES.md, and each HTTP rule fires on a small old/new pair."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import griffe
import pytest

from generator.diff.operations import diff_documents
from generator.diff.rules import RULES, Level
from tests.generator.diff.specs import STRING, Doc, edit, obj, open_enum, operation, spec, spec_with

RULES_MD = Path(__file__).parents[3] / "generator" / "diff" / "RULES.md"


def _pair(kind: str, old: Any, new: Any) -> tuple[Doc, Doc]:
    return spec_with(kind, old), spec_with(kind, new)


def req(old: Any, new: Any) -> tuple[Doc, Doc]:
    return _pair("request", old, new)


def resp(old: Any, new: Any) -> tuple[Doc, Doc]:
    return _pair("response", old, new)


def _set(path: list[str], value: Any) -> Any:
    def change(document: Doc) -> None:
        node = operation(document)
        for key in path[:-1]:
            node = node[key]
        if value is None:
            del node[path[-1]]
        else:
            node[path[-1]] = value

    return change


BASE = spec(request=obj({"a": STRING}), response=obj({"a": STRING}))
WITH_Y = edit(
    BASE, lambda d: d["paths"].update({"/y": {"get": {"responses": {"200": {"description": "OK"}}}}})
)
WEBHOOK = spec(webhook=obj({"a": STRING}))
QUERY = {"name": "q", "in": "query", "schema": STRING}
QUERY_REQUIRED = {**QUERY, "required": True}
NO_BODY = edit(BASE, _set(["requestBody"], None))
OPTIONAL_BODY = edit(BASE, _set(["requestBody", "required"], False))
TWO_MEDIA = edit(BASE, _set(["requestBody", "content", "text/plain"], {"schema": STRING}))
NOT_FOUND = edit(BASE, _set(["responses", "404"], {"description": "Not found"}))
NO_RESPONSE_BODY = edit(BASE, _set(["responses", "200", "content"], None))
TWO_RESPONSE_MEDIA = edit(BASE, _set(["responses", "200", "content", "text/plain"], {"schema": STRING}))
PATH_A = spec()
PATH_A["paths"] = {"/x/{a}": {"get": {"parameters": [{"name": "a", "in": "path", "required": True}]}}}
PATH_B = edit(PATH_A, lambda d: d["paths"].update({"/x/{b}": d["paths"].pop("/x/{a}")}))
PATH_B["paths"]["/x/{b}"]["get"]["parameters"][0]["name"] = "b"
THREE = {"oneOf": [obj({name: STRING}, title=name) for name in ("A", "B", "C")]}
TWO = {"oneOf": THREE["oneOf"][:2]}

SCHEMES: dict[str, Any] = {
    "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
    "oauth": {
        "type": "oauth2",
        "flows": {
            "clientCredentials": {"tokenUrl": "https://auth.test/t", "scopes": {"read": "r", "write": "w"}}
        },
    },
}


def secured(*alternatives: dict[str, list[str]], schemes: dict[str, Any] = SCHEMES) -> Doc:
    """`BASE` with `POST /x` behind `security: alternatives`."""

    def change(document: Doc) -> None:
        document["components"] = {"securitySchemes": schemes}
        if alternatives:
            operation(document)["security"] = list(alternatives)

    return edit(BASE, change)


QUERY_IN_KEY = {**SCHEMES, "key": {**SCHEMES["key"], "in": "query"}}
TAGGED = {**THREE, "discriminator": {"propertyName": "kind"}}
RETAGGED = {**THREE, "discriminator": {"propertyName": "type"}}
CONDITION_X = {"if": obj({"a": {"const": "x"}}), "then": obj({}, ("b",))}
CONDITION_Y = {"if": obj({"a": {"const": "y"}}), "then": obj({}, ("b",))}


def media(document: Doc, where: str, new_type: str) -> Doc:
    """`document` with the JSON media type of its request body or 200 response renamed to `new_type`."""

    def change(copy: Doc) -> None:
        holder = operation(copy)["requestBody"] if where == "request" else operation(copy)["responses"]["200"]
        holder["content"] = {new_type: holder["content"]["application/json"]}

    return edit(document, change)


JSON_FAMILY = edit(
    BASE,
    lambda d: operation(d)["responses"]["200"].update(
        content={
            "application/vnd.layer+json": operation(d)["responses"]["200"]["content"]["application/json"]
        }
    ),
)

WITH_HEADER = edit(BASE, _set(["responses", "200", "headers"], {"X-Request-Id": {"schema": STRING}}))

CASES: dict[str, tuple[Doc, Doc]] = {
    "operation-removed": (WITH_Y, BASE),
    "operation-added": (BASE, WITH_Y),
    "operation-id-changed": (BASE, edit(BASE, _set(["operationId"], "renamed"))),
    "description-changed": (BASE, edit(BASE, _set(["summary"], "Now documented"))),
    "example-changed": req(obj({"a": {**STRING, "example": "1"}}), obj({"a": {**STRING, "example": "2"}})),
    "deprecated-changed": req(obj({"a": STRING}), obj({"a": {**STRING, "deprecated": True}})),
    "webhook-removed": (WEBHOOK, spec()),
    "webhook-added": (spec(), WEBHOOK),
    "parameter-removed": (spec(parameters=[QUERY]), spec(parameters=[])),
    "parameter-added-required": (spec(parameters=[]), spec(parameters=[QUERY_REQUIRED])),
    "parameter-added-optional": (spec(parameters=[]), spec(parameters=[QUERY])),
    "parameter-became-required": (spec(parameters=[QUERY]), spec(parameters=[QUERY_REQUIRED])),
    "parameter-became-optional": (spec(parameters=[QUERY_REQUIRED]), spec(parameters=[QUERY])),
    "path-parameter-renamed": (PATH_A, PATH_B),
    "request-body-added-required": (NO_BODY, BASE),
    "request-body-added-optional": (NO_BODY, OPTIONAL_BODY),
    "request-body-removed": (BASE, NO_BODY),
    "request-body-became-required": (OPTIONAL_BODY, BASE),
    "request-body-became-optional": (BASE, OPTIONAL_BODY),
    "request-media-type-removed": (TWO_MEDIA, BASE),
    "request-media-type-added": (BASE, TWO_MEDIA),
    "response-removed": (NOT_FOUND, BASE),
    "response-added": (BASE, NOT_FOUND),
    "response-body-removed": (BASE, NO_RESPONSE_BODY),
    "response-body-added": (NO_RESPONSE_BODY, BASE),
    "response-media-type-removed": (TWO_RESPONSE_MEDIA, BASE),
    "response-media-type-added": (BASE, TWO_RESPONSE_MEDIA),
    "request-property-removed": req(obj({"a": STRING, "b": STRING}), obj({"a": STRING})),
    "request-property-added-required": req(obj({"a": STRING}), obj({"a": STRING, "b": STRING}, ("b",))),
    "request-property-added-optional": req(obj({"a": STRING}), obj({"a": STRING, "b": STRING})),
    "request-property-became-required": req(obj({"a": STRING}), obj({"a": STRING}, ("a",))),
    "request-property-became-optional": req(obj({"a": STRING}, ("a",)), obj({"a": STRING})),
    "request-type-narrowed": req({"type": ["string", "integer"]}, STRING),
    "request-type-widened": req({"type": "integer"}, {"type": "number"}),
    "request-type-changed": req(STRING, {"type": "integer"}),
    "request-nullable-removed": req({"type": ["string", "null"]}, STRING),
    "request-nullable-added": req(STRING, {"type": ["string", "null"]}),
    "request-format-added": req(STRING, {**STRING, "format": "uuid"}),
    "request-format-changed": req({**STRING, "format": "uri"}, {**STRING, "format": "uuid"}),
    "request-format-removed": req({**STRING, "format": "uuid"}, STRING),
    "request-enum-value-removed": req({"enum": ["a", "b"]}, {"enum": ["a"]}),
    "request-enum-value-added": req({"enum": ["a"]}, {"enum": ["a", "b"]}),
    "request-open-enum-value-removed": req(open_enum("a", "b"), open_enum("a")),
    "request-enum-added": req(STRING, {**STRING, "enum": ["a"]}),
    "request-enum-removed": req({**STRING, "enum": ["a"]}, STRING),
    "request-constraint-tightened": req({**STRING, "maxLength": 10}, {**STRING, "maxLength": 5}),
    "request-constraint-loosened": req({**STRING, "minLength": 3}, STRING),
    "request-additional-properties-closed": req(obj({}), obj({}, additionalProperties=False)),
    "request-additional-properties-opened": req(obj({}, additionalProperties=False), obj({})),
    "request-variant-removed": req(THREE, TWO),
    "request-variant-added": req(TWO, THREE),
    "response-property-removed": resp(obj({"a": STRING, "b": STRING}), obj({"a": STRING})),
    "response-property-added": resp(obj({"a": STRING}), obj({"a": STRING, "b": STRING}, ("b",))),
    "response-property-became-optional": resp(obj({"a": STRING}, ("a",)), obj({"a": STRING})),
    "response-property-became-required": resp(obj({"a": STRING}), obj({"a": STRING}, ("a",))),
    "response-type-narrowed": resp({"type": "number"}, {"type": "integer"}),
    "response-type-changed": resp({"type": "integer"}, {"type": "number"}),
    "response-nullable-added": resp(STRING, {**STRING, "nullable": True}),
    "response-nullable-removed": resp({"anyOf": [STRING, {"type": "null"}]}, STRING),
    "response-format-added": resp(STRING, {**STRING, "format": "date-time"}),
    "response-format-changed": resp({**STRING, "format": "date"}, {**STRING, "format": "date-time"}),
    "response-format-removed": resp({**STRING, "format": "date"}, STRING),
    "response-enum-value-added": resp({"enum": ["a"]}, {"enum": ["a", "b"]}),
    "response-enum-value-removed": resp({"enum": ["a", "b"]}, {"enum": ["a"]}),
    "response-enum-added": resp(STRING, {**STRING, "enum": ["a"]}),
    "response-enum-removed": resp({**STRING, "enum": ["a"]}, open_enum("a")),
    "response-constraint-tightened": resp({"type": "integer"}, {"type": "integer", "maximum": 9}),
    "response-constraint-loosened": resp({"type": "array", "maxItems": 2}, {"type": "array", "maxItems": 3}),
    "response-additional-properties-opened": resp(obj({}, additionalProperties=False), obj({})),
    "response-additional-properties-closed": resp(obj({}), obj({}, additionalProperties=False)),
    "response-variant-added": resp(TWO, THREE),
    "response-variant-removed": resp(THREE, TWO),
    "request-default-changed": req({**STRING, "default": "a"}, {**STRING, "default": "b"}),
    "response-default-changed": resp({**STRING, "default": "a"}, {**STRING, "default": "b"}),
    "request-condition-changed": req(CONDITION_X, CONDITION_Y),
    "request-discriminator-changed": req(TAGGED, RETAGGED),
    "response-discriminator-changed": resp(TAGGED, RETAGGED),
    "response-discriminator-added": resp(THREE, TAGGED),
    "response-discriminator-removed": resp(TAGGED, THREE),
    "response-media-type-generalised": (BASE, media(BASE, "responses", "application/*")),
    "response-condition-changed": resp(CONDITION_X, CONDITION_Y),
    "parameter-style-changed": (
        spec(parameters=[{**QUERY, "schema": {"type": "array", "items": STRING}}]),
        spec(parameters=[{**QUERY, "schema": {"type": "array", "items": STRING}, "explode": False}]),
    ),
    "parameter-became-array": (
        spec(parameters=[QUERY]),
        spec(parameters=[{**QUERY, "schema": {"type": "array", "items": STRING}}]),
    ),
    "security-requirement-added": (secured(), secured({"key": []})),
    "security-scope-added": (secured({"oauth": ["read"]}), secured({"oauth": ["read", "write"]})),
    "security-alternative-removed": (secured({"key": []}, {"oauth": ["read"]}), secured({"oauth": ["read"]})),
    "security-requirement-relaxed": (secured({"oauth": ["read"]}), secured({"key": []}, {"oauth": ["read"]})),
    "security-scheme-changed": (secured({"key": []}), secured({"key": []}, schemes=QUERY_IN_KEY)),
    "media-type-renamed": (BASE, JSON_FAMILY),
    "response-header-removed": (WITH_HEADER, BASE),
    "response-header-added": (BASE, WITH_HEADER),
}


def _table() -> dict[str, tuple[str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    for line in RULES_MD.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\| `([a-z0-9-]+)` \| ([a-z-]+) \| (.+) \|", line)
        if match:
            rows[match[1]] = (match[2], match[3])
    return rows


def test_rules_md_table_matches_the_registry() -> None:
    expected = {rule.id: (rule.level.value, rule.why) for rule in RULES.values()}
    assert _table() == expected


def test_every_http_rule_has_a_case() -> None:
    http_rules = {rule for rule in RULES if not rule.startswith("python-")}
    assert set(CASES) == http_rules


def test_every_griffe_breakage_kind_has_a_rule() -> None:
    kinds = {"python-" + kind.name.lower().replace("_", "-") for kind in griffe.BreakageKind}
    assert kinds <= set(RULES)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires_on_its_case(rule: str) -> None:
    old, new = CASES[rule]
    changes = diff_documents(old, new)
    fired = [change for change in changes if change.rule == rule]
    assert fired, f"{rule} did not fire; got {[change.rule for change in changes]}"
    assert all(change.level is RULES[rule].level for change in fired)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_no_rule_fires_when_nothing_changed(rule: str) -> None:
    old, _ = CASES[rule]
    assert diff_documents(old, old) == []


DIFF_CODE = sorted((RULES_MD.parent).glob("*.py"))


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_id_is_written_out_where_it_is_detected(rule: str) -> None:
    # rules.py declares the id; some other module must hold it as a whole string literal.
    holders = [path.name for path in DIFF_CODE if path.name != "rules.py" and f'"{rule}"' in path.read_text()]
    assert holders, f"{rule} is not written out in full in any detecting module"


def test_levels_are_the_three_documented_ones() -> None:
    assert [level.value for level in Level] == ["breaking", "non-breaking", "info"]
