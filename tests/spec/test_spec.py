"""`spec/layer.yaml` is valid OpenAPI 3.1, its examples are valid and stored, and it keeps its promises."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from generator.docs_check.page import parse_page
from generator.docs_check.schema import FORMAT_CHECKER
from generator.examples import iter_examples
from generator.spec.model import SpecModel, validate

from . import spec_rules
from .conftest import EXAMPLES_DIR, REFERENCE_PAGE, SPEC_PATH


def test_the_spec_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1.")
    validate(SpecModel.from_document(spec, str(SPEC_PATH)).document, str(SPEC_PATH))


def test_every_example_validates_and_is_stored_once_identically(spec: dict[str, Any]) -> None:
    assert spec_rules.example_problems(spec, EXAMPLES_DIR) == []


def test_every_operation_response_and_webhook_has_a_documented_example(spec: dict[str, Any]) -> None:
    files = {example.file_name for example in iter_examples(spec)}
    for operation_id in ("sessionTokenCreate", "userAccountSessionGet", "webhookVerificationKeyGet"):
        assert {f"{operation_id}.request.json", f"{operation_id}.response.200.json"} <= files
    assert {"LAYER_AUTHENTICATION_PASSED.json", "SESSION_FINISHED.json"} <= files


def _formats(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("format"), str):
            yield node["format"]
        for value in node.values():
            yield from _formats(value)
    elif isinstance(node, list):
        for value in node:
            yield from _formats(value)


def test_every_format_in_the_spec_is_one_the_example_checks_enforce(spec: dict[str, Any]) -> None:
    assert set(_formats(spec["components"])) <= set(FORMAT_CHECKER.checkers)
    assert not FORMAT_CHECKER.conforms("yesterday", "date-time")  # rfc3339-validator is installed
    assert not FORMAT_CHECKER.conforms("not a url", "url")


@pytest.mark.skipif(not REFERENCE_PAGE.exists(), reason="Plaid's reference page is not beside the repo")
def test_every_field_in_the_reference_pages_examples_is_in_the_spec(spec: dict[str, Any]) -> None:
    page = parse_page(REFERENCE_PAGE.read_text(encoding="utf-8"))
    assert len(page.examples) == 6
    assert spec_rules.page_field_problems(spec, page, EXAMPLES_DIR) == []


def test_operations_have_ids_text_error_responses_and_titled_bodies(spec: dict[str, Any]) -> None:
    assert spec_rules.operation_problems(spec) == []


def test_every_schema_and_property_is_described(spec: dict[str, Any]) -> None:
    assert spec_rules.description_problems(spec) == []


def test_webhooks_fix_their_type_and_code_with_const(spec: dict[str, Any]) -> None:
    assert spec_rules.webhook_problems(spec) == []
