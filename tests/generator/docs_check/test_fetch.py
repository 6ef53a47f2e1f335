"""docs-check's fetch stays on the page's https:// host, ends by one deadline and caps the body."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
import respx

from generator.docs_check import run_docs_check, source
from generator.docs_check.page import PageError
from generator.docs_check.source import MAX_PAGE_BYTES, deadline_transport, fetch
from generator.project import ProjectConfig
from tests.runtime.client.drip_server import drip_server

from .conftest import PAGES, SPEC

URL = "https://docs.example.test/layer.md"
PAGE = (PAGES / "agree.md").read_text()


def _exit_2_line(page: str, capsys: pytest.CaptureFixture[str]) -> str:
    status = run_docs_check(page, spec=SPEC, project=ProjectConfig(), fmt="json", write_examples=False)
    captured = capsys.readouterr()
    assert (status, captured.out) == (2, "")
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


@respx.mock
@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("http://docs.example.test/layer.md", "redirect to http:// refused (only https:// is followed)"),
        ("https://127.0.0.1/latest/meta-data/", "redirect to another host (127.0.0.1) refused"),
        ("https://169.254.169.254/", "redirect to another host (169.254.169.254) refused"),
        ("https://evil.example.test/layer.md", "redirect to another host (evil.example.test) refused"),
        ("file:///etc/passwd", "redirect to file:// refused (only https:// is followed)"),
    ],
)
def test_a_redirect_off_https_or_to_another_host_is_exit_2(
    location: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    respx.get(URL).respond(302, headers={"Location": location})
    assert _exit_2_line(URL, capsys) == f"error: {URL}: {expected}"


@respx.mock
def test_a_redirect_within_the_host_is_followed(capsys: pytest.CaptureFixture[str]) -> None:
    respx.get(URL).respond(301, headers={"Location": "/docs/layer.md"})
    respx.get("https://docs.example.test/docs/layer.md").respond(200, text=PAGE)
    assert run_docs_check(URL, spec=SPEC, project=ProjectConfig(), fmt="json", write_examples=False) == 0


@respx.mock
def test_a_redirect_loop_stops(capsys: pytest.CaptureFixture[str]) -> None:
    respx.get(URL).respond(302, headers={"Location": URL})
    assert _exit_2_line(URL, capsys) == f"error: {URL}: more than 5 redirects; stopped"


@respx.mock
def test_a_page_announced_larger_than_the_cap_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    respx.get(URL).respond(200, headers={"Content-Length": str(MAX_PAGE_BYTES + 1)}, content=b"")
    line = _exit_2_line(URL, capsys)
    assert line == f"error: {URL}: the page is larger than {MAX_PAGE_BYTES} bytes; refused"


def _endless(chunk: bytes, pause: float = 0.0) -> Iterator[bytes]:
    for _ in range(1 << 16):  # bounded, so that a failing test ends too
        if pause:
            time.sleep(pause)
        yield chunk


def test_a_page_streamed_past_the_cap_without_a_length_is_refused() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=_endless(b"x" * 65536)))
    with pytest.raises(PageError) as caught:
        fetch(URL, transport)
    assert str(caught.value) == f"{URL}: the page is larger than {MAX_PAGE_BYTES} bytes; refused"


def test_a_body_dripped_past_the_deadline_stops_the_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "FETCH_DEADLINE_SECONDS", 0.3)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=_endless(b"x", 0.05)))
    with pytest.raises(PageError) as caught:
        fetch(URL, transport)
    assert str(caught.value) == f"{URL}: the fetch took longer than 0.3 s; stopped"


@pytest.mark.parametrize("drip_headers", [True, False], ids=["headers", "body"])
def test_the_deadline_holds_on_every_socket_read(drip_headers: bool) -> None:
    # A byte every 0.2 s never trips a per-read timeout; the one deadline stops it all the same.
    with drip_server(drip_headers=drip_headers, interval=0.2) as drip:
        with httpx.Client(transport=deadline_transport(0.5)) as client, pytest.raises(httpx.TimeoutException):
            client.get(drip.base_url, timeout=5.0)
        assert not drip.finished.is_set()
