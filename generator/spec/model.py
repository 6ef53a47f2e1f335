"""The one spec model: load an OpenAPI document, normalise it to 3.1 meaning, resolve and walk it.

Every command (`generate`, `check`, `diff`, `docs-check`) reads the spec through `SpecModel`, so
there is one answer to "which operations are there", "what does this `$ref` point to" and "what
does `nullable: true` mean". The API, kept stable for the other commands:

- `SpecModel.load(path)` / `SpecModel.from_document(document, source)`: parse (through
  `generator.spec.loader`) and normalise; `.document` is the normalised 3.1 document, `.original`
  the document as written, `.source_version` the `openapi` version it declared.
- `.operations()`: every operation (path x method, in document order) as an `OperationRef` with
  `method`, `path`, `operation`, `pointer` and `parameters` (path-level ones merged in, `$ref`s
  resolved); `.webhooks()`: the same for the `webhooks:` section (`name` set, `path` `None`).
- `.resolve(node)`: follow a chain of local `$ref`s; `.lookup(ref)`: the node one `$ref` names;
  `.ref_name(node)`: the component key a `#/components/schemas/...` reference names;
  `.schema(name)` / `.schemas`: components.
- `.non_local_refs()`: where a `$ref` points outside the document (commands refuse those
  before anything could try to fetch them); `.describe(pointer)`: "component schema X,
  property y (#/...)" for messages; `.locate(parts)`: the full pointer of a path the validator
  gives relative to one schema; `validate(document, source)`: OpenAPI validation whose errors
  name the component.
- `.merge_all_of(schema)`, `.admits_null(schema)`, `.reachable(roots)`: the schema questions the
  facts, the models' input document and the diff ask; `.security_schemes()`: the resolved
  `components.securitySchemes`; `.node_at(parts)`, `.operation_at(key)`: a node by its location;
  `.copy()`: a model over a copy of the document, for rewriting it.
- `pointer_text(parts)` / `parse_pointer(ref)`: a location as a JSON pointer
  (`#/paths/~1user~1create/post`) and back (`~1` and `~0` unescaped).

Normalisation (`generator.spec.normalise`) happens once, on a copy, when a document is loaded.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.spec.keywords import COMPOSITION, DATA_KEYS, subschemas
from generator.spec.loader import SpecError, load_document
from generator.spec.normalise import normalise, tree_copy
from generator.spec.validation import validate_openapi

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
"""The operation keys of a path item, in the order OpenAPI lists them."""

SCHEMAS_PREFIX = "#/components/schemas/"

Pointer = tuple[str, ...]


class SpecModelError(SpecError):
    """The spec uses a construct the model cannot read; `pointer` says where."""

    def __init__(self, message: str, pointer: Pointer = ()) -> None:
        super().__init__(f"{message} (at {pointer_text(pointer)})" if pointer else message)
        self.pointer = pointer


def pointer_text(parts: Sequence[str]) -> str:
    """The JSON pointer of a location, as a URI fragment: `("paths", "/a/b")` -> `#/paths/~1a~1b`."""
    if not parts:
        return "#"
    return "#/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def parse_pointer(ref: str) -> Pointer:
    """The parts of a local reference `#/a/b~1c` -> `("a", "b/c")`; `SpecModelError` if not local."""
    if not ref.startswith("#"):
        raise SpecModelError(f"only local $refs (starting with '#') are supported, got {ref!r}")
    text = unquote(ref[1:])
    if not text:
        return ()
    if not text.startswith("/"):
        raise SpecModelError(f"$ref {ref!r} is not a JSON pointer")
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in text[1:].split("/"))


@dataclass(frozen=True)
class ParameterRef:
    """One parameter of an operation, `$ref` resolved; `pointer` is where it was written."""

    name: str
    location: str
    """`path`, `query`, `header` or `cookie` (the parameter's `in`)."""
    parameter: Mapping[str, Any]
    pointer: Pointer


@dataclass(frozen=True)
class OperationRef:
    """One operation of `paths:` (or `webhooks:`) and where it sits in the document."""

    method: str
    path: str | None
    """The path template; `None` for a webhook."""
    operation: Mapping[str, Any]
    pointer: Pointer
    parameters: tuple[ParameterRef, ...] = ()
    name: str | None = None
    """The key under `webhooks:`; `None` for an operation of `paths:`."""
    path_item: Mapping[str, Any] = field(default_factory=dict)

    @property
    def operation_id(self) -> str | None:
        """The `operationId`, when the operation has one."""
        value = self.operation.get("operationId")
        return value if isinstance(value, str) else None

    @property
    def where(self) -> str:
        """`POST /user/create` or `webhook SESSION_FINISHED`: how messages name the operation."""
        if self.path is None:
            return f"webhook {self.name}"
        return f"{self.method.upper()} {self.path}"


class SpecModel:
    """A normalised OpenAPI document and the questions every command asks of it."""

    def __init__(self, document: dict[str, Any], source: str, original: dict[str, Any]) -> None:
        self.document = document
        self.source = source
        self.original = original
        self.source_version = str(original.get("openapi", ""))
        # A large spec names the same few hundred components tens of thousands of times.
        self._refs: dict[str, Any] = {}

    @classmethod
    def load(cls, path: Path) -> SpecModel:
        """Read, parse and normalise the document at `path`; `SpecError` names any problem."""
        return cls.from_document(load_document(path), str(path))

    @classmethod
    def from_document(cls, document: dict[str, Any], source: str = "<spec>") -> SpecModel:
        """Normalise an already parsed `document` (which is left unchanged)."""
        return cls(normalise(document), source, document)

    # -- components and references ------------------------------------------------------------

    @property
    def schemas(self) -> dict[str, Any]:
        """`components.schemas`, by component key."""
        components = self.document.get("components") or {}
        schemas = components.get("schemas") if isinstance(components, dict) else None
        return schemas if isinstance(schemas, dict) else {}

    def schema(self, name: str) -> dict[str, Any]:
        """The component schema called `name`; `SpecModelError` if there is none."""
        try:
            value = self.schemas[name]
        except KeyError:
            raise SpecModelError(f"no component schema {name!r}", ("components", "schemas", name)) from None
        if not isinstance(value, dict):
            raise SpecModelError(
                f"component schema {name!r} is not an object", ("components", "schemas", name)
            )
        return value

    def lookup(self, ref: str, where: Pointer = ()) -> Any:
        """The node a local `$ref` points to; `SpecModelError` (at `where`) if it is missing."""
        if ref in self._refs:
            return self._refs[ref]
        try:
            parts = parse_pointer(ref)
        except SpecModelError as exc:
            raise SpecModelError(str(exc), where) from None
        found = _descend(self.document, parts)
        if found is _MISSING:
            raise SpecModelError(f"$ref {ref!r} points to nothing", where)
        self._refs[ref] = found
        return found

    def node_at(self, parts: Sequence[str]) -> Any:
        """The node at a location (`("paths", "/a/b", "post")`), or `None` where there is none."""
        found = _descend(self.document, parts)
        return None if found is _MISSING else found

    def target(self, node: Any) -> Any:
        """Follow a chain of pure `{"$ref": ...}` nodes (no siblings) to the node it names.

        Unlike `resolve`, it never raises: an external or dangling `$ref` node is returned as it
        is, and a cycle gives `{}` (the diff compares documents it must not refuse).
        """
        seen: set[int] = set()
        while is_pure_ref(node):
            if id(node) in seen:
                return {}
            seen.add(id(node))
            try:
                node = self.lookup(node["$ref"])
            except SpecModelError:
                return node
        return node

    def written(self) -> SpecModel:
        """A model over the document as written (not normalised), to copy parts of it verbatim."""
        return SpecModel(self.original, self.source, self.original)

    def copy(self) -> SpecModel:
        """A model over a copy of the normalised document, to rewrite without touching this one."""
        return SpecModel(tree_copy(self.document), self.source, self.original)

    def resolve(self, node: Any, where: Pointer = ()) -> Any:
        """Follow `$ref` until a node without one; siblings of a `$ref` are not merged here."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                raise SpecModelError(f"circular $ref through {ref!r}", where)
            seen.add(ref)
            node = self.lookup(ref, where)
        return node

    def ref_name(self, node: Any) -> str | None:
        """The component key of a `{"$ref": "#/components/schemas/Key"}` node, else `None`."""
        if not isinstance(node, dict):
            return None
        ref = node.get("$ref")
        if not isinstance(ref, str) or not ref.startswith(SCHEMAS_PREFIX):
            return None
        parts = parse_pointer(ref)
        return parts[2] if len(parts) == 3 else None

    def known_strings(self, node: Any, where: Pointer = ()) -> tuple[str, ...]:
        """The string values a schema names (`enum`, `const`), through `$ref`, `anyOf` and `oneOf`.

        An open enum (`anyOf: [{enum: [...]}, {type: string}]`) names the values of its closed
        member; a schema that names none gives `()`. Each value once, in the spec's order.
        """
        found: dict[str, None] = {}
        pending = [self.resolve(node, where)]
        while pending:
            schema = pending.pop(0)
            if not isinstance(schema, dict):
                continue
            values = [*(schema.get("enum") or []), *([schema["const"]] if "const" in schema else [])]
            found.update((value, None) for value in values if isinstance(value, str))
            for key in ("anyOf", "oneOf"):
                members = schema.get(key)
                if isinstance(members, list):
                    pending.extend(self.resolve(member, where) for member in members)
        return tuple(found)

    # -- schema questions ---------------------------------------------------------------------

    def admits_null(self, schema: Any) -> bool:
        """Whether `null` is a valid value of `schema` (following `$ref`s and `anyOf`/`oneOf`)."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return False
        if (
            "null" in schema_types(schema)
            or schema.get("const", 0) is None
            or None in (schema.get("enum") or [0])
        ):
            return True
        variants = schema.get("anyOf") or schema.get("oneOf") or []
        return any(self.admits_null(v) for v in variants)

    def merge_all_of(self, schema: Mapping[str, Any], pointer: Pointer = ()) -> dict[str, Any]:
        """`schema` with its `allOf` members merged in: properties, `required` and constraints."""
        members = schema.get("allOf")
        if not isinstance(members, list):
            return dict(schema)
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        own: dict[str, Any] = dict(merged.pop("properties", {}) or {})
        properties: dict[str, Any] = {}
        required: list[str] = list(merged.pop("required", []) or [])
        for index, member in enumerate(members):
            at = (*pointer, "allOf", str(index))
            resolved = self.merge_all_of(self.resolve(member, at), at)
            for key, value in resolved.items():
                if key == "properties":
                    properties.update(value)
                elif key == "required":
                    required.extend(r for r in value if r not in required)
                elif key not in merged:
                    merged[key] = value
        properties.update(own)  # the schema's own properties win over its members'
        if properties:
            merged["properties"] = properties
        if required:
            merged["required"] = required
        return merged

    def compositions(self, schema: Any) -> list[dict[str, Any]]:
        """`schema` and every schema it composes (`$ref`, `allOf`, `anyOf`, `oneOf`), resolved, each once."""
        found: dict[int, dict[str, Any]] = {}
        pending = [schema]
        while pending:
            resolved = self.resolve(pending.pop())
            if not isinstance(resolved, dict) or id(resolved) in found:
                continue
            found[id(resolved)] = resolved
            for keyword in COMPOSITION:
                branches = resolved.get(keyword, ())
                pending.extend(branches if isinstance(branches, list) else ())
        return list(found.values())

    def reachable(self, roots: Sequence[Any]) -> tuple[set[str], list[dict[str, Any]]]:
        """The component keys and the schema nodes reachable from `roots` through sub-schemas and `$ref`s."""
        names: set[str] = set()
        nodes: list[dict[str, Any]] = []
        seen: set[int] = set()
        stack = list(roots)
        while stack:
            node = stack.pop()
            if not isinstance(node, dict) or id(node) in seen:
                continue
            seen.add(id(node))
            nodes.append(node)
            name = self.ref_name(node)
            if name is not None and name not in names and name in self.schemas:
                names.add(name)
                stack.append(self.schemas[name])
            stack.extend(child for _, child in subschemas(node))
        return names, nodes

    def security_scheme(self, name: str) -> Any:
        """The security scheme `name` as written (a `$ref` not followed), or `None`."""
        return self._security_section().get(name)

    def security_schemes(self) -> dict[str, dict[str, Any]]:
        """`components.securitySchemes` by name, each `$ref` resolved (a non-mapping is left out)."""
        found = {}
        for name, scheme in self._security_section().items():
            resolved = self.resolve(scheme, ("components", "securitySchemes", str(name)))
            if isinstance(resolved, dict):
                found[str(name)] = resolved
        return found

    def _security_section(self) -> dict[str, Any]:
        components = self.document.get("components") or {}
        schemes = components.get("securitySchemes") if isinstance(components, dict) else None
        return schemes if isinstance(schemes, dict) else {}

    # -- walking ------------------------------------------------------------------------------

    def operations(self) -> Iterator[OperationRef]:
        """Every operation under `paths:`, in document order, with its merged parameters."""
        paths = self.document.get("paths") or {}
        for path, item in paths.items():
            yield from self._path_item(item, ("paths", str(path)), str(path), None)

    def webhooks(self) -> Iterator[OperationRef]:
        """Every operation under `webhooks:` (OpenAPI 3.1), in document order."""
        hooks = self.document.get("webhooks") or {}
        for name, item in hooks.items():
            yield from self._path_item(item, ("webhooks", str(name)), None, str(name))

    def has_webhooks_section(self) -> bool:
        """Whether the document has a `webhooks:` section (even an empty one)."""
        return "webhooks" in self.document

    def webhook_names(self) -> list[str]:
        """The keys of the `webhooks:` section, in document order (with or without operations)."""
        return [str(name) for name in self.document.get("webhooks") or {}]

    def operation_at(self, section: str, key: str, method: str) -> Mapping[str, Any] | None:
        """The operation `method` of path `key` (`section` `"paths"`) or webhook `key` (`"webhooks"`)."""
        item = self.target(self.node_at((section, key)))
        operation = item.get(method) if isinstance(item, dict) else None
        return operation if isinstance(operation, dict) else None

    def _path_item(
        self, item: Any, pointer: Pointer, path: str | None, name: str | None
    ) -> Iterator[OperationRef]:
        item = self.resolve(item, pointer)
        if not isinstance(item, dict):
            return
        shared = self._parameters(item.get("parameters"), (*pointer, "parameters"))
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            at = (*pointer, method)
            own = self._parameters(operation.get("parameters"), (*at, "parameters"))
            merged = {(p.name, p.location): p for p in shared}
            merged.update({(p.name, p.location): p for p in own})
            yield OperationRef(method, path, operation, at, tuple(merged.values()), name, item)

    def _parameters(self, parameters: Any, pointer: Pointer) -> list[ParameterRef]:
        found = []
        for index, parameter in enumerate(parameters or []):
            at = (*pointer, str(index))
            resolved = self.resolve(parameter, at)
            if not isinstance(resolved, dict) or "name" not in resolved or "in" not in resolved:
                raise SpecModelError("a parameter needs `name` and `in`", at)
            found.append(ParameterRef(str(resolved["name"]), str(resolved["in"]), resolved, at))
        return found

    def locate(self, parts: Sequence[str]) -> Pointer:
        """The full pointer of a path the validator reports relative to one schema, when unique.

        The OpenAPI validator checks each schema on its own, so its error paths start at that
        schema (`properties/count/minimum`); this finds the component that has that path.
        """
        path = tuple(str(part) for part in parts)
        if path[:1] in (("paths",), ("components",), ("webhooks",), ("info",), ("servers",)):
            return path
        found = [name for name, schema in self.schemas.items() if _has_path(schema, path)]
        return ("components", "schemas", found[0], *path) if len(found) == 1 else path

    def non_local_refs(self) -> Iterator[Pointer]:
        """Where the document has a `$ref` to another file or URL (example values are not looked at)."""
        yield from _non_local_refs(self.document, ())

    def describe(self, pointer: Sequence[str]) -> str:
        """Name the component or operation a pointer falls in, for messages people can act on.

        `("components", "schemas", "Count", "properties", "n", "minimum")` ->
        `component schema Count, property n (#/components/schemas/Count/properties/n/minimum)`.
        """
        parts = [str(part) for part in pointer]
        text = pointer_text(parts)
        if parts[:2] == ["components", "schemas"] and len(parts) > 2:
            props = [parts[i + 1] for i in range(3, len(parts) - 1) if parts[i] == "properties"]
            prop = f", property {'.'.join(props)}" if props else ""
            return f"component schema {parts[2]}{prop} ({text})"
        if parts[:1] == ["paths"] and len(parts) > 2 and parts[2] in HTTP_METHODS:
            return f"operation {parts[2].upper()} {parts[1]} ({text})"
        if parts[:1] == ["webhooks"] and len(parts) > 1:
            return f"webhook {parts[1]} ({text})"
        return text


def schema_types(schema: Mapping[str, Any]) -> list[str]:
    """A schema's `type` as a list (`"string"` -> `["string"]`; none -> `[]`)."""
    kinds = schema.get("type", [])
    return [kinds] if isinstance(kinds, str) else list(kinds)


def media_types(container: Any) -> Mapping[str, Any]:
    """The `content` map (media type -> Media Type Object) of a request body or response; `{}` if none."""
    content = container.get("content") if isinstance(container, dict) else None
    return content if isinstance(content, dict) else {}


def ref_of(node: Any) -> str | None:
    """The `$ref` a schema or object states, when it states one as a string."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    return ref if isinstance(ref, str) else None


def refs_in(node: Any, parent: str | None = None) -> Iterator[str]:
    """Every `$ref` in `node`, outside example, default and enum data and extensions.

    A `default` under `responses` is a response, not data, so its `$ref`s count.
    """
    if isinstance(node, dict):
        ref = ref_of(node)
        if ref is not None:
            yield ref
        for key, value in node.items():
            data = key in DATA_KEYS and not (key == "default" and parent == "responses")
            if not data and not str(key).startswith("x-"):
                yield from refs_in(value, str(key))
    elif isinstance(node, list):
        for item in node:
            yield from refs_in(item)


def is_pure_ref(node: Any) -> bool:
    """Whether `node` is a `$ref` and nothing else (`{"$ref": "#/..."}`)."""
    return isinstance(node, dict) and len(node) == 1 and ref_of(node) is not None


def ref_siblings(node: Mapping[str, Any]) -> dict[str, Any]:
    """The keys beside a node's `$ref` (3.1 lets a description or `nullable` sit there)."""
    return {key: value for key, value in node.items() if key != "$ref"}


_MISSING: Any = object()


def _descend(node: Any, path: Sequence[str]) -> Any:
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node


def _has_path(node: Any, path: Pointer) -> bool:
    return _descend(node, path) is not _MISSING


def _non_local_refs(node: Any, pointer: Pointer) -> Iterator[Pointer]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            yield (*pointer, "$ref")
        for key, value in node.items():
            if key not in DATA_KEYS and not str(key).startswith("x-"):
                yield from _non_local_refs(value, (*pointer, str(key)))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _non_local_refs(item, (*pointer, str(index)))


def validate(document: dict[str, Any], source: str) -> None:
    """Validate a (normalised) document as OpenAPI; `SpecError` names the component that is wrong."""
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
    from referencing.exceptions import Unresolvable

    if "openapi" not in document:
        raise SpecError(f"{source}: not an OpenAPI document (no top-level 'openapi' key)")
    try:
        validate_openapi(document)
    except OpenAPIValidationError as exc:
        path: Sequence[Any] = getattr(exc, "absolute_path", None) or getattr(exc, "path", None) or ()
        parts = [str(part) for part in path]
        model = SpecModel(document, source, document)
        where = model.describe(model.locate(parts)) if parts else "(root)"
        message = " ".join(str(exc.message).split())[:300]
        raise SpecError(f"{source}: invalid OpenAPI in {where}: {message}") from exc
    except Unresolvable as exc:  # its message quotes the whole document
        raise SpecError(f"{source}: $ref '#{exc.ref}' points to nothing") from exc
    except Exception as exc:  # the validator raises other types for unsupported versions
        raise SpecError(f"{source}: cannot validate as OpenAPI: {exc}") from exc
