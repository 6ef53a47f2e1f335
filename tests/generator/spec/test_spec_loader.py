"""The shared loader: alias bombs, deep nesting and bad bytes are a `SpecError`, for every command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from generator.cli import app
from generator.spec.loader import _ALIAS_LIMITS, MAX_DEPTH, SpecError, load_document, parse_document, pointer

OUR_SPEC = Path(__file__).parents[3] / "spec" / "layer.yaml"
PAGE = Path(__file__).parents[1] / "docs_check" / "pages" / "agree.md"


def billion_laughs() -> str:
    """About 1 KB of YAML that expands to 10^9 strings when aliases are copied out."""
    lines = ["openapi: 3.1.0", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    lines.append("paths: {}")
    return "\n".join(lines) + "\n"


def nested_json(depth: int) -> str:
    return '{"openapi": "3.1.0", "paths": {}, "x": ' + "[" * depth + "]" * depth + "}"


# Each input, its file's suffix, and the first line of the error after the file's name (the only
# line but for deep YAML, whose error goes on to show where the parser stopped).
BAD_INPUTS: dict[str, tuple[bytes, str, str]] = {
    "alias bomb": (
        billion_laughs().encode(),
        ".yaml",
        "not valid YAML: alias replay limit exceeded: replayed 2000004, max 2000000",
    ),
    "deep JSON past the recursion limit": (
        nested_json(100_000).encode(),
        ".json",
        f"nested deeper than {MAX_DEPTH} levels",
    ),
    "deep JSON under the recursion limit": (
        nested_json(MAX_DEPTH + 5).encode(),
        ".json",
        f"nested deeper than {MAX_DEPTH} levels at #/x{'/0' * (MAX_DEPTH - 1)}",
    ),
    "deep YAML": (
        ("x: " + "[" * 5_000 + "]" * 5_000 + "\n").encode(),
        ".yaml",
        "not valid YAML: YAML parse error at line 1, column 259",
    ),
    "not UTF-8": (
        b"openapi: 3.1.0\ninfo: {title: caf\xe9}\n",
        ".yaml",
        "not UTF-8 text (invalid byte at offset 32)",
    ),
    "duplicate key": (
        b"openapi: 3.1.0\nopenapi: 3.0.0\n",
        ".yaml",
        "not valid YAML: duplicate mapping key: 'openapi'",
    ),
    "a set": (b"openapi: 3.1.0\ntags: !!set {a, b}\n", ".yaml", "a set is not a JSON value, at #/tags"),
    "a sequence as a key": (
        b"openapi: 3.1.0\n? [1, 2]\n: x\n",
        ".yaml",
        "a mapping key must be a string, got (1, 2) at #",
    ),
    "a python tag": (
        b"openapi: !!python/object:os.system ls\n",
        ".yaml",
        "not valid YAML: Invalid tag: '!!python/object:os.system'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_hostile_input_is_a_spec_error_naming_the_file(tmp_path: Path, case: str) -> None:
    content, suffix, message = BAD_INPUTS[case]
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    with pytest.raises(SpecError) as caught:
        load_document(path)
    assert str(caught.value).splitlines()[0] == f"{path}: {message}"


def test_the_bomb_is_about_a_kilobyte() -> None:
    assert len(billion_laughs()) < 1100


def _invoke(command: str, spec: Path, tmp_path: Path) -> Any:
    arguments = {
        "generate": ["generate", "--spec", str(spec), "--output", str(tmp_path / "out")],
        "check": ["check", "--spec", str(spec), "--output", str(tmp_path)],  # a folder that exists
        "diff": ["diff", str(spec), str(OUR_SPEC), "--no-python-api"],
        "docs-check": ["docs-check", str(PAGE), "--spec", str(spec)],
    }[command]
    return CliRunner().invoke(app, arguments)


@pytest.mark.parametrize("command", ["generate", "check", "diff", "docs-check"])
@pytest.mark.parametrize("case", ["alias bomb", "deep JSON past the recursion limit", "not UTF-8"])
def test_every_command_exits_2_on_hostile_input(tmp_path: Path, command: str, case: str) -> None:
    content, suffix, message = BAD_INPUTS[case]
    spec = tmp_path / f"bad{suffix}"
    spec.write_bytes(content)
    result = _invoke(command, spec, tmp_path)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr == f"error: {spec}: {message}\n"
    assert not (tmp_path / "out").exists()


def test_aliases_of_a_real_size_are_read() -> None:
    text = "openapi: 3.1.0\nshared: &s {type: string}\npaths: {}\ncomponents: {a: *s, b: *s}\n"
    document = parse_document(text, "spec.yaml")
    assert document["components"] == {"a": {"type": "string"}, "b": {"type": "string"}}


def test_yaml_is_read_as_yaml_1_2() -> None:
    document = parse_document("openapi: 3.1.0\nflag: yes\nday: 2024-01-02\n200: ok\n", "spec.yaml")
    assert document == {"openapi": "3.1.0", "flag": "yes", "day": "2024-01-02", 200: "ok"}


def test_pointer_escapes_tilde_and_slash() -> None:
    assert pointer(("paths", "/a/{b}", "x~y")) == "#/paths/~1a~1{b}/x~0y"


# YAML limits an implicit key to 1024 characters, so JSON read as YAML must keep keys shorter.
KEYS = st.text(max_size=40)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(KEYS, JSON_VALUES, max_size=5))
def test_json_text_reads_the_same_as_yaml_and_as_json(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    assert parse_document(text, "spec.yaml") == document
    assert parse_document(text, "spec.json") == document


PLAID = Path(__file__).parents[3] / ".." / "shared" / "data" / "plaid-openapi"


@pytest.mark.parametrize(
    "path",
    [OUR_SPEC, PLAID / "plaid-2020-09-14-old.yml", PLAID / "plaid-2020-09-14-new.yml"],
    ids=["layer", "plaid-old", "plaid-new"],
)
def test_real_specs_read_the_same_as_with_pyyaml(path: Path) -> None:
    # The switch from PyYAML (YAML 1.1) must not change any document we diff or generate from.
    if not path.exists():
        pytest.skip(f"{path} is not available")
    assert load_document(path) == yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 100_000])
def test_docs_check_refuses_a_page_with_absurdly_deep_json(tmp_path: Path, depth: int) -> None:
    page = PAGE.parent / "bad-json.md"
    deep = '{"request_id": ' + "[" * depth + "]" * depth + "}"
    text = page.read_text(encoding="utf-8").replace('{"request_id": "r1",}', deep)
    bad_page = tmp_path / "deep.md"
    bad_page.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["docs-check", str(bad_page), "--spec", str(OUR_SPEC)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "nest" in result.stderr  # "nests deeper than N levels"


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {x: 1, z: 0}\nderived:\n  <<: *b\n  y: 2\n  x: 5\n",
        "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n",
        "a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n  z: 3\n",
        "l:\n  - &a {x: 1}\n  - <<: *a\n    y: 2\n",
    ],
)
def test_merge_keys_read_as_pyyaml_read_them(text: str) -> None:
    # YAML 1.2 has no merge keys; specs written for PyYAML still use them.
    document = parse_document(text, "spec.yaml")
    expected = yaml.safe_load(text)
    assert document == expected
    assert [list(value) for value in document.values() if isinstance(value, dict)] == [
        list(value) for value in expected.values() if isinstance(value, dict)
    ]


@pytest.mark.parametrize(
    "text",
    ['a: {"<<": null}\n', "a:\n  '<<': 1\n  b: 2\n", "a: {!!str <<: 1}\n"],
    ids=["double-quoted", "single-quoted", "tagged-str"],
)
def test_a_quoted_or_tagged_double_angle_key_is_a_key_not_a_merge(text: str) -> None:
    assert parse_document(text, "spec.yaml") == yaml.safe_load(text)


def test_a_double_angle_value_is_a_string() -> None:
    assert parse_document("a: <<\n", "spec.yaml") == {"a": "<<"}


def test_quoted_and_merge_double_angle_keys_together_are_refused_by_line() -> None:
    text = "b: &b {x: 1}\nc:\n  <<: *b\nd: {'<<': 1}\n"
    with pytest.raises(SpecError, match=r"quoted '<<' key \(line 4\) beside YAML merge keys \(line 3\)"):
        parse_document(text, "spec.yaml")


def test_text_no_pyyaml_scanner_reads_leaves_merge_keys_undecided_and_says_so() -> None:
    # YAML 1.2 allows the tab, which PyYAML's pure-Python scanner refuses; its C scanner refuses
    # the surrogate pair escape.
    text = 'a: \t"\\ud800\\udc00"\n<<: {}\n'
    with pytest.raises(SpecError, match=r"cannot tell whether its '<<' keys are YAML merge keys: .*'\\t'"):
        parse_document(text, "spec.yaml")


def test_a_merge_key_naming_a_scalar_is_a_spec_error() -> None:
    with pytest.raises(SpecError, match=r"merge key must name mappings at #/a/<<"):
        parse_document("a:\n  <<: 1\n", "spec.yaml")


def test_the_bomb_is_stopped_by_our_bound_not_the_parser_default() -> None:
    with pytest.raises(SpecError, match=f"max {_ALIAS_LIMITS.max_total_replayed_events}"):
        parse_document(billion_laughs(), "bomb.yaml")


def test_a_spec_sharing_an_anchored_schema_hundreds_of_times_is_read() -> None:
    schema = "".join(f"  p{i}: {{type: string, description: d{i}}}\n" for i in range(100))
    uses = "".join(f"  a{i}: *s\n" for i in range(400))
    document = parse_document(f"openapi: 3.1.0\nshared: &s\n{schema}c:\n{uses}", "spec.yaml")
    assert len(document["c"]) == 400
    assert document["c"]["a399"]["p99"] == {"type": "string", "description": "d99"}


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_byte_order_mark_is_not_content(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"spec{suffix}"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"openapi": "3.1.0", "paths": {}}')
    assert load_document(path) == {"openapi": "3.1.0", "paths": {}}
