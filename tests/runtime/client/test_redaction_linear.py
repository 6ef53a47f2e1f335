"""Masking runs in linear time on any text, and scans at most `MAX_SCANNED` characters of it.

Each adversarial string below is a megabyte long. The patterns masking used before took about a
second for 5,000 characters of `a-a-...` and 45 s for 5,000 of `secret-secret-...` (quadratic and
worse), so none of these tests could finish within hours if a pattern went back to that; at
linear time each takes well under a second. They assert what was masked, not how fast.
"""

from __future__ import annotations

import pytest
import respx
from plaid_layer import APIServerError, AsyncPlaidLayer, PlaidLayer, _redact
from plaid_layer._redact import MAX_SCANNED, REDACTED, mask_shapes, scrub_text
from plaid_layer.models import SessionTokenCreateResponse

from tests.runtime.client.support import SECRET
from tests.support import load_example

MEGABYTE = 1 << 20
TAIL = ' and then secret="hunter2" for jane@example.com'
"""A credential and an email after the adversarial part: masked only if the scan reaches them."""

ADVERSARIAL = {
    "hyphenated id": "a-" * (MEGABYTE // 2),
    "one long word": "a" * MEGABYTE,
    "digits": "1" * MEGABYTE,
    "spaces after a sensitive name": "secret" + " " * MEGABYTE,
    "sensitive names": "secret " * (MEGABYTE // 7),
    "a quote that never closes": 'secret "' + "a" * MEGABYTE,
    "escaped quotes": 'token=\\"' * (MEGABYTE // 8),
    "an email without a domain": "a." * (MEGABYTE // 2),
    "at signs": "a@" * (MEGABYTE // 2),
    "a domain without an end": "a@b" + ".b" * (MEGABYTE // 2) + "@",
    "token prefixes": "access-sandbox-" * (MEGABYTE // 15),
    "sensitive names in one word": "secret-" * (MEGABYTE // 7),
    "dashes": "-" * MEGABYTE,
    "half social security numbers": "123-45-" * (MEGABYTE // 7),
    "half phone numbers": "+1" * (MEGABYTE // 2),
    "letters and digits": "x1-" * (MEGABYTE // 3),
}


@pytest.fixture
def uncapped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scan whole megabytes, so that the patterns themselves are what is tested."""
    monkeypatch.setattr(_redact, "MAX_SCANNED", 1 << 30)


@pytest.mark.usefixtures("uncapped")
@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_scrubbing_a_megabyte_of_adversarial_text_reaches_its_end(text: str) -> None:
    scrubbed = scrub_text(text + TAIL, ("s3cr3t-value",))
    assert scrubbed.endswith(f" and then secret={REDACTED} for {REDACTED}")
    assert "hunter2" not in scrubbed


@pytest.mark.usefixtures("uncapped")
@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_masking_a_megabyte_of_adversarial_text_reaches_its_end(text: str) -> None:
    assert mask_shapes(text + TAIL).endswith(f" and then secret={REDACTED} for {REDACTED}")


def test_only_the_first_max_scanned_characters_are_kept() -> None:
    text = "x " * MAX_SCANNED + "secret=hunter2"
    for masked in (scrub_text(text), mask_shapes(text)):
        assert masked.startswith("x " * (MAX_SCANNED // 2))
        assert masked.endswith(f"... <{len(text) - MAX_SCANNED} more characters not shown>")
        assert "hunter2" not in masked


def test_text_within_the_cap_is_kept_whole() -> None:
    text = "y" * MAX_SCANNED
    assert scrub_text(text) == mask_shapes(text) == text


def test_a_megabyte_error_body_is_raised_at_once(client: PlaidLayer, router: respx.MockRouter) -> None:
    body = "secret-" * (MEGABYTE // 7) + SECRET
    router.post("/user_account/session/get").respond(503, text=body)
    with pytest.raises(APIServerError) as caught:
        client.user_account_session_get(public_token="public-sandbox-1", max_retries=0)
    assert len(caught.value.body) < MAX_SCANNED + 100
    assert SECRET not in caught.value.body


async def test_a_megabyte_error_body_is_raised_at_once_in_asyncio(
    async_client: AsyncPlaidLayer, router: respx.MockRouter
) -> None:
    router.post("/user_account/session/get").respond(503, text="a-" * (MEGABYTE // 2))
    with pytest.raises(APIServerError) as caught:
        await async_client.user_account_session_get(public_token="public-sandbox-1", max_retries=0)
    assert caught.value.body.endswith("more characters not shown>")


def test_the_repr_of_a_response_with_a_megabyte_unknown_field_is_capped() -> None:
    fields = dict(load_example("sessionTokenCreate.response.200"), notes="a-" * (MEGABYTE // 2))
    shown = repr(SessionTokenCreateResponse.model_validate(fields))
    assert "more characters not shown>" in shown
    assert len(shown) < 2 * MAX_SCANNED
