"""Rewriting the spec's documented examples, and their copies in `spec/examples/`, from page examples.

The YAML is edited in ruamel.yaml's round-trip mode and only example values change: comments, key order
and quoting elsewhere stay as written. Within an example, unchanged keys and scalars keep their old nodes
(and so their quoting); a new string that a YAML 1.1 reader such as PyYAML would not read back as the same
string (`"41006"`, `"y"`, `"null"`, a timestamp) is written double-quoted. The result is read back with
the project's own loader and must hold exactly the new values before anything is written.

    rewrite_examples(Path("spec/layer.yaml"), [matched.example for matched in comparison.matched])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.examples import DEFAULT_EXAMPLE_KEY, Example, write_example_files
from generator.spec.loader import SpecError, parse_document
from generator.yaml_round_trip import dump, replace_file, round_trip_yaml, yaml_node


def _same(old: Any, new: Any) -> bool:
    return isinstance(old, bool) == isinstance(new, bool) and old == new


def _merged(old: Any, new: Any) -> Any:
    """`new`, reusing the nodes of `old` wherever the value is unchanged."""
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        for key in [key for key in old if key not in new]:
            del old[key]
        for key, item in new.items():
            old[key] = _merged(old[key], item) if key in old else yaml_node(item)
        if list(old) != list(new):
            for key in new:
                old.move_to_end(key)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list) and len(old) == len(new):
        for index, item in enumerate(new):
            old[index] = _merged(old[index], item)
        return old
    return old if _same(old, new) else yaml_node(new)


def _set_example(document: CommentedMap, example: Example) -> None:
    media: Any = document
    for token in example.pointer:
        media = media[token]
    examples = media.setdefault("examples", CommentedMap())
    entry = examples.get(DEFAULT_EXAMPLE_KEY)
    if entry is None:
        examples[DEFAULT_EXAMPLE_KEY] = CommentedMap(value=yaml_node(example.value))
    elif "value" in entry:
        entry["value"] = _merged(entry["value"], example.value)
    else:
        entry["value"] = yaml_node(example.value)


def _media_example(document: dict[str, Any], example: Example) -> Any:
    media: Any = document
    for token in example.pointer:
        media = media[token]
    return media["examples"][DEFAULT_EXAMPLE_KEY]["value"]


def rewrite_examples(spec_path: Path, examples: list[Example]) -> list[Path]:
    """Set each of `examples` as its operation's documented example in `spec_path`, then rewrite every file
    in the `examples/` folder beside it from the spec; return the files written (the spec first)."""
    handler = round_trip_yaml()
    try:
        document = handler.load(spec_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError(f"{spec_path}: cannot read: {exc.strerror or exc}") from exc
    for example in examples:
        _set_example(document, example)
    text = dump(handler, document)
    rewritten = parse_document(text, str(spec_path))
    for example in examples:
        if _media_example(rewritten, example) != example.value:
            raise SpecError(
                f"{spec_path}: the rewritten example at {example.location} does not read back as written"
            )
    replace_file(spec_path, text)
    return [spec_path, *write_example_files(rewritten, spec_path.parent / "examples")]
