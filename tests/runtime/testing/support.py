"""Credentials for the testing-kit tests, searched for in recorded calls to prove they are masked."""

from __future__ import annotations

CLIENT_ID = "client-id-0b1c2d3e4f"
SECRET = "secret-9a8b7c6d5e4f"
