"""Request shapes: a typo in a nested dict's keys is a type error, a correct dict or model is not.

The raw-response view, built by wrapping the methods, keeps their exact signatures too.
"""

from __future__ import annotations

from pathlib import Path

from mypy import api

CONSUMER = """\
from plaid_layer import PlaidLayer
from plaid_layer.models import SessionTokenCreateRequestUser

def calls(client: PlaidLayer) -> None:
    client.session_token_create(template_id="t", user={"client_user_id": "u"})
    client.session_token_create(template_id="t", user={"client_user_id": "u", "user_id": None})
    client.session_token_create(template_id="t", user=SessionTokenCreateRequestUser(client_user_id="u"))
    client.session_token_create(template_id="t", user={"client_user": "u"})  # line 8: a typo
    client.session_token_create(template_id="t", user={"user_id": "x"})  # line 9: required key missing
    client.with_raw_response.session_token_create(template_id=1)  # line 10: the raw view keeps the types
    raw = client.with_raw_response.session_token_create(template_id="t")
    reveal_type(raw.parsed)  # line 12
"""


def test_typos_in_nested_dicts_are_type_errors(tmp_path: Path) -> None:
    consumer = tmp_path / "consumer.py"
    consumer.write_text(CONSUMER, encoding="utf-8")
    stdout, _, status = api.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(consumer)]
    )
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert status == 1
    assert {line.split(":")[1] for line in errors} == {"8", "9", "10"}, stdout
    assert all("SessionTokenCreateRequestUserParam" in line for line in errors[:2]), stdout
    assert 'Revealed type is "plaid_layer.models._session_token_create.SessionTokenCreateResponse"' in stdout
