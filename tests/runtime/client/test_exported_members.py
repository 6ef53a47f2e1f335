"""The public surface of `plaid_layer` is pinned: removing or renaming a name must fail here first."""

from __future__ import annotations

import plaid_layer
import pytest
from plaid_layer.models import LayerAuthenticationPassedWebhook, LayerWebhook, LinkSessionFinishedWebhook
from pydantic import TypeAdapter

from tests.support import load_example

EXPECTED = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIServerError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPlaidLayer",
    "Deviation",
    "InstitutionError",
    "InvalidHeaderError",
    "InvalidInputError",
    "InvalidRequestError",
    "InvalidResultError",
    "ItemError",
    "NotGiven",
    "PlaidLayer",
    "PlaidLayerConfigError",
    "PlaidLayerError",
    "RateLimitError",
    "RawResponse",
    "RequestValidationError",
    "ResponseDecodingError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "Timeout",
    "TimeoutTypes",
    "WebhookError",
    "WebhookParseError",
    "WebhookVerificationError",
    "WebhookVerificationFailure",
    "__version__",
    "deviations",
]


def test_public_names_are_pinned() -> None:
    assert plaid_layer.__all__ == EXPECTED
    for name in EXPECTED:
        assert hasattr(plaid_layer, name), name


def test_methods_are_named_after_operation_ids() -> None:
    for name in ("session_token_create", "user_account_session_get", "webhook_verification_key_get"):
        assert callable(getattr(plaid_layer.PlaidLayer, name))
        assert callable(getattr(plaid_layer.AsyncPlaidLayer, name))


def test_docstrings_come_from_the_spec() -> None:
    doc = plaid_layer.PlaidLayer.user_account_session_get.__doc__ or ""
    assert doc.startswith("Get the identity and Items a user shared in a Layer session.")
    assert "public_token: The public token that the finished Layer session gave" in doc


def test_public_names_are_listed_by_dir() -> None:
    assert set(EXPECTED) <= set(dir(plaid_layer))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="PlaidLayr"):
        _ = plaid_layer.PlaidLayr


def test_webhook_examples_parse_through_the_discriminated_union() -> None:
    union = TypeAdapter(LayerWebhook)
    passed = union.validate_python(load_example("LAYER_AUTHENTICATION_PASSED"))
    finished = union.validate_python(load_example("SESSION_FINISHED"))
    assert isinstance(passed, LayerAuthenticationPassedWebhook)
    assert isinstance(finished, LinkSessionFinishedWebhook)
    assert finished.model_dump(mode="json", exclude_unset=True) == load_example("SESSION_FINISHED")
