"""Call every operation of a generated full-spec package with Plaid's own examples.

Run in a process whose `plaid_layer` is the full-spec package (`PYTHONPATH=DIST`):

    python -m tests.full_spec.sweep SPEC

Each operation with a JSON success example is called four ways: through the testing kit's mock and
through respx, each sync and async. A way passes when the request reached the server as the mock's
schema check wants it, and every value of the response example is read back from the returned model.
The report is JSON on stdout: `{"checked": [...], "failures": {"operation": "reason", ...},
"deviating": {"operation": [field paths], ...}}`, the last for examples that do not fit Plaid's
own schema (read all the same, and reported).
"""

from __future__ import annotations

import asyncio
import datetime
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import plaid_layer
import respx
from plaid_layer import testing
from pydantic import BaseModel

from generator.facts import OperationFacts, SpecFacts, collect_facts
from generator.spec.model import SpecModel

CLIENT_ID, SECRET = "id", "secret"


def sample(model: SpecModel, schema: Any) -> Any:
    """Plaid's own example for a value, or the simplest valid one where Plaid gives none."""
    for node in (schema, model.resolve(schema)):
        if isinstance(node, dict) and node.get("examples"):
            return node["examples"][0]
    resolved = model.resolve(schema)
    for key in ("allOf", "anyOf", "oneOf"):
        members = [m for m in resolved.get(key) or [] if model.resolve(m).get("type") != "null"]
        if members:
            return sample(model, members[0])
    if resolved.get("enum"):
        return next(v for v in resolved["enum"] if v is not None)
    kinds = resolved.get("type")
    kind = next((k for k in ([kinds] if isinstance(kinds, str) else kinds or []) if k != "null"), "string")
    if kind == "array":
        return [sample(model, resolved.get("items") or {})]
    if kind == "object":
        required = set(resolved.get("required") or [])
        props = resolved.get("properties") or {}
        return {name: sample(model, prop) for name, prop in props.items() if name in required}
    if resolved.get("format") == "date":
        return "2024-01-02"
    if resolved.get("format") == "date-time":
        return "2024-01-02T03:04:05Z"
    if kind != "string":
        return {"integer": 1, "number": 1.5, "boolean": True}.get(kind, "value")
    low, high = resolved.get("minLength", 0), resolved.get("maxLength", 64)
    return "value".ljust(low, "x")[:high]


def arguments(model: SpecModel, op: OperationFacts) -> dict[str, Any]:
    """The call's keyword arguments: the documented request example, else each property's example."""
    args: dict[str, Any] = {}
    documented = op.request_example if isinstance(op.request_example, dict) else None
    properties: dict[str, Any] = {}
    if op.request_class is not None:
        properties = model.schema(op.request_class).get("properties") or {}
    item = model.document["paths"][op.path]
    declared = {
        p["name"]: p
        for p in (
            model.resolve(p) for p in [*item.get("parameters", []), *item[op.method].get("parameters", [])]
        )
    }
    for param in op.params:
        if param.location != "body":
            if param.required:
                parameter = declared[param.json_name]
                args[param.python_name] = parameter.get("example") or sample(
                    model, parameter.get("schema") or {}
                )
            continue
        if documented is not None:
            if param.json_name in documented:
                args[param.python_name] = documented[param.json_name]
            continue
        prop = properties.get(param.json_name, {})
        has_example = any(isinstance(n, dict) and n.get("examples") for n in (prop, model.resolve(prop)))
        if has_example or param.required:
            args[param.python_name] = sample(model, prop)
    return args


def _instant(text: str) -> datetime.datetime | datetime.date | None:
    for parse in (datetime.datetime.fromisoformat, datetime.date.fromisoformat):
        try:
            return parse(text.replace("Z", "+00:00"))
        except ValueError:
            continue
    return None


def mismatch(expected: Any, actual: Any, where: str = "") -> str | None:
    """Where `actual` (dumped from the model) fails to hold `expected`'s values, or None."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where or '.'}: expected an object"
        for key, value in expected.items():
            if key not in actual:
                return f"{where}.{key}: missing"
            found = mismatch(value, actual[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{where}: expected a list of {len(expected)}"
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            found = mismatch(left, right, f"{where}[{index}]")
            if found:
                return found
        return None
    if expected == actual or (
        isinstance(expected, float | int)
        and isinstance(actual, float | int)
        and float(expected) == float(actual)
    ):
        return None
    same_instant = isinstance(actual, str) and _instant(expected) is not None
    if isinstance(expected, str) and same_instant and _instant(expected) == _instant(actual):
        return None
    return f"{where}: expected {expected!r}, got {actual!r}"


def read_back(result: Any, example: Any) -> str | None:
    """Where the returned model fails to hold the example's values, or None."""
    dumped = result.model_dump(mode="json", by_alias=True) if isinstance(result, BaseModel) else result
    return mismatch(example, dumped)


def _call(op: OperationFacts, args: dict[str, Any]) -> Any:
    with plaid_layer.PlaidLayer(client_id=CLIENT_ID, secret=SECRET) as client:
        return getattr(client, op.python_name)(**args)


async def _acall(op: OperationFacts, args: dict[str, Any]) -> Any:
    async with plaid_layer.AsyncPlaidLayer(client_id=CLIENT_ID, secret=SECRET) as client:
        return await getattr(client, op.python_name)(**args)


def check_operation(model: SpecModel, op: OperationFacts, deviating: dict[str, list[str]]) -> str | None:
    """Why the operation fails one of the four ways, or None when all pass.

    A result read from an example that does not fit Plaid's schema has its deviations' paths
    put in `deviating` under the operationId.
    """
    args = arguments(model, op)

    def read_back_noting_deviations(result: Any) -> str | None:
        found = plaid_layer.deviations(result)
        if found:
            deviating[op.operation_id] = sorted(path for path, _ in found)
        return read_back(result, example)

    example = op.response_example
    status = op.responses[0].status
    try:
        with testing.mock_layer() as mock:
            ways: tuple[tuple[str, Callable[[], Any]], ...] = (
                ("mock sync", lambda: _call(op, args)),
                ("mock async", lambda: asyncio.run(_acall(op, args))),
            )
            for way, call in ways:
                problem = read_back_noting_deviations(call())
                if problem:
                    return f"{way}: {problem}"
            # A name of the swept package, whose `OperationName` mypy sees as this checkout's.
            assert len(mock.calls_for(cast(testing.OperationName, op.python_name))) == 2
        sent = {p.json_name: args[p.python_name] for p in op.body_params if p.python_name in args}
        with respx.mock(assert_all_mocked=True) as router:
            route = router.route(method=op.method.upper(), path__regex=r".*").respond(status, json=example)
            for way, call in (
                ("respx sync", lambda: _call(op, args)),
                ("respx async", lambda: asyncio.run(_acall(op, args))),
            ):
                problem = read_back_noting_deviations(call())
                if problem:
                    return f"{way}: {problem}"
                body = route.calls.last.request.content
                if (json.loads(body) if body else {}) != sent:
                    return f"{way}: the request body is not the arguments"
    except Exception as exc:  # the report names every failure; one operation must not stop the sweep
        text = " ".join(str(exc).split())
        return f"{type(exc).__name__}: {text[:300]}"
    return None


def sweep(spec: Path) -> dict[str, Any]:
    """Check every operation of `spec` that has a JSON success example."""
    model = SpecModel.load(spec)
    facts: SpecFacts = collect_facts(model)
    checked = [op for op in facts.operations if isinstance(op.response_example, dict)]
    failures = {}
    deviating: dict[str, list[str]] = {}
    for op in checked:
        reason = check_operation(model, op, deviating)
        if reason is not None:
            failures[op.operation_id] = reason
    return {"checked": [op.operation_id for op in checked], "failures": failures, "deviating": deviating}


if __name__ == "__main__":
    json.dump(sweep(Path(sys.argv[1])), sys.stdout, indent=1, sort_keys=True)
