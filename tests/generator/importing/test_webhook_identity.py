"""The webhook identity rule: which payload schemas state which (type, code), and their names."""

from __future__ import annotations

from typing import Any

import pytest

from generator.facts import collect_facts
from generator.spec.model import SpecModel
from generator.webhook_identity import (
    WebhookSchema,
    identity_of,
    stated_value,
    webhook_catalogue,
    webhook_key,
)
from tests.full_spec.conftest import PLAID_SPEC
from tests.support import SPEC


@pytest.mark.parametrize(
    ("prop", "value"),
    [
        ({"type": "string", "const": "LINK"}, "LINK"),
        ({"type": "string", "enum": ["LINK"]}, "LINK"),
        ({"type": "string", "description": "`IDENTITY_VERIFICATION`"}, "IDENTITY_VERIFICATION"),
        ({"type": "string", "description": '`"PROTECT"`'}, "PROTECT"),
        ({"type": "string", "description": "  `STATUS_UPDATED`\n"}, "STATUS_UPDATED"),
        ({"type": "string", "description": "`STATUS_UPDATED` or `STEP_UPDATED`"}, None),
        ({"type": "string", "description": "The webhook code, e.g. `STATUS_UPDATED`."}, None),
        ({"type": "string", "enum": ["A", "B"]}, None),
        ({"type": "string"}, None),
        ("`LINK`", None),
    ],
)
def test_a_property_states_one_value_by_const_enum_or_a_backticked_description(
    prop: Any, value: str | None
) -> None:
    assert stated_value(prop) == value


def test_the_key_joins_type_and_code_unless_the_code_starts_with_the_type() -> None:
    assert webhook_key("IDENTITY_VERIFICATION", "STATUS_UPDATED") == "IDENTITY_VERIFICATION_STATUS_UPDATED"
    assert webhook_key("LAYER", "LAYER_AUTHENTICATION_PASSED") == "LAYER_AUTHENTICATION_PASSED"
    assert webhook_key("LINK", "SESSION_FINISHED") == "LINK_SESSION_FINISHED"


def _payload(webhook_type: str, webhook_code: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "webhook_type": {"type": "string", "description": f"`{webhook_type}`"},
            "webhook_code": {"type": "string", "description": f"`{webhook_code}`"},
        },
    }


def _document(schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def test_duplicates_are_grouped_and_not_chosen() -> None:
    model = SpecModel.from_document(
        _document(
            {
                "A": _payload("TRANSACTIONS", "DEFAULT_UPDATE"),
                "B": _payload("TRANSACTIONS", "DEFAULT_UPDATE"),
                "C": _payload("IDENTITY_VERIFICATION", "STATUS_UPDATED"),
                "D": {
                    "type": "object",
                    "properties": {"webhook_code": {"type": "string", "enum": ["X", "Y"]}},
                },
            }
        )
    )
    catalogue = webhook_catalogue(model)

    assert dict(catalogue.by_identity) == {
        ("IDENTITY_VERIFICATION", "STATUS_UPDATED"): WebhookSchema(
            "IDENTITY_VERIFICATION", "STATUS_UPDATED", "C"
        )
    }
    assert [[hook.schema for hook in group] for group in catalogue.duplicates] == [["A", "B"]]
    assert identity_of(model, "D") is None


def test_our_spec_states_both_webhooks_with_const() -> None:
    catalogue = webhook_catalogue(SpecModel.load(SPEC))
    assert {hook.schema for hook in catalogue.by_identity.values()} == {
        "LayerAuthenticationPassedWebhook",
        "LinkSessionFinishedWebhook",
    }


@pytest.mark.skipif(not PLAID_SPEC.exists(), reason="Plaid's spec is not in ../shared")
def test_plaids_spec_gives_74_typed_webhooks_with_unique_builder_names_and_9_duplicates() -> None:
    facts = collect_facts(SpecModel.load(PLAID_SPEC))

    assert len(facts.webhooks) == 74
    assert len(facts.webhook_duplicates) == 9
    assert all(len(group) == 2 for group in facts.webhook_duplicates)
    names = [hook.python_name for hook in facts.webhooks]
    assert len(set(names)) == len(names)
    assert not set(names) & {op.python_name for op in facts.operations}
    by_name = {hook.name: hook for hook in facts.webhooks}
    status = by_name["IDENTITY_VERIFICATION_STATUS_UPDATED"]
    assert (status.python_name, status.model_class) == (
        "identity_verification_status_updated",
        "IdentityVerificationStatusUpdatedWebhook",
    )
    assert status.example == {
        "webhook_type": "IDENTITY_VERIFICATION",
        "webhook_code": "STATUS_UPDATED",
        "identity_verification_id": "idv_52xR9LKo77r1Np",
        "environment": "production",
    }
    untyped = {hook.schema for group in facts.webhook_duplicates for hook in group}
    assert "ProcessorDefaultUpdateWebhook" in untyped and "DefaultUpdateWebhook" in untyped
    assert not untyped & {hook.model_class for hook in facts.webhooks}
