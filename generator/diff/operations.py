"""Walking two OpenAPI documents side by side: operations, parameters, bodies, responses and webhooks.

This module turns schema findings into `Change`s with canonical locations:
`POST /x`, `POST /x request body a.b`, `POST /x response 200 body items[].id`,
`GET /x parameter query limit`, `webhook NAME` and `webhook NAME payload a.b`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from generator.diff.compare import Direction, Finding, SchemaDiff
from generator.diff.model import Change
from generator.diff.schema import Resolver, canonical

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE = re.compile(r"\{[^}]*\}")


def diff_documents(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every HTTP-level change from `old` to `new`, deduplicated and in report order.

    >>> diff_documents(old_doc, new_doc)[0].location
    'POST /session/token/create request body user.client_user_id'
    """
    walker = _Walker(Resolver(old), Resolver(new))
    changes = set(walker.paths(old.get("paths") or {}, new.get("paths") or {}))
    changes.update(walker.webhooks(old.get("webhooks") or {}, new.get("webhooks") or {}))
    return sorted(changes, key=Change.sort_key)


def render_path(segments: Iterable[str]) -> str:
    """`("items", "[]", "item_id")` → `items[].item_id`."""
    text = ""
    for segment in segments:
        if segment in ("[]", "{}"):
            text += segment
        else:
            text += f".{segment}" if text else segment
    return text


class _Walker:
    def __init__(self, old: Resolver, new: Resolver) -> None:
        self.old = old
        self.new = new
        self.schemas = SchemaDiff(old, new)

    def paths(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
        # `/items/{id}` and `/items/{item_id}` are the same endpoint on the wire.
        old_by_key = {_TEMPLATE.sub("{}", str(path)): path for path in old}
        new_by_key = {_TEMPLATE.sub("{}", str(path)): path for path in new}
        for key in sorted(old_by_key.keys() | new_by_key.keys()):
            old_path, new_path = old_by_key.get(key), new_by_key.get(key)
            old_item = self.old.target(old[old_path]) if old_path is not None else {}
            new_item = self.new.target(new[new_path]) if new_path is not None else {}
            for method in METHODS:
                was, now = old_item.get(method), new_item.get(method)
                shown = str(new_path if now is not None and new_path is not None else old_path)
                where = f"{method.upper()} {shown}"
                if was is None and now is None:
                    continue
                if now is None:
                    yield Change("operation-removed", where, "The operation was removed.")
                elif was is None:
                    yield Change("operation-added", where, "The operation was added.")
                else:
                    paths = (str(old_path), str(new_path))
                    yield from self.operation(where, paths, (old_item, was), (new_item, now), webhook=False)
                    yield from self.path_parameters(where, *paths)

    def webhooks(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
        for name in sorted(old.keys() | new.keys(), key=str):
            where = f"webhook {name}"
            if name not in new:
                yield Change("webhook-removed", where, "The webhook was removed.")
                continue
            if name not in old:
                yield Change("webhook-added", where, "The webhook was added.")
                continue
            old_item, new_item = self.old.target(old[name]), self.new.target(new[name])
            for method in METHODS:
                was, now = old_item.get(method), new_item.get(method)
                if was is None and now is None:
                    continue
                if was is None or now is None:
                    rule = "webhook-added" if was is None else "webhook-removed"
                    yield Change(rule, where, f"The {method.upper()} delivery was {rule.split('-')[1]}.")
                else:
                    paths = ("", "")
                    yield from self.operation(where, paths, (old_item, was), (new_item, now), webhook=True)

    def operation(
        self,
        where: str,
        paths: tuple[str, str],
        old: tuple[Mapping[str, Any], Mapping[str, Any]],
        new: tuple[Mapping[str, Any], Mapping[str, Any]],
        *,
        webhook: bool,
    ) -> Iterator[Change]:
        (old_item, was), (new_item, now) = old, new
        if was.get("operationId") != now.get("operationId"):
            message = f"operationId changed from `{was.get('operationId')}` to `{now.get('operationId')}`."
            yield Change("operation-id-changed", where, message)
        for key in ("summary", "description"):
            if was.get(key) != now.get(key):
                yield Change("description-changed", where, f"The {key} changed.")
        if bool(was.get("deprecated")) != bool(now.get("deprecated")):
            state = "deprecated" if now.get("deprecated") else "no longer deprecated"
            yield Change("deprecated-changed", where, f"Now {state}.")
        old_parameters = _parameters(self.old, paths[0], old_item, was)
        new_parameters = _parameters(self.new, paths[1], new_item, now)
        yield from self.parameters(where, old_parameters, new_parameters)
        # A webhook's payload flows from the API to the client, and its reply the other way.
        payload = Direction.response if webhook else Direction.request
        reply = Direction.request if webhook else Direction.response
        body_at = f"{where} payload" if webhook else f"{where} request body"
        yield from self.request_body(body_at, was.get("requestBody"), now.get("requestBody"), payload)
        yield from self.responses(where, was.get("responses") or {}, now.get("responses") or {}, reply)

    def parameters(
        self, where: str, old: dict[tuple[str, str], Any], new: dict[tuple[str, str], Any]
    ) -> Iterator[Change]:
        for key in sorted(old.keys() | new.keys()):
            was, now = old.get(key), new.get(key)
            name = (now if now is not None else was or {})["name"]
            at = f"{where} parameter {key[0]} {name}"
            if now is None:
                yield Change("parameter-removed", at, "The parameter was removed.")
            elif was is None:
                required = bool(now.get("required"))
                rule = "parameter-added-required" if required else "parameter-added-optional"
                yield Change(rule, at, f"{'Required' if required else 'Optional'} parameter added.")
            else:
                yield from self.parameter(at, was, now)

    def parameter(self, at: str, was: Mapping[str, Any], now: Mapping[str, Any]) -> Iterator[Change]:
        if bool(was.get("required")) != bool(now.get("required")):
            if now.get("required"):
                yield Change("parameter-became-required", at, "The parameter is now required.")
            else:
                yield Change("parameter-became-optional", at, "The parameter is now optional.")
        yield from _documentation(at, was, now)
        findings = self.schemas.compare(_parameter_schema(was), _parameter_schema(now), Direction.request)
        for rule, path, message in findings:
            suffix = render_path(path)
            location = at if not suffix else at + suffix if suffix[:1] in "[{" else f"{at}.{suffix}"
            yield Change(rule, location, message)

    def path_parameters(self, where: str, old_path: str, new_path: str) -> Iterator[Change]:
        for was, now in zip(_TEMPLATE.findall(old_path), _TEMPLATE.findall(new_path), strict=True):
            if was != now:
                message = f"Path parameter `{was[1:-1]}` was renamed to `{now[1:-1]}`."
                yield Change("path-parameter-renamed", f"{where} parameter path {now[1:-1]}", message)

    def request_body(self, at: str, old: Any, new: Any, direction: Direction) -> Iterator[Change]:
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
                state = "required" if now.get("required") else "optional"
                yield Change(f"request-body-became-{state}", at, f"The request body is now {state}.")
            if was.get("description") != now.get("description"):
                yield Change("description-changed", at, "The description changed.")
            yield from self.content(at, was.get("content") or {}, now.get("content") or {}, direction)

    def responses(
        self, where: str, old: Mapping[Any, Any], new: Mapping[Any, Any], direction: Direction
    ) -> Iterator[Change]:
        # YAML reads an unquoted 200 as an int.
        old_by_status = {str(status): value for status, value in old.items()}
        new_by_status = {str(status): value for status, value in new.items()}
        for status in sorted(old_by_status.keys() | new_by_status.keys()):
            at = f"{where} response {status}"
            if status not in new_by_status:
                yield Change("response-removed", at, f"The {status} response was removed.")
                continue
            if status not in old_by_status:
                yield Change("response-added", at, f"The {status} response was added.")
                continue
            was, now = self.old.target(old_by_status[status]), self.new.target(new_by_status[status])
            if was.get("description") != now.get("description"):
                yield Change("description-changed", at, "The description changed.")
            old_content, new_content = was.get("content") or {}, now.get("content") or {}
            body_at = f"{at} body"
            if old_content and not new_content:
                yield Change("response-body-removed", body_at, "The response body was removed.")
            elif new_content and not old_content:
                yield Change("response-body-added", body_at, "The response body was added.")
            else:
                yield from self.content(body_at, old_content, new_content, direction)

    def content(
        self, at: str, old: Mapping[str, Any], new: Mapping[str, Any], direction: Direction
    ) -> Iterator[Change]:
        d = direction.value
        for media in sorted(old.keys() | new.keys()):
            if media not in new:
                yield Change(f"{d}-media-type-removed", at, f"Media type `{media}` was removed.")
            elif media not in old:
                yield Change(f"{d}-media-type-added", at, f"Media type `{media}` was added.")
            else:
                was, now = old[media] or {}, new[media] or {}
                if _examples(was) != _examples(now):
                    yield Change("example-changed", at, f"The `{media}` example changed.")
                findings = self.schemas.compare(was.get("schema", {}), now.get("schema", {}), direction)
                yield from _located(at, findings)


def _located(at: str, findings: Iterable[Finding]) -> Iterator[Change]:
    for rule, path, message in findings:
        yield Change(rule, f"{at} {render_path(path)}" if path else at, message)


def _documentation(at: str, was: Mapping[str, Any], now: Mapping[str, Any]) -> Iterator[Change]:
    if was.get("description") != now.get("description"):
        yield Change("description-changed", at, "The description changed.")
    if _examples(was) != _examples(now):
        yield Change("example-changed", at, "The example changed.")
    if bool(was.get("deprecated")) != bool(now.get("deprecated")):
        state = "deprecated" if now.get("deprecated") else "no longer deprecated"
        yield Change("deprecated-changed", at, f"Now {state}.")


def _examples(node: Mapping[str, Any]) -> str:
    return canonical([node.get("example"), node.get("examples")])


def _parameters(
    resolver: Resolver, path: str, path_item: Mapping[str, Any], operation: Mapping[str, Any]
) -> dict[tuple[str, str], Any]:
    """Path-level parameters overridden by operation-level ones, keyed by (in, name)."""
    positions = {name[1:-1]: f"#{index}" for index, name in enumerate(_TEMPLATE.findall(path))}
    merged: dict[tuple[str, str], Any] = {}
    for raw in [*(path_item.get("parameters") or ()), *(operation.get("parameters") or ())]:
        parameter = resolver.target(raw)
        if not isinstance(parameter, dict) or "name" not in parameter:
            continue
        where = str(parameter.get("in", "query"))
        name = str(parameter["name"])
        # Header names are case-insensitive; path parameters are matched by position, not name.
        if where == "header":
            name = name.lower()
        elif where == "path":
            name = positions.get(name, name)
        merged[(where, name)] = parameter
    return merged


def _parameter_schema(parameter: Mapping[str, Any]) -> Any:
    if "schema" in parameter:
        return parameter["schema"]
    for media in (parameter.get("content") or {}).values():
        return (media or {}).get("schema", {})
    return {}
