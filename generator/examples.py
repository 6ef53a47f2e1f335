"""The catalogue of documented examples embedded in the spec, and their copies in `spec/examples/`.

Each example sits under a media type's `examples` map (a request body, a response per status, or a
webhook payload). The same value is stored as a JSON file named after its operation or webhook, so
tests and the docs check can load it without parsing YAML. `iter_examples` is the one place that
knows where examples live and what their files are called; `generate` writes the files
(`example_files`, `sync_example_files`), so none is written by hand.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator.spec.model import HTTP_METHODS, SpecModel

__all__ = [
    "DEFAULT_EXAMPLE_KEY",
    "HTTP_METHODS",
    "MEDIA_EXAMPLE_KEY",
    "SCHEMA_EXAMPLE_KEY",
    "Example",
    "example_files",
    "iter_examples",
    "sync_example_files",
    "write_example_files",
]

DEFAULT_EXAMPLE_KEY = "documented"

ExampleKind = Literal["request", "response", "webhook"]


@dataclass(frozen=True)
class Example:
    """One documented example and where it belongs."""

    kind: ExampleKind
    owner: str
    """The operationId, or the webhook's key under `webhooks:`."""
    method: str
    path: str | None
    """The operation's path; `None` for a webhook."""
    status: str | None
    """The response status (`"200"`, `"default"`); `None` for requests and webhooks."""
    key: str
    """The key in the media type's `examples` map."""
    pointer: tuple[str, ...]
    """Where the media type object sits in the spec document."""
    schema: dict[str, Any]
    value: Any

    @property
    def file_name(self) -> str:
        """The file under `spec/examples/` that holds a copy of this example."""
        suffix = "" if self.key == DEFAULT_EXAMPLE_KEY else f".{self.key}"
        if self.kind == "webhook":
            return f"{self.owner}{suffix}.json"
        part = "request" if self.kind == "request" else f"response.{self.status}"
        return f"{self.owner}.{part}{suffix}.json"

    @property
    def location(self) -> str:
        """The canonical location shared with the spec diff and the docs check."""
        if self.kind == "webhook":
            return f"webhook {self.owner} payload"
        operation = f"{self.method.upper()} {self.path}"
        if self.kind == "request":
            return f"{operation} request body"
        return f"{operation} response {self.status} body"


MEDIA_EXAMPLE_KEY = "example"
"""The key given to a media type's single `example` (OpenAPI's alternative to an `examples` map)."""
SCHEMA_EXAMPLE_KEY = "schema-example"
"""The key given to the body schema's own first example, used when the media type has none."""


def _media_examples(
    model: SpecModel, media: Any, pointer: tuple[str, ...]
) -> Iterator[tuple[str, tuple[str, ...], dict[str, Any], Any]]:
    """The media type's `examples`, else its `example`, else the first example of its schema."""
    if not isinstance(media, dict):
        return
    schema = media.get("schema", {})
    named = media.get("examples") or {}
    if isinstance(named, dict) and named:
        for key, example in sorted(named.items()):
            yield key, pointer, schema, example.get("value") if isinstance(example, dict) else None
    elif "example" in media:
        yield MEDIA_EXAMPLE_KEY, pointer, schema, media["example"]
    else:
        # The spec model has already gathered a schema's `example` and `x-examples` into `examples`.
        resolved = model.resolve(schema, (*pointer, "schema")) if isinstance(schema, dict) else None
        values = resolved.get("examples") if isinstance(resolved, dict) else None
        if isinstance(values, list) and values:
            yield SCHEMA_EXAMPLE_KEY, pointer, schema, values[0]


def _content(model: SpecModel, container: Any, pointer: tuple[str, ...]) -> dict[str, Any]:
    resolved = model.resolve(container, pointer) if container is not None else None
    content = resolved.get("content") if isinstance(resolved, dict) else None
    return content if isinstance(content, dict) else {}


def iter_examples(spec: dict[str, Any] | SpecModel) -> Iterator[Example]:
    """Yield every example embedded in `spec`, operations first (in path order), then webhooks.

    The spec is walked through the one spec model, so `$ref`d request bodies and responses count
    and schemas are seen with their 3.1 meaning.
    """
    model = spec if isinstance(spec, SpecModel) else SpecModel.from_document(spec)
    for ref in model.operations():
        path = str(ref.path)
        owner = ref.operation_id or f"{ref.method} {path}"
        base = ref.pointer
        body = (*base, "requestBody")
        for content_type, media in _content(model, ref.operation.get("requestBody"), body).items():
            pointer = (*body, "content", content_type)
            for key, ptr, schema, value in _media_examples(model, media, pointer):
                yield Example("request", owner, ref.method, path, None, key, ptr, schema, value)
        for status, response in (ref.operation.get("responses") or {}).items():
            at = (*base, "responses", str(status))
            for content_type, media in _content(model, response, at).items():
                for key, ptr, schema, value in _media_examples(model, media, (*at, "content", content_type)):
                    yield Example("response", owner, ref.method, path, str(status), key, ptr, schema, value)
    for ref in model.webhooks():
        name = str(ref.name)
        body = (*ref.pointer, "requestBody")
        for content_type, media in _content(model, ref.operation.get("requestBody"), body).items():
            pointer = (*body, "content", content_type)
            for key, ptr, schema, value in _media_examples(model, media, pointer):
                yield Example("webhook", name, ref.method, None, None, key, ptr, schema, value)


def dump_example(value: Any) -> str:
    """Serialise an example the way files under `spec/examples/` are written."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def example_files(spec: dict[str, Any] | SpecModel) -> dict[str, str]:
    """The files the examples of `spec` make under `spec/examples/`: file name -> text."""
    return {example.file_name: dump_example(example.value) for example in iter_examples(spec)}


def sync_example_files(files: dict[str, str], directory: Path) -> list[Path]:
    """Make the `*.json` files of `directory` exactly `files` (see `example_files`); return those
    written or deleted. A file that already holds its text is left alone."""
    touched = []
    for stray in sorted(directory.glob("*.json")):
        if stray.name not in files:
            stray.unlink()
            touched.append(stray)
    for name, text in sorted(files.items()):
        target = directory / name
        if not target.is_file() or target.read_bytes() != text.encode():
            target.write_text(text, encoding="utf-8")
            touched.append(target)
    return touched


def write_example_files(spec: dict[str, Any] | SpecModel, directory: Path) -> list[Path]:
    """Write every embedded example of `spec` to `directory`; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for example in iter_examples(spec):
        target = directory / example.file_name
        target.write_text(dump_example(example.value), encoding="utf-8")
        written.append(target)
    return written
