"""What the sandbox refuses, with Plaid's error shape and status, before anything queued is used."""

from __future__ import annotations

from typing import Any

import pytest
from plaid_layer.testing.sandbox import Sandbox

from tests.runtime.sandbox.support import CREDENTIALS, SESSION_REQUEST, get, post

REFUSED: dict[str, tuple[dict[str, Any], dict[str, str], tuple[int, str, str]]] = {
    "no credentials at all": (SESSION_REQUEST, {}, (400, "INVALID_REQUEST", "MISSING_FIELDS")),
    "a required field missing": (
        {"user": {"client_user_id": "u"}},
        CREDENTIALS,
        (400, "INVALID_REQUEST", "MISSING_FIELDS"),
    ),
    "a field the spec does not know": (
        {**SESSION_REQUEST, "colour": "blue"},
        CREDENTIALS,
        (400, "INVALID_REQUEST", "UNKNOWN_FIELDS"),
    ),
    "a field of the wrong type": (
        {"template_id": 42},
        CREDENTIALS,
        (400, "INVALID_REQUEST", "INVALID_FIELD"),
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_request_the_spec_refuses_gets_plaids_error(sandbox: Sandbox, case: str) -> None:
    body, headers, (status, error_type, error_code) = REFUSED[case]
    answered, error = post(f"{sandbox.url}/session/token/create", body, headers)
    assert (answered, error["error_type"], error["error_code"]) == (status, error_type, error_code)
    assert set(error) >= {"error_message", "display_message", "request_id"}


def test_a_refused_request_does_not_use_up_a_queued_answer(sandbox: Sandbox) -> None:
    post(
        f"{sandbox.url}/sandbox/queue",
        {"operation": "session_token_create", "json": {"request_id": "queued"}},
    )
    assert post(f"{sandbox.url}/session/token/create", {}, CREDENTIALS)[0] == 400
    assert post(f"{sandbox.url}/session/token/create", SESSION_REQUEST, CREDENTIALS)[1] == {
        "request_id": "queued"
    }


def test_other_credentials_are_refused_when_the_sandbox_expects_some() -> None:
    with Sandbox(client_id="sandbox-client-id", secret="right-secret") as sandbox:
        wrong = post(f"{sandbox.url}/session/token/create", SESSION_REQUEST, CREDENTIALS)
        right = post(
            f"{sandbox.url}/session/token/create",
            SESSION_REQUEST,
            {**CREDENTIALS, "PLAID-SECRET": "right-secret"},
        )
    assert (wrong[0], wrong[1]["error_code"]) == (400, "INVALID_API_KEYS")
    assert right[0] == 200


def test_a_path_or_method_outside_the_spec_is_not_found(sandbox: Sandbox) -> None:
    for status, error in (
        post(f"{sandbox.url}/no/such/path", {}),
        get(f"{sandbox.url}/session/token/create"),
    ):
        assert (status, error["error_type"], error["error_code"]) == (404, "INVALID_REQUEST", "NOT_FOUND")


def link_token(sandbox: Sandbox) -> str:
    token: str = post(f"{sandbox.url}/session/token/create", SESSION_REQUEST, CREDENTIALS)[1]["link"][
        "link_token"
    ]
    return token


@pytest.mark.parametrize(
    ("change", "error_code"),
    [
        ({"outcome": "MAYBE"}, "INVALID_FIELD"),
        ({"outcome": None}, "INVALID_FIELD"),
        ({"colour": "blue"}, "UNKNOWN_FIELDS"),
        ({"identity": {"phone_number": 5}}, "INVALID_FIELD"),
    ],
)
def test_completing_a_session_with_a_bad_body_is_refused(
    sandbox: Sandbox, change: dict[str, Any], error_code: str
) -> None:
    body = {"link_token": link_token(sandbox), "outcome": "SUCCESS", **change}
    status, error = post(f"{sandbox.url}/sandbox/layer/session/complete", body)
    assert (status, error["error_code"]) == (400, error_code)


def test_a_session_completes_once_and_only_if_the_sandbox_issued_it(sandbox: Sandbox) -> None:
    token = link_token(sandbox)
    complete = f"{sandbox.url}/sandbox/layer/session/complete"
    assert post(complete, {"link_token": token, "outcome": "SUCCESS"})[0] == 200
    again = post(complete, {"link_token": token, "outcome": "EXITED"})
    unknown = post(complete, {"link_token": "link-sandbox-unknown", "outcome": "SUCCESS"})
    missing = post(complete, {"outcome": "SUCCESS"})
    assert [(status, error["error_code"]) for status, error in (again, unknown, missing)] == [
        (400, "INVALID_LINK_TOKEN"),
        (400, "INVALID_LINK_TOKEN"),
        (400, "MISSING_FIELDS"),
    ]


@pytest.mark.parametrize(
    "body",
    [[], {"json": {}}, {"operation": "no_such_operation", "json": {}}, {"operation": "session_token_create"}],
)
def test_a_bad_queue_request_is_refused_naming_the_problem(sandbox: Sandbox, body: Any) -> None:
    status, error = post(f"{sandbox.url}/sandbox/queue", body)
    assert (status, error["error_code"]) == (400, "INVALID_FIELD")
