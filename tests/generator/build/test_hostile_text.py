"""Spec text never becomes code: a payload in every text field of the spec stays text.

The payload tries to end a docstring, a string literal, a TOML string and a Jinja expression, and
to run code if it gets out. The package is generated (which imports it in a probe), imported and
called; the payload must appear verbatim where it is documented and nowhere run.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import respx
import yaml

from tests.generator.support import GeneratedPackage, generate_and_import
from tests.support import GENERATED, SPEC

PAYLOAD = '"""\'\'\' \\ {{ 7*7 }} ${x} "]\nrequires = ["evil"]\n[x]\ny = "\n"""; raise SystemExit("PWNED") #'
OP = ("paths", "/session/token/create", "post")


def _hostile_spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    spec["info"]["title"] = PAYLOAD
    spec["info"]["description"] = PAYLOAD
    spec["servers"][0]["description"] = PAYLOAD
    for tag in spec["tags"]:
        tag["description"] = PAYLOAD
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            operation["summary"] = PAYLOAD
            operation["description"] = PAYLOAD
            for response in operation["responses"].values():
                response["description"] = PAYLOAD
                for media in (response.get("content") or {}).values():
                    for example in (media.get("examples") or {}).values():
                        example["summary"] = PAYLOAD
                        if isinstance(example["value"], dict):
                            example["value"][PAYLOAD] = PAYLOAD
    spec["paths"]["/session/token/create"]["post"]["tags"] = [PAYLOAD]
    spec["paths"]["/session/token/create"]["post"]["parameters"] = [
        {
            "name": "X-Note",
            "in": "header",
            "description": PAYLOAD,
            "schema": {"type": "string", "enum": [PAYLOAD]},
        }
    ]
    for webhook in spec["webhooks"].values():
        webhook["post"]["summary"] = PAYLOAD
        webhook["post"]["description"] = PAYLOAD
        for example in webhook["post"]["requestBody"]["content"]["application/json"]["examples"].values():
            example["value"][PAYLOAD] = PAYLOAD
    for schema in spec["components"]["schemas"].values():
        schema["description"] = PAYLOAD
        for prop in (schema.get("properties") or {}).values():
            prop["description"] = PAYLOAD
    known = spec["components"]["schemas"]["PlaidErrorType"]["anyOf"][0]
    known["enum"].append(PAYLOAD)
    return copy.deepcopy(spec)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> GeneratedPackage:
    root = tmp_path_factory.mktemp("hostile")
    spec_path = root / "hostile.yaml"
    spec_path.write_text(yaml.safe_dump(_hostile_spec(), sort_keys=False), encoding="utf-8")
    return generate_and_import(spec_path, root / "dist")


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url="https://sandbox.plaid.com") as mock:
        yield mock


def test_generated_files_hold_the_payload_as_text(hostile: GeneratedPackage) -> None:
    package = hostile.root / "plaid_layer"
    assert _documents(hostile.client.PlaidLayer.session_token_create.__doc__)
    assert _documents(hostile.client.AsyncPlaidLayer.session_token_create.__doc__)
    assert _documents(hostile.models.SessionTokenCreateRequest.__doc__)
    assert _documents(hostile.package.__doc__)
    assert _documents(hostile.webhooks.__doc__)
    pyproject = tomllib.loads((hostile.root / "pyproject.toml").read_text(encoding="utf-8"))
    assert PAYLOAD in pyproject["project"]["description"]
    assert "x" not in pyproject
    ours = tomllib.loads((GENERATED / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["dependencies"] == ours["project"]["dependencies"]  # nothing injected
    provenance = tomllib.loads((hostile.root / "provenance.toml").read_text(encoding="utf-8"))
    assert provenance["spec"]["title"] == PAYLOAD
    readme = (hostile.root / "README.md").read_text(encoding="utf-8")
    assert "\n[x]" not in readme and "<" not in readme.replace("<!--", "").replace("-->", "")
    for path in package.rglob("*.py"):
        assert 'raise SystemExit("PWNED")' not in _code_only(path), path


def _documents(doc: str | None) -> bool:
    """Whether a docstring shows every line of the payload (docstrings are indented and wrapped)."""
    text = " ".join((doc or "").split())
    return all(" ".join(line.split()) in text for line in PAYLOAD.splitlines())


def _code_only(path: Path) -> str:
    """The module's source with its string literals and comments left out."""
    import io
    import tokenize

    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    kept = [t.string for t in tokens if t.type not in (tokenize.STRING, tokenize.COMMENT)]
    return " ".join(kept)


def test_a_call_with_the_payload_in_examples_and_enums_works(
    hostile: GeneratedPackage, router: respx.MockRouter
) -> None:
    router.post("/session/token/create").respond(
        200,
        json={
            "request_id": "r",
            PAYLOAD: PAYLOAD,
            "link": {"link_token": "l", "expiration": "2020-01-01T00:00:00Z"},
        },
    )
    with hostile.client.PlaidLayer(client_id="id", secret="secret") as client:
        result = client.session_token_create(template_id="t", x_note=PAYLOAD.replace("\n", " "))
    assert result.model_extra == {PAYLOAD: PAYLOAD}
