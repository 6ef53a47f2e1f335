"""Comparing the Python API generated from two specs: griffe's breaking changes, linked to the spec.

Both specs are built by `generator.build.pipeline.build_distribution`, the very build `generate` runs (the
import probe aside, since griffe reads the code statically, and the OpenAPI validation, since the
diff compares documents despite the structural problems it lists), with the same project config,
at the same time when neither is cached (one in a child interpreter), and loaded by griffe, each in
its own loader, because both packages have the config's package name. Builds are cached by a key
made of the spec's sha256 and everything that shapes the output (generator code, templates, the
project config, tool versions), so the side that did not change costs nothing the second time.
Every griffe breakage becomes a `python-<kind>` change, and changed annotations (which griffe does not
compare) become `python-parameter-changed-type`, `python-parameter-type-widened`,
`python-attribute-changed-type` or `python-return-changed-type`. A union that keeps every member and
gains one (a new webhook model in the `Webhook` alias, a new response variant, a new known value of an
open enum) is `python-attribute-type-widened` or `python-return-type-widened`, an addition, and griffe's
changed-type or changed-value verdict at that place is dropped. `caused_by` names the spec location each
most likely comes from.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

import griffe

from generator.build.background import ChildStage
from generator.build.pipeline import build_distribution
from generator.build.provenance import templates_digest
from generator.diff.model import Change, Location, PythonApiError
from generator.diff.schema import Resolver
from generator.diff.sources import SpecSource
from generator.errors import GenerationError
from generator.markdown import code_span as code
from generator.paths import GENERATOR, TEMPLATES
from generator.project import ProjectConfig
from generator.spec.keywords import COMPOSITION
from generator.spec.model import SCHEMAS_PREFIX, SpecModel, ref_of

# Everything besides the spec that decides what a build produces.
_BUILD_INPUTS = (GENERATOR, TEMPLATES)
RUNTIME = TEMPLATES / "runtime"
_TOOLS = ("openapi-python-client", "datamodel-code-generator", "ruff")
CACHE_ENV = "LAYER_CODEGEN_CACHE_DIR"
# One rule per griffe BreakageKind, each id written out so a grep for it lands here.
_BREAKAGE_RULES = {
    griffe.BreakageKind.PARAMETER_MOVED: "python-parameter-moved",
    griffe.BreakageKind.PARAMETER_REMOVED: "python-parameter-removed",
    griffe.BreakageKind.PARAMETER_CHANGED_KIND: "python-parameter-changed-kind",
    griffe.BreakageKind.PARAMETER_CHANGED_DEFAULT: "python-parameter-changed-default",
    griffe.BreakageKind.PARAMETER_CHANGED_REQUIRED: "python-parameter-changed-required",
    griffe.BreakageKind.PARAMETER_ADDED_REQUIRED: "python-parameter-added-required",
    griffe.BreakageKind.RETURN_CHANGED_TYPE: "python-return-changed-type",
    griffe.BreakageKind.OBJECT_REMOVED: "python-object-removed",
    griffe.BreakageKind.OBJECT_CHANGED_KIND: "python-object-changed-kind",
    griffe.BreakageKind.ATTRIBUTE_CHANGED_TYPE: "python-attribute-changed-type",
    griffe.BreakageKind.CLASS_REMOVED_BASE: "python-class-removed-base",
    griffe.BreakageKind.ATTRIBUTE_CHANGED_VALUE: "python-attribute-changed-value",
}
_KEPT_BUILDS = 8
_RESTATED = ("testing.OperationName", "testing.ErrorType")
"""The testing kit's `Literal`s of the spec's operation names and error types: they restate what the
HTTP diff judges (an operation renamed, an enum value added), so a change of theirs is not one more."""
_WIDENED = frozenset({"python-attribute-type-widened", "python-return-type-widened"})
_WIDENING_BREAKS = frozenset(
    {"python-attribute-changed-type", "python-attribute-changed-value", "python-return-changed-type"}
)


def python_api_changes(
    old: SpecSource, new: SpecSource, project: ProjectConfig | None = None
) -> list[Change]:
    """The Python API changes from the package generated from `old` to the one from `new`.

    Both are generated with `project` (by default today's names), as `generate` would.

    A removed request property gives `python-parameter-removed` on the client methods and
    `python-object-removed` on the model field, both caused by the spec location of the property.
    """
    if old.text == new.text:
        return []  # generation is deterministic: the same spec text builds the same package
    project = project or ProjectConfig()
    old_folder, new_folder = built_packages((old, new), project)
    changes = compare_apis(
        load_api(old, project, old_folder),
        load_api(new, project, new_folder),
        _SpecIndex(new.model, old.model),
    )
    return [change for change in changes if not _restates_the_spec(change.location, project)]


def _restates_the_spec(location: Location, project: ProjectConfig) -> bool:
    return location.kind == "python" and location.name in {f"{project.package}.{name}" for name in _RESTATED}


def compare_apis(old_api: Any, new_api: Any, causes: _SpecIndex | None = None) -> list[Change]:
    """The changes between two griffe modules; `causes` links them to spec locations."""
    causes = causes or _SpecIndex()
    breakages = list(griffe.find_breaking_changes(old_api, new_api))
    added = sorted(set(_public_functions(new_api)) - set(_public_functions(old_api)))
    known_parents = set(_public_paths(old_api))
    exported = {**_exported_paths(old_api), **_exported_paths(new_api)}
    annotations = list(_annotation_changes(old_api, new_api, causes))
    # A union that kept every member (a new webhook model before `UnknownWebhook`, a new response
    # variant) is an addition: griffe's changed-type or changed-value verdict there is dropped.
    widened = {change.location for change in annotations if change.rule in _WIDENED}
    changes = [
        change
        for change in (_from_breakage(breakage, causes, exported) for breakage in breakages)
        if not (change.location in widened and change.rule in _WIDENING_BREAKS)
    ]
    seen = {(change.rule, change.location) for change in changes}
    for change in annotations:
        if (change.rule, change.location) not in seen:
            changes.append(change)
    for path in added:
        if path.rsplit(".", 1)[0] in known_parents or _is_new_module_function(path, known_parents):
            message = "A public function or method was added."
            changes.append(
                Change("python-function-added", Location.python(path), message, causes.cause_of(path))
            )
    return changes


def cache_dir() -> Path:
    """Where builds are kept: `$LAYER_CODEGEN_CACHE_DIR`, else the user's cache folder."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "layer-codegen" / "python-api"


def build_key(text: str, project: ProjectConfig) -> str:
    """The cache key of a build of the spec `text`: its sha256 and every input that shapes the output."""
    # The templates and the config files this project builds with (its own, else the installed ones).
    inputs = f"{_generator_digest()}\n{templates_digest(project)}\n{project!r}\n".encode()
    return hashlib.sha256(inputs + text.encode("utf-8")).hexdigest()


@functools.cache
def _generator_digest() -> str:
    """The tool versions and every file of the generator and its templates, hashed once per process."""
    digest = hashlib.sha256()
    for tool in _TOOLS:
        digest.update(f"{tool}=={version(tool)}\n".encode())
    for root in _BUILD_INPUTS:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{root.name}/{path.relative_to(root).as_posix()}".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def built_package(source: SpecSource, project: ProjectConfig) -> Path:
    """The folder holding the package built from `source` with `project`, from the cache when it has it."""
    return _built(source.text, source.suffix, source.label, project)


def built_packages(sources: tuple[SpecSource, SpecSource], project: ProjectConfig) -> tuple[Path, Path]:
    """`built_package` of both sides; when neither is cached, the second is built in a child meanwhile.

    The machines have two cores, and most of a build runs in one interpreter (datamodel-code-generator),
    so building both sides at once takes little more than the longer of the two.
    """
    old, new = sources
    if _cached(old.text, project) is not None or _cached(new.text, project) is not None:
        return built_package(old, project), built_package(new, project)
    child = ChildStage(build_for_cache, new.text, new.suffix, new.label, project)
    try:
        old_folder = built_package(old, project)
    except BaseException:
        child.cancel()
        raise
    try:
        child.finish()
    except GenerationError as exc:
        raise PythonApiError(str(exc)) from exc
    return old_folder, built_package(new, project)


def build_for_cache(text: str, suffix: str, label: str, project: ProjectConfig) -> None:
    """Build the spec `text` into the cache (the child's side of `built_packages`)."""
    try:
        _built(text, suffix, label, project)
    except PythonApiError as exc:
        raise GenerationError(str(exc)) from exc


def _cached(text: str, project: ProjectConfig) -> Path | None:
    cached = cache_dir() / build_key(text, project)
    return cached if (cached / project.package / "__init__.py").is_file() else None


def _built(text: str, suffix: str, label: str, project: ProjectConfig) -> Path:
    found = _cached(text, project)
    if found is not None:
        os.utime(found)  # most recently used, for pruning
        return found
    cached = cache_dir() / build_key(text, project)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        scratch_dir = tempfile.TemporaryDirectory(prefix=".build-", dir=cached.parent)
    except OSError as exc:
        reason = exc.strerror or exc
        raise PythonApiError(
            f"cannot write the build cache {cached.parent}: {reason}; set {CACHE_ENV}"
        ) from exc
    with scratch_dir as scratch:
        spec_path = Path(scratch) / f"spec{suffix}"
        spec_path.write_text(text, encoding="utf-8")
        staging = Path(scratch) / "dist"
        try:
            # The diff has read the document; it is compared despite the problems it lists.
            build_distribution(spec_path, staging, probe_imports=False, validate=False, project=project)
        except Exception as exc:  # any generator failure means there is no API to compare
            raise PythonApiError(f"cannot generate the Python package from {label}: {exc}") from exc
        try:
            staging.rename(cached)
        except OSError:
            if _cached(text, project) is None:  # not a concurrent build of the same key
                raise
    _prune(cached.parent)
    return cached


def _prune(root: Path) -> None:
    builds = sorted(
        (path for path in root.iterdir() if path.is_dir() and not path.name.startswith(".")),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for stale in builds[_KEPT_BUILDS:]:
        shutil.rmtree(stale, ignore_errors=True)


def load_api(source: SpecSource, project: ProjectConfig, folder: Path | None = None) -> Any:
    """The griffe module of the package built from `source` with `project` (already in `folder`)."""
    folder = folder or built_package(source, project)
    with tempfile.TemporaryDirectory(prefix="layer-codegen-api-") as view:
        _link_generated_modules(folder / project.package, Path(view) / project.package)
        # Static analysis only: importing two packages of the same name would clash in sys.modules.
        loader = griffe.GriffeLoader(search_paths=[view], allow_inspection=False)
        try:
            module = loader.load(project.package)
            loader.resolve_aliases(implicit=False, external=False)
        except Exception as exc:  # griffe raises several types for unloadable code
            raise PythonApiError(f"cannot load the package generated from {source.label}: {exc}") from exc
    return module


def _link_generated_modules(package_dir: Path, view: Path) -> None:
    """Links in `view` to the modules of `package_dir`, less the runtime modules copied into it.

    Both sides are built by this generator, so their runtime copies are the same bytes and cannot
    differ; they are most of the package, and reading them was most of griffe's time.
    """
    for path in sorted(package_dir.rglob("*.py")):
        relative = path.relative_to(package_dir)
        if (RUNTIME / relative).is_file():
            continue
        target = view / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(path)


def _annotation_changes(old_api: Any, new_api: Any, causes: _SpecIndex) -> Iterator[Change]:
    """Changed annotations (and plain values) of public attributes, parameters and returns on both sides."""
    new_members = dict(_walk(new_api))
    for location, was in _walk(old_api):
        now = new_members.get(location)
        if now is None or now.kind != was.kind:
            continue
        if was.is_attribute:
            old_text, new_text = _annotation(was.annotation), _annotation(now.annotation)
            if old_text != new_text:
                message = f"The annotation changed: {code(old_text)} → {code(new_text)}."
                rule = (
                    "python-attribute-type-widened"
                    if _widens(old_text, new_text)
                    else "python-attribute-changed-type"
                )
                yield _change(rule, location, message, causes.cause_of(location))
            # griffe does not compare values. A call (a pydantic `Field(..., description=...)`) also
            # carries documentation, so only plain values (constants, enum members, defaults) count.
            old_value, new_value = was.value, now.value
            plain = not isinstance(old_value, griffe.ExprCall) and not isinstance(new_value, griffe.ExprCall)
            if plain and old_value is not None and str(old_value) != str(new_value):
                message = f"The value changed: {code(old_value)} → {code(new_value)}."
                # A type alias (`Webhook: TypeAlias = A | B | UnknownWebhook`) that gained members.
                alias = old_text.endswith("TypeAlias") and _widens(str(old_value), str(new_value))
                rule = "python-attribute-type-widened" if alias else "python-attribute-changed-value"
                yield _change(rule, location, message, causes.cause_of(location))
        elif was.is_function:
            yield from _signature_changes(location, was, now, causes)


def _signature_changes(location: str, was: Any, now: Any, causes: _SpecIndex) -> Iterator[Change]:
    new_parameters = {parameter.name: parameter for parameter in now.parameters}
    for parameter in was.parameters:
        other = new_parameters.get(parameter.name)
        if other is None:
            continue  # griffe reports the removal
        old_text, new_text = _annotation(parameter.annotation), _annotation(other.annotation)
        if old_text == new_text:
            continue
        # A union that keeps every member it had (or became `Any`) still accepts what callers pass.
        new_members = _members(new_text)
        widened = "Any" in new_members or _members(old_text) <= new_members
        rule = "python-parameter-type-widened" if widened else "python-parameter-changed-type"
        message = (
            f"Parameter {code(parameter.name)}: the annotation changed: {code(old_text)} → {code(new_text)}."
        )
        yield _change(rule, location, message, causes.cause_of(location, parameter.name))
    old_returns, new_returns = _annotation(was.returns), _annotation(now.returns)
    if old_returns != new_returns:
        message = f"The return annotation changed: {code(old_returns)} → {code(new_returns)}."
        rule = (
            "python-return-type-widened"
            if _widens(old_returns, new_returns)
            else "python-return-changed-type"
        )
        yield _change(rule, location, message, causes.cause_of(location))


def _widens(old: str, new: str) -> bool:
    """Whether the union `new` keeps every member of the union `old` and adds some: a new member
    (`A | B` → `A | B | C`) or a new value of a `Literal` in it (an open enum's new known value)."""
    old_members, old_values = _union(old)
    new_members, new_values = _union(new)
    if len(old_members) + len(old_values) < 2 or (old_members, old_values) == (new_members, new_values):
        return False
    return old_members <= new_members and old_values <= new_values


def _union(annotation: str) -> tuple[frozenset[str], frozenset[str]]:
    """The members of a union, `Annotated[...]` unwrapped, with the values of its `Literal`s apart."""
    text = annotation.strip()
    if text.startswith("Annotated[") and text.endswith("]"):
        text = _split(text[len("Annotated[") : -1], ",")[0]
    members, values = set(), set()
    for member in _members(text):
        if member.startswith("Literal[") and member.endswith("]"):
            values.update(_split(member[len("Literal[") : -1], ","))
        else:
            members.add(member)
    return frozenset(members), frozenset(values)


def _split(text: str, separator: str) -> list[str]:
    """`text` split at the `separator`s outside brackets, each part stripped."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += char in "[("
        depth -= char in "])"
        if char == separator and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return parts


def _annotation(value: Any) -> str:
    return "" if value is None else str(value)


def _members(annotation: str) -> frozenset[str]:
    """The members of a top-level `A | B | None` union (brackets respected)."""
    return frozenset(_split(annotation, "|"))


def _walk(obj: Any, prefix: str | None = None) -> Iterator[tuple[str, Any]]:
    """The public members below `obj`, each with its public path.

    An object of a private module that a public module exports (the models, which live in
    `models/_<group>.py`) is walked where it is exported (`plaid_layer.models.Name`); other
    imports are walked where they are defined. A class's inherited members are walked on it too:
    the clients inherit their methods from the private `_resources/` modules.
    """
    members = obj.all_members if obj.is_class else obj.members
    for name, member in members.items():
        if not member.is_public:
            continue
        target = _private_target(member) if member.is_alias else member
        if target is None:
            continue
        path = f"{prefix or obj.path}.{name}"
        yield path, target
        if target.is_module or target.is_class:
            yield from _walk(target, path)


def _private_target(alias: Any) -> Any:
    """What `alias` stands for, when that is defined in a private module of the package; else None."""
    try:
        target = alias.final_target
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None
    parts = str(target.path).split(".")
    package = str(alias.path).split(".")[0]
    if parts[0] != package or not any(part.startswith("_") and not part.startswith("__") for part in parts):
        return None
    return target


def _exported_paths(api: Any) -> dict[str, str]:
    """Where each object of a private module is exported: its defining path -> its public path."""
    return {str(member.path): path for path, member in _walk(api) if str(member.path) != path}


def _public_location(path: str, exported: Mapping[str, str]) -> str:
    """`path` with the longest privately defined prefix replaced by where it is exported."""
    head, tail = path, ""
    while head:
        if head in exported:
            return exported[head] + tail
        head, _, last = head.rpartition(".")
        tail = f".{last}{tail}"
    return path


def _public_functions(api: Any) -> Iterator[str]:
    return (path for path, member in _walk(api) if member.is_function)


def _public_paths(api: Any) -> Iterator[str]:
    yield str(api.path)
    yield from (path for path, _ in _walk(api))


def _is_new_module_function(path: str, known: set[str]) -> bool:
    """A function at the top of a new module (a new operation), not a method of a new model class."""
    parent = path.rsplit(".", 1)[0]
    return parent not in known and not parent.rsplit(".", 1)[-1][:1].isupper()


def _from_breakage(breakage: Any, causes: _SpecIndex, exported: Mapping[str, str]) -> Change:
    rule = _BREAKAGE_RULES[breakage.kind]
    location = _public_location(str(breakage.obj.path), exported)
    detail = _describe(breakage.old_value, breakage.new_value)
    message = f"{breakage.kind.value}{detail}."
    return _change(
        rule, location, message, causes.cause_of(location, getattr(breakage.old_value, "name", None))
    )


def _describe(old: Any, new: Any) -> str:
    def show(value: Any) -> str:
        return str(getattr(value, "name", None) or value)

    if old is None and new is None:
        return ""
    if new is None or old is new:
        return f": {code(show(old))}"
    return f": {code(show(old))} → {code(show(new))}"


def _squash(name: str) -> str:
    """`SessionTokenCreateRequest`, `session_token_create_request` → `sessiontokencreaterequest`."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


class _SpecIndex:
    """Where each operation and component schema of a spec is first used, by squashed Python name."""

    def __init__(self, *models: SpecModel) -> None:
        self.operations: dict[str, Location] = {}
        self.body_properties: dict[Location, set[str]] = {}
        self.schemas: dict[str, Location] = {}
        for model in models:
            self._index(model)

    def cause_of(self, python_path: str, parameter: str | None = None) -> Location | None:
        """The canonical spec location behind `python_path` (and its `parameter`), when one is known."""
        parts = python_path.split(".")
        if parameter == parts[-1]:  # the breakage is about the object itself, not one of its parameters
            parameter = None
        for index in range(len(parts) - 1, -1, -1):
            squashed = _squash(parts[index])
            if squashed in self.schemas:
                attribute = parts[index + 1] if index + 1 < len(parts) else parameter
                found = self.schemas[squashed]
                return found.at(attribute) if attribute else found
            if squashed in self.operations:
                where = self.operations[squashed]
                # Generated methods flatten the request body into keyword parameters.
                if parameter is not None and parameter in self.body_properties.get(where, ()):
                    return where.below("request body").at(parameter)
                return where
        # Helpers named after an operation with a suffix (the testing kit's `<operation>_request`).
        leaf = _squash(parts[-1])
        for name in sorted(self.operations, key=len, reverse=True):
            if leaf.startswith(name):
                return self.operations[name]
        return None

    def _index(self, model: SpecModel) -> None:
        resolver = Resolver(model)
        seen: set[str] = set()
        for operation in [*model.operations(), *model.webhooks()]:
            webhook = operation.name is not None
            where = (
                Location.webhook(str(operation.name))
                if webhook
                else Location.operation(operation.method, str(operation.path))
            )
            if operation.operation_id is not None:
                self.operations.setdefault(_squash(operation.operation_id), where)
            for at, schema in _body_schemas(resolver, where, operation.operation, webhook=webhook):
                if at.part == ("request body",):
                    names = resolver.shape(schema).properties.keys()
                    self.body_properties.setdefault(where, set()).update(names)
                self._schemas(resolver, at, schema, (), seen)

    def _schemas(
        self, resolver: Resolver, at: Location, node: Any, path: tuple[str, ...], seen: set[str]
    ) -> None:
        ref = ref_of(node)
        if ref is not None:
            if not ref.startswith(SCHEMAS_PREFIX) or ref in seen:
                return
            seen.add(ref)
            self.schemas.setdefault(_squash(ref[len(SCHEMAS_PREFIX) :]), at.at(*path))
            self._schemas(resolver, at, resolver.lookup(ref), path, seen)
            return
        if not isinstance(node, dict):
            return
        for name, child in (node.get("properties") or {}).items():
            self._schemas(resolver, at, child, (*path, str(name)), seen)
        if node.get("items") is not None:
            self._schemas(resolver, at, node["items"], (*path, "[]"), seen)
        for key in COMPOSITION:
            for child in node.get(key) or ():
                self._schemas(resolver, at, child, path, seen)


def _body_schemas(
    resolver: Resolver, where: Location, operation: Mapping[str, Any], *, webhook: bool
) -> Iterator[tuple[Location, Any]]:
    body = resolver.target(operation.get("requestBody"))
    if isinstance(body, dict):
        at = where.below("payload") if webhook else where.below("request body")
        for media in (body.get("content") or {}).values():
            yield at, (media or {}).get("schema")
    for status, raw in (operation.get("responses") or {}).items():
        response = resolver.target(raw)
        if isinstance(response, dict):
            for media in (response.get("content") or {}).values():
                yield where.below("response", str(status), "body"), (media or {}).get("schema")


def _change(rule: str, path: str, message: str, cause: Location | None) -> Change:
    return Change(rule, Location.python(path), message, cause)
