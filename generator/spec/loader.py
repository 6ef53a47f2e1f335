"""Reading an OpenAPI document from disk, with errors that name the problem.

Every command reads specs through here, so the limits that keep hostile input harmless live here
once: YAML alias expansion is bounded (a 1 KB "billion laughs" file fails in milliseconds),
nesting deeper than `MAX_DEPTH` is refused, and text that is not UTF-8 is a `SpecError`.
YAML is read as YAML 1.2, the version OpenAPI 3.1 recommends, by a Rust parser (yaml-rs) that
reads the full Plaid spec about ten times faster than PyYAML's C loader, to the same document.
Where YAML 1.1 and 1.2 differ, 1.2 applies (`yes`/`on` are strings, `010` is ten, dates stay
strings), except that merge keys (`<<: *base`), dropped by 1.2, are still applied; a quoted
`"<<"` stays an ordinary key, as it was for PyYAML.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml_rs

# No real spec nests this deep (the full Plaid spec reaches 25); recursive walkers stay far from
# Python's recursion limit below it.
MAX_DEPTH = 128
# Aliases are copied out, so their expansion costs real work: a bound of 2 million replayed events
# stops a "billion laughs" file within a second, while a spec that shares a few hundred anchored
# schemas (PyYAML shared them for free) stays far below it.
_ALIAS_LIMITS = yaml_rs.AliasLimits(max_total_replayed_events=2_000_000, max_replay_stack_depth=64)


# What JSON can hold; YAML's status codes (`200:`) and `true:` keys are read as JSON would write them.
_JSON_KEYS = (str, int, float, bool, type(None))
_JSON_SCALARS = (str, int, float, bool, type(None))


class SpecError(Exception):
    """The spec cannot be read, parsed or validated; the message says why and where."""


def decode_text(data: bytes, source: str) -> str:
    """`data` as UTF-8 text, or a `SpecError` naming `source` and the offset of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(f"{source}: not UTF-8 text (invalid byte at offset {exc.start})") from exc


def parse_document(text: str, source: str, *, json_first: bool | None = None) -> dict[str, Any]:
    """Parse YAML or JSON text into a mapping, raising `SpecError` naming `source` on failure.

    JSON is read as JSON when `json_first` says so, or by default when `source` ends in `.json`;
    anything else as YAML 1.2 (of which JSON is a subset).
    """
    if json_first is None:
        json_first = source.endswith(".json")
    text = text.removeprefix("\ufeff")  # a byte-order mark is not content (PyYAML dropped it too)
    try:
        data = (
            json.loads(text)
            if json_first
            else yaml_rs.loads(text, parse_datetime=False, alias_limits=_ALIAS_LIMITS)
        )
    except RecursionError as exc:
        raise SpecError(f"{source}: nested deeper than {MAX_DEPTH} levels") from exc
    except (yaml_rs.YAMLDecodeError, json.JSONDecodeError) as exc:
        raise SpecError(f"{source}: not valid {'JSON' if json_first else 'YAML'}: {exc}") from exc
    if not isinstance(data, dict):
        raise SpecError(f"{source}: expected a mapping at the top level, got {type(data).__name__}")
    check_depth(data, source)
    if not json_first and "<<" in text and _has_merge_keys(text, source):
        _merge_keys(data, source)
    return data


def _has_merge_keys(text: str, source: str) -> bool:
    """Whether the `<<` keys of `text` are merge keys: the plain scalar `<<`, not `"<<"` or `!!str <<`.

    yaml-rs reads both as the key "<<", so PyYAML's scanner (tokens only: no aliases expanded)
    tells them apart; its pure-Python scanner takes over where the C one refuses an escape. A
    document holding both kinds is refused: the parsed mappings no longer say which key is which.
    """
    import yaml

    scanners = [getattr(yaml, "CSafeLoader", yaml.SafeLoader), yaml.SafeLoader]
    problem = ""
    for scanner in dict.fromkeys(scanners):
        try:
            merges, strings = _double_angle_keys(yaml.scan(text, Loader=scanner))
        except yaml.YAMLError as exc:
            problem = " ".join(str(exc).split())
            continue
        if merges and strings:
            raise SpecError(
                f"{source}: a quoted '<<' key (line {strings[0]}) beside YAML merge keys "
                f"(line {merges[0]}) is ambiguous; rename the key or drop the merge keys"
            )
        return bool(merges)
    raise SpecError(f"{source}: cannot tell whether its '<<' keys are YAML merge keys: {problem[:300]}")


def _double_angle_keys(tokens: Iterator[Any]) -> tuple[list[int], list[int]]:
    """The lines of the `<<` keys that are merge keys, and of those that are strings."""
    import yaml

    merges: list[int] = []
    strings: list[int] = []
    key_line: int | None = None  # set after a key token, until the key's scalar
    tagged = False
    for token in tokens:
        if isinstance(token, yaml.KeyToken):
            key_line, tagged = token.start_mark.line + 1, False
        elif key_line is not None and isinstance(token, yaml.TagToken | yaml.AnchorToken):
            tagged = tagged or isinstance(token, yaml.TagToken)
        else:
            if key_line is not None and isinstance(token, yaml.ScalarToken) and token.value == "<<":
                (merges if token.plain and not tagged else strings).append(key_line)
            key_line = None
    return merges, strings


def _merge_keys(data: dict[str, Any], source: str) -> None:
    """Apply YAML merge keys (`<<: *base`) as PyYAML did: YAML 1.2 dropped them, specs still use them.

    Keys of the mapping itself win over merged ones, and earlier merged mappings over later ones.
    """
    # Post-order, so a merged mapping has had its own merge keys applied first.
    order: list[tuple[dict[str, Any], tuple[str, ...]]] = []
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        children = (
            node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        )
        if isinstance(node, dict):
            order.append((node, path))
        stack.extend((child, (*path, str(key))) for key, child in children if isinstance(child, dict | list))
    for node, path in reversed(order):
        if "<<" not in node:
            continue
        merged = node.pop("<<")
        sources = merged if isinstance(merged, list) else [merged]
        if not all(isinstance(item, dict) for item in sources):
            raise SpecError(f"{source}: a merge key must name mappings at {pointer((*path, '<<'))}")
        own = dict(node)
        node.clear()
        for item in reversed(sources):
            node.update(item)
        node.update(own)


def check_depth(data: Any, source: str, limit: int = MAX_DEPTH) -> None:
    """Raise `SpecError` naming the JSON pointer of the first value nested deeper than `limit`, or of
    the first value JSON cannot hold (a YAML `!!set`, a sequence used as a mapping key)."""
    # Iterative, so the check itself cannot hit the recursion limit it protects against.
    stack: list[tuple[Any, int, tuple[str, ...]]] = [(data, 0, ())]
    while stack:
        node, depth, path = stack.pop()
        if isinstance(node, dict):
            children: Any = node.items()
            bad_key = next((key for key in node if not isinstance(key, _JSON_KEYS)), None)
            if bad_key is not None:
                raise SpecError(
                    f"{source}: a mapping key must be a string, got {bad_key!r} at {pointer(path)}"
                )
        elif isinstance(node, list):
            children = enumerate(node)
        else:
            continue
        if depth >= limit:
            raise SpecError(f"{source}: nested deeper than {limit} levels at {pointer(path)}")
        for key, child in children:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1, (*path, str(key))))
            elif not isinstance(child, _JSON_SCALARS):
                kind = type(child).__name__
                raise SpecError(f"{source}: a {kind} is not a JSON value, at {pointer((*path, str(key)))}")


def pointer(path: tuple[str, ...] | list[str]) -> str:
    """The JSON pointer (RFC 6901) for a path of keys: `("paths", "/a/{b}")` -> `#/paths/~1a~1{b}`."""
    return "#" + "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in path)


def load_document(path: Path) -> dict[str, Any]:
    """Read and parse the document at `path` (YAML or JSON)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpecError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return parse_document(decode_text(data, str(path)), str(path))
