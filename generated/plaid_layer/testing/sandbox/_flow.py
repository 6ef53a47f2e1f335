# Copied by layer-codegen from templates/runtime/testing/sandbox/_flow.py, unchanged; do not edit here: edit that file, then nox -s generate
"""The Layer session flow the sandbox plays: Link tokens, the user finishing Link, public tokens.

`/session/token/create` issues a fresh Link token and remembers the session; `complete` plays the
user finishing Link (a public token on success); `/user_account/session/get` answers what that
session shared. The operations are found by their paths, so any spec that has them gets the flow;
their answers are the spec's documented examples with the session's own values put in.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from .._catalog import Catalog, CatalogOperation
from .._errors import json_response, new_request_id, plaid_error
from .._validation import _schema_problem

SESSION_CREATE_PATH = "/session/token/create"
SESSION_GET_PATH = "/user_account/session/get"
LINK_TOKEN_LIFETIME = timedelta(hours=4)
"""How long Plaid's Link token for a new session lasts."""
OUTCOMES = ("SUCCESS", "EXITED")
COMPLETE_FIELDS = ("link_token", "outcome", "identity")


class FlowError(Exception):
    """A request the flow refuses: `body` is the Plaid error to answer with `status`."""

    def __init__(self, body: dict[str, Any], status: int = 400) -> None:
        super().__init__(body["error_code"])
        self.body = body
        self.status = status


@dataclass
class LayerSession:
    """One Link token's session: what `/session/token/create` was asked, and how it ended."""

    link_token: str
    link_session_id: str
    template_id: Any
    user: Any
    webhook: str | None
    outcome: str | None = None
    public_token: str | None = None
    identity: Any = field(default=None, repr=False)
    identity_given: bool = False


@dataclass(frozen=True)
class Completion:
    """The result of the user finishing Link: the session, and its public token on success."""

    session: LayerSession
    webhooks: tuple[tuple[str, dict[str, Any]], ...]
    """(webhook code, top-level overrides of its documented example), in delivery order."""


def _by_path(catalog: Catalog, path: str) -> CatalogOperation | None:
    return next((entry for entry in catalog.operations if entry.operation.path == path), None)


def _problem(error_code: str, message: str, error_type: str = "INVALID_REQUEST") -> FlowError:
    return FlowError(plaid_error(error_type, error_code, message))


class LayerFlow:
    """The sandbox's memory of Layer sessions; thread-safe, since requests arrive on many threads."""

    def __init__(self, catalog: Catalog) -> None:
        self.create: CatalogOperation | None = _by_path(catalog, SESSION_CREATE_PATH)
        self.get: CatalogOperation | None = _by_path(catalog, SESSION_GET_PATH)
        self._lock = threading.Lock()
        self._sessions: dict[str, LayerSession] = {}
        self._public_tokens: dict[str, LayerSession] = {}

    def session_token_create(self, body: Any) -> httpx.Response:
        """Answer `/session/token/create` (an already checked request) with a fresh Link token."""
        assert self.create is not None and self.create.response_example is not None
        link_token = f"link-sandbox-{uuid.uuid4()}"
        webhook = body.get("webhook")
        session = LayerSession(
            link_token=link_token,
            link_session_id=str(uuid.uuid4()),
            template_id=body.get("template_id"),
            user=body.get("user") or body.get("user_id"),
            webhook=webhook if isinstance(webhook, str) and webhook else None,
        )
        with self._lock:
            self._sessions[link_token] = session
        answer = self.create.response_example(request_id=new_request_id())
        link = answer.get("link")
        if isinstance(link, dict):
            expiration = datetime.now(UTC).replace(microsecond=0) + LINK_TOKEN_LIFETIME
            answer["link"] = {
                **link,
                "link_token": link_token,
                "expiration": expiration.isoformat()[:-6] + "Z",
            }
        else:
            answer["link_token"] = link_token
        return json_response(200, answer)

    def user_account_session_get(self, body: Any) -> httpx.Response:
        """Answer `/user_account/session/get` with what the public token's session shared."""
        assert self.get is not None
        token = body.get("public_token")
        with self._lock:
            session = self._public_tokens.get(token) if isinstance(token, str) else None
        if session is None:
            return json_response(400, self._invalid_public_token())
        return json_response(200, self._shared(session.identity_given, session.identity))

    def complete(self, body: Any) -> Completion:
        """Play the user finishing Link with `body` (`link_token`, `outcome`, optional `identity`)."""
        if self.create is None or self.get is None:
            message = f"this API has no {SESSION_CREATE_PATH} and {SESSION_GET_PATH} to play a session with"
            raise FlowError(plaid_error("INVALID_REQUEST", "NOT_FOUND", message), status=404)
        if not isinstance(body, dict):
            raise _problem("INVALID_BODY", "the request body must be a JSON object")
        unknown = sorted(set(body) - set(COMPLETE_FIELDS))
        if unknown:
            message = f"the following fields are not recognized by this endpoint: {', '.join(unknown)}"
            raise _problem("UNKNOWN_FIELDS", message)
        missing = [name for name in ("link_token", "outcome") if name not in body]
        if missing:
            raise _problem(
                "MISSING_FIELDS", f"the following required fields are missing: {', '.join(missing)}"
            )
        outcome = body["outcome"]
        if outcome not in OUTCOMES:
            raise _problem("INVALID_FIELD", f"outcome: must be one of {', '.join(OUTCOMES)}")
        given = "identity" in body
        if given:
            self._shared(True, body["identity"])  # refuse an identity that does not fit the spec now
        link_token = body["link_token"]
        with self._lock:
            session = self._sessions.get(link_token) if isinstance(link_token, str) else None
            if session is None or session.outcome is not None:
                why = "has finished already" if session else "is not one this sandbox issued"
                raise _problem("INVALID_LINK_TOKEN", f"the link token {why}", "INVALID_INPUT")
            session.outcome = outcome
            if outcome == "SUCCESS":
                session.public_token = f"profile-sandbox-{uuid.uuid4()}"
                session.identity, session.identity_given = body.get("identity"), given
                self._public_tokens[session.public_token] = session
        return Completion(session, self._webhooks(session))

    def _webhooks(self, session: LayerSession) -> tuple[tuple[str, dict[str, Any]], ...]:
        ids = {"link_session_id": session.link_session_id, "link_token": session.link_token}
        finished = {
            **ids,
            "status": session.outcome,
            "public_tokens": [session.public_token] if session.public_token else [],
        }
        passed = ("LAYER_AUTHENTICATION_PASSED", {**ids, "environment": "sandbox"})
        done = ("SESSION_FINISHED", {**finished, "environment": "sandbox"})
        return (passed, done) if session.outcome == "SUCCESS" else (done,)

    def _shared(self, given: bool, identity: Any) -> dict[str, Any]:
        """The session get answer: the documented one, with `identity` when the user gave one."""
        assert self.get is not None
        if self.get.response_example is None:
            raise _problem("NOT_FOUND", f"{SESSION_GET_PATH} has no documented example to answer with")
        overrides: dict[str, Any] = {"request_id": new_request_id()}
        if given:
            overrides["identity"] = identity
        answer = self.get.response_example(**overrides)
        model = self.get.operation.response_model
        if given and isinstance(model, type) and issubclass(model, BaseModel):
            try:
                model.model_validate(answer)
            except ValidationError as exc:
                raise FlowError(_schema_problem(exc)) from None
        return answer

    def _invalid_public_token(self) -> dict[str, Any]:
        assert self.get is not None
        if self.get.error_example is not None:
            documented = self.get.error_example(request_id=new_request_id())
            if documented.get("error_code") == "INVALID_PUBLIC_TOKEN":
                return documented
        return plaid_error("INVALID_INPUT", "INVALID_PUBLIC_TOKEN", "the public token is not valid")


def only(mapping: Mapping[str, Any], keys: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of `keys` whose key `mapping` has: overrides that keep a documented shape."""
    return {key: value for key, value in keys.items() if key in mapping}
