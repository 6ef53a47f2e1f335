"""The grouping of the client's methods into resource modules, one per tag.

The generated package puts each group's methods in `_resources/<module>.py` (a sync and an async
class side by side) and its operation descriptors in `api/<module>/`; the clients inherit every
group, so the flat method names stay. Operations are grouped by their first tag, untagged ones
under `default`. A spec whose operations all share one group (Plaid's whole spec tags all 329
operations `plaid`) is grouped by the first segment of each path instead (`/accounts/get` ->
`accounts`), since one group would put every method back in one file.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.facts import OperationFacts, SpecFacts
from generator.facts.names import pascal_case, snake_case

DEFAULT_MODULE = "default"
"""The module of operations without a tag (openapi-python-client's name for them too)."""
# openapi-python-client renames a module that shadows one of these; ours never do, so its
# `api/<module>/` and our `_resources/<module>.py` always have the same name.
_RESERVED = (frozenset(dir(builtins)) | {"self", "true", "false", "datetime"}) - {"id"}


@dataclass(frozen=True)
class ResourceFacts:
    """One resource module: its name, its two classes and the operations they hold."""

    module: str
    """The module name below `_resources/` and `api/` (`layer`)."""
    label: str
    """What the operations share, as the spec spells it: a tag, or a path's first segment."""
    about: str
    """The same for a docstring: "tagged `layer`", "without a tag", "under `/accounts/`"."""
    sync_class: str
    async_class: str
    operations: tuple[OperationFacts, ...]
    model_imports: tuple[str, ...]
    """The model classes the module's annotations name."""
    type_imports: tuple[str, ...]
    """The request shapes (`TypedDict`s) the module's annotations name."""

    @property
    def datetime_needed(self) -> bool:
        """Whether some method annotation of the module mentions `datetime`."""
        return any("datetime." in p.annotation for op in self.operations for p in op.params)


def module_name(label: str) -> str:
    """A tag or path segment as a module name: snake case, never a keyword or a builtin's name."""
    name = snake_case(label) or DEFAULT_MODULE
    if name[0].isdigit():
        name = f"tag_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _RESERVED:
        name = f"{name}_"
    return name


def _by_tag(operation: OperationFacts) -> str | None:
    return operation.tags[0] if operation.tags else None


def _by_path(operation: OperationFacts) -> str | None:
    return next((part for part in operation.path.split("/") if part), None)


def _grouped(
    operations: Iterable[OperationFacts], key: Callable[[OperationFacts], str | None]
) -> dict[str | None, list[OperationFacts]]:
    groups: dict[str | None, list[OperationFacts]] = {}
    for operation in operations:
        groups.setdefault(key(operation), []).append(operation)
    return groups


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3`... when an earlier group or import has it already."""
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}_{number}"
    taken.add(candidate)
    return candidate


def resources(facts: SpecFacts) -> tuple[ResourceFacts, ...]:
    """The spec's operations grouped into resource modules, ordered by module name.

    Labels that come out as the same module name (`Link Token` and `link_token`) are told apart
    by a number, in the order of the labels (untagged first), so the names depend on the spec alone.
    """
    groups, by_tag = _grouped(facts.operations, _by_tag), True
    if len(groups) < 2:
        groups, by_tag = _grouped(facts.operations, _by_path), False
    imported = set(facts.model_classes) | {shape.name for shape in facts.typed_dicts}
    modules: set[str] = set()
    classes = set(imported)
    found = []
    for label in sorted(groups, key=lambda label: (label is not None, label or "")):
        operations = groups[label]
        module = _unique(module_name(label or DEFAULT_MODULE), modules)
        names = _annotation_names(operations)
        sync_class = _unique(f"{pascal_case(module)}Methods", classes)
        found.append(
            ResourceFacts(
                module=module,
                label=label or DEFAULT_MODULE,
                about=_about(label, by_tag),
                sync_class=sync_class,
                async_class=_unique(f"Async{sync_class}", classes),
                operations=tuple(operations),
                model_imports=tuple(sorted(names & set(facts.model_classes))),
                type_imports=tuple(sorted(names & {shape.name for shape in facts.typed_dicts})),
            )
        )
    return tuple(sorted(found, key=lambda resource: resource.module))


def _about(label: str | None, by_tag: bool) -> str:
    if label is None:
        return "without a tag" if by_tag else "at `/`"
    return f"tagged `{label}`" if by_tag else f"under `/{label}/`"


def _annotation_names(operations: Iterable[OperationFacts]) -> set[str]:
    names: set[str] = set()
    for op in operations:
        for text in [op.return_annotation, *(p.annotation for p in op.params)]:
            names.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    return names
