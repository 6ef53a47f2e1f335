"""Every rule of the table paired with what the change does to a client, so each level is shown, not told.

- A response-side rule: the client generated from the old spec reads a body the new spec allows
  (checked with jsonschema first). Breaking rules are those where the old client misreads it (its
  strict reading raises); non-breaking ones are read as they are (open enums, unknown fields kept).
- A request-side rule: a request the old spec accepts (checked with jsonschema, formats included)
  is validated against the new spec. Breaking rules are those where the new API rejects it.
- An operation-level rule (operations, parameters, security, bodies, media types): an old client's
  request is checked against both specs by `accepts`, a small model of what an API built from a
  spec lets through.
- A `python-*` rule: code written against the old module runs against the new one; breaking rules
  are those where it fails.
- What no generated code encodes (a response status or header the API stops sending, a condition,
  a default, a removed webhook): the old spec promised something that the new one does not.

`test_every_rule_has_an_effect` fails when a rule is added to the table without a case here.
"""

from __future__ import annotations

import copy
import importlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import griffe
import httpx
import jsonschema
import pytest

from generator.diff.operations import diff_documents
from generator.diff.python_api import compare_apis
from generator.diff.rules import RULES, Level
from tests.generator.diff.specs import STRING, Doc, obj, open_enum, operation, spec
from tests.generator.diff.test_rules import CASES
from tests.generator.support import GeneratedPackage, generate_and_import

# --- Response bodies: the old generated client reads what the new API may send. ---------------------


@dataclass(frozen=True)
class Reads:
    """The response schema before and after, and a value the new schema allows."""

    old: Any
    new: Any
    witness: Any


def closed(name: str) -> dict[str, Any]:
    """A variant that only its own shape matches."""
    return obj({name: STRING}, (name,), title=name, additionalProperties=False)


VARIANTS_3 = {"oneOf": [closed(name) for name in ("A", "B", "C")]}
VARIANTS_2 = {"oneOf": VARIANTS_3["oneOf"][:2]}
INTEGERS = {"type": "array", "items": {"type": "integer"}}

READS: dict[str, Reads] = {
    "response-property-removed": Reads(
        obj({"a": STRING, "b": STRING}, ("b",)), obj({"a": STRING}), {"a": "x"}
    ),
    "response-property-added": Reads(
        obj({"a": STRING}), obj({"a": STRING, "b": STRING}, ("b",)), {"a": "x", "b": "y"}
    ),
    "response-property-became-optional": Reads(obj({"a": STRING}, ("a",)), obj({"a": STRING}), {}),
    "response-property-became-required": Reads(obj({"a": STRING}), obj({"a": STRING}, ("a",)), {"a": "x"}),
    "response-type-narrowed": Reads({"type": "number"}, {"type": "integer"}, 1),
    "response-type-changed": Reads({"type": "integer"}, {"type": "number"}, 1.5),
    "response-nullable-added": Reads(STRING, {"type": ["string", "null"]}, None),
    "response-nullable-removed": Reads({"type": ["string", "null"]}, STRING, "x"),
    "response-format-added": Reads(STRING, {**STRING, "format": "date-time"}, "2024-01-02T03:04:05Z"),
    "response-format-changed": Reads(
        {**STRING, "format": "date"}, {**STRING, "format": "date-time"}, "2024-01-02T03:04:05Z"
    ),
    "response-format-removed": Reads({**STRING, "format": "date"}, STRING, "not a date"),
    "response-enum-value-added": Reads({**STRING, "enum": ["a"]}, {**STRING, "enum": ["a", "b"]}, "b"),
    "response-enum-value-removed": Reads({**STRING, "enum": ["a", "b"]}, {**STRING, "enum": ["a"]}, "a"),
    "response-enum-added": Reads(STRING, {**STRING, "enum": ["a"]}, "a"),
    "response-enum-removed": Reads({**STRING, "enum": ["a"]}, open_enum("a"), "anything"),
    "response-constraint-tightened": Reads({"type": "integer"}, {"type": "integer", "maximum": 9}, 5),
    "response-constraint-loosened": Reads(
        {**INTEGERS, "maxItems": 2}, {**INTEGERS, "maxItems": 3}, [1, 2, 3]
    ),
    "response-additional-properties-opened": Reads(
        obj({"a": STRING}, additionalProperties=False), obj({"a": STRING}), {"a": "x", "extra": 1}
    ),
    "response-additional-properties-closed": Reads(
        obj({"a": STRING}), obj({"a": STRING}, additionalProperties=False), {"a": "x"}
    ),
    "response-variant-added": Reads(VARIANTS_2, VARIANTS_3, {"C": "x"}),
    "response-variant-removed": Reads(VARIANTS_3, VARIANTS_2, {"A": "x"}),
    "response-default-changed": Reads({**STRING, "default": "a"}, {**STRING, "default": "b"}, "x"),
}


def wrapped(schema: Any) -> dict[str, Any]:
    """`schema` as the required property `v` of the response object (responses are component models)."""
    return obj({"v": schema}, ("v",))


def _response_document(rules: list[str]) -> Doc:
    """One operation per rule, `POST /<rule>`, answering the old schema; servers and credentials as
    the generator needs them."""
    document = spec()
    document["servers"] = [{"url": "https://sandbox.test", "x-environment": "sandbox"}]
    document["security"] = [{"clientId": [], "secret": []}]
    keys = {
        name: {"type": "apiKey", "in": "header", "name": f"PLAID-{field.upper()}", "x-body-field": field}
        for name, field in (("clientId", "client_id"), ("secret", "secret"))
    }
    schemas: dict[str, Any] = {}
    document["paths"] = {}
    for index, rule in enumerate(rules):
        schemas[f"R{index}"] = wrapped(READS[rule].old)
        document["paths"][f"/r{index}"] = {
            "post": {
                "operationId": f"r{index}",
                "tags": ["effects"],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/R{index}"}}
                        },
                    }
                },
            }
        }
    document["components"] = {"securitySchemes": keys, "schemas": schemas}
    return document


READ_RULES = sorted(READS)
# Rules whose level is decided by the default (tolerant) reading, their why saying so.
STRICT_CLIENTS_MAY_BREAK = frozenset({"response-variant-added"})


@pytest.fixture(scope="module")
def old_client(tmp_path_factory: pytest.TempPathFactory) -> GeneratedPackage:
    """The package generated from one spec holding the old side of every `READS` case."""
    folder = tmp_path_factory.mktemp("effects")
    spec_path = folder / "old.json"
    spec_path.write_text(json.dumps(_response_document(READ_RULES)), encoding="utf-8")
    return generate_and_import(spec_path, folder / "dist")


def _read(package: GeneratedPackage, index: int, response: httpx.Response, *, strict: bool) -> Any:
    """What the old client's reading of `response` to `POST /r<index>` gives (strict: deviations raise)."""
    name = package.package.__name__
    # Wherever the resource grouping puts the operation: `api/<resource>/r<index>.py`.
    (resource,) = (
        path.parent.name for path in Path(package.package.__file__ or "").parent.glob(f"api/*/r{index}.py")
    )
    operation_module = importlib.import_module(f"{name}.api.{resource}.r{index}")
    reading = importlib.import_module(f"{name}._request")
    value, _ = reading.parse_success(operation_module.OPERATION, response, strict=strict)
    return value


def _misreads(package: GeneratedPackage, index: int, response: httpx.Response) -> bool:
    """Whether the old client's strict reading raises: the body does not fit the old model."""
    errors = importlib.import_module(f"{package.package.__name__}._exceptions")
    try:
        _read(package, index, response, strict=True)
    except errors.ResponseValidationError:
        return True
    return False


@pytest.mark.parametrize("rule", READ_RULES)
def test_the_old_client_reads_the_new_response_as_the_level_says(
    rule: str, old_client: GeneratedPackage
) -> None:
    case = READS[rule]
    assert rule in _fired(spec(response=wrapped(case.old)), spec(response=wrapped(case.new)))
    body = {"v": case.witness}
    jsonschema.Draft202012Validator(wrapped(case.new), format_checker=FORMATS).validate(body)
    index, response = READ_RULES.index(rule), httpx.Response(200, json=body)
    if rule in STRICT_CLIENTS_MAY_BREAK:
        # The generated client reads the unknown shape as sent (tolerant reading); its strict mode raises.
        assert _read(old_client, index, response, strict=False).v == case.witness
        assert _misreads(old_client, index, response)
        assert "strict clients may break" in RULES[rule].why
        assert RULES[rule].level is Level.non_breaking
        return
    assert _misreads(old_client, index, response) is (RULES[rule].level is Level.breaking)


def test_a_response_body_the_api_stops_sending_is_misread(old_client: GeneratedPackage) -> None:
    assert "response-body-removed" in _fired(*CASES["response-body-removed"])
    assert _misreads(old_client, 0, httpx.Response(200, content=b""))
    assert RULES["response-body-removed"].level is Level.breaking


def test_a_generalised_response_media_type_breaks_the_old_decoder(
    old_client: GeneratedPackage,
) -> None:
    response = httpx.Response(200, content=b"<v>x</v>", headers={"Content-Type": "application/xml"})
    assert _misreads(old_client, 0, response)
    assert RULES["response-media-type-generalised"].level is Level.breaking


# --- Request bodies: the new API validates what the old client sends. --------------------------------


@dataclass(frozen=True)
class Sends:
    """The request schema before and after, and a value the old schema accepts."""

    old: Any
    new: Any
    witness: Any


FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER
CLOSED_AB = obj({"a": STRING, "b": STRING}, additionalProperties=False)
CLOSED_A = obj({"a": STRING}, additionalProperties=False)
TAGGED = {"oneOf": VARIANTS_3["oneOf"], "discriminator": {"propertyName": "kind"}}
RETAGGED = {"oneOf": VARIANTS_3["oneOf"], "discriminator": {"propertyName": "type"}}
CONDITION_X = {"if": obj({"a": {"const": "x"}}, ("a",)), "then": obj({}, ("b",))}
CONDITION_Y = {"if": obj({"a": {"const": "y"}}, ("a",)), "then": obj({}, ("b",))}

SENDS: dict[str, Sends] = {
    "request-property-removed": Sends(CLOSED_AB, CLOSED_A, {"a": "x", "b": "y"}),
    "request-property-added-required": Sends(obj({"a": STRING}), obj({"a": STRING, "b": STRING}, ("b",)), {}),
    "request-property-added-optional": Sends(obj({"a": STRING}), obj({"a": STRING, "b": STRING}), {"a": "x"}),
    "request-property-became-required": Sends(obj({"a": STRING}), obj({"a": STRING}, ("a",)), {}),
    "request-property-became-optional": Sends(obj({"a": STRING}, ("a",)), obj({"a": STRING}), {"a": "x"}),
    "request-type-narrowed": Sends({"type": ["string", "integer"]}, STRING, 1),
    "request-type-widened": Sends({"type": "integer"}, {"type": "number"}, 1),
    "request-type-changed": Sends(STRING, {"type": "integer"}, "x"),
    "request-nullable-removed": Sends({"type": ["string", "null"]}, STRING, None),
    "request-nullable-added": Sends(STRING, {"type": ["string", "null"]}, "x"),
    "request-format-added": Sends(STRING, {**STRING, "format": "uuid"}, "not-a-uuid"),
    "request-format-changed": Sends({**STRING, "format": "date"}, {**STRING, "format": "uuid"}, "2024-01-02"),
    "request-format-removed": Sends(
        {**STRING, "format": "uuid"}, STRING, "0b9a3b1c-1f2e-4d5c-9a8b-7c6d5e4f3a2b"
    ),
    "request-enum-value-removed": Sends({"enum": ["a", "b"]}, {"enum": ["a"]}, "b"),
    "request-enum-value-added": Sends({"enum": ["a"]}, {"enum": ["a", "b"]}, "a"),
    "request-open-enum-value-removed": Sends(open_enum("a", "b"), open_enum("a"), "b"),
    "request-enum-added": Sends(STRING, {**STRING, "enum": ["a"]}, "x"),
    "request-enum-removed": Sends({**STRING, "enum": ["a"]}, STRING, "a"),
    "request-constraint-tightened": Sends({**STRING, "maxLength": 10}, {**STRING, "maxLength": 5}, "abcdefg"),
    "request-constraint-loosened": Sends({**STRING, "minLength": 3}, STRING, "abc"),
    "request-additional-properties-closed": Sends(obj({}), obj({}, additionalProperties=False), {"x": 1}),
    "request-additional-properties-opened": Sends(obj({}, additionalProperties=False), obj({}), {}),
    "request-variant-removed": Sends(VARIANTS_3, VARIANTS_2, {"C": "x"}),
    "request-variant-added": Sends(VARIANTS_2, VARIANTS_3, {"A": "x"}),
    "request-condition-changed": Sends(CONDITION_X, CONDITION_Y, {"a": "y"}),
    "request-discriminator-changed": Sends(TAGGED, RETAGGED, {"kind": "A", "A": "x"}),
}


def _accepted_body(schema: Any, value: Any) -> bool:
    """Whether an API validating with `schema` takes `value`; a discriminator picks by its property."""
    tag = schema.get("discriminator", {}).get("propertyName") if isinstance(schema, dict) else None
    if tag is not None:
        if not isinstance(value, dict) or tag not in value:
            return False
        value = {key: item for key, item in value.items() if key != tag}
    return bool(jsonschema.Draft202012Validator(schema, format_checker=FORMATS).is_valid(value))


@pytest.mark.parametrize("rule", sorted(SENDS))
def test_the_new_api_validates_the_old_request_as_the_level_says(rule: str) -> None:
    case = SENDS[rule]
    assert rule in _fired(spec(request=case.old), spec(request=case.new))
    assert _accepted_body(case.old, case.witness)
    assert _accepted_body(case.new, case.witness) is (RULES[rule].level is not Level.breaking)


# --- Whole requests: what an API built from the new spec lets through. ------------------------------


@dataclass(frozen=True)
class Request:
    """What an old client sends; `tokens` are the scopes of its OAuth token, by scheme."""

    method: str = "post"
    path: str = "/x"
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    content_type: str = "application/json"
    tokens: dict[str, set[str]] = field(default_factory=dict)


def _operation_for(document: Doc, request: Request) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The operation a request reaches, and its path parameters, when the spec has one."""
    wanted = request.path.strip("/").split("/")
    for template, item in document.get("paths", {}).items():
        parts = template.strip("/").split("/")
        if len(parts) != len(wanted) or request.method not in item:
            continue
        values = {}
        for part, value in zip(parts, wanted, strict=True):
            if part.startswith("{") and part.endswith("}"):
                values[part[1:-1]] = value
            elif part != value:
                break
        else:
            return item[request.method], values
    return None


def _parameters_accepted(found: dict[str, Any], request: Request, path_values: dict[str, str]) -> bool:
    declared = {(parameter["in"], parameter["name"]): parameter for parameter in found.get("parameters", [])}
    if any(("query", name) not in declared for name in request.query):
        return False  # a strict API rejects parameters it does not know
    if set(path_values) != {name for where, name in declared if where == "path"}:
        return False
    for (where, name), parameter in declared.items():
        values = request.query.get(name) if where == "query" else None
        if values is None:
            if parameter.get("required") and where != "path":
                return False
            continue
        schema = parameter.get("schema", {})
        if schema.get("type") == "array":
            # form style: `q=a&q=b` when exploded (the default), `q=a,b` when not.
            explode = parameter.get("explode", True)
            items = values if explode else [piece for value in values for piece in value.split(",")]
            if not explode and len(values) > 1:
                return False
            value: Any = items
        elif len(values) != 1:
            return False
        else:
            value = values[0]
        if not jsonschema.Draft202012Validator(schema).is_valid(value):
            return False
    return True


def _credential_accepted(document: Doc, requirement: dict[str, list[str]], request: Request) -> bool:
    schemes = document.get("components", {}).get("securitySchemes", {})
    for name, scopes in requirement.items():
        scheme = schemes[name]
        if scheme["type"] == "apiKey":
            held = request.headers if scheme["in"] == "header" else request.query
            if scheme["name"] not in held:
                return False
        elif not set(scopes) <= request.tokens.get(name, set()):
            return False
    return True


def accepts(document: Doc, request: Request) -> bool:
    """Whether an API that enforces `document` takes `request` (path, parameters, body, credentials)."""
    reached = _operation_for(document, request)
    if reached is None:
        return False
    found, path_values = reached
    if not _parameters_accepted(found, request, path_values):
        return False
    requirements = found.get("security", document.get("security", []))
    if requirements and not any(_credential_accepted(document, each, request) for each in requirements):
        return False
    body = found.get("requestBody")
    if request.body is None:
        return body is None or not body.get("required", False)
    if body is None or request.content_type not in body.get("content", {}):
        return False
    schema = body["content"][request.content_type].get("schema", {})
    return _accepted_body(schema, request.body)


BODY = {"a": "x"}
KEY = {"X-Key": "k"}

CALLS: dict[str, Request] = {
    "operation-removed": Request(path="/y", method="get"),
    "operation-added": Request(body=BODY),
    "operation-id-changed": Request(body=BODY),
    "description-changed": Request(body=BODY),
    "example-changed": Request(body=BODY),
    "deprecated-changed": Request(body=BODY),
    "parameter-removed": Request(query={"q": ["v"]}),
    "parameter-added-required": Request(),
    "parameter-added-optional": Request(),
    "parameter-became-required": Request(),
    "parameter-became-optional": Request(query={"q": ["v"]}),
    "path-parameter-renamed": Request(method="get", path="/x/1"),
    "parameter-style-changed": Request(query={"q": ["a", "b"]}),
    "parameter-became-array": Request(query={"q": ["v"]}),
    "security-requirement-added": Request(body=BODY),
    "security-scope-added": Request(body=BODY, tokens={"oauth": {"read"}}),
    "security-alternative-removed": Request(body=BODY, headers=KEY),
    "security-requirement-relaxed": Request(body=BODY, tokens={"oauth": {"read"}}),
    "security-scheme-changed": Request(body=BODY, headers=KEY),
    "request-body-added-required": Request(),
    "request-body-added-optional": Request(),
    "request-body-removed": Request(body=BODY),
    "request-body-became-required": Request(),
    "request-body-became-optional": Request(body=BODY),
    "request-media-type-removed": Request(body="text", content_type="text/plain"),
    "request-media-type-added": Request(body=BODY),
    "media-type-renamed": Request(body=BODY),
}


@pytest.mark.parametrize("rule", sorted(CALLS))
def test_the_new_api_takes_the_old_call_as_the_level_says(rule: str) -> None:
    old, new = CASES[rule]
    assert rule in _fired(old, new)
    assert accepts(old, CALLS[rule])
    assert accepts(new, CALLS[rule]) is (RULES[rule].level is not Level.breaking)


# --- Promises no generated code holds: what the old spec said the API sends, and the new one does not. ---


def _response(document: Doc) -> dict[str, Any]:
    result: dict[str, Any] = operation(document)["responses"]
    return result


def _media(document: Doc) -> set[str]:
    return set(_response(document)["200"].get("content", {}))


def _webhooks(document: Doc) -> set[str]:
    return set(document.get("webhooks", {}))


PROMISES: dict[str, Callable[[Doc, Doc], bool]] = {
    # True when the new spec still promises everything the old one did.
    "response-removed": lambda old, new: set(_response(old)) <= set(_response(new)),
    "response-added": lambda old, new: set(_response(old)) <= set(_response(new)),
    "response-body-added": lambda old, new: _media(old) <= _media(new),
    "response-header-removed": lambda old, new: (
        set(_response(old)["200"].get("headers", {})) <= set(_response(new)["200"].get("headers", {}))
    ),
    "response-header-added": lambda old, new: (
        set(_response(old)["200"].get("headers", {})) <= set(_response(new)["200"].get("headers", {}))
    ),
    # The generated client asks for `application/json`; the API still answers with it.
    "response-media-type-added": lambda old, new: "application/json" in _media(new),
    "response-media-type-removed": lambda old, new: _media(old) <= _media(new),
    "webhook-removed": lambda old, new: _webhooks(old) <= _webhooks(new),
}


def _body_schema(document: Doc) -> Any:
    return _response(document)["200"]["content"]["application/json"]["schema"]


def _condition_kept(old: Doc, new: Doc) -> bool:
    """Whether no response the new condition allows was ruled out by the old one (on a witness)."""
    witness = {"a": "x"}  # `b` left out: the new `then` no longer asks for it when `a` is `x`
    allowed_now = jsonschema.Draft202012Validator(_body_schema(new)).is_valid(witness)
    return not (allowed_now and not jsonschema.Draft202012Validator(_body_schema(old)).is_valid(witness))


def _default_kept(old: Doc, new: Doc) -> bool:
    """Whether a request that leaves the value out still means what it meant (the same default)."""

    def default(document: Doc) -> Any:
        return operation(document)["requestBody"]["content"]["application/json"]["schema"].get("default")

    return bool(default(old) == default(new))


def _discriminator_kept(old: Doc, new: Doc) -> bool:
    """Whether the property that tags a response's variant is still the one the old client reads."""

    def tag(document: Doc) -> Any:
        return _body_schema(document).get("discriminator", {}).get("propertyName")

    return tag(old) is None or tag(old) == tag(new)


PROMISES["response-condition-changed"] = _condition_kept
PROMISES["request-default-changed"] = _default_kept
PROMISES["response-discriminator-added"] = _discriminator_kept
PROMISES["response-discriminator-removed"] = _discriminator_kept
PROMISES["response-discriminator-changed"] = _discriminator_kept


@pytest.mark.parametrize("rule", sorted(PROMISES))
def test_what_the_new_spec_still_promises_matches_the_level(rule: str) -> None:
    old, new = CASES[rule]
    assert rule in _fired(old, new)
    assert PROMISES[rule](old, new) is (RULES[rule].level is not Level.breaking)


def test_a_webhook_the_old_client_does_not_know_is_read_without_raising() -> None:
    from plaid_layer.webhooks import UnknownWebhook, parse_webhook

    assert "webhook-added" in _fired(*CASES["webhook-added"])
    event = parse_webhook({"webhook_type": "LAYER", "webhook_code": "SOMETHING_NEW"})
    assert isinstance(event, UnknownWebhook)
    assert RULES["webhook-added"].level is not Level.breaking


# --- The Python API: code written against the old module, run against the new one. ---------------------


@dataclass(frozen=True)
class Runs:
    """Two versions of a module and a caller written against the first."""

    old: str
    new: str
    caller: str


UNION = "class A: ...\nclass B: ...\nclass C: ...\nclass UnknownWebhook: ...\n"

RUNS: dict[str, Runs] = {
    "python-parameter-moved": Runs(
        "def f(a, b): return (a, b)", "def f(b, a): return (a, b)", "assert f(1, 2) == (1, 2)"
    ),
    "python-parameter-removed": Runs("def f(a=None): return a", "def f(): return None", "f(a=1)"),
    "python-parameter-changed-kind": Runs("def f(a): return a", "def f(*, a): return a", "f(1)"),
    "python-parameter-changed-default": Runs(
        "def f(a=1): return a", "def f(a=2): return a", "assert f() == 1"
    ),
    "python-parameter-changed-required": Runs("def f(a=1): return a", "def f(a): return a", "f()"),
    "python-parameter-added-required": Runs("def f(): return 0", "def f(a): return a", "f()"),
    "python-return-changed-type": Runs(
        "def f() -> int: return 1", "def f() -> str: return '1'", "assert f() + 1 == 2"
    ),
    "python-object-removed": Runs("def f(): ...\ndef g(): ...", "def f(): ...", "g()"),
    "python-object-changed-kind": Runs("class A: ...", "def A(): return None", "assert isinstance(A(), A)"),
    "python-attribute-changed-type": Runs(
        "class A:\n    x: int = 1", "class A:\n    x: str = '1'", "assert A.x + 1 == 2"
    ),
    "python-class-removed-base": Runs(
        "class B: ...\nclass A(B): ...", "class B: ...\nclass A: ...", "assert issubclass(A, B)"
    ),
    "python-attribute-changed-value": Runs(
        "class E:\n    A = 'a'", "class E:\n    A = 'b'", "assert E.A == 'a'"
    ),
    "python-function-added": Runs(
        "def f(): return 1", "def f(): return 1\ndef g(): return 2", "assert f() == 1"
    ),
    "python-parameter-changed-type": Runs(
        "def f(a: int) -> int: return a + 1", "def f(a: str) -> str: return a + '!'", "assert f(1) == 2"
    ),
    "python-parameter-type-widened": Runs(
        "def f(a: int | None) -> str: return str(a)",
        "def f(a: int | str | None) -> str: return str(a)",
        "assert f(1) == '1'",
    ),
    "python-attribute-type-widened": Runs(
        f"from typing import TypeAlias\n{UNION}Webhook: TypeAlias = A | B | UnknownWebhook",
        f"from typing import TypeAlias\n{UNION}Webhook: TypeAlias = A | B | C | UnknownWebhook",
        "assert all(isinstance(event(), Webhook) for event in (A, B, UnknownWebhook))",
    ),
    "python-return-type-widened": Runs(
        f"{UNION}def f() -> A | B: return A()",
        f"{UNION}def f() -> A | B | C: return A()",
        "assert isinstance(f(), A)",
    ),
}


def _runs(module: str, caller: str) -> bool:
    namespace: dict[str, Any] = {}
    exec(compile(module, "<module>", "exec"), namespace)  # the fixed sources above
    try:
        exec(compile(caller, "<caller>", "exec"), namespace)
    except (TypeError, NameError, AssertionError):
        return False
    return True


@pytest.mark.parametrize("rule", sorted(RUNS))
def test_old_calling_code_runs_against_the_new_module_as_the_level_says(rule: str) -> None:
    case = RUNS[rule]
    with (
        griffe.temporary_visited_module(case.old, module_name="m") as old_api,
        griffe.temporary_visited_module(case.new, module_name="m") as new_api,
    ):
        assert rule in {change.rule for change in compare_apis(old_api, new_api)}
    assert _runs(case.old, case.caller)
    assert _runs(case.new, case.caller) is (RULES[rule].level is not Level.breaking)


# --- Coverage of the table. ----------------------------------------------------------------------------

SHOWN_ELSEWHERE = {
    "response-body-removed": test_a_response_body_the_api_stops_sending_is_misread,
    "response-media-type-generalised": test_a_generalised_response_media_type_breaks_the_old_decoder,
    "webhook-added": test_a_webhook_the_old_client_does_not_know_is_read_without_raising,
}


def _cases() -> Iterator[str]:
    for table in (READS, SENDS, CALLS, PROMISES, RUNS, SHOWN_ELSEWHERE):
        yield from table


def test_every_rule_has_an_effect() -> None:
    cases = list(_cases())
    assert len(cases) == len(set(cases)), "a rule is paired twice"
    assert set(cases) == set(RULES)


def _fired(old: Doc, new: Doc) -> set[str]:
    return {change.rule for change in diff_documents(copy.deepcopy(old), copy.deepcopy(new))}
