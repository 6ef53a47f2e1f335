"""Semantic versions of the generated package and the bump a set of changes calls for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from generator.errors import ReleaseError

_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


class Bump(IntEnum):
    """How far a release moves the version; larger is bigger, so `max()` picks the one to apply."""

    patch = 1
    minor = 2
    major = 3


@dataclass(frozen=True, order=True, slots=True)
class Version:
    """A `MAJOR.MINOR.PATCH` version without pre-release or build parts.

    >>> Version.parse("1.4.2").bumped(Bump.minor)
    Version(major=1, minor=5, patch=0)
    >>> str(Version.parse("0.3.1").bumped(Bump.major))
    '0.4.0'
    """

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        """Parse `X.Y.Z`; anything else (`v1.0`, `1.0.0rc1`) raises `ReleaseError`."""
        match = _VERSION.fullmatch(text)
        if match is None:
            raise ReleaseError(f"{text!r} is not a version of the form MAJOR.MINOR.PATCH")
        return cls(*(int(part) for part in match.groups()))

    def bumped(self, bump: Bump) -> Version:
        """The next version; before 1.0 every step moves one place down (breaking -> minor)."""
        if self.major == 0:
            bump = Bump(max(bump - 1, Bump.patch))
        if bump is Bump.major:
            return Version(self.major + 1, 0, 0)
        if bump is Bump.minor:
            return Version(self.major, self.minor + 1, 0)
        return Version(self.major, self.minor, self.patch + 1)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"
