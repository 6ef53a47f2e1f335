"""`layer-codegen release`: the next version of plaid-layer and its changelog, decided by the spec diff.

Modules, in the order the data flows: `changes` runs the diff (its `diff_report` is the one place
that calls into `generator.diff`) and turns it into changelog entries, `versioning` applies the bump,
`history` reads and writes the release record `generator/config/release.toml`, `render` writes it as
Markdown, and `command` ties them to git and the generator; `errors` holds `ReleaseError`.
"""

from generator.release.command import run_release

__all__ = ["run_release"]
