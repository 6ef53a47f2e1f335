"""Responses that Plaid's own schema allows, and newer releases that add fields, always parse."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from plaid_layer import InvalidRequestError, PlaidLayer
from plaid_layer.api import OPERATIONS
from plaid_layer.models import PlaidError, UserAccountSessionGetResponse

from tests.runtime.client.support import json_response
from tests.strategies import from_schema
from tests.support import SPEC, load_example

SPEC_DOCUMENT: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
COMPONENTS: dict[str, Any] = SPEC_DOCUMENT["components"]["schemas"]


def _response_schema(operation_id: str, status: str) -> dict[str, Any]:
    for path_item in SPEC_DOCUMENT["paths"].values():
        operation = path_item["post"]
        if operation["operationId"] == operation_id:
            return dict(operation["responses"][status]["content"]["application/json"]["schema"])
    raise KeyError(operation_id)


def _with_extras(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    extra = st.dictionaries(
        st.from_regex(r"zz_[a-z]{1,8}", fullmatch=True), st.integers() | st.text(max_size=5)
    )
    return st.tuples(from_schema(schema, COMPONENTS), extra).map(lambda pair: {**pair[1], **pair[0]})


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_response_the_schema_allows_parses_with_extra_fields(
    operation_id: str, data: st.DataObject
) -> None:
    payload = data.draw(_with_extras(_response_schema(operation_id, "200")))
    parsed = OPERATIONS[operation_id].response_model.model_validate(payload)
    for key in payload:
        if key.startswith("zz_"):
            assert getattr(parsed, key) == payload[key]


@settings(max_examples=40, deadline=None)
@given(payload=st.data())
def test_any_plaid_error_the_schema_allows_parses(payload: st.DataObject) -> None:
    body = payload.draw(from_schema(_response_schema("userAccountSessionGet", "default"), COMPONENTS))
    # PlaidError admits null (as in Plaid's spec, for `Item.error`); a null body is no error object.
    assume(body is not None)
    assert PlaidError.model_validate(body).error_code == body["error_code"]


def test_a_null_error_body_raises_by_status(client: PlaidLayer, router: respx.MockRouter) -> None:
    null = httpx.Response(400, content=b"null", headers={"Content-Type": "application/json"})
    router.post("/user_account/session/get").mock(return_value=null)
    with pytest.raises(InvalidRequestError) as caught:
        client.user_account_session_get(public_token="p", max_retries=0)
    assert caught.value.error is None and caught.value.body == "null"


def test_identity_null_parses(client: PlaidLayer, router: respx.MockRouter) -> None:
    body = {**load_example("userAccountSessionGet.response.200"), "identity": None}
    router.post("/user_account/session/get").mock(return_value=json_response(200, body))
    assert client.user_account_session_get(public_token="p").identity is None


def test_newer_release_fields_are_kept_and_reachable(client: PlaidLayer, router: respx.MockRouter) -> None:
    body = {
        **load_example("userAccountSessionGet.response.200"),
        "link_session_id": None,
        "idv_session_status": "success",
    }
    body["identity"]["name"]["middle_name"] = "Barbara"
    router.post("/user_account/session/get").mock(return_value=json_response(200, body))
    result = client.user_account_session_get(public_token="p")
    assert result.model_extra == {"link_session_id": None, "idv_session_status": "success"}
    assert result.identity is not None and result.identity.name is not None
    assert result.identity.name.model_extra == {"middle_name": "Barbara"}
    assert result.model_dump(mode="json", exclude_unset=True) == body


def test_unknown_values_of_open_enums_parse() -> None:
    error = PlaidError.model_validate(
        {"error_type": "QUANTUM_ERROR", "error_code": "X", "error_message": "m", "display_message": None}
    )
    assert error.error_type == "QUANTUM_ERROR"


def test_absent_optional_fields_are_none() -> None:
    parsed = UserAccountSessionGetResponse.model_validate({"identity": {}, "items": [{}], "request_id": "r"})
    assert parsed.identity_edit_history is None
    assert parsed.identity is not None and parsed.identity.ssn is None
    assert parsed.items[0].access_token is None
