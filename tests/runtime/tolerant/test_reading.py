"""Tolerant reading in detail: what is kept, what is reported, what strict mode raises and pickles."""

from __future__ import annotations

import copy
import json
import logging
import pickle
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
import respx
from plaid_layer import (
    AsyncPlaidLayer,
    InvalidInputError,
    PlaidLayer,
    RequestValidationError,
    ResponseValidationError,
    deviations,
)
from plaid_layer._models import PlaidModel
from plaid_layer._tolerant import fit
from pydantic import ConfigDict

from tests.readback import assert_reads_back
from tests.support import load_example

BASE_URL = "https://sandbox.plaid.com"
PATH = "/user_account/session/get"
ID, SECRET = "client-id-0123456789", "secret-0123456789abcdef"
ACCESS_TOKEN = "access-sandbox-435beced-94e8-4df3-a181-1dde1cfa19f0"


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mock:
        yield mock


def _body() -> dict[str, Any]:
    body: dict[str, Any] = load_example("userAccountSessionGet.response.200")
    return body


def test_a_body_that_fits_has_no_deviations_and_logs_nothing(
    router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    router.post(PATH).respond(200, json=_body())
    with PlaidLayer(client_id=ID, secret=SECRET) as client, caplog.at_level(logging.WARNING):
        raw = client.with_raw_response.user_account_session_get(public_token="p")
    assert raw.deviations == () and deviations(raw.parsed) == ()
    assert caplog.records == []


def test_one_list_item_that_does_not_fit_leaves_the_others_their_models(router: respx.MockRouter) -> None:
    body = _body()
    body["items"].append({**body["items"][0], "item_id": None})
    body["items"].append("not an item")
    router.post(PATH).respond(200, json=body)
    with PlaidLayer(client_id=ID, secret=SECRET) as client:
        session = client.user_account_session_get(public_token="p")
    first, second, third = session.items
    assert type(first).__name__ == type(second).__name__ == "UserAccountItem"
    assert third == "not an item"  # type: ignore[comparison-overlap]
    assert [d.path for d in deviations(session)] == ["items.2"]
    assert_reads_back(body, session)


def test_the_warning_names_the_fields_never_the_values(
    router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    body = _body()
    body["items"][0]["access_token"] = [ACCESS_TOKEN]
    body["request_id"] = 98765
    router.post(PATH).respond(200, json=body)
    with PlaidLayer(client_id=ID, secret=SECRET) as client, caplog.at_level(logging.WARNING):
        session = client.user_account_session_get(public_token="p")
    (record,) = caplog.records
    message = record.getMessage()
    assert (
        "userAccountSessionGet" in message and "items.0.access_token" in message and "request_id" in message
    )
    assert ACCESS_TOKEN not in message and "98765" not in message
    assert session.items[0].access_token == [ACCESS_TOKEN]  # type: ignore[comparison-overlap]
    assert session.request_id == 98765  # type: ignore[comparison-overlap]
    assert all(ACCESS_TOKEN not in problem for _, problem in deviations(session))


async def test_strict_mode_raises_on_the_async_client_too(router: respx.MockRouter) -> None:
    body = _body()
    del body["request_id"]
    router.post(PATH).respond(200, json=body)
    async with AsyncPlaidLayer(client_id=ID, secret=SECRET, strict_response_validation=True) as client:
        assert client.strict_response_validation is True
        with pytest.raises(ResponseValidationError) as caught:
            await client.with_raw_response.user_account_session_get(public_token="p")
    assert caught.value.fields == ("request_id",)
    assert caught.value.parsed is not None and caught.value.parsed.request_id is None  # type: ignore[attr-defined]


def test_a_strict_error_pickles_without_the_parsed_model_and_with_its_body_masked(
    router: respx.MockRouter,
) -> None:
    body = _body()
    body["request_id"] = None
    body["echo"] = SECRET  # a body that quotes the credentials
    router.post(PATH).respond(200, json=body)
    with (
        PlaidLayer(client_id=ID, secret=SECRET, strict_response_validation=True) as client,
        pytest.raises(ResponseValidationError) as caught,
    ):
        client.user_account_session_get(public_token="p")
    error = caught.value
    assert error.parsed is not None
    assert error.parsed.items[0].access_token == ACCESS_TOKEN  # type: ignore[attr-defined]
    assert error.body is not None and SECRET not in error.body and ACCESS_TOKEN not in error.body
    for copied in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
        assert isinstance(copied, ResponseValidationError)
        assert copied.parsed is None and copied.fields == ("request_id",) and copied.body == error.body
        assert ACCESS_TOKEN.encode() not in pickle.dumps(copied) and SECRET.encode() not in pickle.dumps(
            copied
        )


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("content", [b"<html>ok</html>", b"[1, 2]", b'"text"'])
def test_a_body_that_is_no_json_object_raises_either_way_with_its_text(
    router: respx.MockRouter, strict: bool, content: bytes
) -> None:
    router.post(PATH).respond(200, content=content)
    with (
        PlaidLayer(client_id=ID, secret=SECRET, strict_response_validation=strict) as client,
        pytest.raises(ResponseValidationError) as caught,
    ):
        client.user_account_session_get(public_token="p")
    assert caught.value.body == content.decode() and caught.value.parsed is None


class Closed(PlaidModel):
    """A model whose schema forbids unknown fields (one that requests use too)."""

    model_config: ClassVar[ConfigDict] = ConfigDict(extra="forbid")
    name: str


class Holder(PlaidModel):
    model_config: ClassVar[ConfigDict] = ConfigDict(extra="allow")
    closed: Closed
    count: int | None = None


def test_unknown_fields_of_a_closed_model_are_kept_and_reported() -> None:
    parsed, found = fit(Holder, {"closed": {"name": "n", "later": 1}, "new": True})
    assert parsed.closed.name == "n" and parsed.closed.model_extra == {"later": 1}
    assert parsed.model_extra == {"new": True}
    assert found == (("closed.later", "Extra inputs are not permitted"),)
    assert deviations(parsed) == found and deviations(parsed.closed) == ()


def test_a_missing_required_field_is_none_and_not_set_while_defaults_stay() -> None:
    parsed, found = fit(Holder, {"count": "many"})
    assert parsed.closed is None and "closed" not in parsed.model_fields_set
    assert parsed.count == "many"
    assert [path for path, _ in found] == ["closed", "count"]


def _send(router: respx.MockRouter, **arguments: Any) -> Any:
    route = router.post("/session/token/create").respond(
        200, json=load_example("sessionTokenCreate.response.200")
    )
    with PlaidLayer(client_id=ID, secret=SECRET) as client:
        client.session_token_create(template_id="template_1", **arguments)
    return json.loads(route.calls.last.request.content)


def test_extra_body_adds_fields_the_spec_does_not_know_and_wins_over_checked_ones(
    router: respx.MockRouter,
) -> None:
    sent = _send(router, extra_body={"new_field": {"a": [1, None]}, "template_id": "template_2"})
    assert sent == {"template_id": "template_2", "new_field": {"a": [1, None]}}
    assert _send(router) == {"template_id": "template_1"}


async def test_extra_body_on_the_async_client(router: respx.MockRouter) -> None:
    route = router.post("/session/token/create").respond(
        200, json=load_example("sessionTokenCreate.response.200")
    )
    async with AsyncPlaidLayer(client_id=ID, secret=SECRET) as client:
        await client.session_token_create(template_id="t", extra_body={"later": True})
    assert json.loads(route.calls.last.request.content) == {"template_id": "t", "later": True}


@pytest.mark.parametrize(
    ("extra_body", "problem"),
    [({"when": object()}, "not JSON"), ({1: "x"}, "keys must be strings")],
    ids=["not JSON", "a key that is no string"],
)
def test_extra_body_that_cannot_be_sent_is_refused_before_sending(
    router: respx.MockRouter, extra_body: dict[Any, Any], problem: str
) -> None:
    route = router.post("/session/token/create")
    with (
        PlaidLayer(client_id=ID, secret=SECRET) as client,
        pytest.raises(RequestValidationError, match=problem) as caught,
    ):
        client.session_token_create(template_id="t", extra_body=extra_body)
    assert caught.value.fields == ("extra_body",) and not route.called


def test_request_fields_are_still_checked_when_extra_body_is_given(router: respx.MockRouter) -> None:
    with PlaidLayer(client_id=ID, secret=SECRET) as client, pytest.raises(RequestValidationError):
        client.session_token_create(template_id=5, extra_body={"x": 1})  # type: ignore[arg-type]


def test_a_plaid_error_body_that_does_not_fit_keeps_its_type_and_code(
    router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    error = {
        "error_type": "INVALID_INPUT",
        "error_code": "INVALID_PUBLIC_TOKEN",
        "error_message": "m",
        "extra": 1,
    }
    router.post(PATH).respond(400, json=error)  # no display_message, which the schema requires
    client = PlaidLayer(client_id=ID, secret=SECRET, max_retries=0)
    with client, caplog.at_level(logging.WARNING), pytest.raises(InvalidInputError) as caught:
        client.user_account_session_get(public_token="p")
    assert caught.value.error_code == "INVALID_PUBLIC_TOKEN" and caught.value.error is not None
    assert caught.value.error.display_message is None and caught.value.error.model_extra == {"extra": 1}
    (record,) = caplog.records
    assert "userAccountSessionGet" in record.getMessage() and "display_message" in record.getMessage()
