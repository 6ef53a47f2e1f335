"""Every failure surfaces as a typed `PlaidLayerError` subclass with the details a caller needs."""

from __future__ import annotations

import logging
import typing

import httpx
import plaid_layer
import plaid_layer._error_model
import pytest
import respx
from plaid_layer import (
    APIConnectionError,
    APIServerError,
    APIStatusError,
    APITimeoutError,
    InvalidInputError,
    InvalidRequestError,
    ItemError,
    PlaidLayer,
    PlaidLayerConfigError,
    PlaidLayerError,
    RateLimitError,
    RequestValidationError,
    ResponseValidationError,
)
from plaid_layer.models import PlaidError

from tests.runtime.client.support import CLIENT_ID, SECRET, json_response
from tests.support import load_example

PATH = "/user_account/session/get"


def _plaid_error(error_type: str, error_code: str, **extra: object) -> dict[str, object]:
    return {
        "error_type": error_type,
        "error_code": error_code,
        "error_message": "something went wrong",
        "display_message": None,
        "request_id": "req-abc-123",
        **extra,
    }


@pytest.mark.parametrize(
    ("error_type", "status", "expected"),
    [
        ("INVALID_REQUEST", 400, InvalidRequestError),
        ("INVALID_INPUT", 400, InvalidInputError),
        ("RATE_LIMIT_EXCEEDED", 429, RateLimitError),
        ("API_ERROR", 500, APIServerError),
        ("ITEM_ERROR", 400, ItemError),
    ],
)
def test_plaid_error_type_chooses_the_exception_class(
    client: PlaidLayer, router: respx.MockRouter, error_type: str, status: int, expected: type[APIStatusError]
) -> None:
    router.post(PATH).mock(return_value=json_response(status, _plaid_error(error_type, "SOME_CODE")))
    with pytest.raises(expected) as caught:
        client.user_account_session_get(public_token="p", max_retries=0)
    error = caught.value
    assert type(error) is expected
    assert error.status_code == status
    assert error.error_type == error_type
    assert error.error_code == "SOME_CODE"
    assert error.request_id == "req-abc-123"
    assert error.display_message is None
    assert isinstance(error.error, PlaidError)
    assert "SOME_CODE" in str(error) and "req-abc-123" in str(error)


def test_documented_error_example_parses(client: PlaidLayer, router: respx.MockRouter) -> None:
    example = load_example("userAccountSessionGet.response.default")
    router.post(PATH).mock(return_value=json_response(400, example))
    with pytest.raises(InvalidInputError) as caught:
        client.user_account_session_get(public_token="p")
    assert caught.value.error is not None
    assert caught.value.error.model_dump(mode="json", exclude_unset=True) == example


def test_unknown_error_type_still_gives_api_status_error(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    router.post(PATH).mock(return_value=json_response(400, _plaid_error("BRAND_NEW_ERROR", "NEW_CODE")))
    with pytest.raises(APIStatusError) as caught:
        client.user_account_session_get(public_token="p")
    assert type(caught.value) is APIStatusError
    assert caught.value.error_type == "BRAND_NEW_ERROR"


@pytest.mark.parametrize(
    "body",
    [b"<html><body>502 Bad Gateway</body></html>", b"", b'{"error_type": "INVALID_REQ', b"[1, 2]"],
    ids=["html", "empty", "truncated-json", "not-an-object"],
)
def test_non_json_error_body_gives_status_error_not_decode_error(
    client: PlaidLayer, router: respx.MockRouter, body: bytes
) -> None:
    router.post(PATH).mock(return_value=httpx.Response(502, content=body))
    with pytest.raises(APIStatusError) as caught:
        client.user_account_session_get(public_token="p", max_retries=0)
    assert caught.value.status_code == 502
    assert caught.value.error is None
    assert caught.value.error_type is None
    assert caught.value.body == body.decode()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, InvalidRequestError),
        (401, InvalidRequestError),
        (404, InvalidRequestError),
        (429, RateLimitError),
        (500, APIServerError),
        (502, APIServerError),
        (503, APIServerError),
    ],
)
def test_a_status_without_a_plaid_body_picks_a_class_by_status(
    client: PlaidLayer, router: respx.MockRouter, status: int, expected: type[APIStatusError]
) -> None:
    router.post(PATH).mock(return_value=httpx.Response(status, content=b"<html>proxy says no</html>"))
    with pytest.raises(APIStatusError) as caught:
        client.user_account_session_get(public_token="p", max_retries=0)
    assert type(caught.value) is expected
    assert caught.value.error is None and caught.value.error_type is None
    assert caught.value.operation_id == "userAccountSessionGet"


def test_the_error_attribute_is_typed_as_the_spec_error_model() -> None:
    # The annotation names a type-checking-only import; resolve it the way a type checker does.
    hints = typing.get_type_hints(APIStatusError, localns={**vars(plaid_layer._error_model), "httpx": httpx})
    assert hints["error"] == PlaidError | None


def test_timeout_is_httpx_timeout_and_works_per_client_and_per_call(router: respx.MockRouter) -> None:
    route = router.post(PATH).mock(
        return_value=json_response(200, load_example("userAccountSessionGet.response.200"))
    )
    assert plaid_layer.Timeout is httpx.Timeout
    with PlaidLayer(client_id="c", secret="s", timeout=plaid_layer.Timeout(5.0, connect=2.0)) as plaid:
        plaid.user_account_session_get(public_token="p")
        assert route.calls.last.request.extensions["timeout"] == {
            "connect": 2.0,
            "read": 5.0,
            "write": 5.0,
            "pool": 5.0,
        }
        plaid.user_account_session_get(public_token="p", timeout=plaid_layer.Timeout(1.5))
        assert route.calls.last.request.extensions["timeout"]["read"] == 1.5


def test_connection_failure_raises_api_connection_error(client: PlaidLayer, router: respx.MockRouter) -> None:
    router.post(PATH).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as caught:
        client.user_account_session_get(public_token="p", max_retries=0)
    assert not isinstance(caught.value, APITimeoutError)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_timeout_raises_api_timeout_error(client: PlaidLayer, router: respx.MockRouter) -> None:
    router.post(PATH).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        client.user_account_session_get(public_token="p", max_retries=0)


@pytest.fixture
def strict_client(router: respx.MockRouter) -> typing.Iterator[PlaidLayer]:
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, strict_response_validation=True) as plaid:
        yield plaid


def test_success_body_that_misses_a_required_field_names_the_field(
    strict_client: PlaidLayer, router: respx.MockRouter
) -> None:
    body = load_example("userAccountSessionGet.response.200")
    del body["items"]
    router.post(PATH).mock(return_value=json_response(200, body))
    with pytest.raises(ResponseValidationError) as caught:
        strict_client.user_account_session_get(public_token="p")
    assert caught.value.fields == ("items",)
    assert "items" in str(caught.value)
    assert "userAccountSessionGet" in str(caught.value)


def test_success_body_with_wrong_type_names_the_nested_field_without_its_value(
    strict_client: PlaidLayer, router: respx.MockRouter
) -> None:
    body = load_example("userAccountSessionGet.response.200")
    body["items"][0]["access_token"] = 12345
    router.post(PATH).mock(return_value=json_response(200, body))
    with pytest.raises(ResponseValidationError) as caught:
        strict_client.user_account_session_get(public_token="p")
    assert caught.value.fields == ("items.0.access_token",)
    assert "12345" not in str(caught.value)


def test_by_default_a_body_that_misses_a_required_field_is_read_with_a_warning(
    client: PlaidLayer, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    body = load_example("userAccountSessionGet.response.200")
    del body["items"]
    router.post(PATH).mock(return_value=json_response(200, body))
    with caplog.at_level(logging.WARNING, logger="plaid_layer"):
        session = client.user_account_session_get(public_token="p")
    assert session.items is None and "items" not in session.model_fields_set
    assert session.request_id == body["request_id"]
    assert plaid_layer.deviations(session) == (("items", "Field required"),)
    (record,) = caplog.records
    assert record.levelno == logging.WARNING and "userAccountSessionGet" in record.getMessage()


def test_non_json_success_body_is_a_response_validation_error(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    router.post(PATH).mock(return_value=httpx.Response(200, content=b"<html>ok</html>"))
    with pytest.raises(ResponseValidationError):
        client.user_account_session_get(public_token="p")


def test_bad_argument_is_rejected_before_sending(client: PlaidLayer, router: respx.MockRouter) -> None:
    route = router.post("/session/token/create")
    with pytest.raises(RequestValidationError) as caught:
        client.session_token_create(template_id="t", user={"client_user_id": "u", "surprise": 1})  # type: ignore[arg-type]
    assert caught.value.fields == ("user.surprise",)
    assert not route.called


@pytest.mark.usefixtures("no_plaid_env")
def test_missing_credentials_are_a_config_error() -> None:
    with pytest.raises(PlaidLayerConfigError, match="PLAID_CLIENT_ID"):
        PlaidLayer(secret="s")
    with pytest.raises(PlaidLayerConfigError, match="PLAID_SECRET"):
        PlaidLayer(client_id="c")


def test_credentials_default_to_environment_variables(
    monkeypatch: pytest.MonkeyPatch, router: respx.MockRouter
) -> None:
    monkeypatch.setenv("PLAID_CLIENT_ID", "env-id")
    monkeypatch.setenv("PLAID_SECRET", "env-secret")
    route = router.post(PATH).mock(
        return_value=json_response(200, load_example("userAccountSessionGet.response.200"))
    )
    with PlaidLayer() as plaid:
        plaid.user_account_session_get(public_token="p")
    assert route.calls.last.request.headers["PLAID-CLIENT-ID"] == "env-id"
    assert route.calls.last.request.headers["PLAID-SECRET"] == "env-secret"


def test_unknown_environment_is_a_config_error() -> None:
    with pytest.raises(PlaidLayerConfigError, match="production, sandbox"):
        PlaidLayer(client_id="c", secret="s", environment="development")  # type: ignore[arg-type]


def test_every_exported_error_derives_from_plaid_layer_error() -> None:
    errors = [getattr(plaid_layer, name) for name in plaid_layer.__all__ if name.endswith("Error")]
    assert errors and all(issubclass(error, PlaidLayerError) for error in errors)
