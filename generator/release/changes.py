"""From the spec diff to changelog entries in a consumer's words, and the bump they call for.

`diff_report` is the only function that runs the diff (through `generator.diff.runner`, as
`layer-codegen diff` does); the rest reads its result model: changes with a rule (whose registry
entry gives the changelog section), a structured location and a message, plus the Python API changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from generator.build.history import Entry
from generator.build.versioning import Bump
from generator.diff.model import Change, Location, PythonApiError, Report
from generator.diff.rules import Level
from generator.diff.runner import compare_specs
from generator.errors import ReleaseError
from generator.facts.names import snake_case
from generator.markdown import code_span
from generator.project import ProjectConfig
from generator.spec.keywords import COMPOSITION
from generator.spec.model import SpecModel, SpecModelError, media_types

_BUMPS = {Level.breaking: Bump.major, Level.non_breaking: Bump.minor, Level.info: Bump.patch}
_ROLES = {"request body": "sends", "payload": "carries"}
# "Property `x` was removed." said of `Model.x`: the subject already names the property.
_PROPERTY_PREFIX = re.compile(r"(?:(?P<kind>Required|Optional) p|P)roperty `[^`]*` (?:was|is) (?P<rest>.+)")


class Compared(NamedTuple):
    """The diff's report and the two parsed documents it compared."""

    report: Report
    old: dict[str, Any]
    new: dict[str, Any]


def diff_report(
    old: str, new: str, *, cwd: Path, python_api: bool, project: ProjectConfig | None = None
) -> Compared:
    """Diff two specs given as `layer-codegen diff` takes them (a file, or `REV:PATH` read in `cwd`),
    with the runner `layer-codegen diff` uses.

    The HTTP changes always; the generated Python API's (built with `project`) when `python_api`.
    An unreadable spec raises `SpecError`, a package that cannot be generated `ReleaseError`.
    """
    try:
        compared = compare_specs(old, new, python_api=python_api, project=project, cwd=cwd)
    except PythonApiError as exc:
        raise ReleaseError(f"{exc} (pass --no-python-api to compare only the HTTP API)") from exc
    unavailable = compared.report.python_api_unavailable
    if unavailable is not None:  # a release needs both verdicts
        raise ReleaseError(f"{unavailable} (pass --no-python-api to compare only the HTTP API)")
    return Compared(compared.report, compared.old.document, compared.new.document)


def bump_for(report: Report, entries: list[Entry] | None = None) -> Bump | None:
    """Major for a breaking change, minor for a non-breaking one, patch for info only; None if empty.

    With `entries`, a Breaking entry (a renamed method) also calls for a major version.
    """
    levels = [change.level for change in [*report.changes, *report.python_api]]
    bump = max((_BUMPS[level] for level in levels), default=None)
    if entries and any(entry.group == "Breaking" for entry in entries):
        return Bump.major
    return bump


def changelog_entries(report: Report, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Entry]:
    """One entry per subject and group: the HTTP changes, the Python API changes the HTTP part does
    not already say, and one entry per renamed method in place of its removals and additions."""
    names = _Names(old, new)
    renamed = {
        change.location.owner: rename
        for change in report.changes
        if change.rule == "operation-id-changed" and (rename := names.rename(change.location)) is not None
    }
    entries = [
        Entry(*renamed[change.location.owner], str(change.location))
        if change.location.owner in renamed and change.rule == "operation-id-changed"
        else Entry(_group(change), *names.describe(change))
        for change in sorted(report.changes, key=Change.sort_key)
    ]
    for change in sorted(report.python_api, key=Change.sort_key):
        if _said_by_http(change, report.changes) or (change.caused_by and change.caused_by.owner in renamed):
            continue
        if report.changes and change.level is not Level.breaking:
            # A new method, a widened union: the consequence of an HTTP addition listed already.
            continue
        where = str(change.caused_by or change.location)
        entries.append(Entry(_group(change), code_span(change.location), _one_line(change.message), where))
    return _merged(entries)


def _group(change: Change) -> str:
    if change.level is Level.breaking:
        return "Breaking"
    return change.definition.section.value


def _merged(entries: list[Entry]) -> list[Entry]:
    """Entries of one group about one subject become one entry, its messages in order."""
    merged: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        key = (entry.group, entry.subject)
        first = merged.get(key)
        if first is None:
            merged[key] = entry
            continue
        messages = first.message if entry.message == first.message else f"{first.message} {entry.message}"
        locations = first.location.split("; ")
        where = first.location if entry.location in locations else f"{first.location}; {entry.location}"
        merged[key] = Entry(first.group, first.subject, messages, where)
    return list(merged.values())


def _said_by_http(change: Change, http: list[Change]) -> bool:
    """A removed operation also removes its methods: one entry, naming the method, is enough."""
    cause = change.caused_by
    if cause is None:
        return False
    return any(
        other.level is change.level
        and (cause == other.location or (cause.owner == other.location.owner and not other.location.part))
        for other in http
    )


def _one_line(text: str) -> str:
    """Spec text may span lines; a changelog entry is one Markdown list item."""
    return " ".join(text.split())


class _Names:
    """The Python names a consumer knows for a diff location: the method, the webhook, Model.field."""

    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        # The new document first: it names what was added or changed; the old one what was removed.
        # Both come normalised from the diff, so the models read them as they are.
        self.documents = tuple(SpecModel(dict(document), "<spec>", dict(document)) for document in (new, old))

    def describe(self, change: Change) -> tuple[str, str, str]:
        """The subject, the message (not repeating the subject) and the location of an HTTP change."""
        subject = self.subject(change.location)
        message = _one_line(change.message)
        found = _PROPERTY_PREFIX.fullmatch(message) if change.location.field else None
        if found is not None and "." in subject.split(",")[0]:
            rest = found.group("rest")
            kind = found.group("kind")
            message = rest[:1].upper() + rest[1:]
            if kind:
                message = f"{message[:-1]}, {kind.lower()}."
        return subject, message, str(change.location)

    def rename(self, location: Location) -> tuple[str, str, str] | None:
        """`("Breaking", "method `old`", "Renamed to `new`.")` when an operationId change renames a method."""
        key = _operation_key(location)
        old_id, new_id = _operation_id(self.documents[1], key), _operation_id(self.documents[0], key)
        if old_id is None or new_id is None or snake_case(old_id) == snake_case(new_id):
            return None
        return (
            "Breaking",
            f"method {code_span(snake_case(old_id))}",
            f"Renamed to {code_span(snake_case(new_id))}.",
        )

    def subject(self, location: Location) -> str:
        """Who a change at `location` affects: a method, a webhook, a model, or a field and its method."""
        if location.kind == "schema":
            field = ".".join(part for part in location.field if part not in ("[]", "{}"))
            return f"model {code_span(location.name + ('.' + field if field else ''))}"
        if location.kind == "python":
            return code_span(location.name)
        operation_key = _operation_key(location)
        if location.kind == "webhook":
            owner = f"webhook {code_span(location.name)}"
        else:
            method = self._operation_id(operation_key)
            owner = f"method {code_span(snake_case(method))}" if method else code_span(location.owner)
        if location.in_body and location.field:
            name = self._field(operation_key, location.status, list(location.field))
            if name:
                role = _ROLES.get(location.part[0], "returns")
                return f"{code_span(name)}, in what {owner} {role}"
        return owner

    def _operation_id(self, key: tuple[str, str, str]) -> str | None:
        for document in self.documents:
            operation_id = _operation_id(document, key)
            if operation_id is not None:
                return operation_id
        return None

    def _field(self, key: tuple[str, str, str], status: str | None, segments: list[str]) -> str | None:
        """`Model.field` for the last property of `segments`, with the model that declares it."""
        for document in self.documents:
            operation = document.operation_at(*key)
            if operation is None:
                continue
            container = _deref(document, _body_container(operation, status))
            for media in media_types(container).values():
                found = _walk(document, (media or {}).get("schema"), segments, None)
                if found:
                    return found
        return None


def _operation_key(location: Location) -> tuple[str, str, str]:
    if location.kind == "webhook":
        return ("webhooks", location.name, "post")
    return ("paths", location.name, location.method.lower())


def _operation_id(document: SpecModel, key: tuple[str, str, str]) -> str | None:
    operation = document.operation_at(*key)
    operation_id = operation.get("operationId") if operation is not None else None
    return operation_id if isinstance(operation_id, str) else None


def _body_container(operation: Mapping[str, Any], status: str | None) -> Any:
    """The request body, or the response for `status` (YAML may have read `200` as an int)."""
    if status is None:
        return operation.get("requestBody")
    responses = operation.get("responses") or {}
    return responses.get(status, responses.get(int(status)) if status.isdigit() else None)


def _deref(document: SpecModel, node: Any) -> Any:
    """`node` with its `$ref`s followed; a dangling or circular one gives `None`."""
    try:
        return document.resolve(node)
    except SpecModelError:
        return None


def _model_name(document: SpecModel, node: Any, model: str | None) -> str | None:
    return document.ref_name(node) or model


def _walk(document: SpecModel, node: Any, segments: list[str], model: str | None) -> str | None:
    """Follow `segments` through `node`; the model is the last component `$ref` passed on the way."""
    model = _model_name(document, node, model)
    node = _deref(document, node)
    if not isinstance(node, dict) or not segments:
        return None
    head, rest = segments[0], segments[1:]
    for branch in _branches(node):
        model_here = _model_name(document, branch, model)
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
    for key in COMPOSITION:
        yield from node.get(key) or ()
