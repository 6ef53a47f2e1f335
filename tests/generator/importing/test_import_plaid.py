"""`layer-codegen import` of Plaid's own operations and webhooks into a copy of the project, then the
whole maintainer's loop on the result: `generate`, `check`, `diff`, the spec's house rules and calls
through the regenerated testing kit. One import and one generation serve the module."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build.pipeline import generate_distribution, stale_files
from generator.build.provenance import matches_record
from generator.diff import run_diff
from generator.project import ProjectConfig
from generator.spec.loader import load_document
from generator.spec.model import SpecModel, validate
from tests.full_spec.conftest import PLAID_SPEC
from tests.spec import spec_rules
from tests.support import ROOT, SPEC

pytestmark = pytest.mark.skipif(not PLAID_SPEC.exists(), reason="Plaid's spec is not in ../shared")

ITEMS = [
    "/link/token/get",  # 40-odd components, four of them already ours with the same meaning
    "userCreate",  # a header parameter (Plaid-New-User-API-Enabled) and a 201 response
    "assetReportPdfGet",  # an application/pdf response
    "IDENTITY_VERIFICATION:STATUS_UPDATED",  # a webhook by type and code
    "BeaconUserStatusUpdatedWebhook",  # a webhook by its payload schema
]


@dataclass(frozen=True)
class Imported:
    spec: Path
    output: Path
    report: str


def _import(spec: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "import", "--from", str(PLAID_SPEC), "--spec", str(spec), *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )


def _project(root: Path) -> Path:
    shutil.copytree(SPEC.parent, root / "spec")
    return root / "spec" / "layer.yaml"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    root = tmp_path_factory.mktemp("imported")
    spec = _project(root)
    run = _import(spec, *ITEMS)
    assert run.returncode == 0, run.stderr
    generate_distribution(spec, root / "generated")
    return Imported(spec, root / "generated", run.stdout)


def test_the_import_only_adds_to_the_spec_and_reports_each_change(imported: Imported) -> None:
    before = SPEC.read_text(encoding="utf-8").splitlines()
    after = imported.spec.read_text(encoding="utf-8").splitlines()
    removed = [line for line in difflib.ndiff(before, after) if line.startswith("- ")]

    assert removed == []  # comments, order and quoting of what was there are untouched
    lines = imported.report.splitlines()
    assert f"add path /link/token/get (POST linkTokenGet) from {PLAID_SPEC}" in lines
    assert (
        "add webhook IDENTITY_VERIFICATION_STATUS_UPDATED (IDENTITY_VERIFICATION:STATUS_UPDATED, "
        "IdentityVerificationStatusUpdatedWebhook)" in lines
    )
    assert "keep component #/components/schemas/PlaidError (the same meaning)" in lines
    assert "add IdentityVerificationStatusUpdatedWebhook to the webhook union LayerWebhook" in lines
    examples = imported.spec.parent / "examples"
    assert f"write {examples / 'linkTokenGet.response.200.example-1.json'}" in lines
    assert (examples / "IDENTITY_VERIFICATION_STATUS_UPDATED.schema-example.json").is_file()


def test_the_spec_keeps_its_house_rules(imported: Imported) -> None:
    spec = load_document(imported.spec)
    validate(SpecModel.from_document(spec, str(imported.spec)).document, str(imported.spec))
    assert spec_rules.operation_problems(spec) == []
    assert spec_rules.description_problems(spec) == []
    assert spec_rules.webhook_problems(spec) == []
    assert spec_rules.example_problems(spec, imported.spec.parent / "examples") == []


def test_check_finds_the_generation_fresh_and_a_hand_edited_example_stale(imported: Imported) -> None:
    assert matches_record(imported.spec, imported.output, ProjectConfig())
    example = imported.spec.parent / "examples" / "linkTokenGet.response.200.example-1.json"
    text = example.read_text(encoding="utf-8")
    try:
        example.write_text(text.replace("Citizens Bank", "Another Bank"), encoding="utf-8")
        assert not matches_record(imported.spec, imported.output, ProjectConfig())
        staleness = stale_files(imported.spec, imported.output)
    finally:
        example.write_text(text, encoding="utf-8")
    assert staleness.files == ()
    assert [(file.status, file.name) for file in staleness.examples] == [("changed", example.as_posix())]


def test_the_diff_reports_only_additions(imported: Imported, capsys: pytest.CaptureFixture[str]) -> None:
    status = run_diff(str(SPEC), str(imported.spec), fmt="json", fail_on="breaking", python_api=True)

    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert {change["level"] for change in report["changes"]} <= {"non-breaking", "info"}
    rules = {change["rule"] for change in report["changes"]}
    assert {"operation-added", "webhook-added"} <= rules


CALLS = """\
import json
import httpx
from plaid_layer import PlaidLayer
from plaid_layer.models import BeaconUserStatusUpdatedWebhook, IdentityVerificationStatusUpdatedWebhook
from plaid_layer.testing import examples, mock_layer
from plaid_layer.webhooks import parse_webhook

with mock_layer() as mock, PlaidLayer(client_id="id", secret="secret", max_retries=0) as plaid:
    link = plaid.link_token_get(link_token="link-sandbox-1")
    user = plaid.user_create(client_user_id="user-1", plaid_new_user_api_enabled=True)
    pdf_answer = httpx.Response(200, content=b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
    mock.set_handler("asset_report_pdf_get", lambda body: pdf_answer)
    pdf = plaid.asset_report_pdf_get(asset_report_token="assets-sandbox-1")
    (call,) = mock.calls_for("user_create")
    event = parse_webhook(json.dumps(examples.identity_verification_status_updated()))
    beacon = parse_webhook(json.dumps(examples.beacon_user_status_updated()))
    print(json.dumps({
        "link_token": link.link_token,
        "user_request_id": user.request_id,
        "header": call.headers.get("Plaid-New-User-API-Enabled"),
        "body": call.json,
        "pdf": pdf.decode(),
        "event": [type(event).__name__, event.identity_verification_id],
        "beacon": isinstance(beacon, BeaconUserStatusUpdatedWebhook),
        "typed": isinstance(event, IdentityVerificationStatusUpdatedWebhook),
    }))
"""


def test_the_new_operations_and_webhooks_work_through_the_testing_kit(imported: Imported) -> None:
    run = subprocess.run(
        [sys.executable, "-c", CALLS],
        env={**os.environ, "PYTHONPATH": str(imported.output)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["link_token"].startswith("link-")
    assert result["user_request_id"]
    assert result["header"] == "true"
    assert result["body"]["client_user_id"] == "user-1"
    assert "plaid_new_user_api_enabled" not in result["body"]  # a header, not a body field
    assert result["pdf"] == "%PDF-1.4"
    assert result["event"] == ["IdentityVerificationStatusUpdatedWebhook", "idv_52xR9LKo77r1Np"]
    assert result["beacon"] is True and result["typed"] is True


def test_a_shared_name_with_another_meaning_exits_2_naming_both_pointers(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    before = spec.read_text(encoding="utf-8")

    refused = _import(spec, "LINK:SESSION_FINISHED")

    assert refused.returncode == 2
    assert refused.stderr == (
        f"error: {spec}#/components/schemas/LinkSessionFinishedWebhook and {PLAID_SPEC}#/components/schemas/"
        "LinkSessionFinishedWebhook share a name but differ; pass --prefer ours or --prefer theirs to say "
        "which wins\n"
    )
    assert spec.read_text(encoding="utf-8") == before

    theirs = _import(spec, "LINK:SESSION_FINISHED", "--prefer", "theirs", "--dry-run")
    assert theirs.returncode == 0, theirs.stderr
    assert theirs.stdout.splitlines() == [
        "would replace component #/components/schemas/LinkSessionFinishedWebhook",
        "would add component #/components/schemas/WebhookEnvironmentValues",  # what Plaid's payload uses
        "would add component #/components/schemas/UserId",
    ]
    assert spec.read_text(encoding="utf-8") == before  # a dry run writes nothing

    ours = _import(spec, "LINK:SESSION_FINISHED", "--prefer", "ours")
    assert ours.returncode == 0, ours.stderr
    assert (
        ours.stdout == "keep our component #/components/schemas/LinkSessionFinishedWebhook (--prefer ours)\n"
    )
    assert spec.read_text(encoding="utf-8") == before


def test_importing_the_same_items_again_changes_nothing(imported: Imported) -> None:
    before = imported.spec.read_text(encoding="utf-8")

    again = _import(imported.spec, *ITEMS)

    assert again.returncode == 0, again.stderr
    assert imported.spec.read_text(encoding="utf-8") == before
    assert not [line for line in again.stdout.splitlines() if line.startswith(("add ", "replace ", "write "))]
