"""From the spec diff to changelog entries in a consumer's words, and the bump they call for.

`diff_report` is the only function that calls into `generator.diff`; the rest reads its result
model (changes with a level, a location and a message, plus the Python API changes), so a change
of the diff's entry points is a one-line fix here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from generator.diff.model import Change, Report
from generator.diff.rules import Level
from generator.facts import snake_case
from generator.project import ProjectConfig
from generator.release.errors import ReleaseError
from generator.release.history import Entry
from generator.release.versioning import Bump

_BUMPS = {Level.breaking: Bump.major, Level.non_breaking: Bump.minor, Level.info: Bump.patch}
_DOCUMENTATION_RULES = frozenset({"description-changed", "example-changed"})
_ROLES = {"request body": "sends", "payload": "carries"}
_BODY = re.compile(r"(?P<part>request body|response (?P<status>\S+) body|payload)(?: (?P<path>.+))?")


class Compared(NamedTuple):
    """The diff's report and the two parsed documents it compared."""

    report: Report
    old: dict[str, Any]
    new: dict[str, Any]


def diff_report(
    old: str, new: str, *, cwd: Path, python_api: bool, project: ProjectConfig | None = None
) -> Compared:
    """Diff two specs given as `layer-codegen diff` takes them (a file, or `REV:PATH` read in `cwd`).

    The HTTP changes always; the generated Python API's (built with `project`) when `python_api`.
    An unreadable spec raises `SpecError`, a package that cannot be generated `ReleaseError`.
    """
    from generator.diff.operations import diff_documents
    from generator.diff.sources import read_source

    old_source, new_source = read_source(old, cwd=cwd), read_source(new)
    report = Report(changes=diff_documents(old_source.document, new_source.document))
    if python_api:
        from generator.diff.python_api import PythonApiError, python_api_changes

        try:
            report.python_api = python_api_changes(old_source, new_source, project)
        except PythonApiError as exc:
            raise ReleaseError(f"{exc} (pass --no-python-api to compare only the HTTP API)") from exc
    return Compared(report, old_source.document, new_source.document)


def bump_for(report: Report) -> Bump | None:
    """Major for a breaking change, minor for a non-breaking one, patch for info only; None if empty."""
    levels = [change.level for change in [*report.changes, *report.python_api]]
    return max((_BUMPS[level] for level in levels), default=None)


def changelog_entries(report: Report, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Entry]:
    """One entry per HTTP change, and per Python API change the HTTP part does not already say."""
    names = _Names(old, new)
    entries = [
        Entry(_group(change), names.subject(change.location), _one_line(change.message), change.location)
        for change in sorted(report.changes, key=Change.sort_key)
    ]
    for change in sorted(report.python_api, key=Change.sort_key):
        if _said_by_http(change, report.changes):
            continue
        where = change.caused_by or change.location
        entries.append(Entry(_group(change), f"`{change.location}`", _one_line(change.message), where))
    return entries


def _group(change: Change) -> str:
    if change.level is Level.breaking:
        return "Breaking"
    if change.level is Level.non_breaking:
        return "Added" if "added" in change.rule else "Changed"
    return "Documentation" if change.rule in _DOCUMENTATION_RULES else "Changed"


def _said_by_http(change: Change, http: list[Change]) -> bool:
    """A removed operation also removes its methods: one entry, naming the method, is enough.

    An operationId rename is `info` over HTTP but breaking in Python, so it is kept.
    """
    cause = change.caused_by
    if cause is None:
        return False
    return any(
        other.level is change.level and (cause == other.location or cause.startswith(f"{other.location} "))
        for other in http
    )


def _one_line(text: str) -> str:
    """Spec text may span lines; a changelog entry is one Markdown list item."""
    return " ".join(text.split())


class _Names:
    """The Python names a consumer knows for a diff location: the method, the webhook, Model.field."""

    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        # The new document first: it names what was added or changed; the old one what was removed.
        self.documents = (new, old)

    def subject(self, location: str) -> str:
        """Who a change at `location` affects: a method, a webhook, or a model's field and its method."""
        kind, _, rest = location.partition(" ")
        name, _, rest = rest.partition(" ")
        if kind == "webhook":
            owner = f"webhook `{name}`"
            operation_key = ("webhooks", name, "post")
        else:
            operation_key = ("paths", name, kind.lower())
            method = self._operation_id(operation_key)
            owner = f"method `{snake_case(method)}`" if method else f"`{kind} {name}`"
        body = _BODY.fullmatch(rest)
        if body and body.group("path"):
            field = self._field(operation_key, body.group("status"), body.group("path"))
            if field:
                role = _ROLES.get(body.group("part"), "returns")
                return f"`{field}`, in what {owner} {role}"
        return owner

    def _operation_id(self, key: tuple[str, str, str]) -> str | None:
        for document in self.documents:
            operation = _get(document, key)
            operation_id = operation.get("operationId") if isinstance(operation, dict) else None
            if isinstance(operation_id, str):
                return operation_id
        return None

    def _field(self, key: tuple[str, str, str], status: str | None, path: str) -> str | None:
        """`Model.field` for the last property of `path`, with the model that declares it."""
        segments = [part for part in re.split(r"\.|(\[\]|\{\})", path) if part]
        for document in self.documents:
            operation = _get(document, key)
            if not isinstance(operation, dict):
                continue
            container = _deref(document, _body_container(operation, status))
            media_types = container.get("content") if isinstance(container, dict) else None
            for media in (media_types or {}).values():
                found = _walk(document, (media or {}).get("schema"), segments, None)
                if found:
                    return found
        return None


def _body_container(operation: Mapping[str, Any], status: str | None) -> Any:
    """The request body, or the response for `status` (YAML may have read `200` as an int)."""
    if status is None:
        return operation.get("requestBody")
    responses = operation.get("responses") or {}
    return responses.get(status, responses.get(int(status)) if status.isdigit() else None)


def _get(document: Mapping[str, Any], key: tuple[str, ...]) -> Any:
    node: Any = document
    for part in key:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _deref(document: Mapping[str, Any], node: Any) -> Any:
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        node = _get(document, tuple(node["$ref"].removeprefix("#/").split("/")))
    return node


def _model_name(node: Any, model: str | None) -> str | None:
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return model


def _walk(document: Mapping[str, Any], node: Any, segments: list[str], model: str | None) -> str | None:
    """Follow `segments` through `node`; the model is the last component `$ref` passed on the way."""
    model = _model_name(node, model)
    node = _deref(document, node)
    if not isinstance(node, dict) or not segments:
        return None
    head, rest = segments[0], segments[1:]
    for branch in _branches(node):
        model_here = _model_name(branch, model)
        branch = _deref(document, branch)
        if not isinstance(branch, dict):
            continue
        if head == "[]":
            child = branch.get("items")
        elif head == "{}":
            child = branch.get("additionalProperties")
        else:
            child = (branch.get("properties") or {}).get(head)
        if child is None:
            continue
        if not rest:
            return f"{model_here}.{head}" if model_here and head not in ("[]", "{}") else None
        found = _walk(document, child, rest, model_here)
        if found:
            return found
    return None


def _branches(node: dict[str, Any]) -> Iterator[Any]:
    """The schema and the parts of its `allOf` / `anyOf` / `oneOf`, where properties may live."""
    yield node
    for key in ("allOf", "anyOf", "oneOf"):
        yield from node.get(key) or ()
