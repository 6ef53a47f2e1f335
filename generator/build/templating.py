"""The one Jinja environment for our own templates, and what they see of the build as `layer`.

All our templates live under `templates/` and load through one loader: the packaging, webhook and
testing-kit templates (`package/`) and the models index (`models/`). openapi-python-client renders
`openapi-python-client/` with its own environment (upstream's), to which `client_driver` adds the
same escaping filters and the same `layer` context.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any

import jinja2

from generator.build.escaping import ESCAPING_FILTERS
from generator.build.history import current_version
from generator.build.resources import resources
from generator.errors import GenerationError, ReleaseError
from generator.facts import OperationFacts, SpecFacts
from generator.paths import RELEASE, TEMPLATES
from generator.project import ProjectConfig


@functools.cache
def environment() -> jinja2.Environment:
    """The environment every one of our templates renders in (templates by their path in `templates/`)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = repr
    env.filters.update(ESCAPING_FILTERS)
    env.filters["json"] = lambda value: json.dumps(value, indent=4, sort_keys=False)
    return env


def render(name: str, **context: Any) -> str:
    """Render the template `name` (its path inside `templates/`, with `/`); a failure names it."""
    try:
        return environment().get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        raise GenerationError(f"template {name.split('/', 1)[-1]}: {exc}") from exc


def package_version(project: ProjectConfig) -> str:
    """The version of the generated distribution: the newest release in the project's `release.toml`."""
    try:
        return current_version(project.config_file(RELEASE))
    except ReleaseError as exc:
        raise GenerationError(str(exc)) from exc


def _template(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def _untrusted(value: Any) -> str:
    getter = getattr(value, "get_untrusted_value", None)
    return str(getter() if getter else value)


class TemplateContext:
    """What our templates see as `layer`: the facts, plus lookups from opc's objects to them."""

    def __init__(self, facts: SpecFacts, package_version: str) -> None:
        self.facts = facts
        self.package_version = package_version
        self.resources = resources(facts)

    def operation_for(self, endpoint: Any) -> OperationFacts:
        """The facts of the operation opc calls `endpoint`."""
        # openapi-python-client renames path parameters (`{consentId}` -> `{consent_id}`), so paths
        # are compared with the names left out; OpenAPI forbids two paths that differ only there.
        method, path = _untrusted(endpoint.method).lower(), _template(_untrusted(endpoint.path))
        for operation in self.facts.operations:
            if operation.method == method and _template(operation.path) == path:
                return operation
        raise GenerationError(f"openapi-python-client produced an unknown operation {method} {path}")

    def operation_modules(self, collections_by_tag: Mapping[str, Any]) -> dict[str, str]:
        """operationId -> its module below `api/` as opc lays them out (`layer.session_token_create`)."""
        return {
            operation.operation_id: f"{tag}.{operation.python_name}"
            for tag, collection in sorted(collections_by_tag.items())
            for operation in map(self.operation_for, collection.endpoints)
        }
