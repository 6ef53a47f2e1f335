"""Parsing reference pages: tables, sections, curl bodies, Markdown escapes, and pages it cannot parse."""

from __future__ import annotations

import pytest

from generator.docs_check.compare import without_placeholder_credentials
from generator.docs_check.page import PageEndpoint, PageError, parse_page
from generator.facts import collect_facts, credential_fields
from generator.project import ProjectConfig
from generator.spec.loader import load_document
from generator.spec.model import SpecModel

from .conftest import PAGES, SPEC

PAGE = """\
| Endpoints |  |
| --- | --- |
| [/thing\\_one/get](https://docs.example.test#one) | Reads a thing |

### Endpoints

#### /thing\\_one/get

#### Reads a thing

```bash
curl -X PUT https://sandbox.example.test/thing_one/get \\
-d '{"client_id": "${PLAID_CLIENT_ID}", "name": "x"}'
```

```json
{"ok": true}
```
"""


def test_the_agree_page_lists_two_endpoints_two_webhooks_and_six_examples() -> None:
    page = parse_page((PAGES / "agree.md").read_text(encoding="utf-8"))
    assert page.endpoints == (
        PageEndpoint("POST", "/session/token/create"),
        PageEndpoint("POST", "/user_account/session/get"),
    )
    assert page.webhooks == ("LAYER_AUTHENTICATION_PASSED", "SESSION_FINISHED")
    assert [(e.kind, e.owner, e.status) for e in page.examples] == [
        ("request", "/session/token/create", None),
        ("response", "/session/token/create", "200"),
        ("request", "/user_account/session/get", None),
        ("response", "/user_account/session/get", "200"),
        ("webhook", "LAYER_AUTHENTICATION_PASSED", None),
        ("webhook", "SESSION_FINISHED", None),
    ]


def test_escapes_are_undone_and_the_curl_method_and_body_are_read() -> None:
    page = parse_page(PAGE)
    assert page.endpoints == (PageEndpoint("PUT", "/thing_one/get"),)
    request, response = page.examples
    assert (request.method, request.value) == ("PUT", {"client_id": "${PLAID_CLIENT_ID}", "name": "x"})
    assert (response.kind, response.value, response.line) == ("response", {"ok": True}, 16)


def test_only_placeholder_credentials_are_dropped() -> None:
    credentials = credential_fields(SpecModel.load(SPEC), ProjectConfig())
    assert credentials == {"client_id", "secret"}
    value = {"client_id": "${PLAID_CLIENT_ID}", "secret": "real-looking", "name": "x"}
    assert without_placeholder_credentials(value, credentials) == {"secret": "real-looking", "name": "x"}


def test_credentials_are_the_ones_generate_sends_as_headers_also_when_inferred() -> None:
    """Without `x-body-field`, `generate` infers a credential header's body field from its name;
    docs-check drops the same fields, so the two never disagree about one spec."""
    document = load_document(SPEC)
    for scheme in document["components"]["securitySchemes"].values():
        scheme.pop("x-body-field", None)
    model = SpecModel.from_document(document)
    inferred = credential_fields(model, ProjectConfig())
    assert inferred == {"client_id", "secret"}
    assert inferred == set(collect_facts(model).credential_headers)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "no endpoint table found"),
        ("| Endpoints |  |\n| --- | --- |\n", "the endpoint table lists no endpoints"),
        (PAGE.replace('{"ok": true}\n```', '{"ok": true}'), "code block is never closed"),
        (PAGE.replace("```bash", "```json\n{}\n```\n```bash"), "second response example"),
    ],
)
def test_pages_in_another_shape_raise_page_error(text: str, expected: str) -> None:
    with pytest.raises(PageError, match=expected):
        parse_page(text)
