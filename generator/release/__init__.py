"""`layer-codegen release`: the next version of plaid-layer and its changelog, decided by the spec diff.

Modules, in the order the data flows: `changes` runs the diff (its `diff_report` is the one place
that calls into `generator.diff`) and turns it into changelog entries, and `command` applies the bump
and ties them to git and the generator. The release record itself (`generator/config/release.toml`)
is project data the build reads too, so reading, writing and rendering it live below both, in
`generator.build.history`, `generator.build.versioning` and `generator.build.changelog`;
`ReleaseError` is in `generator.errors`.
"""

from generator.release.command import run_release

__all__ = ["run_release"]
