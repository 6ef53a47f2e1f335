"""The one spec model: load an OpenAPI document, normalise it to 3.1 meaning, resolve and walk it.

Every command (`generate`, `check`, `diff`, `docs-check`) reads the spec through `SpecModel`, so
there is one answer to "which operations are there", "what does this `$ref` point to" and "what
does `nullable: true` mean". The API, kept stable for the other commands:

- `SpecModel.load(path)` / `SpecModel.from_document(document, source)`: parse (through
  `generator.spec_loader`) and normalise; `.document` is the normalised 3.1 document, `.original`
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
- `pointer_text(parts)` / `parse_pointer(ref)`: a location as a JSON pointer
  (`#/paths/~1user~1create/post`) and back; `normalise(document)` / `normalise_schema(schema)`:
  the normalisation on its own.

Normalisation (3.0 keywords, also when pasted into a 3.1 document) happens once, on a copy:
`nullable: true` adds `"null"` to `type` (or wraps the schema in `anyOf: [..., {type: "null"}]`
when it has no `type`, as beside a `$ref` or `allOf`); `example` and `x-examples` become
`examples`; boolean `exclusiveMinimum`/`exclusiveMaximum` become the 3.1 numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.spec_loader import SpecError, load_document
from generator.spec_validation import validate_openapi

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
"""The operation keys of a path item, in the order OpenAPI lists them."""

SCHEMAS_PREFIX = "#/components/schemas/"

Pointer = tuple[str, ...]

# Keywords whose value is one schema, a list of schemas, or a map of name -> schema.
_ONE_SCHEMA = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
)
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
# Annotations that stay on the outer schema when `nullable` wraps a typeless one in `anyOf`.
_ANNOTATIONS = ("title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly")
# Keys of non-schema objects whose values are user data, never spec structure.
_EXAMPLE_OBJECT_KEYS = frozenset({"summary", "description", "value"})
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})


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
        try:
            parts = parse_pointer(ref)
        except SpecModelError as exc:
            raise SpecModelError(str(exc), where) from None
        node: Any = self.document
        for part in parts:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise SpecModelError(f"$ref {ref!r} points to nothing", where)
        return node

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


def _has_path(node: Any, path: Pointer) -> bool:
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def _non_local_refs(node: Any, pointer: Pointer) -> Iterator[Pointer]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            yield (*pointer, "$ref")
        for key, value in node.items():
            if key not in _DATA_KEYS and not str(key).startswith("x-"):
                yield from _non_local_refs(value, (*pointer, str(key)))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _non_local_refs(item, (*pointer, str(index)))


# -- normalisation ----------------------------------------------------------------------------


def normalise(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `document` with 3.0 schema keywords rewritten to their 3.1 meaning."""
    result: dict[str, Any] = _tree_copy(dict(document))
    _walk_structure(result)
    if str(result.get("openapi", "")).startswith("3.0"):
        result["openapi"] = "3.1.0"
    return result


def _tree_copy(node: Any) -> Any:
    """A copy of a parsed document's dicts and lists; the scalars, immutable, are shared.

    Several times faster than `copy.deepcopy` on a 3 MB spec, which keeps a memo of every node.
    """
    if isinstance(node, dict):
        return {key: _tree_copy(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_tree_copy(item) for item in node]
    return node


def _walk_structure(node: Any) -> None:
    """Find schema roots in non-schema objects (parameters, media types, headers, components)."""
    if isinstance(node, list):
        for item in node:
            _walk_structure(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in _DATA_KEYS or (isinstance(key, str) and key.startswith("x-")):
            continue
        if key == "schema" and isinstance(value, dict):
            node[key] = normalise_schema(value)
        elif key == "schemas" and isinstance(value, dict):
            for name, schema in list(value.items()):
                if isinstance(schema, dict):
                    value[name] = normalise_schema(schema)
        else:
            _walk_structure(value)


def normalise_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """One schema (and its subschemas) with 3.0 keywords rewritten; returns the schema to use."""
    for key in _ONE_SCHEMA:
        if isinstance(schema.get(key), dict):
            schema[key] = normalise_schema(schema[key])
    for key in _SCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            schema[key] = [normalise_schema(s) if isinstance(s, dict) else s for s in schema[key]]
    if isinstance(schema.get("items"), list):  # draft-4 tuple form
        schema["items"] = [normalise_schema(s) if isinstance(s, dict) else s for s in schema["items"]]
    for key in _SCHEMA_MAPS:
        members = schema.get(key)
        if isinstance(members, dict):
            for name, member in list(members.items()):
                if isinstance(member, dict):
                    members[name] = normalise_schema(member)
    _normalise_examples(schema)
    _normalise_exclusive(schema, "exclusiveMinimum", "minimum")
    _normalise_exclusive(schema, "exclusiveMaximum", "maximum")
    return _normalise_nullable(schema)


def _normalise_examples(schema: dict[str, Any]) -> None:
    gathered: list[Any] = []
    if isinstance(schema.get("examples"), list):
        gathered.extend(schema["examples"])
    if "example" in schema:
        gathered.append(schema.pop("example"))
    if "x-examples" in schema:
        extra = schema.pop("x-examples")
        values = extra.values() if isinstance(extra, dict) else extra if isinstance(extra, list) else [extra]
        for value in values:
            # OpenAPI Example objects ({summary, value}) carry the value under `value`.
            if (
                isinstance(value, dict)
                and set(value) <= {"summary", "description", "value"}
                and "value" in value
            ):
                value = value["value"]
            gathered.append(value)
    if gathered:
        schema["examples"] = gathered


def _normalise_exclusive(schema: dict[str, Any], exclusive: str, bound: str) -> None:
    flag = schema.get(exclusive)
    if not isinstance(flag, bool):
        return
    del schema[exclusive]
    if flag and bound in schema:
        schema[exclusive] = schema.pop(bound)


def _normalise_nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "nullable" not in schema:
        return schema
    nullable = schema.pop("nullable")
    if nullable is not True:
        return schema
    kind = schema.get("type")
    if kind is not None:
        kinds = [kind] if isinstance(kind, str) else list(kind)
        if "null" not in kinds:
            kinds.append("null")
        schema["type"] = kinds
        if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    outer = {key: schema.pop(key) for key in _ANNOTATIONS if key in schema}
    for key in ("anyOf", "oneOf"):
        variants = schema.get(key)
        if set(schema) == {key} and isinstance(variants, list):
            if not any(isinstance(v, dict) and v.get("type") == "null" for v in variants):
                variants.append({"type": "null"})
            return {**outer, **schema}
    return {**outer, "anyOf": [schema, {"type": "null"}]}


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
