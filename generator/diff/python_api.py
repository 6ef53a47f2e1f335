"""Comparing the Python API generated from two specs: griffe's breaking changes, linked to the spec.

Both specs are generated with `generator.pipeline.generate_package` into temporary folders and loaded
statically by griffe, each in its own loader, because both packages are called `plaid_layer`. Every
griffe breakage becomes a `python-<kind>` change whose `caused_by` names the spec location it most
likely comes from: the operation behind a method, or the schema property behind a model attribute.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import griffe

from generator.diff.model import Change
from generator.diff.operations import METHODS, render_path
from generator.diff.schema import Resolver
from generator.diff.sources import SpecSource

_PACKAGE = "plaid_layer"
_SCHEMA_REF = "#/components/schemas/"


class PythonApiError(Exception):
    """One of the specs cannot be generated or its package cannot be loaded; the message says which."""


def python_api_changes(old: SpecSource, new: SpecSource) -> list[Change]:
    """The Python API changes from the package generated from `old` to the one from `new`.

    >>> python_api_changes(old_source, new_source)[0].rule
    'python-parameter-removed'
    """
    with tempfile.TemporaryDirectory(prefix="layer-codegen-diff-") as tmp:
        old_api = _generate_and_load(old, Path(tmp) / "old")
        new_api = _generate_and_load(new, Path(tmp) / "new")
        breakages = list(griffe.find_breaking_changes(old_api, new_api))
        added = sorted(set(_public_functions(new_api)) - set(_public_functions(old_api)))
        known_parents = set(_public_paths(old_api))
    causes = _SpecIndex(new.document, old.document)
    changes = [_from_breakage(breakage, causes) for breakage in breakages]
    for path in added:
        if path.rsplit(".", 1)[0] in known_parents or _is_new_module_function(path, known_parents):
            message = "A public function or method was added."
            changes.append(Change("python-function-added", path, message, causes.cause_of(path)))
    return changes


def _generate_and_load(source: SpecSource, workdir: Path) -> Any:
    from generator.pipeline import generate_package

    workdir.mkdir(parents=True)
    spec_path = workdir / f"spec{source.suffix}"
    spec_path.write_text(source.text, encoding="utf-8")
    try:
        package_dir = generate_package(spec_path, workdir / "out")
    except Exception as exc:  # any generator failure means there is no API to compare
        raise PythonApiError(f"cannot generate the Python package from {source.label}: {exc}") from exc
    # Static analysis only: importing two packages named plaid_layer would clash in sys.modules.
    loader = griffe.GriffeLoader(search_paths=[str(Path(package_dir).parent)], allow_inspection=False)
    try:
        module = loader.load(_PACKAGE)
        loader.resolve_aliases(implicit=False, external=False)
    except Exception as exc:  # griffe raises several types for unloadable code
        raise PythonApiError(f"cannot load the package generated from {source.label}: {exc}") from exc
    return module


def _walk(obj: Any) -> Iterator[Any]:
    for member in obj.members.values():
        if member.is_alias or not member.is_public:
            continue
        yield member
        if member.is_module or member.is_class:
            yield from _walk(member)


def _public_functions(api: Any) -> Iterator[str]:
    return (str(member.path) for member in _walk(api) if member.is_function)


def _public_paths(api: Any) -> Iterator[str]:
    yield str(api.path)
    yield from (str(member.path) for member in _walk(api))


def _is_new_module_function(path: str, known: set[str]) -> bool:
    """A function at the top of a new module (a new operation), not a method of a new model class."""
    parent = path.rsplit(".", 1)[0]
    return parent not in known and not parent.rsplit(".", 1)[-1][:1].isupper()


def _from_breakage(breakage: Any, causes: _SpecIndex) -> Change:
    rule = "python-" + breakage.kind.name.lower().replace("_", "-")
    location = str(breakage.obj.path)
    detail = _describe(breakage.old_value, breakage.new_value)
    message = f"{breakage.kind.value}{detail}."
    return Change(
        rule, location, message, causes.cause_of(location, getattr(breakage.old_value, "name", None))
    )


def _describe(old: Any, new: Any) -> str:
    def show(value: Any) -> str:
        return str(getattr(value, "name", None) or value)

    if old is None and new is None:
        return ""
    if new is None or old is new:
        return f": `{show(old)}`"
    return f": `{show(old)}` → `{show(new)}`"


def _squash(name: str) -> str:
    """`SessionTokenCreateRequest`, `session_token_create_request` → `sessiontokencreaterequest`."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


class _SpecIndex:
    """Where each operation and component schema of a spec is first used, by squashed Python name."""

    def __init__(self, *documents: Mapping[str, Any]) -> None:
        self.operations: dict[str, str] = {}
        self.body_properties: dict[str, set[str]] = {}
        self.schemas: dict[str, str] = {}
        for document in documents:
            self._index(document)

    def cause_of(self, python_path: str, parameter: str | None = None) -> str | None:
        """The canonical spec location behind `python_path` (and its `parameter`), when one is known."""
        parts = python_path.split(".")
        if parameter == parts[-1]:  # the breakage is about the object itself, not one of its parameters
            parameter = None
        for index in range(len(parts) - 1, -1, -1):
            squashed = _squash(parts[index])
            if squashed in self.schemas:
                attribute = parts[index + 1] if index + 1 < len(parts) else parameter
                return _join(self.schemas[squashed], attribute)
            if squashed in self.operations:
                where = self.operations[squashed]
                # Generated methods flatten the request body into keyword parameters.
                if parameter in self.body_properties.get(where, ()):
                    return f"{where} request body {parameter}"
                return where
        # Helpers named after an operation with a suffix (the testing kit's `<operation>_request`).
        leaf = _squash(parts[-1])
        for name in sorted(self.operations, key=len, reverse=True):
            if leaf.startswith(name):
                return self.operations[name]
        return None

    def _index(self, document: Mapping[str, Any]) -> None:
        resolver = Resolver(document)
        seen: set[str] = set()
        sections = [("", document.get("paths") or {}), ("webhook ", document.get("webhooks") or {})]
        for prefix, items in sections:
            for name, raw_item in items.items():
                item = resolver.target(raw_item)
                for method in METHODS:
                    operation = item.get(method) if isinstance(item, dict) else None
                    if not isinstance(operation, dict):
                        continue
                    where = f"webhook {name}" if prefix else f"{method.upper()} {name}"
                    if isinstance(operation.get("operationId"), str):
                        self.operations.setdefault(_squash(operation["operationId"]), where)
                    for at, schema in _body_schemas(resolver, where, operation, webhook=bool(prefix)):
                        if at.endswith(" request body"):
                            names = resolver.shape(schema).properties.keys()
                            self.body_properties.setdefault(where, set()).update(names)
                        self._schemas(resolver, at, schema, (), seen)

    def _schemas(self, resolver: Resolver, at: str, node: Any, path: tuple[str, ...], seen: set[str]) -> None:
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith(_SCHEMA_REF) or ref in seen:
                return
            seen.add(ref)
            self.schemas.setdefault(_squash(ref[len(_SCHEMA_REF) :]), _join(at, render_path(path) or None))
            self._schemas(resolver, at, resolver.lookup(ref), path, seen)
            return
        if not isinstance(node, dict):
            return
        for name, child in (node.get("properties") or {}).items():
            self._schemas(resolver, at, child, (*path, str(name)), seen)
        if node.get("items") is not None:
            self._schemas(resolver, at, node["items"], (*path, "[]"), seen)
        for key in ("allOf", "anyOf", "oneOf"):
            for child in node.get(key) or ():
                self._schemas(resolver, at, child, path, seen)


def _body_schemas(
    resolver: Resolver, where: str, operation: Mapping[str, Any], *, webhook: bool
) -> Iterator[tuple[str, Any]]:
    body = resolver.target(operation.get("requestBody"))
    if isinstance(body, dict):
        at = f"{where} payload" if webhook else f"{where} request body"
        for media in (body.get("content") or {}).values():
            yield at, (media or {}).get("schema")
    for status, raw in (operation.get("responses") or {}).items():
        response = resolver.target(raw)
        if isinstance(response, dict):
            for media in (response.get("content") or {}).values():
                yield f"{where} response {status} body", (media or {}).get("schema")


def _join(location: str, attribute: str | None) -> str:
    """Append a property path to a body location: a space after the body root, a dot below it."""
    if not attribute:
        return location
    root = location.endswith((" body", " payload"))
    return f"{location} {attribute}" if root else f"{location}.{attribute}"
