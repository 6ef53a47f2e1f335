"""The release record, `generator/config/release.toml`: every release of the package, newest first.

It is the one place the package version lives: the newest release's version becomes
the package's `__version__`, the wheel's version and the user agent, and the generator renders
`generated/CHANGELOG.md` from the same records.
"""

from __future__ import annotations

import itertools
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.build.versioning import Version
from generator.errors import ReleaseError
from generator.paths import CONFIG

RELEASE_FILE = CONFIG / "release.toml"
GROUPS = ("Breaking", "Added", "Changed", "Removed", "Documentation")

_PREAMBLE = """\
# Every release of the generated package, newest first; written by `layer-codegen release`.
# The first version here is the package version; generated/CHANGELOG.md is rendered from this file.
"""


@dataclass(frozen=True, slots=True)
class Entry:
    """One changelog line: who is affected (`subject`), what changed, and the diff's location."""

    group: str
    subject: str
    message: str
    location: str


@dataclass(frozen=True, slots=True)
class Release:
    """One released version, the spec's `info.version` it was built from, and its changes."""

    version: str
    spec_version: str
    changes: tuple[Entry, ...] = ()

    def grouped(self) -> list[tuple[str, list[Entry]]]:
        """The changes by group, in the changelog's order, leaving out empty groups."""
        return [
            (group, members)
            for group in GROUPS
            if (members := [entry for entry in self.changes if entry.group == group])
        ]


def read_history(path: Path = RELEASE_FILE) -> list[Release]:
    """The releases recorded in `path`, newest first; a malformed file raises `ReleaseError`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReleaseError(f"{path}: cannot read the release record: {exc}") from exc
    raw = data.get("releases")
    if not isinstance(raw, list) or not raw:
        raise ReleaseError(f"{path}: expected at least one [[releases]] table")
    releases = [_release(item, path, index) for index, item in enumerate(raw)]
    for newer, older in itertools.pairwise(releases):
        if Version.parse(newer.version) <= Version.parse(older.version):
            raise ReleaseError(
                f"{path}: releases must be newest first: {newer.version} before {older.version}"
            )
    return releases


def current_version(path: Path = RELEASE_FILE) -> str:
    """The package version: the newest recorded release."""
    return read_history(path)[0].version


def write_history(releases: list[Release], path: Path = RELEASE_FILE) -> None:
    """Write `releases` as TOML; strings go through `json.dumps`, whose escapes TOML shares."""
    lines = [_PREAMBLE]
    for release in releases:
        lines += ["[[releases]]", f"version = {_string(release.version)}"]
        lines += [f"spec_version = {_string(release.spec_version)}", ""]
        for entry in release.changes:
            lines.append("[[releases.changes]]")
            for key in ("group", "subject", "message", "location"):
                lines.append(f"{key} = {_string(getattr(entry, key))}")
            lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _release(item: Any, path: Path, index: int) -> Release:
    where = f"{path}: releases[{index}]"
    if not isinstance(item, dict):
        raise ReleaseError(f"{where} must be a table")
    version, spec_version = item.get("version"), item.get("spec_version")
    if not isinstance(version, str) or not isinstance(spec_version, str):
        raise ReleaseError(f"{where} needs the strings `version` and `spec_version`")
    try:
        Version.parse(version)
    except ReleaseError as exc:
        raise ReleaseError(f"{where}: {exc}") from exc
    changes = item.get("changes", [])
    if not isinstance(changes, list):
        raise ReleaseError(f"{where}.changes must be an array of tables")
    return Release(version, spec_version, tuple(_entry(change, f"{where}.changes") for change in changes))


def _entry(item: Any, where: str) -> Entry:
    fields = ("group", "subject", "message", "location")
    if not isinstance(item, dict) or not all(isinstance(item.get(key), str) for key in fields):
        raise ReleaseError(f"{where}: each change needs the strings {', '.join(fields)}")
    if item["group"] not in GROUPS:
        raise ReleaseError(f"{where}: unknown group {item['group']!r}; expected one of {', '.join(GROUPS)}")
    return Entry(*(item[key] for key in fields))
