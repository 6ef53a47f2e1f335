"""The changelog as Markdown: one section per release, changes grouped Breaking / Added / Changed /
Documentation. Spec text reaches it only through `_text` and `_code`, the Markdown escaping rule."""

from __future__ import annotations

import re

from generator.release.history import Release

_SPECIAL = re.compile(r"([\\<>*_\[\]#])")
_CODE_SPAN = re.compile(r"(`+[^`]*`+)")


def render_changelog(releases: list[Release], distribution: str) -> str:
    """The whole `CHANGELOG.md` of `distribution`, newest release first."""
    parts = [f"# Changelog of {distribution}\n"]
    parts += [render_section(release) for release in releases]
    return "\n".join(parts)


def render_section(release: Release) -> str:
    """One release: its heading, then its changes by group; a release without changes is the first."""
    lines = [f"## {release.version} (spec {_code(release.spec_version)})", ""]
    if not release.changes:
        lines += ["First release.", ""]
    for group, entries in release.grouped():
        lines += [f"### {group}", ""]
        lines += [f"- {_text(e.subject)}: {_text(e.message)} ({_code(e.location)})" for e in entries]
        lines.append("")
    return "\n".join(lines)


def _code(text: str) -> str:
    """A code span that holds any text: a longer fence than any backtick run inside it."""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _text(text: str) -> str:
    """Escape Markdown outside the code spans the diff's messages already use."""
    return "".join(
        part if _CODE_SPAN.fullmatch(part) else _SPECIAL.sub(r"\\\1", part) for part in _CODE_SPAN.split(text)
    )
