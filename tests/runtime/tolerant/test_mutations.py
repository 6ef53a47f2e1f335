"""Every documented example and webhook, mutated every way Plaid's answers have deviated from its spec.

Each value set to `null`, each key removed, each string replaced by a number: by default the call
(sync and async) never raises, reads back every value sent, and warns naming the field exactly
when the body no longer fits; in strict mode it raises `ResponseValidationError` with `body` and
`parsed` instead. The mutations are enumerated, not sampled: every path of every example.
"""

from __future__ import annotations

import copy
import inspect
import json
import logging
from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest
from plaid_layer import AsyncPlaidLayer, PlaidLayer, ResponseValidationError, WebhookParseError, deviations
from plaid_layer.testing import CATALOG, LayerMock, OperationName, examples
from plaid_layer.webhooks import parse_webhook
from pydantic import ValidationError

from tests.readback import assert_reads_back

ID, SECRET = "test-client-id", "test-secret"
NUMBER = 12345


class Mutation(NamedTuple):
    kind: str
    path: str
    remove: tuple[str, ...]
    replace: dict[str, Any]

    def apply(self, body: dict[str, Any]) -> dict[str, Any]:
        edited = copy.deepcopy(body)
        *parents, last = self.path.split(".")
        node: Any = edited
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        key: Any = int(last) if isinstance(node, list) else last
        if self.remove:
            del node[key]
        else:
            node[key] = self.replace[self.path]
        return edited


def _paths(value: Any, prefix: str = "") -> Iterator[tuple[str, Any, bool]]:
    """Every (path, value, is a dict key) in a JSON value."""
    items: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    for key, item in items:
        path = f"{prefix}.{key}" if prefix else str(key)
        yield path, item, isinstance(value, dict)
        yield from _paths(item, path)


def mutations(example: dict[str, Any]) -> Iterator[Mutation]:
    for path, value, keyed in _paths(example):
        if value is not None:
            yield Mutation("null", path, (), {path: None})
        if keyed:
            yield Mutation("removed", path, (path,), {})
        if isinstance(value, str):
            yield Mutation("number", path, (), {path: NUMBER})


def _fits(name: str, body: dict[str, Any]) -> bool:
    try:
        CATALOG.operation(name).operation.response_model.model_validate(body)
    except ValidationError:
        return False
    return True


OPERATION_MUTATIONS = [
    (entry.python_name, mutation, _fits(entry.python_name, mutation.apply(entry.response_example())))
    for entry in CATALOG.operations
    if entry.response_example is not None
    for mutation in mutations(entry.response_example())
]
OPERATION_CASES = [
    pytest.param(name, mutation, id=f"{name}:{mutation.kind}:{mutation.path}")
    for name, mutation, _ in OPERATION_MUTATIONS
]
STRICT_CASES = [
    pytest.param(name, mutation, id=f"{name}:{mutation.kind}:{mutation.path}")
    for name, mutation, fits in OPERATION_MUTATIONS
    if not fits
]
WEBHOOK_CASES = [
    pytest.param(hook.python_name, mutation, id=f"{hook.python_name}:{mutation.kind}:{mutation.path}")
    for hook in CATALOG.webhooks
    if hook.example is not None
    for mutation in mutations(hook.example())
]


def _arguments(client: PlaidLayer | AsyncPlaidLayer, name: str) -> dict[str, Any]:
    """The documented request example, as the method's keyword arguments."""
    accepted = inspect.signature(getattr(client, name)).parameters
    request = getattr(examples, f"{name}_request")()
    return {key: value for key, value in request.items() if key in accepted}


def _check_tolerant(
    name: str, mutation: Mutation, sent: dict[str, Any], parsed: Any, caplog: pytest.LogCaptureFixture
) -> None:
    assert_reads_back(sent, parsed)
    found = deviations(parsed)
    warnings = [r for r in caplog.records if r.name == "plaid_layer" and r.levelno == logging.WARNING]
    if _fits(name, sent):
        assert found == () and warnings == []
        return
    paths = [d.path for d in found]
    assert any(mutation.path == p or mutation.path.startswith(p + ".") for p in paths), paths
    (warning,) = warnings
    message = warning.getMessage()
    assert CATALOG.operation(name).operation_id in message
    assert all(p in message for p in paths)
    if mutation.kind == "number":
        assert str(NUMBER) not in message  # paths, never values


@pytest.mark.parametrize(("name", "mutation"), OPERATION_CASES)
async def test_a_deviating_answer_is_read_as_sent_sync_and_async(
    plaid_layer_mock: LayerMock, caplog: pytest.LogCaptureFixture, name: OperationName, mutation: Mutation
) -> None:
    sent = mutation.apply(CATALOG.operation(name).response_example())  # type: ignore[misc]
    with (
        PlaidLayer(client_id=ID, secret=SECRET, max_retries=0) as client,
        caplog.at_level(logging.WARNING, logger="plaid_layer"),
    ):
        plaid_layer_mock.queue_deviating(name, remove=mutation.remove, replace=mutation.replace)
        raw = getattr(client.with_raw_response, name)(**_arguments(client, name))
        assert raw.deviations == deviations(raw.parsed)
        _check_tolerant(name, mutation, sent, raw.parsed, caplog)
    caplog.clear()
    async with AsyncPlaidLayer(client_id=ID, secret=SECRET, max_retries=0) as aclient:
        with caplog.at_level(logging.WARNING, logger="plaid_layer"):
            plaid_layer_mock.queue_deviating(name, remove=mutation.remove, replace=mutation.replace)
            parsed = await getattr(aclient, name)(**_arguments(aclient, name))
            _check_tolerant(name, mutation, sent, parsed, caplog)


@pytest.mark.parametrize(("name", "mutation"), STRICT_CASES)
async def test_strict_mode_raises_with_body_and_parsed_sync_and_async(
    plaid_layer_mock: LayerMock, name: OperationName, mutation: Mutation
) -> None:
    sent = mutation.apply(CATALOG.operation(name).response_example())  # type: ignore[misc]
    with PlaidLayer(client_id=ID, secret=SECRET, max_retries=0, strict_response_validation=True) as client:
        plaid_layer_mock.queue_deviating(name, remove=mutation.remove, replace=mutation.replace)
        with pytest.raises(ResponseValidationError) as caught:
            getattr(client, name)(**_arguments(client, name))
    async with AsyncPlaidLayer(
        client_id=ID, secret=SECRET, max_retries=0, strict_response_validation=True
    ) as aclient:
        plaid_layer_mock.queue_deviating(name, remove=mutation.remove, replace=mutation.replace)
        with pytest.raises(ResponseValidationError) as acaught:
            await getattr(aclient, name)(**_arguments(aclient, name))
    for error in (caught.value, acaught.value):
        assert error.body and error.body.startswith("{")  # the text, as APIStatusError.body keeps it
        assert "link-sandbox-" not in error.body and "access-sandbox-" not in error.body  # masked
        assert_reads_back(sent, error.parsed)
        assert any(mutation.path == p or mutation.path.startswith(p + ".") for p in error.fields)


def test_every_operation_has_mutations_that_deviate_so_the_strict_cases_are_not_vacuous() -> None:
    with_example = {entry.python_name for entry in CATALOG.operations if entry.response_example is not None}
    assert {case.values[0] for case in STRICT_CASES} == with_example


@pytest.mark.parametrize(("name", "mutation"), WEBHOOK_CASES)
def test_a_deviating_webhook_is_read_as_sent_and_refused_when_strict(
    caplog: pytest.LogCaptureFixture, name: str, mutation: Mutation
) -> None:
    example = CATALOG.webhook(name).example
    assert example is not None
    sent = mutation.apply(example())
    body = json.dumps(sent).encode()
    try:
        parse_webhook(body, strict=True)
    except WebhookParseError as exc:
        strict_fields: tuple[str, ...] | None = exc.fields
    else:
        strict_fields = None
    with caplog.at_level(logging.WARNING, logger="plaid_layer"):
        event = parse_webhook(body)
    assert_reads_back(sent, event)
    paths = [d.path for d in deviations(event)]
    warnings = [r.getMessage() for r in caplog.records if r.name == "plaid_layer"]
    if strict_fields is None:
        assert paths == [] and warnings == []
    else:
        assert any(mutation.path == p or mutation.path.startswith(p + ".") for p in paths), paths
        (warning,) = warnings
        assert type(event).__name__ in warning and all(p in warning for p in paths)
