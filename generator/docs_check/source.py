"""Reading a reference page from a file or an `https://` URL.

text = read_page("https://plaid.com/docs/api/products/layer/index.html.md")
"""

from __future__ import annotations

from pathlib import Path

import httpx

from generator.docs_check.page import PageError

FETCH_TIMEOUT_SECONDS = 30.0


def _fetch(url: str) -> str:
    try:
        response = httpx.get(url, timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPStatusError as exc:
        raise PageError(f"{url}: the server answered HTTP {exc.response.status_code}") from exc
    except httpx.HTTPError as exc:
        raise PageError(f"{url}: cannot fetch the page: {exc}") from exc
    return _utf8(response.content, url)


def _utf8(content: bytes, source: str) -> str:
    """The page's text; Plaid publishes UTF-8, and anything else is refused rather than guessed at."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PageError(
            f"{source}: the page is not UTF-8 text (byte {content[exc.start]:#04x} at offset {exc.start})"
        ) from exc


def read_page(source: str) -> str:
    """Return the text of the page at `source`, a file path or an `https://` URL; raise `PageError`."""
    if source.startswith("https://"):
        return _fetch(source)
    if source.startswith("http://"):
        raise PageError(f"{source}: only https:// URLs are fetched")
    try:
        content = Path(source).read_bytes()
    except OSError as exc:
        raise PageError(f"{source}: cannot read the page: {exc.strerror or exc}") from exc
    return _utf8(content, source)
