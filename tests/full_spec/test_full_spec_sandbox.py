"""The package generated from Plaid's whole spec gets a sandbox too: the Layer flow and any operation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.runtime.sandbox.support import CREDENTIALS, SESSION_REQUEST, WAIT, post

pytestmark = pytest.mark.full_spec


def test_the_full_spec_sandbox_plays_the_flow_and_serves_other_operations(full_dist: Path) -> None:
    command = [sys.executable, "-m", "plaid_layer.testing.sandbox"]
    env = {**os.environ, "PYTHONPATH": str(full_dist), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().removeprefix("Plaid Layer sandbox listening on ").strip()
        status, created = post(f"{url}/session/token/create", SESSION_REQUEST, CREDENTIALS)
        assert status == 200, created
        finished = {"link_token": created["link"]["link_token"], "outcome": "SUCCESS"}
        completed = post(f"{url}/sandbox/layer/session/complete", finished)[1]
        shared = post(
            f"{url}/user_account/session/get", {"public_token": completed["public_token"]}, CREDENTIALS
        )
        unknown = post(f"{url}/user_account/session/get", {"public_token": "profile-sandbox-x"}, CREDENTIALS)
        accounts = post(f"{url}/accounts/get", {"access_token": "access-sandbox-1"}, CREDENTIALS)
        refused = post(f"{url}/accounts/get", {}, CREDENTIALS)
    finally:
        process.terminate()
        process.communicate(timeout=WAIT)
    assert process.returncode == 0
    # Plaid's spec declares no `webhooks:`, but its payload schemas state their type and code, so
    # the package knows the flow's two webhooks and the sandbox sends them.
    assert completed["webhooks"] == ["LAYER_AUTHENTICATION_PASSED", "SESSION_FINISHED"]
    assert shared[0] == 200 and "items" in shared[1]
    assert (unknown[0], unknown[1]["error_code"]) == (400, "INVALID_PUBLIC_TOKEN")
    assert accounts[0] == 200 and accounts[1]["accounts"]
    assert (refused[0], refused[1]["error_code"]) == (400, "MISSING_FIELDS")
