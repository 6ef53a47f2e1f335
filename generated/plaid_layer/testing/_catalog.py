# Copied by layer-codegen from templates/runtime/testing/_catalog.py, unchanged; do not edit here: edit that file, then nox -s generate
"""What the testing kit knows about the API: its operations, webhooks and servers, from the spec.

The generated `testing` package builds one `Catalog` from `OPERATIONS`, the client's
settings and the documented examples; the mock and the webhook signer only ever read it, so a
new operation in the spec is served after one `generate` without touching this code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .._base_client import Operation

Builder = Callable[..., dict[str, Any]]
"""An example builder from the generated `testing.examples`: keyword overrides in, a fresh dict out."""


@dataclass(frozen=True)
class CatalogOperation:
    """One operation: its method name, its descriptor and its documented success and error examples."""

    python_name: str
    operation: Operation[Any]
    response_example: Builder | None
    error_example: Builder | None = None

    @property
    def operation_id(self) -> str:
        """The spec's operationId."""
        return self.operation.operation_id


@dataclass(frozen=True)
class CatalogWebhook:
    """One webhook: its names and its documented payload example."""

    python_name: str
    name: str
    webhook_code: str
    example: Builder | None


@dataclass(frozen=True)
class Catalog:
    """Everything spec-specific the mock and the signer need."""

    distribution: str
    """The distribution to `pip install`, for messages."""
    environments: Mapping[str, str]
    """Environment name -> server base URL."""
    credential_headers: Mapping[str, str]
    """Body field (`client_id`) -> the header that may carry it instead (`PLAID-CLIENT-ID`)."""
    operations: tuple[CatalogOperation, ...]
    webhooks: tuple[CatalogWebhook, ...]
    webhook_key_operation: str | None
    """The operation that serves webhook verification keys, if the spec has one."""

    def operation(self, name: str) -> CatalogOperation:
        """Find an operation by method name (`session_token_create`) or operationId."""
        for entry in self.operations:
            if name in (entry.python_name, entry.operation_id):
                return entry
        known = ", ".join(entry.python_name for entry in self.operations)
        raise ValueError(f"unknown operation {name!r}; the spec has: {known}")

    def webhook(self, name: str) -> CatalogWebhook:
        """Find a webhook by Python name (`session_finished`), spec key or `webhook_code`."""
        for entry in self.webhooks:
            if name in (entry.python_name, entry.name, entry.webhook_code):
                return entry
        known = ", ".join(entry.python_name for entry in self.webhooks)
        raise ValueError(f"unknown webhook {name!r}; the spec has: {known}")
