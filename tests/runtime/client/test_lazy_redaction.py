"""Masking an error's text waits until the text is read, and keeps a JSON body valid JSON.

Building `APIStatusError` (on every non-2xx response, retried or not) and `ResponseValidationError`
scrubs nothing; the first `str()`, `repr()`, `.message`, `.body` or `.error_message` does, once.
"""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable

import pytest
import respx
from plaid_layer import (
    APIServerError,
    APIStatusError,
    InvalidInputError,
    PlaidLayer,
    ResponseValidationError,
    _exceptions,
)
from plaid_layer._redact import REDACTED, scrub_text

from tests.runtime.client.support import CLIENT_ID, SECRET, FakeSleep, json_response

PATH = "/user_account/session/get"
TOKEN = "public-sandbox-0a9c1f3e-77b2-4e0f-9d55-123456789abc"
HUGE = f"secret={SECRET} " + "The service is down, please try again later. " * 25_000


class CountingScrub:
    """`scrub_text`, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str, secrets: tuple[str, ...] = ()) -> str:
        self.calls += 1
        return scrub_text(text, secrets)


@pytest.fixture
def scrubs(monkeypatch: pytest.MonkeyPatch) -> CountingScrub:
    counting = CountingScrub()
    monkeypatch.setattr(_exceptions, "scrub_text", counting)
    return counting


def test_a_retried_huge_error_body_is_never_scrubbed_until_read(
    client: PlaidLayer, router: respx.MockRouter, sleep: FakeSleep, scrubs: CountingScrub
) -> None:
    route = router.post(PATH).respond(503, text=HUGE)
    with pytest.raises(APIServerError) as caught:
        client.user_account_session_get(public_token=TOKEN)
    assert route.call_count == 3 and scrubs.calls == 0
    error = caught.value
    assert SECRET not in str(error) and SECRET not in repr(error) and SECRET not in error.body
    assert f"secret={REDACTED}" in error.body
    calls = scrubs.calls
    assert calls >= 1
    str(error), error.body, error.message
    assert scrubs.calls == calls  # cached


@pytest.mark.parametrize(
    "read",
    [str, repr, lambda error: error.message, lambda error: error.error_message],
    ids=["str", "repr", "message", "error_message"],
)
def test_the_lazy_message_hides_the_secrets_it_quotes(
    client: PlaidLayer,
    router: respx.MockRouter,
    scrubs: CountingScrub,
    read: Callable[[APIStatusError], object],
) -> None:
    error_body = {
        "error_type": "INVALID_INPUT",
        "error_code": "INVALID_PUBLIC_TOKEN",
        "error_message": f"the public_token {TOKEN} is not valid for client_id {CLIENT_ID}",
        "request_id": "r1",
    }
    router.post(PATH).mock(return_value=json_response(400, error_body))
    with pytest.raises(InvalidInputError) as caught:
        client.user_account_session_get(public_token=TOKEN)
    assert scrubs.calls == 0
    shown = str(read(caught.value))
    assert scrubs.calls >= 1
    assert TOKEN not in shown and CLIENT_ID not in shown and "is not valid" in shown


def test_a_strict_validation_error_scrubs_its_body_only_when_read(
    router: respx.MockRouter, scrubs: CountingScrub
) -> None:
    router.post(PATH).mock(return_value=json_response(200, {"identity": 3, "note": HUGE}))
    with (
        PlaidLayer(client_id=CLIENT_ID, secret=SECRET, strict_response_validation=True) as plaid,
        pytest.raises(ResponseValidationError) as caught,
    ):
        plaid.user_account_session_get(public_token=TOKEN)
    assert scrubs.calls == 0
    assert caught.value.body is not None and SECRET not in caught.value.body
    assert scrubs.calls == 1


@pytest.mark.parametrize("move", [pickle.loads, copy.copy], ids=["pickle", "copy"])
def test_an_error_never_read_travels_masked(
    client: PlaidLayer, router: respx.MockRouter, move: Callable[[object], object]
) -> None:
    router.post(PATH).respond(503, text=f"down: secret={SECRET} token {TOKEN}")
    with pytest.raises(APIServerError) as caught:
        client.user_account_session_get(public_token=TOKEN)
    payload: object = pickle.dumps(caught.value) if move is pickle.loads else caught.value
    moved = move(payload)
    assert isinstance(moved, APIServerError) and moved.response is None
    assert SECRET not in moved.body and TOKEN not in moved.body and "down" in moved.body
    assert SECRET not in str(moved)


JSON_BODIES: dict[str, dict[str, object]] = {
    "credentials as fields": {"client_id": CLIENT_ID, "secret": SECRET, "error_code": "X"},
    "a token as a field": {"access_token": "access-sandbox-1234", "request_id": "r"},
    "nested identity": {"user": {"email": "jane@example.com", "phone_number": "+14155550100"}},
    "quotes in a message": {"error_message": f"public_token \"{TOKEN}\" and secret: '{SECRET}'"},
    "a list of ids": {"ids": [123456789, "123-45-6789", True, None, 1.5]},
}


@pytest.mark.parametrize("name", JSON_BODIES)
def test_a_masked_json_body_is_still_json_with_only_values_masked(
    client: PlaidLayer, router: respx.MockRouter, name: str
) -> None:
    router.post(PATH).mock(return_value=json_response(418, JSON_BODIES[name]))
    with pytest.raises(APIStatusError) as caught:
        client.user_account_session_get(public_token=TOKEN)
    body = caught.value.body
    parsed = json.loads(body)
    assert parsed.keys() == JSON_BODIES[name].keys()
    for private in (CLIENT_ID, SECRET, TOKEN, "access-sandbox-1234", "jane@example.com", "123456789"):
        assert private not in body
    assert REDACTED in body


def test_a_json_body_with_nothing_to_mask_is_kept_as_sent() -> None:
    text = '{"error_code":"PRODUCT_NOT_READY",  "n": [1, 2.5, null, true]}'
    assert scrub_text(text) == text


def test_text_that_only_looks_like_json_is_masked_as_text() -> None:
    text = f'{{"secret": "{SECRET}", cut off'
    assert SECRET not in scrub_text(text, (SECRET,))
