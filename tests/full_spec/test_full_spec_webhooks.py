"""Plaid's whole spec has no `webhooks:` section: its payload schemas still parse into their models.

Each payload schema states its `webhook_type` and `webhook_code` in its property descriptions
(`generator/webhook_identity.py`); every identity stated by one schema is typed, each stated by two is
left to `UnknownWebhook`, and the testing kit's builders are named `<type>_<code>`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.full_spec.conftest import PLAID_SPEC
from tests.support import ROOT

pytestmark = pytest.mark.full_spec

PARSE_EVERY_PAYLOAD = """\
import json, sys
from plaid_layer import webhooks
from plaid_layer.testing import examples
from generator.spec.model import SpecModel
from generator.webhook_identity import webhook_catalogue

model = SpecModel.load(__import__("pathlib").Path(sys.argv[1]))
catalogue = webhook_catalogue(model)
parsed = {}
for hook in [*catalogue.by_identity.values(), *(h for group in catalogue.duplicates for h in group)]:
    payload = {**(model.schema(hook.schema).get("examples") or [{}])[0]}
    payload.update(webhook_type=hook.webhook_type, webhook_code=hook.webhook_code)
    parsed[hook.schema] = type(webhooks.parse_webhook(json.dumps(payload))).__name__
built = examples.identity_verification_status_updated(identity_verification_id="idv_1")
print(json.dumps({
    "parsed": parsed,
    "typed": len(webhooks._MODELS),
    "duplicates": [[h.schema for h in group] for group in catalogue.duplicates],
    "built": type(webhooks.parse_webhook(json.dumps(built))).__name__,
    "built_id": built["identity_verification_id"],
}))
"""


def test_every_payload_schema_parses_into_its_model_and_duplicates_stay_unknown(full_dist: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", PARSE_EVERY_PAYLOAD, str(PLAID_SPEC)],
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(full_dist), str(ROOT)])},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(run.stdout)
    duplicated = {schema for group in report["duplicates"] for schema in group}
    print(f"{report['typed']} typed webhooks, {len(report['duplicates'])} duplicate pairs")

    assert report["typed"] == 74
    assert len(report["duplicates"]) == 9
    assert {schema: name for schema, name in report["parsed"].items() if schema not in duplicated} == {
        schema: schema for schema in report["parsed"] if schema not in duplicated
    }
    assert {report["parsed"][schema] for schema in duplicated} == {"UnknownWebhook"}
    assert (report["built"], report["built_id"]) == ("IdentityVerificationStatusUpdatedWebhook", "idv_1")
