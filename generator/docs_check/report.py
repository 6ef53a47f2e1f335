"""Rendering a comparison as text (one finding a line) or JSON.

print(render(comparison.findings, "text"))
# unknown-field POST /session/token/create request body user.email: not in the spec
"""

from __future__ import annotations

import json

from generator.docs_check.compare import Finding

AGREE_MESSAGE = "the page and the spec agree"


def render(findings: list[Finding], fmt: str) -> str:
    """`findings` as `text` (`<kind> <location>: <message>` lines) or `json` (`{"agree", "findings"}`)."""
    if fmt == "json":
        rows = [{"kind": f.kind, "location": f.location, "message": f.message} for f in findings]
        return json.dumps({"agree": not findings, "findings": rows}, indent=2, ensure_ascii=False)
    if fmt != "text":
        raise ValueError(f"unknown report format {fmt!r}; expected 'text' or 'json'")
    if not findings:
        return AGREE_MESSAGE
    return "\n".join(f"{f.kind} {f.location}: {f.message}" for f in findings)
