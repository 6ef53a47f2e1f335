"""Constants and fakes for the client tests."""

from __future__ import annotations

import httpx

CLIENT_ID = "client-id-5f3e9a1c2b"
SECRET = "secret-7d2c4b9e0a1f"
BASE_URL = "https://sandbox.plaid.com"


class FakeSleep:
    """Records the delays the client asks for instead of sleeping."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.delays.append(seconds)


def json_response(status: int, payload: object, **headers: str) -> httpx.Response:
    """A JSON response with extra headers."""
    return httpx.Response(status, json=payload, headers=headers)
