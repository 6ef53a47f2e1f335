"""The release record: written and read back unchanged, and a broken file refused with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.changelog import render_changelog
from generator.build.history import RELEASE_FILE, Entry, Release, read_history, write_history
from generator.errors import ReleaseError

TRICKY = 'quotes " and \\ backslash, `code`, tab\there, ünïcode, newline\nand [link](x) <b>'


def test_round_trip_keeps_every_character(tmp_path: Path) -> None:
    releases = [
        Release("2.0.0", "2024-01-01", (Entry("Breaking", "method `x`", TRICKY, "POST /x"),)),
        Release("1.0.0", "2020-09-14"),
    ]
    path = tmp_path / "release.toml"
    write_history(releases, path)
    assert read_history(path) == releases


def test_the_committed_record_is_valid_and_newest_first() -> None:
    releases = read_history(RELEASE_FILE)
    assert releases[-1].version == "1.0.0"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "at least one"),
        ('[[releases]]\nversion = "1.0"\nspec_version = "x"\n', r"MAJOR\.MINOR\.PATCH"),
        ('[[releases]]\nversion = "1.0.0"\n', "spec_version"),
        (
            '[[releases]]\nversion = "1.0.0"\nspec_version = "x"\n'
            '[[releases]]\nversion = "2.0.0"\nspec_version = "x"\n',
            "newest first",
        ),
        (
            '[[releases]]\nversion = "1.0.0"\nspec_version = "x"\n[[releases.changes]]\n'
            'group = "Fixed"\nsubject = "s"\nmessage = "m"\nlocation = "l"\n',
            "unknown group 'Fixed'",
        ),
        ("[[releases]\n", "cannot read"),
    ],
)
def test_a_broken_record_is_refused_with_its_reason(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "release.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReleaseError, match=reason):
        read_history(path)


def test_changelog_escapes_spec_text_outside_code_spans() -> None:
    entry = Entry("Added", "`Model.a_b`", "Value `<x>` and <script> or *bold*", "POST /x body `odd`")
    changelog = render_changelog([Release("1.1.0", "v`1`", (entry,)), Release("1.0.0", "v1")], "acme-layer")
    assert changelog.startswith("# Changelog of acme-layer\n")
    assert "- `Model.a_b`: Value `<x>` and \\<script\\> or \\*bold\\* (`` POST /x body `odd` ``)" in changelog
    assert "## 1.1.0 (spec `` v`1` ``)" in changelog
    assert changelog.index("## 1.1.0") < changelog.index("## 1.0.0")
