"""Pin the public names of `plaid_layer.testing`."""

from __future__ import annotations

import plaid_layer.testing


def test_public_names() -> None:
    assert plaid_layer.testing.__all__ == [
        "CATALOG",
        "ErrorType",
        "Handler",
        "LayerMock",
        "MockCall",
        "OperationName",
        "WebhookSigner",
        "documented_status",
        "examples",
        "mock_layer",
        "plaid_error",
    ]
    for name in plaid_layer.testing.__all__:
        assert hasattr(plaid_layer.testing, name)
