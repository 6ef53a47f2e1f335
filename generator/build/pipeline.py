"""The generation pipeline: spec -> facts -> both generators -> our templates -> ruff -> atomic swap.

`generate_distribution` builds the whole `generated/` tree in a temporary directory beside the
target and swaps it in only when every stage succeeded, so a failure never leaves the target
half-written. It only ever replaces a folder that is empty or a previous generation, so a wrong
`--output` cannot wipe a project, and it refuses while the folder holds anything the previous
generation's record does not list, so no one's files are lost with it. `stale_files` runs the same
build and compares instead of swapping.
"""

from __future__ import annotations

import filecmp
import os
import secrets
import shutil
import stat
import sys
import tempfile
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator.build.background import (
    BackgroundCheck,
    ChildStage,
    InlineStage,
    release_freed_memory,
    start_import_probe,
    start_spec_validation,
)
from generator.build.client_driver import render_client
from generator.build.formatting import finish_files
from generator.build.models_driver import run_datamodel_codegen
from generator.build.models_input import models_document
from generator.build.own_templates import render_own_templates
from generator.build.provenance import (
    EXAMPLES,
    PROVENANCE,
    current_inputs,
    listed_files,
    unknown_entries,
    write_record,
)
from generator.build.runtime_copy import copy_runtime
from generator.errors import GenerationError
from generator.examples import example_files, sync_example_files
from generator.facts import FactsError, SpecFacts, collect_facts
from generator.project import ProjectConfig
from generator.spec.loader import SpecError, decode_text, parse_document
from generator.spec.model import SpecModel, pointer_text

FileStatus = Literal["changed", "appeared", "missing"]

__all__ = [
    "GenerationError",
    "StaleFile",
    "Staleness",
    "generate_distribution",
    "generate_package",
    "refuse_unknown_files",
    "refuse_unsafe_output",
    "stale_files",
]


def build_distribution(
    spec_path: Path,
    target: Path,
    *,
    probe_imports: bool = True,
    validate: bool = True,
    project: ProjectConfig | None = None,
) -> dict[str, str]:
    """Build the complete distribution for `spec_path` into the empty or missing folder `target`;
    return the example files the spec's examples make (file name -> text, see `generator.examples`).

    The OpenAPI validation runs beside the generators; when any stage fails, its verdict is
    awaited first, so an invalid spec is reported as such rather than as a generator's confusion.
    `probe_imports` imports the result in a clean interpreter; `check` skips it, since it only
    compares bytes with a tree that `generate` already probed. `validate=False` skips the OpenAPI
    validation: the diff builds documents it has read and checked itself, and compares them despite
    their structural problems, which it lists.
    """
    try:
        # Read once: the model parses these bytes and the provenance hashes them.
        spec = spec_path.read_bytes()
    except OSError as exc:
        raise GenerationError(f"{spec_path}: cannot read: {exc.strerror or exc}") from exc
    try:
        model = SpecModel.from_document(
            parse_document(decode_text(spec, str(spec_path)), str(spec_path)), str(spec_path)
        )
    except SpecError as exc:
        raise GenerationError(str(exc)) from exc
    for pointer in model.non_local_refs():  # refused before the validator could try to fetch it
        raise GenerationError(
            f"{spec_path}: only local $refs (starting with '#') are supported (at {pointer_text(pointer)})"
        )
    validation = start_spec_validation(spec_path, model.document) if validate else None
    try:
        stages = _Stages(model, spec, spec_path, target, project)
        del model  # the stages keep only what the later ones need
        stages.run(validation, probe_imports)
    except BaseException:
        if validation is not None:
            validation.finish()
        raise
    if validation is not None:
        validation.finish()
    return stages.examples


class _Stages:
    """One build's stages, holding the spec only as long as a stage still reads it."""

    def __init__(
        self, model: SpecModel, spec: bytes, spec_path: Path, target: Path, project: ProjectConfig | None
    ) -> None:
        try:
            self.facts = collect_facts(model, project)
        except FactsError as exc:  # a problem of the spec: named by its file, as `diff` names it
            raise GenerationError(f"{spec_path}: {exc}") from exc
        self.spec_path = spec_path
        self.target = target
        self.package = self.facts.project.package
        self.package_dir = target / self.package
        self.package_dir.mkdir(parents=True, exist_ok=True)
        # The stages that read the spec itself run now, so that it can be released before
        # datamodel-code-generator builds its heap: only its own copy of the models stays.
        for group in self.facts.webhook_duplicates:
            print(
                f"warning: webhook {group[0].webhook_type}:{group[0].webhook_code} is stated by "
                + " and ".join(f"{hook.pointer}" for hook in group)
                + "; none of them is typed (they parse as UnknownWebhook)",
                file=sys.stderr,
            )
        copy_runtime(self.package_dir)
        self.inputs = current_inputs(spec, self.facts.project)
        self.examples = example_files(model)
        payloads = [hook.model_class for hook in self.facts.webhooks]
        self.models: dict[str, Any] | None = models_document(model, payloads)

    def run(self, validation: BackgroundCheck | None, probe_imports: bool) -> None:
        """Both generators (openapi-python-client in a child), formatting, headers, the import probe."""
        # On a large spec openapi-python-client renders the client beside datamodel-code-generator,
        # in a child: its imports and heap are then never added to the largest heap of the build.
        # It finishes (formats, heads) every file but the models, on the core datamodel-code-
        # generator leaves. On a small spec the child's start would cost more than it overlaps.
        stage = ChildStage if len(self.facts.model_classes) >= CHILD_STAGE_MODELS else InlineStage
        client = stage(client_stage, self.spec_path, self.facts, self.target)
        try:
            models, self.models = self.models, None
            if models is None:
                raise GenerationError("the build's stages ran twice")
            run_datamodel_codegen(
                models,
                self.package_dir / MODELS,
                self.facts.model_users,
                package=self.package,
                options_file=self.facts.project.config_file("datamodel-codegen.toml"),
            )
            del models
            release_freed_memory()
            client.finish()
        except BaseException:
            client.cancel()
            raise
        # The validation has long finished by now: awaiting it keeps the probe, a large child,
        # from overlapping any other.
        if validation is not None:
            validation.finish()
        # The probe imports a snapshot, so the models are formatted and the record written meanwhile.
        probe = start_import_probe(self.target, self.package) if probe_imports else None
        try:
            finish_files(self.target, self.package_dir, [self.package_dir / MODELS])
            write_record(self.target, self.facts.title, self.facts.version, self.inputs, self.examples)
        except BaseException:
            if probe is not None:
                probe.cancel()
            raise
        if probe is not None:
            probe.finish()


MODELS = "models"
CHILD_STAGE_MODELS = 200
"""From this many model classes on, the client is rendered in a child, beside the models: about
where datamodel-code-generator's run outlasts a second interpreter's start and imports."""
"""The package's folder of pydantic models, which datamodel-code-generator's stage writes."""


def client_stage(spec_path: Path, facts: SpecFacts, target: Path) -> None:
    """Render our templates and the client, then finish every file of `target` but the models (run
    in a `ChildStage`, beside datamodel-code-generator).

    The runtime is copied before the child starts; everything else but the models is written here.
    """
    package_dir = target / facts.project.package
    render_own_templates(facts, target)
    render_client(spec_path, facts, package_dir)
    others = [entry for entry in target.iterdir() if entry != package_dir]
    others += [entry for entry in package_dir.iterdir() if entry.name != MODELS]
    finish_files(target, package_dir, others)


def generate_distribution(
    spec_path: Path, output_dir: Path, project: ProjectConfig | None = None, *, delete_unknown: bool = False
) -> None:
    """Regenerate `output_dir` from `spec_path` atomically, keeping the folder's permissions.

    Only a missing folder, an empty one or a previous generation (it holds a provenance record)
    is replaced; anything else raises `GenerationError` before any file is touched. So does a
    previous generation holding a file its record does not list, unless `delete_unknown`.
    """
    output_dir = output_dir.resolve()
    refuse_unsafe_output(output_dir)
    written = listed_files(output_dir)
    if written is not None and not delete_unknown:
        refuse_unknown_files(output_dir, written)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = _new_sibling(output_dir, "new")
    staging.mkdir()  # not mkdtemp: its 0700 would become the output's mode
    try:
        examples = build_distribution(spec_path, staging, project=project)
        refuse_unsafe_output(output_dir)  # it may have changed during the build
        if not delete_unknown:
            # An older record lists no files: what this build writes stands for what one writes.
            refuse_unknown_files(output_dir, written if written is not None else listed_files(staging) or ())
        _swap(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    examples_dir = spec_path.parent / EXAMPLES
    if examples_dir.is_dir():
        try:
            sync_example_files(examples, examples_dir)
        except OSError as exc:
            raise GenerationError(
                f"{examples_dir}: cannot write the examples: {exc.strerror or exc}"
            ) from exc


def generate_package(spec_path: Path, output_dir: Path, project: ProjectConfig | None = None) -> Path:
    """Generate into `output_dir` and return the importable package folder inside it."""
    project = project or ProjectConfig()
    generate_distribution(spec_path, output_dir, project)
    return output_dir / project.package


def refuse_unsafe_output(output_dir: Path) -> None:
    """Raise `GenerationError` unless `output_dir` is missing, empty or a previous generation."""
    if not os.path.lexists(output_dir):
        return
    if not output_dir.is_dir():
        raise GenerationError(f"{output_dir} is not a folder; refusing to replace it")
    try:
        entries = {entry.name for entry in output_dir.iterdir()}
    except OSError as exc:
        raise GenerationError(f"{output_dir}: cannot list the folder: {exc.strerror or exc}") from exc
    if not entries:
        return
    refusal = (
        f"{output_dir} is neither empty nor a previous generation; refusing to replace it "
        "(give --output a new or empty folder)"
    )
    if ".git" in entries or not _is_provenance_record(output_dir / PROVENANCE):
        raise GenerationError(refusal)


def refuse_unknown_files(output_dir: Path, written: Collection[str]) -> None:
    """Raise `GenerationError` naming what `output_dir` holds besides the `written` files."""
    if not output_dir.is_dir():
        return
    try:
        unknown = unknown_entries(output_dir, written)
    except OSError as exc:
        raise GenerationError(f"{output_dir}: cannot list the folder: {exc.strerror or exc}") from exc
    if unknown:
        shown = ", ".join(unknown[:3]) + (f" and {len(unknown) - 3} more" if len(unknown) > 3 else "")
        them = "it" if len(unknown) == 1 else "them"
        raise GenerationError(
            f"{output_dir} holds {shown}, which the previous generation did not write ({PROVENANCE} "
            f"does not list {them}); move {them} out, or pass --delete-unknown to delete {them}"
        )


def _is_provenance_record(path: Path) -> bool:
    """Whether `path` is a provenance record as `generate` writes it (spec, generators, templates)."""
    try:
        record = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    spec, generators, templates = (record.get(name) for name in ("spec", "generators", "templates"))
    if not (isinstance(spec, dict) and isinstance(generators, dict) and isinstance(templates, dict)):
        return False
    return isinstance(spec.get("sha256"), str) and isinstance(templates.get("sha256"), str)


def _new_sibling(output_dir: Path, role: str) -> Path:
    """An unused hidden name beside `output_dir`, so the renames stay on one file system."""
    return output_dir.with_name(f".{output_dir.name}-{role}-{secrets.token_hex(8)}")


def _swap(staging: Path, output_dir: Path) -> None:
    """Replace `output_dir` by `staging` with two renames; the old tree is removed afterwards."""
    if not output_dir.exists():
        staging.rename(output_dir)
        return
    staging.chmod(stat.S_IMODE(output_dir.stat().st_mode))
    retired = _new_sibling(output_dir, "old")
    output_dir.rename(retired)
    try:
        staging.rename(output_dir)
    except BaseException:
        retired.rename(output_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _tree(root: Path) -> set[str]:
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def _provenance_changes(fresh: Path, committed: Path) -> list[str]:
    """Which recorded inputs (spec, generator versions, templates) differ between two trees."""
    try:
        old = tomllib.loads((committed / PROVENANCE).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return [f"{PROVENANCE} is missing or unreadable"]
    new = tomllib.loads((fresh / PROVENANCE).read_text(encoding="utf-8"))
    changes = []
    for section in sorted(set(new) - {"files"}):  # the changed files are listed already
        for key, value in sorted(new[section].items()):
            recorded = old.get(section, {}).get(key)
            if recorded != value:
                changes.append(f"{section}.{key}: recorded {recorded!r}, now {value!r}")
    return changes


@dataclass(frozen=True, order=True)
class StaleFile:
    """A file in which the output differs from a fresh generation."""

    name: str
    """The path inside the output folder, with `/` separators."""
    status: FileStatus
    """`changed` (different bytes), `appeared` (not generated) or `missing` (not in the output)."""


@dataclass(frozen=True)
class Staleness:
    """How the output differs from a fresh generation; empty when it is fresh."""

    files: tuple[StaleFile, ...]
    provenance: tuple[str, ...]
    """The recorded inputs that changed, as `<section>.<key>: recorded ..., now ...`."""
    examples: tuple[StaleFile, ...] = ()
    """The files of the `examples/` folder beside the spec that differ from the spec's examples
    (named by their path)."""

    @property
    def fresh(self) -> bool:
        """Whether the output and the example files are exactly what the spec generates."""
        return not self.files and not self.examples


def stale_files(spec_path: Path, output_dir: Path, project: ProjectConfig | None = None) -> Staleness:
    """Which files of `output_dir` differ from a fresh generation, and why (the changed inputs)."""
    with tempfile.TemporaryDirectory(prefix="layer-codegen-check-") as scratch:
        fresh = Path(scratch) / "dist"
        examples = build_distribution(spec_path, fresh, probe_imports=False, project=project)
        expected = _tree(fresh)
        actual = _tree(output_dir) if output_dir.is_dir() else set()
        files = [StaleFile(name, "missing") for name in expected - actual]
        files += [StaleFile(name, "appeared") for name in actual - expected]
        files += [
            StaleFile(name, "changed")
            for name in expected & actual
            if not filecmp.cmp(fresh / name, output_dir / name, shallow=False)
        ]
        stale_names = {file.name for file in files}
        reasons = _provenance_changes(fresh, output_dir) if PROVENANCE in stale_names else []
        return Staleness(
            tuple(sorted(files)), tuple(reasons), _stale_examples(examples, spec_path.parent / EXAMPLES)
        )


def _stale_examples(examples: dict[str, str], examples_dir: Path) -> tuple[StaleFile, ...]:
    """The example files that differ from what the spec's examples make (none without the folder)."""
    if not examples_dir.is_dir():
        return ()
    actual = {path.name: path for path in examples_dir.glob("*.json")}
    stale = [StaleFile((examples_dir / name).as_posix(), "missing") for name in examples.keys() - actual]
    stale += [StaleFile(path.as_posix(), "appeared") for name, path in actual.items() if name not in examples]
    stale += [
        StaleFile(path.as_posix(), "changed")
        for name, path in actual.items()
        if name in examples and path.read_bytes() != examples[name].encode()
    ]
    return tuple(sorted(stale))
