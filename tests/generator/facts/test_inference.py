"""What a spec without our extensions gets by inference, and how the project config overrides it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build.pipeline import generate_distribution
from generator.facts import FactsError, collect_facts
from generator.project import ProjectConfig, ProjectConfigError, load_project_config
from tests.support import SPEC

BASE: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
EXTENSIONS = ("x-body-field", "x-header-value", "x-environment", "x-webhook-verification-key")


def _strip(node: Any) -> Any:
    """The spec as Plaid writes it: none of our extensions anywhere."""
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items() if k not in EXTENSIONS}
    if isinstance(node, list):
        return [_strip(item) for item in node]
    return node


def _plain(version: str = "2020-09-14_1.697.4") -> dict[str, Any]:
    spec: dict[str, Any] = _strip(copy.deepcopy(BASE))
    spec["info"]["version"] = version
    spec["servers"] = [
        {"url": "https://production.plaid.com", "description": "Production"},
        {"url": "https://sandbox.plaid.com", "description": "Sandbox"},
    ]
    return spec


def test_credentials_are_the_headers_named_after_a_body_property() -> None:
    facts = collect_facts(_plain())
    assert facts.credential_headers == {"client_id": "PLAID-CLIENT-ID", "secret": "PLAID-SECRET"}
    assert all("client_id" not in {p.json_name for p in op.params} for op in facts.operations)


def test_the_version_header_takes_the_date_of_info_version() -> None:
    assert collect_facts(_plain()).default_headers == {"Plaid-Version": "2020-09-14"}
    assert collect_facts(_plain("1.2.3_build")).default_headers == {"Plaid-Version": "1.2.3"}


def test_the_project_config_names_a_header_value() -> None:
    facts = collect_facts(_plain(), ProjectConfig(headers={"Plaid-Version": "2021-01-01"}))
    assert facts.default_headers == {"Plaid-Version": "2021-01-01"}


def test_extensions_win_over_inference_and_config() -> None:
    facts = collect_facts(BASE, ProjectConfig(headers={"Plaid-Version": "1999-01-01"}))
    assert facts.default_headers == {"Plaid-Version": "2020-09-14"}


def test_environments_come_from_server_descriptions_and_sandbox_is_the_default() -> None:
    facts = collect_facts(_plain())
    assert list(facts.environments) == ["production", "sandbox"]
    assert facts.default_environment == "sandbox"
    assert collect_facts(_plain(), ProjectConfig(default_environment="production")).default_environment == (
        "production"
    )
    with pytest.raises(
        FactsError, match=r"^project config: client.default_environment 'staging' is no server"
    ):
        collect_facts(_plain(), ProjectConfig(default_environment="staging"))


def test_the_webhook_key_operation_is_the_one_returning_a_jwk() -> None:
    key = collect_facts(_plain()).webhook_key
    assert key is not None and key.method == "webhook_verification_key_get"


def test_the_config_names_the_webhook_key_operation() -> None:
    spec = _plain()
    op = spec["paths"]["/webhook_verification_key/get"]["post"]
    op["operationId"] = "signingKeyFetch"
    key = collect_facts(spec, ProjectConfig(webhook_key_operation="signingKeyFetch")).webhook_key
    assert key is not None and key.method == "signing_key_fetch"
    with pytest.raises(FactsError, match="'nope' is no operationId"):
        collect_facts(spec, ProjectConfig(webhook_key_operation="nope"))


def test_a_header_with_no_twin_and_no_value_is_refused() -> None:
    spec = _plain()
    spec["components"]["securitySchemes"]["extra"] = {"type": "apiKey", "in": "header", "name": "X-Tenant"}
    with pytest.raises(FactsError, match="'X-Tenant' has no value"):
        collect_facts(spec)


def test_the_default_config_file_holds_todays_names() -> None:
    assert load_project_config() == ProjectConfig()


def test_a_config_file_changes_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "project.toml"
    path.write_text('[client]\nsync_class = "Acme"\nuser_agent = "acme/{version}"\n[headers]\nX-V = "1"\n')
    config = load_project_config(path)
    assert (config.sync_class, config.async_class, config.headers) == (
        "Acme",
        "AsyncPlaidLayer",
        {"X-V": "1"},
    )
    assert config.user_agent_for("1.0") == "acme/1.0"
    path.write_text('[client]\nsync_class = "not a name"\n')
    with pytest.raises(ProjectConfigError, match="sync_class"):
        load_project_config(path)


def test_an_enum_with_a_float_is_typed_by_its_value_types() -> None:
    spec = copy.deepcopy(BASE)
    spec["components"]["schemas"]["SessionTokenCreateRequest"]["properties"]["probe"] = {
        "enum": [4.1, 4, "3_lite"]
    }
    op = collect_facts(spec).operation("session_token_create")
    assert next(p.annotation for p in op.params if p.json_name == "probe") == "float | int | str"


def test_the_generated_client_takes_its_names_from_the_config(tmp_path: Path) -> None:
    config = ProjectConfig(
        sync_class="Acme",
        async_class="AsyncAcme",
        client_id_env="ACME_ID",
        secret_env="ACME_KEY",
        user_agent="acme/{version}",
        default_environment="production",
    )
    generate_distribution(SPEC, tmp_path / "dist", config)
    client = (tmp_path / "dist" / "plaid_layer" / "client.py").read_text(encoding="utf-8")
    for text in (
        "class Acme(",
        "class AsyncAcme(",
        '"ACME_ID"',
        '"ACME_KEY"',
        '"acme/',
        'environment: Environment = "production"',
    ):
        assert text in client, text
    assert "PlaidLayer" not in client and "PLAID_CLIENT_ID" not in client
    init = (tmp_path / "dist" / "plaid_layer" / "__init__.py").read_text(encoding="utf-8")
    assert '"Acme": ".client"' in init and "PlaidLayer" not in init.replace("PlaidLayerError", "").replace(
        "PlaidLayerConfigError", ""
    )


def test_the_error_types_are_those_the_error_model_names() -> None:
    spec = copy.deepcopy(BASE)
    known = spec["components"]["schemas"]["PlaidErrorType"]["anyOf"][0]["enum"]
    assert collect_facts(spec).error_types == tuple(sorted(known))
    known.append("NEW_ERROR")
    assert "NEW_ERROR" in collect_facts(spec).error_types
    del spec["components"]["schemas"]["PlaidError"]["properties"]["error_type"]
    assert collect_facts(spec).error_types == ()
