"""The project config: the generated distribution's names, and what a spec without our extensions needs.

`generator/config/project.toml` holds today's values; `--config FILE` reads another file with the
same tables. Every option has a default here, so a config file only names what it changes.
"""

from __future__ import annotations

import keyword
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.paths import CONFIG

__all__ = ["DEFAULT_CONFIG", "ProjectConfig", "ProjectConfigError", "load_project_config"]

DEFAULT_CONFIG = CONFIG / "project.toml"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# PEP 508: letters, digits, `.`, `_` and `-`, beginning and ending with a letter or digit.
_DISTRIBUTION = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?\Z")
# What the generated package imports at run time (and in its testing kit): a package of the same
# name would shadow it.
_DEPENDENCIES = frozenset(
    {"httpx", "httpcore", "pydantic", "pydantic_core", "jwt", "cryptography", "respx", "pytest"}
)


class ProjectConfigError(Exception):
    """The config file is unreadable or names an option with a value of the wrong kind."""


@dataclass(frozen=True)
class ProjectConfig:
    """Options of the generated client that the spec does not say."""

    package: str = "plaid_layer"
    """The import name of the generated package (`import plaid_layer`)."""
    distribution: str = "plaid-layer"
    """The distribution name (`pip install plaid-layer`)."""
    sync_class: str = "PlaidLayer"
    async_class: str = "AsyncPlaidLayer"
    client_id_env: str = "PLAID_CLIENT_ID"
    secret_env: str = "PLAID_SECRET"
    user_agent: str = "{distribution}-python/{version}"
    """`{distribution}` becomes the distribution name, `{version}` the package version."""
    default_environment: str = "sandbox"
    """Used when the spec has a server of that name; otherwise its first server is the default."""
    headers: dict[str, str] = field(default_factory=dict)
    """Fixed header values by header name; they win over `info.version` inference."""
    webhook_key_operation: str | None = None
    """The operationId of the webhook key operation, when neither the extension nor the JWK rule finds it."""

    def user_agent_for(self, version: str) -> str:
        """The `User-Agent` the client sends, for a package version."""
        return self.user_agent.replace("{distribution}", self.distribution).replace("{version}", version)

    @property
    def pytest_plugin(self) -> str:
        """The module of the generated pytest plugin, beside the package (`_plaid_layer_pytest`)."""
        return f"_{self.package}_pytest"


def _string(table: dict[str, Any], key: str, default: str, pattern: re.Pattern[str] | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or (pattern is not None and not pattern.match(value)):
        raise ProjectConfigError(
            f"project config: {key} must be a {'name' if pattern else 'string'}, not {value!r}"
        )
    return value


def _package_name(table: dict[str, Any], default: str) -> str:
    value = table.get("name", default)
    if not isinstance(value, str) or not _IDENTIFIER.match(value) or keyword.iskeyword(value):
        raise ProjectConfigError(f"project config: package.name must be a Python identifier, not {value!r}")
    if value in sys.stdlib_module_names or value in _DEPENDENCIES:
        raise ProjectConfigError(
            f"project config: package.name {value!r} would shadow the module of that name; choose another"
        )
    return value


def _distribution_name(table: dict[str, Any], default: str) -> str:
    value = table.get("distribution", default)
    if not isinstance(value, str) or not _DISTRIBUTION.match(value):
        raise ProjectConfigError(
            "project config: package.distribution must be a distribution name (PEP 508: letters, "
            f"digits, '.', '_' and '-', starting and ending with a letter or digit), not {value!r}"
        )
    return value


def load_project_config(path: Path | None = None) -> ProjectConfig:
    """Read a project config file (by default `generator/config/project.toml`)."""
    source = path or DEFAULT_CONFIG
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProjectConfigError(f"project config {source}: {exc}") from exc
    base = ProjectConfig()
    package = data.get("package") or {}
    client = data.get("client") or {}
    headers = data.get("headers") or {}
    webhooks = data.get("webhooks") or {}
    if not all(isinstance(t, dict) for t in (package, client, headers, webhooks)):
        raise ProjectConfigError(
            f"project config {source}: package, client, headers and webhooks must be tables"
        )
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
        raise ProjectConfigError(f"project config {source}: [headers] values must be strings")
    key_operation = webhooks.get("key_operation")
    if key_operation is not None and not isinstance(key_operation, str):
        raise ProjectConfigError(f"project config {source}: webhooks.key_operation must be a string")
    return ProjectConfig(
        package=_package_name(package, base.package),
        distribution=_distribution_name(package, base.distribution),
        sync_class=_string(client, "sync_class", base.sync_class, _IDENTIFIER),
        async_class=_string(client, "async_class", base.async_class, _IDENTIFIER),
        client_id_env=_string(client, "client_id_env", base.client_id_env, _ENV_NAME),
        secret_env=_string(client, "secret_env", base.secret_env, _ENV_NAME),
        user_agent=_string(client, "user_agent", base.user_agent),
        default_environment=_string(client, "default_environment", base.default_environment),
        headers=dict(headers),
        webhook_key_operation=key_operation,
    )
