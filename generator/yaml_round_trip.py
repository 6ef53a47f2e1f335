"""Editing `spec/layer.yaml` in place: ruamel.yaml's round-trip mode, so comments, key order and quoting
outside the edit stay as written, and an atomic write of the result.

New values become nodes through `yaml_node`: a string that a YAML 1.1 reader such as PyYAML would not read
back as the same string (`"41006"`, `"y"`, `"null"`, a timestamp) is written double-quoted, and a string of
several lines, when asked, as a `|` block, as the spec's own descriptions are.

    handler = round_trip_yaml()
    document = handler.load(text)
    document["paths"]["/a"] = yaml_node({"post": {...}})
    replace_file(path, dump(handler, document))
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

__all__ = ["dump", "replace_file", "round_trip_yaml", "yaml_node"]


class _Representer(RoundTripRepresenter):
    """Writes `null` as `null`; ruamel's default is an empty value, which would rewrite untouched lines."""


def _represent_none(representer: RoundTripRepresenter, _: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


_Representer.add_representer(type(None), _represent_none)


def round_trip_yaml() -> YAML:
    """A ruamel.yaml handler set up as the spec is written (2-space maps, `  - ` lists, no re-wrapping)."""
    handler = YAML()
    handler.Representer = _Representer
    handler.preserve_quotes = True
    handler.width = 4096  # never re-wrap long strings
    handler.indent(mapping=2, sequence=4, offset=2)
    return handler


def _block_safe(text: str) -> bool:
    """Whether `text` reads back unchanged from a `|` block (no trailing blanks, tabs or controls)."""
    lines = text.split("\n")
    return (
        len(lines) > 1
        and text == text.lstrip(" \n")
        and all(line == line.rstrip() for line in lines)
        and all(char == "\n" or (char.isprintable() and char != "\t") for char in text)
    )


def _string_node(text: str, blocks: bool) -> str:
    """`text` as a node: plain, `|` block (with `blocks`) or double-quoted."""
    if blocks and "\n" in text and _block_safe(text):
        block: str = LiteralScalarString(text)
        return block
    try:
        read_back = yaml.safe_load(text)
    except yaml.YAMLError:
        read_back = None
    plain = read_back == text and text == text.strip() and "\n" not in text
    return text if plain else DoubleQuotedScalarString(text)


def yaml_node(value: Any, *, blocks: bool = False) -> Any:
    """A ruamel node for a JSON value; with `blocks`, strings of several lines become `|` blocks."""
    if isinstance(value, dict):
        return CommentedMap(
            (_string_node(str(key), False), yaml_node(item, blocks=blocks)) for key, item in value.items()
        )
    if isinstance(value, list):
        return CommentedSeq(yaml_node(item, blocks=blocks) for item in value)
    if isinstance(value, str):
        return _string_node(value, blocks)
    return value


def dump(handler: YAML, document: Any) -> str:
    """The text `handler` writes for `document`."""
    buffer = io.StringIO()
    handler.dump(document, buffer)
    return buffer.getvalue()


def replace_file(target: Path, text: str) -> None:
    """Write `text` to `target` atomically, so an interrupted rewrite never leaves half a spec."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
