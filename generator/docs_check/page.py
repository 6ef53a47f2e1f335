"""Parsing a Plaid API reference page, in its published Markdown form, into endpoints, webhooks and examples.

The page has an endpoint table and a webhook table near the top (first header cell `Endpoints` or
`Webhooks`, first column a link whose text is the path or the webhook code), then a `### Endpoints` part
with one `#### /path` section per endpoint and a `### Webhooks` part with one `#### WEBHOOK_CODE` section per
webhook. In an endpoint section the curl example (a `bash` code block) carries the request body after `-d`,
and the `json` code block is the 200 response. In a webhook section the `json` code block is the payload.
Markdown escapes (`/user\\_account`) are undone in names. The field lists carry no JSON names, so only the
examples say which fields exist.

    page = parse_page(Path("layer.md").read_text())
    [example.owner for example in page.examples]  # ['/session/token/create', ...]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from generator.examples import ExampleKind
from generator.spec_loader import SpecError, check_depth

DEFAULT_METHOD = "POST"
"""Every endpoint on Plaid's reference pages is a POST; a curl example's `-X` overrides it."""

_FENCE = "```"
_WEBHOOK_CODE = re.compile(r"[A-Z][A-Z0-9_]*")
_MARKDOWN_ESCAPE = re.compile(r"\\(.)")
_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\([^)]*\)")
_CURL_METHOD = re.compile(r"(?:-X|--request)\s+([A-Za-z]+)")
_CURL_BODY = re.compile(r"(?:-d|--data|--data-raw)\s+'(?P<body>.*?)'", re.DOTALL)
_SHELL_LANGUAGES = frozenset({"bash", "sh", "shell", "console"})


class PageError(Exception):
    """The page cannot be read, or is not in the form this parser expects; the message says what is amiss."""


@dataclass(frozen=True)
class PageExample:
    """One JSON example on the page: a curl request body, a 200 response, or a webhook payload."""

    kind: ExampleKind
    owner: str
    """The endpoint's path, or the webhook's code."""
    method: str | None
    """The endpoint's HTTP method, upper case; `None` for a webhook."""
    status: str | None
    """`"200"` for a response; `None` otherwise."""
    value: Any
    line: int
    """The 1-based line of the code block on the page."""


@dataclass(frozen=True)
class PageEndpoint:
    """An endpoint the page documents."""

    method: str
    path: str


@dataclass(frozen=True)
class ReferencePage:
    """What the page documents, in page order."""

    endpoints: tuple[PageEndpoint, ...]
    webhooks: tuple[str, ...]
    examples: tuple[PageExample, ...]


@dataclass
class _Section:
    part: str
    name: str
    line: int
    method: str | None = None
    blocks: list[tuple[ExampleKind, Any, int]] = field(default_factory=list)


def _unescape(text: str) -> str:
    return _MARKDOWN_ESCAPE.sub(r"\1", text).strip()


def _table_names(lines: list[str], header: str) -> list[str] | None:
    """The first-column names of the table whose first header cell is `header`; `None` if there is none."""
    header_row = re.compile(rf"\|\s*{header}\s*\|")
    for index, line in enumerate(lines):
        if not header_row.match(line.strip()):
            continue
        names = []
        for row in lines[index + 2 :]:
            if not row.strip().startswith("|"):
                break
            cell = row.strip().strip("|").split("|")[0]
            link = _LINK.search(cell)
            names.append(_unescape(link.group("text") if link else cell))
        return names
    return None


def _load_json(text: str, what: str, line: int) -> Any:
    try:
        value = json.loads(text)
        check_depth(value, f"line {line}: {what}")
    except RecursionError as exc:
        raise PageError(f"line {line}: {what} is nested too deeply") from exc
    except SpecError as exc:  # the shared nesting limit of every document we read
        raise PageError(str(exc)) from exc
    except json.JSONDecodeError as exc:
        raise PageError(f"line {line}: {what} is not valid JSON: {exc}") from exc
    return value


def _read_block(section: _Section, language: str, body: str, line: int) -> None:
    """Record the example a code block holds, if it holds one."""
    where = f"section {section.name}"
    if section.part == "webhooks":
        if language == "json":
            section.blocks.append(
                ("webhook", _load_json(body, f"the payload example in {where}", line), line)
            )
        return
    if language == "json":
        section.blocks.append(("response", _load_json(body, f"the response example in {where}", line), line))
    elif language in _SHELL_LANGUAGES and "curl" in body:
        method = _CURL_METHOD.search(body)
        if method:
            section.method = method.group(1).upper()
        data = _CURL_BODY.search(body)
        if data:
            value = _load_json(data.group("body"), f"the curl request body in {where}", line)
            section.blocks.append(("request", value, line))


def _sections(lines: list[str]) -> list[_Section]:
    """Split the `### Endpoints` and `### Webhooks` parts into sections and collect their examples."""
    sections: list[_Section] = []
    part: str | None = None
    fence: tuple[str, int, list[str]] | None = None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if fence is not None:
            if stripped == _FENCE:
                language, start, body = fence
                if sections and sections[-1].part == part:
                    _read_block(sections[-1], language, "\n".join(body), start)
                fence = None
            else:
                fence[2].append(line)
        elif stripped.startswith(_FENCE):
            fence = (stripped[len(_FENCE) :].strip().lower(), number, [])
        elif stripped.startswith("### "):
            title = _unescape(stripped[4:]).lower()
            part = title if title in ("endpoints", "webhooks") else None
        elif stripped.startswith("#### ") and part is not None:
            name = _unescape(stripped[5:])
            starts_section = (
                name.startswith("/") if part == "endpoints" else bool(_WEBHOOK_CODE.fullmatch(name))
            )
            if starts_section:
                sections.append(_Section(part, name, number))
    if fence is not None:
        raise PageError(f"line {fence[1]}: code block is never closed (expected a closing {_FENCE})")
    return sections


def _examples(section: _Section) -> list[PageExample]:
    seen: set[ExampleKind] = set()
    examples = []
    for kind, value, line in section.blocks:
        if kind in seen:
            raise PageError(f"line {line}: section {section.name} has a second {kind} example")
        seen.add(kind)
        if kind == "webhook":
            examples.append(PageExample(kind, section.name, None, None, value, line))
        else:
            method = section.method or DEFAULT_METHOD
            status = "200" if kind == "response" else None
            examples.append(PageExample(kind, section.name, method, status, value, line))
    return examples


def _check_listed(listed: list[str], sections: list[_Section], part: str, table: str) -> None:
    have = {section.name for section in sections if section.part == part}
    for name in listed:
        if name not in have:
            raise PageError(f"{name} is listed in the {table} table but no `#### {name}` section was found")


def parse_page(text: str) -> ReferencePage:
    """Parse a reference page, raising `PageError` when an expected part of it is not found."""
    lines = text.splitlines()
    listed_endpoints = _table_names(lines, "Endpoints")
    if listed_endpoints is None:
        raise PageError("no endpoint table found (expected a table whose first header cell is `Endpoints`)")
    if not listed_endpoints:
        raise PageError("the endpoint table lists no endpoints")
    listed_webhooks = _table_names(lines, "Webhooks") or []
    sections = _sections(lines)
    _check_listed(listed_endpoints, sections, "endpoints", "endpoint")
    _check_listed(listed_webhooks, sections, "webhooks", "webhook")

    endpoints = {name: PageEndpoint(DEFAULT_METHOD, name) for name in listed_endpoints}
    webhooks = dict.fromkeys(listed_webhooks)
    examples: list[PageExample] = []
    for section in sections:
        if section.part == "endpoints":
            endpoints[section.name] = PageEndpoint(section.method or DEFAULT_METHOD, section.name)
        else:
            webhooks.setdefault(section.name)
        examples.extend(_examples(section))
    return ReferencePage(tuple(endpoints.values()), tuple(webhooks), tuple(examples))
