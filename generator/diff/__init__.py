"""The spec diff behind `layer-codegen diff`: HTTP-level changes between two OpenAPI documents,
judged from a client's point of view, and optionally the generated Python API compared with griffe.

Modules, in the order the data flows: `runner` is the one entry point `diff` and `release` share;
`sources` reads OLD and NEW (through the shared loader) into the one spec model
(`generator.spec.model`), `validate` refuses what cannot be read or resolved and lists the
structural problems of what can, `schema` turns schema nodes into comparable shapes, `compare`
diffs two schemas in a direction, `operations` walks operations, parameters, security and webhooks,
`python_api` builds (cached) and compares the generated packages, `model` holds changes with their
structured locations, `render` prints the report; `rules` is the rule registry (as data) and
`policy` what the generated client does with responses, asked of the generator.
"""

from generator.diff.command import run_diff

__all__ = ["run_diff"]
