"""The documented examples as benchmark cases, and an httpx handler that answers with them.

Every operation in the generated package becomes a `Case`: its request example (the call's
arguments) and its 200 response example (the bytes every contender receives).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "spec" / "examples"
BASE_URL = "https://sandbox.plaid.com"
CLIENT_ID = "bench-client-id"
SECRET = "bench-secret"
RAW_HEADERS = {
    "Accept": "application/json",
    "Plaid-Version": "2020-09-14",
    "PLAID-CLIENT-ID": CLIENT_ID,
    "PLAID-SECRET": SECRET,
}
"""What the raw-httpx floor sends besides the JSON body: the headers a Plaid call needs."""


@dataclass(frozen=True, slots=True)
class Case:
    """One operation with its documented request arguments and response bytes."""

    operation_id: str
    path: str
    request: dict[str, Any]
    response: bytes

    @property
    def method_name(self) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.operation_id).lower()

    def with_response(self, response: bytes) -> Case:
        return replace(self, response=response)


def cases() -> list[Case]:
    """A case per operation of the generated package, in operationId order."""
    from plaid_layer.api import OPERATIONS

    return [
        Case(
            operation_id=operation_id,
            path=operation.path,
            request=json.loads((EXAMPLES / f"{operation_id}.request.json").read_bytes()),
            response=(EXAMPLES / f"{operation_id}.response.200.json").read_bytes(),
        )
        for operation_id, operation in sorted(OPERATIONS.items())
    ]


def responses_by_path(all_cases: list[Case]) -> dict[str, bytes]:
    return {case.path: case.response for case in all_cases}


def example_handler(bodies: Mapping[str, bytes]) -> Callable[[httpx.Request], httpx.Response]:
    """An `httpx.MockTransport` handler answering each path with its example bytes."""
    json_headers = {"Content-Type": "application/json"}

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=bodies[request.url.path], headers=json_headers)

    return handle
