"""Real Plaid operations pasted verbatim into a copy of our spec work with no hand edits.

A maintainer copies an operation's path item and every component it references (under the same
names) from Plaid's official OpenAPI 3.0 spec into `spec/layer.yaml`. This does the same for a few
operations (a header parameter, 3.0 `nullable`, `allOf` wrappers, a PDF response), generates the
package and calls each method, sync and async, with Plaid's own examples; every nullable request
field is sent as `null` once, and every nullable response field is parsed as `null` once. Plaid's
spec is read from `../shared` at test time, never copied into this repository.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import respx

from generator.facts import OperationFacts, SpecFacts, collect_facts
from generator.spec.loader import load_document
from generator.spec.model import SpecModel
from tests.generator.support import GeneratedPackage, generate_and_import
from tests.readback import assert_reads_back
from tests.support import ROOT, SPEC

PLAID_SPEC = ROOT.parent / "shared" / "data" / "plaid-openapi" / "plaid-2020-09-14-new.yml"
PASTED = (
    "/link/token/get",
    "/user/create",
    "/asset_report/pdf/get",
    "/transactions/sync",
    "/institutions/get_by_id",
    "/item/get",
    "/signal/evaluate",
    "/transfer/repayment/list",
)
JSON_PASTED = [path for path in PASTED if path != "/asset_report/pdf/get"]
# Plaid's own example that does not fit Plaid's schema: read all the same, and reported.
DEVIATING_EXAMPLES = {
    "/signal/evaluate": {
        "scores.customer_initiated_return_risk.risk_tier",
        "scores.bank_initiated_return_risk.risk_tier",
    }
}
BASE_URL = "https://sandbox.plaid.com"

pytestmark = pytest.mark.skipif(not PLAID_SPEC.exists(), reason="Plaid's spec is not in ../shared")


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            found.add(node["$ref"])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def _lookup(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def paste(plaid: dict[str, Any], ours: dict[str, Any], paths: tuple[str, ...]) -> dict[str, Any]:
    """`ours` with Plaid's path items and every component they reach, as a maintainer pastes them."""
    result = copy.deepcopy(ours)
    wanted: set[str] = set()
    for path in paths:
        result["paths"][path] = copy.deepcopy(plaid["paths"][path])
        _refs(plaid["paths"][path], wanted)
    pending = list(wanted)
    while pending:
        found: set[str] = set()
        _refs(_lookup(plaid, pending.pop()), found)
        pending.extend(found - wanted)
        wanted |= found
    for ref in sorted(wanted):
        _, section, name = ref.removeprefix("#/").split("/")
        # A component we already have under the same name (PlaidError) is the same thing: keep ours.
        result["components"].setdefault(section, {}).setdefault(name, copy.deepcopy(_lookup(plaid, ref)))
    return result


@pytest.fixture(scope="module")
def pasted(tmp_path_factory: pytest.TempPathFactory) -> tuple[GeneratedPackage, SpecModel, SpecFacts]:
    root = tmp_path_factory.mktemp("plaid-pasted")
    document = paste(load_document(PLAID_SPEC), load_document(SPEC), PASTED)
    # JSON, not PyYAML's YAML 1.1 output: that leaves strings such as 0955 unquoted, which the
    # YAML 1.2 loader rightly reads as numbers.
    spec_path = root / "layer.json"
    spec_path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    model = SpecModel.load(spec_path)
    return generate_and_import(spec_path, root / "dist"), model, collect_facts(model)


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL) as mock:
        yield mock


def _operation(facts: SpecFacts, path: str) -> OperationFacts:
    return next(op for op in facts.operations if op.path == path)


def _sample(model: SpecModel, schema: Any) -> Any:
    """Plaid's own example for a value, or the simplest valid one where Plaid gives none."""
    for node in (schema, model.resolve(schema)):
        if isinstance(node, dict) and node.get("examples"):
            return node["examples"][0]
    resolved = model.resolve(schema)
    if resolved.get("enum"):
        return next(v for v in resolved["enum"] if v is not None)
    kinds = resolved.get("type")
    kind = next((k for k in ([kinds] if isinstance(kinds, str) else kinds or []) if k != "null"), "string")
    if kind == "array":
        return [_sample(model, resolved.get("items") or {})]
    return {"object": {}, "integer": 1, "number": 1.5, "boolean": True}.get(kind, "value")


def _request_example(model: SpecModel, op: OperationFacts) -> dict[str, Any]:
    """Plaid documents requests by example values on each property: the call's keyword arguments."""
    assert op.request_class is not None
    properties = model.schema(op.request_class).get("properties") or {}
    arguments: dict[str, Any] = {}
    for param in op.body_params:
        prop = properties[param.json_name]
        has_example = any(isinstance(n, dict) and n.get("examples") for n in (prop, model.resolve(prop)))
        if has_example or param.required:
            arguments[param.python_name] = _sample(model, prop)
    return arguments


def _response_example(model: SpecModel, op: OperationFacts) -> Any:
    media = model.document["paths"][op.path][op.method]["responses"][str(op.responses[0].status)]["content"]
    return next(iter(media["application/json"]["examples"].values()))["value"]


def _call(package: GeneratedPackage, op: OperationFacts, arguments: dict[str, Any]) -> Any:
    with package.client.PlaidLayer(client_id="id", secret="secret") as client:
        return getattr(client, op.python_name)(**arguments)


async def _acall(package: GeneratedPackage, op: OperationFacts, arguments: dict[str, Any]) -> Any:
    async with package.client.AsyncPlaidLayer(client_id="id", secret="secret") as client:
        return await getattr(client, op.python_name)(**arguments)


@pytest.mark.parametrize(
    "path", ["/link/token/get", "/user/create", "/transactions/sync", "/institutions/get_by_id"]
)
async def test_plaid_json_operations_with_their_own_examples(
    pasted: tuple[GeneratedPackage, SpecModel, SpecFacts], router: respx.MockRouter, path: str
) -> None:
    package, model, facts = pasted
    op = _operation(facts, path)
    arguments = _request_example(model, op)
    response = _response_example(model, op)
    route = router.post(path).respond(200, json=response)
    expected_body = {
        p.json_name: arguments[p.python_name] for p in op.body_params if p.python_name in arguments
    }

    for result in (_call(package, op, arguments), await _acall(package, op, arguments)):
        assert type(result).__name__ == op.response_class
        assert result.request_id == response["request_id"]
        assert json.loads(route.calls.last.request.content) == expected_body

    for param in op.body_params:
        if param.nullable:  # each nullable field sent as null once
            _call(package, op, {**arguments, param.python_name: None})
            assert json.loads(route.calls.last.request.content)[param.json_name] is None

    schema = model.resolve(model.schema(op.response_class))
    for name, prop in (schema.get("properties") or {}).items():
        if name in response and model.admits_null(prop):
            route.respond(200, json={**response, name: None})
            assert getattr(await _acall(package, op, arguments), name) is None


def test_a_header_parameter_is_sent_as_a_header(
    pasted: tuple[GeneratedPackage, SpecModel, SpecFacts], router: respx.MockRouter
) -> None:
    package, model, facts = pasted
    op = _operation(facts, "/user/create")
    route = router.post("/user/create").respond(200, json=_response_example(model, op))
    _call(package, op, {**_request_example(model, op), "plaid_new_user_api_enabled": True})
    assert route.calls.last.request.headers["Plaid-New-User-API-Enabled"] == "true"


def test_link_token_get_accepts_plaids_null_redirect_uri(
    pasted: tuple[GeneratedPackage, SpecModel, SpecFacts], router: respx.MockRouter
) -> None:
    package, model, facts = pasted
    op = _operation(facts, "/link/token/get")
    response = _response_example(model, op)
    assert response["metadata"]["redirect_uri"] is None  # the case that failed before
    router.post("/link/token/get").respond(200, json=response)
    assert _call(package, op, {"link_token": "link-sandbox-1"}).metadata.redirect_uri is None


async def test_a_pdf_response_is_bytes(
    pasted: tuple[GeneratedPackage, SpecModel, SpecFacts], router: respx.MockRouter
) -> None:
    package, model, facts = pasted
    op = _operation(facts, "/asset_report/pdf/get")
    assert op.return_annotation == "bytes"
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    route = router.post("/asset_report/pdf/get").respond(200, content=pdf)
    arguments = _request_example(model, op)
    assert _call(package, op, arguments) == pdf
    assert await _acall(package, op, arguments) == pdf
    assert (
        json.loads(route.calls.last.request.content)["asset_report_token"] == arguments["asset_report_token"]
    )


def test_pasting_needs_no_edits_and_keeps_our_components(pasted: tuple[Any, SpecModel, SpecFacts]) -> None:
    _, model, facts = pasted
    assert {op.path for op in facts.operations} >= set(PASTED)
    # Our PlaidError (which marks `error_message` sensitive) was kept over Plaid's of the same name.
    assert model.schema("PlaidError")["properties"]["error_message"].get("x-sensitive") is True


@pytest.mark.parametrize("path", JSON_PASTED)
async def test_plaids_own_examples_read_back_exactly(
    pasted: tuple[GeneratedPackage, SpecModel, SpecFacts],
    router: respx.MockRouter,
    caplog: pytest.LogCaptureFixture,
    path: str,
) -> None:
    package, model, facts = pasted
    op = _operation(facts, path)
    response = _response_example(model, op)
    router.post(path).respond(200, json=response)
    arguments = _request_example(model, op)
    expected = DEVIATING_EXAMPLES.get(path, set())
    with caplog.at_level(logging.WARNING):
        results = [_call(package, op, arguments), await _acall(package, op, arguments)]
    for result in results:
        assert_reads_back(response, result)
        assert {deviation.path for deviation in package.package.deviations(result)} == expected
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == (2 if expected else 0)
    assert all(op.operation_id in message and all(p in message for p in expected) for message in warnings)


def test_an_item_with_no_error_reads_error_null_while_error_responses_keep_their_model(
    pasted: tuple[GeneratedPackage, SpecModel, SpecFacts], router: respx.MockRouter
) -> None:
    package, model, facts = pasted
    op = _operation(facts, "/item/get")
    response = _response_example(model, op)
    assert response["item"]["error"] is None  # Plaid's example: a healthy Item
    router.post("/item/get").respond(200, json=response)
    item = _call(package, op, _request_example(model, op))
    assert item.item.error is None and package.package.deviations(item) == ()
    error = {
        "error_type": "ITEM_ERROR",
        "error_code": "ITEM_LOGIN_REQUIRED",
        "error_message": "m",
        "display_message": None,
    }
    router.post("/item/get").respond(400, json=error)
    with pytest.raises(package.package.ItemError) as caught:
        _call(package, op, _request_example(model, op))
    assert (
        type(caught.value.error).__name__ == "PlaidError" and caught.value.error_code == "ITEM_LOGIN_REQUIRED"
    )


def test_a_field_the_spec_does_not_know_yet_travels_in_extra_body(
    pasted: tuple[GeneratedPackage, SpecModel, SpecFacts], router: respx.MockRouter
) -> None:
    package, model, facts = pasted
    op = _operation(facts, "/transfer/repayment/list")
    documented = model.document["paths"][op.path]["post"]["requestBody"]["content"]["application/json"]
    request = next(iter(documented["examples"].values()))["value"]
    assert "start_time" not in (model.schema(op.request_class or "").get("properties") or {})  # Plaid's own
    route = router.post(op.path).respond(200, json=_response_example(model, op))
    unknown = {key: value for key, value in request.items() if key == "start_time"}
    _call(package, op, {"count": request["count"], "extra_body": unknown})
    assert json.loads(route.calls.last.request.content) == request
    with pytest.raises(TypeError, match="start_time"):
        _call(package, op, {"count": request["count"], **unknown})  # no keyword argument for it
