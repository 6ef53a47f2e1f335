"""Every construct of the feature-coverage spec, called end to end, sync and async, against respx."""

from __future__ import annotations

import datetime
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import respx

from tests.generator.support import GeneratedPackage

BASE_URL = "https://sandbox.example.com"
THING = {"id": "t-1", "name": "widget", "color": "red", "request_id": "r-1"}


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=True) as mock:
        yield mock


@pytest.fixture
def client(feature: GeneratedPackage, router: respx.MockRouter) -> Iterator[Any]:
    with feature.client.PlaidLayer(client_id="id", secret="secret") as plaid:
        yield plaid


@pytest.fixture
async def async_client(feature: GeneratedPackage, router: respx.MockRouter) -> AsyncIterator[Any]:
    async with feature.client.AsyncPlaidLayer(client_id="id", secret="secret") as plaid:
        yield plaid


def _sent(router: respx.MockRouter) -> httpx.Request:
    request: httpx.Request = router.calls.last.request
    return request


def test_path_query_and_header_parameters_travel_where_the_spec_says(
    client: Any, router: respx.MockRouter, feature: GeneratedPackage
) -> None:
    router.get("/things/a%2Fb").respond(200, json=THING)
    thing = client.thing_get(thing_id="a/b", verbose=True, fields=["x", "y"], x_trace_id="trace-1")
    request = _sent(router)
    assert request.url.raw_path == b"/things/a%2Fb?verbose=true&fields=x&fields=y"
    assert request.headers["X-Trace-Id"] == "trace-1"
    assert request.content == b""
    assert "content-type" not in request.headers
    assert isinstance(thing, feature.models.Thing)
    assert thing.id == "t-1"  # from the allOf base


async def test_parameters_async(async_client: Any, router: respx.MockRouter) -> None:
    router.get("/things/t-1").respond(200, json=THING)
    await async_client.thing_get(thing_id="t-1", verbose=False)
    request = _sent(router)
    assert request.url.raw_path == b"/things/t-1?verbose=false"
    assert "x-trace-id" not in request.headers


def test_required_parameters_are_required(client: Any) -> None:
    with pytest.raises(TypeError):
        client.thing_get(thing_id="t-1")
    with pytest.raises(TypeError):
        client.thing_create(name="n")


def test_several_success_statuses_parse_into_their_own_model(
    client: Any, router: respx.MockRouter, feature: GeneratedPackage
) -> None:
    route = router.post("/things/create")
    route.respond(201, json={"id": "t-2", "request_id": "r"})
    created = client.thing_create(idempotency_key="k-1", name="n")
    assert isinstance(created, feature.models.ThingCreated)
    assert _sent(router).headers["Idempotency-Key"] == "k-1"
    route.respond(200, json=THING)
    assert isinstance(client.thing_create(idempotency_key="k-1", name="n"), feature.models.Thing)


def test_none_for_a_non_nullable_field_is_left_out_at_every_depth(
    client: Any, router: respx.MockRouter, feature: GeneratedPackage
) -> None:
    router.post("/things/create").respond(201, json={"id": "t", "request_id": "r"})
    client.thing_create(
        idempotency_key="k",
        name="n",
        email=None,
        address={"city": "Pawnee", "zip": None, "street": None},
        wrapped_address=feature.models.Address(city="Eagleton", zip=None, street=None),
        note=None,
        labels={"a": 1},
    )
    body = json.loads(_sent(router).content)
    assert body == {
        "name": "n",
        "address": {"city": "Pawnee", "street": None},
        "wrapped_address": {"city": "Eagleton", "street": None},
        "note": None,
        "labels": {"a": 1},
    }


def test_dates_travel_as_iso_8601_in_arguments_in_dicts_and_as_text(
    client: Any, router: respx.MockRouter
) -> None:
    router.post("/things/create").respond(201, json={"id": "t", "request_id": "r"})
    when = datetime.datetime(2024, 7, 29, 20, 22, 21, tzinfo=datetime.UTC)
    client.thing_create(
        idempotency_key="k",
        name="n",
        due_on=datetime.date(2024, 8, 1),
        starts_at=when,
        address={"city": "Pawnee", "moved_in": datetime.date(2019, 3, 4)},
    )
    body = json.loads(_sent(router).content)
    assert body["due_on"] == "2024-08-01"
    assert body["starts_at"] == "2024-07-29T20:22:21Z"
    assert body["address"] == {"city": "Pawnee", "moved_in": "2019-03-04"}
    client.thing_create(idempotency_key="k", name="n", due_on="2024-08-01", address={"city": "P"})
    assert json.loads(_sent(router).content)["due_on"] == "2024-08-01"


def test_a_date_query_parameter_travels_as_iso_8601(client: Any, router: respx.MockRouter) -> None:
    route = router.delete("/things/t/report").respond(204)
    client.thing_report_delete(thing_id="t", on=datetime.date(2024, 2, 29))
    assert route.calls.last.request.url.params["on"] == "2024-02-29"


async def test_nullable_fields_are_sent_as_null_async(async_client: Any, router: respx.MockRouter) -> None:
    router.post("/things/create").respond(201, json={"id": "t", "request_id": "r"})
    await async_client.thing_create(
        idempotency_key="k", name="n", wrapped_address=None, labels=None, refund=None
    )
    assert json.loads(_sent(router).content) == {
        "name": "n",
        "wrapped_address": None,
        "labels": None,
        "refund": None,
    }


def test_map_values_keep_their_type_and_constraints(client: Any, feature: GeneratedPackage) -> None:
    errors = feature.package.RequestValidationError
    with pytest.raises(errors, match="labels"):
        client.thing_create(idempotency_key="k", name="n", labels={"a": 11})
    with pytest.raises(errors, match="labels"):
        client.thing_create(idempotency_key="k", name="n", labels={"a": 1, "b": 2, "c": 3, "d": 4})


def test_boolean_exclusive_minimum_is_honoured(client: Any, feature: GeneratedPackage) -> None:
    with pytest.raises(feature.package.RequestValidationError, match="amount"):
        client.thing_create(idempotency_key="k", name="n", amount={"value": 0})


def test_email_format_is_a_plain_string(feature: GeneratedPackage) -> None:
    request = feature.models.ThingCreateRequest(name="n", email="not-an-email")
    assert request.email == "not-an-email"


def test_response_enums_are_open(client: Any, router: respx.MockRouter) -> None:
    router.get("/things/t").respond(200, json={**THING, "color": "ultraviolet", "shade": "neon"})
    thing = client.thing_get(thing_id="t", verbose=True)
    assert (thing.color, thing.shade) == ("ultraviolet", "neon")


def test_request_only_enums_stay_closed(client: Any, feature: GeneratedPackage) -> None:
    with pytest.raises(feature.package.RequestValidationError, match="priority"):
        client.thing_create(idempotency_key="k", name="n", priority="urgent")


def test_optional_body_is_not_sent_when_empty(client: Any, router: respx.MockRouter) -> None:
    router.post("/things/list").respond(200, json={"things": [THING], "request_id": "r"})
    listed = client.thing_list()
    assert _sent(router).content == b""
    assert listed.things[0].name == "widget"
    client.thing_list(cursor="c")
    assert json.loads(_sent(router).content) == {"cursor": "c"}


def test_binary_response_returns_bytes_and_a_raw_view(client: Any, router: respx.MockRouter) -> None:
    pdf = b"%PDF-1.7 binary \x00\xff"
    router.get("/things/t/report").respond(200, content=pdf, headers={"Content-Type": "application/pdf"})
    assert client.thing_report(thing_id="t") == pdf
    raw = client.with_raw_response.thing_report(thing_id="t")
    assert (raw.status_code, raw.parsed, raw.content) == (200, pdf, pdf)
    assert raw.headers["content-type"] == "application/pdf"
    assert "bytes" in repr(raw)


async def test_binary_and_raw_async(async_client: Any, router: respx.MockRouter) -> None:
    router.get("/things/t/report").respond(200, content=b"PK\x03\x04")
    assert await async_client.thing_report(thing_id="t") == b"PK\x03\x04"
    raw = await async_client.with_raw_response.thing_report(thing_id="t")
    assert raw.parsed == b"PK\x03\x04"


def test_raw_view_wraps_the_same_method(client: Any, router: respx.MockRouter) -> None:
    router.post("/things/create").respond(201, json={"id": "t", "request_id": "r-9"})
    raw = client.with_raw_response.thing_create(idempotency_key="k", name="n")
    assert (raw.status_code, raw.request_id) == (201, "r-9")
    assert client.with_raw_response.thing_create.__doc__ == client.thing_create.__doc__
    # Outside the raw view, the same method returns the parsed model again.
    assert client.thing_create(idempotency_key="k", name="n").request_id == "r-9"


def test_each_method_is_written_once_per_flavour(feature: GeneratedPackage) -> None:
    package = feature.root / "plaid_layer"
    files = [package / "client.py", *sorted((package / "_resources").glob("*.py"))]
    source = "".join(path.read_text(encoding="utf-8") for path in files)
    assert source.count("def thing_create(") == 2
    assert source.count('"""Create a thing.') == 2


def test_webhook_identity_and_key_operation_come_from_the_extensions(feature: GeneratedPackage) -> None:
    event = feature.webhooks.parse_webhook(b'{"webhook_type": "THING", "webhook_code": "THING_CHANGED"}')
    assert isinstance(event, feature.models.ThingChangedWebhook)
    assert hasattr(feature.webhooks, "WebhookVerifier")
    source = (feature.root / "plaid_layer" / "webhooks.py").read_text(encoding="utf-8")
    assert "client.signing_key_get(key_id=kid, timeout=timeout).key" in source


def test_class_names_are_component_keys_even_when_titles_collide(feature: GeneratedPackage) -> None:
    assert feature.models.Amount is not feature.models.AmountNullable
    assert {"value"} == set(feature.models.AmountNullable.model_fields)


async def test_a_success_without_a_body_returns_none(
    client: Any, async_client: Any, router: respx.MockRouter
) -> None:
    route = router.delete("/things/t/report").respond(204)
    when = datetime.datetime(2024, 7, 29, 20, 22, 21, tzinfo=datetime.UTC)
    assert client.thing_report_delete(thing_id="t", before=when) is None
    assert route.calls.last.request.url.params["before"] == "2024-07-29T20:22:21+00:00"
    assert await async_client.thing_report_delete(thing_id="t") is None
    assert (await async_client.with_raw_response.thing_report_delete(thing_id="t")).status_code == 204


def test_header_parameters_get_the_same_checks_as_extra_headers(
    client: Any, router: respx.MockRouter, feature: GeneratedPackage
) -> None:
    router.get("/things/t").respond(200, json=THING)
    with pytest.raises(feature.package.InvalidHeaderError, match="X-Trace-Id"):
        client.thing_get(thing_id="t", verbose=True, x_trace_id="a\r\nInjected: 1")
    assert not router.calls
    client.thing_get(thing_id="t", verbose=True)  # the route is still there, and answers
