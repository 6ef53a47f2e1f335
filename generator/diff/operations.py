"""Walking two OpenAPI documents side by side: operations, parameters, bodies, responses and webhooks.

This module turns schema findings into `Change`s with canonical locations:
`POST /x`, `POST /x request body a.b`, `POST /x response 200 body items[].id`,
`GET /x parameter query limit`, `POST /x response 200 header X-Id`, `POST /x security`,
`webhook NAME` and `webhook NAME payload a.b`. Operations, webhooks and their merged parameters
come from the spec model's walkers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from generator.diff.compare import Finding, SchemaDiff, pick
from generator.diff.model import Change, Location
from generator.diff.rules import Direction
from generator.diff.schema import Resolver, canonical
from generator.markdown import code_span as code
from generator.spec.model import HTTP_METHODS, OperationRef, SpecModel

_TEMPLATE = re.compile(r"\{[^}]*\}")


def diff_documents(old: Mapping[str, Any] | SpecModel, new: Mapping[str, Any] | SpecModel) -> list[Change]:
    """Every HTTP-level change from `old` to `new`, deduplicated and in report order.

    Both are read through the one spec model (`generator.spec.model`): 3.0 keywords normalised to
    their 3.1 meaning, operations and webhooks walked with path-level parameters merged in.

    A removed request property is located as
    `POST /session/token/create request body user.client_user_id`.
    """
    old_model = old if isinstance(old, SpecModel) else SpecModel.from_document(dict(old))
    new_model = new if isinstance(new, SpecModel) else SpecModel.from_document(dict(new))
    walker = _Walker(old_model, new_model)
    changes = set(walker.paths(old_model, new_model))
    changes.update(walker.webhooks(old_model, new_model))
    return sorted(changes, key=Change.sort_key)


class _Walker:
    def __init__(self, old: SpecModel, new: SpecModel) -> None:
        self.old = Resolver(old)
        self.new = Resolver(new)
        self.old_model, self.new_model = old, new
        self.old_document, self.new_document = old.document, new.document
        self.schemas = SchemaDiff(self.old, self.new)

    def paths(self, old: SpecModel, new: SpecModel) -> Iterator[Change]:
        # `/items/{id}` and `/items/{item_id}` are the same endpoint on the wire.
        old_by_key, new_by_key = _by_template(old), _by_template(new)
        for key in sorted(old_by_key.keys() | new_by_key.keys()):
            old_methods, new_methods = old_by_key.get(key, {}), new_by_key.get(key, {})
            for method in HTTP_METHODS:
                was, now = old_methods.get(method), new_methods.get(method)
                current = now if now is not None else was
                if current is None:
                    continue
                where = Location.operation(method, str(current.path))
                if now is None:
                    yield Change("operation-removed", where, "The operation was removed.")
                elif was is None:
                    yield Change("operation-added", where, "The operation was added.")
                else:
                    yield from self.operation(where, was, now, webhook=False)
                    yield from self.path_parameters(where, str(was.path), str(now.path))

    def webhooks(self, old: SpecModel, new: SpecModel) -> Iterator[Change]:
        old_names, new_names = set(old.webhook_names()), set(new.webhook_names())
        old_by_name, new_by_name = _by_webhook(old), _by_webhook(new)
        for name in sorted(old_names | new_names, key=str):
            where = Location.webhook(str(name))
            if name not in new_names:
                yield Change("webhook-removed", where, "The webhook was removed.")
                continue
            if name not in old_names:
                yield Change("webhook-added", where, "The webhook was added.")
                continue
            old_methods, new_methods = old_by_name.get(str(name), {}), new_by_name.get(str(name), {})
            for method in HTTP_METHODS:
                was, now = old_methods.get(method), new_methods.get(method)
                if was is None and now is None:
                    continue
                if was is None:
                    yield Change("webhook-added", where, f"The {method.upper()} delivery was added.")
                elif now is None:
                    yield Change("webhook-removed", where, f"The {method.upper()} delivery was removed.")
                else:
                    yield from self.operation(where, was, now, webhook=True)

    def operation(
        self, where: Location, old: OperationRef, new: OperationRef, *, webhook: bool
    ) -> Iterator[Change]:
        was, now = old.operation, new.operation
        if was.get("operationId") != now.get("operationId"):
            message = (
                f"operationId changed from {code(was.get('operationId'))} to {code(now.get('operationId'))}."
            )
            yield Change("operation-id-changed", where, message)
        for key in ("summary", "description"):
            if was.get(key) != now.get(key):
                yield Change("description-changed", where, f"The {key} changed.")
        if bool(was.get("deprecated")) != bool(now.get("deprecated")):
            state = "deprecated" if now.get("deprecated") else "no longer deprecated"
            yield Change("deprecated-changed", where, f"Now {state}.")
        if not webhook:
            yield from self.security(where, was, now)
        yield from self.parameters(where, _parameters(old), _parameters(new))
        # A webhook's payload flows from the API to the client, and its reply the other way.
        payload = Direction.response if webhook else Direction.request
        reply = Direction.request if webhook else Direction.response
        body_at = where.below("payload") if webhook else where.below("request body")
        yield from self.request_body(body_at, was.get("requestBody"), now.get("requestBody"), payload)
        yield from self.responses(where, was.get("responses") or {}, now.get("responses") or {}, reply)

    def parameters(
        self, where: Location, old: dict[tuple[str, str], Any], new: dict[tuple[str, str], Any]
    ) -> Iterator[Change]:
        for key in sorted(old.keys() | new.keys()):
            was, now = old.get(key), new.get(key)
            name = (now if now is not None else was or {})["name"]
            at = where.below("parameter", key[0], str(name))
            if now is None:
                yield Change("parameter-removed", at, "The parameter was removed.")
            elif was is None:
                required = bool(now.get("required"))
                rule = "parameter-added-required" if required else "parameter-added-optional"
                yield Change(rule, at, f"{'Required' if required else 'Optional'} parameter added.")
            else:
                yield from self.parameter(at, was, now)

    def parameter(self, at: Location, was: Mapping[str, Any], now: Mapping[str, Any]) -> Iterator[Change]:
        if bool(was.get("required")) != bool(now.get("required")):
            if now.get("required"):
                yield Change("parameter-became-required", at, "The parameter is now required.")
            else:
                yield Change("parameter-became-optional", at, "The parameter is now optional.")
        yield from _documentation(at, was, now)
        old_schema, new_schema = _parameter_schema(was), _parameter_schema(now)
        if _serialisation(was) != _serialisation(now) and self._structured(old_schema, new_schema):
            style, explode = _serialisation(now)
            message = f"Arrays and objects are now sent as style {code(style)}, explode {code(explode)}."
            yield Change("parameter-style-changed", at, message)
        items = self._became_array(was, now, old_schema, new_schema)
        if items is not None:
            # `?a=1` is a valid form-exploded array of one: compare the old value with the new items.
            yield Change("parameter-became-array", at, "The parameter now takes several values.")
            new_schema = items
        yield from _located(at, self.schemas.compare(old_schema, new_schema, Direction.request))

    def _structured(self, old_schema: Any, new_schema: Any) -> bool:
        """Whether either schema is an array or object, the values whose wire form a style decides."""
        for resolver, schema in ((self.old, old_schema), (self.new, new_schema)):
            types = resolver.shape(resolver.target(schema)).types
            if types is None or types & {"array", "object"}:
                return True
        return False

    def _became_array(
        self, was: Mapping[str, Any], now: Mapping[str, Any], old_schema: Any, new_schema: Any
    ) -> Any:
        """The new `items` schema when a form-exploded query or cookie scalar became an array of it."""
        if not all(_form_exploded(parameter) for parameter in (was, now)):
            return None
        old_shape = self.old.shape(self.old.target(old_schema))
        new_shape = self.new.shape(self.new.target(new_schema))
        if new_shape.types != frozenset({"array"}) or new_shape.items is None:
            return None
        if old_shape.types is None or not old_shape.types or old_shape.types & {"array", "object"}:
            return None
        items = self.new.shape(self.new.target(new_shape.items))
        return new_shape.items if items.types == old_shape.types else None

    def security(self, where: Location, was: Mapping[str, Any], now: Mapping[str, Any]) -> Iterator[Change]:
        """Requirements are alternatives (any one suffices), each a set of schemes with scopes."""
        old_alternatives = _security(self.old_document, was)
        new_alternatives = _security(self.new_document, now)
        at = where.below("security")
        for alternative in old_alternatives:
            if any(_satisfies(alternative, other) for other in new_alternatives):
                continue
            shown = _show_alternative(alternative)
            same_schemes = [other for other in new_alternatives if other.keys() == alternative.keys()]
            wider = [other for other in new_alternatives if other.keys() > alternative.keys()]
            if same_schemes:
                message = (
                    f"A scope was added to {code(shown)}: now {code(_show_alternative(same_schemes[0]))}."
                )
                yield Change("security-scope-added", at, message)
            elif wider:
                message = f"{code(shown)} is not enough any more: now {code(_show_alternative(wider[0]))}."
                yield Change("security-requirement-added", at, message)
            else:
                yield Change(
                    "security-alternative-removed", at, f"Authenticating with {code(shown)} was removed."
                )
        if old_alternatives != new_alternatives and all(
            any(_satisfies(alternative, other) for other in new_alternatives)
            for alternative in old_alternatives
        ):
            shown = ", ".join(code(_show_alternative(a)) for a in new_alternatives) or "none"
            yield Change("security-requirement-relaxed", at, f"The security requirement is now {shown}.")
        used = {name for alternative in old_alternatives for name in alternative}
        for name in sorted(used & {name for alternative in new_alternatives for name in alternative}):
            old_scheme = _scheme(self.old_model, name)
            new_scheme = _scheme(self.new_model, name)
            if old_scheme != new_scheme:
                message = f"Security scheme {code(name)} changed: {_scheme_change(old_scheme, new_scheme)}."
                yield Change("security-scheme-changed", at.below(name), message)

    def path_parameters(self, where: Location, old_path: str, new_path: str) -> Iterator[Change]:
        for was, now in zip(_TEMPLATE.findall(old_path), _TEMPLATE.findall(new_path), strict=True):
            if was != now:
                message = f"Path parameter {code(was[1:-1])} was renamed to {code(now[1:-1])}."
                yield Change("path-parameter-renamed", where.below("parameter", "path", now[1:-1]), message)

    def request_body(self, at: Location, old: Any, new: Any, direction: Direction) -> Iterator[Change]:
        was, now = self.old.target(old), self.new.target(new)
        if was is None and now is None:
            return
        if direction is Direction.response:
            if now is None:
                yield Change("response-body-removed", at, "The payload was removed.")
            elif was is None:
                yield Change("response-body-added", at, "The payload was added.")
            else:
                yield from self.content(at, was.get("content") or {}, now.get("content") or {}, direction)
            return
        if now is None:
            yield Change("request-body-removed", at, "The request body was removed.")
        elif was is None:
            required = bool(now.get("required"))
            rule = "request-body-added-required" if required else "request-body-added-optional"
            yield Change(rule, at, f"A {'required' if required else 'optional'} request body was added.")
        else:
            if bool(was.get("required")) != bool(now.get("required")):
                if now.get("required"):
                    yield Change("request-body-became-required", at, "The request body is now required.")
                else:
                    yield Change("request-body-became-optional", at, "The request body is now optional.")
            if was.get("description") != now.get("description"):
                yield Change("description-changed", at, "The description changed.")
            yield from self.content(at, was.get("content") or {}, now.get("content") or {}, direction)

    def responses(
        self, where: Location, old: Mapping[Any, Any], new: Mapping[Any, Any], direction: Direction
    ) -> Iterator[Change]:
        # YAML reads an unquoted 200 as an int.
        old_by_status = {str(status): value for status, value in old.items()}
        new_by_status = {str(status): value for status, value in new.items()}
        for status in sorted(old_by_status.keys() | new_by_status.keys()):
            at = where.below("response", status)
            if status not in new_by_status:
                yield Change("response-removed", at, f"The {code(status)} response was removed.")
                continue
            if status not in old_by_status:
                yield Change("response-added", at, f"The {code(status)} response was added.")
                continue
            was, now = self.old.target(old_by_status[status]), self.new.target(new_by_status[status])
            if was.get("description") != now.get("description"):
                yield Change("description-changed", at, "The description changed.")
            if direction is Direction.response:
                yield from self.headers(at, was.get("headers") or {}, now.get("headers") or {})
            old_content, new_content = was.get("content") or {}, now.get("content") or {}
            body_at = at.below("body")
            if old_content and not new_content:
                yield Change("response-body-removed", body_at, "The response body was removed.")
            elif new_content and not old_content:
                yield Change("response-body-added", body_at, "The response body was added.")
            else:
                yield from self.content(body_at, old_content, new_content, direction)

    def headers(self, at: Location, old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
        """Response headers, matched case-insensitively; their schemas flow to the client."""
        old_by_name = {str(name).lower(): (str(name), value) for name, value in old.items()}
        new_by_name = {str(name).lower(): (str(name), value) for name, value in new.items()}
        for key in sorted(old_by_name.keys() | new_by_name.keys()):
            name = (new_by_name.get(key) or old_by_name[key])[0]
            where = at.below("header", name)
            if key not in new_by_name:
                yield Change("response-header-removed", where, f"Header {code(name)} was removed.")
            elif key not in old_by_name:
                yield Change("response-header-added", where, f"Header {code(name)} was added.")
            else:
                was = self.old.target(old_by_name[key][1]) or {}
                now = self.new.target(new_by_name[key][1]) or {}
                yield from _documentation(where, was, now)
                findings = self.schemas.compare(
                    _parameter_schema(was), _parameter_schema(now), Direction.response
                )
                yield from _located(where, findings)

    def content(
        self, at: Location, old: Mapping[str, Any], new: Mapping[str, Any], direction: Direction
    ) -> Iterator[Change]:
        matched = _match_media(list(old), list(new), direction)
        generalised: set[str] = set()
        for media in sorted(old):
            if media in matched:
                continue
            wider = [
                other for other in new if direction is Direction.response and _covers_media(other, media)
            ]
            if wider:
                # The client decoded `media`; the API may now send any type of the wider range.
                generalised.add(wider[0])
                message = f"Media type {code(media)} became {code(wider[0])}."
                yield Change("response-media-type-generalised", at, message)
                was, now = old[media] or {}, new[wider[0]] or {}
                yield from _located(
                    at, self.schemas.compare(was.get("schema", {}), now.get("schema", {}), direction)
                )
                continue
            rule = pick(direction, "request-media-type-removed", "response-media-type-removed")
            yield Change(rule, at, f"Media type {code(media)} was removed.")
        for media in sorted(set(new) - set(matched.values()) - generalised):
            rule = pick(direction, "request-media-type-added", "response-media-type-added")
            yield Change(rule, at, f"Media type {code(media)} was added.")
        for media, other in sorted(matched.items()):
            if media != other:
                yield Change("media-type-renamed", at, f"Media type {code(media)} is now {code(other)}.")
            was, now = old[media] or {}, new[other] or {}
            if _examples(was) != _examples(now):
                yield Change("example-changed", at, f"The {code(media)} example changed.")
            findings = self.schemas.compare(was.get("schema", {}), now.get("schema", {}), direction)
            yield from _located(at, findings)


def _located(at: Location, findings: Iterable[Finding]) -> Iterator[Change]:
    """Schema findings as changes below `at`; a `per_schema` one at its component, the same for every use."""
    for finding in findings:
        if finding.schema is not None:
            name, path = finding.schema
            yield Change(finding.rule, Location.schema(name, path), finding.message)
        else:
            yield Change(finding.rule, at.at(*finding.path), finding.message)


def _documentation(at: Location, was: Mapping[str, Any], now: Mapping[str, Any]) -> Iterator[Change]:
    if was.get("description") != now.get("description"):
        yield Change("description-changed", at, "The description changed.")
    if _examples(was) != _examples(now):
        yield Change("example-changed", at, "The example changed.")
    if bool(was.get("deprecated")) != bool(now.get("deprecated")):
        state = "deprecated" if now.get("deprecated") else "no longer deprecated"
        yield Change("deprecated-changed", at, f"Now {state}.")


def _examples(node: Mapping[str, Any]) -> str:
    return canonical([node.get("example"), node.get("examples")])


def _by_template(model: SpecModel) -> dict[str, dict[str, OperationRef]]:
    """The operations of `paths:` by template with parameter names blanked, then by method."""
    found: dict[str, dict[str, OperationRef]] = {}
    for operation in model.operations():
        found.setdefault(_TEMPLATE.sub("{}", str(operation.path)), {})[operation.method] = operation
    return found


def _by_webhook(model: SpecModel) -> dict[str, dict[str, OperationRef]]:
    found: dict[str, dict[str, OperationRef]] = {}
    for operation in model.webhooks():
        found.setdefault(str(operation.name), {})[operation.method] = operation
    return found


def _parameters(operation: OperationRef) -> dict[tuple[str, str], Any]:
    """The spec model's merged parameters, keyed by (in, name) as they meet on the wire."""
    positions = {
        name[1:-1]: f"#{index}" for index, name in enumerate(_TEMPLATE.findall(operation.path or ""))
    }
    merged: dict[tuple[str, str], Any] = {}
    for parameter in operation.parameters:
        name = parameter.name
        # Header names are case-insensitive; path parameters are matched by position, not name.
        if parameter.location == "header":
            name = name.lower()
        elif parameter.location == "path":
            name = positions.get(name, name)
        merged[(parameter.location, name)] = parameter.parameter
    return merged


def _parameter_schema(parameter: Mapping[str, Any]) -> Any:
    if "schema" in parameter:
        return parameter["schema"]
    for media in (parameter.get("content") or {}).values():
        return (media or {}).get("schema", {})
    return {}


def _serialisation(parameter: Mapping[str, Any]) -> tuple[str, bool]:
    """The effective `style` and `explode` of a parameter, defaults filled in as OpenAPI defines them."""
    style = str(
        parameter.get("style") or ("form" if parameter.get("in") in ("query", "cookie") else "simple")
    )
    return style, bool(parameter.get("explode", style == "form"))


def _form_exploded(parameter: Mapping[str, Any]) -> bool:
    """A query or cookie parameter sent as `a=1&a=2` (`style: form`, `explode: true`, the defaults)."""
    if parameter.get("in") not in ("query", "cookie"):
        return False
    return parameter.get("style", "form") == "form" and parameter.get("explode", True) is True


Alternative = dict[str, frozenset[str]]


def _security(document: Mapping[str, Any], operation: Mapping[str, Any]) -> list[Alternative]:
    """The operation's own `security`, or the document's; `[{}]` (anonymous) when there is none."""
    raw = operation["security"] if "security" in operation else document.get("security")
    if not isinstance(raw, list) or not raw:
        return [{}]
    alternatives = []
    for entry in raw:
        if isinstance(entry, dict):
            alternatives.append(
                {str(name): frozenset(map(str, scopes or ())) for name, scopes in entry.items()}
            )
    return alternatives


def _satisfies(credentials: Alternative, requirement: Alternative) -> bool:
    """Whether a client holding `credentials` (one old alternative) meets `requirement`."""
    return all(name in credentials and scopes <= credentials[name] for name, scopes in requirement.items())


def _show_alternative(alternative: Alternative) -> str:
    if not alternative:
        return "no authentication"
    return " + ".join(
        f"{name}[{', '.join(sorted(scopes))}]" if scopes else name
        for name, scopes in sorted(alternative.items())
    )


_SCHEME_DOCS = frozenset({"description"})


def _scheme(model: SpecModel, name: str) -> dict[str, Any]:
    """A security scheme without its documentation, OAuth scope descriptions reduced to scope names."""
    scheme = model.target(model.security_scheme(name))
    if not isinstance(scheme, dict):
        return {}
    result = {key: value for key, value in scheme.items() if key not in _SCHEME_DOCS}
    flows = result.get("flows")
    if isinstance(flows, dict):
        result["flows"] = {
            flow: {
                key: sorted(value) if key == "scopes" and isinstance(value, dict) else value
                for key, value in (body or {}).items()
                if key not in _SCHEME_DOCS
            }
            for flow, body in flows.items()
        }
    return result


def _scheme_change(old: dict[str, Any], new: dict[str, Any]) -> str:
    keys = sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))
    return ", ".join(
        f"{code(key)} {code(canonical(old.get(key)))} -> {code(canonical(new.get(key)))}" for key in keys
    )


def _media_family(media: str) -> str:
    """`application/problem+json; charset=utf-8` -> `application/json`: one family for compatibility."""
    base = media.split(";", 1)[0].strip().lower()
    kind, _, subtype = base.partition("/")
    if subtype.endswith("+json"):
        subtype = "json"
    return f"{kind}/{subtype}"


def _covers_media(pattern: str, media: str) -> bool:
    kind, _, subtype = _media_family(pattern).partition("/")
    other_kind, _, _ = _media_family(media).partition("/")
    return kind == "*" or (subtype == "*" and kind == other_kind)


def _match_media(old: list[str], new: list[str], direction: Direction) -> dict[str, str]:
    """Each old media type's counterpart in `new`: the same, the same family, else a wildcard.

    A request may move to a wildcard that accepts the old type; a response may move from a wildcard
    (clients accepted anything) to a type it covers. The other way round is a removal.
    """
    matched: dict[str, str] = {}
    for media in old:
        if media in new:
            matched[media] = media
    for media in old:
        if media in matched:
            continue
        family = [other for other in new if _media_family(other) == _media_family(media)]
        if direction is Direction.request:
            wildcard = [other for other in new if _covers_media(other, media)]
        else:
            wildcard = [other for other in new if _covers_media(media, other)]
        candidates = [other for other in family + wildcard if other not in matched.values()]
        if candidates:
            matched[media] = candidates[0]
    return matched
