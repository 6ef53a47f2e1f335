"""`layer-codegen release`: the next version of plaid-layer and its changelog, decided by the spec diff.

Modules, in the order the data flows: `changes` turns the diff into changelog entries (the one place
that reads `generator.diff`), `versioning` picks the bump, `history` reads and writes the release
record `generator/config/release.toml`, and `command` ties them to git and the generator.
"""

from generator.release.command import run_release

__all__ = ["run_release"]
