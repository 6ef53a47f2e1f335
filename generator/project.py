"""The project config: the generated distribution's names, and what a spec without our extensions needs.

A project's config folder (`generator/config/` in this checkout; see `generator/paths.py`) holds
its `project.toml`; `--config FILE` reads another file with the same tables. Every option has a
default here, so a config file only names what it changes.
"""

from __future__ import annotations

import functools
import keyword
import re
import sys
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.paths import CONFIG, RELEASE, TEMPLATES, config_file

__all__ = ["ProjectConfig", "ProjectConfigError", "load_project_config"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# PEP 508: letters, digits, `.`, `_` and `-`, beginning and ending with a letter or digit.
_DISTRIBUTION = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?\Z")
# What a user-agent may hold: visible ASCII with inner spaces, as an HTTP header value must.
_HEADER_VALUE = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?\Z")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
_PACKAGE_TEMPLATE = TEMPLATES / "package" / "pyproject.toml.jinja"
_PACKAGE_INIT_TEMPLATE = TEMPLATES / "openapi-python-client" / "package_init.py.jinja"
_HOSTS = ("pip", "pytest")
"""What runs the package without being a requirement of it: the installer the generated README
uses, and the test runner that loads its plugin (the `pytest11` entry point)."""

# Every table and key a config file may hold; anything else is a typo, refused by name.
_KNOWN_KEYS: dict[str, frozenset[str] | None] = {
    "package": frozenset({"name", "distribution"}),
    "client": frozenset(
        {"sync_class", "async_class", "client_id_env", "secret_env", "user_agent", "default_environment"}
    ),
    "headers": None,  # header names, each checked as one
    "webhooks": frozenset({"key_operation"}),
}


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
    default_environment: str | None = None
    """The spec's server (by `x-environment` name) a client uses by default. Unset: `sandbox` when
    the spec has a server of that name, else its first server; set, it must name one of them."""
    headers: dict[str, str] = field(default_factory=dict)
    """Fixed header values by header name; they win over `info.version` inference."""
    webhook_key_operation: str | None = None
    """The operationId of the webhook key operation, when neither the extension nor the JWK rule finds it."""
    config_dir: Path = field(default=CONFIG, compare=False, repr=False)
    """The project's config folder: where its release record and the generators' options are read
    (each from the installed generator's while the project has none) and `release` writes. Not an
    option of the client: two checkouts of one project generate the same tree."""

    def config_file(self, name: str) -> Path:
        """The config file `name` of the project (`openapi-python-client.yaml`), else the installed one."""
        return config_file(self.config_dir, name)

    @property
    def release_file(self) -> Path:
        """Where `release` records a version: always in the project's own config folder."""
        return self.config_dir / RELEASE

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


def _requirement_name(requirement: str) -> tuple[str, set[str]]:
    """The distribution a PEP 508 requirement names, and the extras it asks for."""
    found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?", requirement)
    if found is None:
        raise ProjectConfigError(f"not a requirement: {requirement!r}")
    extras = {extra.strip() for extra in (found.group(2) or "").split(",") if extra.strip()}
    return found.group(1), extras


def _wanted(requirement: str, extras: set[str]) -> bool:
    """Whether a dependency of a distribution applies: its `extra == ...` marker, if any, is asked for."""
    _, _, marker = requirement.partition(";")
    named = re.findall(r"extra\s*==\s*['\"]([^'\"]+)['\"]", marker)
    return not named or any(extra in extras for extra in named)


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _package_requirements() -> list[str]:
    """The generated package's requirements: to build it, to run it and its extras, and its hosts."""
    text = _PACKAGE_TEMPLATE.read_text(encoding="utf-8")
    # The template is TOML once its Jinja expressions and statements are blanked out.
    plain = tomllib.loads(re.sub(r"\{%.*?%\}", "", re.sub(r"\{\{.*?\}\}", '"x"', text)))
    project = plain.get("project", {})
    requirements = [*plain.get("build-system", {}).get("requires", []), *project.get("dependencies", [])]
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    return [*requirements, *_HOSTS]


@functools.cache
def dependency_modules() -> frozenset[str]:
    """The top-level modules of every distribution the generated package needs, however indirectly.

    The closure is walked through the installed distributions' metadata (`importlib.metadata`);
    a distribution that is not installed here counts by its own name. Only the closure's own
    distributions are read, not every installed one (that would cost most of a quick `check`).
    """
    modules: set[str] = set()
    seen: set[tuple[str, frozenset[str]]] = set()
    pending = [_requirement_name(requirement) for requirement in _package_requirements()]
    while pending:
        name, extras = pending.pop()
        key = (_normalized(name), frozenset(extras))
        if key in seen:
            continue
        seen.add(key)
        modules.add(name.replace("-", "_").replace(".", "_"))
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        modules.update(_top_level_modules(distribution))
        requires = distribution.requires or []
        pending.extend(_requirement_name(item) for item in requires if _wanted(item, extras))
    return frozenset(module for module in modules if _IDENTIFIER.match(module))


def _top_level_modules(distribution: metadata.Distribution) -> set[str]:
    """What `distribution` installs at the top level, as `importlib.metadata.packages_distributions`
    reads it: its `top_level.txt`, else the first part of each Python file it lists."""
    declared = (distribution.read_text("top_level.txt") or "").split()
    if declared:
        return set(declared)
    return {
        file.parts[0] if len(file.parts) > 1 else file.with_suffix("").name
        for file in distribution.files or ()
        if file.suffix == ".py"
    }


@functools.cache
def package_exports() -> frozenset[str]:
    """The names the generated package exports besides its two clients (`PlaidLayerError`, ...)."""
    text = _PACKAGE_INIT_TEMPLATE.read_text(encoding="utf-8")
    listed = text[text.index("__all__ = [") :]
    return frozenset(re.findall(r'^\s*"([A-Za-z_][A-Za-z0-9_]*)",$', listed, flags=re.MULTILINE))


def _package_name(table: dict[str, Any], default: str) -> str:
    value = table.get("name", default)
    if not isinstance(value, str) or not _IDENTIFIER.match(value) or keyword.iskeyword(value):
        raise ProjectConfigError(f"project config: package.name must be a Python identifier, not {value!r}")
    if value in sys.stdlib_module_names:
        raise ProjectConfigError(
            f"project config: package.name {value!r} would shadow the module of that name; choose another"
        )
    if value in dependency_modules() or value.lower() in {m.lower() for m in dependency_modules()}:
        raise ProjectConfigError(
            f"project config: package.name {value!r} is the name of a module the generated package "
            "depends on (its wheel would overwrite it); choose another"
        )
    return value


def _class_names(client: dict[str, Any], base: ProjectConfig) -> tuple[str, str]:
    sync_class = _string(client, "sync_class", base.sync_class, _IDENTIFIER)
    async_class = _string(client, "async_class", base.async_class, _IDENTIFIER)
    if sync_class == async_class:
        raise ProjectConfigError(
            f"project config: client.async_class must differ from client.sync_class (both {sync_class!r})"
        )
    for key, name in (("sync_class", sync_class), ("async_class", async_class)):
        if name in package_exports() or keyword.iskeyword(name):
            raise ProjectConfigError(
                f"project config: client.{key} {name!r} is already a name the package exports; choose another"
            )
    return sync_class, async_class


def _user_agent(client: dict[str, Any], default: str) -> str:
    value = _string(client, "user_agent", default)
    if not _HEADER_VALUE.match(value):
        raise ProjectConfigError(
            "project config: client.user_agent must be printable ASCII (no CR, LF, tab or other control "
            f"characters, no non-ASCII letters), not starting or ending with a space: {value!r}"
        )
    return value


def _default_environment(client: dict[str, Any]) -> str | None:
    value = client.get("default_environment")
    if value is not None and (not isinstance(value, str) or not _IDENTIFIER.match(value)):
        raise ProjectConfigError(
            f"project config: client.default_environment must be a server's name, not {value!r}"
        )
    return value


def _check_known(data: dict[str, Any], source: Path) -> None:
    """Refuse a table or key the config does not have, by name (`[pakage]`, `client.nmae`)."""
    for table, content in data.items():
        if table not in _KNOWN_KEYS:
            known = ", ".join(f"[{name}]" for name in _KNOWN_KEYS)
            raise ProjectConfigError(f"project config {source}: unknown table [{table}]; expected {known}")
        if not isinstance(content, dict):
            raise ProjectConfigError(f"project config {source}: {table} must be a table")
        keys = _KNOWN_KEYS[table]
        for key in content:
            if keys is not None and key not in keys:
                expected = ", ".join(sorted(keys))
                raise ProjectConfigError(
                    f"project config {source}: unknown key {table}.{key}; expected one of: {expected}"
                )


def _distribution_name(table: dict[str, Any], default: str) -> str:
    value = table.get("distribution", default)
    if not isinstance(value, str) or not _DISTRIBUTION.match(value):
        raise ProjectConfigError(
            "project config: package.distribution must be a distribution name (PEP 508: letters, "
            f"digits, '.', '_' and '-', starting and ending with a letter or digit), not {value!r}"
        )
    return value


def load_project_config(path: Path | None = None, config_dir: Path = CONFIG) -> ProjectConfig:
    """Read a project config file: `path`, else the `project.toml` of `config_dir` (or the installed one)."""
    source = path or config_file(config_dir, "project.toml")
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProjectConfigError(f"project config {source}: {exc}") from exc
    _check_known(data, source)
    base = ProjectConfig()
    package = data.get("package") or {}
    client = data.get("client") or {}
    headers = data.get("headers") or {}
    webhooks = data.get("webhooks") or {}
    for name, value in headers.items():
        if not _HEADER_NAME.match(name) or not isinstance(value, str) or not _HEADER_VALUE.match(value):
            raise ProjectConfigError(
                f"project config {source}: headers.{name} must be a header name with a printable ASCII "
                "string value"
            )
    key_operation = webhooks.get("key_operation")
    if key_operation is not None and (not isinstance(key_operation, str) or not key_operation.strip()):
        raise ProjectConfigError(f"project config {source}: webhooks.key_operation must be an operationId")
    sync_class, async_class = _class_names(client, base)
    return ProjectConfig(
        package=_package_name(package, base.package),
        distribution=_distribution_name(package, base.distribution),
        sync_class=sync_class,
        async_class=async_class,
        client_id_env=_string(client, "client_id_env", base.client_id_env, _ENV_NAME),
        secret_env=_string(client, "secret_env", base.secret_env, _ENV_NAME),
        user_agent=_user_agent(client, base.user_agent),
        default_environment=_default_environment(client),
        headers=dict(headers),
        webhook_key_operation=key_operation,
        config_dir=config_dir,
    )
