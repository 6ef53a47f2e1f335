"""Plaid's official SDK (plaid-python) as a contender: a client, its requests, and a fake pool.

plaid-python sends through a urllib3 `PoolManager`; `FakePool` stands in for it and returns the
same example bytes our MockTransport serves, as the `urllib3.HTTPResponse` a real pool returns.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import urllib3

from benchmarks._fixtures import BASE_URL, CLIENT_ID, SECRET, Case


class FakePool:
    """Answers `PoolManager.request(method, url, ...)` with the bytes for the URL's path."""

    def __init__(self, bodies: Mapping[str, bytes]) -> None:
        self._bodies = bodies

    def request(self, method: str, url: str, **kwargs: Any) -> urllib3.HTTPResponse:
        return urllib3.HTTPResponse(
            body=self._bodies[urlsplit(url).path],
            status=200,
            headers={"Content-Type": "application/json"},
            preload_content=True,
        )


def official_api(host: str = BASE_URL, pool: FakePool | None = None) -> Any:
    """A `plaid_api.PlaidApi` for `host`; with `pool`, its urllib3 pool is replaced by the fake."""
    import plaid
    from plaid.api import plaid_api

    configuration = plaid.Configuration(host=host, api_key={"clientId": CLIENT_ID, "secret": SECRET})
    api = plaid_api.PlaidApi(plaid.ApiClient(configuration))
    if pool is not None:
        api.api_client.rest_client.pool_manager = pool
    return api


def _request_class(case: Case) -> type[Any]:
    """plaid-python's request model: `plaid.model.<method>_request.<OperationId>Request`."""
    module = importlib.import_module(f"plaid.model.{case.method_name}_request")
    return getattr(module, f"{case.operation_id[0].upper()}{case.operation_id[1:]}Request")  # type: ignore[no-any-return]


def build_model(cls: type[Any], data: Mapping[str, Any]) -> Any:
    """Construct a plaid-python model from JSON-shaped data the way user code does: nested constructors."""
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        nested = next((t for t in cls.openapi_types[key] if hasattr(t, "openapi_types")), None)
        kwargs[key] = build_model(nested, value) if nested is not None and isinstance(value, dict) else value
    return cls(**kwargs)


def official_call(api: Any, case: Case) -> Callable[[], Any] | None:
    """A call of `case` through plaid-python, building the request model each time; `None` if absent."""
    method = getattr(api, case.method_name, None)
    if method is None:
        return None
    request_class = _request_class(case)

    def call() -> Any:
        return method(build_model(request_class, case.request))

    return call
