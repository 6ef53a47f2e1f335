"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest


@pytest.fixture
def no_plaid_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure credentials from the developer's shell never leak into a test."""
    monkeypatch.delenv("PLAID_CLIENT_ID", raising=False)
    monkeypatch.delenv("PLAID_SECRET", raising=False)
