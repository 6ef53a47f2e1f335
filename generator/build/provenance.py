"""The provenance record, `provenance.toml`: what a generated tree was made from, and what it holds.

It names the spec, the pinned generators and the templates, digests every input that shapes the
output (`[inputs]`: those, the generator's own code and the project config), lists the example
files the spec's examples make for the `examples/` folder beside it (`[examples]`), and every file
the generation wrote besides itself with its sha256 (`[files]`). `generate` deletes nothing that
the previous record does not list; `check` answers from the record, without regenerating, while
the inputs and every file still match it. This module imports nothing heavy, so that this answer
costs little more than reading the files.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path, PurePosixPath

from generator.build.escaping import toml_string
from generator.build.headers import header_line
from generator.paths import CONFIG, GENERATOR, TEMPLATES
from generator.project import ProjectConfig

__all__ = [
    "EXAMPLES",
    "PROVENANCE",
    "TOOLS",
    "Inputs",
    "Record",
    "current_inputs",
    "example_digests",
    "generator_digest",
    "listed_files",
    "matches_record",
    "project_digest",
    "recorded_examples",
    "templates_digest",
    "unknown_entries",
    "write_record",
]

PROVENANCE = "provenance.toml"
EXAMPLES = "examples"
"""The folder beside the spec that holds a JSON copy of each of its examples."""
TOOLS = ("openapi-python-client", "datamodel-code-generator", "ruff")
"""The generators and the formatter, pinned exactly in pyproject.toml: their versions shape the output."""
CACHES = frozenset({"__pycache__"})
"""Folders Python writes beside the modules it imports: neither generated nor anyone's work."""

_PREAMBLE = """\
# What this tree was generated from, and the sha256 of every file the generation wrote besides
# this one. `layer-codegen check` trusts it while the inputs and all files match, and regenerates
# to compare otherwise; `layer-codegen generate` deletes nothing that [files] does not list.
"""
_INPUTS_COMMENT = """\
# The generator's own source as imported, the project config's values, and one digest of all
# the above: the spec (with its title and version), the generators' versions, the templates.
"""
_EXAMPLES_COMMENT = """\
# The files `generate` writes into the `examples/` folder beside the spec, from the spec's own
# examples; `check` reports one that differs.
"""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def templates_digest(project: ProjectConfig) -> str:
    """One sha256 of `templates/` and the config files `project` builds with (names and bytes).

    The config files are the project's own, each file it lacks the installed generator's.
    """
    digest = hashlib.sha256()
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file() and not CACHES.intersection(path.parts):
            digest.update(path.relative_to(TEMPLATES).as_posix().encode())
            digest.update(path.read_bytes())
    folders = (CONFIG, project.config_dir)
    names = {path.name for folder in folders for path in folder.glob("*") if path.is_file()}
    for name in sorted(names):
        digest.update(project.config_file(name).read_bytes())
    return digest.hexdigest()


def generator_digest() -> str:
    """One sha256 of the generator package's Python source, read from where it is imported.

    Only `*.py` files count: they are what a checkout and an installed wheel have alike (the
    config files are in `templates_digest`), so both record the same digest.
    """
    lines = [
        f"{path.relative_to(GENERATOR).as_posix()} {_sha256(path.read_bytes())}\n"
        for path in sorted(GENERATOR.rglob("*.py"))
        if not CACHES.intersection(path.parts)
    ]
    return _sha256("".join(lines).encode())


def project_digest(project: ProjectConfig) -> str:
    """One sha256 of the project config's values (not its file: comments shape nothing)."""
    values = {key: value for key, value in asdict(project).items() if key != "config_dir"}
    return _sha256(json.dumps(values, sort_keys=True).encode())


@dataclass(frozen=True)
class Inputs:
    """Digests of every input that shapes a generated tree."""

    spec: str
    """sha256 of the spec file (its examples and `$ref`s are all inside it)."""
    tools: tuple[tuple[str, str], ...]
    """(distribution, version) of each of `TOOLS`, sorted."""
    templates: str
    generator: str
    project: str


def current_inputs(spec: bytes, project: ProjectConfig) -> Inputs:
    """The inputs a build of the spec file's bytes `spec` with `project` would read now (raises `OSError`).

    The build hands over the bytes it has read already, so the spec file is read once.
    """
    return Inputs(
        spec=_sha256(spec),
        tools=tuple(sorted((tool, version(tool)) for tool in TOOLS)),
        templates=templates_digest(project),
        generator=generator_digest(),
        project=project_digest(project),
    )


@dataclass(frozen=True)
class Record:
    """The content of `provenance.toml`."""

    title: str
    """The spec's `info.title` and `info.version`."""
    version: str
    inputs: Inputs
    files: Mapping[str, str]
    """Each file the generation wrote (path with `/`, inside the tree) -> its sha256."""
    examples: Mapping[str, str] = field(default_factory=dict)
    """Each file of the spec's `examples/` folder the spec's examples make -> its sha256."""

    @property
    def sha256(self) -> str:
        """One digest of all the inputs, of the title and version the spec gave, and of the examples."""
        facts = [self.title, self.version, asdict(self.inputs), dict(self.examples)]
        return _sha256(json.dumps(facts, sort_keys=True).encode())

    def render(self) -> str:
        """The record as `generate` writes it; the same record always renders to the same bytes."""
        lines = [header_line("# "), _PREAMBLE, "[spec]\n"]
        lines += [f"title = {toml_string(self.title)}\n", f"version = {toml_string(self.version)}\n"]
        lines += [f'sha256 = "{self.inputs.spec}"\n', "\n[generators]\n"]
        lines += [f'{tool} = "{tool_version}"\n' for tool, tool_version in self.inputs.tools]
        lines += ["\n[templates]\n", f'sha256 = "{self.inputs.templates}"\n', "\n[inputs]\n", _INPUTS_COMMENT]
        lines += [f'generator = "{self.inputs.generator}"\n', f'project = "{self.inputs.project}"\n']
        lines += [f'sha256 = "{self.sha256}"\n', "\n[examples]\n", _EXAMPLES_COMMENT]
        lines += [f'{toml_string(name)} = "{digest}"\n' for name, digest in sorted(self.examples.items())]
        lines += ["\n[files]\n"]
        lines += [f'{toml_string(name)} = "{digest}"\n' for name, digest in sorted(self.files.items())]
        return "".join(lines)


def _files(root: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry below `root` but folders (name with `/`, entry), sorted; Python's caches left out.

    A symlink, even to a folder, is an entry of its own: it is not followed.
    """

    def walk(folder: str, prefix: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
        with os.scandir(folder) as entries:
            ordered = sorted(entries, key=lambda entry: entry.name)
        for entry in ordered:
            if not entry.is_dir(follow_symlinks=False):
                yield prefix + entry.name, entry
            elif entry.name not in CACHES:
                yield from walk(entry.path, f"{prefix}{entry.name}/")

    return walk(str(root), "")


def _file_sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return _sha256(handle.read())


def write_record(
    target: Path, title: str, spec_version: str, inputs: Inputs, examples: Mapping[str, str]
) -> None:
    """Write `target/provenance.toml`, listing every other file in `target` with its sha256, and
    the sha256 of each example file (`examples`: file name -> text)."""
    files = {name: _file_sha256(entry.path) for name, entry in _files(target) if name != PROVENANCE}
    digests = {name: _sha256(text.encode()) for name, text in examples.items()}
    record = Record(title, spec_version, inputs, files, digests)
    (target / PROVENANCE).write_text(record.render(), encoding="utf-8")


def listed_files(output_dir: Path) -> frozenset[str] | None:
    """The files the record in `output_dir` lists, or None when it lists none (or is not one)."""
    try:
        data = tomllib.loads((output_dir / PROVENANCE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    files = data.get("files")
    return frozenset(files) if isinstance(files, dict) else None


def unknown_entries(output_dir: Path, written: Collection[str]) -> list[str]:
    """What `output_dir` holds that is not in `written` (nor the record, nor Python's caches).

    A folder that holds none of the written files is named once, as `name/`, not file by file.
    """
    folders = {str(parent) for name in written for parent in PurePosixPath(name).parents}
    found: list[str] = []

    def visit(folder: Path, prefix: str) -> None:
        for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
            name = prefix + entry.name
            if not entry.is_dir(follow_symlinks=False):
                if name not in written and name != PROVENANCE:
                    found.append(name)
            elif name in folders:
                visit(Path(entry.path), f"{name}/")
            elif entry.name not in CACHES:
                found.append(f"{name}/")

    visit(output_dir, "")
    return found


def matches_record(spec_path: Path, output_dir: Path, project: ProjectConfig) -> bool:
    """Whether `output_dir` is, by its record, what `spec_path` generates: no build needed.

    True only when the record is byte for byte the one a build would write now from the inputs
    as they are and the tree as it is: every input has its recorded digest, and the tree holds
    exactly the recorded files with their sha256 (so a hand edit anywhere, the record included,
    answers False). The spec's title and version are read from the record: the record's digest
    covers them.
    Anything else (a missing or older record, a symlink, an unreadable file) answers False, and
    the caller regenerates to compare.
    """
    try:
        text = (output_dir / PROVENANCE).read_text(encoding="utf-8")
        spec = tomllib.loads(text.partition("\n[generators]\n")[0]).get("spec")
        title, spec_version = (
            spec.get(key) if isinstance(spec, dict) else None for key in ("title", "version")
        )
        if not (isinstance(title, str) and isinstance(spec_version, str)):
            return False
        files = {}
        for name, entry in _files(output_dir):
            if entry.is_symlink():
                return False
            if name != PROVENANCE:
                files[name] = _file_sha256(entry.path)
        recorded = tomllib.loads(text).get("examples")
        if not isinstance(recorded, dict):
            return False
        examples_dir = spec_path.parent / EXAMPLES
        if examples_dir.is_dir() and example_digests(examples_dir) != recorded:
            return False
        expected = Record(
            title, spec_version, current_inputs(spec_path.read_bytes(), project), files, recorded
        )
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return expected.render() == text


def example_digests(examples_dir: Path) -> dict[str, str]:
    """The sha256 of each `*.json` file in `examples_dir` (raises `OSError`)."""
    return {path.name: _sha256(path.read_bytes()) for path in sorted(examples_dir.glob("*.json"))}


def recorded_examples(output_dir: Path) -> dict[str, str]:
    """The example files the record in `output_dir` lists, with their sha256 (empty when none)."""
    try:
        data = tomllib.loads((output_dir / PROVENANCE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    examples = data.get("examples")
    return {str(k): str(v) for k, v in examples.items()} if isinstance(examples, dict) else {}
