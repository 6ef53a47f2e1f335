"""Plaid's oldest spec in ../shared (1.5.0, which offers `application/xml` beside JSON) generates whole.

Not marked `full_spec`: it is one generation of a small spec, so it runs in the default suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build.pipeline import generate_distribution
from tests.support import ROOT

OLD_SPEC = ROOT.parent / "shared" / "data" / "plaid-openapi" / "plaid-2020-09-14-1.5.0.yml"
CALL = """\
import plaid_layer
from plaid_layer import PlaidLayer
from plaid_layer.api import OPERATIONS
from plaid_layer.testing import mock_layer

operation = OPERATIONS["institutionsGet"]
assert operation.request_model.__name__ == "InstitutionsGetRequest", operation
assert operation.response_model.__name__ == "InstitutionsGetResponse", operation
with mock_layer() as mock, PlaidLayer(client_id="id", secret="secret") as client:
    mock.queue("institutions_get", json={"institutions": [], "total": 0, "request_id": "r1"})
    result = client.institutions_get(count=1, offset=0, country_codes=["US"])
    assert result.request_id == "r1" and plaid_layer.deviations(result) == (), result
    assert mock.calls[0].headers["content-type"] == "application/json"
print(len(OPERATIONS))
"""


@pytest.mark.skipif(not OLD_SPEC.exists(), reason="Plaid's 1.5.0 spec is not in ../shared")
def test_plaids_oldest_spec_generates_and_its_xml_alternative_is_left_for_json(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    generate_distribution(OLD_SPEC, dist)
    run = subprocess.run(
        [sys.executable, "-c", CALL],
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(dist), str(ROOT)])},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert int(run.stdout) > 50  # every operation of the old spec became a method
