"""The changelog as Markdown: one section per release, changes grouped Breaking / Added / Changed /
Removed / Documentation. Spec text reaches it only through `generator.markdown`, the one Markdown
escaping rule: subjects and messages keep their code spans and have everything else escaped."""

from __future__ import annotations

from generator.build.history import Release
from generator.markdown import code_span, markdown_inline


def render_changelog(releases: list[Release], distribution: str) -> str:
    """The whole `CHANGELOG.md` of `distribution`, newest release first."""
    parts = [f"# Changelog of {distribution}\n"]
    parts += [render_section(release) for release in releases]
    return "\n".join(parts)


def render_section(release: Release) -> str:
    """One release: its heading, then its changes by group; a release without changes is the first."""
    lines = [f"## {release.version} (spec {code_span(release.spec_version)})", ""]
    if not release.changes:
        lines += ["First release.", ""]
    for group, entries in release.grouped():
        lines += [f"### {group}", ""]
        lines += [
            f"- {markdown_inline(e.subject)}: {markdown_inline(e.message)} ({code_span(e.location)})"
            for e in entries
        ]
        lines.append("")
    return "\n".join(lines)
