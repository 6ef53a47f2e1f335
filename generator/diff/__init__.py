"""The spec diff behind `layer-codegen diff`: HTTP-level changes between two OpenAPI documents,
judged from a client's point of view, and optionally the generated Python API compared with griffe.

Modules, in the order the data flows: `sources` reads OLD and NEW (through the shared loader) into
the one spec model (`generator.spec_model`), `validate` refuses what would give a false verdict,
`schema` turns schema nodes into comparable shapes, `compare` diffs two schemas in a direction,
`operations` walks operations, parameters, security and webhooks, `python_api` builds (cached) and
compares the generated packages, `render` prints the report; `rules` is the rule registry.
"""

from generator.diff.command import run_diff

__all__ = ["run_diff"]
