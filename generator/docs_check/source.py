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
    return response.text


def read_page(source: str) -> str:
    """Return the text of the page at `source`, a file path or an `https://` URL; raise `PageError`."""
    if source.startswith("https://"):
        return _fetch(source)
    if source.startswith("http://"):
        raise PageError(f"{source}: only https:// URLs are fetched")
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise PageError(f"{source}: cannot read the page: {reason}") from exc
