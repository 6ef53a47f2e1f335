"""Diffing the two full Plaid spec versions (OpenAPI 3.0, ~3 MB each) from the shared data folder."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from generator.diff.operations import diff_documents
from generator.diff.sources import read_source

DATA = Path(__file__).parents[3] / ".." / "shared" / "data" / "plaid-openapi"
OLD, NEW = DATA / "plaid-2020-09-14-old.yml", DATA / "plaid-2020-09-14-new.yml"


@pytest.mark.skipif(not (OLD.exists() and NEW.exists()), reason="the full Plaid specs are not available")
def test_full_plaid_specs_diff_finds_the_known_changes() -> None:
    changes = diff_documents(read_source(str(OLD)).document, read_source(str(NEW)).document)
    rules = Counter(change.rule for change in changes)
    locations = {str(change.location) for change in changes}
    assert "POST /item/handle_fraud_report" in locations
    assert "GET /fdx/consents/{consentId}" in locations
    assert "POST /user/products/terminate request body reason_code" in locations
    assert rules["operation-removed"] == 2
    # One new PlaidErrorType value, reported once at its schema (it was 337 breaking changes).
    enum_locations = [
        str(change.location) for change in changes if change.rule == "response-enum-value-added"
    ]
    assert enum_locations.count("schema PlaidErrorType") == 1
    assert all(location.startswith("schema ") for location in enum_locations)
    assert sum(change.level.value == "breaking" for change in changes) == 6
