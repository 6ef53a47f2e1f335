"""The client's settings from the spec: servers (environments), fixed and credential headers, error types.

The credential rule lives here once: `generate` (through `collect_facts`) and `docs-check` (through
`credential_fields`) read the same body fields as credentials.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from generator.facts.contract import OperationFacts
from generator.facts.errors import FactsError, facts_error
from generator.facts.names import is_identifier, snake_case
from generator.facts.operations import JSON_MEDIA_TYPE
from generator.project import ProjectConfig
from generator.spec.extensions import (
    BODY_FIELD,
    ENVIRONMENT,
    HEADER_VALUE,
)
from generator.spec.model import (
    SpecModel,
    SpecModelError,
    media_types,
)


def server_environments(model: SpecModel) -> dict[str, str]:
    """The spec's servers by environment name (`x-environment`, else the lowercased description)."""
    environments = {}
    for server in model.document.get("servers") or []:
        name = server.get(ENVIRONMENT) or str(server.get("description", "")).lower()
        if name:
            if not is_identifier(name) and not re.fullmatch(r"[a-z0-9_-]+", name):
                raise facts_error(f"server environment name {name!r} is not a plain name", ("servers",))
            environments[name] = str(server["url"]).rstrip("/")
    if not environments:
        raise FactsError("the spec needs at least one server with `x-environment` (or a description)")
    return environments


def default_environment(environments: Mapping[str, str], configured: str | None) -> str:
    """The configured server name, which must be one of the spec's; unset, `sandbox` or the first."""
    if configured is None:
        return "sandbox" if "sandbox" in environments else next(iter(environments))
    if configured not in environments:
        known = ", ".join(environments)
        raise FactsError(
            f"project config: client.default_environment {configured!r} is no server of the spec; "
            f"expected one of: {known}"
        )
    return configured


def credential_fields(model: SpecModel, project: ProjectConfig) -> frozenset[str]:
    """The request-body fields that carry a credential, which the client sends in a header instead.

    The same rule `generate` applies: a scheme's `x-body-field`, or the body property a credential
    header is named after. Raises `FactsError` for an apiKey header with no value, as `generate` does.
    """
    version = str((model.document.get("info") or {}).get("version", ""))
    try:
        return frozenset(headers(model, project, version)[1])
    except SpecModelError as exc:
        raise FactsError(str(exc)) from exc


def _request_properties(model: SpecModel) -> tuple[int, dict[str, int]]:
    """How many operations have a JSON request body, and in how many of them each property occurs."""
    bodies = 0
    counts: dict[str, int] = {}
    for ref in model.operations():
        if "requestBody" not in ref.operation:
            continue
        pointer = (*ref.pointer, "requestBody")
        media = media_types(model.resolve(ref.operation["requestBody"], pointer)).get(JSON_MEDIA_TYPE)
        if not isinstance(media, dict) or "schema" not in media:
            continue
        schema = model.merge_all_of(model.resolve(media["schema"], pointer), pointer)
        bodies += 1
        for name in schema.get("properties") or {}:
            counts[name] = counts.get(name, 0) + 1
    return bodies, counts


def _body_twin(header: str, bodies: int, counts: dict[str, int]) -> str | None:
    """The request-body property a credential header stands for (`PLAID-CLIENT-ID` -> `client_id`).

    The header's snake-case name must end with the property's name, and the property must occur in
    most request bodies, as credentials do; of several candidates the longest wins.
    """
    snake = snake_case(header)
    candidates = [
        name
        for name, count in counts.items()
        if (snake == name or snake.endswith("_" + name)) and 2 * count > bodies
    ]
    return max(candidates, key=len) if candidates else None


def _version_value(version: str) -> str:
    """The API version a version header pins, from `info.version` (`2020-09-14_1.697.4` -> `2020-09-14`)."""
    date = re.match(r"\d{4}-\d{2}-\d{2}", version)
    return date.group(0) if date else version.split("_", 1)[0]


def headers(model: SpecModel, project: ProjectConfig, version: str) -> tuple[dict[str, str], dict[str, str]]:
    """The fixed headers and the credential headers (body field -> header) of the spec's apiKey schemes.

    The extensions `x-header-value` and `x-body-field` win; otherwise a header is a credential when
    a body property stands for it, else a fixed header valued by the project config or, for a
    version header, by `info.version`.
    """
    security = model.security_schemes()
    bodies: int = -1
    counts: dict[str, int] = {}
    default_headers: dict[str, str] = {}
    credential_headers: dict[str, str] = {}
    for key, scheme in security.items():
        if scheme.get("type") != "apiKey" or scheme.get("in") != "header":
            continue
        header = str(scheme["name"])
        if HEADER_VALUE in scheme:
            default_headers[header] = str(scheme[HEADER_VALUE])
            continue
        if BODY_FIELD in scheme:
            credential_headers[str(scheme[BODY_FIELD])] = header
            continue
        if header in project.headers:
            default_headers[header] = project.headers[header]
            continue
        if bodies < 0:
            bodies, counts = _request_properties(model)
        twin = _body_twin(header, bodies, counts)
        if twin is not None:
            credential_headers[twin] = header
        elif "version" in header.lower() and version:
            default_headers[header] = _version_value(version)
        else:
            raise facts_error(
                f"apiKey header {header!r} has no value: give it x-header-value or x-body-field,"
                " or its value under [headers] in the project config",
                ("components", "securitySchemes", key),
            )
    return default_headers, credential_headers


def error_types(model: SpecModel, operations: list[OperationFacts]) -> tuple[str, ...]:
    """The `error_type` values named by the error models of `operations` (their `default` responses)."""
    found: set[str] = set()
    for name in sorted({op.error_class for op in operations if op.error_class}):
        schema = model.schemas.get(name)
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if isinstance(properties, dict) and "error_type" in properties:
            where = ("components", "schemas", name, "properties", "error_type")
            found.update(model.known_strings(properties["error_type"], where))
    return tuple(sorted(found))
