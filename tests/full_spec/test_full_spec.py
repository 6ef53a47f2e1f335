"""Plaid's whole official spec, unmodified, generates a client that works, type-checks and is deterministic.

These tests take minutes (two generations, a sweep of 300-odd operations, mypy over 6 MB of code), so
the default run deselects them (`-m "not full_spec"` in pyproject.toml); `nox -s plaid-full` runs them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build.pipeline import generate_distribution
from tests.full_spec.conftest import PLAID_SPEC
from tests.support import ROOT

pytestmark = pytest.mark.full_spec

# Operations whose own success example violates Plaid's schema: read all the same, and reported.
BAD_EXAMPLES = {
    "signalEvaluate": "the example's scores omit the required `risk_tier`",
    "processorSignalEvaluate": "the example's scores omit the required `risk_tier`",
}
CONSUMER = """\
from plaid_layer import AsyncPlaidLayer, PlaidLayer
from plaid_layer.models import AccountsGetResponse, ItemGetResponse


def calls(client: PlaidLayer) -> list[str]:
    accounts: AccountsGetResponse = client.accounts_get(access_token="access-sandbox-1")
    item: ItemGetResponse = client.item_get(access_token="access-sandbox-1")
    balance = client.accounts_balance_get(access_token="access-sandbox-1")
    auth = client.auth_get(access_token="access-sandbox-1")
    identity = client.identity_get(access_token="access-sandbox-1")
    institution = client.institutions_get_by_id(institution_id="ins_1", country_codes=["US"])
    link = client.link_token_get(link_token="link-sandbox-1")
    sync = client.transactions_sync(access_token="access-sandbox-1")
    key = client.webhook_verification_key_get(key_id="kid")
    public = client.item_public_token_exchange(public_token="public-sandbox-1")
    names: list[str] = [account.account_id for account in accounts.accounts]
    names += [item.item.item_id, balance.request_id, auth.request_id, identity.request_id]
    names += [institution.institution.name, link.link_token, sync.next_cursor, key.key.kid]
    return [*names, public.access_token]


async def acalls(client: AsyncPlaidLayer) -> str:
    return (await client.accounts_get(access_token="access-sandbox-1")).request_id
"""


def _env(dist: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(dist), str(ROOT)])}


def test_plaids_own_examples_work_through_the_mock_and_respx(full_dist: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "tests.full_spec.sweep", str(PLAID_SPEC)],
        env=_env(full_dist),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(run.stdout)
    failures = report["failures"]
    print(f"{len(report['checked']) - len(failures)} of {len(report['checked'])} operations pass")
    for operation, reason in sorted(failures.items()):
        print(f"  {operation}: {reason}")
    for operation, paths in sorted(report["deviating"].items()):
        print(f"  {operation} read with deviations at {', '.join(paths)}")
    assert len(report["checked"]) > 300
    assert failures == {}
    assert set(BAD_EXAMPLES) <= set(report["deviating"])
    assert all(any(p.endswith("risk_tier") for p in report["deviating"][op]) for op in BAD_EXAMPLES)


def test_a_consumer_calling_ten_operations_type_checks(full_dist: Path, tmp_path: Path) -> None:
    consumer = tmp_path / "consumer.py"
    consumer.write_text(CONSUMER, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(consumer)],
        env={**_env(full_dist), "MYPYPATH": str(full_dist)},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:]


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_two_generations_are_byte_identical(full_dist: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_distribution(PLAID_SPEC, again)
    first, second = _files(full_dist), _files(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
