"""Which resource module each operation's methods go to: by tag, or by path when one tag holds all."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest
import yaml

from generator.build.resources import module_name, resources
from generator.facts import collect_facts
from tests.support import SPEC

BASE: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
SESSION = ("/session/token/create", "post")
SHARED = ("/user_account/session/get", "post")
KEY = ("/webhook_verification_key/get", "post")


def _tagged(tags: dict[tuple[str, str], list[str]]) -> dict[str, Any]:
    """The Layer spec with the tags of some operations replaced (an empty list drops them)."""
    spec = copy.deepcopy(BASE)
    for (path, method), new in tags.items():
        operation = spec["paths"][path][method]
        operation.pop("tags", None)
        if new:
            operation["tags"] = new
    return spec


def _layout(spec: dict[str, Any]) -> dict[str, list[str]]:
    return {r.module: [op.python_name for op in r.operations] for r in resources(collect_facts(spec))}


def test_the_layer_spec_has_one_module_per_tag() -> None:
    found = resources(collect_facts(BASE))
    assert [(r.module, r.sync_class, r.async_class) for r in found] == [
        ("layer", "LayerMethods", "AsyncLayerMethods"),
        ("webhooks", "WebhooksMethods", "AsyncWebhooksMethods"),
    ]
    assert [op.python_name for op in found[0].operations] == [
        "session_token_create",
        "user_account_session_get",
    ]
    assert found[0].about == "tagged `layer`"
    assert found[0].model_imports == (
        "SessionTokenCreateRequestUser",
        "SessionTokenCreateResponse",
        "UserAccountSessionGetResponse",
    )
    assert found[0].type_imports == ("SessionTokenCreateRequestUserParam",)
    assert found[1].type_imports == ()


def test_the_first_tag_decides_and_untagged_operations_go_to_default() -> None:
    spec = _tagged({SESSION: ["webhooks", "layer"], SHARED: [], KEY: ["webhooks"]})
    assert _layout(spec) == {
        "default": ["user_account_session_get"],
        "webhooks": ["session_token_create", "webhook_verification_key_get"],
    }
    assert resources(collect_facts(spec))[0].about == "without a tag"


def test_tags_that_make_the_same_module_name_are_numbered_in_the_order_of_the_tags() -> None:
    spec = _tagged({SESSION: ["link_token"], SHARED: ["Link Token"], KEY: ["link-token"]})
    # Sorted, the tags are "Link Token", "link-token", "link_token".
    assert _layout(spec) == {
        "link_token": ["user_account_session_get"],
        "link_token_2": ["webhook_verification_key_get"],
        "link_token_3": ["session_token_create"],
    }


def test_a_tag_named_default_does_not_merge_with_the_untagged_operations() -> None:
    assert _layout(_tagged({SESSION: ["default"], SHARED: [], KEY: []})) == {
        "default": ["user_account_session_get", "webhook_verification_key_get"],
        "default_2": ["session_token_create"],
    }


@pytest.mark.parametrize(
    ("label", "module"),
    [
        ("Link Token", "link_token"),
        ("assetReport", "asset_report"),
        ("class", "class_"),
        ("match", "match_"),
        ("type", "type_"),
        ("id", "id"),
        ("2fa", "tag_2fa"),
        ("***", "default"),
    ],
)
def test_module_names_are_identifiers_that_shadow_nothing(label: str, module: str) -> None:
    assert module_name(label) == module


def test_one_tag_for_every_operation_groups_by_the_first_path_segment() -> None:
    spec = _tagged({SESSION: ["plaid"], SHARED: ["plaid"], KEY: ["plaid"]})
    found = resources(collect_facts(spec))
    assert {r.module: [op.python_name for op in r.operations] for r in found} == {
        "session": ["session_token_create"],
        "user_account": ["user_account_session_get"],
        "webhook_verification_key": ["webhook_verification_key_get"],
    }
    assert found[0].about == "under `/session/`"


def test_the_layout_does_not_depend_on_the_order_of_the_paths() -> None:
    spec = _tagged({SESSION: ["Link Token"], SHARED: ["link_token"], KEY: []})
    reordered = copy.deepcopy(spec)
    reordered["paths"] = dict(reversed(list(spec["paths"].items())))
    assert _layout(reordered) == _layout(spec)


def test_a_class_name_a_model_already_has_gets_a_number() -> None:
    facts = collect_facts(BASE)
    facts = dataclasses.replace(facts, model_classes=(*facts.model_classes, "LayerMethods"))
    layer = resources(facts)[0]
    assert (layer.sync_class, layer.async_class) == ("LayerMethods_2", "AsyncLayerMethods_2")
