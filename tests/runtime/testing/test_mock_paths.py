"""The mock's routes match the spec's paths exactly, a `{parameter}` standing for one segment."""

from __future__ import annotations

import re

from plaid_layer.testing._mock import _path_pattern


def test_a_path_parameter_matches_one_segment() -> None:
    pattern = re.compile(_path_pattern("/fdx/consents/{consentId}") + r"\Z")
    assert pattern.match("/fdx/consents/abc-1")
    assert not pattern.match("/fdx/consents/abc/1")
    assert not pattern.match("/fdx/consents/")


def test_the_rest_of_a_path_is_literal() -> None:
    pattern = re.compile(_path_pattern("/link/token.get") + r"\Z")
    assert pattern.match("/link/token.get")
    assert not pattern.match("/link/tokenXget")
