"""`layer-codegen import`: copy operations and webhooks from another OpenAPI document into our spec.

`generator.spec_import` decides what to copy; this module writes it into the spec's YAML in round-trip
mode (comments, order and quoting elsewhere unchanged), checks that the text reads back as the plan,
replaces the spec atomically and rewrites the `examples/` folder beside it from the result.
`--dry-run` prints the same report and writes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from generator.build.provenance import EXAMPLES
from generator.errors import one_screen
from generator.examples import example_files, sync_example_files
from generator.spec.loader import SpecError, parse_document
from generator.spec.model import SpecModel
from generator.spec_import import ImportPlan, Prefer, SpecImportError, plan_import
from generator.yaml_round_trip import dump, replace_file, round_trip_yaml, yaml_node

__all__ = ["EXIT_IMPORTED", "EXIT_REFUSED", "run_import"]

EXIT_IMPORTED = 0
EXIT_REFUSED = 2


def _section(parent: Any, key: str, before: str | None = None) -> Any:
    """`parent[key]`, made an empty map first if missing (placed before `before` when that exists)."""
    if key not in parent or parent[key] is None:
        keys = list(parent)
        position = keys.index(before) if before in keys else len(keys)
        parent.insert(position, key, CommentedMap())
    return parent[key]


def _apply(document: Any, plan: ImportPlan) -> None:
    paths = _section(document, "paths", before="webhooks")
    for path, item in plan.paths.items():
        if path in paths:
            for key, value in item.items():
                paths[path][key] = yaml_node(value, blocks=True)
        else:
            paths[path] = yaml_node(item, blocks=True)
    if plan.webhooks:
        webhooks = _section(document, "webhooks", before="components")
        for hook in plan.webhooks:
            webhooks[hook.key] = yaml_node(hook.item, blocks=True)
    components = _section(document, "components")
    for (section, key), value in plan.components.items():
        _section(components, section)[key] = yaml_node(value, blocks=True)
    if plan.union is not None and plan.union_members:
        union = components["schemas"][plan.union]
        for member in plan.union_members:
            union["oneOf"].append(yaml_node({"$ref": member.pointer}))
            union["discriminator"]["mapping"][member.webhook_code] = yaml_node(member.pointer)


def _read_back_problem(document: dict[str, Any], plan: ImportPlan) -> str | None:
    """Where the rewritten document does not hold what the plan copied (a YAML writing mistake)."""
    written = SpecModel(document, "<read back>", document)  # as written: no normalisation
    for path, item in plan.paths.items():
        for key, value in item.items():
            if written.node_at(("paths", path, key)) != value:
                return f"paths {path} {key}"
    for hook in plan.webhooks:
        if written.node_at(("webhooks", hook.key)) != hook.item:
            return f"webhook {hook.key}"
    for (section, key), value in plan.components.items():
        if written.node_at(("components", section, key)) != value:
            return f"component {section}/{key}"
    return None


def run_import(spec: Path, source: Path, items: list[str], *, prefer: Prefer | None, dry_run: bool) -> int:
    """Import `items` from `source` into `spec`; print what changed (or would) and return the exit status."""
    try:
        ours, theirs = SpecModel.load(spec), SpecModel.load(source)
        plan = plan_import(ours, theirs, items, prefer=prefer, names=(str(spec), str(source)))
        handler = round_trip_yaml()
        document = handler.load(spec.read_text(encoding="utf-8"))
        _apply(document, plan)
        text = dump(handler, document)
        read_back = parse_document(text, str(spec))
        problem = _read_back_problem(read_back, plan)
        if problem is not None:
            raise SpecImportError(f"{spec}: the rewritten {problem} does not read back as copied")
    except (SpecError, SpecImportError, OSError) as exc:
        print(f"error: {one_screen(str(exc))}", file=sys.stderr)
        return EXIT_REFUSED
    examples_dir = spec.parent / EXAMPLES
    files = example_files(read_back)
    new_files = sorted(name for name in files if not (examples_dir / name).is_file())
    lines = [*plan.describe(str(source)), *(f"write {examples_dir / name}" for name in new_files)]
    if not lines:
        print(f"nothing to import: {spec} already has {', '.join(items)}")
        return EXIT_IMPORTED
    if dry_run:
        print("\n".join(f"would {line}" for line in lines))
        return EXIT_IMPORTED
    try:
        replace_file(spec, text)
        examples_dir.mkdir(exist_ok=True)
        sync_example_files(files, examples_dir)
    except OSError as exc:
        print(f"error: {one_screen(f'{spec}: cannot write: {exc.strerror or exc}')}", file=sys.stderr)
        return EXIT_REFUSED
    print("\n".join(lines))
    return EXIT_IMPORTED
