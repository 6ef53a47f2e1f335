"""The checks that make a document fit to be diffed, and the structural problems it is compared despite.

What cannot be read or resolved is refused, since it would turn into a false verdict: a dangling
`$ref` would read as a removed schema, a `type: int` as a type change. Each refusal is a
`SpecError` naming the file and the JSON pointer. A document that reads and resolves but breaks a
structural rule of OpenAPI (an operation without `responses`, a path template naming an undeclared
parameter, a security requirement naming an undefined scheme, no `info.title`) is still compared:
each such rule gives a `SpecProblem` with its JSON pointer, which every report lists (and
`diff --strict` turns into exit 2). The full OpenAPI validator is not run (it takes longer than the
whole diff on the Plaid spec).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from generator.spec.keywords import DATA_KEYS, SCHEMA_LISTS, SCHEMA_MAPS, SINGLE_SCHEMA
from generator.spec.loader import SpecError, pointer
from generator.spec.model import HTTP_METHODS, SpecModel, SpecModelError, parse_pointer

JSON_TYPES = frozenset({"null", "boolean", "object", "array", "number", "string", "integer"})
PARAMETER_LOCATIONS = frozenset({"path", "query", "header", "cookie"})
_TEMPLATE = re.compile(r"\{([^}]*)\}")
_SECURITY_SCHEMES = ("components", "securitySchemes")
_EXAMPLE_COMPONENTS = ("components", "examples")
# Objects whose keys are names chosen by the author, so a key such as `type` is not a keyword.
_NAME_MAPS = frozenset(
    {
        *SCHEMA_MAPS,
        "dependentRequired",
        "schemas",
        "securitySchemes",
        "parameters",
        "responses",
        "headers",
        "requestBodies",
        "links",
        "callbacks",
        "content",
        "encoding",
        "variables",
        "mapping",
        "paths",
        "webhooks",
        "pathItems",
        "scopes",
    }
)
_SCHEMA = (dict, bool)
# Keywords and the kind of value each must hold; anything else would be read as something it is not.
_KEYWORD_KINDS: tuple[tuple[str, type | tuple[type, ...], str], ...] = (
    *((key, dict, "a mapping") for key in (*SCHEMA_MAPS, "dependentRequired")),
    *((key, list, "a list of schemas") for key in SCHEMA_LISTS),
    ("enum", list, "a list"),
    *((key, _SCHEMA, "a schema") for key in SINGLE_SCHEMA),
    ("description", str, "a string"),
    ("summary", str, "a string"),
    ("format", str, "a string"),
    ("pattern", str, "a string"),
)

Path = tuple[str, ...]


class SpecProblem(NamedTuple):
    """A structural rule of OpenAPI the document breaks, where (a JSON pointer) and how."""

    pointer: str
    message: str


Problems = list[SpecProblem]


def validate_document(document: Mapping[str, Any], source: str) -> list[SpecProblem]:
    """Raise `SpecError` for the first problem that would make the diff's verdict wrong; return the
    structural problems the document is compared despite, in document order."""
    problems: Problems = []
    _check_top_level(document, source, problems)
    _check_nodes(document, source)
    _check_security(document, source, ("security",), document.get("security"), problems)
    for section in ("paths", "webhooks"):
        for name, item in (document.get(section) or {}).items():
            if not str(name).startswith("x-"):
                at = (section, str(name))
                _check_path_item(document, source, at, item, problems, templated=section == "paths")
    return problems


def _problem(problems: Problems, path: Path, message: str) -> None:
    problems.append(SpecProblem(pointer(path), message))


def _fail(source: str, path: Path, problem: str) -> SpecError:
    return SpecError(f"{source}: {problem} at {pointer(path)}")


def _check_top_level(document: Mapping[str, Any], source: str, problems: Problems) -> None:
    version = document.get("openapi")
    if version is None:
        found = f" (found swagger: {document['swagger']})" if "swagger" in document else ""
        raise SpecError(f"{source}: not an OpenAPI 3.0/3.1 document: no top-level 'openapi' key{found}")
    if not str(version).startswith(("3.0", "3.1")):
        raise SpecError(f"{source}: unsupported OpenAPI version {version!r}; expected 3.0.x or 3.1.x")
    if "paths" not in document and "webhooks" not in document and "components" not in document:
        raise SpecError(f"{source}: an OpenAPI document needs 'paths', 'webhooks' or 'components'")
    for key in ("paths", "webhooks", "components"):
        if document.get(key) is not None and not isinstance(document[key], dict):
            raise SpecError(f"{source}: '{key}' must be a mapping, got {type(document[key]).__name__}")
    for section, members in (document.get("components") or {}).items():
        if not isinstance(members, dict) and not str(section).startswith("x-"):
            raise _fail(source, ("components", str(section)), "a components section must be a mapping")
    for key in ("paths", "webhooks"):
        for name, item in (document.get(key) or {}).items():
            if str(name).startswith("x-"):
                continue  # an extension, not a path or webhook
            if not isinstance(item, dict):
                raise _fail(source, (key, str(name)), f"{key} entry {name!r} must be a mapping")
            if key == "paths" and not str(name).startswith("/"):
                _problem(problems, (key, str(name)), f"path {name!r} must start with '/'")
    info = document.get("info")
    if not isinstance(info, dict) or not isinstance(info.get("title"), str) or "version" not in info:
        _problem(problems, ("info",), "'info' must be a mapping with a 'title' and a 'version'")


def _structure(node: Any, path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every mapping of the document that is structure, not data, with its path (iteratively)."""
    stack: list[tuple[Any, Path]] = [(node, path)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, dict):
            if where[:2] == _EXAMPLE_COMPONENTS:  # Example Objects: their `value` is data
                continue
            yield where, current
            for key, child in current.items():
                text = str(key)
                if isinstance(child, dict | list) and text not in DATA_KEYS and not text.startswith("x-"):
                    stack.append((child, (*where, text)))
        elif isinstance(current, list):
            stack.extend((child, (*where, str(index))) for index, child in enumerate(current))


def _check_nodes(document: Mapping[str, Any], source: str) -> None:
    """Every `$ref` resolves without a cycle; schema keywords hold values of their kind."""
    for where, node in _structure(document, ()):
        if where[-1:] and where[-1] in _NAME_MAPS:
            continue  # its keys are names (a property called `type`), not keywords
        ref = node.get("$ref")
        if isinstance(ref, str):
            _follow(document, source, where, ref)
        elif ref is not None:
            raise _fail(source, (*where, "$ref"), "'$ref' must be a string")
        if where[:2] != _SECURITY_SCHEMES:
            _check_keywords(source, where, node)


def _check_keywords(source: str, where: Path, node: Mapping[str, Any]) -> None:
    raw_type = node.get("type")
    if raw_type is not None:
        names = raw_type if isinstance(raw_type, list) else [raw_type]
        bad = [name for name in names if not isinstance(name, str) or name not in JSON_TYPES]
        if bad:
            message = f"invalid type {bad[0]!r} (expected one of {sorted(JSON_TYPES)})"
            raise _fail(source, (*where, "type"), message)
    required = node.get("required")
    # A boolean `required` belongs to a parameter, header or request body; a schema lists names.
    if not (required is None or isinstance(required, bool)) and (
        not isinstance(required, list) or not all(isinstance(name, str) for name in required)
    ):
        raise _fail(source, (*where, "required"), "'required' must be a list of property names")
    for key, kinds, what in _KEYWORD_KINDS:
        if key in node and not isinstance(node[key], kinds):
            raise _fail(source, (*where, key), f"'{key}' must be {what}")


def _follow(document: Mapping[str, Any], source: str, where: Path, ref: str) -> None:
    """Resolve `ref` and the chain of pure `$ref`s it leads to; refuse a dangling one or a cycle."""
    seen = [ref]
    while ref.startswith("#"):
        target = lookup(document, ref)
        if target is None:
            raise _fail(source, (*where, "$ref"), f"dangling $ref {ref!r}")
        if not (isinstance(target, dict) and isinstance(target.get("$ref"), str)):
            return
        ref = target["$ref"]
        if ref in seen:
            chain = " -> ".join([*seen, ref])
            raise _fail(source, (*where, "$ref"), f"$ref cycle {chain}")
        seen.append(ref)


def lookup(document: Mapping[str, Any], ref: str) -> Any:
    """The node the local JSON pointer `ref` names in the document as written, or None."""
    try:
        parts = parse_pointer(ref)
    except SpecModelError:
        return None
    # The document as read, not normalised: these checks are about what the author wrote.
    return SpecModel(dict(document), "<spec>", dict(document)).node_at(parts)


def _resolved(document: Mapping[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        node = lookup(document, node["$ref"])
    return node


def _check_path_item(
    document: Mapping[str, Any],
    source: str,
    where: Path,
    raw_item: Any,
    problems: Problems,
    *,
    templated: bool,
) -> None:
    item = _resolved(document, raw_item)
    if not isinstance(item, dict):
        raise _fail(source, where, "a path item must be a mapping")
    shared = _parameters(document, source, (*where, "parameters"), item.get("parameters"))
    for method in HTTP_METHODS:
        operation = item.get(method)
        if operation is None:
            continue
        at = (*where, method)
        if not isinstance(operation, dict):
            raise _fail(source, at, "an operation must be a mapping")
        # 3.1 made `responses` optional; 3.0 requires it, and `generate` refuses an operation
        # without any (a client would have nothing to read). Its changes are still compared.
        if "responses" in operation and not isinstance(operation["responses"], dict):
            raise _fail(source, (*at, "responses"), "'responses' must be a mapping")
        if not operation.get("responses"):
            _problem(problems, at, "the operation declares no 'responses'")
        _check_security(document, source, (*at, "security"), operation.get("security"), problems)
        _check_bodies(document, source, at, operation)
        own = _parameters(document, source, (*at, "parameters"), operation.get("parameters"))
        if templated:
            _check_template(where[-1], at, {**shared, **own}, problems)


def _parameters(
    document: Mapping[str, Any], source: str, where: Path, raw: Any
) -> dict[tuple[str, str], Path]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise _fail(source, where, "'parameters' must be a list")
    found: dict[tuple[str, str], Path] = {}
    for index, entry in enumerate(raw):
        at = (*where, str(index))
        parameter = _resolved(document, entry)
        if not isinstance(parameter, dict) or not isinstance(parameter.get("name"), str):
            raise _fail(source, at, "a parameter needs a string 'name'")
        location = parameter.get("in")
        if location not in PARAMETER_LOCATIONS:
            raise _fail(
                source, at, f"parameter 'in' must be one of {sorted(PARAMETER_LOCATIONS)}, got {location!r}"
            )
        found[(location, parameter["name"])] = at
    return found


def _check_template(
    template: str, at: Path, parameters: dict[tuple[str, str], Path], problems: Problems
) -> None:
    named = _TEMPLATE.findall(template)
    declared = {name for location, name in parameters if location == "path"}
    for name in named:
        if name not in declared:
            message = f"path template {template!r} names {{{name}}}, which is not a declared path parameter"
            _problem(problems, at, message)
    for name in sorted(declared - set(named)):
        message = f"path parameter {name!r} does not appear in the template {template!r}"
        _problem(problems, parameters[("path", name)], message)


def _check_security(
    document: Mapping[str, Any], source: str, where: Path, requirement: Any, problems: Problems
) -> None:
    """A `security` requirement is a list of mappings naming schemes that `components` defines."""
    if requirement is None:
        return
    if not isinstance(requirement, list):
        raise _fail(source, where, "'security' must be a list")
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    for index, alternative in enumerate(requirement):
        at = (*where, str(index))
        if not isinstance(alternative, dict):
            raise _fail(source, at, "a security requirement must be a mapping")
        for name, scopes in alternative.items():
            if name not in schemes:
                _problem(problems, (*at, str(name)), f"security scheme {name!r} is not defined in components")
            if not isinstance(scopes, list):
                raise _fail(source, (*at, str(name)), "the scopes of a security requirement must be a list")


def _check_bodies(document: Mapping[str, Any], source: str, at: Path, operation: Mapping[str, Any]) -> None:
    """Request bodies, responses and their `content` are mappings, so nothing in them is skipped."""
    bodies: list[tuple[Path, Any]] = []
    if "requestBody" in operation:
        bodies.append(((*at, "requestBody"), operation["requestBody"]))
    for status, response in (operation.get("responses") or {}).items():
        bodies.append(((*at, "responses", str(status)), response))
    for where, raw in bodies:
        body = _resolved(document, raw)
        if not isinstance(body, dict):
            raise _fail(source, where, "a request body or response must be a mapping")
        content = body.get("content")
        if content is None:
            continue
        if not isinstance(content, dict):
            raise _fail(source, (*where, "content"), "'content' must be a mapping of media types")
        for media, value in content.items():
            if value is not None and not isinstance(value, dict):
                raise _fail(source, (*where, "content", str(media)), "a media type entry must be a mapping")
