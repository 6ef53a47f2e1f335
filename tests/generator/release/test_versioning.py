"""Semantic versions and the bump: what each kind of change does to the version, before and after 1.0."""

from __future__ import annotations

import doctest

import pytest

from generator.build import versioning
from generator.build.versioning import Bump, Version
from generator.errors import ReleaseError


@pytest.mark.parametrize(
    ("current", "bump", "expected"),
    [
        ("1.4.2", Bump.major, "2.0.0"),
        ("1.4.2", Bump.minor, "1.5.0"),
        ("1.4.2", Bump.patch, "1.4.3"),
        # Before 1.0 every step moves one place down: breaking bumps the minor, the rest the patch.
        ("0.3.1", Bump.major, "0.4.0"),
        ("0.3.1", Bump.minor, "0.3.2"),
        ("0.3.1", Bump.patch, "0.3.2"),
    ],
)
def test_bump(current: str, bump: Bump, expected: str) -> None:
    assert str(Version.parse(current).bumped(bump)) == expected


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "1.0.0rc1", "01.0.0", "1.0.0 "])
def test_anything_but_major_minor_patch_is_refused(text: str) -> None:
    with pytest.raises(ReleaseError, match=r"MAJOR\.MINOR\.PATCH"):
        Version.parse(text)


def test_versions_order_numerically_not_as_text() -> None:
    assert Version.parse("1.10.0") > Version.parse("1.9.3")


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(versioning).failed == 0
