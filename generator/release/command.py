"""`run_release`: what `layer-codegen release` does, from finding the last release to regenerating."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.build.changelog import render_section
from generator.build.history import Entry, Release, read_history, write_history
from generator.build.pipeline import generate_distribution
from generator.build.versioning import Bump, Version
from generator.errors import GenerationError, ReleaseError
from generator.paths import RELEASE
from generator.project import ProjectConfig
from generator.release.changes import bump_for, changelog_entries, diff_report
from generator.spec.loader import SpecError

EXIT_OK, EXIT_BAD_INPUT = 0, 2


@dataclass(frozen=True, slots=True)
class Plan:
    """What a release would do: compare against `base`, move `current` to `release.version`."""

    base: str
    current: Version
    bump: Bump | None
    release: Release


def tag_prefix(project: ProjectConfig) -> str:
    """The prefix of release tags, before the version: the distribution name and `-v` (`plaid-layer-v`)."""
    return f"{project.distribution}-v"


def run_release(
    *,
    since: str | None,
    dry_run: bool,
    python_api: bool,
    spec: Path,
    output: Path,
    project: ProjectConfig | None = None,
    delete_unknown: bool = False,
) -> int:
    """Print the next version and its changelog section, then (unless `dry_run`) record and regenerate.

    `project` names the distribution (its tags and messages), is what the package is built with,
    by default today's names, and says where the release record is: only its config folder is
    written. 0: released, or nothing to release; 2: bad input or a failed regeneration, with the
    problem on stderr and nothing written.
    """
    project = project or ProjectConfig()
    name = project.distribution
    try:
        plan = plan_release(since=since, python_api=python_api, spec=spec, output=output, project=project)
        if plan.bump is None:
            print(f"No changes since {plan.base}: no release; {name} stays {plan.current}.")
            return EXIT_OK
        print(f"{name} {plan.current} -> {plan.release.version} ({plan.bump.name}, since {plan.base})")
        print()
        print(render_section(plan.release), end="")
        if dry_run:
            print("Dry run: nothing written.")
            return EXIT_OK
        apply_release(plan, spec=spec, output=output, project=project, delete_unknown=delete_unknown)
    except (ReleaseError, SpecError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    tag = f"{tag_prefix(project)}{plan.release.version}"
    record = os.path.relpath(project.release_file)
    print(f"Recorded {plan.release.version} in {record} and regenerated {output}.")
    print(f"Commit, then `git tag {tag}` and push the tag: the release job builds and publishes it.")
    return EXIT_OK


def plan_release(
    *, since: str | None, python_api: bool, spec: Path, output: Path, project: ProjectConfig
) -> Plan:
    """Diff the spec at the last release (`since`, or the newest release tag) with the working tree."""
    history = read_history(project.config_file(RELEASE))
    current = Version.parse(history[0].version)
    top = _git_toplevel(spec.resolve().parent)
    base = since if since is not None else _last_release_tag(current, tag_prefix(project), top)
    spec_in_repo = _relative(spec, top)
    compared = diff_report(
        f"{base}:{spec_in_repo}", str(spec), cwd=top, python_api=python_api, project=project
    )
    entries = changelog_entries(compared.report, compared.old, compared.new)
    bump = bump_for(compared.report, entries)
    if bump is None and _tree_changed(base, _relative(output, top), top):
        bump = Bump.patch
        message = "The generated code changed (generator or templates) without a change of the API."
        entries = [Entry("Changed", "the package", message, f"{_relative(output, top)}/")]
    spec_version = str((compared.new.get("info") or {}).get("version", ""))
    version = current.bumped(bump) if bump is not None else current
    return Plan(base, current, bump, Release(str(version), spec_version, tuple(entries)))


def apply_release(
    plan: Plan, *, spec: Path, output: Path, project: ProjectConfig, delete_unknown: bool = False
) -> None:
    """Record the release and regenerate (`delete_unknown` as `generate --delete-unknown`); on failure
    the record is put back as it was."""
    record = project.release_file
    previous = record.read_text(encoding="utf-8") if record.is_file() else None
    record.parent.mkdir(parents=True, exist_ok=True)
    write_history([plan.release, *read_history(project.config_file(RELEASE))], record)
    try:
        generate_distribution(spec, output, project, delete_unknown=delete_unknown)
    except GenerationError as exc:
        if previous is None:
            record.unlink()
        else:
            record.write_text(previous, encoding="utf-8")
        raise ReleaseError(f"regenerating {output} failed, the release was not recorded: {exc}") from exc


def _git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise ReleaseError(f"cannot run git: {exc}") from exc


def _git_toplevel(folder: Path) -> Path:
    result = _git("rev-parse", "--show-toplevel", cwd=folder)
    if result.returncode != 0:
        raise ReleaseError(f"not inside a git repository: {result.stderr.strip()}")
    return Path(result.stdout.strip())


def _relative(path: Path, top: Path) -> str:
    try:
        return path.resolve().relative_to(top.resolve()).as_posix()
    except ValueError as exc:
        raise ReleaseError(f"{path} is outside the git repository {top}") from exc


def _last_release_tag(current: Version, prefix: str, top: Path) -> str:
    """The newest `<prefix>X.Y.Z` tag reachable from HEAD, which must be the recorded version."""
    result = _git("tag", "--list", f"{prefix}*", "--merged", "HEAD", cwd=top)
    if result.returncode != 0:
        raise ReleaseError(f"git cannot list tags: {result.stderr.strip()}")
    versions = []
    for tag in result.stdout.split():
        try:
            versions.append(Version.parse(tag.removeprefix(prefix)))
        except ReleaseError:
            continue  # a tag such as plaid-layer-v2.0.0rc1 is not a release of ours
    if not versions:
        raise ReleaseError(
            f"no release tag {prefix}X.Y.Z is reachable from HEAD; tag the commit of the last release "
            f"(git tag {prefix}{current}) or pass --since REV"
        )
    latest = max(versions)
    if latest != current:
        raise ReleaseError(
            f"the recorded version is {current} but the newest release tag is {prefix}{latest}: "
            f"tag the commit that recorded {current} (git tag {prefix}{current}) or pass --since REV"
        )
    return f"{prefix}{latest}"


def _tree_changed(base: str, folder: str, top: Path) -> bool:
    """Whether `folder` differs from `base`, counting new files git does not track yet."""
    changed = _git("diff", "--quiet", base, "--", folder, cwd=top)
    if changed.returncode not in (0, 1):
        raise ReleaseError(f"git cannot compare {folder} with {base}: {changed.stderr.strip()}")
    untracked = _git("ls-files", "--others", "--exclude-standard", "--", folder, cwd=top)
    return changed.returncode == 1 or bool(untracked.stdout.strip())
