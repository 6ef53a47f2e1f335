"""Input that cannot be read or resolved is exit 2 with the file and the JSON pointer, never a verdict;
a readable document that breaks a structural rule of OpenAPI is compared, its problems listed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from generator.cli import app
from tests.generator.diff.specs import STRING, Doc, edit, obj, operation, spec

GOOD = spec(request=obj({"a": STRING}), response=obj({"a": STRING}))
BODY = "#/paths/~1x/post/requestBody/content/application~1json/schema"
RESPONSE = "#/paths/~1x/post/responses/200/content/application~1json/schema"
TYPES = "(expected one of ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'])"


def _with_path(template: str, names: list[str], version: str = "3.1.0") -> Doc:
    document = spec(version=version)
    parameters = [{"name": name, "in": "path", "required": True, "schema": STRING} for name in names]
    document["paths"] = {
        template: {"get": {"parameters": parameters, "responses": {"200": {"description": "OK"}}}}
    }
    return document


def _set_schema(schema: Any) -> Doc:
    return spec(
        request=schema,
        schemas={"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}},
    )


# Each document, and the whole message after "error: <file>: " that refuses it.
CASES: dict[str, tuple[Doc, str]] = {
    "dangling $ref": (
        spec(request={"$ref": "#/components/schemas/Missing"}),
        f"dangling $ref '#/components/schemas/Missing' at {BODY}/$ref",
    ),
    "dangling $ref deep inside": (
        spec(response=obj({"a": {"items": {"$ref": "#/components/schemas/Gone"}}})),
        f"dangling $ref '#/components/schemas/Gone' at {RESPONSE}/properties/a/items/$ref",
    ),
    "$ref cycle": (
        _set_schema({"$ref": "#/components/schemas/A"}),
        "$ref cycle #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A"
        " at #/components/schemas/B/$ref",
    ),
    "invalid type": (
        spec(request=obj({"a": {"type": "int"}})),
        f"invalid type 'int' {TYPES} at {BODY}/properties/a/type",
    ),
    "invalid type in a list": (
        spec(response={"type": ["string", "nul"]}),
        f"invalid type 'nul' {TYPES} at {RESPONSE}/type",
    ),
    "parameter in an unknown place": (
        spec(parameters=[{"name": "q", "in": "body", "schema": STRING}]),
        "parameter 'in' must be one of ['cookie', 'header', 'path', 'query'], got 'body'"
        " at #/paths/~1x/post/parameters/0",
    ),
    "required that is not a list of names": (
        spec(request=obj({"a": STRING}) | {"required": [{"a": 1}]}),
        f"'required' must be a list of property names at {BODY}/required",
    ),
    "type that is a boolean": (
        spec(request=obj({"a": {"type": True}})),
        f"invalid type True {TYPES} at {BODY}/properties/a/type",
    ),
    "properties that is a list": (
        spec(response={"type": "object", "properties": ["a"]}),
        f"'properties' must be a mapping at {RESPONSE}/properties",
    ),
    "global security not a list": (
        edit(GOOD, lambda d: d.update(security={"key": []})),
        "'security' must be a list at #/security",
    ),
    "response that is not a mapping": (
        edit(GOOD, lambda d: operation(d)["responses"].update({"404": "Not found"})),
        "a request body or response must be a mapping at #/paths/~1x/post/responses/404",
    ),
    "content that is a list": (
        edit(GOOD, lambda d: operation(d)["requestBody"].update(content=["application/json"])),
        "'content' must be a mapping of media types at #/paths/~1x/post/requestBody/content",
    ),
}

# Documents that read and resolve but break a structural rule of OpenAPI: compared all the same.
PROBLEMS: dict[str, tuple[Doc, str, str]] = {
    "3.0 operation without responses": (
        edit(spec(version="3.0.3"), lambda d: operation(d).pop("responses")),
        "declares no 'responses'",
        "#/paths/~1x/post",
    ),
    "template names an undeclared parameter": (
        _with_path("/items/{id}", ["item_id"]),
        "names {id}, which is not a declared path parameter",
        "#/paths/~1items~1{id}/get",
    ),
    "declared path parameter missing from the template": (
        _with_path("/items", ["item_id"]),
        "does not appear in the template",
        "#/paths/~1items/get/parameters/0",
    ),
    "path without a leading slash": (
        edit(GOOD, lambda d: d["paths"].update({"items": {}})),
        "must start with '/'",
        "#/paths/items",
    ),
    "no info": (edit(GOOD, lambda d: d.pop("info")), "'info' must be a mapping", "#/info"),
    "undefined security scheme": (
        edit(GOOD, lambda d: operation(d).update(security=[{"nope": []}])),
        "security scheme 'nope' is not defined",
        "#/paths/~1x/post/security/0/nope",
    ),
}


@pytest.mark.parametrize("side", ["old", "new"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_exits_2_with_file_and_pointer(tmp_path: Path, case: str, side: str) -> None:
    document, message = CASES[case]
    bad, good = tmp_path / "bad.json", tmp_path / "good.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    good.write_text(json.dumps(GOOD), encoding="utf-8")
    arguments = [str(bad), str(good)] if side == "old" else [str(good), str(bad)]
    result = CliRunner().invoke(app, ["diff", *arguments, "--no-python-api"])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"error: {bad}: {message}\n"


def test_a_property_named_type_or_ref_is_not_a_keyword(tmp_path: Path) -> None:
    document = spec(request=obj({"type": STRING, "$ref": STRING}), schemas={"type": STRING})
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(path), str(path), "--no-python-api"])
    assert result.exit_code == 0, result.output


def test_refs_inside_examples_are_data(tmp_path: Path) -> None:
    document = spec(request={**STRING, "example": {"$ref": "#/nowhere", "type": "int"}})
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert CliRunner().invoke(app, ["diff", str(path), str(path), "--no-python-api"]).exit_code == 0


def test_example_components_are_data(tmp_path: Path) -> None:
    document = edit(
        GOOD, lambda d: d.update(components={"examples": {"E": {"value": {"type": "int", "$ref": "#/x"}}}})
    )
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert CliRunner().invoke(app, ["diff", str(path), str(path), "--no-python-api"]).exit_code == 0


@pytest.mark.parametrize("side", ["old", "new"])
@pytest.mark.parametrize("case", sorted(PROBLEMS))
def test_a_spec_problem_is_listed_and_the_documents_compared(tmp_path: Path, case: str, side: str) -> None:
    document, problem, where = PROBLEMS[case]
    bad, good = tmp_path / "bad.json", tmp_path / "good.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    good.write_text(json.dumps(GOOD), encoding="utf-8")
    arguments = [str(bad), str(good)] if side == "old" else [str(good), str(bad)]
    result = CliRunner().invoke(app, ["diff", *arguments, "--no-python-api", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert {"side": side, "source": str(bad), "pointer": where} in [
        {key: found[key] for key in ("side", "source", "pointer")} for found in report["problems"]
    ]
    assert any(problem in found["message"] for found in report["problems"])
    strict = CliRunner().invoke(app, ["diff", *arguments, "--no-python-api", "--strict"])
    assert strict.exit_code == 2
    assert problem in strict.stdout  # the report still lists it
    (line,) = strict.stderr.splitlines()
    assert str(bad) in line and where in line


def test_missing_responses_and_undefined_scheme_in_every_format(tmp_path: Path) -> None:
    """The README's webhook-style operation without `responses`, plus an undefined security scheme."""

    def broken(document: Doc) -> None:
        operation(document).pop("responses")
        operation(document)["security"] = [{"nope": []}]

    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(GOOD), encoding="utf-8")
    new.write_text(json.dumps(edit(GOOD, broken)), encoding="utf-8")
    pointers = ["#/paths/~1x/post", "#/paths/~1x/post/security/0/nope"]
    for fmt in ("text", "markdown", "json"):
        result = CliRunner().invoke(app, ["diff", str(old), str(new), "--no-python-api", "--format", fmt])
        assert result.exit_code == 1, result.output  # the removed 200 response breaks clients
        assert "response-removed" in result.stdout
        for pointer in pointers:
            assert pointer in result.stdout, fmt
    markdown = CliRunner().invoke(
        app, ["diff", str(old), str(new), "--no-python-api", "--format", "markdown"]
    )
    assert "### Spec problems" in markdown.stdout
    data = json.loads(
        CliRunner().invoke(app, ["diff", str(old), str(new), "--no-python-api", "--format", "json"]).stdout
    )
    assert [problem["pointer"] for problem in data["problems"]] == pointers
    strict = CliRunner().invoke(app, ["diff", str(old), str(new), "--no-python-api", "--strict"])
    assert strict.exit_code == 2
    assert "and 1 more spec problems" in strict.stderr


def test_extensions_under_paths_are_not_paths(tmp_path: Path) -> None:
    document = edit(GOOD, lambda d: d["paths"].update({"x-owner": "team-a"}))
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert CliRunner().invoke(app, ["diff", str(path), str(path), "--no-python-api"]).exit_code == 0


OUR_SPEC = Path(__file__).parents[3] / "spec" / "layer.yaml"


def _our_spec_with(tmp_path: Path, change: Any) -> Path:
    document = yaml.safe_load(OUR_SPEC.read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "new.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_document_the_generator_refuses_is_still_reported_with_its_problems(tmp_path: Path) -> None:
    """With the Python API part on (the default), an operation without `responses` cannot be built."""

    def broken(document: Doc) -> None:
        first = document["paths"]["/session/token/create"]["post"]
        first.pop("responses")
        first["security"] = [{"nope": []}]

    new = _our_spec_with(tmp_path, broken)
    result = CliRunner().invoke(app, ["diff", str(OUR_SPEC), str(new), "--format", "json"])
    assert result.exit_code == 1, result.output  # the removed responses break clients
    data = json.loads(result.stdout)
    assert [problem["pointer"] for problem in data["problems"]] == [
        "#/paths/~1session~1token~1create/post",
        "#/paths/~1session~1token~1create/post/security/0/nope",
    ]
    assert "response-removed" in {change["rule"] for change in data["changes"]}
    assert "no 2xx response" in data["python_api_unavailable"]
    text = CliRunner().invoke(app, ["diff", str(OUR_SPEC), str(new)]).stdout
    assert "Python API: not compared: cannot generate the Python package from" in text
    markdown = CliRunner().invoke(app, ["diff", str(OUR_SPEC), str(new), "--format", "markdown"]).stdout
    assert "### Python API\n\nNot compared: cannot generate" in markdown
    assert CliRunner().invoke(app, ["diff", str(OUR_SPEC), str(new), "--strict"]).exit_code == 2


def test_a_document_without_a_title_is_compared_python_api_included(tmp_path: Path) -> None:
    new = _our_spec_with(tmp_path, lambda document: document["info"].pop("title"))
    result = CliRunner().invoke(app, ["diff", str(OUR_SPEC), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [problem["pointer"] for problem in data["problems"]] == ["#/info"]
    assert "python_api_unavailable" not in data
    assert data["python_api"] == []
